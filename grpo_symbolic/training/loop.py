r"""Algorithm 1 (App. B, "Iterative GRPO with verifiable rewards"), vectorised over prompts.

One iteration (:func:`grpo_iteration`):

1. ``pi_old <- pi_theta`` (its log-probabilities are computed once, detached);
2. **sample** mode: draw ``G`` outputs per prompt from ``pi_old``, rewards
   ``r_i = r(q, o_i)``, advantages :func:`~.core.group_advantages` in the chosen
   convention; **expectation** mode: every output ``o`` with weight ``pi_old(o)`` and
   its expected advantage ``Abar(o) = +omega^+(p_old)`` / ``-omega^-(p_old)`` --
   finite-group weights ``omega^pm_G`` (``statistics="group"``) or population weights
   (``statistics="population"``).  Since ``E[(1/G) sum_i rho(o_i) A_i] =
   sum_o pi_old(o) rho(o) Abar(o)`` (the sign of ``A_i`` is fixed by ``r(o_i)``, so
   this holds with clipping too), expectation mode is the exact mean of the sampled
   objective;
3. ``mu`` optimiser steps (Adam, SGD, or L-BFGS with strong-Wolfe line search) on
   :func:`~.core.grpo_loss` with the mixed penalty
   ``beta*(alpha*KL(pi||pi_ref) + (1-alpha)*KL(pi||pi_old))`` (exact or k3); Adam and SGD
   can anneal their learning rate geometrically from ``lr`` to ``lr_final`` over the ``mu``
   steps of each iteration.

Clipping makes the objective non-smooth: at its maximiser the ratios of a clipped class sit
exactly on the kink ``1 + clip_high`` (successes) or ``1 - clip`` (failures).  L-BFGS with a
strong-Wolfe line search stalls near such kinks (PoS 1e-4 to 1e-2 from the maximiser); annealed
Adam (``mu = 2000``, ``lr = 0.2 -> lr_final = 1e-8``) reaches it (median ~1e-9; up to ~4e-5 where the
objective is nearly flat on one side of the kink), see ``bench/clip_agreement.py``.

With exact KL and no clipping, the objective of step 3 in expectation mode is
maximised over *all* policies by (:func:`closed_form_step`)

.. math:: \pi_n \propto \pi_{ref}^{\alpha}\,\pi_{n-1}^{1-\alpha}\,e^{\bar A/\beta},

whose PoS obeys ``logit p_n = alpha logit p_ref + (1-alpha) logit p_{n-1} +
Omega(p_{n-1})/beta`` when ``pi_{n-1}`` has ``pi_ref``'s conditional laws on S and F
(true for ``n = 0`` and then by induction).  A converged tabular run therefore follows
the recurrence; anything else (sampling, clipping, k3, few steps, a parametric
class) shows up as a deviation.

Diagnostics per iteration (``diagnostics=True``): ``step_tv = TV(pi~_n, Pi(pi~_{n-1}))``,
the distance from the trained policy to the exact one-step maximiser from the
*trained* previous policy (with exact KL, no clip, and the expected weights of
``statistics``), and its PoS ``step_pos``; in sample mode with exact KL and no clip also
``drawn_tv``/``drawn_pos``, the same for the maximiser of the objective actually drawn
(:func:`sampled_step`), so ``pos - drawn_pos`` is the optimiser's shortfall alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..errors import InputError
from ..params import Params
from .core import (clipped_surrogate, expected_advantages, group_advantages, grpo_loss, kl_exact, omega_pm_group,
                   omega_pm_population)
from .policies import nonparametric_iterate, pos_from_log_probs, tv_distance

MODES = ("sample", "expectation")
STATISTICS = ("group", "population")
OPTIMIZERS = ("adam", "sgd", "lbfgs")
KLS = ("exact", "k3")
REDUCTIONS = (None, "mean", "sum")

#: the keys of :meth:`GRPOConfig.as_dict`, in the order of the ``config`` of a simulate report
CONFIG_KEYS = ("beta", "alpha", "norm", "eps", "group_size", "convention", "mode", "statistics", "clip",
               "clip_high", "inner_steps", "optimizer", "lr", "lr_final", "kl", "reduction", "lbfgs_max_iter",
               "diagnostics")


def _one_of(value, allowed, name: str) -> None:
    """:class:`InputError` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise InputError(f"{name} must be one of {', '.join(map(str, allowed))}, got {value!r}")


