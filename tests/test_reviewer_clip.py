"""Clipping (GRPO-Clip) in the claim language: the domain parameters ``clip_low`` /
``clip_high`` and the orbit kind ``'bounded'``.

The running example: beta = 5, p_ref = 0.001, eps = 1e-5.  Without clipping the orbit from
p_ref falls into an attracting 2-cycle (p ~ 0.0023 and 0.059); with clip 0.2 it stays in a
trapping interval around the unstable fixed point p ~ 0.0086 (kind "bounded"); with clip 0.3
it falls into a small 2-cycle around that fixed point.
"""

from fractions import Fraction

import mpmath as mp
import pytest

from grpo_symbolic.cli import main
from grpo_symbolic.exact.arbutil import arb_prec, to_arb
from grpo_symbolic.exact.clipped import ClippedMap
from grpo_symbolic.params import Params
from grpo_symbolic.reviewer import check_text
from grpo_symbolic.reviewer.engine import Kind, PointEngine, engine_command
from grpo_symbolic.reviewer.evaluate import compare
from grpo_symbolic.reviewer.values import UNKNOWN, ClippedBallMap, Iv

HARD = 'beta = 5\neps = "1e-5"\np_ref = 0.001\n'


def claim(pred: str, domain: str, norm: str = "std", extra: str = "") -> str:
    return f'[[claim]]\nid = "c"\nnorm = "{norm}"\npredicate = "{pred}"\n{extra}[claim.domain]\n{domain}'


def check(pred: str, domain: str, **kw):
    return check_text(claim(pred, domain, **kw))[0]


def mp_orbit(params: Params, n: int, dps: int = 30) -> list:
    """``L_0, ..., L_n`` of the clipped map iterated in mpmath (``ClippedMap.g_mp``)."""
    cm = ClippedMap(params)
    with mp.workdps(dps):
        p0 = mp.mpf(params.start.numerator) / params.start.denominator
        L = [mp.log(p0 / (1 - p0))]
        for _ in range(n):
            L.append(cm.g_mp(L[-1]))
    return L


def params_of(point: dict) -> Params:
    return Params.parse(norm=point["norm"], beta=point["beta"], alpha=point["alpha"], eps=point["eps"],
                        p_ref=point["p_ref"], clip=point["clip_low"], clip_high=point["clip_high"])


# ------------------------------------------------------------------ certified
@pytest.mark.parametrize("pred,domain,norm", [
    ("orbit.kind == 'bounded' and orbit.kind != 'to_one'", HARD + "clip_low = 0.2\nclip_high = 0.28\n", "std"),
    ("all(p_n(n) > 0.005 for n in count(20))", HARD + "clip_low = 0.2\n", "std"),
    ("1.19 * p < h(p) < 1.21 * p and 1.19 < dh(p) < 1.21",
     HARD + "clip_low = 0.2\np = {min = 0.001, max = 0.005}\n", "std"),
    ("orbit.kind == 'cycle' and orbit.period == 2 and abs(orbit.multiplier) < 1 and "
     "0.007 < min(orbit.points) and max(orbit.points) < 0.01", HARD + "clip_low = 0.3\n", "std"),
    ("len(fixed_points) == 3 and len(stable_fixed_points) == 1 and all(fp.p > p_ref for fp in fixed_points)",
     'beta = [1, 5]\neps = "1e-5"\np_ref = 0.001\nclip_low = [0.1, 0.3]\nclip_high = 0.28\n', "std"),
    ("orbit.kind == 'to_one' and orbit.kind != 'bounded' and orbit.limit == 1",
     "beta = 1\nalpha = 0\np_ref = 0.3\nclip_low = 0.2\n", "mean"),
])
def test_true_claims_are_certified(pred, domain, norm):
    r = check(pred, domain, norm=norm)
    assert r.verdict == "certified", r.result.summary


