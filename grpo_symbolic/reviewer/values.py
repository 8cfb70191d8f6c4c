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
  engine result);
* an :class:`Ext` — an interval with an infinite end, ``[N, +inf)`` and what
  arithmetic makes of it: the value of an expression of a ``count(...)`` variable
  ``n`` over the whole tail ``n >= N`` (only sums, products, quotients, powers and
  monotone functions are carried; anything else is UNKNOWN).

Truth values are ``True``, ``False`` or ``None`` (unknown), combined with Kleene's
rules.  A comparison is ``True`` only when it holds for every value in the balls,
``False`` only when it fails for every value, and a comparison involving an
undefined quantity is ``False`` (the statement presupposes that the quantity
exists).

:class:`BallMap` evaluates the PoS map ``h``, its derivative and the log-odds map
``g`` when the parameters themselves are balls or intervals: it turns the parameter values
into balls and hands them to the kernel's :class:`~grpo_symbolic.exact.logit_map.ArbMap`
and :mod:`~grpo_symbolic.exact.weights` (the one implementation of the map).
:class:`ClippedBallMap` does the same for the clipped map (GRPO-Clip) through the kernel's
:class:`~grpo_symbolic.exact.clipped.ClippedMap`, at exact parameter points only.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flint import arb

from ..exact.arbutil import abs_range, div, inv, mul, pow_int, to_arb  # noqa: F401  (div, pow_int: re-exported for .evaluate)
from ..exact.logit_map import ArbMap, MapConstants, logit_of_fraction_arb
from ..exact.weights import MeanWeights, StdWeights
from ..exact.weights import s_arb as s_of_L  # noqa: F401  (p(1-p) over a ball of log-odds)
from ..exact.weights import tanh_half_arb as tanh_half

#: arguments of exp beyond this are not evaluated (their result is UNKNOWN)
EXP_LIMIT = 2**32
#: exact rationals with more bits than this are turned into Arb balls (literals reach 1e+-4000:
#: 13300 bits; their products stay exact)
EXACT_BITS = 32768


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


@dataclass(frozen=True)
class Ext:
    """The interval ``[lo, hi]`` where ``lo`` (None: ``-inf``) and ``hi`` (None: ``+inf``) are
    Arb balls read outwards (``lo.lower()``, ``hi.upper()``) and at least one end is infinite.
    ``Ext.ray(N)`` is ``[N, +inf)``.

    >>> e = ext_add(Ext.ray(3), arb(2))
    >>> (e.lo, e.hi)
    (5.00000000000000, None)
    >>> ext_cmp(">", ext_mul(e, arb(-1)), arb(0))     # -n - 2 > 0 fails for every n >= 3
    False
    """

    lo: arb | None
    hi: arb | None

    @staticmethod
    def ray(n) -> "Ext":
        return Ext(to_arb(Fraction(n)), None)


def _ends(x):
    """``(lo, hi)`` of a value: arb points or None for an infinite end; None if unknown."""
    if isinstance(x, Ext):
        return x.lo, x.hi
    b = as_ball(x)
    if is_special(b):
        return None
    return b.lower(), b.upper()


def _make_ext(lo, hi):
    """An :class:`Ext`, or a plain ball when both ends are finite."""
    if lo is not None and hi is not None:
        return finite_or_unknown(lo.union(hi))
    return Ext(lo, hi)


def ext_neg(a: Ext):
    return _make_ext(None if a.hi is None else -a.hi, None if a.lo is None else -a.lo)


def ext_add(a, b):
    ea, eb = _ends(a), _ends(b)
    if ea is None or eb is None:
        return UNKNOWN
    lo = None if (ea[0] is None or eb[0] is None) else (ea[0] + eb[0]).lower()
    hi = None if (ea[1] is None or eb[1] is None) else (ea[1] + eb[1]).upper()
    return _make_ext(lo, hi)


def _sign(x):
    if x is None:
        return None
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0 if (x.is_exact() and x.is_zero()) else None


