r"""One cross-check run: train with Algorithm 1, predict with the theory, compare.

:func:`run_simulation` takes a validated :class:`SimulationSpec` and returns a JSON-ready
dict (the ``grpo-symbolic simulate --json`` contract):

* ``iterations[n]`` for ``n = 0..M``: ``pos_mean`` (exact PoS of the trained policy,
  mean over prompts), ``pos`` (per prompt), ``pred_population``/``pred_group``
  (per-prompt predictions) and their means, ``dev_population``/``dev_group`` (mean
  deviations), the band of the *reference prediction* (``band``, ``within_band``),
  the sample success rate and its binomial band (sample mode), ``step_tv`` and the
  TV to the non-parametric iterates (``tv_population``/``tv_group``, whose increments
  are the ``delta_n`` of Assumption 1), the clip fraction and KL values;
* with ``--clip`` or ``--kl k3``: ``pred_effective`` -- the exact maximiser of the expected
  objective that is really optimised (:func:`.theory.effective_pos`), ``dev_effective`` (mean
  over prompts) and ``max_prompt_dev_effective``; the route is named in
  ``predictions.effective``: with exact KL the closed forms (the clipped map
  :class:`grpo_symbolic.exact.clipped.ClippedMap`, ratio range ``[1 - clip, 1 + clip_high]``),
  with k3 the two-class model maximised numerically (:func:`.theory.reduced_step`);
* sample mode, exact KL, no clip, every iteration: ``pred_law_mean``, ``dev_law``,
  ``band_law`` -- the exact conditional law, given the trained ``pi~_{n-1}``, of the PoS
  of a fully converged sampled step (:func:`.loop.sampled_argmax_pos_moments`, all group
  count vectors enumerated), ``law_minus_group`` = its mean minus the finite-G
  recurrence; ``opt_gap`` = mean PoS of the trained policy minus that of the exact
  maximiser of the objective actually drawn (:func:`.loop.sampled_step`), i.e. the
  optimiser's shortfall alone.  At iteration 1 (from ``pi_ref``) the law fields are
  also given as ``pred_sampled_argmax_mean``, ``band_sampled_argmax`` and
  ``jensen_bias``;
* ``summary``: worst deviations (with ``--clip``/``--kl k3`` also the median and worst
  per-prompt gap to the effective prediction over iterations ``n >= 1``), whether every
  iteration is within its band, and the Theorem 10 check ``|p~_n - p_n| <= TV(pi~_n, pi_n)``
  per prompt.

Reference prediction and band: in **sample** mode the finite-group recurrence (the
maximiser of the expected sampled objective) with the CLT band of
:mod:`.theory`; in **expectation** mode the recurrence of ``statistics`` (group or
population) with the deterministic tolerance ``EXPECTATION_TOL`` (what a converged
optimiser reaches in float64), so anything beyond it is a systematic effect of the
configuration (clipping, k3, too few inner steps, a parametric class).  With clipping the
objective is not smooth and L-BFGS stalls near its kinks (1e-4 to 1e-2 from the clipped maximiser);
annealed Adam (``optimizer="adam"``, ``inner_steps=2000``, ``lr=0.2``, ``lr_final=1e-8``)
reaches it (``bench/clip_agreement.py``).

Runs are deterministic for a given seed and device: JSON holds no timings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import torch

from ..errors import InputError
from ..params import Params, parse_exact
from .loop import GRPOConfig, sampled_argmax_pos_moments, train
from .policies import make_tabular_policy, make_transformer_policy, nonparametric_iterate, pos_from_log_probs
from .theory import (binomial_band, bonferroni_z, clt_band, effective_pos, effective_route, group_weights,
                     predict_pos)

#: deterministic tolerance for expectation mode (converged float64 optimisation)
EXPECTATION_TOL = 1e-6


#: transformer-only options (left out of a tabular run's report)
_TRANSFORMER_KEYS = ("vocab", "length", "layers", "d_model", "heads", "init_scale", "verifier")
#: tabular-only options (left out of a transformer run's report)
_TABULAR_KEYS = ("p_ref", "spread", "outputs")


@dataclass(frozen=True)
class SimulationSpec:
    """One cross-check run: the variant ``params`` plus training-side options only.

    The variant (norm, beta, alpha, eps, group size and convention, clip, clip_high) is read from
    ``params`` (:class:`~grpo_symbolic.params.Params`) and stored nowhere else; it must
    have a group size.  The rest is the experiment: the policy family and its size, the
    prompts, the optimisation (turned into a :class:`.loop.GRPOConfig` by :meth:`config`),
    device, dtype, seed and the band's ``level``.

    ``p_ref`` (tabular) is the PoS of ``pi_ref`` of the prompts, cycled over them; by
    default ``params.p_ref`` alone.  The run's ``params.p_ref`` is its first prompt's: a
    spec given ``p_ref`` holds ``params`` with that first value.  A transformer's prompts
    get their ``p_ref`` from the verifier.  Bad values raise :class:`InputError`.
    """

    params: Params
    policy: str = "tabular"
    prompts: int = 64
    iterations: int = 10
    outputs: int = 8                   # tabular K
    p_ref: tuple | None = None         # tabular, cycled over prompts; default (params.p_ref,)
    spread: float = 1.0
    mode: str = "sample"
    statistics: str = "group"
    inner_steps: int = 100
    optimizer: str = "adam"
    lr: float = 0.05
    lr_final: float | None = None
    kl: str = "exact"
    device: str = "cpu"
    dtype: str = "float64"
    seed: int = 0
    level: float = 0.01
    # transformer
    vocab: int = 4
    length: int = 4
    layers: int = 1
    d_model: int = 32
    heads: int = 2
    init_scale: float = 1.0
    verifier: str = "sum_mod:3"

    def __post_init__(self):
        if not isinstance(self.params, Params):
            raise InputError(f"SimulationSpec needs a Params, got {type(self.params).__name__}")
        if self.params.group_size is None:
            raise InputError("simulate needs a group size G (Params group_size)")
        if self.policy not in ("tabular", "transformer"):
            raise InputError(f"policy must be tabular or transformer, got {self.policy!r}")
        if self.dtype not in ("float64", "float32"):
            raise InputError(f"dtype must be float64 or float32, got {self.dtype!r}")
        if not 0 < self.level < 1:
            raise InputError(f"level must lie in (0, 1), got {self.level}")
        self._set_prompts()
        self.config()  # checks the training options

    def _set_prompts(self) -> None:
        """Check ``p_ref`` (text as given, default ``params.p_ref``) and put its first
        value into ``params``."""
        if self.policy != "tabular":
            if self.p_ref is not None:
                raise InputError("p_ref applies to the tabular policy (the transformer's is its exact PoS)")
            return
        given = (self.params.as_dict()["p_ref"],) if self.p_ref is None else tuple(self.p_ref)
        if not given:
            raise InputError("p_ref must list at least one PoS")
        for x in given:
            self.params.with_(p_ref=parse_exact(x, "p_ref"))  # 0 < p_ref < 1, finite
        object.__setattr__(self, "p_ref", given)
        first = parse_exact(given[0], "p_ref")
        if first != self.params.p_ref:
            as_given = {**self.params.given, "p_ref": str(given[0])}
            object.__setattr__(self, "params", self.params.with_(p_ref=first, given=as_given))

    def prompt_p_ref(self) -> list[float]:
        """The tabular prompts' PoS of ``pi_ref``, one per prompt (``p_ref`` cycled)."""
        vals = [float(parse_exact(x, "p_ref")) for x in self.p_ref]
        return [vals[i % len(vals)] for i in range(self.prompts)]

    def config(self) -> GRPOConfig:
        """Algorithm 1's settings for this run: ``params`` and the training options."""
        return GRPOConfig(self.params, mode=self.mode, statistics=self.statistics, inner_steps=self.inner_steps,
                          optimizer=self.optimizer, lr=self.lr, lr_final=self.lr_final, kl=self.kl)

    def as_dict(self) -> dict:
        """The ``spec`` of the report: ``params`` as exact text, then the options of this
        policy family (with the variant's ``clip`` and ``clip_high`` after ``statistics``, as
        floats)."""
        d = {"params": self.params.as_dict()}
        cfg = self.config()
        for f in fields(self)[1:]:
            d[f.name] = getattr(self, f.name)
            if f.name == "statistics":
                d["clip"], d["clip_high"] = cfg.clip, cfg.clip_high
        if self.policy == "tabular":
            d["p_ref"] = [str(x) for x in self.p_ref]
        for k in _TRANSFORMER_KEYS if self.policy == "tabular" else _TABULAR_KEYS:
            d.pop(k)
        return d


