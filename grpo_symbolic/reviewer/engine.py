r"""Engine quantities at one exact parameter point, as rigorous enclosures.

The certified engine (:mod:`grpo_symbolic.exact`) gives the fixed points (isolated
with Arb, each with a certified radius), their stability (Arb), the boundary fixed
points and the kind of the orbit from ``p0``.  This module only turns them into the
values the predicate language sees; every certificate comes from the engine:

* **cycles**: an orbit that :func:`~grpo_symbolic.exact.orbit.classify_orbit` reports as
  an attracting cycle of period ``k`` is re-proved from its numerical points by
  :func:`~grpo_symbolic.exact.orbit.certify_cycle` (sign change of ``g^k - id`` on a tiny
  ``X0``, a contracting trap ``J ⊃ X0`` for ``g^k`` entered by the Arb orbit, images
  ``g^j(X0)`` disjoint from ``X0``); the cycle points are the balls ``g^j(X0)``, the
  multiplier is enclosed by ``prod_j g'(g^j(X0))``.  If any step fails the orbit counts
  as unknown.
* **tails** of ``count(...)`` quantifiers (:meth:`PointEngine.tail`): the forward-invariant
  sets of :func:`~grpo_symbolic.exact.orbit.converging_trap` (a limit) and of
  :func:`~grpo_symbolic.exact.orbit.certify_cycle` (a cycle).

**Clipped map** (``params.clip`` set: the domain gives ``clip_low``): the engine is
:func:`~grpo_symbolic.exact.dynamics.compute_dynamics`, which dispatches to
:func:`~grpo_symbolic.exact.clipped.clipped_dynamics`.  Its fixed points are the unclipped
ones; a slope (and stability) counts only where the kernel certified that the unclipped
branch is active around the fixed point, else it is unknown.  Its orbit kinds are
``converges``, ``cycle``, ``to_one`` and ``bounded`` (a trapping interval ``g_c(J) ⊂ J`` that
the orbit enters, without a convergence or cycle certificate: ``orbit.kind == 'bounded'``
is true, ``'to_one'`` false, ``'converges'`` / ``'cycle'`` and the limit, period and points
unknown).  Cycle points are the kernel's refined pieces, widened to cover the decimal
rounding of their report; the multiplier is the product of the derivatives of the one
branch certified active on each piece (unknown otherwise).  Tails use the kernel's trap
(``J`` with ``g_c^k(J) ⊂ J``) or trapping interval, re-checked by
:func:`~grpo_symbolic.exact.clipped.cycle_trap` / :func:`~grpo_symbolic.exact.clipped.image_hull`
on a slightly widened ``J``.  Boundary fixed points of the clipped map are not computed (the
collection is unknown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
from flint import arb

from ..exact.arbutil import interval, to_arb
from ..exact.fixed_points import arb_mid_fraction, ball_ends
from ..exact.logit_map import LogitMap
from ..exact.orbit import certify_cycle, classify_orbit, converging_trap
from ..params import Params
from .values import UNDEF, UNKNOWN, Pos, clipped_derivative


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


#: what an orbit of each engine kind says about each kind a predicate can test: converges,
#: cycle and to_one exclude each other; bounded (the log-odds stay in a bounded interval) is
#: implied by converges and cycle and excluded by to_one; the engine's "bounded" (a trapping
#: interval, no convergence or cycle certificate) leaves converges and cycle unknown
KIND_FACTS = {
    "converges": {"converges": True, "cycle": False, "to_one": False, "bounded": True},
    "cycle": {"converges": False, "cycle": True, "to_one": False, "bounded": True},
    "to_one": {"converges": False, "cycle": False, "to_one": True, "bounded": False},
    "bounded": {"converges": None, "cycle": None, "to_one": False, "bounded": True},
}


@dataclass(frozen=True)
class Kind:
    """The engine's orbit kind as the predicate language sees it (``orbit.kind``)."""

    name: str

    def is_(self, wanted: str):
        """Three-valued ``orbit.kind == wanted`` (see :data:`KIND_FACTS`)."""
        return KIND_FACTS.get(self.name, {}).get(wanted)

    def __str__(self) -> str:
        return self.name


@dataclass
class OrbitInfo:
    kind: object  # str or UNKNOWN
    period: object  # Fraction or UNKNOWN
    limit: object  # Pos / Fraction(1) / UNDEF / UNKNOWN
    points: Coll
    multiplier: object
    note: str = ""
    evidence: dict = field(default_factory=dict)


