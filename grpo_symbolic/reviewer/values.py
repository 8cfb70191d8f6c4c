r"""Rigorous three-valued arithmetic for the claim checker.

A number met while evaluating a predicate is one of

* a :class:`~fractions.Fraction` — exactly known (constants, exact parameters,
  integers such as ``n`` or ``len(...)``);
* an :class:`Iv` — a parameter ranging over an interval ``[lo, hi]`` with exact
  rational ends (one side of a branch-and-bound box);
* an Arb ball (``flint.arb``) — contains the true value (for a box: the true value
  at every point of the box);
* a :class:`Pos` — a probability in ``(0, 1)`` kept as its log-odds ``L`` (an Arb
  ball), so that ``p = 1 - 1e-600`` keeps its relative precision.  Comparisons of two
  ``Pos`` compare log-odds (``sigmoid`` is strictly increasing);
* :data:`UNDEF` — certainly undefined (``log`` of a non-positive number, the limit
  of an orbit that has none, ...);
* :data:`UNKNOWN` — not determined at this precision (a ball too wide, an
  argument that may or may not lie in a function's domain, an undecided
  engine result).

Truth values are ``True``, ``False`` or ``None`` (unknown), combined with Kleene's
rules.  A comparison is ``True`` only when it holds for every value in the balls,
``False`` only when it fails for every value, and a comparison involving an
undefined quantity is ``False`` (the statement presupposes that the quantity
exists).

:class:`BallMap` evaluates the PoS map ``h``, its derivative and the log-odds map
``g`` when the parameters themselves are balls or intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flint import arb

from ..exact.arbutil import abs_range, to_arb

#: arguments of exp beyond this are not evaluated (their result is UNKNOWN)
EXP_LIMIT = 2**32
#: exact rationals with more bits than this are turned into Arb balls
EXACT_BITS = 4096


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


UNDEF = _Marker("UNDEF")
UNKNOWN = _Marker("UNKNOWN")


@dataclass(frozen=True)
class Iv:
    """A variable ranging over ``[lo, hi]`` (exact rational ends, ``lo < hi``)."""

    lo: Fraction
    hi: Fraction

    def ball(self) -> arb:
        b = to_arb(self.lo).union(to_arb(self.hi))
        if self.lo >= 0:
            b = b.nonnegative_part()
        return b


@dataclass(frozen=True)
class Pos:
    """A number in (0, 1) given by its log-odds ``L`` (an Arb ball)."""

    L: arb

    def p(self) -> arb:
        return sigmoid_ball(self.L)

    def q(self) -> arb:
        """``1 - p``, accurate near 1."""
        return sigmoid_ball(-self.L)


def is_special(x) -> bool:
    return x is UNDEF or x is UNKNOWN


# ------------------------------------------------------------- conversions
def finite_or_unknown(b: arb):
    return b if b.is_finite() else UNKNOWN


def as_ball(x):
    """An Arb ball for a number value (UNDEF/UNKNOWN pass through)."""
    if is_special(x):
        return x
    if isinstance(x, arb):
        return finite_or_unknown(x)
    if isinstance(x, Fraction):
        return to_arb(x)
    if isinstance(x, int):
        return arb(x)
    if isinstance(x, Iv):
        return x.ball()
    if isinstance(x, Pos):
        return finite_or_unknown(x.p())
    raise TypeError(f"not a number: {x!r}")


def _exact(x: Fraction):
    if x.numerator.bit_length() > EXACT_BITS or x.denominator.bit_length() > EXACT_BITS:
        return to_arb(x)
    return x


def endpoints(x):
    """Exact lower and upper end points (arb points), or None for a non-finite value."""
    if isinstance(x, Fraction):
        a = to_arb(x)
        return a, a
    if isinstance(x, Iv):
        return to_arb(x.lo), to_arb(x.hi)
    b = as_ball(x)
    if is_special(b):
        return None
    return b.lower(), b.upper()


def monotone(x, f, increasing=True):
    """Enclosure of ``f`` over the value ``x`` for an increasing (or decreasing) ``f``
    applied to end points: tighter than Arb's own functions on wide balls."""
    e = endpoints(x)
    if e is None:
        return UNKNOWN
    lo, hi = e
    a, b = f(lo), f(hi)
    if not (a.is_finite() and b.is_finite()):
        return UNKNOWN
    return a.union(b)


