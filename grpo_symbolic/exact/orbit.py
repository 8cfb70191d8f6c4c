r"""Classify the orbit ``L_{n+1} = g(L_n)`` of the PoS map, with certificates.

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
  ``J`` (both by interval propagation), entered by the rigorous orbit.
* ``unresolved`` — none of the above within the step budget (e.g. chaotic
  orbits, or convergence too slow near a bifurcation); the evidence says what
  was seen.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
from flint import arb
from mpmath.libmp import from_rational

from .arbutil import arb_prec, interval, mpf_of_arb_mid, to_arb
from .fixed_points import (SLOPE_GUARD, FixedPoint, _log10_size, _stability, arb_mid_fraction,
                           mpf_to_fraction, search_domain)
from .logit_map import LogitMap


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
        import flint

        key = flint.ctx.prec
        cache = self.__dict__.setdefault("_arb", {})
        if key not in cache:
            cache[key] = (to_arb(self.inner[0]), to_arb(self.inner[1]))
        a, b = cache[key]
        return bool(X.lower() >= a) and bool(X.upper() <= b)


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


# ---------------------------------------------------------------- traps
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
    for e in range(start - 1, bottom - 1, -1):
        best = ok(e)
        if best is not None:
            return best
    return None


def _propagate(m: LogitMap, J: arb, k: int, L_ref: arb):
    """Enclosures of ``g^k(J)`` and of ``(g^k)'`` over ``J`` (chain rule)."""
    X, D = J, arb(1)
    for _ in range(k):
        D = D * m.dg_arb(X)
        X = m.g_arb_tight(X)
    return X, D


# --------------------------------------------------------------- helpers
def _mid_mpf(x: arb):
    """Exact mpmath value of an Arb midpoint (whatever mpmath's precision)."""
    return mpf_of_arb_mid(x)


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

    bits = 128
    mids: deque = deque(maxlen=2 * max_period + 8)
    last_n = 0
    next_cycle_try = 32
    while bits <= 16384:
        mids.clear()
        lost = False
        with arb_prec(bits):
            L_ref = m.L_ref_arb()
            X = m.L_start_arb()
            for n in range(steps + 1):
                t = trap_near(float(X.mid()))
                if t is not None and t.contains(X):
                    return _converged(m, t, fixed, n, X, digits, trace)
                if escape is not None and X.lower() >= to_arb(escape):
                    why = (f"L_{n} >= U = {escape}: G(U) > 0 and G is increasing on [U, inf), so "
                           "L_n increases by at least G(U) per step")
                    return Orbit("to_one", None, [], [], None, True, n,
                                 {"certificate": why, "entered_at_step": n}, trace)
                mid = X.mid()
                if X.rad() > arb(2) ** -24 * (1 + abs(mid)):
                    lost = True
                    break
                mids.append(float(mid) if abs(float(mid)) < 1e300 else mid)
                last_n = n
                if n == next_cycle_try:  # look for an attracting cycle early
                    next_cycle_try *= 2
                    k = _find_period(list(mids), max_period)
                    if k is not None and k >= 2:
                        found = _cycle(m, k, mids[-1], digits, steps, trace)
                        if found.kind == "cycle":
                            return found
                if n < steps:
                    X = m.g_arb(X, L_ref)
        if not lost:
            break
        bits *= 2

    if lost:
        return Orbit("unresolved", None, [], [], None, None, last_n,
                     {"reason": f"Arb balls lost all precision by step {last_n} even at {bits // 2} bits "
                                "(the orbit is expanding: chaotic or a long unstable transient)"}, trace)

    k = _find_period(list(mids), max_period)
    if k is None:
        return Orbit("unresolved", None, [], [], None, None, last_n,
                     {"reason": f"no fixed point trap entered and no period <= {max_period} seen in "
                                f"{steps} steps (possibly chaotic)",
                      "last_logits": [_fmt17(v) for v in list(mids)[-8:]]}, trace)
    if k == 1:
        return Orbit("unresolved", None, [], [], None, None, last_n,
                     {"reason": f"the orbit settles numerically near L = {_fmt17(mids[-1])} but did not enter "
                                f"a certified trap within {steps} steps (slow convergence: |g'| close to 1?)"},
                     trace)
    return _cycle(m, k, mids[-1], digits, steps, trace)


