r"""Classify the orbit ``L_{n+1} = g(L_n)`` of the PoS map, with certificates.

This module is the one orbit engine of the package: ``grpo-symbolic dynamics`` (through
:func:`grpo_symbolic.exact.dynamics.compute_dynamics`), the audit and the reviewer's
claim checker (:mod:`grpo_symbolic.reviewer.engine`) all call it.

Kinds:

* ``to_one`` — ``L_n -> +inf`` (``p_n -> 1``).  Certified when ``G = g - id`` is
  positive on a forward-invariant half line that the orbit enters: always for the
  mirror map (``alpha = 0``: ``G = Omega/beta > 0``), and for ``eps = 0`` once
  ``L_n >= U`` with ``G(U) > 0`` and ``G`` increasing beyond ``U``.
* ``converges`` — to a stable fixed point ``L*``.  Certified by a *trap*: an
  interval ``J`` around ``L*`` on which ``sup |g'| <= q < 1`` (Arb), so that
  ``|g(L) - L*| <= q |L - L*|``; the orbit, computed rigorously with Arb balls
  from the exact start ``logit(p0)``, is seen to enter ``J``.
* ``cycle`` — to a stable cycle of minimal period ``k >= 2``.  Certified the same
  way for ``g^k``: an interval ``J`` with ``g^k(J) ⊂ J`` and ``|(g^k)'| <= q < 1`` on
  ``J`` (both by interval propagation), entered by the rigorous orbit; a tiny
  ``X_0 ⊂ J`` across which ``g^k - id`` changes sign holds the cycle point, and its
  images ``g^j(X_0)``, disjoint from ``X_0`` for ``0 < j < k``, prove the period minimal
  and enclose the other points and the multiplier (:func:`periodic_balls`).
* ``unresolved`` — none of the above within the step budget (e.g. chaotic
  orbits, or convergence too slow near a bifurcation); the evidence says what
  was seen.

Building blocks (each an Arb statement, used by both :func:`classify_orbit` and the
reviewer): :func:`walk_orbit` / :func:`first_entry` (the rigorous orbit from the exact
start, and the first step it lies in an interval), :func:`propagate` (``g^k`` and
``(g^k)'`` over a ball), :func:`contracting_trap`, :func:`invariant_pieces`,
:func:`periodic_balls`; and the two certificates the reviewer needs for its
``count(...)`` tails: :func:`converging_trap` (an interval ``J`` around a limit with
``g(J) ⊂ J``) and :func:`certify_cycle` (the cycle re-proved from its numerical points,
with the forward-invariant pieces ``J, g(J), ..., g^(k-1)(J)``).

>>> from grpo_symbolic.params import Params
>>> from grpo_symbolic.exact.fixed_points import fixed_points
>>> m = LogitMap(Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2"))
>>> o = classify_orbit(m, fixed_points(m, digits=10)[0], digits=10)
>>> o.kind, o.period, mp.nstr(o.points[0], 10)
('converges', 1, '0.7596762396')
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import mpmath as mp
from flint import arb
from mpmath.libmp import from_rational

from .arbutil import arb_prec, interval, mpf_of_arb_mid, to_arb
from .fixed_points import (SLOPE_GUARD, FixedPoint, _log10_size, _stability, arb_mid_fraction,
                           mpf_to_fraction, newton_doubling, search_domain)
from .logit_map import LogitMap

#: an Arb orbit ball "lost precision" once its radius exceeds this times ``1 + |mid|``
LOSS = Fraction(1, 2**24)
#: highest precision (bits) of the rigorous orbit when looking for a trap entry
ENTRY_BITS = 8192


@dataclass
class Trap:
    """``J = [lo, hi]``: an orbit ball inside ``inner`` converges to ``target``."""

    lo: Fraction
    hi: Fraction
    inner: tuple  # (lo, hi) exact
    q: float  # contraction bound, < 1
    period: int
    target: object  # mpf (a point of the attractor)

    def contains(self, X: arb) -> bool:
        key = flint.ctx.prec
        cache = self.__dict__.setdefault("_arb", {})
        if key not in cache:
            cache[key] = (to_arb(self.inner[0]), to_arb(self.inner[1]))
        return inside(X, *cache[key])


@dataclass
class Orbit:
    kind: str  # converges | cycle | to_one | unresolved
    period: int | None
    points: list  # mpf: the limit (period 1) or the cycle points, ascending
    radii: list  # certified radius of each point
    multiplier: object | None  # g'(L*) or the product of g' over the cycle
    stable: bool | None
    steps_used: int
    evidence: dict = field(default_factory=dict)
    trace: list = field(default_factory=list)  # first iterates (logits, 17 digits)
    #: Arb enclosure of the multiplier (None when there is none to report)
    multiplier_ball: arb | None = None


@dataclass
class CycleCertificate:
    """An attracting cycle of minimal period ``k``, re-proved by :func:`certify_cycle`."""

    balls: list  # Arb enclosures of the k cycle points (log-odds), increasing
    multiplier: arb  # encloses prod_j g'(x_j) over the cycle
    entered: int  # first n with the Arb ball of L_n inside the trap J
    #: ``J, g(J), ..., g^(k-1)(J)`` when ``g^k(J) ⊂ J`` (so ``L_n`` lies in their union for
    #: every ``n >= entered``, each piece mapped into the next), else None
    pieces: list | None


# ----------------------------------------------------------- the Arb orbit
def inside(X: arb, lo: arb, hi: arb) -> bool:
    """``X ⊂ [lo, hi]``, certified (every point of the ball ``X`` lies between the balls).

    >>> inside(interval(Fraction(1, 2), Fraction(3, 2)), arb(0), arb(2)), inside(interval(-1, 1), arb(0), arb(2))
    (True, False)
    """
    return bool(X.lower() >= lo) and bool(X.upper() <= hi)


def _strictly_inside(Y: arb, J: arb) -> bool:
    """``Y`` lies in the interior of ``J`` (certified)."""
    return bool(Y.lower() > J.lower()) and bool(Y.upper() < J.upper())


def precision_lost(X: arb) -> bool:
    """The orbit ball ``X`` is useless: not finite, or ``rad X > LOSS (1 + |mid X|)``.

    >>> precision_lost(interval(3, 3 + Fraction(1, 10**9))), precision_lost(interval(3, 3 + Fraction(1, 10**3)))
    (False, True)
    """
    return not X.is_finite() or bool(X.rad() > to_arb(LOSS) * (1 + abs(X.mid())))


def walk_orbit(m: LogitMap, steps: int, visit, top_bits: int = ENTRY_BITS):
    r"""Visit the rigorous orbit ``X_0 ∋ logit(p0)``, ``X_{n+1} = g(X_n)``, ``n <= steps``.

    Each ``X_n`` is an Arb ball containing ``L_n`` (the start is enclosed from the exact
    rational ``p0``).  ``visit(n, X_n)`` is called for each ``n``; the first answer that
    is not None ends the walk.  When a ball loses its precision
    (:func:`precision_lost`) the walk starts again at twice the precision, from 128
    bits up to ``top_bits``.  Returns ``(answer, lost_bits)``: ``lost_bits`` is None, or
    the precision at which the last walk still lost precision (then ``answer`` is None).

    >>> from grpo_symbolic.params import Params
    >>> m = LogitMap(Params.parse(norm="mean", beta="2", alpha="0", p_ref="0.5"))
    >>> walk_orbit(m, 10, lambda n, X: n if X > 2 else None)     # L_n = n/2
    (5, None)
    """
    bits = 128
    while bits <= top_bits:
        with arb_prec(bits):
            X = m.L_start_arb()
            for n in range(steps + 1):
                answer = visit(n, X)
                if answer is not None:
                    return answer, None
                if precision_lost(X):
                    break
                if n < steps:
                    X = m.g_arb(X)
            else:
                return None, None
        bits *= 2
    return None, bits // 2


def first_entry(m: LogitMap, lo: Fraction, hi: Fraction, steps: int) -> int | None:
    """The first ``n <= steps`` at which the Arb ball of ``L_n`` lies in ``[lo, hi]``
    (exact end points), or None if the rigorous orbit is not seen to get there.

    >>> from grpo_symbolic.params import Params
    >>> m = LogitMap(Params.parse(norm="mean", beta="2", alpha="0", p_ref="0.5"))
    >>> first_entry(m, Fraction(9, 4), Fraction(11, 4), 100), first_entry(m, Fraction(-2), Fraction(-1), 100)
    (5, None)
    """
    ends: dict = {}

    def visit(n, X):
        key = flint.ctx.prec
        if key not in ends:
            ends[key] = (to_arb(lo), to_arb(hi))
        return n if inside(X, *ends[key]) else None

    return walk_orbit(m, steps, visit)[0]


# ----------------------------------------------------------- g^k on balls
def propagate(m: LogitMap, X: arb, k: int, tight: bool = True) -> tuple[arb, arb]:
    r"""Enclosures of ``g^k(X)`` and of ``(g^k)'`` over ``X``, by the chain rule

    .. math:: (g^k)'(x) = \prod_{j<k} g'(g^j(x)),

    each factor enclosed over the enclosure of ``g^j(X)`` (``g_arb_tight``, or the natural
    extension ``g_arb`` with ``tight=False``).

    >>> from grpo_symbolic.params import Params
    >>> m = LogitMap(Params.parse(norm="mean", beta="2", alpha="1", p_ref="0.5"))
    >>> propagate(m, arb(5), 3)          # alpha = 1, mean: g = L_ref + 1/beta, g' = 0
    (0.500000000000000, 0)
    """
    image = m.g_arb_tight if tight else m.g_arb
    D = arb(1)
    for _ in range(k):
        D = D * m.dg_arb(X)
        X = image(X)
    return X, D


def contracting_trap(m: LogitMap, J: arb, k: int) -> arb | None:
    """``|(g^k)'|`` enclosed over ``J`` when ``g^k(J)`` lies in the interior of ``J`` and
    ``|(g^k)'| < 1`` on ``J`` (both certified); else None.

    Then ``g^k`` is a contraction of ``J`` into itself: ``J`` holds exactly one fixed
    point of ``g^k``, and every orbit that enters ``J`` converges to its cycle."""
    img, D = propagate(m, J, k)
    q = abs(D)
    return q if q < 1 and _strictly_inside(img, J) else None


def invariant_pieces(m: LogitMap, J: arb, k: int) -> list | None:
    """``[J, g(J), ..., g^(k-1)(J)]`` (Arb) when ``g^k(J) ⊂ J`` is certified, else None:
    then an orbit in ``J`` at step ``n0`` lies in the union of the pieces for every
    ``n >= n0`` (piece ``j`` at the steps ``n0 + j mod k``)."""
    pieces = [J]
    for _ in range(k - 1):
        pieces.append(m.g_arb_tight(pieces[-1]))
    return pieces if inside(m.g_arb_tight(pieces[-1]), J.lower(), J.upper()) else None


def periodic_balls(m: LogitMap, c: Fraction, t: Fraction, k: int) -> tuple[list, arb] | None:
    r"""Balls around a point of minimal period ``k`` near ``c``, at the current precision.

    1. ``F = g^k - id`` takes opposite signs at the exact points ``c - t`` and ``c + t``,
       so ``X_0 = [c - t, c + t]`` holds a zero ``x`` of ``F`` (a point of period dividing ``k``);
    2. ``X_j = g^j(X_0)`` (Arb) is finite and disjoint from ``X_0`` for ``0 < j < k``, so
       ``g^j(x) != x``: the period of ``x`` is exactly ``k``.

    Returns ``([X_0, ..., X_{k-1}], M)`` with ``x_j = g^j(x)`` in ``X_j`` and the multiplier
    ``prod_j g'(x_j)`` in ``M = prod_j g'(X_j)``; None if a step fails.  That ``x`` is the
    attracting cycle's point needs ``X_0`` inside a :func:`contracting_trap` (callers check)."""
    def F(x):
        X = to_arb(x)
        return propagate(m, X, k)[0] - X

    lo, hi = F(c - t), F(c + t)
    if not ((lo > 0 and hi < 0) or (lo < 0 and hi > 0)):
        return None
    X0 = interval(c - t, c + t)
    balls, mult, Y = [X0], m.dg_arb(X0), X0
    for _ in range(k - 1):
        Y = m.g_arb_tight(Y)
        if Y.overlaps(X0) or not Y.is_finite():
            return None
        balls.append(Y)
        mult = mult * m.dg_arb(Y)
    return balls, mult


