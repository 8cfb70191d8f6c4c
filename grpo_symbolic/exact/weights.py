r"""The weight sum :math:`\Omega` as a function of the log-odds ``L = logit(p)``.

For one prompt with PoS ``p`` of the previous policy, the advantage of a success
is ``+omega_plus(p)`` and that of a failure ``-omega_minus(p)``.  The PoS recurrence
only sees their sum ``Omega = omega_plus + omega_minus``:

* mean+variance (``norm="std"``), eps inside the root (paper eq. (4)):
  ``omega_plus = (1-p)/sqrt(p(1-p)+eps)``, ``omega_minus = p/sqrt(p(1-p)+eps)`` and
  ``Omega(p) = (p(1-p) + eps)^(-1/2)``;
* mean-only (``norm="mean"``, Dr. GRPO, eq. (13)): ``omega_plus = 1-p``,
  ``omega_minus = p``, ``Omega = 1``.

In log-odds, ``s(L) = p(1-p) = e^{-|L|}/(1+e^{-|L|})^2`` and

.. math::  \Omega(L) = (s(L)+\varepsilon)^{-1/2},\qquad
           \Omega'(L) = \tfrac12\, s(L)\tanh(L/2)\,(s(L)+\varepsilon)^{-3/2},

which is exact and overflow-free for every real ``L`` (with ``eps = 0``,
``Omega = 2 cosh(L/2)`` and ``Omega' = sinh(L/2)``).  ``Omega`` is even in ``L``
and increasing in ``|L|``.

Each class gives Omega and its derivative three ways: mpmath numbers (any
precision), Arb balls (rigorous enclosures over a whole interval of ``L``) and
float64 NumPy arrays.  Other weight families (finite group size, practitioners'
conventions) implement the same interface.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from fractions import Fraction

import mpmath as mp
import numpy as np
from flint import arb

from .arbutil import abs_range, to_arb


class Weights(ABC):
    """Interface of a weight family ``Omega(L)`` (see module docstring)."""

    #: short identifier used in reports
    name: str = "weights"

    # --- mpmath -----------------------------------------------------------
    @abstractmethod
    def omega_mp(self, L):
        """Omega at an mpmath number ``L`` (current mpmath precision)."""

    @abstractmethod
    def domega_mp(self, L):
        """dOmega/dL at ``L``."""

    def omega_pm_mp(self, L):
        """``(omega_plus, omega_minus)`` at ``L``; default: split Omega as ``(1-p, p)``."""
        om = self.omega_mp(L)
        return om / (1 + mp.exp(L)), om / (1 + mp.exp(-L))

    # --- Arb --------------------------------------------------------------
    @abstractmethod
    def omega_arb(self, X: arb) -> arb:
        """A ball containing Omega(t) for every t in the ball ``X``."""

    @abstractmethod
    def domega_arb(self, X: arb) -> arb:
        """A ball containing Omega'(t) for every t in ``X``."""

    # --- NumPy ------------------------------------------------------------
    @abstractmethod
    def omega_np(self, L: np.ndarray) -> np.ndarray:
        """Omega in float64, vectorised."""

    @abstractmethod
    def domega_np(self, L: np.ndarray) -> np.ndarray:
        """Omega' in float64, vectorised."""

    # --- global facts -----------------------------------------------------
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


def _s_mp(L):
    """p(1-p) at log-odds L (mpmath), stable for every L."""
    e = mp.exp(-abs(L))
    return e / (1 + e) ** 2


def _s_point(t: arb) -> arb:
    """p(1-p) at a (near-)point ball ``t >= 0`` standing for ``|L|``."""
    e = (-t).exp()
    return e / (1 + e) ** 2


def _s_arb(X: arb) -> arb:
    """Enclosure of p(1-p) over the ball X, using that it decreases in |L|."""
    m, M = abs_range(X)
    return _s_point(M).union(_s_point(m))


def _tanh_half_arb(X: arb) -> arb:
    """Enclosure of tanh(L/2) over X (tanh is increasing)."""
    return (X.lower() / 2).tanh().union((X.upper() / 2).tanh())


