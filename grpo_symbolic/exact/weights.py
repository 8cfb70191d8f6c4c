r"""The weight sum :math:`\Omega` as a function of the log-odds ``L = logit(p)``: the one
implementation of the weights, for every number type of the package.

For one prompt with PoS ``p`` of the previous policy, the advantage of a success
is ``+omega_plus(p)`` and that of a failure ``-omega_minus(p)``.  The PoS recurrence
only sees their sum ``Omega = omega_plus + omega_minus``:

* mean+variance (``norm="std"``), eps inside the root (paper eq. (4)):
  ``omega_plus = (1-p)/sqrt(p(1-p)+eps)``, ``omega_minus = p/sqrt(p(1-p)+eps)`` and
  ``Omega(p) = (p(1-p) + eps)^(-1/2)``;
* mean-only (``norm="mean"``, Dr. GRPO, eq. (13)): ``omega_plus = 1-p``,
  ``omega_minus = p``, ``Omega = 1``.

In every family the advantages of a group sum to 0, so ``omega_plus = (1-p) Omega`` and
``omega_minus = p Omega``.  In log-odds, ``s(L) = p(1-p) = e^{-|L|}/(1+e^{-|L|})^2`` and

.. math::  \Omega(L) = (s(L)+\varepsilon)^{-1/2},\qquad
           \Omega'(L) = \tfrac12\, s(L)\tanh(L/2)\,(s(L)+\varepsilon)^{-3/2},

which is exact and overflow-free for every real ``L`` (with ``eps = 0``,
``Omega = 2 cosh(L/2)`` and ``Omega' = sinh(L/2)``).  ``Omega`` is even in ``L``
and increasing in ``|L|``.

Backends
--------
Each formula is written once, as a *point formula* ``f(L, xp)`` whose elementary functions
come from a backend ``xp``:

* :data:`MP` -- mpmath numbers at the current precision;
* :data:`ARB` -- python-flint Arb balls around exact points (parameters enter through
  :func:`~.arbutil.to_arb`, never through a float);
* :data:`NP` -- float64 NumPy arrays, vectorised;
* :data:`TORCH` -- torch tensors of any float dtype and device, differentiable (torch is
  imported only when a tensor is met: the package does not need it).

A family (:class:`Weights`) implements ``omega_at(L, xp)`` and ``domega_at(L, xp)`` and gets
``omega_mp``, ``omega_np``, ``omega_torch`` (with ``domega_*`` and ``omega_pm_*``) from the
base class.  Its Arb methods enclose Omega over a whole *ball* of ``L``, from the point
formula at end points and monotonicity (Arb's own functions are too pessimistic on wide
balls); for the claim checker, :class:`StdWeights` also accepts ``eps`` as a ball (an interval
of parameters) and gives enclosures in PoS space from ``s = p(1-p)`` and ``t = 2p-1``.

>>> w = StdWeights(Fraction(1, 100))
>>> float(w.omega_mp(0)), float(w.omega_np(0.0))           # (1/4 + 1/100)^(-1/2)
(1.9611613513818402, 1.9611613513818402)
>>> W = w.omega_arb(interval(-1, 1))                        # Omega over -1 <= L <= 1
>>> W.contains(w.omega_arb(to_arb(0))) and W.contains(w.omega_arb(to_arb(1)))
True
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from fractions import Fraction

import flint
import mpmath as mp
from flint import arb

from .arbutil import abs_range, interval, is_narrow, mul, mul_nonneg, rsqrt, to_arb  # noqa: F401  (interval: doctest)


class _LazyNumpy:
    """``numpy``, imported on first use (the exact and Arb paths never need it, and the
    ``dynamics`` command should not pay its import)."""

    def __getattr__(self, name):
        import numpy

        return getattr(numpy, name)


np = _LazyNumpy()


# ===================================================================== backends
_ELEMENTARY = ("exp", "sqrt", "rsqrt", "cosh", "sinh", "tanh", "log1p")


class _Backend:
    """Elementary functions and constants of one number type (see module docstring).

    The default elementary functions are methods of the argument (Arb balls and torch
    tensors have them); ``where`` picks between two scalars."""

    name = "?"

    def key(self) -> tuple:
        """What a cache of constants in this backend depends on (e.g. the precision)."""
        return (self.name,)

    def as_input(self, L):
        return L

    def call(self, f, L):
        """``f(L, self)`` on the input converted to this backend."""
        return f(self.as_input(L), self)

    #: elementary functions: methods of the argument by default (Arb balls, torch tensors)
    exp, sqrt, rsqrt, cosh, sinh, tanh, log1p = (operator.methodcaller(f) for f in _ELEMENTARY)

    @staticmethod
    def where(cond, a, b):
        return a if cond else b

    def full_like(self, L, c):
        """The constant ``c`` (a Fraction or a number of this backend) shaped like ``L``."""
        return self.num(c)

    def sigmoid(self, L):
        """``1/(1+e^{-L})`` without overflow (elementwise choice of the stable form)."""
        e = self.exp(-abs(L))
        return self.where(L >= 0, 1 / (1 + e), e / (1 + e))


class MpBackend(_Backend):
    """mpmath numbers at the current working precision."""

    name = "mp"
    exp, sqrt, cosh, sinh, tanh, log1p = (staticmethod(getattr(mp, f)) for f in _ELEMENTARY if f != "rsqrt")

    @staticmethod
    def rsqrt(x):
        return 1 / mp.sqrt(x)

    def key(self):
        return ("mp", mp.mp.prec)

    def as_input(self, L):
        return mp.mpf(L)

    def num(self, x):
        if isinstance(x, mp.mpf):
            return x
        x = Fraction(x)
        return mp.mpf(x.numerator) / x.denominator

    def logit_of_fraction(self, p: Fraction):
        """``log(p/(1-p))`` for an exact rational ``p`` in (0,1), accurate however close to 0 or 1."""
        return mp.log(mp.mpf(p.numerator)) - mp.log(mp.mpf(p.denominator - p.numerator))

    def sigmoid(self, L):
        return 1 / (1 + mp.exp(-L))  # mpmath has no overflow


class ArbBackend(_Backend):
    """Arb balls at the current ``flint.ctx.prec`` (exact inputs only: :func:`~.arbutil.to_arb`)."""

    name = "arb"

    def key(self):
        return ("arb", flint.ctx.prec)

    def num(self, x):
        return to_arb(x)

    def logit_of_fraction(self, p: Fraction) -> arb:
        """Rigorous enclosure of ``logit(p)`` for an exact rational ``p`` in (0,1)."""
        return arb(p.numerator).log() - arb(p.denominator - p.numerator).log()

    def sigmoid(self, L):
        return 1 / (1 + (-L).exp())  # valid for any ball (Arb's exponent range has no overflow)


class _FloatBackend(_Backend):
    """Shared by the float backends: parameters are rounded to the nearest float, and constants
    (named ``"float"`` in :meth:`key`) are shared by NumPy and torch."""

    def num(self, x):
        return float(x)

    def logit_of_fraction(self, p: Fraction) -> float:
        with mp.workdps(30):
            return float(MP.logit_of_fraction(p))


class NumpyBackend(_FloatBackend):
    """float64 NumPy arrays; overflow, underflow and 0/0 warnings are silenced in :meth:`call`."""

    name = "float"
    exp, sqrt, cosh, sinh, tanh, log1p, where = (staticmethod(lambda *a, _f=f: getattr(np, _f)(*a))
                                                 for f in _ELEMENTARY + ("where",) if f != "rsqrt")

    @staticmethod
    def rsqrt(x):
        return 1 / np.sqrt(x)

    def as_input(self, L):
        return np.asarray(L, dtype=float)

    def call(self, f, L):
        with np.errstate(all="ignore"):
            return f(self.as_input(L), self)

    def full_like(self, L, c):
        return np.full(np.shape(L), float(c))

    @staticmethod
    def logit(p):
        return np.log(p) - np.log1p(-p)

    @staticmethod
    def finfo_max(L) -> float:
        return float(np.finfo(np.asarray(L).dtype).max)

    @staticmethod
    def arange_like(n: int, L):
        return np.arange(n, dtype=float)

    @staticmethod
    def vector_like(values, L):
        return np.asarray(values, dtype=float)


class TorchBackend(_FloatBackend):
    """torch tensors of any float dtype and device; every formula is differentiable."""

    name = "float"

    def as_input(self, L):
        import torch

        return L if isinstance(L, torch.Tensor) else torch.as_tensor(L, dtype=torch.float64)

    @staticmethod
    def where(cond, a, b):
        import torch

        return torch.where(cond, a, b)

    def full_like(self, L, c):
        return L.tanh() * 0 + float(c)  # stays in the graph (gradient 0), finite at L = +-inf

    @staticmethod
    def sigmoid(L):
        return L.sigmoid()

    @staticmethod
    def logit(p):
        return p.logit()

    @staticmethod
    def finfo_max(L) -> float:
        import torch

        return float(torch.finfo(L.dtype).max)

    @staticmethod
    def arange_like(n: int, L):
        import torch

        return torch.arange(n, dtype=L.dtype, device=L.device)

    @staticmethod
    def vector_like(values, L):
        import torch

        return torch.tensor(values, dtype=L.dtype, device=L.device)


MP, ARB, NP, TORCH = MpBackend(), ArbBackend(), NumpyBackend(), TorchBackend()


# ============================================================ log-odds basics
def s_of_e(e):
    """``p(1-p) = e/(1+e)^2`` from ``e = exp(-|L|)``."""
    return e / (1 + e) ** 2


def s_of_L(L, xp):
    """``p(1-p)`` at log-odds ``L`` (any backend), with relative precision for every ``L``."""
    return s_of_e(xp.exp(-abs(L)))


def s_arb(X: arb) -> arb:
    """Enclosure of ``p(1-p)`` over the ball ``X`` (decreasing in ``|L|``: end points).

    >>> s_arb(interval(-1, 2)).contains(s_of_L(to_arb(0), ARB))
    True
    """
    if not X.is_finite():
        return arb(0).union(arb(1) / 4)
    m, M = abs_range(X)
    return s_of_e((-M).exp()).union(s_of_e((-m).exp())).nonnegative_part()


def tanh_half_arb(X: arb) -> arb:
    """Enclosure of ``tanh(L/2) = 2p - 1`` over the ball ``X`` (increasing: end points).
    Far out it is a ball around ``+-1``, never the exact ``+-1`` that tanh does not reach."""
    if not X.is_finite():
        return arb(-1).union(arb(1))
    return (X.lower() / 2).tanh().union((X.upper() / 2).tanh())


# ================================================================ std formulas
def _by_eps(eps, xp, at_zero, general):
    """``at_zero()`` where ``eps == 0`` and ``general()`` elsewhere (elementwise for an array)."""
    if getattr(eps, "ndim", 0):
        return xp.where(eps == 0, at_zero(), general())
    return at_zero() if eps == 0 else general()


def std_omega(L, eps, xp):
    r"""``Omega(L) = (s(L) + eps)^(-1/2)``, and ``2 cosh(L/2)`` where ``eps = 0`` (the same
    number, without the underflow of ``s``).  ``eps``: a number of the backend, or an array
    that broadcasts with ``L``.

    >>> float(std_omega(0.0, 0.0, NP)), float(std_omega(mp.mpf(0), mp.mpf(0), MP))
    (2.0, 2.0)
    """
    return _by_eps(eps, xp, lambda: 2 * xp.cosh(L / 2), lambda: xp.rsqrt(s_of_L(L, xp) + eps))


def std_domega(L, eps, xp):
    r"""``Omega'(L) = tanh(L/2) u(s, eps) / 2`` (:func:`_u`), and ``sinh(L/2)`` where ``eps = 0``."""
    return _by_eps(eps, xp, lambda: xp.sinh(L / 2), lambda: xp.tanh(L / 2) * _u(s_of_L(L, xp), eps, xp) / 2)