@dataclass(frozen=True)
class GRPOConfig:
    """The optimisation settings of Algorithm 1 for the variant ``params`` (module docstring).

    The variant -- ``norm``, ``beta``, ``alpha``, ``eps``, the group size ``G`` and its
    ``convention``, ``clip`` and ``clip_high`` (the ratio range ``[1 - clip, 1 + clip_high]``)
    -- lives in ``params`` (:class:`~grpo_symbolic.params.Params`,
    validated there) and nowhere else; the read-only properties of the same names are its
    float views for torch.  Stored here are only training options: ``mode``, ``statistics``
    (weights of expectation mode and of the ``step_tv`` target), the optimiser and its
    settings (``lr_final``: anneal Adam/SGD's learning rate geometrically from ``lr`` to it
    over the inner steps of each iteration, with a fresh optimiser per iteration), the KL
    estimator, ``reduction`` (``None``: the policy's
    ``prompt_reduction``) and ``diagnostics``.  ``p_ref``/``p0`` of ``params`` are not used
    (each prompt has its own ``pi_ref``).  ``eps`` is the convention's smoothing (inside
    the root for ``paper``, added to the std for ``trl``); ``norm`` matters only for
    ``statistics="population"``.  Bad values raise :class:`InputError`.

    >>> P = Params.parse(beta="2", eps="1e-3", p_ref="0.5", group_size=4, clip="0.2")
    >>> cfg = GRPOConfig(P, mode="expectation")
    >>> cfg.beta, cfg.group_size, cfg.convention, cfg.clip, cfg.clip_high
    (2.0, 4, 'paper', 0.2, 0.2)
    >>> GRPOConfig(P.with_(clip_high="0.28")).clip_high   # DAPO's clip-higher
    0.28
    """

    params: Params
    mode: str = "sample"
    statistics: str = "group"
    inner_steps: int = 1
    optimizer: str = "adam"
    lr: float = 0.05
    lr_final: float | None = None
    kl: str = "exact"
    reduction: str | None = None
    lbfgs_max_iter: int = 200
    diagnostics: bool = True

    def __post_init__(self):
        self.validate()

    def validate(self) -> "GRPOConfig":
        """Check the training options (the variant is checked by :class:`Params`); returns self."""
        if not isinstance(self.params, Params):
            raise InputError(f"GRPOConfig needs a Params, got {type(self.params).__name__}")
        if self.params.group_size is None and (self.mode == "sample" or self.statistics == "group"):
            raise InputError("sample mode and group statistics need a group size (Params group_size)")
        _one_of(self.mode, MODES, "mode")
        _one_of(self.statistics, STATISTICS, "statistics")
        _one_of(self.optimizer, OPTIMIZERS, "optimizer")
        _one_of(self.kl, KLS, "kl")
        _one_of(self.reduction, REDUCTIONS, "reduction")
        if isinstance(self.inner_steps, bool) or not isinstance(self.inner_steps, int) or self.inner_steps < 1:
            raise InputError(f"inner steps must be an integer >= 1, got {self.inner_steps!r}")
        if not 0 < float(self.lr) < math.inf:  # NaN fails both
            raise InputError(f"lr must be a finite number > 0, got {self.lr!r}")
        if self.lr_final is not None:
            if self.optimizer == "lbfgs":
                raise InputError("lr_final (learning-rate annealing) applies to adam and sgd, not lbfgs")
            if not 0 < float(self.lr_final) <= float(self.lr):  # NaN fails both
                raise InputError(f"lr_final must be a number in (0, lr], got {self.lr_final!r}")
        if int(self.lbfgs_max_iter) < 1:
            raise InputError(f"lbfgs_max_iter must be >= 1, got {self.lbfgs_max_iter!r}")
        return self

    # ------------------------------------------- the variant, read from params
    @property
    def beta(self) -> float:
        return float(self.params.beta)

    @property
    def alpha(self) -> float:
        return float(self.params.alpha)

    @property
    def eps(self) -> float:
        return float(self.params.eps)

    @property
    def norm(self) -> str:
        return self.params.norm

    @property
    def group_size(self) -> int | None:
        return self.params.group_size

    @property
    def convention(self) -> str | None:
        return self.params.convention

    @property
    def clip(self) -> float | None:
        """``eps_low``: the ratio is clipped below at ``1 - clip`` (None: no clipping)."""
        return None if self.params.clip is None else float(self.params.clip)

    @property
    def clip_high(self) -> float | None:
        """``eps_high``: the ratio is clipped above at ``1 + clip_high`` (``params.clip_high``,
        which defaults to ``clip``; None without clipping)."""
        return None if self.params.clip is None else float(self.params.clip_high)

    def as_dict(self) -> dict:
        """The variant's float views and the training options, as JSON (:data:`CONFIG_KEYS`)."""
        return {k: getattr(self, k) for k in CONFIG_KEYS}


