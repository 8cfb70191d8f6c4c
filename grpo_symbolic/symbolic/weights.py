r"""Derivation 1: the advantage weights :math:`\omega^\pm` and their sum :math:`\Omega`.

The reward is Bernoulli: ``r = 1`` with probability ``p`` (the PoS of the old
policy), so ``mu = E r = p`` and ``sigma^2 = E (r - mu)^2 = p(1 - p)``.

* ``norm="std"`` (mean+variance, eps inside the root, paper eq. (4)):
  ``A = (r - mu)/sqrt(sigma^2 + eps)`` gives

  .. math:: \omega^+ = \frac{1-p}{\sqrt{p(1-p)+\varepsilon}},\quad
            \omega^- = \frac{p}{\sqrt{p(1-p)+\varepsilon}},\quad
            \Omega = \omega^+ + \omega^- = (p(1-p)+\varepsilon)^{-1/2};

  at ``eps = 0``: ``omega_plus = sqrt((1-p)/p)``, ``omega_minus = sqrt(p/(1-p))``
  (paper eq. (3)).
* ``norm="mean"`` (Dr. GRPO): ``A = r - mu`` gives ``omega_plus = 1 - p``,
  ``omega_minus = p``, ``Omega = 1``.

The derivation also derives the signs (``omega_plus, omega_minus > 0``) and the
derivatives in ``p`` (``omega_plus`` decreasing, ``omega_minus`` increasing:
the "calibration" of §2.1) and ``dOmega/dp``, reused by the stability derivation.

>>> d = weights("std")
>>> d.check().ok
True
>>> import sympy as sp
>>> d.result["Omega"] == 1 / sp.sqrt(p*(1 - p) + eps)
True
>>> weights("mean").result["Omega"]
1
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .derivation import Derivation, Step
from .rewrites import CANCEL, EXPAND, FACTOR, TOGETHER, inside
from .symbols import ODDS, eps, eps_pos, mu, p, r, sigma2

__all__ = ["weights", "NORMS", "advantage_formula"]

NORMS = ("std", "mean")
_POS = "p in (0,1): 1-p > 0 via the odds p = u/(1+u), u > 0"


def advantage_formula(norm: str):
    """The advantage as a function of ``r, mu, sigma2`` (and ``eps``)."""
    if norm == "std":
        return (r - mu) / sp.sqrt(sigma2 + eps)
    if norm == "mean":
        return r - mu
    raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")


@lru_cache(maxsize=None)
def weights(norm: str = "std") -> Derivation:
    """Derive ``omega_plus``, ``omega_minus`` and ``Omega`` for ``norm``.

    ``result`` keys: ``A_success``, ``A_failure``, ``omega_plus``, ``omega_minus``,
    ``Omega``, ``domega_plus_dp``, ``domega_minus_dp``, ``dOmega_dp`` (all in ``p``
    and ``eps``); for ``norm="std"`` also ``omega_plus_eps0``, ``omega_minus_eps0``.
    """
    A = advantage_formula(norm)
    bern = {mu: p, sigma2: p * (1 - p)}
    steps = [
        Step("bernoulli_mean", "The mean of the Bernoulli reward is E r = 1*p + 0*(1-p) = p.",
             sp.Add(sp.Mul(1, p, evaluate=False), sp.Mul(0, 1 - p, evaluate=False), evaluate=False),
             p, route=()),
        Step("bernoulli_variance",
             "Its variance is E(r-p)^2 = p(1-p)^2 + (1-p)p^2 = p(1-p).",
             p * (1 - p) ** 2 + (1 - p) * p ** 2, p * (1 - p), route=(EXPAND,)),
    ]
    if norm == "std":
        root = sp.sqrt(p * (1 - p) + eps)
        wp, wm = (1 - p) / root, p / root
        Om = 1 / root
        dwp = -(1 - p + 2 * eps) / (2 * (p * (1 - p) + eps) ** sp.Rational(3, 2))
        dwm = (p + 2 * eps) / (2 * (p * (1 - p) + eps) ** sp.Rational(3, 2))
        dOm = -(1 - 2 * p) / (2 * (p * (1 - p) + eps) ** sp.Rational(3, 2))
    else:
        wp, wm, Om = 1 - p, p, sp.Integer(1)
        dwp, dwm, dOm = sp.Integer(-1), sp.Integer(1), sp.Integer(0)
    steps += [
        Step("advantage_success", "A success (r=1) gets the advantage A = +omega_plus(p).",
             A, wp, subs={**bern, r: 1}, assumptions=("r = 1", "mu = p, sigma^2 = p(1-p)")),
        Step("advantage_failure", "A failure (r=0) gets the advantage A = -omega_minus(p).",
             A, -wm, subs={**bern, r: 0}, assumptions=("r = 0", "mu = p, sigma^2 = p(1-p)")),
        Step("Omega", "The weights add up to Omega(p), free of the split between success and failure.",
             sp.Add(wp, wm, evaluate=False), Om, route=(TOGETHER, CANCEL)),
        Step("omega_plus_positive", "omega_plus(p) > 0 on (0,1).", wp, 0, ">",
             subs=ODDS, route=(inside(TOGETHER, "pow"), FACTOR), assumptions=(_POS,)),
        Step("omega_minus_positive", "omega_minus(p) > 0 on (0,1).", wm, 0, ">",
             subs=ODDS, route=(inside(TOGETHER, "pow"), FACTOR), assumptions=(_POS,)),
        Step("Omega_positive", "Omega(p) > 0 on (0,1).", Om, 0, ">",
             subs=ODDS, route=(inside(TOGETHER, "pow"), FACTOR), assumptions=(_POS,)),
        Step("domega_plus_dp", "Differentiating omega_plus in p.", sp.diff(wp, p), dwp,
             route=(TOGETHER, CANCEL)),
        Step("domega_minus_dp", "Differentiating omega_minus in p.", sp.diff(wm, p), dwm,
             route=(TOGETHER, CANCEL)),
        Step("dOmega_dp", "Differentiating Omega in p.", sp.diff(Om, p), dOm,
             route=(TOGETHER, CANCEL)),
        Step("omega_plus_decreasing", "Rare successes earn more: d omega_plus/dp < 0.", dwp, 0, "<",
             subs=ODDS, route=(inside(TOGETHER, "pow"), FACTOR), assumptions=(_POS,)),
        Step("omega_minus_increasing", "Likely failures cost more: d omega_minus/dp > 0.", dwm, 0, ">",
             subs=ODDS, route=(inside(TOGETHER, "pow"), FACTOR), assumptions=(_POS,)),
    ]
    result = {"A_success": wp, "A_failure": -wm, "omega_plus": wp, "omega_minus": wm,
              "Omega": Om, "domega_plus_dp": dwp, "domega_minus_dp": dwm, "dOmega_dp": dOm}
    if norm == "std":
        wp0, wm0 = sp.sqrt((1 - p) / p), sp.sqrt(p / (1 - p))
        steps += [
            Step("omega_plus_eps0", "Without smoothing (eps=0) omega_plus = sqrt((1-p)/p) (eq. (3)).",
                 wp.subs(eps, 0), wp0, subs=ODDS, route=(inside(TOGETHER, "pow"), CANCEL),
                 assumptions=("eps = 0", _POS)),
            Step("omega_minus_eps0", "Without smoothing (eps=0) omega_minus = sqrt(p/(1-p)) (eq. (3)).",
                 wm.subs(eps, 0), wm0, subs=ODDS, route=(inside(TOGETHER, "pow"), CANCEL),
                 assumptions=("eps = 0", _POS)),
        ]
        steps += [
            Step("Omega_at_0", "With eps > 0 the weights extend continuously to p = 0: Omega(0) = eps^(-1/2) "
                 "(finite; at eps = 0 it blows up, cf. Remark 1).", Om.xreplace({eps: eps_pos, p: 0}),
                 1 / sp.sqrt(eps_pos), assumptions=("eps > 0",)),
            Step("Omega_at_1", "Likewise Omega(1) = eps^(-1/2).", Om.xreplace({eps: eps_pos, p: 1}),
                 1 / sp.sqrt(eps_pos), assumptions=("eps > 0",)),
        ]
        result.update(omega_plus_eps0=wp0, omega_minus_eps0=wm0)
    label = "mean+variance (std)" if norm == "std" else "mean-only (Dr. GRPO)"
    hyp = ["binary reward r in {0,1}, P(r=1) = p in (0,1) under the old policy",
           "A = (r - mu)/sqrt(sigma^2 + eps), eps >= 0 inside the root" if norm == "std"
           else "A = r - mu (no division by the standard deviation)"]
    return Derivation(f"weights[{norm}]", f"Advantage weights, {label} normalisation",
                      hyp, steps, result)