def _converged(m, trap: Trap, fixed, n, X, digits, trace) -> Orbit:
    fp = min(fixed, key=lambda f: abs(f.logit - trap.target))
    ev = {"certificate": (f"the Arb orbit ball at step {n} lies in the trap "
                          f"[{float(trap.inner[0]):.17g}, {float(trap.inner[1]):.17g}] around the fixed point, "
                          f"where |g'| <= q = {trap.q:.6g} < 1 (Arb), so |L_m - L*| <= q^(m-{n}) |L_{n} - L*| for m >= {n}"),
          "entered_at_step": n, "trap": [str(float(trap.inner[0])), str(float(trap.inner[1]))],
          "contraction": trap.q}
    return Orbit("converges", 1, [fp.logit], [fp.radius], fp.slope, fp.stable, n, ev, trace, fp.slope_ball)


def _cycle(m: LogitMap, k: int, x0: float, digits: int, steps: int, trace) -> Orbit:
    """Refine and certify a cycle of period ``k`` seen numerically near ``x0``."""
    work_bits = int(3.33 * (digits + 15 + max(0, int(math.log10(max(1.0, abs(float(x0)))))))) + 32
    # Newton on g^k(L) - L with Arb midpoints and precision doubling
    bits = 64
    with arb_prec(bits):
        x = arb(x0).mid()
    while True:
        bits = min(2 * bits, work_bits)
        with arb_prec(bits):
            for _ in range(3):
                y, d = x, arb(1)
                for _ in range(k):
                    d = d * m.dg_arb(y)
                    y = m.g_arb(y)
                if (d - 1).mid() == 0:
                    break
                x = (x - (y - x).mid() / (d - 1).mid()).mid()
        if bits >= work_bits:
            break
    with arb_prec(work_bits), mp.workprec(work_bits):
        pts, y = [], x
        for _ in range(k):
            pts.append(_mid_mpf(y))
            y = m.g_arb(y).mid()

    # certify: a trap J around the first point for g^k
    c = mpf_to_fraction(pts[0])
    scale = max(Fraction(1), abs(c))
    cert = None
    with arb_prec(160):
        L_ref = m.L_ref_arb()

        def ok(e):
            R = scale * Fraction(2) ** e
            J = interval(c - R, c + R)
            img, D = _propagate(m, J, k, L_ref)
            if abs(D) < 1 and img.lower() > J.lower() and img.upper() < J.upper():
                return (R, _float_up(abs(D)))
            return None

        cert = _largest_ok(ok, -12, 0, -120)
        if cert is None:
            return Orbit("unresolved", None, [], [], None, None, steps,
                         {"reason": f"a period-{k} cycle is seen numerically near L = {x0:.17g} but no "
                                    "contracting trap for g^k could be certified"}, trace)
        R, q = cert
        # the rigorous orbit must enter the trap
        entered = None
        bits = 128
        while entered is None and bits <= 8192:
            with arb_prec(bits):
                L_ref = m.L_ref_arb()
                X = m.L_start_arb()
                Jlo, Jhi = to_arb(c - R), to_arb(c + R)
                for n in range(steps + 1):
                    if X.lower() >= Jlo and X.upper() <= Jhi:
                        entered = n
                        break
                    if X.rad() > arb(2) ** -24 * (1 + abs(X.mid())):
                        break
                    X = m.g_arb(X, L_ref)
            bits *= 2
    if entered is None:
        return Orbit("unresolved", None, [], [], None, None, steps,
                     {"reason": f"period-{k} cycle certified near L = {x0:.17g}, but the rigorous orbit "
                                "was not seen to enter its trap"}, trace)
    # distinct points => minimal period k (k was the smallest period seen)
    distinct = all(abs(pts[i] - pts[j]) > mp.mpf(10) ** (-digits)
                   for i in range(k) for j in range(i + 1, k))
    if not distinct:
        return Orbit("unresolved", None, [], [], None, None, steps,
                     {"reason": f"cycle candidate of period {k} has coinciding points"}, trace)
    got = _certify_cycle_points(m, pts, k, digits)
    radii, mult_ball = got if got is not None else (None, None)
    if radii is None:
        return Orbit("unresolved", None, [], [], None, None, steps,
                     {"reason": f"period-{k} cycle near L = {x0:.17g}: its points could not be certified to "
                                f"{digits} digits"}, trace)
    order = sorted(range(k), key=lambda i: pts[i])
    ev = {"certificate": (f"J = [{float(c - R):.17g}, {float(c + R):.17g}] satisfies g^{k}(J) ⊂ J and "
                          f"|(g^{k})'| <= {q:.6g} < 1 on J (Arb interval propagation), so J holds a unique "
                          f"attracting period-{k} point; the Arb orbit ball enters J at step {entered}"),
          "entered_at_step": entered, "trap": [str(float(c - R)), str(float(c + R))], "contraction": q}
    return Orbit("cycle", k, [pts[i] for i in order], [radii[i] for i in order], mpf_of_arb_mid(mult_ball),
                 _stability(mult_ball), entered, ev, trace, mult_ball)