def mul(x: arb, y: arb) -> arb:
    """Product of two balls by their end points (mid-radius products of wide balls
    lose the sign of the result; this does not)."""
    if x.rad() == 0 or y.rad() == 0 or not (x.is_finite() and y.is_finite()):
        return x * y
    a, b, c, d = x.lower(), x.upper(), y.lower(), y.upper()
    ps = (a * c, a * d, b * c, b * d)
    lo, hi = ps[0], ps[0]
    for q in ps[1:]:
        lo, hi = lo.min(q), hi.max(q)
    return lo.union(hi)


def inv(y: arb) -> arb:
    """1/y by end points (y must not contain 0; otherwise a non-finite ball)."""
    if y.rad() == 0 or not y.is_finite() or not (y > 0 or y < 0):
        return 1 / y
    return (1 / y.upper()).union(1 / y.lower())


def div(x: arb, y: arb) -> arb:
    return mul(x, inv(y))


def rsqrt(x: arb) -> arb:
    """(x)^(-1/2), decreasing: end points (non-finite unless x > 0)."""
    if x.rad() == 0 or not x.is_finite() or not x > 0:
        return x.rsqrt()
    return x.upper().rsqrt().union(x.lower().rsqrt())


def sq(b: arb) -> arb:
    m, M = abs_range(b)
    return (m * m).union(M * M)


def pow_int(b: arb, n: int) -> arb:
    if n == 0:
        return arb(1)
    if n < 0:
        return 1 / pow_int(b, -n)
    if n % 2 == 0:
        m, M = abs_range(b)
        return _pow_pos(m, n).union(_pow_pos(M, n))
    lo, hi = b.lower(), b.upper()
    return _pow_odd(lo, n).union(_pow_odd(hi, n))


def _pow_pos(x: arb, n: int) -> arb:
    out, base = arb(1), x
    while n:
        if n & 1:
            out = out * base
        base = base * base
        n >>= 1
    return out


def _pow_odd(x: arb, n: int) -> arb:
    if x >= 0:
        return _pow_pos(x, n)
    return -_pow_pos(-x, n)


def sigmoid_ball(L: arb) -> arb:
    """``1/(1+exp(-L))`` over the ball ``L`` (increasing: end points)."""
    def f(t):
        if t > EXP_LIMIT:
            return arb(1) - _tiny_exp(-t)
        if t < -EXP_LIMIT:
            return _tiny_exp(t)
        return 1 / (1 + (-t).exp())
    if not L.is_finite():
        return arb(0).union(arb(1))
    return f(L.lower()).union(f(L.upper()))


def _tiny_exp(t: arb) -> arb:
    """A ball containing [0, exp(t)] for t very negative."""
    return arb(0).union(arb(2) ** -(EXP_LIMIT))


def safe_exp(t: arb):
    if t.upper() > EXP_LIMIT:
        return UNKNOWN
    if t.lower() < -EXP_LIMIT:
        hi = t.upper()
        return _tiny_exp(t) if hi < -EXP_LIMIT else UNKNOWN
    return t.exp()


def logit_point(x: arb) -> arb:
    """log(x) - log(1 - x) at an (exact) point 0 < x < 1."""
    return x.log() - (-x).log1p()


def logit_of(x):
    """Log-odds of a number value: exact end points where possible.

    Returns an Arb ball, UNDEF (x certainly outside (0,1)) or UNKNOWN."""
    if is_special(x):
        return x
    if isinstance(x, Pos):
        return x.L
    if isinstance(x, Fraction):
        if not 0 < x < 1:
            return UNDEF
        a, b = x.numerator, x.denominator - x.numerator
        return arb(a).log() - arb(b).log()
    if isinstance(x, Iv):
        if x.hi <= 0 or x.lo >= 1:
            return UNDEF
        if x.lo <= 0 or x.hi >= 1:
            return UNKNOWN
        return logit_of(x.lo).union(logit_of(x.hi))
    b = as_ball(x)
    if is_special(b):
        return b
    if b <= 0 or b >= 1:
        return UNDEF
    if not (b > 0 and b < 1):
        return UNKNOWN
    return finite_or_unknown(logit_point(b.lower()).union(logit_point(b.upper())))