# --------------------------------------------------------- radius searches
def _first_ok(ok, start: int, bottom: int):
    """``(e, ok(e))`` for the first ``e = start, start - 1, ..., bottom`` with ``ok(e)`` not
    None; None if there is none."""
    for e in range(start, bottom - 1, -1):
        r = ok(e)
        if r is not None:
            return e, r
    return None


def _largest_ok(ok, start: int, top: int, bottom: int):
    """Doubling search over radii 2^e: from ``start``, grow while ``ok(e)`` holds (up to
    ``top``), or shrink until it holds (down to ``bottom``); the last success or None."""
    best = ok(start)
    if best is not None:
        for e in range(start + 1, top + 1):
            r = ok(e)
            if r is None:
                break
            best = r
        return best
    found = _first_ok(ok, start - 1, bottom)
    return None if found is None else found[1]


def _shrunk_first_ok(ok, start: int, bottom: int, shrink: int):
    """:func:`_first_ok`; with ``shrink > 0``, the first success at least ``4 shrink``
    exponents below that one (a trap about ``16^shrink`` times smaller)."""
    found = _first_ok(ok, start, bottom)
    if found is None or not shrink:
        return found
    return _first_ok(ok, found[0] - 4 * shrink, bottom)


# ------------------------------------------------------------------ traps
def _sup_abs_dg(m: LogitMap, lo: Fraction, hi: Fraction, pieces: int = 2) -> arb:
    best = None
    step = (hi - lo) / pieces
    for i in range(pieces):
        d = abs(m.dg_arb(interval(lo + i * step, lo + (i + 1) * step)))
        best = d if best is None else best.union(d)
    return best


