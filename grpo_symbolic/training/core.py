r"""The maths of one GRPO step, as small separately tested functions.

Notation (paper §0 and App. B): a prompt ``q`` has ``G`` sampled outputs
``o_1..o_G ~ pi_old(.|q)`` with binary rewards ``r_i``; ``p_hat = k/G`` with
``k = sum_i r_i``.  Tensors carry prompts on the first axis and samples (or, in
expectation mode, every output of the finite output set) on the last axis.

Advantage conventions (:func:`group_advantages`), for a group with mean ``m`` and
``G`` rewards:

* ``"paper"`` (eq. (4) with group statistics):
  ``A_i = (r_i - m) / sqrt(v + eps)`` with the population (``1/G``) variance
  ``v = mean((r - m)^2)``; for binary rewards ``v = p_hat(1 - p_hat)``;
* ``"trl"`` (Hugging Face TRL ``GRPOTrainer``, ``scale_rewards="group"``):
  ``A_i = (r_i - m) / (s + eps)`` with the Bessel sample standard deviation
  ``s = sqrt(sum (r - m)^2 / (G - 1))``; TRL's default eps is ``1e-4``;
* ``"mean"`` (Dr. GRPO, eq. (13) with group statistics): ``A_i = r_i - m``.

A *degenerate* group (all rewards equal) gets advantage 0 in every convention.

Expected advantages.  The sampled surrogate ``(1/G) sum_i rho(o_i) A_i`` with
``rho = pi_theta/pi_old`` has expectation ``sum_o pi_theta(o) Abar(o)`` where
``Abar(o) = E[A_i | o_i = o]`` depends on ``o`` only through its reward:
``Abar = +omega^+_G(p)`` on successes and ``-omega^-_G(p)`` on failures
(:func:`omega_pm_group`), with ``p`` the PoS of ``pi_old``.  Given ``r_i = 1`` the
other ``G-1`` rewards are i.i.d. Bernoulli(``p``), so with ``j ~ Bin(G-1, p)``

.. math::  \omega^+_G(p) = \mathbb E_j\,a_S(j+1),\qquad
           \omega^-_G(p) = -\mathbb E_j\,a_F(j),

where ``a_S(k)`` (``a_F(k)``) is the advantage of a success (failure) in a group
with ``k`` successes.  As ``G -> infinity`` these tend to the population weights
(:func:`omega_pm_population`): ``omega^+ = (1-p)/sqrt(p(1-p)+eps)``,
``omega^- = p/sqrt(p(1-p)+eps)`` (norm ``std``) or ``(1-p, p)`` (norm ``mean``).
The PoS recurrence only sees ``Omega = omega^+ + omega^-``; for the ``mean``
convention ``Omega_G = (G-1)/G`` exactly.  Both weight functions are the kernel's
(:class:`~grpo_symbolic.exact.group_weights.GroupWeights`,
:class:`~grpo_symbolic.exact.weights.StdWeights`, :class:`~grpo_symbolic.exact.weights.MeanWeights`)
evaluated on tensors at ``L = logit p``: exact binomial sums in Bernstein form, differentiable,
on any dtype and device.

KL.  :func:`kl_exact` is the sequence-level ``KL(pi||nu) = sum_o pi(o) log(pi(o)/nu(o))``
from full distributions; :func:`kl_k3` is Schulman's per-sample estimator
``k3 = exp(d) - d - 1`` with ``d = log nu(o) - log pi(o)``, unbiased for
``KL(pi||nu)`` when ``o ~ pi``.

The loss (:func:`grpo_loss`) of Algorithm 1 with the paper's mixed penalty (eq. (9)):

.. math::  \mathcal L(\theta) = -\,\mathbb E_q\sum_i w_i\, f_\epsilon(\rho_i, A_i)
           + \beta\big(\alpha\,\mathsf{KL}(\pi_\theta\|\pi_{ref})
           + (1-\alpha)\,\mathsf{KL}(\pi_\theta\|\pi_{old})\big),

``f_eps(x, y) = min(x y, clip(x, 1-eps_low, 1+eps_high) y)`` (or ``x y`` without clipping;
``eps_low = clip``, ``eps_high = clip_high``, by default ``clip``: symmetric as in TRL; DAPO's
clip-higher is ``eps_high > eps_low``),
``w_i = 1/G`` for sampled outputs, ``w_o = pi_old(o)`` in exact expectation.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import torch

from ..exact.group_weights import GROUP_CONVENTIONS as CONVENTIONS
from ..exact.group_weights import GroupWeights, binomial_log_pmf
from ..exact.weights import TORCH, MeanWeights, StdWeights


# --------------------------------------------------------------------- advantages
def group_advantages(rewards: torch.Tensor, convention: str = "paper", eps: float = 0.0) -> torch.Tensor:
    """Group-normalised advantages along the last axis (see module docstring).

    ``rewards``: float tensor ``(..., G)`` with ``G >= 2``.  Returns the same shape.
    Degenerate groups (all rewards equal, compared exactly) get 0.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    G = rewards.shape[-1]
    if G < 2:
        raise ValueError(f"group size must be >= 2, got {G}")
    if eps < 0:
        raise ValueError("eps must be >= 0")
    mean = rewards.mean(dim=-1, keepdim=True)
    centred = rewards - mean
    degenerate = (rewards == rewards[..., :1]).all(dim=-1, keepdim=True)
    if convention == "mean":
        adv = centred
    else:
        ss = (centred * centred).sum(dim=-1, keepdim=True)
        if convention == "paper":
            denom = torch.sqrt(ss / G + eps)
        else:  # trl: Bessel sample std, eps added to the std
            denom = torch.sqrt(ss / (G - 1)) + eps
        adv = centred / torch.where(denom > 0, denom, torch.ones_like(denom))
    return torch.where(degenerate, torch.zeros_like(adv), adv)