def build_policy(spec: SimulationSpec, device):
    """The run's policy at ``pi_ref``: tabular (``spec.prompt_p_ref()``) or a tiny transformer."""
    dtype = {"float64": torch.float64, "float32": torch.float32}[spec.dtype]
    if spec.policy == "tabular":
        p_ref = torch.tensor(spec.prompt_p_ref(), dtype=torch.float64)
        gen = torch.Generator().manual_seed(spec.seed)
        return make_tabular_policy(p_ref, spec.outputs, spread=spec.spread, generator=gen,
                                   dtype=dtype, device=device)
    return make_transformer_policy(spec.prompts, vocab=spec.vocab, length=spec.length, d_model=spec.d_model,
                                   layers=spec.layers, heads=spec.heads, d_ff=2 * spec.d_model,
                                   init_scale=spec.init_scale, verifier=spec.verifier, seed=spec.seed,
                                   dtype=dtype, device=device)


def _f(x) -> float:
    return float(x)


def _lst(a) -> list:
    return [float(v) for v in np.asarray(a, dtype=float).reshape(-1)]


def run_simulation(spec: SimulationSpec, device=None, progress=None) -> dict:
    """Run the experiment of ``spec``; ``progress(n, M)`` is called after each iteration."""
    device = torch.device(spec.device) if device is None else device
    cfg = spec.config()
    M = spec.iterations
    policy = build_policy(spec, device)
    with torch.no_grad():
        p_ref = pos_from_log_probs(policy.ref_log_probs_all(), policy.success).to("cpu", torch.float64).numpy()
    P = spec.params
    pred_pop = predict_pos(P, p_ref, M, statistics="population")
    pred_grp = predict_pos(P, p_ref, M, statistics="group")
    # sample mode, exact KL, no clip: before each iteration, the exact law of the PoS of a
    # fully converged step from the *trained* policy (all group count vectors enumerated)
    step_law = None
    if spec.mode == "sample" and spec.kl == "exact" and cfg.clip is None \
            and math.comb(cfg.group_size + policy.num_outputs - 1, policy.num_outputs - 1) <= 200_000:
        ref_all = policy.ref_log_probs_all()

        def step_law(logp_old):
            return sampled_argmax_pos_moments(logp_old, ref_all, policy.success, G=cfg.group_size,
                                              convention=cfg.convention, eps=cfg.eps, beta=cfg.beta,
                                              alpha=cfg.alpha)
    gen = torch.Generator(device=device).manual_seed(spec.seed + 1)
    cb = (lambda n, rec: progress(n, M)) if progress is not None else None
    out = train(policy, cfg, M, generator=gen, targets={"population": pred_pop, "group": pred_grp}, callback=cb,
                step_law=step_law)
    law = (out["law_mean"].numpy(), out["law_var"].numpy()) if "law_mean" in out else None
    drawn = out["drawn_pos"].numpy() if "drawn_pos" in out else None
    pos = out["pos"].numpy()
    N = pos.shape[1]
    slack = 1e-12 if spec.dtype == "float64" else 1e-5  # rounding in the Thm 10 check

    ref_name = "group" if spec.mode == "sample" else spec.statistics
    pred_ref = pred_grp if ref_name == "group" else pred_pop
    modified = cfg.clip is not None or spec.kl == "k3"
    pred_eff = effective_pos(P, p_ref, M, statistics=ref_name, kl=spec.kl) if modified else None
    max_eff = 0.0
    eff_gaps = []  # |p~_n(q) - p_n^eff(q)| for n >= 1, every prompt
    z = bonferroni_z(M, spec.level)
    iters = []
    all_ok = True
    law_ok = True
    max_gap = 0.0
    thm10_ok = True
    max_dev = {"population": 0.0, "group": 0.0}
    max_prompt_dev = {"population": 0.0, "group": 0.0}
    for n in range(M + 1):
        it = {"n": n, "pos_mean": _f(pos[n].mean()),
              "pred_population_mean": _f(pred_pop[n].mean()), "pred_group_mean": _f(pred_grp[n].mean()),
              "dev_population": _f((pos[n] - pred_pop[n]).mean()), "dev_group": _f((pos[n] - pred_grp[n]).mean()),
              "tv_population_mean": _f(out["tv_population"][n].mean()),
              "tv_group_mean": _f(out["tv_group"][n].mean())}
        for name, pr in (("population", pred_pop), ("group", pred_grp)):
            max_dev[name] = max(max_dev[name], abs(it[f"dev_{name}"]))
            max_prompt_dev[name] = max(max_prompt_dev[name], float(np.abs(pos[n] - pr[n]).max()))
            tv = out[f"tv_{name}"][n].numpy()
            thm10_ok &= bool((np.abs(pos[n] - pr[n]) <= tv + slack).all())
        if n >= 1:
            dev = pos[n] - pred_ref[n]
            if spec.mode == "sample":
                _, half = clt_band(dev, z)
            else:
                half = EXPECTATION_TOL
            mean_dev = _f(dev.mean())
            ok = abs(mean_dev) <= half if spec.mode == "sample" else float(np.abs(dev).max()) <= half
            all_ok &= bool(ok)
            it.update({"band": half, "within_band": bool(ok),
                       "max_prompt_dev": _f(np.abs(dev).max()),
                       "delta_population": _f(out["tv_population"][n].mean() - out["tv_population"][n - 1].mean()),
                       "delta_group": _f(out["tv_group"][n].mean() - out["tv_group"][n - 1].mean()),
                       "step_tv_mean": _f(out["step_tv"][n - 1].mean()),
                       "loss": _f(out["loss"][n - 1]), "surrogate": _f(out["surrogate"][n - 1]),
                       "kl_ref": _f(out["kl_ref"][n - 1]), "kl_prev": _f(out["kl_prev"][n - 1]),
                       "clip_frac": _f(out["clip_frac"][n - 1])})
            if law is not None:
                lm, lv = law[0][n - 1], law[1][n - 1]
                d = float((pos[n] - lm).mean())
                h = z * math.sqrt(float(lv.sum())) / N
                law_ok &= abs(d) <= h
                it.update({"pred_law_mean": _f(lm.mean()), "dev_law": d, "band_law": h,
                           "within_law_band": bool(abs(d) <= h),
                           "law_minus_group": _f((lm - pred_grp[n]).mean())})
                if n == 1:  # from pi_ref: the exact law of one sampled step, and its Jensen bias
                    it.update({"pred_sampled_argmax_mean": it["pred_law_mean"], "dev_sampled_argmax": d,
                               "band_sampled_argmax": h, "within_sampled_argmax_band": bool(abs(d) <= h),
                               "jensen_bias": it["law_minus_group"]})
            if drawn is not None:
                gap = pos[n] - drawn[n - 1]
                max_gap = max(max_gap, abs(_f(gap.mean())))
                it.update({"opt_gap": _f(gap.mean()), "max_prompt_opt_gap": _f(np.abs(gap).max()),
                           "drawn_pos_mean": _f(drawn[n - 1].mean()),
                           "drawn_tv_mean": _f(out["drawn_tv"][n - 1].mean())})
            if spec.mode == "sample":
                ss = out["sample_success"][n - 1].numpy()
                po = out["p_old"][n - 1].numpy()
                it.update({"sample_success_mean": _f(ss.mean()),
                           "sample_success_dev": _f((ss - po).mean()),
                           "binomial_band": binomial_band(po, cfg.group_size, z),
                           "degenerate_frac": _f(out["degenerate"][n - 1].mean()),
                           "sample_success": _lst(ss)})
        if modified:
            it["pred_effective_mean"] = _f(pred_eff[n].mean())
            it["dev_effective"] = _f((pos[n] - pred_eff[n]).mean())
            it["max_prompt_dev_effective"] = _f(np.abs(pos[n] - pred_eff[n]).max())
            max_eff = max(max_eff, abs(it["dev_effective"]))
            if n >= 1:
                eff_gaps.append(np.abs(pos[n] - pred_eff[n]))
        it.update({"pos": _lst(pos[n]), "pred_population": _lst(pred_pop[n]), "pred_group": _lst(pred_grp[n])})
        if modified:
            it["pred_effective"] = _lst(pred_eff[n])
        iters.append(it)

    _, gw_source = group_weights(cfg.group_size, cfg.convention, P.eps)
    band_text = (f"sample mode: |mean_q(p~_n - p_n^G)| <= z*s/sqrt(N), CLT over N={N} independent prompts, "
                 f"z={z:.4f} (two-sided, level {spec.level} Bonferroni over {M} iterations); "
                 f"sample success rate: |mean_q(k/G - p_old)| <= z*sqrt(sum p(1-p)/G)/N (binomial)"
                 if spec.mode == "sample" else
                 f"expectation mode (deterministic): max_q |p~_n - p_n^{ref_name}| <= {EXPECTATION_TOL:g}")
    if law is not None:
        band_text += ("; every iteration also: the exact conditional law of the PoS of the maximiser of the "
                      "sampled objective from the trained pi~_{n-1} (all group count vectors enumerated), "
                      "|mean_q(p~_n - E[p_n^s | pi~_{n-1}])| <= z*sqrt(sum_q Var_q)/N (prompts are independent "
                      "given the past); at n = 1, E p_1^s - p_1^G is the Jensen bias of sampled GRPO")
    if spec.mode == "sample" and spec.policy == "transformer":
        band_text += "; transformer prompts share parameters, so the CLT band is indicative only"
    return {
        "command": "simulate",
        "variant": P.variant_name,
        "spec": spec.as_dict(),
        "config": cfg.as_dict(),
        "policy": {"family": spec.policy, "prompts": N, "outputs": int(policy.num_outputs)},
        "p_ref": _lst(p_ref),
        "predictions": {"population": "grpo_symbolic.exact.logit_map.LogitMap with the paper's weights",
                        "group": f"LogitMap with {gw_source}", "reference": ref_name,
                        "effective": _effective_text(cfg, spec.kl, ref_name) if modified else None},
        "band": {"text": band_text, "z": z if spec.mode == "sample" else None, "level": spec.level},
        "iterations": iters,
        "summary": {"max_abs_mean_dev_population": max_dev["population"],
                    "max_abs_mean_dev_group": max_dev["group"],
                    "max_abs_prompt_dev_population": max_prompt_dev["population"],
                    "max_abs_prompt_dev_group": max_prompt_dev["group"],
                    "max_abs_mean_dev_effective": max_eff if modified else None,
                    "max_abs_prompt_dev_effective": _f(np.max(eff_gaps)) if modified and eff_gaps else None,
                    "median_abs_prompt_dev_effective": _f(np.median(eff_gaps)) if modified and eff_gaps else None,
                    "all_within_band": bool(all_ok),
                    "jensen_bias_iter1": iters[1].get("jensen_bias") if M >= 1 else None,
                    "all_within_law_band": bool(law_ok) if law is not None else None,
                    "max_abs_opt_gap": max_gap if drawn is not None else None,
                    "final_tv_population": iters[-1]["tv_population_mean"],
                    "final_tv_group": iters[-1]["tv_group_mean"],
                    "thm10_pos_gap_le_tv": bool(thm10_ok)},
        "environment": {"torch": torch.__version__, "device": str(device), "dtype": spec.dtype},
    }