class PointEngine:
    """Lazily computed engine quantities at one exact parameter point."""

    def __init__(self, params: Params, digits: int = 30, steps: int = 10_000):
        self.params = params
        self.digits = digits
        self.steps = steps
        self.clipped = params.clip is not None
        if self.clipped:
            from ..exact.clipped import ClippedMap

            self.map = ClippedMap(params)
        else:
            self.map = LogitMap(params)
        self._report = None  # the clipped engine's DynamicsReport
        self._fixed = None
        self._orbit = None
        self._boundary = None
        self.errors: list = []

    # ----------------------------------------------------------- fixed points
    def _clipped_report(self):
        """The clipped engine at this point: ``compute_dynamics`` (fixed points and orbit)."""
        if self._report is None:
            from ..exact.dynamics import compute_dynamics

            with mp.workdps(self.digits + 20):
                self._report = compute_dynamics(self.params, digits=self.digits, steps=self.steps)
        return self._report

    def _fixed_engine(self):
        """``(fixed points, isolation)`` of the map (clipped: the kernel's clipped isolation)."""
        if not self.clipped:
            from ..exact.fixed_points import fixed_points

            return fixed_points(self.map, digits=self.digits)
        if self._report is not None:
            return self._report.fixed, self._report.isolation
        from ..exact.clipped import clipped_fixed_points

        return clipped_fixed_points(self.map, digits=self.digits)

    def _fixed_raw(self):
        if self._fixed is None:
            try:
                with mp.workdps(self.digits + 20):
                    fps, iso = self._fixed_engine()
                items = []
                for i, f in enumerate(fps, 1):
                    lo, hi = ball_ends(f.logit, f.radius)
                    # the slope: g' enclosed over this exact certified interval, refined by the
                    # engine until relatively tight (a slope of 1e-40 keeps its digits).  Clipped:
                    # g_c = g near the fixed point only where the kernel certified the unclipped
                    # branch (else the box is listed as unresolved and the slope is unknown)
                    if self.clipped and f.box in iso.unresolved:
                        items.append(FPItem(i, lo, hi, UNKNOWN, None))
                    else:
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
        if self._boundary is None and self.clipped:
            self._boundary = Coll([], [], False, "boundary fixed points of the clipped map are not computed")
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
                if self.clipped:
                    cache[shrink] = self._clipped_tail() if shrink == 0 else None
                elif o.kind == "converges":
                    L = o.limit.L
                    cache[shrink] = converging_trap(self.map, arb_mid_fraction(L.lower()),
                                                    arb_mid_fraction(L.upper()), self.steps, shrink)
                elif o.kind == "cycle":
                    cert = self._cycle_cert if shrink == 0 else certify_cycle(
                        self.map, int(o.period), self._cycle_points, self.steps, self.digits, shrink=shrink)
                    if cert is not None and cert.pieces is not None:
                        cache[shrink] = (cert.entered, cert.pieces)
            except Exception as exc:  # pragma: no cover - defensive
                self.errors.append(f"tail: {type(exc).__name__}: {exc}")
                cache[shrink] = None
        return cache[shrink]

    def _unknown(self, why: str, evidence=None) -> OrbitInfo:
        return OrbitInfo(UNKNOWN, UNKNOWN, UNKNOWN, Coll([], [], False, why), UNKNOWN, why, evidence or {})

    def _clipped_tail(self):
        """``(n0, pieces)`` from the clipped engine's certificate: the trap ``J`` (``g_c^k(J) ⊂ J``,
        converges / cycle) or the trapping interval (bounded) that the Arb orbit entered at step
        ``n0``.  The report gives ``J`` as float64 text, so ``J`` is widened outwards past the
        rounding (the orbit ball at ``n0`` stays inside) and its invariance is proved again."""
        from ..exact.arbutil import arb_prec
        from ..exact.clipped import cycle_trap, image_hull

        o = self._clipped_report().orbit
        ev = o.evidence
        key = "trapping_interval" if o.kind == "bounded" else "trap"
        if o.kind not in ("converges", "cycle", "bounded") or key not in ev or "entered_at_step" not in ev:
            return None
        a, b = (_widen(Fraction(t), -1 if j == 0 else 1) for j, t in enumerate(ev[key]))
        n0 = int(ev["entered_at_step"])
        with arb_prec(256):
            if o.kind == "bounded":
                image = image_hull(self.map, a, b, 512)
                if image is None or not (image.lower() > to_arb(a) and image.upper() < to_arb(b)):
                    return None
                return n0, [interval(a, b)]
            cert = cycle_trap(self.map, (a + b) / 2, int(o.period or 1), (b - a) / 2)
        return None if cert is None else (n0, cert["pieces"])

    def _classify(self) -> OrbitInfo:
        if self.clipped:
            return self._classify_clipped()
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
            # the engine's limit is a fixed point: its certified ball and its slope's ball
            L = interval(*ball_ends(o.points[0], o.radii[0]))
            return OrbitInfo("converges", Fraction(1), Pos(L), Coll([Pos(L)], [True], True), o.multiplier_ball,
                             "converges", ev)
        if o.kind == "cycle":
            self._cycle_points = list(o.points)
            self._cycle_cert = cert = certify_cycle(self.map, o.period, o.points, self.steps, self.digits)
            if cert is None:
                return self._unknown("the engine's cycle could not be re-certified", ev)
            ev["recertified"] = (f"period {o.period}: sign change of g^{o.period} - id on a ball of radius "
                                 f"< 1e-{max(1, self.digits - 5)}, contracting trap entered at step {cert.entered}, "
                                 f"images disjoint (minimal period)")
            pts = [Pos(b) for b in cert.balls]
            return OrbitInfo("cycle", Fraction(o.period), UNDEF, Coll(pts, [True] * len(pts), True), cert.multiplier,
                             f"cycle of period {o.period}", ev)
        return self._unknown(ev["certificate"] or "unresolved", ev)

    def _classify_clipped(self) -> OrbitInfo:
        try:
            rep = self._clipped_report()
        except Exception as exc:
            self.errors.append(f"orbit: {type(exc).__name__}: {exc}")
            return self._unknown(f"engine error: {type(exc).__name__}")
        o = rep.orbit
        ev = {"kind": o.kind, "certificate": o.evidence.get("certificate") or o.evidence.get("reason", ""),
              "map": "clipped"}
        if o.kind == "to_one":
            return OrbitInfo("to_one", Fraction(1), Fraction(1), Coll([Fraction(1)], [True], True), UNDEF,
                             "p_n -> 1", ev)
        if o.kind == "converges":
            L = interval(*ball_ends(o.points[0], o.radii[0]))
            fp = next((f for f in rep.fixed if f.logit == o.points[0]), None)
            on_branch = fp is not None and fp.box not in rep.isolation.unresolved
            mult = o.multiplier_ball if (on_branch and o.multiplier_ball is not None) else UNKNOWN
            return OrbitInfo("converges", Fraction(1), Pos(L), Coll([Pos(L)], [True], True), mult, "converges", ev)
        if o.kind == "cycle":
            # the kernel reports each refined piece by a decimal midpoint (digits + 8 digits) and a
            # 5-digit radius: widen by twice the radius and well past the midpoint's rounding
            pad = Fraction(1, 10 ** (rep.digits + 6))
            balls = []
            for x, r in zip(o.points, o.radii):
                lo, hi = ball_ends(x, r)
                c, rad = (lo + hi) / 2, (hi - lo) + (abs(lo) + abs(hi) + 1) * pad
                balls.append(interval(c - rad, c + rad))
            mult = arb(1)
            for B in balls:
                d = clipped_derivative(self.map, B)
                if d is UNKNOWN:
                    mult = UNKNOWN
                    break
                mult = mult * d
            pts = [Pos(b) for b in balls]
            return OrbitInfo("cycle", Fraction(o.period), UNDEF, Coll(pts, [True] * len(pts), True), mult,
                             f"cycle of period {o.period}", ev)
        if o.kind == "bounded":
            why = "a bounded orbit without a convergence or cycle certificate"
            return OrbitInfo("bounded", UNKNOWN, UNKNOWN, Coll([], [], False, why), UNKNOWN, why, ev)
        return self._unknown(ev["certificate"] or "unresolved", ev)


def _widen(x: Fraction, direction: int) -> Fraction:
    """``x`` (a float64 value written as text) moved outwards past its rounding (relative 2^-50)."""
    return x + direction * (abs(x) * Fraction(1, 2**50) + Fraction(1, 2**200))


def engine_command(params: Params) -> str:
    """The ``dynamics`` command that reproduces the engine computation at ``params``."""
    d = params.as_dict()
    s = (f"grpo-symbolic dynamics --norm {d['norm']} --beta {d['beta']} --alpha {d['alpha']} "
         f"--eps {d['eps']} --p-ref {d['p_ref']}")
    if "p0" in d:
        s += f" --p0 {d['p0']}"
    if "clip" in d:
        s += f" --clip {d['clip']}" + (f" --clip-high {d['clip_high']}" if "clip_high" in d else "")
    if "group_size" in d:
        s += f" --group-size {d['group_size']} --convention {d['convention']}"
    return s + " --json"


def digits_for_bits(bits: int) -> int:
    return max(20, int(math.floor(bits / 3.33)) - 10)