def _certify_cycle_points(m: LogitMap, pts, k: int, digits: int):
    """Certified radii of the cycle points and an Arb ball for the multiplier.

    ``G_k = g^k - id`` changes sign on ``J = [c - t, c + t]`` (Arb, exact end points), so a
    periodic point lies there; the other points are enclosed by the Arb images
    ``X_i = g^i(J)``, and the multiplier ``prod_i g'(x_i)`` by ``prod_i g'(X_i)``.  ``t`` sits
    ``SLOPE_GUARD`` digits below the last reported one so that the multiplier's ball is
    relatively tight too.  Returns ``(radii, multiplier_ball)`` (radii as mpf, each rounded
    up), or None if the certificate fails."""
    k_bits = int(3.33 * (digits + SLOPE_GUARD + 25 + _log10_size(mpf_to_fraction(pts[0])))) + 64
    c = mpf_to_fraction(pts[0])
    t = Fraction(1, 2 ** (int((digits + 2 + SLOPE_GUARD) * 3.33) + 2))
    for _ in range(4):
        with arb_prec(k_bits):
            def Gk(x):
                X = to_arb(x)
                for _ in range(k):
                    X = m.g_arb_tight(X)
                return X - to_arb(x)

            lo, hi = Gk(c - t), Gk(c + t)
            if (lo > 0 and hi < 0) or (lo < 0 and hi > 0):
                J = interval(c - t, c + t)
                radii = [_mpf_up(t, k_bits)]
                mult = m.dg_arb(J)
                X = J
                for i in range(1, k):
                    X = m.g_arb_tight(X)
                    mult = mult * m.dg_arb(X)
                    mid = mpf_to_fraction(pts[i])
                    e = max(abs(mid - arb_mid_fraction(X.lower())), abs(arb_mid_fraction(X.upper()) - mid))
                    radii.append(_mpf_up(e, k_bits))
                return radii, mult
        k_bits *= 2
    return None


def _mpf_up(x: Fraction, bits: int):
    """The rational ``x`` rounded *up* to a ``bits``-bit mpf (a certified radius must not
    be rounded down, as ``mpf(num)/den`` may be)."""
    with mp.workprec(bits):  # mpf(raw) re-rounds to the working precision: make it ``bits``
        return mp.mpf(from_rational(x.numerator, x.denominator, bits, "c"))