def ext_mul(a, b):
    """Product; UNKNOWN where ``0 * inf`` could occur (a factor of unknown sign meets an
    infinite end)."""
    ea, eb = _ends(a), _ends(b)
    if ea is None or eb is None:
        return UNKNOWN
    los, his = [], []
    for i, x in enumerate(ea):
        for j, y in enumerate(eb):
            if x is not None and y is not None:
                p = x * y
                los.append(p.lower())
                his.append(p.upper())
                continue
            # an infinite end: -inf for a lower end (i or j == 0), +inf for an upper end
            sx = _sign(x) if x is not None else (-1 if i == 0 else 1)
            sy = _sign(y) if y is not None else (-1 if j == 0 else 1)
            if not sx or not sy:
                return UNKNOWN
            (his if sx * sy > 0 else los).append(None)
    lo = None if None in los else _fold(los, "min")
    hi = None if None in his else _fold(his, "max")
    if lo is None and hi is None:
        return UNKNOWN
    return _make_ext(lo, hi)


def _fold(xs, how):
    out = xs[0]
    for x in xs[1:]:
        out = out.min(x) if how == "min" else out.max(x)
    return out


def ext_div(a, b):
    """``a / b``: a finite divisor of certain sign, or an :class:`Ext` divisor of certain sign
    (then ``a / b`` is finite: between 0 and ``a / (the finite end)``)."""
    eb = _ends(b)
    if eb is None:
        return UNKNOWN
    if not isinstance(b, Ext):
        bb = as_ball(b)
        if not (bb > 0 or bb < 0):
            return UNKNOWN
        return ext_mul(a, 1 / bb)
    if isinstance(a, Ext):
        return UNKNOWN
    x = as_ball(a)
    if is_special(x):
        return x
    end = eb[0] if eb[1] is None else eb[1]  # the finite end of the divisor
    if not (eb[0] is not None and eb[0] > 0) and not (eb[1] is not None and eb[1] < 0):
        return UNKNOWN
    q = x / end
    return finite_or_unknown(q.union(arb(0)))


def ext_monotone(a: Ext, f, lo_limit, hi_limit):
    """``f`` increasing on the range of ``a``: ``[f(lo), f(hi)]`` with ``f(-inf) = lo_limit`` and
    ``f(+inf) = hi_limit`` (None: infinite)."""
    lo = lo_limit if a.lo is None else f(a.lo)
    hi = hi_limit if a.hi is None else f(a.hi)
    for v in (lo, hi):
        if v is not None and not v.is_finite():
            return UNKNOWN
    lo = None if lo is None else lo.lower()
    hi = None if hi is None else hi.upper()
    return _make_ext(lo, hi)


def ext_cmp(op, a, b):
    """Three-valued comparison when one side is an :class:`Ext`."""
    ea, eb = _ends(a), _ends(b)
    if ea is None or eb is None:
        return None
    (alo, ahi), (blo, bhi) = ea, eb

    def lt(x, y):  # x < y certainly, with None as -inf (x) / +inf (y)
        return x is not None and y is not None and x < y

    def le(x, y):
        return x is not None and y is not None and x <= y
    if op in (">", ">="):
        op, alo, ahi, blo, bhi = {">": "<", ">=": "<="}[op], blo, bhi, alo, ahi
    if op == "<":
        return True if lt(ahi, blo) else (False if le(bhi, alo) else None)
    if op == "<=":
        return True if le(ahi, blo) else (False if lt(bhi, alo) else None)
    disjoint = lt(ahi, blo) or lt(bhi, alo)
    if op == "==":
        return False if disjoint else None
    return True if disjoint else None


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
    if isinstance(x, Ext):
        return UNKNOWN  # unbounded: callers that can use it handle Ext first
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