@functools.lru_cache(maxsize=64)
def _group_weights(G: int, convention: str, eps: Fraction) -> GroupWeights:
    return GroupWeights(G, convention, eps)


@functools.lru_cache(maxsize=16)
def _population_weights(norm: str, eps: Fraction):
    if norm == "mean":
        return MeanWeights()
    if norm != "std":
        raise ValueError(f"norm must be std or mean, got {norm!r}")
    return StdWeights(eps)


def binomial_pmf(n: int, p: torch.Tensor) -> torch.Tensor:
    """``P(j) = C(n,j) p^j (1-p)^(n-j)`` for ``j = 0..n``; shape ``p.shape + (n+1,)``."""
    return torch.exp(binomial_log_pmf(n, torch.logit(p), TORCH))


def omega_pm_group(p: torch.Tensor, G: int, convention: str = "paper", eps: float = 0.0):
    """Finite-group weights ``(omega^+_G(p), omega^-_G(p))`` (module docstring).

    ``omega^+_G = E[A | success]`` and ``omega^-_G = -E[A | failure]`` for one sample of
    a group of ``G`` i.i.d. Bernoulli(``p``) rewards; elementwise in ``p``.
    """
    return _group_weights(int(G), convention, Fraction(eps)).omega_pm_of_p_torch(p)


def omega_pm_population(p: torch.Tensor, norm: str = "std", eps: float = 0.0):
    """Population weights: ``((1-p), p) / sqrt(p(1-p)+eps)`` (``std``) or ``(1-p, p)`` (``mean``)."""
    return _population_weights(norm, Fraction(eps)).omega_pm_of_p_torch(p)


def expected_advantages(success: torch.Tensor, w_plus: torch.Tensor, w_minus: torch.Tensor) -> torch.Tensor:
    """``Abar(o) = +w_plus`` on successes, ``-w_minus`` on failures; ``success`` is ``(N, K)``."""
    return torch.where(success, w_plus.unsqueeze(-1), -w_minus.unsqueeze(-1))


