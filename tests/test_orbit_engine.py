"""The one orbit engine (grpo_symbolic.exact.orbit) against an independent route.

The reference is brute-force iteration of the map in plain mpmath at 60 digits for
3000 steps (``helpers_exact.ref_g``: the p-space formulas, no code shared with the
package).  The certified kind, limit, cycle points, multiplier, trap entry and the
reviewer's forward-invariant tails must all be consistent with it, and the reviewer's
engine (``grpo-symbolic check``) must agree with ``dynamics`` on the same parameters.
"""

from fractions import Fraction
from functools import lru_cache

import mpmath as mp
import pytest
from flint import arb

from grpo_symbolic.exact.arbutil import arb_prec, to_arb
from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.exact.fixed_points import arb_mid_fraction, mpf_to_fraction
from grpo_symbolic.exact.logit_map import LogitMap
from grpo_symbolic.exact.orbit import (certify_cycle, converging_trap, first_entry, periodic_balls, propagate,
                                       refine_cycle)
from grpo_symbolic.params import Params
from grpo_symbolic.reviewer import check_text
from grpo_symbolic.reviewer.engine import PointEngine
from grpo_symbolic.reviewer.values import UNKNOWN

from helpers_exact import ref_g

DPS, STEPS = 60, 3000

#: name -> (parameters, kind, period)
CASES = {
    "fig5-2-cycle": (dict(beta="5", alpha="1", eps="1e-5", p_ref="0.001"), "cycle", 2),
    "converges": (dict(beta="1", alpha="1", eps="1e-5", p_ref="0.2"), "converges", 1),
    "mirror": (dict(beta="1", alpha="0", eps="1e-5", p_ref="0.2"), "to_one", None),
    "two-kl-2-cycle": (dict(beta="2", alpha="0.5", eps="0.001", p_ref="0.00001"), "cycle", 2),
    "3-cycle": (dict(beta="10", alpha="1", eps="1e-5", p_ref="0.00001"), "cycle", 3),
    "8-cycle": (dict(beta="6", alpha="1", eps="1e-5", p_ref="0.0001"), "cycle", 8),
}
ATTRACTED = [c for c in CASES if CASES[c][1] in ("converges", "cycle")]
CYCLES = [c for c in CASES if CASES[c][1] == "cycle"]
#: chaotic-looking: no trap, no period <= 64
UNRESOLVED = dict(beta="6", alpha="1", eps="1e-6", p_ref="0.0001")


def params(kw) -> Params:
    return Params.parse(norm="std", **kw)


@lru_cache(maxsize=None)
def _brute(key):
    kw = dict(key)
    with mp.workdps(DPS):
        p0 = Fraction(kw["p_ref"])
        L = mp.log(p0.numerator) - mp.log(p0.denominator - p0.numerator)
        out = [L]
        for _ in range(STEPS):
            L = ref_g(L, norm="std", **kw)
            out.append(L)
    return out


def brute(kw) -> list:
    """L_0..L_3000 (mpf, 60 digits) from p0 = p_ref."""
    return _brute(tuple(sorted(kw.items())))


@lru_cache(maxsize=None)
def dynamics(name):
    return compute_dynamics(params(CASES[name][0]), digits=30, steps=5000)


@lru_cache(maxsize=None)
def reviewer(name):
    return PointEngine(params(CASES[name][0]), digits=30, steps=10_000)


def ends(b: arb) -> tuple:
    """Exact end points of an Arb ball."""
    return arb_mid_fraction(b.lower()), arb_mid_fraction(b.upper())


def in_ball(x, b: arb, slack=Fraction(0)) -> bool:
    lo, hi = ends(b)
    v = mpf_to_fraction(x)
    return lo - slack <= v <= hi + slack


def brute_cycle(traj, k):
    """The last k brute iterates, ascending."""
    with mp.workdps(DPS):
        return sorted(traj[-k:])


