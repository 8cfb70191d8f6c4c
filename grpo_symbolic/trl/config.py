r"""Map a TRL ``GRPOConfig`` onto the theory's variant (:class:`grpo_symbolic.params.Params`).

TRL 1.16 optimises, per generation round (``pi_old`` = the policy that sampled the batch),

.. math:: \frac{1}{\#\text{tokens}}\sum_{i,t}\Big[\min\big(\rho_{i,t}A_i,\
          \mathrm{clip}(\rho_{i,t}, 1-\epsilon, 1+\epsilon_{high})A_i\big)
          - \beta\,\rho_{i,t}\,k_3\big(\pi_{ref}/\pi\big)_{i,t}\Big],
   \qquad A_i = \frac{r_i - \bar r}{\mathrm{std}_{G-1}(r) + 10^{-4}},

so the theory's variant is: ``alpha = 1`` (KL to the fixed reference), ``beta`` = TRL's
``beta``, the clipped map with ``clip = epsilon``, ``clip_high = epsilon_high`` (default
``epsilon``), and the finite-group weights of ``num_generations = G`` in the ``"trl"``
convention (``scale_rewards="group"``: Bessel-corrected std, ``eps = 1e-4`` added outside the
root) or ``"mean"`` (``scale_rewards="none"``).  With ``use_bias_correction_kl`` (the default)
the KL term is ``rho * k3``, whose expectation under ``pi_old`` is the exact KL of each token
distribution: the theory's exact-KL map; without it, the ``k3`` estimator's two-class model
(:func:`grpo_symbolic.training.theory.effective_pos` with ``kl="k3"``).

What the theory cannot represent is listed (:attr:`TrlMapping.unrepresented`), never dropped.

>>> m = map_config({"beta": 0.04, "num_generations": 4})
>>> m.params_for("0.25").as_dict()["convention"], m.clip, m.kl
('trl', Fraction(1, 5), 'exact')
>>> map_config({"beta": 0.0}).beta_zero
True
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InputError
from ..params import Params, parse_exact
from .fields import GRPO_CONFIG_FIELDS, SCRIPT_FIELDS, TRL_VERSION

#: TRL 1.16 defaults of the fields the mapping reads
DEFAULTS = {
    "beta": 0.0, "epsilon": 0.2, "epsilon_high": None, "scale_rewards": "group", "num_generations": 8,
    "loss_type": "dapo", "num_iterations": 1, "importance_sampling_level": "token",
    "use_bias_correction_kl": True, "sync_ref_model": False, "learning_rate": 1e-6, "delta": None,
    "temperature": 1.0, "top_p": 1.0, "top_k": 0, "min_p": None, "repetition_penalty": 1.0,
    "mask_truncated_completions": False, "top_entropy_quantile": 1.0, "entropy_coef": 0.0,
    "use_adaptive_entropy": False, "reward_weights": None, "multi_objective_aggregation": "sum_then_normalize",
    "off_policy_mask_threshold": None, "use_vllm": False, "max_completion_length": 512,
    "steps_per_generation": None, "gradient_accumulation_steps": 1, "lr_scheduler_type": "linear",
    "optim": "adamw_torch_fused", "max_grad_norm": 1.0, "weight_decay": 0.0, "warmup_steps": 0,
    "disable_dropout": False,
}

LOSS_TYPES = ("grpo", "dr_grpo", "dapo", "bnpo", "cispo", "sapo", "luspo", "vespo")
#: loss types whose maximiser is the clipped PPO surrogate's (the aggregation only rescales it)
PPO_LOSSES = ("grpo", "dr_grpo", "dapo", "bnpo")
TRL_ADV_EPS = Fraction(1, 10**4)

#: fields that change the training dynamics but have no counterpart in the theory, and why
UNREPRESENTED = {
    "learning_rate": "the theory takes the exact maximiser of each round's objective, not optimiser steps",
    "num_iterations": "optimiser passes per generation round (mu): how close TRL gets to the maximiser",
    "steps_per_generation": "optimiser steps per generation round: how close TRL gets to the maximiser",
    "gradient_accumulation_steps": "optimiser steps per generation round",
    "optim": "optimiser", "lr_scheduler_type": "learning-rate schedule", "warmup_steps": "learning-rate warm-up",
    "max_grad_norm": "gradient clipping", "weight_decay": "weight decay",
    "temperature": "sampling temperature != 1 samples from a different policy than the one trained",
    "top_p": "nucleus sampling truncates pi_old", "top_k": "top-k sampling truncates pi_old",
    "min_p": "min-p sampling truncates pi_old", "repetition_penalty": "changes the sampling law",
    "max_completion_length": "truncation and length normalisation; the theory has no lengths",
    "mask_truncated_completions": "drops truncated completions from the loss",
    "top_entropy_quantile": "keeps only high-entropy tokens in the loss",
    "entropy_coef": "entropy bonus", "use_adaptive_entropy": "adaptive entropy bonus",
    "delta": "two-sided clipping of the ratio from above (INTELLECT-2)",
    "reward_weights": "several rewards; the theory has one 0/1 reward",
    "multi_objective_aggregation": "several rewards; the theory has one 0/1 reward",
    "off_policy_mask_threshold": "masks off-policy sequences",
    "sync_ref_model": "moves the reference model (TR-DPO); the theory's pi_ref is fixed",
    "use_vllm": "vLLM sampling and its importance-sampling correction",
    "disable_dropout": "dropout makes the trained policy stochastic",
}

#: values of UNREPRESENTED fields that are neutral (nothing to say beyond 'not represented')
NEUTRAL = {"temperature": 1.0, "top_p": 1.0, "top_k": 0, "min_p": None, "repetition_penalty": 1.0,
           "mask_truncated_completions": False, "top_entropy_quantile": 1.0, "entropy_coef": 0.0,
           "use_adaptive_entropy": False, "delta": None, "reward_weights": None, "off_policy_mask_threshold": None,
           "sync_ref_model": False, "use_vllm": False, "multi_objective_aggregation": "sum_then_normalize"}


@dataclass
class TrlMapping:
    """A TRL config read onto the theory (see module docstring)."""

    values: dict  # every field the mapping reads, with TRL's default where the config is silent
    given: dict  # the config as read (all keys)
    norm: str
    convention: str
    G: int
    beta: Fraction
    clip: Fraction
    clip_high: Fraction
    kl: str  # "exact" (use_bias_correction_kl) or "k3"
    scale: str  # "group" | "batch" | "none"
    mapped: list = field(default_factory=list)  # [{field, value, theory}]
    approximations: list = field(default_factory=list)  # [{field, value, note}]
    unrepresented: list = field(default_factory=list)  # [{field, value, note}]
    inert: list = field(default_factory=list)  # names of the fields that do not change the objective

    @property
    def beta_zero(self) -> bool:
        return self.beta == 0

    @property
    def eps(self) -> Fraction:
        return TRL_ADV_EPS if self.convention == "trl" else Fraction(0)

    def params_for(self, p_ref, beta_scale=1) -> Params:
        """The theory's :class:`Params` for one prompt (``beta > 0`` only; ``beta_scale``
        multiplies ``beta``: the frozen batch std of ``scale_rewards="batch"``)."""
        if self.beta_zero:
            raise ValueError("beta = 0 has no Params (see limit_params)")
        return Params.parse(norm=self.norm, beta=self.beta * Fraction(beta_scale), alpha="1", eps=self.eps,
                            p_ref=p_ref, group_size=self.G, convention=self.convention, clip=self.clip,
                            clip_high=self.clip_high)

    def limit_params(self, p_ref) -> Params:
        """``beta = 0``: the ``beta -> 0+`` limit of the clipped map, evaluated by the kernel at
        ``beta = 1e-300``, where every unclipped branch ``A + omega/beta`` exceeds both clip
        thresholds, so ``g_c(L) = max(T_S(L), T_F(L))`` exactly: the smallest move that maximises
        the clipped surrogate (without a KL the maximisers form a whole interval up to ``p = 1``)."""
        return Params.parse(norm=self.norm, beta="1e-300", alpha="1", eps=self.eps, p_ref=p_ref, group_size=self.G,
                            convention=self.convention, clip=self.clip, clip_high=self.clip_high)

    def theory_params(self, p_ref, beta_scale=1) -> Params:
        """:meth:`params_for` when ``beta > 0``, else :meth:`limit_params`."""
        return self.limit_params(p_ref) if self.beta_zero else self.params_for(p_ref, beta_scale)

    def to_json(self) -> dict:
        return {"trl_version": TRL_VERSION, "theory": self.theory_text(), "mapped": self.mapped,
                "approximations": self.approximations, "unrepresented": self.unrepresented,
                "inert_fields": len(self.inert)}

    def theory_text(self) -> str:
        clip = f"clip [1 - {float(self.clip):g}, 1 + {float(self.clip_high):g}]"
        weights = f"G = {self.G}, convention {self.convention}" + (", eps = 1e-4" if self.convention == "trl" else "")
        b = "beta -> 0+ limit (beta = 0)" if self.beta_zero else f"beta = {float(self.beta):g}"
        return f"clipped map, alpha = 1 (KL to pi_ref, {self.kl} KL), {b}, {clip}, {weights}"


# ------------------------------------------------------------------------------ reading
def load_config(source) -> TrlMapping:
    """A TRL config from a path (YAML or JSON), a dict, or a ``GRPOConfig`` object, mapped."""
    if isinstance(source, dict):
        return map_config(source)
    if hasattr(source, "to_dict") and type(source).__name__ == "GRPOConfig":
        return map_config(json.loads(source.to_json_string()))
    return map_config(read_config_file(source))


def read_config_file(path) -> dict:
    """The mapping in a YAML or JSON file; InputError (one line) for anything else."""
    import os

    p = str(path)
    if not os.path.exists(p):
        raise InputError(f"config file not found: {p}")
    if not os.path.isfile(p):
        raise InputError(f"config path is not a regular file: {p}")
    if os.path.getsize(p) > 10_000_000:
        raise InputError(f"config file too large (over 10 MB): {p}")
    try:
        with open(p, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read config {p}: {getattr(exc, 'strerror', None) or exc}") from None
    data = _parse_text(text, p)
    if not isinstance(data, dict):
        raise InputError(f"{p} is not a TRL config (expected a mapping of GRPOConfig fields, got "
                         f"{type(data).__name__})")
    if not data:
        raise InputError(f"{p} is not a TRL config (an empty mapping)")
    return data


def _parse_text(text: str, p: str):
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is a dependency of the [trl] extra
        raise InputError(f"{p} is not JSON, and reading YAML needs PyYAML (pip install pyyaml)") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise InputError(f"{p} is neither JSON nor YAML: {line}") from None


# ------------------------------------------------------------------------------ checks
def _number(v, name: str, lo=None, hi=None, lo_open=False, hi_open=False) -> Fraction:
    if v is None:
        raise InputError(f"{name} must be a number, got null")
    if isinstance(v, float) and math.isfinite(v):
        v = repr(v)  # the decimal the config file holds (0.2 is 1/5, not its binary neighbour)
    x = parse_exact(v, name)
    if lo is not None and (x < lo or (lo_open and x == lo)):
        raise InputError(f"{name} must be {'>' if lo_open else '>='} {lo}, got {v}")
    if hi is not None and (x > hi or (hi_open and x == hi)):
        raise InputError(f"{name} must be {'<' if hi_open else '<='} {hi}, got {v}")
    return x


def _integer(v, name: str, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not (isinstance(v, int) or (isinstance(v, str) and v.strip().lstrip("+").isdigit())):
        raise InputError(f"{name} must be an integer, got {v!r}")
    n = int(v)
    if not lo <= n <= hi:
        raise InputError(f"{name} must lie in [{lo}, {hi}], got {n}")
    return n


def _bool(v, name: str) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    raise InputError(f"{name} must be true or false, got {v!r}")


def _choice(v, name: str, choices) -> str:
    if not isinstance(v, str) or v not in choices:
        raise InputError(f"{name} must be one of {', '.join(choices)}, got {v!r}")
    return v


def _scale(v) -> str:
    """TRL's ``scale_rewards``: True -> group, False -> none (as its ``__post_init__``)."""
    if isinstance(v, bool):
        return "group" if v else "none"
    if isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return "group" if v.strip().lower() == "true" else "none"
    return _choice(v, "scale_rewards", ("group", "batch", "none"))


