"""Variables of a claim and the domains they range over.

A :class:`Var` is a SymPy symbol with an interval domain.  It knows how to draw
deterministic sample points (rationals, spread over many decades where the domain
is wide) and the closed box used for interval certification (open or unbounded
ends are replaced by stated finite ends, and reports say so).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp


@dataclass(frozen=True)
class Var:
    sym: sp.Symbol
    lo: Fraction | None  # None: unbounded below
    hi: Fraction | None  # None: unbounded above
    lo_open: bool = True
    hi_open: bool = True
    box_lo: Fraction | None = None  # finite end used for certification when lo is open/None
    box_hi: Fraction | None = None
    #: set for the weights of a concrete instance (e.g. a 4-outcome space): a check over
    #: them holds on that instance only, and the audit's reading says so
    instance: str = ""

    def describe(self) -> str:
        a = "-inf" if self.lo is None else str(self.lo)
        b = "inf" if self.hi is None else str(self.hi)
        return f"{self.sym} in {'(' if self.lo_open else '['}{a}, {b}{')' if self.hi_open else ']'}"

    def contains(self, x) -> bool:
        """Is ``x`` in the domain (open ends excluded)?"""
        x = Fraction(x)
        if self.lo is not None and (x < self.lo or (self.lo_open and x == self.lo)):
            return False
        if self.hi is not None and (x > self.hi or (self.hi_open and x == self.hi)):
            return False
        return True

    def box(self) -> tuple[Fraction, Fraction]:
        lo = self.box_lo if self.box_lo is not None else self.lo
        hi = self.box_hi if self.box_hi is not None else self.hi
        if lo is None or hi is None:
            raise ValueError(f"{self.sym}: no finite certification box")
        return Fraction(lo), Fraction(hi)

    def box_is_whole_domain(self) -> bool:
        """True when the certification box contains the whole domain."""
        lo_ok = self.lo is not None and (self.box_lo is None or self.box_lo <= self.lo)
        hi_ok = self.hi is not None and (self.box_hi is None or self.box_hi >= self.hi)
        return lo_ok and hi_ok

    def sample(self, rng: random.Random) -> Fraction:
        lo, hi = self.lo, self.hi
        r = rng.random()
        if lo is not None and hi is not None:
            if lo >= 0 and hi <= 1 and lo == 0 and hi == 1:  # probabilities: cover both ends in log scale
                k = rng.choice([1, 2, 3, 6, 12, 30])
                x = Fraction(rng.randint(1, 999), 1000 * 10 ** (k - 1)) if rng.random() < 0.35 else \
                    Fraction(rng.randint(1, 9999), 10000)
                if rng.random() < 0.25:
                    x = 1 - x
                return min(max(x, Fraction(1, 10**40)), 1 - Fraction(1, 10**40))
            x = lo + (hi - lo) * Fraction(rng.randint(1, 9999), 10000)
            if not self.lo_open and rng.random() < 0.08:
                return Fraction(lo)
            if not self.hi_open and rng.random() < 0.08:
                return Fraction(hi)
            return x
        if lo is not None:  # [lo, inf): log-uniform over decades above lo
            if not self.lo_open and rng.random() < 0.08:
                return Fraction(lo)
            e = rng.randint(-6, 6)
            return Fraction(lo) + Fraction(rng.randint(1, 99), 10) * Fraction(10) ** e
        if hi is not None:
            e = rng.randint(-6, 6)
            return Fraction(hi) - Fraction(rng.randint(1, 99), 10) * Fraction(10) ** e
        e = rng.randint(-3, 3)
        return Fraction(rng.choice([-1, 1]) * rng.randint(1, 99), 10) * Fraction(10) ** e


def prob(sym, box=Fraction(1, 2**40)) -> Var:
    """``sym`` in (0, 1); certification box ``[box, 1 - box]``."""
    return Var(sym, Fraction(0), Fraction(1), True, True, Fraction(box), 1 - Fraction(box))


def positive(sym, box=(Fraction(1, 10**6), Fraction(10**6)), instance: str = "") -> Var:
    return Var(sym, Fraction(0), None, True, True, Fraction(box[0]), Fraction(box[1]), instance)


def nonneg(sym, box_hi=Fraction(10**6)) -> Var:
    return Var(sym, Fraction(0), None, False, True, Fraction(0), Fraction(box_hi))


def interval(sym, lo, hi, lo_open=False, hi_open=False) -> Var:
    return Var(sym, Fraction(lo), Fraction(hi), lo_open, hi_open)


def real(sym, box=(-50, 50)) -> Var:
    return Var(sym, None, None, True, True, Fraction(box[0]), Fraction(box[1]))