def expected_weights(p: torch.Tensor, cfg: GRPOConfig):
    """``(omega^+, omega^-)`` at PoS ``p``: finite-group or population (``cfg.statistics``)."""
    if cfg.statistics == "population":
        return omega_pm_population(p, cfg.norm, cfg.eps)
    return omega_pm_group(p, cfg.group_size, cfg.convention, cfg.eps)


def expected_objective(logp: torch.Tensor, logp_ref: torch.Tensor, logp_old: torch.Tensor,
                       success: torch.Tensor, cfg: GRPOConfig) -> torch.Tensor:
    r"""The objective an expectation-mode iteration maximises, per prompt ``(N,)``:
    ``sum_o pi_old(o) f(pi(o)/pi_old(o), Abar(o)) - beta (alpha KL(pi||pi_ref) + (1-alpha) KL(pi||pi_old))``
    with the expected advantages of ``cfg.statistics`` at ``p_old``, the clipping of ``cfg``
    (``f`` as in :func:`~.core.clipped_surrogate`) and the exact KL; all arguments ``(N, K)``.

    It is ``beta``-strongly concave in ``pi`` for the L1 norm (the surrogate is concave in
    each ``pi(o)``, clipped or not; ``KL(.||nu)`` is 1-strongly convex), so for its maximiser
    ``pi*`` and any ``pi``: ``|PoS(pi) - PoS(pi*)| <= ||pi - pi*||_1 / 2
    <= sqrt((J(pi*) - J(pi)) / (2 beta))`` -- an objective shortfall bounds the PoS error.
    """
    p_old = pos_from_log_probs(logp_old, success)
    adv = expected_advantages(success, *expected_weights(p_old, cfg))
    surr = (torch.exp(logp_old) * clipped_surrogate(torch.exp(logp - logp_old), adv, cfg.clip, cfg.clip_high)).sum(-1)
    pen = cfg.alpha * kl_exact(logp, logp_ref) if cfg.alpha > 0 else torch.zeros_like(surr)
    if cfg.alpha < 1:
        pen = pen + (1 - cfg.alpha) * kl_exact(logp, logp_old)
    return surr - cfg.beta * pen


def closed_form_step(logp_ref: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                     beta: float, alpha: float = 1.0) -> torch.Tensor:
    r"""Log-probabilities of the exact maximiser over all policies of
    ``sum_o pi(o) A(o) - beta*(alpha KL(pi||pi_ref) + (1-alpha) KL(pi||pi_old))``:
    ``pi ∝ pi_ref^alpha pi_old^(1-alpha) exp(A/beta)`` (Lemma 2 + Gibbs variational principle)."""
    return torch.log_softmax(alpha * logp_ref + (1 - alpha) * logp_old + advantages / beta, dim=-1)