class StdWeights(Weights):
    """Mean+variance normalisation with smoothing ``eps >= 0`` inside the root.

    Arb enclosures are built from end-point evaluations and monotonicity
    (Arb's own elementary functions are too pessimistic on wide balls):
    ``Omega`` increases in ``|L|``; ``Omega' = tanh(L/2)/2 * u(s)`` with
    ``u(s) = s (s+eps)^{-3/2}``, which increases in ``s`` up to ``s = 2 eps`` and
    decreases after.
    """

    def __init__(self, eps):
        self.eps = Fraction(eps)
        if self.eps < 0:
            raise ValueError("eps must be >= 0")
        self.name = f"std(eps={self.eps})"
        #: with eps = 0, Omega' = sinh(L/2) is increasing on [0, inf)
        self.domega_increasing_on_positive = self.eps == 0
        self._eps_arb_cache: dict[int, arb] = {}

    def _eps_arb(self) -> arb:
        import flint

        e = self._eps_arb_cache.get(flint.ctx.prec)
        if e is None:
            e = self._eps_arb_cache[flint.ctx.prec] = to_arb(self.eps)
        return e

    def _eps_mp(self):
        return mp.mpf(self.eps.numerator) / self.eps.denominator

    # mpmath
    def omega_mp(self, L):
        if self.eps == 0:
            return 2 * mp.cosh(L / 2)
        return 1 / mp.sqrt(_s_mp(L) + self._eps_mp())

    def domega_mp(self, L):
        if self.eps == 0:
            return mp.sinh(L / 2)
        s = _s_mp(L)
        t = s + self._eps_mp()
        return s * mp.tanh(L / 2) / (2 * t * mp.sqrt(t))

    # Arb
    def omega_arb(self, X):
        m, M = abs_range(X)
        if self.eps == 0:
            return (m / 2).cosh().union((M / 2).cosh()) * 2
        eps = self._eps_arb()
        if m.is_exact() and M.is_exact() and m == M:  # a point: one evaluation
            return (_s_point(m) + eps).rsqrt()
        return (_s_point(m) + eps).rsqrt().union((_s_point(M) + eps).rsqrt())

    def domega_arb(self, X):
        if self.eps == 0:
            return (X.lower() / 2).sinh().union((X.upper() / 2).sinh())
        eps = self._eps_arb()
        m, M = abs_range(X)
        s_hi = _s_point(m)
        s_lo = s_hi if (m.is_exact() and M.is_exact() and m == M) else _s_point(M)

        def u(s):
            t = s + eps
            return s / (t * t.sqrt())

        rng = u(s_lo).union(u(s_hi))
        two_eps = 2 * eps
        if s_lo.lower() <= two_eps <= s_hi.upper():
            rng = rng.union(u(two_eps))
        return _tanh_half_arb(X) * rng / 2

    # NumPy
    def omega_np(self, L):
        L = np.asarray(L, dtype=float)
        if self.eps == 0:
            with np.errstate(over="ignore"):
                return 2 * np.cosh(L / 2)
        e = np.exp(-np.abs(L))
        s = e / (1 + e) ** 2
        return 1 / np.sqrt(s + float(self.eps))

    def domega_np(self, L):
        L = np.asarray(L, dtype=float)
        if self.eps == 0:
            with np.errstate(over="ignore"):
                return np.sinh(L / 2)
        e = np.exp(-np.abs(L))
        s = e / (1 + e) ** 2
        return 0.5 * s * np.tanh(L / 2) * (s + float(self.eps)) ** -1.5

    # facts
    def inf_arb(self):
        # Omega is smallest at L = 0 where p(1-p) = 1/4
        return 1 / (arb(1) / 4 + to_arb(self.eps)).sqrt()

    def sup_arb(self):
        if self.eps == 0:
            return None
        return 1 / to_arb(self.eps).sqrt()

    def limit(self, side):
        if self.eps == 0:
            return ("inf", None)
        return ("finite", 1 / to_arb(self.eps).sqrt())


class MeanWeights(Weights):
    """Mean-only normalisation (Dr. GRPO): ``Omega = 1``."""

    name = "mean"

    def omega_mp(self, L):
        return mp.mpf(1)

    def domega_mp(self, L):
        return mp.mpf(0)

    def omega_pm_mp(self, L):
        return 1 / (1 + mp.exp(L)), 1 / (1 + mp.exp(-L))

    def omega_arb(self, X):
        return arb(1)

    def domega_arb(self, X):
        return arb(0)

    def omega_np(self, L):
        return np.ones_like(np.asarray(L, dtype=float))

    def domega_np(self, L):
        return np.zeros_like(np.asarray(L, dtype=float))

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
        from .group_weights import GroupWeights  # local import: optional module

        return GroupWeights(params.group_size, params.convention, params.eps)
    if params.norm == "mean":
        return MeanWeights()
    return StdWeights(params.eps)