# ---------------------------------------------------------------------- surrogate
def clipped_surrogate(ratio: torch.Tensor, advantages: torch.Tensor, clip: float | None = None,
                      clip_high: float | None = None) -> torch.Tensor:
    """``f_eps(ratio, A) = min(ratio*A, clip(ratio, 1-clip, 1+clip_high)*A)`` elementwise
    (``clip_high`` defaults to ``clip``: symmetric clipping), or ``ratio*A`` when ``clip`` is
    None (the paper's no-clip GRPO)."""
    un = ratio * advantages
    if clip is None:
        if clip_high is not None:
            raise ValueError("clip_high needs clip")
        return un
    hi = clip if clip_high is None else clip_high
    if not (0 <= clip and 0 <= hi):
        raise ValueError("clip and clip_high must be >= 0")
    return torch.minimum(un, torch.clamp(ratio, 1 - clip, 1 + hi) * advantages)


# ----------------------------------------------------------------------------- KL
def kl_exact(logp: torch.Tensor, logq: torch.Tensor) -> torch.Tensor:
    """Exact ``KL(pi||nu) = sum_o pi(o) (log pi(o) - log nu(o))`` over the last axis,
    from full log-probabilities (``0 log 0 = 0``: ``log pi = -inf`` is clamped to the most
    negative finite number, where ``pi = 0`` makes the term vanish)."""
    logp = logp.clamp_min(torch.finfo(logp.dtype).min)
    return (torch.exp(logp) * (logp - logq)).sum(-1)


def kl_k3(logp: torch.Tensor, logq: torch.Tensor) -> torch.Tensor:
    """Schulman's k3 estimator per sample: ``exp(d) - d - 1``, ``d = logq - logp``.

    ``E_{o~pi}[k3] = KL(pi||nu)`` (since ``E_pi[nu/pi] = 1``); each term is ``>= 0``.
    Computed as ``expm1(d) - d`` for accuracy near ``d = 0``.
    """
    d = logq - logp
    return torch.expm1(d) - d