def trap_for_fixed_point(m: LogitMap, fp: FixedPoint, bits: int = 128) -> Trap | None:
    """Largest interval (from a doubling search) around a stable fixed point on
    which ``|g'| <= q < 1`` is certified."""
    c = mpf_to_fraction(fp.logit)
    tol = mpf_to_fraction(fp.radius)
    scale = max(Fraction(1), abs(c))

    def ok(k):
        R = scale * Fraction(2) ** k
        if R <= 4 * tol:
            return None
        q = _sup_abs_dg(m, c - R, c + R)
        return (R, _float_up(q)) if q < 1 else None

    with arb_prec(bits):
        best = _largest_ok(ok, -6, 60, -160)
    if best is None:
        return None
    R, q = best
    return Trap(c - R, c + R, (c - R + 2 * tol, c + R - 2 * tol), q, 1, fp.logit)


def converging_trap(m: LogitMap, lo: Fraction, hi: Fraction, steps: int, shrink: int = 0):
    """A forward-invariant interval around a limit: ``(n0, [J])`` with ``J ⊃ [lo, hi]``
    (the limit's certified enclosure), ``g(J)`` in the interior of ``J`` (Arb), and ``n0``
    the first step at which the Arb orbit lies in ``J`` (so ``L_n ∈ J`` for all
    ``n >= n0``); None if not found.  ``J = [lo - R, hi + R]`` with the largest
    ``R = scale 2^e <= scale/2`` that works; ``shrink > 0`` asks for one about
    ``16^shrink`` times smaller.

    >>> from grpo_symbolic.params import Params
    >>> m = LogitMap(Params.parse(norm="mean", beta="2", alpha="1", p_ref="0.5"))
    >>> n0, (J,) = converging_trap(m, Fraction(1, 2), Fraction(1, 2), 100)   # L* = 1/2
    >>> n0, bool(J.contains(interval(0, 1)))               # L_0 = logit(1/2) = 0 is in J already
    (0, True)
    """
    scale = max(Fraction(1), abs(lo), abs(hi))

    def ok(e):
        R = scale * Fraction(2) ** e
        if R <= 4 * (hi - lo):
            return None
        J = interval(lo - R, hi + R)
        return J if _strictly_inside(m.g_arb_tight(J), J) else None

    with arb_prec(256):
        found = _shrunk_first_ok(ok, -1, -199, shrink)
    if found is None:
        return None
    e, J = found
    R = scale * Fraction(2) ** e
    n0 = first_entry(m, lo - R, hi + R, steps)
    return None if n0 is None else (n0, [J])