def s_of_L(L: arb) -> arb:
    """``p(1-p)`` at log-odds in the ball ``L`` (decreasing in ``|L|``)."""
    def s(t):
        if t > EXP_LIMIT:
            return _tiny_exp(-t)
        e = (-t).exp()
        return e / (1 + e) ** 2
    m, M = abs_range(L)
    return s(M).union(s(m)).nonnegative_part()


def tanh_half(L: arb) -> arb:
    """``tanh(L/2)`` over the ball ``L`` (increasing: end points).  Beyond ``|t| > EXP_LIMIT``
    ``tanh(t/2) = sgn(t) (1 - 2e^{-|t|}/(1 + e^{-|t|}))`` lies in ``sgn(t) [1 - 2^(1-EXP_LIMIT), 1]``:
    a ball, not the exact ``+-1`` (which tanh never reaches)."""
    def f(t):
        if abs(t) > EXP_LIMIT:
            near_one = arb(1) - 2 * _tiny_exp(-abs(t))
            return near_one if t > 0 else -near_one
        return (t / 2).tanh()
    return f(L.lower()).union(f(L.upper()))


# ---------------------------------------------------------------- the map
@dataclass
class PosParts:
    """What the map needs to know about a PoS argument ``x``: enclosures of
    ``x``, ``1 - x``, ``s = x(1-x)``, ``2x - 1`` and ``L = logit x`` (None when
    ``x`` may touch 0 or 1)."""

    p: arb
    q: arb
    s: arb
    t: arb  # 2p - 1 = tanh(L/2)
    L: arb | None


def pos_parts(x):
    """:class:`PosParts` of a number value ``x`` in [0, 1]; UNDEF if ``x`` certainly
    lies outside [0, 1], UNKNOWN if it may.  At ``x = 0`` or ``1`` the map is taken as
    its continuous extension (paper App. C / :mod:`grpo_symbolic.exact.boundary`)."""
    if is_special(x):
        return x
    if isinstance(x, Pos):
        L = x.L
        if not L.is_finite():
            return UNKNOWN
        return PosParts(x.p(), x.q(), s_of_L(L), tanh_half(L), L)
    if isinstance(x, (Fraction, Iv)):
        lo, hi = (x, x) if isinstance(x, Fraction) else (x.lo, x.hi)
        if hi < 0 or lo > 1:
            return UNDEF
        if lo < 0 or hi > 1:
            return UNKNOWN
        p = Iv(lo, hi).ball() if lo < hi else to_arb(lo)
        q = Iv(1 - hi, 1 - lo).ball() if lo < hi else to_arb(1 - lo)

        def s(v):
            return to_arb(v * (1 - v))
        sb = s(lo).union(s(hi))
        if lo <= Fraction(1, 2) <= hi:
            sb = sb.union(arb(1) / 4)
        sb = sb.nonnegative_part() if lo < hi else sb
        t = to_arb(2 * lo - 1).union(to_arb(2 * hi - 1))
        L = logit_of(x) if (0 < lo and hi < 1) else None
        return PosParts(p, q, sb, t, None if is_special(L) else L)
    b = as_ball(x)
    if is_special(b):
        return b
    if b < 0 or b > 1:
        return UNDEF
    if not (b.lower() >= 0 and b.upper() <= 1):
        return UNKNOWN
    q = (1 - b).nonnegative_part()
    s = (arb(1) / 4 - sq(b - arb(1) / 2)).nonnegative_part()
    L = logit_of(b) if (b > 0 and b < 1) else None
    return PosParts(b, q, s, 2 * b - 1, None if is_special(L) else L)