# --------------------------------------------------------------------------- loss
def grpo_loss(
    logp: torch.Tensor,
    logp_old: torch.Tensor,
    advantages: torch.Tensor,
    *,
    beta: float,
    alpha: float = 1.0,
    clip: float | None = None,
    clip_high: float | None = None,
    kl: str = "exact",
    logp_ref: torch.Tensor | None = None,
    logp_all: torch.Tensor | None = None,
    logp_all_ref: torch.Tensor | None = None,
    logp_all_old: torch.Tensor | None = None,
    sample_weights: torch.Tensor | None = None,
    reduction: str = "mean",
    kl_anchor: torch.Tensor | None = None,
):
    r"""The GRPO loss of Algorithm 1 (module docstring); returns ``(loss, stats)``.

    * ``logp``, ``logp_old``, ``advantages``: ``(N, S)`` -- ``log pi_theta`` (with grad),
      ``log pi_old`` (detached) and advantages at the ``S`` outputs of each prompt;
    * ``sample_weights``: ``(N, S)`` weights ``w_i`` (default ``1/S``: the sample mean;
      ``pi_old(o)`` over all outputs gives the exact expectation);
    * ``clip``, ``clip_high``: the ratio range ``[1 - clip, 1 + clip_high]`` of
      :func:`clipped_surrogate` (``clip_high`` defaults to ``clip``; ``clip=None``: no clipping);
    * ``kl="exact"`` needs ``logp_all`` and ``logp_all_ref`` (``(N, K)``, full
      distributions) and ``logp_all_old`` when ``alpha < 1``; ``kl="k3"`` needs
      ``logp_ref`` at the samples and uses ``sum_i w_i k3_i`` for both KL terms
      (the KL to ``pi_old`` uses ``logp_old``);
    * ``reduction``: ``"mean"`` over prompts (Algorithm 1) or ``"sum"`` (same
      per-prompt gradients for any ``N`` when prompts have disjoint parameters);
    * ``kl_anchor``: optional precomputed ``alpha log pi_ref + (1-alpha) log pi_old``
      (``(N, K)``, detached) -- exact KL is evaluated in one pass as
      ``sum_o pi (log pi - anchor)`` (Lemma 2), so an iteration computes it once.

    ``stats`` holds detached scalars: ``surrogate``, ``kl_ref``, ``kl_prev`` (means over
    prompts) and ``clip_frac`` (weighted fraction of clipped terms).
    """
    if kl not in ("exact", "k3"):
        raise ValueError(f"kl must be exact or k3, got {kl!r}")
    if reduction not in ("mean", "sum"):
        raise ValueError("reduction must be mean or sum")
    alpha = float(alpha)
    if sample_weights is None:
        sample_weights = torch.full_like(logp, 1.0 / logp.shape[-1])
    ratio = torch.exp(logp - logp_old)
    surr = (sample_weights * clipped_surrogate(ratio, advantages, clip, clip_high)).sum(-1)       # (N,)
    zero = torch.zeros_like(surr)
    if kl == "exact":
        if logp_all is None or logp_all_ref is None:
            raise ValueError("kl='exact' needs logp_all and logp_all_ref")
        if alpha < 1 and logp_all_old is None:
            raise ValueError("kl='exact' with alpha < 1 needs logp_all_old")
        # one pass (Lemma 2): alpha KL(pi||ref) + (1-alpha) KL(pi||old) = sum pi (log pi - anchor)
        # with anchor = alpha log ref + (1-alpha) log old (not normalised; the identity is exact)
        if kl_anchor is not None:
            anchor = kl_anchor
        elif alpha == 1:
            anchor = logp_all_ref
        elif alpha == 0:
            anchor = logp_all_old
        else:
            anchor = alpha * logp_all_ref + (1 - alpha) * logp_all_old
        lpc = logp_all  # log_softmax of finite logits is finite (use kl_exact for -inf entries)
        p_all = torch.exp(lpc)
        kl_mix = (p_all * (lpc - anchor)).sum(-1)
        penalty = beta * kl_mix
        with torch.no_grad():  # the two KL values for the record
            if alpha == 1:
                kl_ref, kl_prev = kl_mix.detach(), zero
            elif alpha == 0:
                kl_ref, kl_prev = zero, kl_mix.detach()
            else:
                kl_ref = (p_all * (lpc - logp_all_ref)).sum(-1)
                kl_prev = (kl_mix.detach() - alpha * kl_ref) / (1 - alpha)
    else:
        if alpha > 0 and logp_ref is None:
            raise ValueError("kl='k3' needs logp_ref at the samples")
        kl_ref = (sample_weights * kl_k3(logp, logp_ref)).sum(-1) if alpha > 0 else zero
        kl_prev = (sample_weights * kl_k3(logp, logp_old)).sum(-1) if alpha < 1 else zero
        penalty = beta * (alpha * kl_ref + (1 - alpha) * kl_prev)
    per_prompt = -surr + penalty
    loss = per_prompt.mean() if reduction == "mean" else per_prompt.sum()
    with torch.no_grad():
        if clip is None:
            cf = torch.zeros((), dtype=logp.dtype, device=logp.device)
        else:
            hi = clip if clip_high is None else clip_high
            clipped = ((advantages > 0) & (ratio > 1 + hi)) | ((advantages < 0) & (ratio < 1 - clip))
            cf = (sample_weights * clipped).sum(-1).mean()
        stats = {"surrogate": surr.mean().detach(), "kl_ref": kl_ref.mean().detach(),
                 "kl_prev": kl_prev.mean().detach(), "clip_frac": cf}
    return loss, stats