# --------------------------------------------------------------- helpers
def _float_up(x: arb) -> float:
    """A float ``>=`` every point of the ball ``x`` (a reported bound must not be rounded
    down: ``float()`` rounds to nearest)."""
    f = float(x.upper())
    return f if arb(f) >= x.upper() else math.nextafter(f, math.inf)


def _fmt17(x) -> str:
    return mp.nstr(x, 17)


def _find_period(mids: list, max_period: int):
    """Smallest k such that the last iterates repeat with period k (numerically)."""
    n = len(mids)
    if n < 3:
        return None
    x = mids[-1]
    for k in range(1, max_period + 1):
        if n <= 2 * k:
            break
        ok = True
        for j in range(min(k, 3) + 1):
            a, b = mids[-1 - j], mids[-1 - j - k]
            if abs(a - b) > 1e-7 * (1 + abs(x)):
                ok = False
                break
        if ok:
            return k
    return None


def _unresolved(reason: str, steps_used: int, trace, **more) -> Orbit:
    return Orbit("unresolved", None, [], [], None, None, steps_used, {"reason": reason, **more}, trace)


# --------------------------------------------------------------- public
def classify_orbit(m: LogitMap, fixed: list[FixedPoint], digits: int = 30,
                   steps: int = 10_000, max_period: int = 64) -> Orbit:
    """Classify the orbit of ``logit(p0)`` (``p0 = p_ref`` unless given)."""
    trace = []
    with arb_prec(96):
        x = m.L_start_arb()
        for _ in range(min(steps, 12) + 1):
            trace.append(x.mid().str(17, radius=False))
            if abs(x.mid()) > arb(10) ** 30:
                break
            x = m.g_arb(x)

    if m.alpha == 0:
        inf = m.weights.inf_arb() / to_arb(m.beta)
        if inf > 0:
            why = (f"mirror map: G(L) = Omega(L)/beta >= inf Omega/beta = {inf.lower().str(6, radius=False)} > 0, "
                   "so L_n >= L_0 + n * inf Omega / beta -> inf")
        else:
            why = ("mirror map: G(L) = Omega(L)/beta > 0 for every real L, so L_n increases; a bounded "
                   "increasing orbit would converge to a zero of G and there is none, hence L_n -> inf")
        return Orbit("to_one", None, [], [], None, True, 0,
                     {"certificate": why}, trace)

    stable_fps = [f for f in fixed if f.stable]
    stable_at = [float(f.logit) for f in stable_fps]
    trap_cache: dict[int, Trap | None] = {}

    def trap_near(mid: float) -> Trap | None:
        """The trap of the stable fixed point nearest to ``mid`` (built on demand)."""
        if not stable_fps:
            return None
        i = min(range(len(stable_at)), key=lambda j: abs(stable_at[j] - mid))
        if i not in trap_cache:
            trap_cache[i] = trap_for_fixed_point(m, stable_fps[i])
        return trap_cache[i]
    dom = search_domain(m)
    escape = dom[1] if (dom is not None and m.weights.sup_arb() is None) else None

    mids: deque = deque(maxlen=2 * max_period + 8)
    state = {"last_n": 0, "next_cycle_try": 32}

    def visit(n: int, X: arb):
        if n == 0:  # a new walk (at a higher precision): forget the old iterates
            mids.clear()
        t = trap_near(float(X.mid()))
        if t is not None and t.contains(X):
            return _converged(m, t, fixed, n, X, digits, trace)
        if escape is not None and X.lower() >= to_arb(escape):
            why = (f"L_{n} >= U = {escape}: G(U) > 0 and G is increasing on [U, inf), so "
                   "L_n increases by at least G(U) per step")
            return Orbit("to_one", None, [], [], None, True, n,
                         {"certificate": why, "entered_at_step": n}, trace)
        if precision_lost(X):
            return None  # walk_orbit starts again at a higher precision
        mid = X.mid()
        mids.append(float(mid) if abs(float(mid)) < 1e300 else mid)
        state["last_n"] = n
        if n == state["next_cycle_try"]:  # look for an attracting cycle early
            state["next_cycle_try"] *= 2
            k = _find_period(list(mids), max_period)
            if k is not None and k >= 2:
                found = _cycle(m, k, mids[-1], digits, steps, trace)
                if found.kind == "cycle":
                    return found
        return None

    found, lost_bits = walk_orbit(m, steps, visit, top_bits=16384)
    if found is not None:
        return found
    last_n = state["last_n"]
    if lost_bits is not None:
        return _unresolved(f"Arb balls lost all precision by step {last_n} even at {lost_bits} bits "
                           "(the orbit is expanding: chaotic or a long unstable transient)", last_n, trace)

    k = _find_period(list(mids), max_period)
    if k is None:
        return _unresolved(f"no fixed point trap entered and no period <= {max_period} seen in {steps} steps "
                           "(possibly chaotic)", last_n, trace,
                           last_logits=[_fmt17(v) for v in list(mids)[-8:]])
    if k == 1:
        return _unresolved(f"the orbit settles numerically near L = {_fmt17(mids[-1])} but did not enter "
                           f"a certified trap within {steps} steps (slow convergence: |g'| close to 1?)",
                           last_n, trace)
    return _cycle(m, k, mids[-1], digits, steps, trace)


