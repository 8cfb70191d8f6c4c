r"""Engine quantities at one exact parameter point, as rigorous enclosures.

The certified engine (:mod:`grpo_symbolic.exact`) gives the fixed points (isolated
with Arb, each with a certified radius), their stability (Arb), the boundary fixed
points and the kind of the orbit from ``p0``.  This module turns them into the
values the predicate language sees, and adds one certificate of its own:

**Cycles.**  For an orbit the engine reports as an attracting cycle of period ``k``
the checker re-proves, with Arb, from the engine's numerical cycle points only:

1. ``F = g^k - id`` changes sign across a tiny interval ``X0`` around one cycle
   point (so ``X0`` holds a point of period dividing ``k``);
2. a larger interval ``J ⊃ X0`` satisfies ``g^k(J) ⊂ J`` and ``|(g^k)'| < 1`` on ``J``
   (so ``J`` holds exactly one such point, and it attracts all of ``J``);
3. the Arb orbit from the exact start ``logit(p0)`` enters ``J``;
4. ``g^j(X0)`` is disjoint from ``X0`` for ``0 < j < k`` (so the period is exactly ``k``).

The cycle points are then the balls ``g^j(X0)``, and the multiplier is enclosed by
``prod_j g'(g^j(X0))``.  If any step fails the orbit counts as unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
from flint import arb

from ..exact.fixed_points import mpf_to_fraction
from ..exact.arbutil import arb_prec, interval, to_arb
from ..exact.logit_map import LogitMap
from ..params import Params
from .values import UNDEF, UNKNOWN, Pos


@dataclass
class FPItem:
    """A fixed point in (0, 1) as the predicate language sees it."""

    index: int  # 1-based, by increasing p
    lo: Fraction  # certified enclosure of its log-odds
    hi: Fraction
    slope: arb  # enclosure of g'(L*) = h'(p*)
    stable: bool | None

    def L(self) -> arb:
        return interval(self.lo, self.hi)

    def attr(self, name):
        if name == "p":
            return Pos(self.L())
        if name == "logit":
            return self.L()
        if name == "one_minus_p":
            return Pos(-self.L()).p()
        if name == "slope":
            return self.slope
        if name == "stable":
            return self.stable
        raise KeyError(name)  # pragma: no cover - the compiler rejects other names

    def describe(self) -> str:
        with mp.workdps(20):
            L = mp.mpf(self.lo.numerator) / self.lo.denominator
            return f"fixed point #{self.index} (p = {mp.nstr(1 / (1 + mp.exp(-L)), 12)})"


@dataclass
class BFPItem:
    """A fixed point of the extended map on the boundary p in {0, 1}."""

    p: int
    slope: object  # arb (possibly +inf)
    stable: bool | None

    def attr(self, name):
        if name == "p":
            return Fraction(self.p)
        if name == "slope":
            return self.slope
        if name == "stable":
            return self.stable
        raise KeyError(name)  # pragma: no cover

    def describe(self) -> str:
        return f"boundary fixed point p = {self.p}"


@dataclass
class Coll:
    """A collection: its items, each item's membership (True / None = unknown), and
    whether it is known to hold every member (``complete``)."""

    items: list
    member: list
    complete: bool
    why_incomplete: str = ""


@dataclass
class OrbitInfo:
    kind: object  # str or UNKNOWN
    period: object  # Fraction or UNKNOWN
    limit: object  # Pos / Fraction(1) / UNDEF / UNKNOWN
    points: Coll
    multiplier: object
    note: str = ""
    evidence: dict = field(default_factory=dict)


def _arb_to_fraction(x: arb) -> Fraction:
    """Exact value of an exact Arb number (an end point)."""
    from ..exact.fixed_points import arb_mid_fraction

    return arb_mid_fraction(x)


def _ball_of(x, r) -> tuple:
    """Exact ends of [x - r, x + r] (mpmath numbers, no rounding)."""
    c, rr = mpf_to_fraction(x), abs(mpf_to_fraction(r))
    return c - rr, c + rr


class PointEngine:
    """Lazily computed engine quantities at one exact parameter point."""

    def __init__(self, params: Params, digits: int = 30, steps: int = 10_000):
        self.params = params
        self.digits = digits
        self.steps = steps
        self.map = LogitMap(params)
        self._fixed = None
        self._orbit = None
        self._boundary = None
        self.errors: list = []

    # ----------------------------------------------------------- fixed points
    def _fixed_raw(self):
        if self._fixed is None:
            from ..exact.fixed_points import fixed_points

            try:
                with mp.workdps(self.digits + 20):
                    fps, iso = fixed_points(self.map, digits=self.digits)
                items = []
                for i, f in enumerate(fps, 1):
                    lo, hi = _ball_of(f.logit, f.radius)
                    # the slope: g' enclosed over this exact certified interval, refined by the
                    # engine until relatively tight (a slope of 1e-40 keeps its digits)
                    items.append(FPItem(i, lo, hi, f.slope_ball, f.stable))
                self._fixed = (items, iso.complete, fps, "" if iso.complete else
                               f"{len(iso.unresolved)} boxes of the fixed-point search left undecided")
            except Exception as exc:  # an engine failure is "unknown", never a verdict
                self.errors.append(f"fixed points: {type(exc).__name__}: {exc}")
                self._fixed = ([], False, [], f"engine error: {type(exc).__name__}")
        return self._fixed

    def collection(self, name: str) -> Coll:
        if name == "boundary_fixed_points":
            return self.boundary()
        items, complete, _, why = self._fixed_raw()
        if name == "fixed_points":
            member = [True] * len(items)
        elif name == "stable_fixed_points":
            member = [it.stable for it in items]
        elif name == "unstable_fixed_points":
            member = [None if it.stable is None else (not it.stable) for it in items]
        else:  # pragma: no cover
            raise KeyError(name)
        return Coll(items, member, complete, why)

    def boundary(self) -> Coll:
        if self._boundary is None:
            from ..exact.boundary import boundary_fixed_points

            try:
                bps = boundary_fixed_points(self.map, digits=self.digits)
                # each slope is the Arb ball of exp(+-Omega(-+inf)/beta) computed from the exact
                # parameters (or +inf / exact 0): an enclosure, used as it is
                items = [BFPItem(int(b.p), b.slope_ball, b.stable) for b in bps]
                self._boundary = Coll(items, [True] * len(items), True)
            except Exception as exc:
                self.errors.append(f"boundary fixed points: {type(exc).__name__}: {exc}")
                self._boundary = Coll([], [], False, f"engine error: {type(exc).__name__}")
        return self._boundary

    # ------------------------------------------------------------------ orbit
    def orbit(self) -> OrbitInfo:
        if self._orbit is None:
            self._orbit = self._classify()
        return self._orbit

    def tail(self, shrink: int = 0):
        """``(n0, pieces)``: for every n >= n0 the log-odds L_n lies in the union of the
        Arb balls ``pieces``, which g maps into itself (each into the next, cyclically);
        None when no such certificate is available (p_n -> 1, unresolved orbits).
        Larger ``shrink`` gives smaller pieces (entered later)."""
        cache = self.__dict__.setdefault("_tails", {})
        if shrink not in cache:
            cache[shrink] = None
            o = self.orbit()
            try:
                if o.kind == "converges":
                    L = o.limit.L
                    cache[shrink] = converging_trap(self.map, _arb_to_fraction(L.lower()),
                                                    _arb_to_fraction(L.upper()), self.steps, shrink)
                elif o.kind == "cycle":
                    cert = certify_cycle(self.map, int(o.period), self._cycle_points, self.steps, self.digits,
                                         want_trap=True, shrink=shrink)
                    if cert is not None and cert[3] is not None:
                        cache[shrink] = (cert[2], cert[3])
            except Exception as exc:  # pragma: no cover - defensive
                self.errors.append(f"tail: {type(exc).__name__}: {exc}")
                cache[shrink] = None
        return cache[shrink]

    def _unknown(self, why: str, evidence=None) -> OrbitInfo:
        return OrbitInfo(UNKNOWN, UNKNOWN, UNKNOWN, Coll([], [], False, why), UNKNOWN, why, evidence or {})

    def _classify(self) -> OrbitInfo:
        from ..exact.orbit import classify_orbit

        _, _, fps, _ = self._fixed_raw()
        try:
            with mp.workdps(self.digits + 20):
                o = classify_orbit(self.map, fps, digits=self.digits, steps=self.steps)
        except Exception as exc:
            self.errors.append(f"orbit: {type(exc).__name__}: {exc}")
            return self._unknown(f"engine error: {type(exc).__name__}")
        ev = {"kind": o.kind, "certificate": o.evidence.get("certificate") or o.evidence.get("reason", "")}
        if o.kind == "to_one":
            return OrbitInfo("to_one", Fraction(1), Fraction(1), Coll([Fraction(1)], [True], True), UNDEF,
                             "p_n -> 1", ev)
        if o.kind == "converges":
            fp = min(fps, key=lambda f: abs(f.logit - o.points[0]))
            L = interval(*_ball_of(fp.logit, fp.radius))
            return OrbitInfo("converges", Fraction(1), Pos(L), Coll([Pos(L)], [True], True), fp.slope_ball,
                             "converges", ev)
        if o.kind == "cycle":
            self._cycle_points = list(o.points)
            cert = certify_cycle(self.map, o.period, o.points, self.steps, self.digits)
            if cert is None:
                return self._unknown("the engine's cycle could not be re-certified", ev)
            balls, mult, entered = cert
            ev["recertified"] = (f"period {o.period}: sign change of g^{o.period} - id on a ball of radius "
                                 f"< 1e-{max(1, self.digits - 5)}, contracting trap entered at step {entered}, "
                                 f"images disjoint (minimal period)")
            pts = [Pos(b) for b in balls]
            return OrbitInfo("cycle", Fraction(o.period), UNDEF, Coll(pts, [True] * len(pts), True), mult,
                             f"cycle of period {o.period}", ev)
        return self._unknown(ev["certificate"] or "unresolved", ev)


# ------------------------------------------------------------------ cycles
def _gk(m: LogitMap, X: arb, k: int):
    D = arb(1)
    for _ in range(k):
        D = D * m.dg_arb(X)
        X = m.g_arb_tight(X)
    return X, D


def certify_cycle(m: LogitMap, k: int, points: list, steps: int, digits: int, want_trap: bool = False,
                  shrink: int = 0):
    """Re-certify an attracting cycle (see the module docstring).  Returns
    ``(balls, multiplier, entered_at)`` with ``balls`` the log-odds enclosures of the
    k cycle points in increasing order, or None.  With ``want_trap``, a fourth item:
    the balls ``J, g(J), ..., g^(k-1)(J)`` (forward invariant: g maps each into the next
    and the last into J)."""
    if k is None or k < 2 or not points:
        return None
    c = mpf_to_fraction(points[0])
    scale = max(Fraction(1), abs(c))
    bits = int(3.33 * (digits + 25)) + 64
    t = scale * Fraction(1, 2 ** int(3.33 * max(digits - 5, 8)))
    with arb_prec(bits):
        def F(x):
            y, _ = _gk(m, to_arb(x), k)
            return y - to_arb(x)
        fl, fr = F(c - t), F(c + t)
        if not ((fl > 0 and fr < 0) or (fl < 0 and fr > 0)):
            return None
        X0 = interval(c - t, c + t)
        # a contracting trap J around X0
        best = first = None
        for e in range(-2, -200, -1):
            R = scale * Fraction(2) ** e
            if R <= 2 * t:
                break
            if first is not None and e > first - 4 * shrink:
                continue
            J = interval(c - R, c + R)
            img, D = _gk(m, J, k)
            if abs(D) < 1 and img.lower() > J.lower() and img.upper() < J.upper():
                if first is None:
                    first = e
                    if shrink:
                        continue
                best = R
                break
        if best is None:
            return None
        Jlo, Jhi = to_arb(c - best), to_arb(c + best)
        pieces = [interval(c - best, c + best)]
        for _ in range(k - 1):
            pieces.append(m.g_arb_tight(pieces[-1]))
        last = m.g_arb_tight(pieces[-1])
        if not (last.lower() >= Jlo and last.upper() <= Jhi):
            pieces = None
        # images of X0: the other cycle points; disjoint from X0 => minimal period k
        balls = [X0]
        mult = m.dg_arb(X0)
        Y = X0
        for _ in range(k - 1):
            Y = m.g_arb_tight(Y)
            if Y.overlaps(X0) or not Y.is_finite():
                return None
            balls.append(Y)
            mult = mult * m.dg_arb(Y)
    # the rigorous orbit enters J
    entered = None
    b = 128
    while entered is None and b <= 8192:
        with arb_prec(b):
            X = m.L_start_arb()
            for n in range(steps + 1):
                if X.lower() >= Jlo and X.upper() <= Jhi:
                    entered = n
                    break
                if not X.is_finite() or X.rad() > arb(2) ** -24 * (1 + abs(X.mid())):
                    break
                X = m.g_arb(X)
        b *= 4
    if entered is None:
        return None
    balls.sort(key=_arb_to_fraction)  # disjoint balls: their exact midpoints order them
    if want_trap:
        return balls, mult, entered, pieces
    return balls, mult, entered


def _enter(m: LogitMap, lo: arb, hi: arb, steps: int):
    """First n with the Arb ball of L_n inside [lo, hi] (None if not seen)."""
    b = 128
    while b <= 8192:
        with arb_prec(b):
            X = m.L_start_arb()
            for n in range(steps + 1):
                if X.lower() >= lo and X.upper() <= hi:
                    return n
                if not X.is_finite() or X.rad() > arb(2) ** -24 * (1 + abs(X.mid())):
                    break
                X = m.g_arb(X)
        b *= 4
    return None


def converging_trap(m: LogitMap, lo: Fraction, hi: Fraction, steps: int, shrink: int = 0):
    """An interval J ⊃ [lo, hi] (the limit's enclosure) with g(J) ⊂ J, and the first
    step at which the Arb orbit lies in J: ``(n0, [J])`` or None.  ``shrink`` > 0 asks
    for a J about 16^shrink times smaller than the largest one found."""
    scale = max(Fraction(1), abs(lo), abs(hi))
    with arb_prec(256):
        first = None
        for e in range(-1, -200, -1):
            R = scale * Fraction(2) ** e
            if R <= 4 * (hi - lo):
                return None
            if first is not None and e > first - 4 * shrink:
                continue
            J = interval(lo - R, hi + R)
            img = m.g_arb_tight(J)
            if img.lower() > J.lower() and img.upper() < J.upper():
                if first is None:
                    first = e
                    if shrink:
                        continue
                n0 = _enter(m, to_arb(lo - R), to_arb(hi + R), steps)
                return None if n0 is None else (n0, [J])
    return None


def engine_command(params: Params) -> str:
    """The ``dynamics`` command that reproduces the engine computation at ``params``."""
    d = params.as_dict()
    s = (f"grpo-symbolic dynamics --norm {d['norm']} --beta {d['beta']} --alpha {d['alpha']} "
         f"--eps {d['eps']} --p-ref {d['p_ref']}")
    if "p0" in d:
        s += f" --p0 {d['p0']}"
    return s + " --json"


def digits_for_bits(bits: int) -> int:
    return max(20, int(math.floor(bits / 3.33)) - 10)