def _u(s, eps, xp=None):
    """``u = s (s+eps)^(-3/2)`` (any backend; Arb balls by default)."""
    t = s + eps
    return s / (t * (xp or ARB).sqrt(t))


def _u_hull(s: arb, eps_points: tuple) -> arb:
    r"""Range of ``u(s, eps) = s (s+eps)^(-3/2)`` over the ball ``s >= 0`` and ``eps >= 0`` in the
    hull of ``eps_points`` (one ball, or the two exact ends of a wide ball, lowest first).

    ``u`` decreases in ``eps``; in ``s`` it increases up to ``s = 2 eps`` and decreases after.
    For each ``eps`` the range over ``s`` lies between the end values and the peak, and the
    peaks ``u(2e, e)`` decrease in ``e``: the end values at the extreme ``eps`` and the peak at
    the lowest ``eps`` span the whole range."""
    sl, sh = s.lower(), s.upper()
    e0 = eps_points[0]
    out = _u(sl, e0).union(_u(sh, e0))
    for e in eps_points[1:]:
        out = out.union(_u(sl, e)).union(_u(sh, e))
    peak = 2 * e0
    if peak.upper() >= sl and peak.lower() <= sh:
        out = out.union(_u(peak, e0))
    return out


def _eps_points(eps: arb) -> tuple:
    """``eps`` as used by :func:`_u_hull`: a narrow ball (an exact parameter, rounded) as itself,
    a wide one (an interval of parameters) by its two exact ends."""
    return (eps,) if is_narrow(eps) else (eps.lower(), eps.upper())