def _converged(m, trap: Trap, fixed, n, X, digits, trace) -> Orbit:
    fp = min(fixed, key=lambda f: abs(f.logit - trap.target))
    ev = {"certificate": (f"the Arb orbit ball at step {n} lies in the trap "
                          f"[{float(trap.inner[0]):.17g}, {float(trap.inner[1]):.17g}] around the fixed point, "
                          f"where |g'| <= q = {trap.q:.6g} < 1 (Arb), so |L_m - L*| <= q^(m-{n}) |L_{n} - L*| for m >= {n}"),
          "entered_at_step": n, "trap": [str(float(trap.inner[0])), str(float(trap.inner[1]))],
          "contraction": trap.q}
    return Orbit("converges", 1, [fp.logit], [fp.radius], fp.slope, fp.stable, n, ev, trace, fp.slope_ball)


def refine_cycle(m: LogitMap, k: int, x0, digits: int) -> list:
    """Numerical points (mpf, in orbit order) of a period-``k`` cycle seen near ``x0`` (a
    float, an mpf, or an Arb number beyond float range): Newton on ``g^k(L) - L`` with Arb
    midpoints and precision doubling (:func:`~.fixed_points.newton_doubling`) to about
    ``digits + 15`` digits, then the images ``g^j`` of the refined point.  Numerics only:
    :func:`_cycle` certifies them."""
    size = max(0, int(math.log10(max(1.0, abs(float(x0))))))
    work_bits = int(3.33 * (digits + 15 + size)) + 32

    def step(x):
        y, d = propagate(m, x, k, tight=False)
        if (d - 1).mid() == 0:
            return None
        return (x - (y - x).mid() / (d - 1).mid()).mid()

    with arb_prec(64):  # the start, exactly (a float is a dyadic rational)
        x = x0.mid() if isinstance(x0, arb) else to_arb(Fraction(x0) if isinstance(x0, float) else mpf_to_fraction(x0))
    x = newton_doubling(step, x, 64, work_bits, rounds=3)
    with arb_prec(work_bits), mp.workprec(work_bits):
        pts, y = [], x
        for _ in range(k):
            pts.append(mpf_of_arb_mid(y))
            y = m.g_arb(y).mid()
    return pts