# -------------------------------------------------------------------- refuted
@pytest.mark.slow  # CI runs it in its slow step
def test_false_orbit_claim_refuted_and_rechecked_by_mpmath_iteration():
    r = check("orbit.kind == 'converges'", HARD + "clip_low = {min = 0.1, max = 0.3}\n", extra="search = 8\n")
    assert r.verdict == "refuted", r.result.summary
    cex = r.result.evidence["counterexample"]
    assert "--clip" in cex["command"] and cex["orbit"]["kind"] == "cycle" and cex["orbit"]["period"] == "2"
    P = params_of(cex["point"])
    assert P.clip is not None and Fraction(1, 10) <= P.clip <= Fraction(3, 10)
    # independent re-check: iterate g_c in mpmath; the orbit settles on two alternating values
    L = mp_orbit(P, 20_000)
    a, b, c = L[-3], L[-2], L[-1]
    assert abs(c - a) < mp.mpf("1e-8") and abs(b - a) > mp.mpf("0.1")
    # ... which are the certified cycle points
    sig = [1 / (1 + mp.exp(-x)) for x in (a, b)]
    pts = sorted(float(s.split(" ")[0].strip("[")) for s in cex["orbit"]["points"])
    assert sorted(float(x) for x in sig) == pytest.approx(pts, rel=1e-6)


def test_false_iterate_claim_refuted_and_rechecked_by_mpmath_iteration():
    # on a hard prompt the success clip binds: p_{n+1} = 1.2 p_n, so p_3 = 0.001728 < 0.002
    r = check("p_n(3) >= 0.002", HARD + "clip_low = 0.2\n")
    assert r.verdict == "refuted", r.result.summary
    cex = r.result.evidence["counterexample"]
    L3 = mp_orbit(params_of(cex["point"]), 3)[3]
    p3 = 1 / (1 + mp.exp(-L3))
    assert p3 < mp.mpf("0.002") and abs(p3 - mp.mpf("0.001728")) < mp.mpf("1e-12")
    assert cex["failed"][0]["left"].startswith("[0.001728")


# ------------------------------------------------------------------ bad input
BAD = [
    ("orbit.kind == 'bounded'", "clip_low = -0.1", "clip_low must be in [0, 1), got -0.1"),
    ("orbit.kind == 'bounded'", "clip_low = 1", "clip_low must be in [0, 1), got 1"),
    ("orbit.kind == 'bounded'", "clip_low = nan", "clip_low must be a finite number"),
    ("orbit.kind == 'bounded'", 'clip_low = "nan"', "clip_low must be a finite decimal number"),
    ("orbit.kind == 'bounded'", "clip_low = [0.1, inf]", "clip_low[1] must be a finite number"),
    ("orbit.kind == 'bounded'", "clip_low = {min = 0.1, max = 1}", "upper end max = 1 is outside"),
    ("orbit.kind == 'bounded'", "clip_high = 0.2", "clip_high needs clip_low"),
    ("orbit.kind == 'bounded'", "clip_low = 0.2\nclip_high = -1", "clip_high must be in [0, 1e6], got -1"),
    ("clip_high > 0", "", "the predicate uses clip_high: give clip_low"),
    ("h(p) > p_ref", "clip_low = {min = 0.1, max = 0.3}\np = {min = 0.01, max = 0.5}",
     "clip_low is a range, but the clipped map"),
    ("p_n(2) > p_ref", "clip_low = 0.2\nclip_high = {min = 0.2, max = 0.3}", "clip_high is a range, but the clipped"),
    ("orbit.kind == 'unbounded'", "clip_low = 0.2", "string 'unbounded' is not an orbit kind"),
    ("orbit.kind < 'bounded'", "clip_low = 0.2", "orbit kinds can only be compared with == or !="),
]


@pytest.mark.parametrize("pred,extra,fragment", BAD)
def test_bad_clip_inputs_one_line_exit_2(capsys, tmp_path, pred, extra, fragment):
    f = tmp_path / "claims.toml"
    f.write_text(claim(pred, HARD + extra + "\n"))
    rc = main(["check", str(f)])
    out, err = capsys.readouterr()
    assert rc == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("grpo-symbolic: error:") and "Traceback" not in err, err
    assert fragment in err, err
    assert out == ""