# =================================================================== families
class Weights(ABC):
    """Interface of a weight family ``Omega(L)`` (see module docstring)."""

    #: short identifier used in reports
    name: str = "weights"

    # --- the mathematics: point formulas in any backend ------------------------
    @abstractmethod
    def omega_at(self, L, xp):
        """Omega at log-odds ``L``, a number (or array) of backend ``xp``."""

    @abstractmethod
    def domega_at(self, L, xp):
        """dOmega/dL at ``L`` in backend ``xp``."""

    def omega_pm_at(self, L, xp):
        """``(omega_plus, omega_minus) = ((1-p) Omega, p Omega)`` with ``p = sigmoid(L)``."""
        om = self.omega_at(L, xp)
        return om * xp.sigmoid(-L), om * xp.sigmoid(L)

    def omega_pm_of_p_at(self, p, xp):
        """The same from the PoS ``p`` itself (float backends; ``1 - p`` is exact for ``p >= 1/2``)."""
        om = self.omega_at(xp.logit(p), xp)
        return om * (1 - p), om * p

    # --- mpmath (current precision) --------------------------------------------
    def omega_mp(self, L):
        """Omega at an mpmath number ``L``."""
        return MP.call(self.omega_at, L)

    def domega_mp(self, L):
        return MP.call(self.domega_at, L)

    def omega_pm_mp(self, L):
        return MP.call(self.omega_pm_at, L)

    # --- NumPy (float64, vectorised) -------------------------------------------
    def omega_np(self, L):
        return NP.call(self.omega_at, L)

    def domega_np(self, L):
        return NP.call(self.domega_at, L)

    def omega_pm_np(self, L):
        return NP.call(self.omega_pm_at, L)

    # --- torch (any dtype and device; differentiable) --------------------------
    def omega_torch(self, L):
        return TORCH.call(self.omega_at, L)

    def domega_torch(self, L):
        return TORCH.call(self.domega_at, L)

    def omega_pm_torch(self, L):
        return TORCH.call(self.omega_pm_at, L)

    def omega_pm_of_p_torch(self, p):
        """``((1-p) Omega, p Omega)`` at a tensor of PoS ``p`` (the training code's weights)."""
        return TORCH.call(self.omega_pm_of_p_at, p)

    # --- Arb: enclosures over balls of L ----------------------------------------
    @abstractmethod
    def omega_arb(self, X: arb) -> arb:
        """A ball containing Omega(t) for every t in the ball ``X``."""

    @abstractmethod
    def domega_arb(self, X: arb) -> arb:
        """A ball containing Omega'(t) for every t in ``X``."""

    # --- Arb in PoS space: s = p(1-p) and t = 2p - 1 given as balls -------------
    def omega_of_s_arb(self, s: arb) -> arb:
        """Enclosure of Omega for every ``p`` with ``p(1-p)`` in the ball ``s``."""
        raise NotImplementedError(f"{self.name}: no PoS-space enclosure")

    def domega_dL_of_st_arb(self, s: arb, t: arb) -> arb:
        """Enclosure of dOmega/dL from balls of ``s = p(1-p)`` and ``t = 2p - 1``."""
        raise NotImplementedError(f"{self.name}: no PoS-space enclosure")

    def domega_dp_of_st_arb(self, s: arb, t: arb) -> arb:
        """Enclosure of dOmega/dp from balls of ``s`` and ``t``."""
        raise NotImplementedError(f"{self.name}: no PoS-space enclosure")

    # --- global facts -----------------------------------------------------------
    @abstractmethod
    def inf_arb(self) -> arb:
        """A ball whose lower end bounds Omega from below on all of R (> 0 or 0)."""

    @abstractmethod
    def sup_arb(self) -> arb | None:
        """A ball whose upper end bounds Omega from above on R, or None if unbounded."""

    @abstractmethod
    def limit(self, side: int):
        """Limit of Omega as ``L -> side*inf`` (side = +1 or -1): an exact Fraction-like
        value ``("finite", arb)`` or ``("inf", None)``."""

    def describe(self) -> str:
        return self.name