def _cycle(m: LogitMap, k: int, x0, digits: int, steps: int, trace) -> Orbit:
    """Refine and certify a cycle of period ``k`` seen numerically near ``x0``."""
    pts = refine_cycle(m, k, x0, digits)
    x0 = float(x0)  # for the messages
    # certify: a contracting trap J around the first point for g^k
    c = mpf_to_fraction(pts[0])
    scale = max(Fraction(1), abs(c))

    def ok(e):
        R = scale * Fraction(2) ** e
        q = contracting_trap(m, interval(c - R, c + R), k)
        return None if q is None else (R, _float_up(q))

    with arb_prec(160):
        cert = _largest_ok(ok, -12, 0, -120)
    if cert is None:
        return _unresolved(f"a period-{k} cycle is seen numerically near L = {x0:.17g} but no "
                           "contracting trap for g^k could be certified", steps, trace)
    R, q = cert
    # the rigorous orbit must enter the trap
    entered = first_entry(m, c - R, c + R, steps)
    if entered is None:
        return _unresolved(f"period-{k} cycle certified near L = {x0:.17g}, but the rigorous orbit "
                           "was not seen to enter its trap", steps, trace)
    distinct = all(abs(pts[i] - pts[j]) > mp.mpf(10) ** (-digits)
                   for i in range(k) for j in range(i + 1, k))
    if not distinct:
        return _unresolved(f"cycle candidate of period {k} has coinciding points", steps, trace)
    got = _certify_cycle_points(m, pts, k, digits, R)
    if got is None:
        return _unresolved(f"period-{k} cycle near L = {x0:.17g}: its points could not be certified to "
                           f"{digits} digits", steps, trace)
    radii, mult_ball = got
    order = sorted(range(k), key=lambda i: pts[i])
    ev = {"certificate": (f"J = [{float(c - R):.17g}, {float(c + R):.17g}] satisfies g^{k}(J) ⊂ J and "
                          f"|(g^{k})'| <= {q:.6g} < 1 on J (Arb interval propagation), so J holds a unique "
                          f"attracting period-{k} point; the Arb orbit ball enters J at step {entered}"),
          "entered_at_step": entered, "trap": [str(float(c - R)), str(float(c + R))], "contraction": q}
    return Orbit("cycle", k, [pts[i] for i in order], [radii[i] for i in order], mpf_of_arb_mid(mult_ball),
                 _stability(mult_ball), entered, ev, trace, mult_ball)