# ------------------------------------------------------------------------------ the map
def map_config(cfg: dict) -> TrlMapping:
    """Check the keys and values of a TRL config and map it (module docstring)."""
    known = set(GRPO_CONFIG_FIELDS) | set(SCRIPT_FIELDS)
    bad = [str(k) for k in cfg if not isinstance(k, str) or k not in known]
    if bad:
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise InputError(f"unknown TRL {TRL_VERSION} GRPOConfig key(s): {', '.join(sorted(bad)[:5])}{more}")
    v = dict(DEFAULTS)
    v.update({k: cfg[k] for k in DEFAULTS if k in cfg})
    beta = _number(v["beta"], "beta", lo=0)
    clip = _number(v["epsilon"], "epsilon", lo=0, hi=1, hi_open=True)
    high = clip if v["epsilon_high"] is None else _number(v["epsilon_high"], "epsilon_high", lo=0, hi=10**6)
    G = _integer(v["num_generations"], "num_generations", 2, 4096)
    scale = _scale(v["scale_rewards"])
    loss = _choice(v["loss_type"], "loss_type", LOSS_TYPES)
    mu = _integer(v["num_iterations"], "num_iterations", 1, 10**6)
    level = _choice(v["importance_sampling_level"], "importance_sampling_level", ("token", "sequence"))
    bias = _bool(v["use_bias_correction_kl"], "use_bias_correction_kl")
    _bool(v["sync_ref_model"], "sync_ref_model")
    _number(v["learning_rate"], "learning_rate", lo=0)
    if beta > 10**6:
        raise InputError(f"beta must be <= 1e6, got {v['beta']}")
    m = TrlMapping(values=v, given=dict(cfg), norm="mean" if scale == "none" else "std",
                   convention="mean" if scale == "none" else "trl", G=G, beta=beta, clip=clip, clip_high=high,
                   kl="exact" if bias else "k3", scale=scale)
    _describe(m, loss, mu, level)
    return m