# ------------------------------------------------------------ dynamics
@pytest.mark.parametrize("name", list(CASES))
def test_certified_kind_limit_and_cycle_against_brute_force(name):
    kw, kind, period = CASES[name]
    o = dynamics(name).orbit
    traj = brute(kw)
    assert o.kind == kind and o.period == period
    with mp.workdps(DPS):
        if kind == "to_one":
            assert all(b > a for a, b in zip(traj, traj[1:])) and traj[-1] > 1000
            return
        # the brute orbit has converged (to 60 digits) onto the certified limit / cycle
        assert abs(traj[-1] - traj[-1 - period]) < mp.mpf(10) ** -50
        if period > 1:  # ... and its minimal period is the certified one
            assert min(abs(traj[-1] - traj[-1 - j]) for j in range(1, period)) > mp.mpf(10) ** -3
        for x, c, r in zip(brute_cycle(traj, period), o.points, o.radii):
            assert abs(x - c) <= r + mp.mpf(10) ** -55  # inside the certified ball
        # the multiplier: prod g'(x_j) by numerical differentiation of the reference map
        mult = mp.fprod(mp.diff(lambda L: ref_g(L, norm="std", **kw), x) for x in brute_cycle(traj, period))
        assert in_ball(mult, o.multiplier_ball, slack=Fraction(1, 10**40))
        assert abs(mult) < 1 and o.stable is True


@pytest.mark.parametrize("name", ATTRACTED)
def test_trap_entry_step_matches_brute_force(name):
    kw, _, _ = CASES[name]
    o = dynamics(name).orbit
    traj = brute(kw)
    lo, hi = (Fraction(v) for v in o.evidence["trap"])
    n = o.evidence["entered_at_step"]
    with mp.workdps(DPS):
        assert lo <= mpf_to_fraction(traj[n]) <= hi
    if o.kind == "cycle":  # the trap is exactly [c - R, c + R]: first_entry re-finds the step
        brute_first = next(j for j, x in enumerate(traj) if lo <= mpf_to_fraction(x) <= hi)
        assert first_entry(LogitMap(params(kw)), lo, hi, 5000) == brute_first == n


@pytest.mark.slow  # CI runs it in its slow step
def test_unresolved_stays_unresolved():
    P = params(UNRESOLVED)
    o = compute_dynamics(P, digits=30, steps=5000).orbit
    assert o.kind == "unresolved" and o.period is None and o.points == [] and o.multiplier is None
    eng = PointEngine(P, digits=30, steps=10_000)
    assert eng.orbit().kind is UNKNOWN and eng.tail(0) is None
    traj = brute(UNRESOLVED)
    with mp.workdps(DPS):  # independently: no period <= 64 in the brute orbit either
        x = traj[-1]
        assert all(abs(x - traj[-1 - k]) > mp.mpf(10) ** -6 * (1 + abs(x)) for k in range(1, 65))


# ------------------------------------------------------------ reviewer
@pytest.mark.parametrize("name", list(CASES))
def test_reviewer_engine_agrees_with_dynamics(name):
    kw, kind, period = CASES[name]
    o, r = dynamics(name).orbit, reviewer(name).orbit()
    assert r.kind == kind
    traj = brute(kw)
    if kind == "to_one":
        assert r.limit == 1
        return
    assert r.period == period
    with mp.workdps(DPS):
        if kind == "converges":
            assert in_ball(traj[-1], r.limit.L) and in_ball(o.points[0], r.limit.L)
            assert ends(r.multiplier) == ends(o.multiplier_ball)  # the slope ball of the same fixed point
            return
        balls = [p.L for p in r.points.items]
        assert len(balls) == period and r.points.complete
        for x, c, b in zip(brute_cycle(traj, period), o.points, balls):
            assert in_ball(x, b) and in_ball(c, b)
        assert r.multiplier.overlaps(o.multiplier_ball)
        assert r.evidence["recertified"].startswith(f"period {period}:")


