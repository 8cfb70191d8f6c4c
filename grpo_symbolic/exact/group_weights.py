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
:mod:`grpo_symbolic.groups.symbolic` for the derivation and its SymPy checks.

Reduction (derived there): :math:`p\,\omega^+_G = (1-p)\,\omega^-_G = \mathbb E_{K\sim\mathrm{Bin}(G,p)}[\hat p(1-\hat p)/D_K]`
(the advantages of a group sum to 0), so :math:`\omega^+_G=(1-p)\Omega_G`, :math:`\omega^-_G=p\,\Omega_G`
exactly as for the population weights, and with :math:`k(G-k)\binom Gk = G(G-1)\binom{G-2}{k-1}`

.. math::
   \Omega_G(p) = \sum_{m=0}^{G-2}\tbinom{G-2}{m}p^m(1-p)^{G-2-m}\,b_m,\qquad
   b_m = \frac{G-1}{G\,D_{m+1}} ,

a Bernstein polynomial of degree ``G-2``: :math:`\Omega_G = \tfrac{G-1}{G}\,\mathbb E[1/D_{M+1}]`,
``M ~ Bin(G-2, p)`` (one tagged success, one tagged failure, ``G-2`` free samples).
Its derivative in log-odds (``dp/dL = p(1-p)``) is

