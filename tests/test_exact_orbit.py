"""Orbit classification vs brute-force high-precision iteration (plain mpmath)."""

from fractions import Fraction

import mpmath as mp
import pytest
from hypothesis import given, strategies as st

from grpo_symbolic.exact.boundary import boundary_fixed_points
from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.exact.logit_map import LogitMap
from grpo_symbolic.params import Params

from helpers_exact import ref_g


def brute_orbit(kw, p0, steps, dps=60):
    with mp.workdps(dps):
        p0 = mp.mpf(Fraction(p0).numerator) / Fraction(p0).denominator
        L = mp.log(p0) - mp.log(1 - p0)
        out = [L]
        for _ in range(steps):
            L = ref_g(L, **kw)
            out.append(L)
        return out


def kw_of(P):
    return dict(norm=P.norm, beta=P.beta, alpha=P.alpha, eps=P.eps, p_ref=P.p_ref)


@pytest.mark.parametrize("beta", ["0.01", "0.2", "0.4", "0.8", "1", "5"])
@pytest.mark.parametrize("p_ref", ["0.0001", "0.001", "0.2", "0.5", "0.8"])
def test_paper_grid_against_brute_force(beta, p_ref):
    P = Params.parse(norm="std", beta=beta, alpha="1", eps="1e-5", p_ref=p_ref)
    rep = compute_dynamics(P, digits=30, steps=5000)
    o = rep.orbit
    traj = brute_orbit(kw_of(P), p_ref, 400)
    assert o.kind in ("converges", "cycle")
    with mp.workdps(60):
        if o.kind == "converges":
            assert abs(traj[-1] - o.points[0]) < mp.mpf(10) ** -20 * (1 + abs(o.points[0]))
            assert o.points[0] in [f.logit for f in rep.fixed]
            assert o.stable is True
        else:
            k = o.period
            tail = sorted(traj[-k:])
            for a, b in zip(tail, o.points):
                assert abs(a - b) < mp.mpf(10) ** -8 * (1 + abs(b))
            assert abs(traj[-1] - traj[-1 - k]) < 1e-8 and abs(traj[-1] - traj[-2]) > 1e-3
            assert abs(o.multiplier) < 1


@pytest.mark.parametrize("norm", ["std", "mean"])
def test_mirror_goes_to_one_with_linear_logit_growth(norm):
    P = Params.parse(norm=norm, beta="0.3", alpha="0", eps="1e-4", p_ref="0.05")
    o = compute_dynamics(P, digits=20).orbit
    assert o.kind == "to_one"
    traj = brute_orbit(kw_of(P), "0.05", 50)
    inc = min(b - a for a, b in zip(traj, traj[1:]))
    omega_min = 1 if norm == "mean" else 1 / mp.sqrt(mp.mpf("0.25") + mp.mpf("1e-4"))
    assert inc >= omega_min / mp.mpf("0.3") * (1 - mp.mpf(10) ** -10)


def test_eps_zero_without_interior_fixed_point_goes_to_one():
    # eps = 0, p_ref = 1/2, beta = 1: G(L) >= e^{L/2} - L + 0 > 0, so no fixed point
    P = Params.parse(norm="std", beta="1", alpha="1", eps="0", p_ref="0.5")
    rep = compute_dynamics(P, digits=20)
    assert rep.fixed == [] and rep.orbit.kind == "to_one"
    assert [b.p for b in rep.boundary] == [1] and rep.boundary[0].stable is True
    traj = brute_orbit(kw_of(P), "0.5", 6, dps=30)
    assert all(b > a for a, b in zip(traj, traj[1:])) and traj[-1] > 1e3


def test_two_cycle_for_paper_text_parameters():
    """fig5-text: beta = 5, p_ref = 0.001: the orbit is an attracting 2-cycle."""
    P = Params.parse(norm="std", beta="5", alpha="1", eps="1e-5", p_ref="0.001")
    o = compute_dynamics(P, digits=40).orbit
    assert o.kind == "cycle" and o.period == 2
    with mp.workdps(60):
        a, b = o.points
        kw = kw_of(P)
        assert abs(ref_g(ref_g(a, **kw), **kw) - a) < mp.mpf(10) ** -35
        assert abs(ref_g(a, **kw) - b) < mp.mpf(10) ** -35


def test_p0_option_changes_start():
    P = Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2", p0="0.95")
    o = compute_dynamics(P, digits=20).orbit
    traj = brute_orbit(kw_of(P), "0.95", 300)
    assert o.kind == "converges"
    assert abs(traj[-1] - o.points[0]) < 1e-10 * (1 + abs(o.points[0]))


@pytest.mark.parametrize("alpha", ["0", "0.5"])
def test_boundary_slopes_match_numerical_ratios(alpha):
    P = Params.parse(norm="std", beta="2", alpha=alpha, eps="0.01", p_ref="0.3")
    m = LogitMap(P)
    bds = {b.p: b for b in boundary_fixed_points(m, digits=20)}
    assert set(bds) == {0, 1}
    kw = kw_of(P)
    with mp.workdps(40):
        L = mp.mpf(2000)
        r1 = (1 / (1 + mp.exp(ref_g(L, **kw)))) / (1 / (1 + mp.exp(L)))  # (1-h)/(1-p)
        r0 = (1 / (1 + mp.exp(-ref_g(-L, **kw)))) / (1 / (1 + mp.exp(L)))  # h/p
        if alpha == "0":
            assert abs(r1 - bds[1].slope) < 1e-15 and abs(r0 - bds[0].slope) < 1e-15 * bds[0].slope
        else:
            assert bds[1].slope == mp.inf and r1 > 1e100 and bds[0].slope == mp.inf and r0 > 1e100


@given(beta=st.sampled_from(["0.05", "0.3", "1", "2", "5", "20"]),
       alpha=st.sampled_from(["1", "0.9", "0.5", "0.1"]),
       p_ref=st.sampled_from(["1e-6", "0.001", "0.05", "0.3", "0.7", "0.99"]),
       eps=st.sampled_from(["1e-6", "1e-3", "0.1"]))
def test_hypothesis_certified_orbits_agree_with_iteration(beta, alpha, p_ref, eps):
    P = Params.parse(norm="std", beta=beta, alpha=alpha, eps=eps, p_ref=p_ref)
    o = compute_dynamics(P, digits=20, steps=3000).orbit
    assert o.kind != "to_one"  # alpha > 0, eps > 0: the orbit stays bounded
    if o.kind == "unresolved":
        return
    n = max(o.steps_used, 0) + 600
    traj = brute_orbit(kw_of(P), p_ref, n, dps=40)
    with mp.workdps(40):
        lo, hi = (mp.mpf(v) for v in o.evidence["trap"])
        if o.kind == "converges":
            assert lo <= traj[o.steps_used] <= hi
            q = o.evidence["contraction"]
            assert abs(traj[-1] - o.points[0]) <= (q ** 600) * (hi - lo) + mp.mpf(10) ** -15 * (1 + abs(o.points[0]))
        else:
            k = o.period
            assert min(abs(traj[-1] - x) for x in o.points) < 1e-6 * (1 + abs(traj[-1]))
            assert abs(traj[-1] - traj[-1 - k]) < 1e-6 * (1 + abs(traj[-1]))