@pytest.mark.parametrize("name", ATTRACTED)
@pytest.mark.parametrize("shrink", [0, 2])
def test_reviewer_tail_holds_the_brute_orbit(name, shrink):
    """For n >= n0 the brute L_n lies in piece (n - n0) mod k of the forward-invariant set."""
    kw, _, period = CASES[name]
    n0, pieces = reviewer(name).tail(shrink)
    assert len(pieces) == period
    traj = brute(kw)
    with mp.workdps(DPS):
        for n in range(n0, STEPS + 1):
            assert in_ball(traj[n], pieces[(n - n0) % period]), n


def test_smaller_tails_are_nested_and_entered_later():
    eng = reviewer("converges")
    (n0, (J0,)), (n1, (J1,)) = eng.tail(0), eng.tail(1)
    assert n1 >= n0 and J0.contains(J1) and J1.rad() * 8 < J0.rad()


@pytest.mark.parametrize("name", ["fig5-2-cycle", "two-kl-2-cycle"])
def test_reviewer_verdicts_at_the_cycle_points(name):
    kw, _, _ = CASES[name]
    toml = ("[[claim]]\nid = \"c\"\nnorm = \"std\"\npredicate = \"orbit.kind == 'cycle' and orbit.period == 2 "
            "and abs(orbit.multiplier) < 1\"\n[claim.domain]\n"
            + "".join(f'{k} = "{v}"\n' for k, v in kw.items()))
    assert check_text(toml)[0].verdict == "certified"
    assert check_text(toml.replace("orbit.period == 2", "orbit.period == 4"))[0].verdict == "refuted"


# ------------------------------------------------------ the certificates
def test_minimal_period_is_certified_not_assumed():
    """A 2-cycle is also fixed by g^4, but its images meet X_0: no period-4 certificate;
    and an unstable fixed point is no 2-cycle."""
    kw, _, _ = CASES["fig5-2-cycle"]
    m = LogitMap(params(kw))
    rep = dynamics("fig5-2-cycle")
    pts = rep.orbit.points
    c, t = mpf_to_fraction(pts[0]), Fraction(1, 2**80)
    with arb_prec(256):
        assert periodic_balls(m, c, t, 2) is not None
        assert periodic_balls(m, c, t, 4) is None
    assert certify_cycle(m, 2, pts, 5000, 30) is not None
    assert certify_cycle(m, 4, list(pts) * 2, 5000, 30) is None
    unstable = [f for f in rep.fixed if f.stable is False]
    assert unstable and all(certify_cycle(m, 2, [f.logit], 5000, 30) is None for f in unstable)


@pytest.mark.parametrize("name", CYCLES)
def test_propagate_encloses_the_brute_composite_derivative(name):
    kw, _, k = CASES[name]
    m = LogitMap(params(kw))
    x = brute_cycle(brute(kw), k)[0]
    with mp.workdps(DPS):
        def gk(L):
            for _ in range(k):
                L = ref_g(L, norm="std", **kw)
            return L
        d_ref, y_ref = mp.diff(gk, x), gk(x)
    with arb_prec(200):
        y, d = propagate(m, to_arb(mpf_to_fraction(x)), k)
    assert in_ball(y_ref, y, slack=Fraction(1, 10**50)) and in_ball(d_ref, d, slack=Fraction(1, 10**40))


def test_refined_cycle_points_match_brute_force():
    kw, _, k = CASES["3-cycle"]
    traj = brute(kw)
    pts = refine_cycle(LogitMap(params(kw)), k, float(traj[-1]), 40)
    with mp.workdps(DPS):
        assert max(abs(a - b) for a, b in zip(sorted(pts), brute_cycle(traj, k))) < mp.mpf(10) ** -40


def test_converging_trap_is_forward_invariant_around_the_limit():
    kw, _, _ = CASES["converges"]
    m = LogitMap(params(kw))
    L = dynamics("converges").orbit.points[0]
    lo = hi = mpf_to_fraction(L)
    n0, (J,) = converging_trap(m, lo, hi, 5000)
    with arb_prec(256):
        assert J.contains(to_arb(lo)) and J.contains(m.g_arb_tight(J))
    traj = brute(kw)
    assert all(in_ball(x, J) for x in traj[n0:])