def _certify_cycle_points(m: LogitMap, pts, k: int, digits: int, R: Fraction):
    """Certified radii of the cycle points and an Arb ball for the multiplier.

    :func:`periodic_balls` on ``X_0 = [c - t, c + t]`` (``c = pts[0]``), which lies in the
    contracting trap ``[c - R, c + R]`` (``t < R``), so the zero of ``g^k - id`` in ``X_0`` is
    the attracting cycle's point and ``X_j`` enclose the others; the radius of point ``j``
    is the distance from ``pts[j]`` to the far end of ``X_j``.  ``t`` sits ``SLOPE_GUARD``
    digits below the last reported one so that the multiplier's ball is relatively
    tight too.  Returns ``(radii, multiplier_ball)`` (radii as mpf, each rounded up), or
    None if the certificate fails (at four precisions)."""
    k_bits = int(3.33 * (digits + SLOPE_GUARD + 25 + _log10_size(mpf_to_fraction(pts[0])))) + 64
    c = mpf_to_fraction(pts[0])
    t = Fraction(1, 2 ** (int((digits + 2 + SLOPE_GUARD) * 3.33) + 2))
    if t >= R:
        return None
    for _ in range(4):
        with arb_prec(k_bits):  # (the end points of the balls are rounded at this precision)
            got = periodic_balls(m, c, t, k)
            if got is not None:
                balls, mult = got
                radii = [_mpf_up(t, k_bits)]
                for X, p in zip(balls[1:], pts[1:]):
                    mid = mpf_to_fraction(p)
                    radii.append(_mpf_up(max(abs(mid - arb_mid_fraction(X.lower())),
                                             abs(arb_mid_fraction(X.upper()) - mid)), k_bits))
                return radii, mult
        k_bits *= 2
    return None