def _describe(m: TrlMapping, loss: str, mu: int, level: str) -> None:
    v = m.values
    m.mapped = [
        {"field": "beta", "value": v["beta"], "theory": "beta -> 0+ limit: no KL, the clipped surrogate's smallest "
         "maximiser, p -> 1" if m.beta_zero else f"beta = {v['beta']} (alpha = 1: KL to the fixed pi_ref)"},
        {"field": "epsilon", "value": v["epsilon"], "theory": f"clip = {v['epsilon']}"},
        {"field": "epsilon_high", "value": v["epsilon_high"], "theory": f"clip_high = {float(m.clip_high):g}"},
        {"field": "scale_rewards", "value": v["scale_rewards"], "theory": {
            "group": "norm std, finite-G convention 'trl' (Bessel std + 1e-4)",
            "batch": "norm mean, convention 'mean', beta scaled by the batch std (approximation)",
            "none": "norm mean (Dr. GRPO), convention 'mean'"}[m.scale]},
        {"field": "num_generations", "value": v["num_generations"], "theory": f"group size G = {m.G}"},
        {"field": "use_bias_correction_kl", "value": v["use_bias_correction_kl"],
         "theory": "exact KL in expectation (rho * k3)" if m.kl == "exact" else "k3 estimator (two-class model)"},
        {"field": "loss_type", "value": loss, "theory": "clipped surrogate (the aggregation rescales the loss; "
         "same maximiser for equal-length completions)" if loss in PPO_LOSSES else "not represented"},
        {"field": "num_iterations", "value": mu, "theory": "none: one theory iteration = one generation round"},
        {"field": "importance_sampling_level", "value": level, "theory": "clip on the sequence ratio"},
    ]
    if m.beta_zero:
        m.approximations.append({"field": "beta", "value": 0.0, "note": "Params needs beta > 0; the prediction "
                                 "is the beta -> 0+ limit g_c = max(T_S, T_F) (every prompt with p_ref > 0 goes to 1)"})
    if m.scale == "batch":
        m.approximations.append({"field": "scale_rewards", "value": "batch", "note": "the batch std couples the "
                                 "prompts; it is frozen at sqrt(pbar(1 - pbar)) + 1e-4 of the mean p_ref"})
    if level == "token":
        m.approximations.append({"field": "importance_sampling_level", "value": "token", "note": "TRL clips each "
                                 "token's ratio; the theory clips the sequence ratio at the same epsilon"})
    else:
        m.approximations.append({"field": "importance_sampling_level", "value": "sequence", "note": "TRL clips the "
                                 "geometric mean of the token ratios (sequence ratio^(1/T)); the theory clips the "
                                 "sequence ratio at the same epsilon"})
    if loss not in PPO_LOSSES:
        m.unrepresented.append({"field": "loss_type", "value": loss, "note": "not a clipped PPO surrogate; predicted "
                                "as if it were"})
    for k, note in UNREPRESENTED.items():
        val = v.get(k, m.given.get(k))
        if k in NEUTRAL and val == NEUTRAL[k] and k not in m.given:
            note = note + " (default, neutral)"
        m.unrepresented.append({"field": k, "value": _plain(val), "note": note})
    named = {d["field"] for d in m.mapped} | set(UNREPRESENTED)
    m.inert = [k for k in GRPO_CONFIG_FIELDS if k not in named]


def _plain(v):
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v if isinstance(v, (int, float, str, bool, type(None), list)) else str(v)