def sampled_step(logp_ref: torch.Tensor, logp_old: torch.Tensor, idx: torch.Tensor, adv: torch.Tensor,
                 beta: float, alpha: float = 1.0) -> torch.Tensor:
    r"""Log-probabilities of the exact maximiser over all policies of the *drawn* objective
    ``(1/G) sum_i A_i pi(o_i)/pi_old(o_i) - beta*(alpha KL(pi||pi_ref) + (1-alpha) KL(pi||pi_old))``
    (exact KL, no clipping), for the group ``idx`` ``(N, G)`` with advantages ``adv``.

    The surrogate is linear in ``pi``: ``sum_o pi(o) Ahat(o)`` with
    ``Ahat(o) = sum_{i: o_i = o} A_i / (G pi_old(o))`` (zero for outputs not drawn), so
    the maximiser is :func:`closed_form_step` with ``Ahat`` in place of ``Abar``.  It is
    what a sample-mode iteration returns when its optimiser converges; its distance to the
    trained policy separates optimiser shortfall from the effect of sampling.

    >>> import torch
    >>> lr = torch.log(torch.tensor([[0.5, 0.5]], dtype=torch.float64))
    >>> idx = torch.tensor([[0, 0]]); adv = torch.tensor([[1.0, 1.0]], dtype=torch.float64)
    >>> sampled_step(lr, lr, idx, adv, beta=1.0).exp()   # Ahat = (2/(2*0.5), 0) = (2, 0)
    tensor([[0.8808, 0.1192]], dtype=torch.float64)
    """
    G = idx.shape[-1]
    total = torch.zeros_like(logp_old).scatter_add_(-1, idx, adv.to(logp_old.dtype))
    ahat = total / (G * torch.exp(logp_old))
    return closed_form_step(logp_ref, logp_old, ahat, beta, alpha)


def make_optimizer(policy, cfg: GRPOConfig):
    """Adam / SGD (``lr``) or L-BFGS (``lr``, ``lbfgs_max_iter``, strong-Wolfe line search)."""
    params = [p for p in policy.parameters() if p.requires_grad]
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr)
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr)
    return torch.optim.LBFGS(params, lr=cfg.lr, max_iter=cfg.lbfgs_max_iter, history_size=50,
                             tolerance_grad=1e-13, tolerance_change=1e-16, line_search_fn="strong_wolfe")


def grpo_iteration(policy, cfg: GRPOConfig, optimizer=None, generator: torch.Generator | None = None) -> dict:
    """One iteration of Algorithm 1 on ``policy`` (in place); returns a record of
    ``(N,)`` tensors: ``p_old``, ``pos`` (exact PoS after the iteration),
    ``sample_success`` (``k/G``, sample mode), ``degenerate`` (all-equal groups, sample
    mode), ``step_tv``/``step_pos`` and ``drawn_tv``/``drawn_pos`` (diagnostics), and scalars ``loss``, ``surrogate``,
    ``kl_ref``, ``kl_prev``, ``clip_frac`` from the last optimiser step."""
    if optimizer is None:
        optimizer = make_optimizer(policy, cfg)
    reduction = cfg.reduction or getattr(policy, "prompt_reduction", "mean")
    need_all = cfg.kl == "exact" or cfg.mode == "expectation"
    success = policy.success
    with torch.no_grad():
        logp_all_old = policy.log_probs_all().detach()
        ref_all = policy.ref_log_probs_all()
        p_old = pos_from_log_probs(logp_all_old, success)
    rec: dict = {"p_old": p_old}
    if cfg.mode == "sample":
        idx = policy.sample(int(cfg.group_size), generator, logp_all=logp_all_old)
        rewards = success.gather(-1, idx).to(logp_all_old.dtype)
        adv = group_advantages(rewards, cfg.convention, cfg.eps)
        logp_old_s = logp_all_old.gather(-1, idx)
        logp_ref_s = ref_all.gather(-1, idx)
        weights = None
        rec["sample_success"] = rewards.mean(-1)
        rec["degenerate"] = (rewards == rewards[:, :1]).all(-1).to(rewards.dtype)
    else:
        idx = None
        adv = expected_advantages(success, *expected_weights(p_old, cfg))
        logp_old_s, logp_ref_s = logp_all_old, ref_all
        weights = torch.exp(logp_all_old)

    anchor = None
    if cfg.kl == "exact" and 0 < cfg.alpha < 1:
        anchor = cfg.alpha * ref_all + (1 - cfg.alpha) * logp_all_old  # fixed during the inner steps
    last: dict = {}

    def closure():
        optimizer.zero_grad(set_to_none=True)
        logp_all = policy.log_probs_all() if need_all else None
        if idx is None:
            logp_s = logp_all
        elif logp_all is not None:
            logp_s = logp_all.gather(-1, idx)
        else:
            logp_s = policy.log_probs_at(idx)
        loss, st = grpo_loss(logp_s, logp_old_s, adv, beta=cfg.beta, alpha=cfg.alpha, clip=cfg.clip,
                             clip_high=cfg.clip_high, kl=cfg.kl, logp_ref=logp_ref_s, logp_all=logp_all,
                             logp_all_ref=ref_all, logp_all_old=logp_all_old, sample_weights=weights,
                             reduction=reduction, kl_anchor=anchor)
        loss.backward()
        last["loss"], last["stats"] = loss.detach(), st
        return loss

    steps = int(cfg.inner_steps)
    for k in range(steps):
        if cfg.lr_final is not None:  # geometric annealing: lr at step 0, lr_final at the last step
            for group in optimizer.param_groups:
                group["lr"] = cfg.lr * (cfg.lr_final / cfg.lr) ** (k / max(1, steps - 1))
        optimizer.step(closure)

    with torch.no_grad():
        logp_new = policy.log_probs_all()
        rec["pos"] = pos_from_log_probs(logp_new, success)
        if cfg.diagnostics:
            target = closed_form_step(ref_all, logp_all_old,
                                      expected_advantages(success, *expected_weights(p_old, cfg)),
                                      cfg.beta, cfg.alpha)
            rec["step_tv"] = tv_distance(logp_new, target)
            rec["step_pos"] = pos_from_log_probs(target, success)
            if idx is not None and cfg.kl == "exact" and cfg.clip is None:
                drawn = sampled_step(ref_all, logp_all_old, idx, adv, cfg.beta, cfg.alpha)
                rec["drawn_tv"] = tv_distance(logp_new, drawn)
                rec["drawn_pos"] = pos_from_log_probs(drawn, success)
    rec["loss"] = last["loss"]
    rec.update(last["stats"])
    return rec


