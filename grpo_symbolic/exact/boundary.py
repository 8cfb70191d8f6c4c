r"""Fixed points of the PoS map on the boundary ``p in {0, 1}``, with Arb slopes.

The map ``h(p) = sigmoid(g(logit p))`` extends continuously to ``p = 0`` and
``p = 1`` through the limits of ``g(L) = alpha L_ref + (1-alpha) L + Omega(L)/beta``
as ``L -> -inf`` and ``L -> +inf``:

* ``p = 1`` is fixed iff ``g(L) -> +inf``: iff ``alpha < 1`` or Omega is unbounded
  (``eps = 0``);
* ``p = 0`` is fixed iff ``g(L) -> -inf``: iff ``alpha < 1`` and Omega has a finite
  limit at ``-inf``.

**Slopes.**  With ``G = g - id = alpha (L_ref - L) + Omega(L)/beta`` and
``sigmoid(L) = e^L (1 + O(e^L))`` as ``L -> -inf``,

.. math::  \frac{h(p)}{p} = e^{G(L)}\,\frac{1+e^{L}}{1+e^{g(L)}} \to e^{G(-\infty)},\qquad
           \frac{1-h(p)}{1-p} \to e^{-G(+\infty)},

and since ``h(0) = 0`` (``h(1) = 1``) these limits are the one-sided derivatives
``h'(0)`` and ``h'(1)``.  So, writing ``Omega(+-inf)`` for the limits of the weights:

====================  ============================  ============================
case                  slope at p = 1                slope at p = 0
====================  ============================  ============================
0 < alpha < 1,        +inf (repelling)              +inf (repelling)
Omega bounded
alpha > 0, eps = 0    0 (super-attracting)          (not fixed)
alpha = 0, eps = 0    0 (super-attracting)          (not fixed)
alpha = 0,            exp(-Omega(+inf)/beta)        exp(Omega(-inf)/beta)
Omega bounded
alpha = 1,            (not fixed)                   (not fixed)
Omega bounded
====================  ============================  ============================

with ``Omega(+-inf)`` equal to ``eps^(-1/2)`` (mean+variance, ``eps > 0``), ``1``
(mean-only) and, for a finite group ``G`` (:mod:`~grpo_symbolic.exact.group_weights`),
``b_0 = (G-1)/(G D_1)`` with ``D_1 = sqrt((G-1)/G^2 + eps)`` ("paper"),
``G^(-1/2) + eps`` ("trl") or ``1`` ("mean").

**Rigour.**  The exponent ``x = +-Omega(-+inf)/beta`` is an Arb ball computed from the
exact parameters (Fractions) by the weights' own ``limit``; the slope is the Arb
``exp`` of that ball.  Its relative radius is about the absolute radius of ``x``, so
the precision is raised (by the size of ``x`` first, then doubled) until the slope's
relative radius is below ``10^-(digits+3)``: ``e^(1/(beta sqrt(eps)))`` may be
``1e274`` or ``e^(10^6)``, far beyond float range, and Arb's exponents never overflow.

>>> from fractions import Fraction
>>> from grpo_symbolic.params import Params
>>> from grpo_symbolic.exact.logit_map import LogitMap
>>> m = LogitMap(Params.parse(norm="std", beta="0.5", alpha="0", eps="0.00001", p_ref="0.3"))
>>> b0 = boundary_fixed_points(m, digits=20)[0]
>>> b0.p, mp.nstr(b0.slope, 20)            # exp(1/(beta sqrt(eps))) = exp(200 sqrt(10))
(0, '4.6983742908069381213e+274')
>>> b0.slope_ball.rel_accuracy_bits() > 3.33 * 23
True
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp
from flint import arb

from .arbutil import LOG2_10, arb_prec, is_rel_tight, mpf_of_arb_mid, to_arb

#: highest working precision (bits) tried for a boundary slope
MAX_SLOPE_BITS = 1 << 22


@dataclass
class BoundaryFixedPoint:
    p: int  # 0 or 1
    slope: object  # mpf (the midpoint of slope_ball), or mp.inf
    stable: bool | None  # None for a neutral (slope exactly 1) point
    reason: str
    #: Arb enclosure of the slope: ``arb.pos_inf()`` for +inf, exact 0 for 0
    slope_ball: arb | None = None


def _limit_exponent(m, side: int) -> arb:
    """``side * Omega(side' inf)/beta`` at the current Arb precision: the limit of ``G``
    that gives the slope ``exp(exponent)`` (``side = +1`` for p = 0, where the slope is
    ``exp(Omega(-inf)/beta)``; ``side = -1`` for p = 1, ``exp(-Omega(+inf)/beta)``)."""
    kind, lim = m.weights.limit(-side)
    if kind != "finite":  # pragma: no cover - callers check
        raise ValueError("Omega has no finite limit")
    return side * lim / to_arb(m.beta)


def _log2_size(x: arb) -> int:
    """An upper bound for ``log2 |x|`` (0 when ``|x| <= 1`` or ``x`` is not finite)."""
    if not x.is_finite() or x.is_zero():
        return 0
    man, exp = abs(x).upper().man_exp()
    return max(0, int(man).bit_length() + int(exp))


def exp_limit_slope(m, side: int, digits: int) -> tuple[arb, arb]:
    """``(slope, exponent)``: Arb balls for ``exp(x)``, ``x = side * Omega/beta`` at the
    matching infinity, with the slope's relative radius below ``10^-(digits+3)``.

    The relative error of ``exp(x)`` is the absolute error of ``x``, i.e. about
    ``|x| 2^-prec``: start at ``3.33 (digits + 10) + 32`` bits plus the bit size of
    ``|x|``, and double until the ball is tight (or ``MAX_SLOPE_BITS`` is reached: then
    the ball is still a rigorous enclosure, only wider)."""
    bits = int(LOG2_10 * (digits + 10)) + 32
    with arb_prec(bits):
        x = _limit_exponent(m, side)
    bits += _log2_size(x)
    while True:
        with arb_prec(bits):
            x = _limit_exponent(m, side)
            s = x.exp()
        if is_rel_tight(s, digits) or bits >= MAX_SLOPE_BITS:
            return s, x
        bits *= 2


def _mirror_point(m, p: int, digits: int) -> BoundaryFixedPoint:
    """Boundary point ``p`` of the mirror map (``alpha = 0``, Omega bounded)."""
    side = 1 if p == 0 else -1
    s, x = exp_limit_slope(m, side, digits)
    if p == 0:
        stable = False if x > 0 else (True if x < 0 else None)
        why = "mirror: G -> Omega(-inf)/beta, h(p)/p -> exp(Omega(-inf)/beta)"
    else:
        stable = True if x < 0 else (False if x > 0 else None)
        why = "mirror: G -> Omega(+inf)/beta, (1-h)/(1-p) -> exp(-Omega(+inf)/beta)"
    return BoundaryFixedPoint(p, mpf_of_arb_mid(s), stable, why, s)


def boundary_fixed_points(m, digits: int = 30) -> list[BoundaryFixedPoint]:
    """The fixed points ``p = 0`` and ``p = 1`` of the extended map, with their slopes
    (see the module docstring for the cases)."""
    w = m.weights
    alpha = m.alpha
    out = []
    pos_kind, neg_kind = w.limit(+1)[0], w.limit(-1)[0]
    # p = 1
    if alpha < 1 or pos_kind == "inf":
        if pos_kind == "inf":
            out.append(BoundaryFixedPoint(1, mp.mpf(0), True,
                                          "Omega -> inf as p -> 1, so G -> +inf and (1-h)/(1-p) -> 0",
                                          arb(0)))
        elif alpha > 0:
            out.append(BoundaryFixedPoint(1, mp.inf, False,
                                          "alpha > 0 and Omega bounded: G -> -inf, (1-h)/(1-p) -> inf",
                                          arb.pos_inf()))
        else:
            out.append(_mirror_point(m, 1, digits))
    # p = 0
    if alpha < 1 and neg_kind == "finite":
        if alpha > 0:
            out.append(BoundaryFixedPoint(0, mp.inf, False, "alpha > 0: G -> +inf as p -> 0, h(p)/p -> inf",
                                          arb.pos_inf()))
        else:
            out.append(_mirror_point(m, 0, digits))
    out.sort(key=lambda b: b.p)
    return out
