r"""Exact finite-group weights :math:`\Omega_G(L)` (group size ``G``, empirical statistics).

Setting
-------
For one prompt with PoS ``p`` under :math:`\pi_{n-1}`, GRPO draws ``G`` i.i.d. outputs,
so the rewards are i.i.d. Bernoulli(``p``) and the group statistic is
:math:`\hat p = K/G` with ``K`` the number of successes.  The advantage of a sample
with reward ``r`` in a group with ``K = k`` successes is

* ``"paper"``: :math:`A = (r-\hat p)/D_k`, :math:`D_k=\sqrt{\hat p(1-\hat p)+\varepsilon}`
  (the paper's eq. (4) with ``p`` replaced by :math:`\hat p`, eps inside the root);
* ``"trl"`` (TRL ``scale_rewards="group"``): :math:`D_k=\sqrt{\tfrac{G}{G-1}\hat p(1-\hat p)}+\varepsilon`
  (Bessel-corrected sample std, eps added outside the root);
* ``"mean"`` (TRL ``scale_rewards="none"``, Dr. GRPO): :math:`D_k = 1`.

A degenerate group (``k = 0`` or ``k = G``) has :math:`r = \hat p` for every sample and gets
advantage 0 in every convention.  For ``"paper"``/``"trl"`` with ``eps = 0`` this is the
convention ``0/0 := 0`` used by the codes (TRL, verl); with ``eps > 0`` it is simply ``0/sqrt(eps)``
resp. ``0/eps``.  Only ``D_k`` with ``1 <= k <= G-1`` is ever used, and there ``D_k > 0``.

Effective weights
-----------------
The expected GRPO surrogate :math:`\mathbb E\,\tfrac1G\sum_i \rho_i A_i` (ratio
:math:`\rho_i=\pi(o_i)/\pi_{n-1}(o_i)`) equals :math:`\sum_o \pi(o)\,\mathbb E[A\mid r(o)]`, i.e.
:math:`\omega^+_G\,\pi(S)-\omega^-_G\,\pi(F)` with

.. math::
   \omega^+_G(p) = \mathbb E[A_1\mid r_1=1]=\sum_{j=0}^{G-1}\tbinom{G-1}{j}p^j(1-p)^{G-1-j}\,
                    \frac{1-\frac{j+1}{G}}{D_{j+1}},\qquad
   \omega^-_G(p) = -\mathbb E[A_1\mid r_1=0]=\sum_{j=0}^{G-1}\tbinom{G-1}{j}p^j(1-p)^{G-1-j}\,
                    \frac{j/G}{D_j}

(``j`` = successes among the other ``G-1`` samples; the degenerate terms are 0).  See
:mod:`grpo_symbolic.symbolic.group_weights` for the derivation and its SymPy checks.

Reduction (derived there): :math:`p\,\omega^+_G = (1-p)\,\omega^-_G = \mathbb E_{K\sim\mathrm{Bin}(G,p)}[\hat p(1-\hat p)/D_K]`
(the advantages of a group sum to 0), so :math:`\omega^+_G=(1-p)\Omega_G`, :math:`\omega^-_G=p\,\Omega_G`
exactly as for the population weights, and with :math:`k(G-k)\binom Gk = G(G-1)\binom{G-2}{k-1}`

.. math::
   \Omega_G(p) = \sum_{m=0}^{G-2}\tbinom{G-2}{m}p^m(1-p)^{G-2-m}\,b_m,\qquad
   b_m = \frac{G-1}{G\,D_{m+1}} ,

a Bernstein polynomial of degree ``G-2``: :math:`\Omega_G = \tfrac{G-1}{G}\,\mathbb E[1/D_{M+1}]`,
``M ~ Bin(G-2, p)`` (one tagged success, one tagged failure, ``G-2`` free samples).
Its derivative in log-odds (``dp/dL = p(1-p)``) is :math:`\Omega_G'(L) = p(1-p)\,B'(p)` with

.. math::
   B'(p) = \sum_{m=0}^{n-1} d_m\,p^m(1-p)^{n-1-m},\qquad d_m = n\tbinom{n-1}{m}(b_{m+1}-b_m),
   \qquad n = G-2.

The ``d_m`` are antisymmetric (``b`` is symmetric), so :math:`B'` vanishes at ``p = 1/2`` and has the
factor :math:`2p-1=\tanh(L/2)`: dividing :math:`\sum_m d_m x^m` by ``x - 1`` gives

.. math::
   \Omega_G'(L) = p(1-p)\,\tanh(L/2)\,W(L),\qquad
   W(L) = \sum_{k=0}^{n-2} r_k\,\frac{e^k}{(1+e)^{n-2}},\qquad r_k = -\sum_{i\le k} d_i = r_{n-2-k},

with ``e = exp(-|L|)``: three factors without cancellation (relative precision near ``L = 0`` too;
``r_k >= 0`` when ``b`` is convex, below).

Consequences used by the Arb code
---------------------------------
* ``D_k = D_{G-k}``, so ``b_m = b_{G-2-m}`` and :math:`\Omega_G` is even in ``L``.
* ``b_m`` samples :math:`x\mapsto\tfrac{G-1}{G}/D(x)` at ``x = (m+1)/G``; for "paper" and "trl"
  ``D(x)`` is a positive concave function of ``x`` (square root of a concave function, resp.
  concave plus a constant), so ``1/D`` is convex and the second differences of ``b`` are
  ``>= 0`` (this is also certified in Arb at construction).  A Bernstein polynomial with convex
  coefficients is convex (:math:`B''=n(n-1)\sum\Delta^2 b_m\,\beta_{m,n-2}`).  Convex and symmetric
  about ``p = 1/2``: :math:`\Omega_G` decreases on ``L < 0`` and increases on ``L > 0``, and
  :math:`B'(p)=d\Omega_G/dp` is nondecreasing in ``p``.
* Range: :math:`\Omega_G(0)\le\Omega_G(L) < b_0 = \lim_{L\to\pm\infty}\Omega_G(L)`.
  The end values are *finite and positive*: :math:`b_0 = (G-1)/(G D_1)`, e.g. ``sqrt(G-1)`` for
  "paper" with eps = 0 and ``(G-1)/G`` for "mean" (for which :math:`\Omega_G\equiv (G-1)/G`).
  For ``G = 2`` and ``G = 3`` (degree 0 resp. 1 with ``b_0 = b_1``) :math:`\Omega_G` is constant in
  every convention.

Evaluation
----------
``Omega_G = sum_m c_m e^m / (1+e)^n`` with ``c_m = C(n,m) b_m = c_{n-m}`` (symmetric, so one
orientation serves both signs of ``L``) and ``W`` are evaluated by Horner's scheme in
``e = exp(-|L|) <= 1``, one point formula for every backend (:mod:`.weights`): all terms are
positive, so there is no cancellation, and mpmath and Arb have no over/underflow for any ``|L|``
(``1e6`` included).  In float arithmetic the coefficients ``c_m`` (up to ``2^n``) and
``(1+e)^n`` overflow for large ``n`` (``n > ~1000`` in float64, ``~120`` in float32): there the
same polynomial is summed as ``sum_m b_m Bin(m; n, p)`` with the binomial pmf in log space
(:func:`binomial_log_pmf`).
"""

