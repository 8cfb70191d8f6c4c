r"""A finite outcome space with symbolic policies.

``FiniteSpace(K, success)`` has outcomes ``0..K-1`` and a success set ``S``
(a nonempty proper subset; ``F`` is its complement): the reward is
``r(o) = 1`` for ``o in S`` and ``0`` otherwise.

**Parametrisation (documented choice).**  Every policy is given by *unnormalised
positive weights divided by their sum*:

.. math::  \pi_{\mathrm{ref}}(o) = \frac{a_o}{\sum_{o'} a_{o'}},\qquad
           \pi_{n-1}(o) = \frac{b_o}{\sum_{o'} b_{o'}},\qquad
           \pi(o) = \frac{c_o}{\sum_{o'} c_{o'}},

with ``a_o, b_o, c_o > 0`` free SymPy symbols (``positive=True``).  This covers every
distribution of full support (up to the irrelevant common scale), keeps every
probability *visibly* positive to SymPy (``1 - p_ref`` simplifies to
``sum_F a / sum a``), and lets the spot checks draw each weight independently
(log-uniform on ``[1e-2, 1e2]``).  The optimisation variables of the Lagrangian
are separate positive symbols ``x_o`` (a point of the open simplex once the
constraint ``sum x_o = 1`` is imposed).

>>> fs = FiniteSpace(3, {0})
>>> fs.S, fs.F
((0,), (1, 2))
>>> import sympy as sp
>>> sp.cancel(fs.pos(fs.ref) + fs.pos(fs.ref, fs.F))
1
>>> FiniteSpace(3, {0, 1, 2})
Traceback (most recent call last):
...
ValueError: the success set must be a nonempty proper subset of 0..2
"""

from __future__ import annotations

from functools import cached_property

import sympy as sp

from .domains import declare, positive_log

__all__ = ["FiniteSpace"]

_W = positive_log(1e-2, 1e2)


def _weights(prefix: str, K: int):
    return tuple(declare(sp.Symbol(f"{prefix}{o}", positive=True), _W) for o in range(K))


class FiniteSpace:
    """Outcomes ``0..K-1`` with success set ``S`` (see module docstring)."""

    def __init__(self, K: int = 4, success=(0, 1)):
        if isinstance(K, bool) or not isinstance(K, int) or K < 2:
            raise ValueError(f"K must be an integer >= 2, got {K!r}")
        S = tuple(sorted(set(int(o) for o in success)))
        if not S or len(S) >= K or S[0] < 0 or S[-1] >= K:
            raise ValueError(f"the success set must be a nonempty proper subset of 0..{K - 1}")
        self.K = K
        self.S = S
        self.F = tuple(o for o in range(K) if o not in S)
        self.a = _weights("a", K)
        self.b = _weights("b", K)
        self.c = _weights("c", K)
        self.x = tuple(declare(sp.Symbol(f"x{o}", positive=True), _W) for o in range(K))

    def __repr__(self):
        return f"FiniteSpace(K={self.K}, success={set(self.S)})"

    def describe(self) -> str:
        return f"K={self.K} outcomes, success set S={{{', '.join(map(str, self.S))}}}"

    # --------------------------------------------------------------- policies
    @staticmethod
    def normalise(w):
        tot = sum(w)
        return tuple(wi / tot for wi in w)

    @cached_property
    def ref(self):
        """``pi_ref(o) = a_o / sum a``."""
        return self.normalise(self.a)

    @cached_property
    def prev(self):
        """``pi_{n-1}(o) = b_o / sum b``."""
        return self.normalise(self.b)

    @cached_property
    def pi(self):
        """A generic policy ``pi(o) = c_o / sum c``."""
        return self.normalise(self.c)

    def reward(self, o: int) -> int:
        return 1 if o in self.S else 0

    def part(self, which) -> tuple:
        if which in ("S", 1, True):
            return self.S
        if which in ("F", 0, False):
            return self.F
        return tuple(which)

    def pos(self, dist, part=None):
        """``sum_{o in part} dist(o)``; by default the PoS ``sum_S dist``."""
        idx = self.S if part is None else self.part(part)
        return sum(dist[o] for o in idx)

    def cond(self, dist, part):
        """The conditional law of ``dist`` on ``part`` (``S`` or ``F``), as a tuple
        indexed like ``part``."""
        idx = self.part(part)
        tot = sum(dist[o] for o in idx)
        return tuple(dist[o] / tot for o in idx)

    def advantage(self, w_plus, w_minus):
        """``A(o) = +w_plus`` on ``S`` and ``-w_minus`` on ``F``."""
        return tuple(w_plus if o in self.S else -w_minus for o in range(self.K))

    def tilt(self, dist, tau_s, tau_f):
        """``dist(o) * tau_{r(o)}`` (a reward-only tilt)."""
        return tuple(dist[o] * (tau_s if o in self.S else tau_f) for o in range(self.K))

    @staticmethod
    def renyi_sum(P, Q, a):
        r"""``sum_o P(o)^a Q(o)^(1-a)`` (so that ``D_a = log(sum)/(a-1)``)."""
        return sum(pi ** a * qi ** (1 - a) for pi, qi in zip(P, Q))

    @classmethod
    def renyi(cls, P, Q, a):
        r"""Rényi divergence ``D_a(P||Q) = log(sum P^a Q^(1-a)) / (a - 1)`` (``a != 1``)."""
        return sp.log(cls.renyi_sum(P, Q, a)) / (a - 1)