def certify_cycle(m: LogitMap, k: int, points: list, steps: int, digits: int,
                  shrink: int = 0) -> CycleCertificate | None:
    r"""Re-prove an attracting cycle of minimal period ``k`` from its numerical points only
    (the reviewer's certificate, with ``c = points[0]``, ``scale = max(1, |c|)``):

    1. :func:`periodic_balls` on ``X_0 = [c - t, c + t]``, ``t = scale 2^-(3.33 (digits - 5))``:
       ``g^k - id`` changes sign across ``X_0``, and ``g^j(X_0)`` misses ``X_0`` (``0 < j < k``);
    2. ``J = [c - R, c + R] ⊃ X_0`` is a :func:`contracting_trap` for ``g^k`` (the largest
       ``R = scale 2^e <= scale/4``, or about ``16^shrink`` times smaller), so the zero in
       ``X_0`` is the one attracting periodic point in ``J``;
    3. the Arb orbit from the exact start enters ``J`` (:func:`first_entry`).

    The cycle points are the balls ``g^j(X_0)``, the multiplier is enclosed by
    ``prod_j g'(g^j(X_0))``; ``pieces`` are :func:`invariant_pieces` of ``J``.  None if a
    step fails (the orbit then counts as unknown).

    >>> from grpo_symbolic.params import Params
    >>> m = LogitMap(Params.parse(norm="std", beta="5", alpha="1", eps="1e-5", p_ref="0.001"))
    >>> pts = refine_cycle(m, 2, -6.0, 20)
    >>> cert = certify_cycle(m, 2, pts, 1000, 20)
    >>> len(cert.balls), bool(abs(cert.multiplier) < 1), len(cert.pieces)
    (2, True, 2)
    """
    if k is None or k < 2 or not points:
        return None
    c = mpf_to_fraction(points[0])
    scale = max(Fraction(1), abs(c))
    t = scale * Fraction(1, 2 ** int(3.33 * max(digits - 5, 8)))

    def ok(e):
        R = scale * Fraction(2) ** e
        return None if R <= 2 * t else contracting_trap(m, interval(c - R, c + R), k)

    with arb_prec(int(3.33 * (digits + 25)) + 64):
        got = periodic_balls(m, c, t, k)
        found = None if got is None else _shrunk_first_ok(ok, -2, -199, shrink)
        if found is None:
            return None
        R = scale * Fraction(2) ** found[0]
        pieces = invariant_pieces(m, interval(c - R, c + R), k)
    entered = first_entry(m, c - R, c + R, steps)
    if entered is None:
        return None
    balls, mult = got
    balls.sort(key=arb_mid_fraction)  # disjoint balls: their exact midpoints order them
    return CycleCertificate(balls, mult, entered, pieces)


def _mpf_up(x: Fraction, bits: int):
    """The rational ``x`` rounded *up* to a ``bits``-bit mpf (a certified radius must not
    be rounded down, as ``mpf(num)/den`` may be)."""
    with mp.workprec(bits):  # mpf(raw) re-rounds to the working precision: make it ``bits``
        return mp.mpf(from_rational(x.numerator, x.denominator, bits, "c"))
