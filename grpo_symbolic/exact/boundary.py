r"""Fixed points of the PoS map on the boundary ``p in {0, 1}``.

The map ``h(p) = sigmoid(g(logit p))`` extends continuously to ``p = 0`` and
``p = 1`` through the limits of ``g(L) = alpha L_ref + (1-alpha) L + Omega(L)/beta``
as ``L -> -inf`` and ``L -> +inf``:

* ``p = 1`` is fixed iff ``g(L) -> +inf``: iff ``alpha < 1`` or Omega is unbounded
  (``eps = 0``);
* ``p = 0`` is fixed iff ``g(L) -> -inf``: iff ``alpha < 1`` and Omega has a finite
  limit at ``-inf``.

Slopes in ``p``: near 1, ``(1-h(p))/(1-p) -> exp(-lim G(L))`` and near 0,
``h(p)/p -> exp(lim G(L))``, with ``G = g - id = alpha(L_ref - L) + Omega/beta``:

=================  ==========================  ==========================
case               slope at p = 1              slope at p = 0
=================  ==========================  ==========================
alpha > 0, Omega   +inf (repelling)            +inf (repelling)
bounded
alpha > 0, eps=0   0 (super-attracting)        (not fixed)
alpha = 0          exp(-Omega(+inf)/beta)      exp(Omega(-inf)/beta)
=================  ==========================  ==========================
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp

from .arbutil import arb_prec, to_arb


@dataclass
class BoundaryFixedPoint:
    p: int  # 0 or 1
    slope: object  # mpf, or mp.inf
    stable: bool | None  # None for a neutral (slope exactly 1) point
    reason: str


def boundary_fixed_points(m, digits: int = 30) -> list[BoundaryFixedPoint]:
    w = m.weights
    alpha, beta = m.alpha, m.beta
    out = []
    lim_pos, lim_neg = w.limit(+1), w.limit(-1)
    bits = int(3.33 * (digits + 10)) + 32
    with mp.workdps(digits + 10), arb_prec(bits):
        # p = 1
        if alpha < 1 or lim_pos[0] == "inf":
            if lim_pos[0] == "inf":
                slope, stable = mp.mpf(0), True
                why = "Omega -> inf as p -> 1, so G -> +inf and (1-h)/(1-p) -> 0"
            elif alpha > 0:
                slope, stable = mp.inf, False
                why = "alpha > 0 and Omega bounded: G -> -inf, (1-h)/(1-p) -> inf"
            else:
                lim = lim_pos[1] / to_arb(beta)
                slope = mp.exp(-mp.mpf(lim.mid().str(digits + 5, radius=False)))
                stable = True if lim > 0 else None
                why = "mirror: G -> Omega(+inf)/beta, (1-h)/(1-p) -> exp(-Omega(+inf)/beta)"
            out.append(BoundaryFixedPoint(1, slope, stable, why))
        # p = 0
        if alpha < 1 and lim_neg[0] == "finite":
            if alpha > 0:
                slope, stable = mp.inf, False
                why = "alpha > 0: G -> +inf as p -> 0, h(p)/p -> inf"
            else:
                lim = lim_neg[1] / to_arb(beta)
                slope = mp.exp(mp.mpf(lim.mid().str(digits + 5, radius=False)))
                stable = False if lim > 0 else None
                why = "mirror: G -> Omega(-inf)/beta, h(p)/p -> exp(Omega(-inf)/beta)"
            out.append(BoundaryFixedPoint(0, slope, stable, why))
    out.sort(key=lambda b: b.p)
    return out