def _effective_text(cfg: GRPOConfig, kl: str, ref_name: str) -> str:
    """``predictions.effective``: what the effective prediction is, and the route that computes it."""
    clip = "no clip" if cfg.clip is None else f"clip={cfg.clip}" + (
        f", clip_high={cfg.clip_high}" if cfg.clip_high != cfg.clip else "")
    return (f"exact maximiser of the expected objective with {clip}, kl={kl} ({ref_name} weights): "
            f"{effective_route(cfg.params, kl)}")


def plot_simulation(data: dict, path: str) -> None:
    """PNG of empirical vs predicted mean PoS (with the band) and the TV diagnostics."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    its = data["iterations"]
    n = [it["n"] for it in its]
    emp = np.array([it["pos_mean"] for it in its])
    pp = np.array([it["pred_population_mean"] for it in its])
    pg = np.array([it["pred_group_mean"] for it in its])
    ref = pg if data["predictions"]["reference"] == "group" else pp
    band = np.array([0.0] + [it["band"] for it in its[1:]])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    ax = axes[0]
    P = np.array([it["pos"] for it in its])
    for j in range(min(P.shape[1], 24)):
        ax.plot(n, P[:, j], color="0.8", lw=0.6, zorder=1)
    ax.fill_between(n, ref - band, ref + band, color="tab:orange", alpha=0.25, label="band (reference)")
    ax.plot(n, pp, "--", color="tab:blue", label="population recurrence")
    ax.plot(n, pg, "-.", color="tab:orange", label=f"finite-G recurrence (G={data['config']['group_size']})")
    if len(its) > 1 and "pred_law_mean" in its[1]:
        ax.plot(n[1:], [it["pred_law_mean"] for it in its[1:]], "s:", color="tab:red", ms=3,
                label="exact law of a sampled step (mean)")
    ax.plot(n, emp, "o-", color="k", ms=3, label="trained (exact PoS, mean)")
    ax.set_xlabel("iteration n")
    ax.set_ylabel("PoS (mean over prompts)")
    ax.set_title(data["variant"], fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[1]
    ax.plot(n, [it["tv_population_mean"] for it in its], "--", label="TV(pi~_n, pi_n) population")
    ax.plot(n, [it["tv_group_mean"] for it in its], "-.", label="TV(pi~_n, pi_n) finite G")
    ax.plot(n[1:], [it["step_tv_mean"] for it in its[1:]], "o-", ms=3, label="step TV to exact maximiser")
    ax.set_xlabel("iteration n")
    ax.set_ylabel("TV (mean over prompts)")
    ax.set_title(f"{data['policy']['family']}, mode={data['config']['mode']}", fontsize=9)
    ax.legend(fontsize=7)
    from matplotlib.ticker import MaxNLocator

    for a in axes:
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)



def sampled_step_at_recurrence(params: Params, p_ref, *, outputs: int = 4, iterations: int = 200,
                               seed: int = 0) -> list[dict]:
    r"""One *sampled* step taken from the finite-G recurrence's own state.

    For each ``p_ref`` (a tabular prompt with ``outputs`` outputs, conditional laws as in
    :func:`.policies.make_tabular_policy` with ``seed``): iterate the finite-G recurrence
    ``iterations`` times to ``p_M`` (its limit when the orbit converges; ``settled`` =
    ``|p_M - p_{M-1}|``), take the non-parametric policy ``pi_M`` with that PoS, and give
    the exact law of the PoS of the maximiser of the sampled objective from ``pi_M``
    (:func:`.loop.sampled_argmax_pos_moments`): ``law_mean``, ``law_sd`` and
    ``bias = law_mean - p_M``.  A fixed point of the recurrence that is not (in mean) a
    fixed point of the sampled iteration shows up as ``bias != 0``.  ``p_degenerate =
    p_M^G + (1-p_M)^G`` is the chance that the group's rewards are all equal; then every
    advantage is 0 and, with ``alpha = 1``, the sampled maximiser is ``pi_ref`` itself.
    """
    G = int(params.group_size or 0)
    if G < 2:
        raise ValueError("params.group_size must be >= 2")
    vals = np.asarray([float(x) for x in p_ref], dtype=float)
    traj = predict_pos(params, vals, iterations, statistics="group")
    pol = make_tabular_policy(torch.tensor(vals, dtype=torch.float64), outputs,
                              generator=torch.Generator().manual_seed(seed))
    ref = pol.ref_log_probs_all()
    p_m = torch.tensor(traj[-1], dtype=torch.float64)
    with torch.no_grad():
        start = nonparametric_iterate(ref, pol.success, torch.tensor(vals, dtype=torch.float64), p_m)
        mean, var = sampled_argmax_pos_moments(start, ref, pol.success, G=G, convention=params.convention,
                                               eps=float(params.eps), beta=float(params.beta),
                                               alpha=float(params.alpha))
    rows = []
    for i, pr in enumerate(vals):
        p = float(traj[-1, i])
        rows.append({"p_ref": float(pr), "group_size": G, "p_recurrence": p,
                     "settled": float(abs(traj[-1, i] - traj[-2, i])),
                     "law_mean": float(mean[i]), "law_sd": math.sqrt(float(var[i])),
                     "bias": float(mean[i]) - p, "p_degenerate": p ** G + (1 - p) ** G})
    return rows