def sq(b: arb) -> arb:
    m, M = abs_range(b)
    return (m * m).union(M * M)


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
        return logit_of_fraction_arb(x)
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
    intervals (:class:`Iv`): the kernel's :class:`~grpo_symbolic.exact.logit_map.ArbMap`
    with the parameters as balls, and UNDEF/UNKNOWN for what it cannot enclose.
    Build one per precision (``flint.ctx.prec``)."""

    def __init__(self, norm: str, beta, alpha, eps, p_ref, group=None):
        self.norm = norm
        self.group = group  # (G, convention) for the finite-group weights, or None
        a = as_ball(alpha)
        # 1 - alpha from the exact value (1 - as_ball(alpha) would carry an absolute error 2^-prec)
        one_minus_a = as_ball(1 - alpha) if not isinstance(alpha, Iv) else Iv(1 - alpha.hi, 1 - alpha.lo).ball()
        bb = as_ball(beta)
        inv_b = finite_or_unknown(inv(bb)) if bb > 0 else UNKNOWN
        Lr = logit_of(p_ref)
        self._map = None
        if not (is_special(Lr) or is_special(inv_b)):
            eps_value = eps if isinstance(eps, Fraction) else as_ball(eps)  # exact, or an interval as a ball
            weights = group_weights(group, eps) if group else (MeanWeights() if norm == "mean"
                                                                 else StdWeights(eps_value))
            if weights is not None:
                self._map = ArbMap(weights, MapConstants(a, one_minus_a, inv_b, mul(a, Lr)))

    @property
    def ok(self) -> bool:
        return self._map is not None

    # ------------------------------------------------------------- log-odds
    def _on_ball(self, L, f):
        """``f(L)`` for a log-odds value ``L`` (UNDEF/UNKNOWN pass through; UNKNOWN if not finite)."""
        L = L if is_special(L) else as_ball(L)
        if is_special(L):
            return L
        return finite_or_unknown(f(L)) if self.ok else UNKNOWN

    def g_L(self, L):
        """``g(L)`` over a ball ``L`` (natural extension ∩ mean-value form)."""
        return self._on_ball(L, lambda X: self._map.g_tight(X))

    def dg_L(self, L):
        return self._on_ball(L, lambda X: self._map.dg(X))

    # ------------------------------------------------------------ PoS space
    def h(self, x):
        """``h(x) = sigmoid(g(logit x))`` as a :class:`Pos` (or UNDEF/UNKNOWN)."""
        parts = pos_parts(x)
        if is_special(parts):
            return parts
        try:
            out = self._map.h_logodds(parts.s, parts.L) if self.ok else None
        except NotImplementedError:  # finite-group weights: no PoS-space enclosure, use L
            out = self._map.g_tight(parts.L) if parts.L is not None else None
        return UNKNOWN if (out is None or not out.is_finite()) else Pos(out)

    def dh(self, x):
        """``h'(x) = h(1-h) * d/dx g(logit x)``."""
        parts = pos_parts(x)
        if is_special(parts):
            return parts
        try:
            out = self._map.dh(parts.s, parts.t, parts.L) if self.ok else None
        except NotImplementedError:  # finite-group weights: h' = h(1-h) g'(L) / (p(1-p))
            out = None
            if parts.L is not None and parts.s > 0:
                z = self._map.g_tight(parts.L)
                out = div(mul(s_of_L(z), self._map.dg(parts.L)), parts.s) if z.is_finite() else None
        return UNKNOWN if out is None else finite_or_unknown(out)


def group_weights(group, eps):
    """The kernel's finite-group weights :class:`~grpo_symbolic.exact.group_weights.GroupWeights`
    for ``group = (G, convention)``; they take an exact ``eps`` (None, so the map is UNKNOWN, when
    ``eps`` is an interval and the convention uses it)."""
    from ..exact.group_weights import GroupWeights

    G, conv = group
    if conv != "mean" and not isinstance(eps, Fraction):
        return None
    return GroupWeights(int(G), conv, eps if isinstance(eps, Fraction) else 0)


# --------------------------------------------------------- the clipped map
#: ClippedMap per exact parameter point (each caches its Arb constants per precision)
_CLIPPED: dict = {}
_CLIPPED_CACHE = 64


