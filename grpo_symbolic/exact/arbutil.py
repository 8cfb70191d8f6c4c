"""Small helpers around python-flint's Arb balls."""

from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction

import flint
from flint import arb, fmpq


@contextmanager
def arb_prec(bits: int):
    """Temporarily set Arb's working precision (``flint.ctx.prec``) to ``bits``."""
    old = flint.ctx.prec
    flint.ctx.prec = max(int(bits), 30)
    try:
        yield
    finally:
        flint.ctx.prec = old


def to_arb(x) -> arb:
    """Exact Arb value of an int or Fraction (a ball of radius 0 when exact)."""
    if isinstance(x, arb):
        return x
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return arb(x.numerator)
        return arb(fmpq(x.numerator, x.denominator))
    if isinstance(x, int):
        return arb(x)
    return arb(x)


def interval(lo, hi) -> arb:
    """The smallest ball containing the (exact) points ``lo`` and ``hi``."""
    return to_arb(lo).union(to_arb(hi))


def lo_hi(x: arb) -> tuple[arb, arb]:
    """Exact lower and upper end points of a ball."""
    return x.lower(), x.upper()


def certainly_pos(x: arb) -> bool:
    return bool(x > 0)


def certainly_neg(x: arb) -> bool:
    return bool(x < 0)


def abs_range(x: arb) -> tuple[arb, arb]:
    """Exact bounds ``(m, M)`` with ``m <= |t| <= M`` for every ``t`` in the ball."""
    a, b = x.lower(), x.upper()
    if a <= 0 <= b:
        m = arb(0)
    elif a > 0:
        m = a
    else:
        m = -b
    M = b if abs(b) >= abs(a) else -a
    return m, abs(M)
