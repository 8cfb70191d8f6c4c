r"""Sampling domains of the symbols, for the numeric spot checks.

Every free symbol of a :class:`~grpo_symbolic.symbolic.derivation.Step` must have a
declared domain; :meth:`Step.spot_check` draws random points from these domains and
evaluates both sides with mpmath.  A domain is an interval ``[lo, hi]`` with
open/closed ends and a scale:

* ``"linear"``: uniform on the interval;
* ``"log"``: log-uniform (``0 < lo``), for positive weights spanning decades;
* ``"prob"``: a probability in ``(0, 1)``: half of the draws uniform, half
  ``sigmoid(U(-lo, lo))`` with ``lo`` the logit range, so tails near 0 and 1
  are exercised.

A closed end is hit exactly with probability 1/8 (so ``eps = 0``, ``alpha = 0``
or ``clip_eps = 0`` are tested), an open end never.

>>> import random
>>> d = Domain(0, 1, closed=(True, True))
>>> 0 <= d.sample(random.Random(1)) <= 1
True
>>> Domain(1, 0)
Traceback (most recent call last):
...
ValueError: empty domain [1, 0]
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import mpmath as mp
import sympy as sp

__all__ = ["Domain", "declare", "domain_of", "DOMAINS", "interval", "positive_log", "prob"]


@dataclass(frozen=True)
class Domain:
    """A sampling domain ``[lo, hi]`` (see module docstring)."""

    lo: float
    hi: float
    closed: tuple = (False, False)
    scale: str = "linear"

    def __post_init__(self):
        if not self.lo <= self.hi:
            raise ValueError(f"empty domain [{self.lo}, {self.hi}]")
        if self.scale not in ("linear", "log", "prob"):
            raise ValueError(f"unknown scale {self.scale!r}")
        if self.scale == "log" and not self.lo > 0:
            raise ValueError("a log-scale domain needs lo > 0")

    def sample(self, rng: random.Random):
        """One random point as an mpmath number (current precision)."""
        if self.closed[0] and rng.random() < 0.125:
            return mp.mpf(self.lo)
        if self.closed[1] and rng.random() < 0.125:
            return mp.mpf(self.hi)
        if self.scale == "prob":
            if rng.random() < 0.5:
                u = rng.random()
                while u == 0.0:
                    u = rng.random()
                return mp.mpf(u)
            z = mp.mpf(rng.uniform(-self.lo, self.lo)) if self.lo > 0 else mp.mpf(0)
            return 1 / (1 + mp.exp(-z))
        if self.scale == "log":
            return mp.exp(mp.mpf(rng.uniform(math.log(self.lo), math.log(self.hi))))
        while True:
            u = rng.random()
            if u > 0.0 or self.lo == self.hi:
                return mp.mpf(self.lo) + (mp.mpf(self.hi) - mp.mpf(self.lo)) * mp.mpf(u)

    def describe(self) -> str:
        if self.scale == "prob":
            return "(0, 1)"
        lb = "[" if self.closed[0] else "("
        rb = "]" if self.closed[1] else ")"
        return f"{lb}{self.lo:g}, {self.hi:g}{rb}" + (" log-uniform" if self.scale == "log" else "")


def interval(lo, hi, closed=(False, False)) -> Domain:
    """Uniform domain on ``lo..hi``."""
    return Domain(float(lo), float(hi), tuple(closed), "linear")


def positive_log(lo=1e-2, hi=1e2) -> Domain:
    """Log-uniform positive domain (for unnormalised weights)."""
    return Domain(float(lo), float(hi), (False, False), "log")


def prob(logit_range: float = 12.0) -> Domain:
    """A probability in ``(0, 1)`` (see module docstring)."""
    return Domain(float(logit_range), float(logit_range), (False, False), "prob")


#: symbol -> Domain; filled by :func:`declare` (symbols.py, finite_space.py, ...)
DOMAINS: dict = {}


def declare(sym: sp.Symbol, domain: Domain) -> sp.Symbol:
    """Record the sampling domain of ``sym`` and return ``sym``."""
    old = DOMAINS.get(sym)
    if old is not None and old != domain:
        raise ValueError(f"symbol {sym} already declared with domain {old.describe()}")
    DOMAINS[sym] = domain
    return sym


def domain_of(sym: sp.Symbol, overrides: dict | None = None) -> Domain:
    """The domain of ``sym`` (``overrides`` first); ``KeyError`` if undeclared."""
    if overrides and sym in overrides:
        return overrides[sym]
    try:
        return DOMAINS[sym]
    except KeyError:
        raise KeyError(f"no sampling domain declared for symbol {sym!r}") from None