.. math::
   \Omega_G'(L) = p(1-p)\,(G-2)\sum_{m=0}^{G-3}\tbinom{G-3}{m}p^m(1-p)^{G-3-m}\,(b_{m+1}-b_m).

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
Terms are evaluated with a Horner scheme in ``e = exp(-|L|) <= 1``: for ``L >= 0``,
:math:`p^m(1-p)^{n-m} = e^{n-m}/(1+e)^n`, all Bernstein terms of :math:`\Omega_G` are positive, so
there is no cancellation and no over/underflow in mpmath or Arb for any ``|L|`` (``1e6`` included).
NumPy evaluates the binomial pmf in log space (``log p = -logaddexp(0, -L)``).
"""

from __future__ import annotations

import math
from fractions import Fraction

import flint
import mpmath as mp
import numpy as np
from flint import arb, fmpq

from .arbutil import abs_range, arb_prec, to_arb
from .weights import Weights

GROUP_CONVENTIONS = ("paper", "trl", "mean")


def _binomial_row(n: int) -> list[int]:
    """``[C(n, 0), ..., C(n, n)]`` by the exact recurrence ``C(n, m+1) = C(n, m) (n-m)/(m+1)``."""
    row = [1]
    for m in range(n):
        row.append(row[-1] * (n - m) // (m + 1))
    return row


def _frac_arb(x: Fraction) -> arb:
    return to_arb(Fraction(x))


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
        n = self.n
        self._binom = _binomial_row(n)
        self._binom_d = _binomial_row(n - 1) if n >= 1 else []
        self._mp_cache: dict[int, tuple] = {}
        self._arb_cache: dict[int, tuple] = {}
        self._np_cache = None
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

    def _b_mp(self):
        """The Bernstein coefficients ``b_m = (G-1)/(G D_{m+1})`` at the current mpmath precision
        (computed for ``m <= n/2`` and mirrored, so the symmetry is exact)."""
        G, n = self.G, self.n
        c = mp.mpf(G - 1) / G
        half = []
        for m in range(n // 2 + 1):
            k = m + 1
            if self.convention == "mean":
                half.append(c)
                continue
            r = self._D_sq_rational(k)
            root = mp.sqrt(mp.mpf(r.numerator) / r.denominator)
            if self.convention == "paper":
                half.append(c / root)
            else:
                half.append(c / (root + mp.mpf(self.eps.numerator) / self.eps.denominator))
        return [half[min(m, n - m)] for m in range(n + 1)]

    def _b_arb(self):
        G, n = self.G, self.n
        c = arb(fmpq(G - 1, G))
        eps = _frac_arb(self.eps)
        half = []
        for m in range(n // 2 + 1):
            k = m + 1
            if self.convention == "mean":
                half.append(c)
                continue
            root = _frac_arb(self._D_sq_rational(k)).sqrt()
            half.append(c / root if self.convention == "paper" else c / (root + eps))
        return [half[min(m, n - m)] for m in range(n + 1)]

    def _mp_consts(self):
        key = mp.mp.prec
        cc = self._mp_cache.get(key)
        if cc is None:
            b = self._b_mp()
            coef = [self._binom[m] * b[m] for m in range(self.n + 1)]
            dcoef = [self.n * self._binom_d[m] * (b[m + 1] - b[m]) for m in range(self.n)]
            cc = (b, coef, dcoef)
            self._mp_cache[key] = cc
        return cc

    def _arb_consts(self):
        key = flint.ctx.prec
        cc = self._arb_cache.get(key)
        if cc is None:
            b = self._b_arb()
            coef = [arb(self._binom[m]) * b[m] for m in range(self.n + 1)]
            db = [b[m + 1] - b[m] for m in range(self.n)]
            dcoef = [arb(self.n * self._binom_d[m]) * db[m] for m in range(self.n)]
            # global facts
            bmax = b[0]
            for x in b:
                bmax = bmax.union(x)
            dmax = arb(0)
            for x in db:
                dmax = dmax.union(abs(x))
            cc = (b, coef, dcoef, bmax, dmax, db)
            self._arb_cache[key] = cc
        return cc

    def _certify_convex(self) -> bool:
        if self.convention == "mean" or self.n <= 1:
            return True
        with arb_prec(max(flint.ctx.prec, 128)):
            b = self._b_arb()
            for m in range(self.n - 1):
                if not (b[m] - 2 * b[m + 1] + b[m + 2] >= 0):
                    return False
        return True

    def bernstein_coefficients_mp(self):
        """``[b_0, ..., b_{G-2}]`` at the current mpmath precision."""
        return list(self._mp_consts()[0])

    # ------------------------------------------------------------------ mpmath
    @staticmethod
    def _horner_mp(coef, L):
        r"""``sum_m coef[m] p^m (1-p)^{d-m}`` at log-odds ``L`` (``d = len(coef)-1``), and ``p(1-p)``.

        Horner in ``e = exp(-|L|)``; the Bernstein factor ``(1+e)^{-d}`` is applied at the end."""
        d = len(coef) - 1
        e = mp.exp(-abs(L))
        if L >= 0:  # p^m q^(d-m) = e^(d-m) / (1+e)^d
            acc = coef[0]
            for m in range(1, d + 1):
                acc = acc * e + coef[m]
        else:  # p^m q^(d-m) = e^m / (1+e)^d
            acc = coef[d]
            for m in range(d - 1, -1, -1):
                acc = acc * e + coef[m]
        one_e = 1 + e
        return acc / one_e**d, e / one_e**2

    def omega_mp(self, L):
        """``Omega_G(L)`` at the current mpmath precision (any real ``L``)."""
        if self.convention == "mean":
            return mp.mpf(self.G - 1) / self.G
        _, coef, _ = self._mp_consts()
        return self._horner_mp(coef, mp.mpf(L))[0]

    def domega_mp(self, L):
        """``dOmega_G/dL = p(1-p) * dOmega_G/dp`` (analytic, see module docstring)."""
        if self.convention == "mean" or self.n <= 1:
            return mp.mpf(0)
        _, _, dcoef = self._mp_consts()
        val, s = self._horner_mp(dcoef, mp.mpf(L))
        return s * val

    def omega_pm_mp(self, L):
        """``(omega_plus_G, omega_minus_G) = ((1-p) Omega_G, p Omega_G)`` (exact identity)."""
        L = mp.mpf(L)
        om = self.omega_mp(L)
        return om / (1 + mp.exp(L)), om / (1 + mp.exp(-L))

    def omega_p_mp(self, p):
        """``Omega_G`` at a PoS ``p`` in (0, 1) given directly (mpmath)."""
        p = mp.mpf(p)
        return self.omega_mp(mp.log(p) - mp.log1p(-p))

    # --------------------------------------------------------------------- Arb
    @staticmethod
    def _horner_arb(coef, t: arb):
        """As :meth:`_horner_mp` for an exact (radius-0) Arb point ``t``; returns (value, p(1-p))."""
        d = len(coef) - 1
        if t >= 0:
            e = (-t).exp()
            acc = coef[0]
            for m in range(1, d + 1):
                acc = acc * e + coef[m]
        else:
            e = t.exp()
            acc = coef[d]
            for m in range(d - 1, -1, -1):
                acc = acc * e + coef[m]
        one_e = 1 + e
        return acc / one_e**d, e / one_e**2

    def _omega_point_arb(self, t: arb) -> arb:
        return self._horner_arb(self._arb_consts()[1], t)[0]

    def _dB_point_arb(self, t: arb) -> arb:
        """``dOmega_G/dp`` at the exact point ``t`` (log-odds)."""
        return self._horner_arb(self._arb_consts()[2], t)[0]

    @staticmethod
    def _s_point(t: arb) -> arb:
        e = (-abs(t)).exp()
        return e / (1 + e) ** 2

    def omega_arb(self, X: arb) -> arb:
        """Rigorous enclosure of ``Omega_G`` over the whole ball ``X``.

        Convex case (always, for the three conventions): ``Omega_G`` is even and increasing in
        ``|L|``, so the range is ``[Omega_G(m), Omega_G(M)]`` with ``m <= |L| <= M`` the exact
        bounds of ``|X|``, each end evaluated rigorously.  Otherwise: Bernstein subdivision on
        the p-range.  Non-finite balls get the global range ``[Omega_G(0), b_0]``."""
        if self.convention == "mean":
            return arb(fmpq(self.G - 1, self.G))
        if not X.is_finite():
            return self.inf_arb().union(self.sup_arb())
        if self.n <= 1:  # G = 2, 3: Omega_G = b_0 (b_1 = b_0 by symmetry), a constant
            return self._arb_consts()[0][0]
        if self.convex:
            m, M = abs_range(X)
            return self._omega_point_arb(m).union(self._omega_point_arb(M))
        a, b = self._p_range(X)
        return _bernstein_range(self._arb_consts()[0], a, b)

    def domega_arb(self, X: arb) -> arb:
        """Rigorous enclosure of ``dOmega_G/dL = s(L) B'(p)`` over the ball ``X``,
        ``s = p(1-p)`` (range from ``|X|``, ``s`` decreasing in ``|L|``) times the range of
        ``B' = dOmega_G/dp`` (nondecreasing in ``p`` in the convex case: end points; else
        Bernstein subdivision).  Non-finite balls: ``|Omega'| <= (G-2) max|Delta b| / 4``."""
        if self.convention == "mean" or self.n <= 1:
            return arb(0)  # Omega_G is constant (G = 2, 3: b_0 = b_{n}; "mean"): exactly 0
        if not X.is_finite():
            dmax = self._arb_consts()[4]
            bound = arb(self.n) * dmax / 4
            return (-bound).union(bound)
        m, M = abs_range(X)
        s = self._s_point(M).union(self._s_point(m))
        lo, hi = X.lower(), X.upper()
        if self.convex:
            dB = self._dB_point_arb(lo).union(self._dB_point_arb(hi))
        else:
            a, b = self._p_range(X)
            n = self.n
            db = self._arb_consts()[5]
            dB = _bernstein_range([arb(n) * x for x in db], a, b)
        return s * dB

    @staticmethod
    def _p_range(X: arb):
        """Exact end points ``a <= sigmoid(t) <= b`` for every ``t`` in ``X``."""
        lo, hi = X.lower(), X.upper()
        pa = 1 / (1 + (-lo).exp())
        pb = 1 / (1 + (-hi).exp())
        a = pa.lower()
        b = pb.upper()
        if a < 0:
            a = arb(0)
        if b > 1:
            b = arb(1)
        return a, b

    # ------------------------------------------------------------------- NumPy
    def _np_consts(self):
        if self._np_cache is None:
            with mp.workdps(30):
                b = np.array([float(x) for x in self._b_mp()])
            n = self.n
            lc = np.array([math.lgamma(n + 1) - math.lgamma(m + 1) - math.lgamma(n - m + 1)
                           for m in range(n + 1)])
            lcd = np.array([math.lgamma(n) - math.lgamma(m + 1) - math.lgamma(n - m)
                            for m in range(n)]) if n >= 1 else np.zeros(0)
            self._np_cache = (b, lc, np.diff(b), lcd)
        return self._np_cache

    def _bern_np(self, L, coef, logc):
        """``sum_m coef[m] * C(d,m) p^m (1-p)^{d-m}`` with the pmf in log space; chunked."""
        d = len(coef) - 1
        L = np.asarray(L, dtype=float)
        flat = L.reshape(-1)
        out = np.empty_like(flat)
        mm = np.arange(d + 1, dtype=float)
        chunk = max(1, (1 << 20) // (d + 1))
        for i in range(0, flat.size, chunk):
            x = flat[i:i + chunk]
            logp = -np.logaddexp(0.0, -x)
            logq = -np.logaddexp(0.0, x)
            lw = logc[None, :] + mm[None, :] * logp[:, None] + (d - mm)[None, :] * logq[:, None]
            out[i:i + chunk] = np.exp(lw) @ coef
        return out.reshape(L.shape)

    def omega_np(self, L):
        L = np.asarray(L, dtype=float)
        if self.convention == "mean":
            return np.full_like(L, (self.G - 1) / self.G)
        b, lc, _, _ = self._np_consts()
        return self._bern_np(L, b, lc)

    def domega_np(self, L):
        L = np.asarray(L, dtype=float)
        if self.convention == "mean" or self.n <= 0:
            return np.zeros_like(L)
        _, _, db, lcd = self._np_consts()
        e = np.exp(-np.abs(L))
        s = e / (1 + e) ** 2
        return s * self.n * self._bern_np(L, db, lcd)

    # ------------------------------------------------------------ global facts
    def inf_arb(self) -> arb:
        """``min Omega_G = Omega_G(L=0)`` in the convex case (attained); else ``min b_m``."""
        if self.convention == "mean":
            return arb(fmpq(self.G - 1, self.G))
        if self.convex:
            return self._omega_point_arb(arb(0))
        b = self._arb_consts()[0]
        lo = b[0]
        for x in b:
            lo = lo.union(x)
        return arb(lo.lower())

    def sup_arb(self) -> arb:
        """``max_m b_m`` (a Bernstein polynomial lies between its extreme coefficients); in the
        convex case this is ``b_0 = b_{G-2} = lim Omega_G`` (not attained for G >= 4)."""
        if self.convention == "mean":
            return arb(fmpq(self.G - 1, self.G))
        if self.convex:
            return self._arb_consts()[0][0]
        return arb(self._arb_consts()[3].upper())

    def limit(self, side: int):
        """``Omega_G(L) -> b_0 = (G-1)/(G D_1)`` as ``L -> +-inf`` (the group then holds exactly
        one failure, resp. one success, besides the tagged pair)."""
        if side not in (1, -1):
            raise ValueError("side must be +1 or -1")
        if self.convention == "mean":
            return ("finite", arb(fmpq(self.G - 1, self.G)))
        b = self._arb_consts()[0]
        return ("finite", b[-1] if side > 0 else b[0])

    def describe(self) -> str:
        return self.name


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
    out = right[0]
    for x in right:
        out = out.union(x)
    return out