def test_map_claim_with_a_range_of_another_parameter_under_clipping_is_refused(capsys, tmp_path):
    f = tmp_path / "claims.toml"
    f.write_text(claim("h(p) > p_ref", 'beta = {min = 1, max = 5}\neps = "1e-5"\np_ref = 0.001\nclip_low = 0.2\n'
                                       "p = {min = 0.01, max = 0.5}\n"))
    assert main(["check", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "beta is a range, but the clipped map" in err


def test_engine_claim_with_a_clip_range_goes_through_the_search_honestly():
    r = check("orbit.kind == 'bounded'", HARD + "clip_low = {min = 0.1, max = 0.2}\nclip_high = 0.28\n",
              extra="search = 3\n")
    assert r.verdict == "undecided"
    ev = r.result.evidence
    assert ev["kind"] == "search" and ev["covered_fraction"] == 0.0 and ev["continuous"] == ["clip_low"]
    assert ev["search"]["true"] == 3 and "coverage 0" in r.result.summary


# ------------------------------------------------------- clipped vs unclipped
def test_clipped_and_unclipped_claims_differ_where_they_should():
    clipped = HARD + "clip_low = 0.2\n"
    # the unclipped orbit is a 2-cycle; the clipped one is bounded without a cycle certificate
    assert check("orbit.kind == 'cycle' and orbit.period == 2", HARD).verdict == "certified"
    assert check("orbit.kind == 'cycle' and orbit.period == 2", clipped).verdict == "undecided"
    assert check("orbit.kind == 'bounded'", clipped).verdict == "certified"
    # 'bounded' is a property: true for a cycle as well, false for both maps' 'to_one'
    assert check("orbit.kind == 'bounded'", HARD).verdict == "certified"
    assert check("orbit.kind == 'to_one'", clipped).verdict == "refuted"
    # the clipped orbit stays above p = 0.005; the unclipped 2-cycle visits p ~ 0.0023
    tail = "all(p_n(n) > 0.005 for n in count(20))"
    assert check(tail, clipped).verdict == "certified"
    assert check(tail, HARD).verdict == "refuted"
    # one step on the hard prompt: at most the success ratio 1 + clip_high with clipping
    step = "h(p_ref) < 1.21 * p_ref"
    assert check(step, clipped).verdict == "certified"
    assert check(step, HARD).verdict == "refuted"
    # the fixed points are the same
    same = "len(fixed_points) == 3 and any(abs(fp.p - 0.0086) < 0.0001 for fp in fixed_points)"
    assert check(same, clipped).verdict == check(same, HARD).verdict == "certified"


def test_point_engine_uses_the_clipped_dynamics():
    base = Params.parse(norm="std", beta="5", eps="1e-5", p_ref="0.001")
    assert PointEngine(base).orbit().kind == "cycle"
    eng = PointEngine(base.with_(clip=Fraction(1, 5), clip_high=Fraction(7, 25)))
    o = eng.orbit()
    assert o.kind == "bounded" and o.period is UNKNOWN and o.limit is UNKNOWN and not o.points.complete
    assert not eng.boundary().complete  # not computed for the clipped map
    n0, pieces = eng.tail()
    assert n0 >= 0 and len(pieces) == 1 and pieces[0] < -4 and pieces[0] > -5
    cmd = engine_command(eng.params)
    assert cmd.endswith("--clip 0.2 --clip-high 0.28 --json")
    assert "--clip" not in engine_command(base)


def test_kind_comparisons_are_three_valued():
    expect = {
        "converges": {"converges": True, "cycle": False, "to_one": False, "bounded": True},
        "cycle": {"converges": False, "cycle": True, "to_one": False, "bounded": True},
        "to_one": {"converges": False, "cycle": False, "to_one": True, "bounded": False},
        "bounded": {"converges": None, "cycle": None, "to_one": False, "bounded": True},
    }
    for actual, row in expect.items():
        for wanted, truth in row.items():
            assert compare("==", Kind(actual), wanted) is truth
            assert compare("==", wanted, Kind(actual)) is truth
            assert compare("!=", Kind(actual), wanted) is (None if truth is None else not truth)


def test_clipped_ball_map_encloses_the_kernel_map():
    P = Params.parse(norm="std", beta="5", eps="1e-5", p_ref="0.001", clip="0.2", clip_high="0.28")
    cm = ClippedMap(P)
    m = ClippedBallMap("std", P.beta, P.alpha, P.eps, P.p_ref, P.clip, P.clip_high)
    with arb_prec(128), mp.workdps(40):
        for x in ("-9", "-6.9", "-4.7", "-1", "0", "3", "40"):
            ball = m.g_L(Fraction(x))
            mid = mp.mpf(ball.mid().str(40, radius=False))
            assert abs(mid - cm.g_mp(mp.mpf(x))) < mp.mpf("1e-30") + mp.mpf(ball.rad().str(5, radius=False)) * 2
    # interval parameters are not evaluated (the claims file refuses them): unknown, never a number
    bad = ClippedBallMap("std", P.beta, P.alpha, P.eps, P.p_ref, Iv(Fraction(1, 10), Fraction(3, 10)), P.clip_high)
    assert bad.g_L(to_arb(0)) is UNKNOWN and bad.h(Fraction(1, 2)) is UNKNOWN
