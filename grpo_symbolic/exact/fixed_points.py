r"""All fixed points of the PoS map, certified and refined to any number of digits.

Fixed points are the zeros of ``G(L) = g(L) - L = alpha (L_ref - L) + Omega(L)/beta``
(see :mod:`grpo_symbolic.exact.logit_map`).

**Where they can be.**  For ``alpha > 0`` every zero satisfies
``L = L_ref + Omega(L)/(alpha beta)``, so it lies in
``[L_ref + inf Omega/(alpha beta), L_ref + sup Omega/(alpha beta)]``: a bounded
interval whenever Omega is bounded (``eps > 0``, mean-only, finite groups).  With
``eps = 0`` Omega ``= 2 cosh(L/2)`` is unbounded, but ``G`` is then increasing past
some ``U`` with ``G(U) > 0``, which bounds the zeros from above.  For ``alpha = 0``
(mirror) ``G = Omega/beta > 0``: there is no fixed point in ``(0, 1)``.

**Isolation** (branch and bound with Arb balls).  A box ``[a, b]`` is dropped when
the enclosure of ``G`` over it excludes 0; when the enclosure of ``G'`` excludes 0,
``G`` is monotone there and the signs of ``G(a)``, ``G(b)`` decide between *no*
zero and *exactly one*; otherwise the box is bisected.  Boxes that shrink below a
resolution limit without being decided (a tangency, i.e. a double root at a
bifurcation) are reported as unresolved, never silently dropped.

**Refinement**: safeguarded Newton in mpmath with precision doubling, then a
rigorous Arb check that ``G`` changes sign across ``[x - t, x + t]``, ``t`` below
the last reported digit.  Since the isolating box holds exactly one zero, that
zero is within ``t`` of ``x``.

>>> from grpo_symbolic.params import Params
>>> from grpo_symbolic.exact.logit_map import LogitMap
>>> fps = isolate_fixed_points(LogitMap(Params.parse(norm="mean", beta="2", alpha="1", p_ref="0.5")))
>>> len(fps.boxes), fps.complete
(1, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
from flint import arb

from .arbutil import (LOG2_10, arb_prec, interval, is_rel_tight, mpf_of_arb_mid, rel_bits_needed,
                      to_arb)
from .logit_map import LogitMap

ISOLATION_BITS = 96


@dataclass
class Isolation:
    """Result of :func:`isolate_fixed_points`."""

    boxes: list  # [(a, b)] exact Fractions, each holding exactly one zero of G
    unresolved: list  # [(a, b)] boxes left undecided
    domain: tuple | None  # (lo, hi) searched, None when no search was needed
    examined: int
    reason: str  # why the domain is what it is
    complete: bool = field(init=False)

    def __post_init__(self):
        self.complete = not self.unresolved


@dataclass
class FixedPoint:
    """One certified fixed point ``L*`` of ``g`` (equivalently ``p* = sigmoid(L*)``)."""

    logit: object  # mpf, accurate to the requested digits
    radius: object  # mpf: the zero is certified to lie in [logit - radius, logit + radius]
    box: tuple  # isolating box (a, b) holding exactly this one zero
    slope: object  # mpf, g'(L*) (= slope of the p-map at p*)
    slope_ball: arb
    stable: bool | None  # |slope| < 1 certified True; > 1 certified False; None if undecided

    @property
    def p(self):
        return 1 / (1 + mp.exp(-self.logit))

    @property
    def one_minus_p(self):
        return 1 / (1 + mp.exp(self.logit))


# --------------------------------------------------------------------- search
def _floor_lower(x: arb) -> Fraction:
    """An integer ``<=`` every point of the ball ``x``: the floor of its exact lower end
    (no float: a float of an end point can round past it, and overflows beyond 1e308)."""
    return Fraction(math.floor(arb_mid_fraction(x.lower())))


def _ceil_upper(x: arb) -> Fraction:
    """An integer ``>=`` every point of the ball ``x`` (exact upper end, rounded up)."""
    return Fraction(math.ceil(arb_mid_fraction(x.upper())))


def search_domain(m: LogitMap):
    """The interval outside which ``G`` has no zero, with the reason.

    Returns ``(lo, hi, reason)`` with exact integer end points, or ``None`` when
    ``G`` has no zero at all (mirror case)."""
    w = m.weights
    alpha, beta = m.alpha, m.beta
    inf = w.inf_arb()
    if alpha == 0:
        return None
    ab = to_arb(alpha) * to_arb(beta)
    L_ref = m.L_ref_arb()
    lo_ball = L_ref + inf / ab
    lo = _floor_lower(lo_ball) - 1
    sup = w.sup_arb()
    if sup is not None:
        hi_ball = L_ref + sup / ab
        hi = _ceil_upper(hi_ball) + 1
        reason = ("every zero satisfies L = L_ref + Omega(L)/(alpha*beta) with "
                  "inf Omega <= Omega <= sup Omega")
        return lo, hi, reason
    # Omega unbounded (eps = 0): Omega' = sinh(L/2) increases, so once G(U) > 0 and
    # G'(U) > 0 with U >= 0, G stays positive on [U, inf).
    U = max(Fraction(1), lo + 2)
    for _ in range(200):
        GU = m.G_arb(to_arb(U))
        dGU = m.dG_arb(to_arb(U))
        if GU > 0 and dGU > 0 and getattr(w, "domega_increasing_on_positive", False):
            reason = ("lower end: L >= L_ref + inf Omega/(alpha*beta); upper end: "
                      f"G(U) > 0 and G' increasing and > 0 on [U, inf) for U = {U}")
            return lo, U, reason
        U *= 2
    raise RuntimeError("could not bound the zeros of G")  # pragma: no cover


def _sign(x: arb) -> int:
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0


def _G_point(m: LogitMap, x: Fraction, bits: int) -> arb:
    with arb_prec(bits):
        return m.G_arb(to_arb(x))


def isolate_fixed_points(m: LogitMap, max_boxes: int = 200_000, bits: int = ISOLATION_BITS) -> Isolation:
    """Boxes each holding exactly one zero of ``G`` (certified), covering all zeros."""
    dom = search_domain(m)
    if dom is None:
        return Isolation([], [], None, 0, "alpha = 0: G(L) = Omega(L)/beta > 0 for every L, no zero")
    lo, hi, reason = dom
    stack = []
    if lo < 0 < hi:  # Omega' changes sign at 0: never let a box straddle it
        stack = [(Fraction(0), hi), (lo, Fraction(0))]
    else:
        stack = [(lo, hi)]
    found, unresolved = [], []
    examined = 0
    signs: dict = {}

    def sign_at(x: Fraction) -> int:
        if x not in signs:
            s = _sign(m.G_arb(to_arb(x)))
            signs[x] = s if s != 0 else _sign(_G_point(m, x, 4 * bits))
        return signs[x]

    with arb_prec(bits):
        L_ref = m.L_ref_arb()
        while stack:
            a, b = stack.pop()
            examined += 1
            if examined > max_boxes:
                unresolved.append((a, b))
                unresolved.extend(stack)
                break
            X = interval(a, b)
            dGX = m.dG_arb(X)
            GX = m.G_arb(X, L_ref, dGX)
            if GX > 0 or GX < 0:
                continue
            if dGX > 0 or dGX < 0:
                sa, sb = sign_at(a), sign_at(b)
                if sa * sb < 0:
                    found.append((a, b))
                    continue
                if sa * sb > 0:
                    continue
                # a zero at (or indistinguishably near) an end point: move the split
            width = b - a
            scale = max(Fraction(1), abs(a), abs(b))
            if width <= scale / 2**60:
                unresolved.append((a, b))
                continue
            mid = _split_point(a, b)
            stack.append((mid, b))
            stack.append((a, mid))
    found.sort()
    unresolved.sort()
    return Isolation(found, unresolved, (lo, hi), examined, reason)


def _split_point(a: Fraction, b: Fraction) -> Fraction:
    """A dyadic point near the middle of [a, b] (slightly off-centre, so that a zero
    sitting exactly at a round midpoint cannot stall the bisection)."""
    w = b - a
    k = 0
    while Fraction(1, 2**k) > w / 64:
        k += 1
    step = Fraction(1, 2**k)
    mid = a + w * Fraction(127, 256)
    return Fraction(math.floor(mid / step)) * step if a < Fraction(math.floor(mid / step)) * step < b else a + w / 2


# ----------------------------------------------------------------- refinement
def _log10_size(scale: Fraction) -> int:
    """An integer ``>= log10 max(1, |scale|)`` (exact bit lengths, no float overflow)."""
    a = abs(Fraction(scale))
    if a <= 1:
        return 0
    return int((a.numerator.bit_length() - a.denominator.bit_length() + 1) * 0.30103) + 1


def _bits_for(digits: int, scale) -> int:
    """Working precision for ``digits`` significant digits of a zero of size up to
    ``scale`` (log-odds are refined to an absolute accuracy when ``|L| > 1``, which costs
    ``log10 |L|`` more digits)."""
    return int(3.33 * (digits + 12 + _log10_size(scale))) + 32


def refine_zero(m: LogitMap, box: tuple, digits: int):
    """Refine the unique zero of ``G`` in ``box`` to ``digits`` significant digits.

    Safeguarded Newton on Arb midpoints (bisection whenever a Newton step leaves
    the current bracket), then Newton with precision doubling, then an Arb
    certificate.  Returns ``(x, radius)`` as mpmath numbers: the zero is certified
    to lie in ``[x - radius, x + radius]``.
    """
    a, b = box
    scale = max(abs(a), abs(b), Fraction(1))
    target = _bits_for(digits, scale)
    with arb_prec(96):
        lo, hi = to_arb(a), to_arb(b)
        s_lo = _sign(m.G_arb(lo))
        x = ((lo + hi) / 2).mid()
        tol = arb(2) ** -48 * to_arb(scale)
        for _ in range(400):
            Gx = m.G_arb(x)
            sx = _sign(Gx)
            if sx == 0:
                break
            if sx == s_lo:
                lo = x
            else:
                hi = x
            d = m.dG_arb(x)
            xn = (x - Gx.mid() / d.mid()).mid() if not d.contains(0) else None
            if xn is None or not (lo < xn < hi):
                xn = ((lo + hi) / 2).mid()
            done = abs(xn - x) < tol or (hi - lo) < tol
            x = xn
            if done:
                break
    def step(x):
        return (x - m.G_arb(x).mid() / m.dG_arb(x).mid()).mid()

    x = newton_doubling(step, x, 96, target, rounds=2)
    with arb_prec(target):
        x = step(x)
    radius = _certify_radius(m, x, digits, box, target)
    with mp.workprec(target):
        return mpf_of_arb_mid(x), radius


def newton_doubling(step, x: arb, bits: int, target: int, rounds: int) -> arb:
    r"""Newton's method with precision doubling (numerics only: certificates come later).

    From the Arb midpoint ``x``, the working precision goes ``2 bits, 4 bits, ...`` up to
    ``target`` (capped there); at each level ``rounds`` steps ``x <- step(x)`` are made,
    ``step`` being one Newton step ``x - f(x)/f'(x)`` on midpoints (returning None when
    ``f'(x)`` vanishes ends the level).  Since Newton doubles the number of correct digits
    per step near a simple zero, each level needs only a step or two.

    >>> from flint import arb
    >>> r = newton_doubling(lambda x: ((x + 2 / x) / 2).mid(), arb(1), 64, 256, rounds=4)
    >>> with arb_prec(256):
    ...     bool(abs(r * r - 2) < arb(2) ** -240)
    True
    """
    while bits < target:
        bits = min(2 * bits, target)
        with arb_prec(bits):
            for _ in range(rounds):
                nx = step(x)
                if nx is None:
                    break
                x = nx
    return x


def _tolerance_exp(x: arb, digits: int) -> int:
    """k such that 2^-k is below the last reported digit of x (absolute in the
    log-odds when |x| >= 1, relative otherwise)."""
    k = int(math.ceil((digits + 2) * 3.3219280948873626)) + 1
    ax = abs(x)
    if ax < 1 and not ax.is_zero():
        k += max(0, -int(ax.mid().man_exp()[1]) - int(ax.mid().man_exp()[0]).bit_length())
    return k


def _certify_radius(m: LogitMap, x: arb, digits: int, box: tuple, bits: int):
    """Prove with Arb that G changes sign on [x - t, x + t], with t = 2^-k below the
    last reported digit; returns t (mpf)."""
    k = _tolerance_exp(x, digits)
    t = Fraction(1, 2**k)
    xf = arb_mid_fraction(x)
    a, b = box
    for _ in range(6):
        with arb_prec(bits):
            lf, rf = max(xf - t, a), min(xf + t, b)
            if _sign(m.G_arb(to_arb(lf))) * _sign(m.G_arb(to_arb(rf))) < 0:
                return mp.mpf(t.numerator) / t.denominator
        bits *= 2
    raise ArithmeticError("could not certify the refined zero (near-double root?)")


def arb_mid_fraction(x: arb) -> Fraction:
    """Exact value of the midpoint of an Arb ball as a Fraction."""
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


# ---------------------------------------------------------------- slopes
#: at most this many extra refinements of a zero to make its slope relatively tight
SLOPE_ROUNDS = 6
#: zeros are first refined to this many digits more than reported, so that the slope
#: (whose radius is about |g''| times the zero's radius) is usually tight at once
SLOPE_GUARD = 5


def _stability(sb: arb) -> bool | None:
    """``|g'| < 1`` certified: True; ``|g'| > 1`` certified: False; else None.
    (Ball comparisons, which do not round; ``abs(sb)`` would round to the ambient
    precision and could lose ``1 - 1e-40 < 1``.)"""
    if sb < 1 and sb > -1:
        return True
    if sb > 1 or sb < -1:
        return False
    return None


def _more_digits(sb: arb, d: int, digits: int) -> int:
    """Digits to refine the zero to next: the relative accuracy still missing from the
    slope ball ``sb`` (in decimal digits, plus a margin), or twice as many when ``sb``
    contains 0 or is not finite."""
    if not sb.is_finite() or sb.contains(0):
        return 2 * d + 10
    missing = rel_bits_needed(digits) - sb.rel_accuracy_bits()
    return d + int(missing / LOG2_10) + 5


def certified_slope(m: LogitMap, box: tuple, x, rad, digits: int):
    r"""``(slope_ball, x, rad)``: an Arb ball for the slope ``g'(L*)`` of the zero ``L*``
    of ``G`` in ``[x - rad, x + rad]`` (certified, inside the isolating ``box``), with
    relative radius below ``10^-(digits+3)``.

    .. math:: g'(L^*) = (1-\alpha) + \Omega'(L^*)/\beta

    is enclosed by the Arb extension of ``g'`` over the certified interval.  Its radius
    is about ``|g''| rad`` plus rounding: a fixed absolute accuracy, too coarse for a small
    slope (``1 - alpha = 1e-40``) or one where ``1 - alpha`` and ``Omega'/beta`` cancel.
    Then the zero is refined to more digits (smaller ``rad``) at a higher working
    precision, and ``g'`` re-enclosed, until the ball is relatively tight or
    ``SLOPE_ROUNDS`` refinements were made (the ball is then still an enclosure, only
    wider; reports print only its certified digits).  The returned ``x, rad`` are the
    refined zero and its certified radius."""
    scale = max(abs(box[0]), abs(box[1]), Fraction(1))
    d = digits
    for rnd in range(SLOPE_ROUNDS + 1):
        with arb_prec(_bits_for(d, scale) + 64):
            sb = m.dg_arb(_ball(x, rad))
        if is_rel_tight(sb, digits) or rnd == SLOPE_ROUNDS:
            return sb, x, rad
        d = _more_digits(sb, d, digits)
        x, rad = refine_zero(m, box, d)
    return sb, x, rad  # pragma: no cover - the loop returns


# ---------------------------------------------------------------- public API
def fixed_points(m: LogitMap, digits: int = 30, isolation: Isolation | None = None):
    """All fixed points in (0, 1): ``(list[FixedPoint], Isolation)``, sorted by logit.
    Each slope is a relatively tight Arb ball (:func:`certified_slope`)."""
    iso = isolation or isolate_fixed_points(m)
    pts = []
    for box in iso.boxes:
        x, rad = refine_zero(m, box, digits + SLOPE_GUARD)
        sb, x, rad = certified_slope(m, box, x, rad, digits)
        pts.append(FixedPoint(logit=x, radius=rad, box=box, slope=mpf_of_arb_mid(sb), slope_ball=sb,
                              stable=_stability(sb)))
    pts.sort(key=lambda f: f.logit)
    return pts, iso


def ball_ends(x, rad) -> tuple[Fraction, Fraction]:
    """Exact end points ``(x - |rad|, x + |rad|)`` of a certified ball given by mpmath
    numbers (a fixed point's ``logit`` and ``radius``, a cycle point and its radius).

    >>> ball_ends(mp.mpf(0.5), mp.mpf(0.25))
    (Fraction(1, 4), Fraction(3, 4))
    """
    xf, rf = mpf_to_fraction(x), abs(mpf_to_fraction(rad))
    return xf - rf, xf + rf


def _ball(x, rad) -> arb:
    """Arb ball ``[x - rad, x + rad]`` from mpmath numbers, with end points computed
    exactly (no rounding that could shave a sliver off the certified interval)."""
    return interval(*ball_ends(x, rad))


def mpf_to_fraction(x) -> Fraction:
    """Exact value of an mpmath mpf as a Fraction."""
    # use the number's own representation: mp.mpf(x) would round to the current precision
    sign, man, exp, _ = (x if isinstance(x, mp.mpf) else mp.mpf(x))._mpf_
    if man == 0:
        if exp != 0:
            raise ValueError("not a finite number")
        return Fraction(0)
    v = Fraction(int(man)) * (Fraction(2) ** int(exp))
    return -v if sign else v
