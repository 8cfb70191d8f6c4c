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

The map is written once: :func:`g_of` (and :func:`dg_of`, :func:`G_of`, :func:`dG_of`) from the
constants ``alpha L_ref``, ``1 - alpha``, ``1/beta`` and the weights of :mod:`.weights`, in any backend
(mpmath, Arb, NumPy, torch).  :class:`LogitMap` holds one exact variant; :class:`ArbMap` is the map
on Arb balls for constants that are balls -- exact parameters rounded, or whole intervals of
parameters (the claim checker) -- and also gives ``h`` and ``h'`` in PoS space.

>>> from grpo_symbolic.params import Params
>>> import mpmath as mp
>>> m = LogitMap(Params.parse(norm="mean", beta="2", alpha="1", p_ref="0.5"))
>>> mp.nstr(m.g_mp(mp.mpf(0)), 5)        # logit p_1 = logit p_ref + 1/beta
'0.5'
"""

from __future__ import annotations

import operator
from fractions import Fraction
from typing import NamedTuple

import flint
from flint import arb

from .arbutil import div, is_narrow, mul, mul_nonneg
from .weights import ARB, MP, NP, TORCH, Weights, s_arb, weights_for


def mp_fraction(x: Fraction):
    """A Fraction as an mpmath number at the current precision."""
    return MP.num(x)


def logit_of_fraction_mp(p: Fraction):
    """``log(p/(1-p))`` for an exact rational ``p`` in (0,1), accurate to the
    working precision however close ``p`` is to 0 or 1."""
    return MP.logit_of_fraction(p)


def logit_of_fraction_arb(p: Fraction) -> arb:
    """Rigorous enclosure of ``logit(p)`` for an exact rational ``p``."""
    return ARB.logit_of_fraction(p)


def sigmoid_mp(L):
    """``1/(1+e^{-L})`` (mpmath handles any exponent, so no overflow)."""
    return MP.sigmoid(L)


# ------------------------------------------------------- the map, any backend
class MapConstants(NamedTuple):
    """The constants of the map in one backend: ``a = alpha``, ``one_minus_a = 1 - alpha`` (rounded
    from the exact value: ``1 - ball(alpha)`` has an *absolute* error ``2^-prec``, which swamps
    ``1 - alpha = 1e-40``), ``inv_b = 1/beta`` and ``aL = alpha L_ref`` -- numbers, arrays (one
    variant per cell) or balls (intervals of parameters)."""

    a: object
    one_minus_a: object
    inv_b: object
    aL: object


def g_of(L, omega, c: MapConstants, mul=operator.mul):
    r"""``g(L) = alpha L_ref + (1-alpha) L + Omega(L)/beta`` from ``omega = Omega(L)`` and the
    constants ``c`` (any backend; ``mul`` multiplies, e.g. :func:`~.arbutil.mul` for wide balls).

    >>> g_of(0.0, 1.0, MapConstants(a=1.0, one_minus_a=0.0, inv_b=0.5, aL=0.0))
    0.5
    """
    return c.aL + mul(c.one_minus_a, L) + mul(omega, c.inv_b)


def dg_of(domega, c: MapConstants, mul=operator.mul):
    """``g'(L) = (1 - alpha) + Omega'(L)/beta``."""
    return c.one_minus_a + mul(domega, c.inv_b)


def G_of(L, omega, c: MapConstants, mul=operator.mul):
    r"""``G(L) = g(L) - L = alpha (L_ref - L) + Omega(L)/beta`` (``alpha L`` rather than
    ``(1-alpha) L - L``, which doubles the width of a ball)."""
    return c.aL - mul(c.a, L) + mul(omega, c.inv_b)


def dG_of(domega, c: MapConstants, mul=operator.mul):
    """``G'(L) = Omega'(L)/beta - alpha``."""
    return mul(domega, c.inv_b) - c.a


def _tighten(natural: arb, X: arb, f_mid: arb, dfX: arb) -> arb:
    """``natural`` intersected with the mean-value form ``f(c) + f'(X)(X - c)``, ``c = mid X``
    (``X - c`` is centred at 0, so Arb's product is already the hull there)."""
    mvf = f_mid + dfX * (X - X.mid())
    return natural.intersection(mvf) if natural.overlaps(mvf) else natural


class ArbMap:
    """The map on Arb balls for :class:`MapConstants` that are balls: exact parameters rounded
    (:class:`LogitMap`) or whole intervals of parameters (the claim checker's boxes).  When a
    constant is a wide ball, products are end-point hulls (:func:`~.arbutil.mul`), so interval
    parameters keep signs; for narrow constants Arb's product is as tight."""

    def __init__(self, weights: Weights, consts: MapConstants):
        self.weights, self.c = weights, consts
        self._mul = operator.mul if all(is_narrow(x) for x in consts[:3]) else mul

    # log-odds
    def g(self, X: arb) -> arb:
        """Enclosure of ``g`` over the ball ``X`` (natural extension)."""
        return g_of(X, self.weights.omega_arb(X), self.c, self._mul)

    def dg(self, X: arb) -> arb:
        return dg_of(self.weights.domega_arb(X), self.c, self._mul)

    def G(self, X: arb, dG: arb | None = None) -> arb:
        """Enclosure of ``G = g - id``: natural extension ∩ mean-value form (``dG``, an enclosure
        of ``G'`` over ``X``, may be passed in)."""
        natural = G_of(X, self.weights.omega_arb(X), self.c, self._mul)
        if X.rad() == 0:
            return natural
        c = X.mid()
        Gc = G_of(c, self.weights.omega_arb(c), self.c, self._mul)
        return _tighten(natural, X, Gc, self.dG(X) if dG is None else dG)

    def dG(self, X: arb) -> arb:
        return dG_of(self.weights.domega_arb(X), self.c, self._mul)

    def g_tight(self, X: arb) -> arb:
        """Enclosure of ``g``: natural extension ∩ mean-value form (tight on small balls, where the
        natural extension counts the dependency between ``(1-alpha)L`` and ``Omega(L)`` twice)."""
        natural = self.g(X)
        if X.rad() == 0:
            return natural
        return _tighten(natural, X, self.g(X.mid()), self.dg(X))

    # PoS space: p given by balls of s = p(1-p), t = 2p - 1 and L = logit p (None if p may be 0 or 1)
    def g_pos(self, s: arb, L: arb | None) -> arb | None:
        """``logit h(p) = g(logit p)`` with Omega from ``s`` (``p`` may be 0 or 1 when ``alpha = 1``:
        the continuous extension); None when ``L`` is needed (``alpha != 1``) and not given."""
        if L is None:
            if not self.c.one_minus_a.is_zero():
                return None
            L = arb(0)
        return g_of(L, self.weights.omega_of_s_arb(s), self.c, self._mul)

    def h_logodds(self, s: arb, L: arb | None) -> arb | None:
        """Enclosure of ``logit h(p)``: :meth:`g_pos` ∩ :meth:`g_tight` of ``L`` when ``L`` is known."""
        out = self.g_pos(s, L)
        if L is None:
            return out
        tight = self.g_tight(L)
        if out is None or not out.is_finite():
            return tight
        return out.intersection(tight) if (tight.is_finite() and out.overlaps(tight)) else out

    def dh(self, s: arb, t: arb, L: arb | None) -> arb | None:
        r"""Enclosure of ``h'(p) = h(1-h) (Omega_p/beta + (1-alpha)/(p(1-p)))``; None as :meth:`g_pos`."""
        z = self.g_pos(s, L)
        if z is None or not z.is_finite():
            return z
        inner = mul(self.weights.domega_dp_of_st_arb(s, t), self.c.inv_b)
        if not self.c.one_minus_a.is_zero():
            inner = inner + div(self.c.one_minus_a, s)
        return mul_nonneg(inner, s_arb(z))


# ------------------------------------------------------------ one variant
class LogitMap:
    """The map ``g`` and the fixed-point function ``G = g - id`` of one variant, in every backend."""

    def __init__(self, params, weights: Weights | None = None):
        self.params = params
        self.weights = weights if weights is not None else weights_for(params)
        self.alpha = Fraction(params.alpha)
        self.beta = Fraction(params.beta)
        self._cache: dict[tuple, tuple] = {}
        self._arb_maps: dict[int, ArbMap] = {}

    # ------------------------------------------------------------ constants
    def _consts(self, xp) -> tuple[MapConstants, object]:
        """``(MapConstants, L_ref)`` in backend ``xp``, cached per precision."""
        key = xp.key()
        c = self._cache.get(key)
        if c is None:
            a, L_ref = xp.num(self.alpha), xp.logit_of_fraction(self.params.p_ref)
            c = self._cache[key] = (MapConstants(a, xp.num(1 - self.alpha), 1 / xp.num(self.beta), a * L_ref), L_ref)
        return c

    def L_ref_mp(self):
        return self._consts(MP)[1]

    def L_ref_arb(self) -> arb:
        return self._consts(ARB)[1]

    def L_start_mp(self):
        return logit_of_fraction_mp(self.params.start)

    def L_start_arb(self) -> arb:
        return logit_of_fraction_arb(self.params.start)

    # ------------------------------------------------- point formulas, any backend
    def g_at(self, L, xp):
        return g_of(L, self.weights.omega_at(L, xp), self._consts(xp)[0])

    def dg_at(self, L, xp):
        return dg_of(self.weights.domega_at(L, xp), self._consts(xp)[0])

    def G_at(self, L, xp):
        return G_of(L, self.weights.omega_at(L, xp), self._consts(xp)[0])

    def dG_at(self, L, xp):
        return dG_of(self.weights.domega_at(L, xp), self._consts(xp)[0])

    def h_at(self, p, xp):
        """The map in PoS coordinates, ``h(p) = sigmoid(g(logit p))`` (float backends)."""
        return xp.sigmoid(self.g_at(xp.logit(p), xp))

    # --------------------------------------------------------------- mpmath
    def g_mp(self, L):
        return MP.call(self.g_at, L)

    def dg_mp(self, L):
        return MP.call(self.dg_at, L)

    def G_mp(self, L):
        return MP.call(self.G_at, L)

    def dG_mp(self, L):
        return MP.call(self.dG_at, L)

    # ---------------------------------------------------------- NumPy, torch
    def g_np(self, L):
        return NP.call(self.g_at, L)

    def dg_np(self, L):
        return NP.call(self.dg_at, L)

    def h_np(self, p):
        return NP.call(self.h_at, p)

    def g_torch(self, L):
        return TORCH.call(self.g_at, L)

    def dg_torch(self, L):
        return TORCH.call(self.dg_at, L)

    def h_torch(self, p):
        return TORCH.call(self.h_at, p)

    # ------------------------------------------------------------------ Arb
    def arb_map(self) -> ArbMap:
        """The :class:`ArbMap` of this variant at the current precision."""
        prec = flint.ctx.prec
        m = self._arb_maps.get(prec)
        if m is None:
            m = self._arb_maps[prec] = ArbMap(self.weights, self._consts(ARB)[0])
        return m

    def g_arb(self, X: arb, L_ref: arb | None = None) -> arb:
        """Enclosure of ``g`` over the ball ``X`` (``L_ref`` argument kept for callers
        that hold it; the cached constant is used)."""
        return self.arb_map().g(X)

    def g_arb_tight(self, X: arb) -> arb:
        """Enclosure of ``g`` over ``X``: natural extension ∩ mean-value form."""
        return self.arb_map().g_tight(X)

    def dg_arb(self, X: arb) -> arb:
        return self.arb_map().dg(X)

    def dG_arb(self, X: arb) -> arb:
        return self.arb_map().dG(X)

    def G_arb(self, X: arb, L_ref: arb | None = None, dG: arb | None = None) -> arb:
        """Enclosure of ``G`` over the ball ``X``: the natural extension, intersected
        with the mean-value form ``G(c) + G'(X)(X - c)`` when ``X`` is wide
        (``dG``, an enclosure of ``G'`` over ``X``, may be passed in)."""
        return self.arb_map().G(X, dG)