def train(policy, cfg: GRPOConfig, iterations: int, *, generator: torch.Generator | None = None,
          targets: dict | None = None, callback=None, step_law=None) -> dict:
    """Run ``iterations`` iterations of :func:`grpo_iteration`; returns CPU float64 arrays.

    * ``pos``: ``(M+1, N)`` exact PoS, row 0 = the initial policy (``pi_ref``);
    * ``p_old``, ``sample_success``, ``degenerate``, ``step_tv``, ``step_pos``: ``(M, N)``;
    * ``loss``, ``surrogate``, ``kl_ref``, ``kl_prev``, ``clip_frac``: ``(M,)``;
    * for each ``name -> (M+1, N)`` predicted PoS trajectory in ``targets``:
      ``tv_<name>`` ``(M+1, N)`` = ``TV(pi~_n, pi_n)`` with ``pi_n`` the non-parametric
      iterate of :func:`~.policies.nonparametric_iterate` having that PoS.

    Adam/SGD keep one optimiser for the whole run (as real trainers do); L-BFGS, and
    Adam/SGD with ``lr_final`` (annealing to the maximiser of each iteration's objective), get
    a fresh one per iteration (its curvature history or moments belong to one objective).
    ``callback(n, record)`` is called after each iteration.  ``step_law(logp_old)``, if
    given, is called before each iteration with the policy's current log-probabilities and
    returns ``(mean, var)`` ``(N,)`` tensors, recorded as ``law_mean``/``law_var`` ``(M, N)``
    (e.g. :func:`sampled_argmax_pos_moments`: the conditional law of the next iterate).
    """
    optimizer = None if cfg.optimizer == "lbfgs" or cfg.lr_final is not None else make_optimizer(policy, cfg)
    success = policy.success
    ref_all = policy.ref_log_probs_all()
    with torch.no_grad():
        logp0 = policy.log_probs_all()
        p_ref = pos_from_log_probs(ref_all, success)
    out: dict = {"pos": [pos_from_log_probs(logp0, success).detach()]}
    tgt = {k: torch.as_tensor(v, dtype=ref_all.dtype, device=ref_all.device) for k, v in (targets or {}).items()}
    for name, traj in tgt.items():
        out[f"tv_{name}"] = [tv_distance(logp0, nonparametric_iterate(ref_all, success, p_ref, traj[0]))]
    for n in range(1, iterations + 1):
        if step_law is not None:
            with torch.no_grad():
                mean, var = step_law(policy.log_probs_all().detach())
            out.setdefault("law_mean", []).append(mean)
            out.setdefault("law_var", []).append(var)
        rec = grpo_iteration(policy, cfg, optimizer, generator)
        out["pos"].append(rec.pop("pos"))
        if tgt:
            with torch.no_grad():
                logp = policy.log_probs_all()
                for name, traj in tgt.items():
                    out[f"tv_{name}"].append(tv_distance(logp, nonparametric_iterate(ref_all, success, p_ref, traj[n])))
        for k, v in rec.items():
            out.setdefault(k, []).append(v.detach() if torch.is_tensor(v) else torch.tensor(v))
        if callback is not None:
            callback(n, rec)
    return {k: torch.stack(v).to("cpu", torch.float64) for k, v in out.items()}