class BallMap:
    """``g``, ``g'``, ``h`` and ``h'`` when the parameters are Fractions or
    intervals (:class:`Iv`).  Build one per precision (``flint.ctx.prec``)."""

    def __init__(self, norm: str, beta, alpha, eps, p_ref):
        self.norm = norm
        self.alpha_one = isinstance(alpha, Fraction) and alpha == 1
        self.alpha_zero = isinstance(alpha, Fraction) and alpha == 0
        a = as_ball(alpha)
        self.a = a
        # 1 - alpha from the exact value (1 - as_ball(alpha) would carry an absolute error 2^-prec)
        self.one_minus_a = as_ball(1 - alpha) if not isinstance(alpha, Iv) else Iv(1 - alpha.hi, 1 - alpha.lo).ball()
        bb = as_ball(beta)
        self.inv_b = finite_or_unknown(inv(bb)) if bb > 0 else UNKNOWN
        self.eps = as_ball(eps) if norm == "std" else None
        Lr = logit_of(p_ref)
        self.L_ref = Lr
        self.aL = UNKNOWN if (is_special(Lr) or is_special(self.inv_b)) else (Lr if self.alpha_one else mul(a, Lr))

    @property
    def ok(self) -> bool:
        return not (is_special(self.aL) or is_special(self.inv_b))

    # Omega and its L-derivative as functions of s = p(1-p) and t = 2p - 1
    def omega(self, s: arb) -> arb:
        if self.norm == "mean":
            return arb(1)
        return rsqrt(s + self.eps)

    def domega_dL(self, s: arb, t: arb) -> arb:
        """Omega'(L) = (1/2) t s (s + eps)^(-3/2)."""
        if self.norm == "mean":
            return arb(0)
        r = rsqrt(s + self.eps)
        return mul(mul(t, s), mul(r, mul(r, r))) / 2

    def domega_dp(self, s: arb, t: arb) -> arb:
        """dOmega/dp = (1/2) t (s + eps)^(-3/2)."""
        if self.norm == "mean":
            return arb(0)
        r = rsqrt(s + self.eps)
        return mul(t, mul(r, mul(r, r))) / 2

    def _g(self, s, L):
        """g from s and L (L may be None when alpha = 1)."""
        if not self.ok:
            return UNKNOWN
        om = mul(self.omega(s), self.inv_b)
        if self.alpha_one:
            out = self.aL + om
        else:
            if L is None:
                return UNKNOWN
            out = self.aL + mul(self.one_minus_a, L) + om
        return finite_or_unknown(out)

    # ------------------------------------------------------------- log-odds
    def g_L(self, L):
        """``g(L)`` over a ball ``L`` (natural extension ∩ mean-value form)."""
        if is_special(L):
            return L
        L = as_ball(L)
        if is_special(L):
            return L
        natural = self._g(s_of_L(L), L)
        if is_special(natural) or L.rad() == 0:
            return natural
        c = L.mid()
        gc = self._g(s_of_L(c), c)
        d = self.dg_L(L)
        if is_special(gc) or is_special(d):
            return natural
        mvf = gc + mul(d, L - c)
        return natural.intersection(mvf) if natural.overlaps(mvf) else natural

    def dg_L(self, L):
        if is_special(L):
            return L
        L = as_ball(L)
        if is_special(L) or not self.ok:
            return UNKNOWN if not is_special(L) else L
        d = mul(self.domega_dL(s_of_L(L), tanh_half(L)), self.inv_b)
        out = d if self.alpha_one else self.one_minus_a + d
        return finite_or_unknown(out)

    # ------------------------------------------------------------ PoS space
    def h(self, x):
        """``h(x) = sigmoid(g(logit x))`` as a :class:`Pos` (or UNDEF/UNKNOWN)."""
        parts = pos_parts(x)
        if is_special(parts):
            return parts
        out = self._g(parts.s, parts.L)
        if parts.L is not None:
            mvf = self.g_L(parts.L)
            if is_special(out):
                out = mvf
            elif not is_special(mvf) and out.overlaps(mvf):
                out = out.intersection(mvf)
        return UNKNOWN if is_special(out) else Pos(out)

    def dh(self, x):
        """``h'(x) = h(1-h) * d/dx g(logit x)``."""
        parts = pos_parts(x)
        if is_special(parts):
            return parts
        G = self._g(parts.s, parts.L)
        if is_special(G) or not self.ok:
            return UNKNOWN
        hh = s_of_L(G)  # h (1 - h)
        inner = mul(self.domega_dp(parts.s, parts.t), self.inv_b)
        if not self.alpha_one:
            if not parts.s > 0:
                return UNKNOWN
            inner = inner + div(self.one_minus_a, parts.s)
        return finite_or_unknown(mul(hh, inner))