from __future__ import annotations

import math
from fractions import Fraction

import flint
import mpmath as mp
from flint import arb

from .arbutil import abs_range, arb_prec, mul_nonneg
from .weights import ARB, MP, Weights, s_arb, s_of_e

GROUP_CONVENTIONS = ("paper", "trl", "mean")


def _binomial_row(n: int) -> list[int]:
    """``[C(n, 0), ..., C(n, n)]`` by the exact recurrence ``C(n, m+1) = C(n, m) (n-m)/(m+1)``."""
    row = [1]
    for m in range(n):
        row.append(row[-1] * (n - m) // (m + 1))
    return row


def _mirror(half: list, length: int) -> list:
    """``[x_0, ..., x_{length-1}]`` with ``x_k = x_{length-1-k}`` from its first half (exact symmetry)."""
    return [half[min(k, length - 1 - k)] for k in range(length)]


def _horner(coef, e):
    """``sum_k coef[k] e^(d-k)`` (``d = len(coef) - 1``) by Horner's scheme, in any backend."""
    acc = coef[0]
    for c in coef[1:]:
        acc = acc * e + c
    return acc


def binomial_log_pmf(n: int, L, xp):
    r"""``log(C(n,k) p^k (1-p)^(n-k))`` for ``k = 0..n`` (last axis) at ``p = sigmoid(L)``, for the
    float backends; exact at ``L = +-inf`` (where ``p`` is 0 or 1).

    ``log p = -(relu(-L) + log1p(e))`` and ``log(1-p) = -(relu(L) + log1p(e))``, ``e = exp(-|L|)``,
    with ``0 * inf`` taken as 0.

    >>> import numpy as np
    >>> from grpo_symbolic.exact.weights import NP
    >>> np.exp(binomial_log_pmf(2, np.array([0.0, -np.inf]), NP)).round(12).tolist()
    [[0.25, 0.5, 0.25], [1.0, 0.0, 0.0]]
    """
    k = xp.arange_like(n + 1, L)
    logc = xp.vector_like([math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                           for j in range(n + 1)], L)
    L = L[..., None]
    up, down = xp.where(L > 0, L, 0.0), xp.where(L < 0, -L, 0.0)
    return logc - n * xp.log1p(xp.exp(-abs(L))) - _times(k, down, xp) - _times(n - k, up, xp)


def _times(k, x, xp):
    """``k * x`` with ``0 * inf = 0``."""
    return k * xp.where(k == 0, 0.0, x)


class _FloatPoly:
    r"""``sum_k beta_k C(d,k) p^k (1-p)^(d-k)`` (a Bernstein polynomial with symmetric coefficients
    ``beta``, given as mpmath numbers) in float arithmetic, at ``e = exp(-|L|)``: Horner's scheme in
    ``e`` while its coefficients and ``(1+e)^d`` fit the dtype, else the binomial pmf in log space."""

    def __init__(self, beta, d: int):
        self.d = d
        self.beta = [float(x) for x in beta]
        c = [math.comb(d, k) * x for k, x in enumerate(beta)]
        size = sum(abs(x) for x in c)
        self.log2_size = max(float(d), float(mp.log(size, 2)) if size > 0 else 0.0)
        self.coef = [float(x) for x in c] if self.log2_size < 1000 else None

    def __call__(self, L, e, xp):
        if self.coef is not None and self.log2_size + 4 < math.log2(xp.finfo_max(L)):
            return _horner(self.coef, e) / (1 + e) ** self.d
        pmf = xp.exp(binomial_log_pmf(self.d, L, xp))
        return (pmf * xp.vector_like(self.beta, L)).sum(-1)


def _poly_e(coef, L, e, xp):
    r"""``sum_k c_k e^k / (1+e)^d`` for symmetric ``c`` (``d = len(c) - 1``, ``e = exp(-|L|)``)."""
    if isinstance(coef, _FloatPoly):
        return coef(L, e, xp)
    return _horner(coef, e) / (1 + e) ** (len(coef) - 1)


class GroupWeights(Weights):
    r"""Exact expected GRPO weights for group size ``G`` (see module docstring).

    Parameters
    ----------
    G : int, ``G >= 2``
    convention : ``"paper"``, ``"trl"`` or ``"mean"``
    eps : exact rational ``>= 0`` (ignored by ``"mean"``)

    >>> w = GroupWeights(2, "paper", 0)
    >>> w.omega_mp(mp.mpf(3))                  # G = 2: advantages are +-1 in a mixed group
    mpf('1.0')
    >>> w = GroupWeights(8, "mean", 0)
    >>> w.omega_mp(mp.mpf(-5))                 # (G-1)/G
    mpf('0.875')
    >>> w = GroupWeights(4, "paper", 0)        # sqrt(3)(p^2 + q^2) + 3pq = sqrt(3)/2 + 3/4 at p = 1/2
    >>> [round(float(x), 14) for x in (w.omega_np(0.0), w.omega_mp(0), w.omega_torch(0.0))]
    [1.61602540378444, 1.61602540378444, 1.61602540378444]
    >>> w.omega_arb(arb(0)).overlaps(arb(3).sqrt() / 2 + arb(3) / 4)
    True
    """

    def __init__(self, G, convention="paper", eps=0):
        if isinstance(G, bool) or not isinstance(G, int):
            raise ValueError(f"group size must be an int, got {G!r}")
        if G < 2:
            raise ValueError("group size must be >= 2")
        if convention not in GROUP_CONVENTIONS:
            raise ValueError(f"convention must be one of {GROUP_CONVENTIONS}, got {convention!r}")
        self.G = G
        self.convention = convention
        self.eps = Fraction(eps)
        if self.eps < 0:
            raise ValueError("eps must be >= 0")
        #: Bernstein degree of Omega_G in p
        self.n = G - 2
        self.name = f"group(G={G}, {convention}" + ("" if convention == "mean" else f", eps={self.eps}") + ")"
        #: Omega_G is bounded, so the fixed-point search never needs this hint
        self.domega_increasing_on_positive = False
        #: Omega_G does not depend on L ("mean"; G = 2, 3 where b_0 = b_n)
        self.constant = convention == "mean" or self.n <= 1
        self._binom = _binomial_row(self.n)
        self._binom_d = _binomial_row(self.n - 1) if self.n >= 1 else []
        self._cache: dict[tuple, tuple] = {}
        #: True when the coefficients are certified convex (Arb): then Omega_G is even and
        #: increasing in |L|, and dOmega_G/dp is nondecreasing in p.  Always true for the three
        #: conventions (see module docstring); a failed check switches to the generic
        #: Bernstein-subdivision enclosures.
        self.convex = self._certify_convex()

    # ------------------------------------------------------------ coefficients
    def _D_sq_rational(self, k: int) -> Fraction:
        """The rational under the root of ``D_k`` (paper: p̂(1-p̂)+eps; trl: G/(G-1) p̂(1-p̂))."""
        G = self.G
        if self.convention == "paper":
            return Fraction(k * (G - k), G * G) + self.eps
        return Fraction(k * (G - k), G * (G - 1))

    def _b(self, xp) -> list:
        """The Bernstein coefficients ``b_m = (G-1)/(G D_{m+1})`` in backend ``xp`` (computed for
        ``m <= n/2`` and mirrored, so the symmetry is exact)."""
        c = xp.num(Fraction(self.G - 1, self.G))
        if self.convention == "mean":
            return [c] * (self.n + 1)
        half = []
        for m in range(self.n // 2 + 1):
            root = xp.sqrt(xp.num(self._D_sq_rational(m + 1)))
            half.append(c / (root if self.convention == "paper" else root + xp.num(self.eps)))
        return _mirror(half, self.n + 1)

    def _r(self, b) -> list:
        """``r_k = -sum_{i<=k} n C(n-1,i) (b_{i+1} - b_i)``, ``k = 0..n-2`` (half computed, mirrored)."""
        n, acc, half = self.n, 0, []
        for k in range((n - 2) // 2 + 1 if n >= 2 else 0):
            acc = acc - n * self._binom_d[k] * (b[k + 1] - b[k])
            half.append(acc)
        return _mirror(half, n - 1) if n >= 2 else []

    def _coefficients(self, xp) -> tuple:
        """``(b, c, r)`` in backend ``xp``, cached per precision: ``c_m = C(n,m) b_m`` (Omega_G)
        and ``r`` (W); for the float backends ``c`` and ``r`` are :class:`_FloatPoly` objects
        built from 30-digit values."""
        key = xp.key()
        cc = self._cache.get(key)
        if cc is None:
            cc = self._cache[key] = self._float_coefficients() if key == ("float",) else self._exact_coefficients(xp)
        return cc

    def _exact_coefficients(self, xp):
        b = self._b(xp)
        return b, [self._binom[m] * b[m] for m in range(self.n + 1)], self._r(b)

    def _float_coefficients(self):
        with mp.workdps(30):
            b, _, r = self._coefficients(MP)
            W = [r[k] / math.comb(self.n - 2, k) for k in range(self.n - 1)]  # Bernstein coefficients
            return [float(x) for x in b], _FloatPoly(b, self.n), _FloatPoly(W, self.n - 2) if W else None

    def _certify_convex(self) -> bool:
        if self.convention == "mean" or self.n <= 1:
            return True
        with arb_prec(max(flint.ctx.prec, 128)):
            b = self._b(ARB)
            for m in range(self.n - 1):
                if not (b[m] - 2 * b[m + 1] + b[m + 2] >= 0):
                    return False
        return True

    def bernstein_coefficients_mp(self):
        """``[b_0, ..., b_{G-2}]`` at the current mpmath precision."""
        return list(self._coefficients(MP)[0])

    # ----------------------------------------------- point formulas (any backend)
    def omega_at(self, L, xp):
        """``Omega_G(L) = sum_m c_m e^m / (1+e)^n`` (module docstring)."""
        b, c, _ = self._coefficients(xp)
        if self.constant:
            return xp.full_like(L, b[0])
        return _poly_e(c, L, xp.exp(-abs(L)), xp)

    def dB_dp_at(self, L, xp, e=None):
        """``dOmega_G/dp = tanh(L/2) W(L)`` (module docstring); ``e = exp(-|L|)`` if known."""
        r = self._coefficients(xp)[2]
        if e is None:
            e = xp.exp(-abs(L))
        return xp.tanh(L / 2) * _poly_e(r, L, e, xp)

    def domega_at(self, L, xp):
        """``dOmega_G/dL = p(1-p) tanh(L/2) W(L)``."""
        if self.constant:
            return xp.full_like(L, 0)
        e = xp.exp(-abs(L))
        return s_of_e(e) * self.dB_dp_at(L, xp, e)

    def omega_p_mp(self, p):
        """``Omega_G`` at a PoS ``p`` in (0, 1) given directly (mpmath)."""
        p = mp.mpf(p)
        return self.omega_mp(mp.log(p) - mp.log1p(-p))

    # --------------------------------------------------------------------- Arb
    def omega_arb(self, X: arb) -> arb:
        """Rigorous enclosure of ``Omega_G`` over the whole ball ``X``.

        Convex case (always, for the three conventions): ``Omega_G`` is even and increasing in
        ``|L|``, so the range is ``[Omega_G(m), Omega_G(M)]`` with ``m <= |L| <= M`` the exact
        bounds of ``|X|``, each end evaluated rigorously.  Otherwise: Bernstein subdivision on
        the p-range.  Non-finite balls get the global range ``[Omega_G(0), b_0]``."""
        b = self._coefficients(ARB)[0]
        if self.constant:
            return b[0]
        if not X.is_finite():
            return self.inf_arb().union(self.sup_arb())
        if X.rad() == 0:
            return self.omega_at(X, ARB)
        if self.convex:
            m, M = abs_range(X)
            return self.omega_at(m, ARB).union(self.omega_at(M, ARB))
        return _bernstein_range(b, *self._p_range(X))

    def domega_arb(self, X: arb) -> arb:
        """Rigorous enclosure of ``dOmega_G/dL = s(L) B'(p)`` over the ball ``X``,
        ``s = p(1-p)`` (:func:`~.weights.s_arb`) times the range of ``B' = dOmega_G/dp``
        (nondecreasing in ``p`` in the convex case: end points; else Bernstein subdivision).
        Non-finite balls: ``|Omega'| <= (G-2) max|Delta b| / 4``."""
        if self.constant:
            return arb(0)  # exactly 0
        if not X.is_finite():
            bound = arb(self.n) * self._max_abs_db() / 4
            return (-bound).union(bound)
        if X.rad() == 0:
            return self.domega_at(X, ARB)
        if self.convex:
            dB = self.dB_dp_at(X.lower(), ARB).union(self.dB_dp_at(X.upper(), ARB))
        else:
            dB = _bernstein_range([arb(self.n) * x for x in self._db()], *self._p_range(X))
        return mul_nonneg(dB, s_arb(X))

    def _db(self) -> list:
        """``b_{m+1} - b_m`` (Arb)."""
        b = self._coefficients(ARB)[0]
        return [b[m + 1] - b[m] for m in range(self.n)]

    def _max_abs_db(self) -> arb:
        return _hull([arb(0)] + [abs(x) for x in self._db()])

    @staticmethod
    def _p_range(X: arb):
        """Exact end points ``a <= sigmoid(t) <= b`` for every ``t`` in ``X``."""
        pa = ARB.sigmoid(X.lower())
        pb = ARB.sigmoid(X.upper())
        a = pa.lower()
        b = pb.upper()
        if a < 0:
            a = arb(0)
        if b > 1:
            b = arb(1)
        return a, b

    # ------------------------------------------------------------ global facts
    def inf_arb(self) -> arb:
        """``min Omega_G = Omega_G(L=0)`` in the convex case (attained); else ``min b_m``."""
        if self.convex:
            return self.omega_at(arb(0), ARB)
        return arb(_hull(self._coefficients(ARB)[0]).lower())

    def sup_arb(self) -> arb:
        """``max_m b_m`` (a Bernstein polynomial lies between its extreme coefficients); in the
        convex case this is ``b_0 = b_{G-2} = lim Omega_G`` (not attained for G >= 4)."""
        b = self._coefficients(ARB)[0]
        return b[0] if self.convex else arb(_hull(b).upper())

    def limit(self, side: int):
        """``Omega_G(L) -> b_0 = (G-1)/(G D_1)`` as ``L -> +-inf`` (the group then holds exactly
        one failure, resp. one success, besides the tagged pair)."""
        if side not in (1, -1):
            raise ValueError("side must be +1 or -1")
        b = self._coefficients(ARB)[0]
        return ("finite", b[-1] if side > 0 else b[0])


def _bernstein_range(coeffs, a: arb, b: arb) -> arb:
    r"""Enclosure of :math:`\sum_m c_m\binom dm p^m(1-p)^{d-m}` (Bernstein coefficients ``c``) for
    every ``p`` in ``[a, b]`` (exact end points, ``0 <= a <= b <= 1``): de Casteljau subdivision
    to ``[a, b]`` and the hull of the new coefficients (convex-hull property).  Width ``O(b-a)``."""
    c = list(coeffs)
    d = len(c) - 1
    if d == 0:
        return c[0]
    # restrict to [0, b]: left part of the subdivision at b
    work = list(c)
    left = [work[0]]
    for r in range(1, d + 1):
        work = [(1 - b) * work[i] + b * work[i + 1] for i in range(d - r + 1)]
        left.append(work[0])
    if b > 0:
        t = a / b
    else:
        t = arb(0)
    # restrict [0, b] to [a, b]: right part of the subdivision at t = a/b
    work = list(left)
    right = [work[-1]]
    for r in range(1, d + 1):
        work = [(1 - t) * work[i] + t * work[i + 1] for i in range(d - r + 1)]
        right.append(work[-1])
    return _hull(right)


def _hull(balls) -> arb:
    """The smallest ball containing all of ``balls``."""
    out = balls[0]
    for x in balls[1:]:
        out = out.union(x)
    return out