class StdWeights(Weights):
    """Mean+variance normalisation with smoothing ``eps >= 0`` inside the root.

    ``eps`` is an exact rational, or an Arb ball standing for an interval of values (the
    claim checker's parameter boxes), for which only the Arb methods exist.  Enclosures
    over wide balls use monotonicity: ``Omega = (s+eps)^(-1/2)`` decreases in ``s`` and
    ``eps``; ``Omega' = tanh(L/2) u(s, eps)/2`` with ``u`` as in :func:`_u_hull`.

    >>> StdWeights(0).omega_mp(mp.mpf(2)) == 2 * mp.cosh(1)
    True
    """

    def __init__(self, eps):
        self._eps_cache: dict[tuple, object] = {}
        if isinstance(eps, arb):
            if eps < 0:
                raise ValueError("eps must be >= 0")
            self.eps, self._eps_ball = None, eps
            self.name = f"std(eps in {eps.str(5)})"
        else:
            self.eps, self._eps_ball = Fraction(eps), None
            if self.eps < 0:
                raise ValueError("eps must be >= 0")
            self.name = f"std(eps={self.eps})"
        #: with eps = 0, Omega' = sinh(L/2) is increasing on [0, inf)
        self.domega_increasing_on_positive = self.eps == 0

    def _eps(self, xp, points: bool = False):
        """``eps`` in backend ``xp`` (cached per precision); with ``points``, the Arb ball as
        :func:`_eps_points`."""
        key = xp.key() + (points,)
        e = self._eps_cache.get(key)
        if e is None:
            if self.eps is None and xp is not ARB:
                raise TypeError("StdWeights with an interval eps has Arb enclosures only")
            e = self._eps_ball if self.eps is None else xp.num(self.eps)
            e = self._eps_cache[key] = _eps_points(e) if points else e
        return e

    def omega_at(self, L, xp):
        return std_omega(L, self._eps(xp), xp)

    def domega_at(self, L, xp):
        return std_domega(L, self._eps(xp), xp)

    # Arb
    def omega_arb(self, X):
        if X.rad() == 0:
            return self.omega_at(X, ARB)
        return self.omega_of_s_arb(s_arb(X))

    def domega_arb(self, X):
        if X.rad() == 0:
            return self.domega_at(X, ARB)
        return self.domega_dL_of_st_arb(s_arb(X), tanh_half_arb(X))

    def omega_of_s_arb(self, s):
        return rsqrt(s + self._eps(ARB))

    def domega_dL_of_st_arb(self, s, t):
        return mul_nonneg(t, _u_hull(s, self._eps(ARB, points=True))) / 2

    def domega_dp_of_st_arb(self, s, t):
        """``dOmega/dp = t (s+eps)^(-3/2) / 2``."""
        r = rsqrt(s + self._eps(ARB))
        return mul_nonneg(t, mul(r, mul(r, r))) / 2

    # facts
    def inf_arb(self):
        # Omega is smallest at L = 0 where p(1-p) = 1/4
        return self.omega_at(arb(0), ARB)

    def sup_arb(self):
        eps = self._eps(ARB)
        return rsqrt(eps) if eps > 0 else None

    def limit(self, side):
        sup = self.sup_arb()
        return ("inf", None) if sup is None else ("finite", sup)


