"""Small helpers around python-flint's Arb balls."""

from __future__ import annotations

import math
from contextlib import contextmanager
from fractions import Fraction

import flint
from flint import arb, fmpq, fmpz


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
    """Arb enclosure of an *exact* number: an int, a Fraction, an fmpz/fmpq or an arb.

    The value is rounded to the working precision with a radius that covers the
    rounding (radius 0 when it fits, e.g. an int of at most ``prec`` bits).  Floats,
    mpmath numbers, NumPy scalars and strings are refused: their value is the result of
    a rounded computation (or a decimal that is not the number meant), so taking them as
    exact would make a ball that need not contain the true value.  Convert them on
    purpose (``fixed_points.mpf_to_fraction`` for an mpf known to be exact) instead.

    >>> to_arb(Fraction(1, 4))
    0.250000000000000
    >>> to_arb(0.1)
    Traceback (most recent call last):
    ...
    TypeError: to_arb takes an exact number (int, Fraction, fmpq, arb), not float
    """
    if isinstance(x, arb):
        return x
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return arb(x.numerator)
        return arb(fmpq(x.numerator, x.denominator))
    if isinstance(x, (int, fmpz, fmpq)):
        return arb(x)
    raise TypeError(f"to_arb takes an exact number (int, Fraction, fmpq, arb), not {type(x).__name__}")


def mpf_of_arb_mid(x: arb):
    """The midpoint of an Arb ball as an mpmath number, exactly: built from its
    ``(man, exp)`` at a precision that holds the whole mantissa (an mpf keeps its
    mantissa afterwards, whatever mpmath's working precision)."""
    import mpmath as mp

    if x.mid().is_zero():
        return mp.mpf(0)
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    with mp.workprec(max(53, abs(man).bit_length() + 8)):
        return mp.mpf((man, exp))


#: log2(10)
LOG2_10 = 3.321928094887362


def rel_bits_needed(digits: int) -> int:
    """Relative accuracy (bits) of a ball whose midpoint shows ``digits`` correct
    significant digits: ``rad <= 10^-(digits+3) |mid|``."""
    return int(math.ceil((digits + 3) * LOG2_10)) + 1


def certified_digits(b: arb, digits: int) -> int:
    """How many of ``digits`` significant digits of the midpoint of ``b`` are certified:
    ``digits`` when ``rad(b) <= 10^-(digits+3)|mid(b)|`` (or ``b`` is exact), else
    ``floor(rel_accuracy / log2(10)) - 3`` (at least 0).  A ball containing 0 and not
    exactly 0 certifies no digit."""
    if not b.is_finite():
        return 0
    if b.is_exact():
        return digits
    acc = b.rel_accuracy_bits()
    if acc >= rel_bits_needed(digits):
        return digits
    return max(0, min(digits, int(acc / LOG2_10) - 3))


def is_rel_tight(b: arb, digits: int) -> bool:
    """True when the midpoint of the finite ball ``b`` has ``digits`` certified
    significant digits (see :func:`certified_digits`)."""
    return bool(b.is_finite()) and certified_digits(b, digits) >= digits


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


# ------------------------------------------------ hull arithmetic on wide balls
def is_narrow(x: arb) -> bool:
    """True when the ball's radius is at most ``2^-20`` of its midpoint (or 0)."""
    return bool(x.rad() * (1 << 20) <= abs(x.mid()))


def mul(x: arb, y: arb) -> arb:
    """``x*y`` over two balls as the hull of the end-point products.

    Arb's mid-radius product of two wide balls overestimates and may lose the sign of
    the result (``[2, 1000] * [0.2, 5]`` would reach below 0); when a factor is exact (or
    either is not finite) Arb's product is used.

    >>> mul(interval(2, 1000), interval(Fraction(1, 5), 5)) > 0
    True
    """
    if x.rad() == 0 or y.rad() == 0 or not (x.is_finite() and y.is_finite()):
        return x * y
    a, b, c, d = x.lower(), x.upper(), y.lower(), y.upper()
    return (a * c).union(a * d).union(b * c).union(b * d)


def mul_nonneg(x: arb, u: arb) -> arb:
    """``x*u`` for a ball ``u >= 0``: the hull of two end-point products (a cheaper :func:`mul`;
    falls back to it when ``u`` is not certainly ``>= 0``).  For a narrow ``x`` Arb's product is as
    tight."""
    if is_narrow(x) or not (x.is_finite() and u.is_finite()):
        return x * u
    if not u >= 0:
        return mul(x, u)
    xl, xh, ul, uh = x.lower(), x.upper(), u.lower(), u.upper()
    return (xl * (uh if xl < 0 else ul)).union(xh * (uh if xh > 0 else ul))


def inv(y: arb) -> arb:
    """``1/y`` from the end points (``1/t`` is decreasing on each side of 0); a ball
    that may contain 0 gives a non-finite ball."""
    if y.rad() == 0 or not y.is_finite() or not (y > 0 or y < 0):
        return 1 / y
    return (1 / y.upper()).union(1 / y.lower())


def div(x: arb, y: arb) -> arb:
    """``x/y`` as ``mul(x, inv(y))``."""
    return mul(x, inv(y))


def pow_int(b: arb, n: int) -> arb:
    """``b**n`` for an integer ``n`` from the end points (``t**n`` is monotone on each side of
    0; an even power of a ball containing 0 starts at 0).

    >>> pow_int(interval(-1, 2), 2).lower() >= 0, pow_int(interval(-1, 2), 3).lower() < 0
    (True, True)
    """
    if n == 0:
        return arb(1)
    if n < 0:
        return inv(pow_int(b, -n))
    if n % 2 == 0:
        m, M = abs_range(b)
        return _pow_pos(m, n).union(_pow_pos(M, n)).nonnegative_part()
    return _pow_odd(b.lower(), n).union(_pow_odd(b.upper(), n))


def _pow_pos(x: arb, n: int) -> arb:
    out, base = arb(1), x
    while n:
        if n & 1:
            out = out * base
        base = base * base
        n >>= 1
    return out


def _pow_odd(x: arb, n: int) -> arb:
    return _pow_pos(x, n) if x >= 0 else -_pow_pos(-x, n)


def rsqrt(x: arb) -> arb:
    """``x^(-1/2)`` from the end points (decreasing); not finite unless ``x > 0``.

    >>> r = rsqrt(interval(Fraction(1, 4), 4))      # [1/2, 2]
    >>> r.contains(interval(Fraction(1, 2), 2)), r.upper() < to_arb(Fraction(2001, 1000))
    (True, True)
    """
    if x.rad() == 0 or not x.is_finite() or not x > 0:
        return x.rsqrt()
    return x.upper().rsqrt().union(x.lower().rsqrt())