def clipped_map(norm: str, beta, alpha, eps, p_ref, clip_low, clip_high, group=None):
    """The kernel's :class:`~grpo_symbolic.exact.clipped.ClippedMap` at an exact parameter
    point (every value a Fraction; ``group = (G, convention)`` for finite-group weights); None
    if a value is an interval or not a valid point."""
    vals = (beta, alpha, eps, p_ref, clip_low, clip_high)
    if not all(isinstance(v, Fraction) for v in vals):
        return None
    key = (norm, *vals, group)
    cm = _CLIPPED.get(key)
    if cm is None:
        from ..errors import InputError
        from ..exact.clipped import ClippedMap
        from ..params import Params

        try:
            G, conv = group if group else (None, None)
            cm = ClippedMap(Params(norm=norm, beta=beta, alpha=alpha, eps=eps, p_ref=p_ref,
                                   clip=clip_low, clip_high=clip_high, group_size=G, convention=conv))
        except InputError:
            return None
        if len(_CLIPPED) >= _CLIPPED_CACHE:
            _CLIPPED.clear()
        _CLIPPED[key] = cm
    return cm


def clipped_derivative(cm, X: arb):
    """An enclosure of ``g_c'`` over the ball ``X`` when one branch of the clipped map is
    certified to give ``g_c`` on all of ``X`` (then ``g_c`` is that C^1 branch there);
    UNKNOWN when several branches can be active (``g_c`` may have a kink in ``X``)."""
    from ..exact.clipped import Undecidable

    try:
        active = cm.active_branches(X)
        if len(active) != 1:
            return UNKNOWN
        d = cm._derivatives_arb(X).get(next(iter(active)))
    except (Undecidable, ValueError, ZeroDivisionError):
        return UNKNOWN
    return UNKNOWN if d is None else finite_or_unknown(d)


class ClippedBallMap:
    """``g``, ``g'``, ``h``, ``h'`` of the clipped map (GRPO-Clip) through the kernel's
    :meth:`ClippedMap.g_arb <grpo_symbolic.exact.clipped.ClippedMap.g_arb>`.  The kernel
    takes exact parameters, so every parameter must be a Fraction; with an interval
    parameter (refused by the claims file) every value is UNKNOWN.  ``g'`` and ``h'`` exist
    where one branch is active (see :func:`clipped_derivative`), else they are UNKNOWN."""

    def __init__(self, norm: str, beta, alpha, eps, p_ref, clip_low, clip_high, group=None):
        self.norm = norm
        self.cm = clipped_map(norm, beta, alpha, eps, p_ref, clip_low, clip_high, group)

    @property
    def ok(self) -> bool:
        return self.cm is not None

    def _ball(self, L):
        L = L if is_special(L) else as_ball(L)
        if is_special(L):
            return L
        if not self.ok or not L.is_finite() or abs(L).upper() > EXP_LIMIT:
            return UNKNOWN
        return L

    def g_L(self, L):
        from ..exact.clipped import Undecidable

        X = self._ball(L)
        if is_special(X):
            return X
        try:
            return finite_or_unknown(self.cm.g_arb(X))
        except Undecidable:
            return UNKNOWN

    def dg_L(self, L):
        X = self._ball(L)
        return X if is_special(X) else clipped_derivative(self.cm, X)

    def h(self, x):
        """``h(x) = sigmoid(g_c(logit x))``; UNKNOWN where ``x`` may be 0 or 1."""
        parts = pos_parts(x)
        if is_special(parts):
            return parts
        if parts.L is None:
            return UNKNOWN
        out = self.g_L(parts.L)
        return out if is_special(out) else Pos(out)

    def dh(self, x):
        """``h'(x) = h(1-h) g_c'(L) / (x(1-x))`` with ``L = logit x``."""
        parts = pos_parts(x)
        if is_special(parts):
            return parts
        if parts.L is None or not parts.s > 0:
            return UNKNOWN
        G, dG = self.g_L(parts.L), self.dg_L(parts.L)
        if is_special(G) or is_special(dG):
            return UNKNOWN
        return finite_or_unknown(div(mul(s_of_L(G), dG), parts.s))