class MeanWeights(Weights):
    """Mean-only normalisation (Dr. GRPO): ``Omega = 1``."""

    name = "mean"

    def omega_at(self, L, xp):
        return xp.full_like(L, 1)

    def domega_at(self, L, xp):
        return xp.full_like(L, 0)

    def omega_arb(self, X):
        return arb(1)

    def domega_arb(self, X):
        return arb(0)

    def omega_of_s_arb(self, s):
        return arb(1)

    def domega_dL_of_st_arb(self, s, t):
        return arb(0)

    def domega_dp_of_st_arb(self, s, t):
        return arb(0)

    def inf_arb(self):
        return arb(1)

    def sup_arb(self):
        return arb(1)

    def limit(self, side):
        return ("finite", arb(1))


def weights_for(params) -> Weights:
    """The weight family of a :class:`~grpo_symbolic.params.Params`.

    Population statistics give :class:`StdWeights` or :class:`MeanWeights`; a finite
    group size gives the exact finite-group weights of
    :mod:`grpo_symbolic.exact.group_weights`.
    """
    if getattr(params, "group_size", None):
        from .group_weights import GroupWeights  # imports this module

        return GroupWeights(params.group_size, params.convention, params.eps)
    if params.norm == "mean":
        return MeanWeights()
    return StdWeights(params.eps)


# ============================================== population weights over arrays
def population_omega_np(L, norm: str = "std", eps=0.0):
    """Omega of the population weights in float64, broadcasting ``L`` with an array ``eps``
    (phase diagrams: one ``eps`` per cell)."""
    return _population_np("omega", L, norm, eps)


def population_domega_np(L, norm: str = "std", eps=0.0):
    """dOmega/dL of the population weights, broadcasting like :func:`population_omega_np`."""
    return _population_np("domega", L, norm, eps)


def _population_np(which: str, L, norm: str, eps):
    L, eps = np.asarray(L, dtype=float), np.asarray(eps, dtype=float)
    if norm == "mean":
        return getattr(MeanWeights(), which + "_np")(np.broadcast_to(L, np.broadcast_shapes(L.shape, eps.shape)))
    if norm != "std":
        raise ValueError(f"norm must be std or mean, got {norm!r}")
    formula = std_omega if which == "omega" else std_domega
    with np.errstate(all="ignore"):
        return formula(L, eps if eps.ndim else float(eps), NP)

