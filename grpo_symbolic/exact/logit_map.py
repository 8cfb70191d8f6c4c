r"""The PoS iteration map in log-odds.

From :math:`\pi_0 = \pi_{ref}`, the optimal policy of the general objective
``E_pi[A] - alpha*beta*KL(pi||pi_ref) - (1-alpha)*beta*KL(pi||pi_{n-1})`` keeps
``pi_ref``'s conditional laws on successes and on failures (see
:mod:`grpo_symbolic.symbolic.recurrence`), and its PoS obeys

.. math::  L_n = g(L_{n-1}),\qquad
           g(L) = \alpha L_{ref} + (1-\alpha) L + \Omega(L)/\beta,

with ``L = logit(p)``.  ``alpha = 1`` gives the paper's ``h_{eps,p_ref}``
(Thm. 2 / Prop. 1), ``alpha = 0`` its mirror map (Thm. 4).  Fixed points are the
zeros of

.. math::  G(L) = g(L) - L = \alpha(L_{ref} - L) + \Omega(L)/\beta .

Because ``p = sigmoid(L)`` is increasing, the slope of the map in ``p`` at a fixed
point equals ``g'(L*)``, and the multiplier of a cycle is the product of ``g'``
over its points; stability is ``|slope| < 1`` in both coordinates.

>>> from grpo_symbolic.params import Params
>>> import mpmath as mp
>>> m = LogitMap(Params.parse(norm="mean", beta="2", alpha="1", p_ref="0.5"))
>>> mp.nstr(m.g_mp(mp.mpf(0)), 5)        # logit p_1 = logit p_ref + 1/beta
'0.5'
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import numpy as np
from flint import arb

from .arbutil import to_arb
from .weights import Weights, weights_for


def mp_fraction(x: Fraction):
    """A Fraction as an mpmath number at the current precision."""
    return mp.mpf(x.numerator) / x.denominator


def logit_of_fraction_mp(p: Fraction):
    """``log(p/(1-p))`` for an exact rational ``p`` in (0,1), accurate to the
    working precision however close ``p`` is to 0 or 1."""
    a, b = p.numerator, p.denominator - p.numerator
    return mp.log(mp.mpf(a)) - mp.log(mp.mpf(b))


def logit_of_fraction_arb(p: Fraction) -> arb:
    """Rigorous enclosure of ``logit(p)`` for an exact rational ``p``."""
    a, b = p.numerator, p.denominator - p.numerator
    return arb(a).log() - arb(b).log()


def sigmoid_mp(L):
    """``1/(1+e^{-L})`` (mpmath handles any exponent, so no overflow)."""
    return 1 / (1 + mp.exp(-L))


class LogitMap:
    """The map ``g`` and the fixed-point function ``G = g - id`` of one variant."""

    def __init__(self, params, weights: Weights | None = None):
        self.params = params
        self.weights = weights if weights is not None else weights_for(params)
        self.alpha = Fraction(params.alpha)
        self.beta = Fraction(params.beta)
        self._lref_mp_cache: dict[int, object] = {}
        self._arb_cache: dict[int, tuple] = {}

    # ------------------------------------------------------------ constants
    def L_ref_mp(self):
        key = mp.mp.prec
        if key not in self._lref_mp_cache:
            self._lref_mp_cache[key] = logit_of_fraction_mp(self.params.p_ref)
        return self._lref_mp_cache[key]

    def L_ref_arb(self) -> arb:
        return self._consts()[4]

    def _consts(self):
        """Arb constants at the current precision: (alpha, 1 - alpha, 1/beta, alpha*L_ref, L_ref).

        ``1 - alpha`` is rounded from the exact Fraction, not computed as ``1 - arb(alpha)``:
        the latter has an *absolute* error ``2^-prec``, which swamps ``1 - alpha = 1e-40``."""
        import flint

        key = flint.ctx.prec
        c = self._arb_cache.get(key)
        if c is None:
            a = to_arb(self.alpha)
            L_ref = logit_of_fraction_arb(self.params.p_ref)
            c = (a, to_arb(1 - self.alpha), 1 / to_arb(self.beta), a * L_ref, L_ref)
            self._arb_cache[key] = c
        return c

    def L_start_mp(self):
        return logit_of_fraction_mp(self.params.start)

    def L_start_arb(self) -> arb:
        return logit_of_fraction_arb(self.params.start)

    # --------------------------------------------------------------- mpmath
    def g_mp(self, L):
        a, b = mp_fraction(self.alpha), mp_fraction(self.beta)
        return a * self.L_ref_mp() + (1 - a) * L + self.weights.omega_mp(L) / b

    def dg_mp(self, L):
        a, b = mp_fraction(self.alpha), mp_fraction(self.beta)
        return (1 - a) + self.weights.domega_mp(L) / b

    def G_mp(self, L):
        a, b = mp_fraction(self.alpha), mp_fraction(self.beta)
        return a * (self.L_ref_mp() - L) + self.weights.omega_mp(L) / b

    def dG_mp(self, L):
        a, b = mp_fraction(self.alpha), mp_fraction(self.beta)
        return -a + self.weights.domega_mp(L) / b

    # ------------------------------------------------------------------ Arb
    def g_arb(self, X: arb, L_ref: arb | None = None) -> arb:
        """Enclosure of ``g`` over the ball ``X`` (``L_ref`` argument kept for callers
        that hold it; the cached constant is used)."""
        a, one_minus_a, inv_b, aL, _ = self._consts()
        return aL + one_minus_a * X + self.weights.omega_arb(X) * inv_b

    def g_arb_tight(self, X: arb) -> arb:
        """Enclosure of ``g`` over ``X``: natural extension intersected with the
        mean-value form ``g(c) + g'(X)(X - c)`` (tight on small intervals, where the
        natural extension counts the dependency between ``(1-alpha)L`` and ``Omega(L)``
        twice)."""
        natural = self.g_arb(X)
        if X.rad() == 0:
            return natural
        c = X.mid()
        mvf = self.g_arb(c) + self.dg_arb(X) * (X - c)
        return natural.intersection(mvf) if natural.overlaps(mvf) else natural

    def dg_arb(self, X: arb) -> arb:
        a, one_minus_a, inv_b, aL, _ = self._consts()
        return one_minus_a + self.weights.domega_arb(X) * inv_b

    def dG_arb(self, X: arb) -> arb:
        a, one_minus_a, inv_b, aL, _ = self._consts()
        return self.weights.domega_arb(X) * inv_b - a

    def G_arb(self, X: arb, L_ref: arb | None = None, dG: arb | None = None) -> arb:
        """Enclosure of ``G`` over the ball ``X``: the natural extension, intersected
        with the mean-value form ``G(c) + G'(X)(X - c)`` when ``X`` is wide
        (``dG``, an enclosure of ``G'`` over ``X``, may be passed in)."""
        a, one_minus_a, inv_b, aL, _ = self._consts()
        natural = aL - a * X + self.weights.omega_arb(X) * inv_b
        if X.rad() == 0:
            return natural
        c = X.mid()
        Gc = aL - a * c + self.weights.omega_arb(c) * inv_b
        mvf = Gc + (self.dG_arb(X) if dG is None else dG) * (X - c)
        both = natural.intersection(mvf) if natural.overlaps(mvf) else natural
        return both

    # ---------------------------------------------------------------- NumPy
    def g_np(self, L):
        a, b = float(self.alpha), float(self.beta)
        Lr = float(logit_of_fraction_mp(self.params.p_ref))
        return a * Lr + (1 - a) * np.asarray(L, float) + self.weights.omega_np(L) / b

    def dg_np(self, L):
        a, b = float(self.alpha), float(self.beta)
        return (1 - a) + self.weights.domega_np(L) / b