def compositions(G: int, K: int, limit: int = 500_000) -> torch.Tensor:
    """All count vectors ``n`` in ``N^K`` with ``sum n = G`` (stars and bars), ``(C, K)`` int64."""
    import itertools

    C = math.comb(G + K - 1, K - 1)
    if C > limit:
        raise ValueError(f"{C} compositions of G={G} into K={K} parts (limit {limit})")
    rows = []
    for bars in itertools.combinations(range(G + K - 1), K - 1):
        prev, row = -1, []
        for b in bars:
            row.append(b - prev - 1)
            prev = b
        row.append(G + K - 1 - prev - 1)
        rows.append(row)
    return torch.tensor(rows, dtype=torch.int64)


def sampled_argmax_pos_moments(logp_old: torch.Tensor, logp_ref: torch.Tensor, success: torch.Tensor, *,
                               G: int, convention: str, eps: float, beta: float, alpha: float = 1.0):
    r"""Exact mean and variance, over the sampled group, of the PoS of the maximiser of the
    *sampled* objective (exact KL, no clipping) -- what one fully converged sample-mode
    iteration returns.

    Given counts ``n_o`` of each output among the ``G`` samples (``n ~ Mult(G, pi_old)``),
    the sampled surrogate is ``sum_o pi(o) Ahat(o)`` with
    ``Ahat(o) = n_o a(r(o), k) / (G pi_old(o))`` (``k`` = successes in the group), so the
    maximiser is ``pi ∝ pi_ref^alpha pi_old^(1-alpha) exp(Ahat/beta)``.  Enumerates all
    ``C(G+K-1, K-1)`` count vectors; returns ``(mean, var)`` per prompt.  Since PoS is a
    convex-then-concave function of ``Ahat``, ``mean`` differs from the finite-group
    recurrence (which uses ``E Ahat = Abar``): the *Jensen bias* of sampled GRPO.
    """
    N, K = logp_old.shape
    comp = compositions(G, K).to(logp_old.device)                      # (C, K)
    nf = comp.to(logp_old.dtype)
    logcoef = math.lgamma(G + 1) - torch.lgamma(nf + 1).sum(-1)         # (C,)
    R = (torch.arange(G, device=nf.device)[None, :] < torch.arange(G + 1, device=nf.device)[:, None]).to(nf.dtype)
    A = group_advantages(R, convention, eps)                            # row k: k successes first
    a_succ, a_fail = A[:, 0], A[:, G - 1]                               # valid for k >= 1 / k <= G-1
    per = max(1, 4_000_000 // (comp.shape[0] * K))                      # prompts per chunk (memory)
    means, vars_ = [], []
    for s in range(0, N, per):
        lo, lr, sc = logp_old[s:s + per], logp_ref[s:s + per], success[s:s + per]
        logprob = logcoef[None, :] + (nf[None] * lo[:, None, :]).sum(-1)  # (n, C)
        ki = (nf[None] * sc[:, None, :].to(nf.dtype)).sum(-1).long()      # successes in the group
        adv = torch.where(sc[:, None, :], a_succ[ki][..., None], a_fail[ki][..., None])  # (n, C, K)
        ahat = nf[None] * adv / (G * torch.exp(lo)[:, None, :])
        logp_new = closed_form_step(lr[:, None, :], lo[:, None, :], ahat, beta, alpha)  # (n, C, K)
        pos = pos_from_log_probs(logp_new, sc[:, None, :].expand_as(logp_new))
        w = torch.exp(logprob)
        m = (w * pos).sum(-1)
        means.append(m)
        vars_.append((w * pos * pos).sum(-1) - m ** 2)
    mean, var = torch.cat(means), torch.cat(vars_)
    return mean, var.clamp_min(0)
