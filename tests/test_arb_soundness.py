"""Every Arb ball the engine hands out encloses the exact value, tightly in relative terms.

Each test compares with an independent route (mpmath at high precision from the exact
parameters, closed forms, or a certified claim check), never with stored outputs:

* boundary slopes ``exp(+-Omega(-+inf)/beta)`` (the float64 exponent used to make the
  slope at p = 0 of the std mirror map ``4.69837429080720e274`` instead of
  ``4.69837429080694e274``, and a true claim about ``slope * exp(-1/beta)`` refuted);
* fixed-point slopes with relative precision (``1 - alpha = 1e-40``);
* the other places where a float or a rounded number became a ball.
"""

from fractions import Fraction as F

import mpmath as mp
import pytest
from flint import arb, fmpz

from grpo_symbolic.exact.arbutil import arb_prec, certified_digits, to_arb
from grpo_symbolic.exact.boundary import boundary_fixed_points
from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.exact.fixed_points import _floor_lower, fixed_points, isolate_fixed_points
from grpo_symbolic.exact.logit_map import LogitMap
from grpo_symbolic.params import Params
from grpo_symbolic.reviewer import check_text
from grpo_symbolic.reviewer.values import BallMap


def _mp(x: str):
    """An exact decimal as an mpmath number at the current precision."""
    q = F(x)
    return mp.mpf(q.numerator) / q.denominator


def _ball_of_mp(v) -> arb:
    """The mpmath value ``v`` as an exact Arb number (its own mantissa times a power of 2;
    no Fraction: ``e^(10^15)`` has an exponent of 1.4e15 bits)."""
    sign, man, exp, _ = v._mpf_
    return (-1 if sign else 1) * arb(fmpz(int(man))) * arb(2) ** int(exp)


def _contains(ball: arb, v) -> bool:
    with arb_prec(2 * mp.mp.prec + 64):
        return bool(ball.contains(_ball_of_mp(v)))


def _bfp(params, digits=40):
    return {b.p: b for b in boundary_fixed_points(LogitMap(params), digits=digits)}


# ------------------------------------------------------------------ (a) boundary slopes
@pytest.mark.parametrize("beta,eps", [("0.5", "0.00001"), ("1", "1e-5"), ("3", "0.01"),
                                      ("0.001", "0.000001"),   # exponent 10^6: e^(10^6)
                                      ("1e-9", "1e-12")])      # exponent 10^15
def test_std_mirror_slope_at_zero_matches_mpmath(beta, eps):
    """p = 0 of the std mirror map: slope = exp(1/(beta sqrt(eps))), mpmath at 100 digits."""
    P = Params.parse(norm="std", beta=beta, alpha="0", eps=eps, p_ref="0.3")
    b = _bfp(P)
    with mp.workdps(100):
        ref = mp.exp(1 / (_mp(beta) * mp.sqrt(_mp(eps))))
        assert abs(b[0].slope / ref - 1) < mp.mpf(10) ** -30
        assert _contains(b[0].slope_ball, ref)
        ref1 = mp.exp(-1 / (_mp(beta) * mp.sqrt(_mp(eps))))  # p = 1: exp(-Omega(+inf)/beta)
        assert abs(b[1].slope / ref1 - 1) < mp.mpf(10) ** -30
        assert _contains(b[1].slope_ball, ref1)
    assert b[0].stable is False and b[1].stable is True


def test_issue_reproduction_digits():
    """The number from the report: 4.69837429080693812e274 (not ...720086e274)."""
    P = Params.parse(norm="std", beta="0.5", alpha="0", eps="0.00001", p_ref="0.3")
    js = compute_dynamics(P, digits=30).to_json()
    s0 = [b["slope"] for b in js["boundary_fixed_points"] if b["p"] == "0"][0]
    with mp.workdps(60):
        ref = mp.exp(2 / mp.sqrt(mp.mpf(1) / 100000))
        assert s0 == mp.nstr(ref, 30, strip_zeros=False, min_fixed=-4, max_fixed=31)
    assert s0.startswith("4.69837429080693812")


@pytest.mark.parametrize("beta", ["0.5", "2", "1/3"])
def test_mean_mirror_slopes_are_exp_of_one_over_beta(beta):
    P = Params.parse(norm="mean", beta=beta, alpha="0", p_ref="0.3")
    b = _bfp(P, digits=50)
    with mp.workdps(120):
        q = F(beta)
        x = mp.mpf(q.denominator) / q.numerator
        for p, ref in ((0, mp.exp(x)), (1, mp.exp(-x))):
            assert abs(b[p].slope / ref - 1) < mp.mpf(10) ** -50
            assert _contains(b[p].slope_ball, ref)


@pytest.mark.parametrize("G,conv,eps", [(8, "paper", "1e-5"), (5, "trl", "0"), (6, "trl", "0.1"),
                                        (16, "mean", "0"), (2, "paper", "0")])
def test_group_mirror_slopes_match_closed_form(G, conv, eps):
    """Finite groups: Omega_G(+-inf) = (G-1)/(G D_1), D_1 = sqrt((G-1)/G^2 + eps) (paper),
    G^(-1/2) + eps (trl), 1 (mean)."""
    P = Params.parse(norm="mean" if conv == "mean" else "std", beta="0.7", alpha="0", eps=eps, p_ref="0.3",
                     group_size=G, convention=conv)
    b = _bfp(P)
    with mp.workdps(100):
        e = _mp(eps)
        D1 = {"paper": mp.sqrt(mp.mpf(G - 1) / G**2 + e), "trl": 1 / mp.sqrt(G) + e, "mean": mp.mpf(1)}[conv]
        x = (mp.mpf(G - 1) / G) / D1 / _mp("0.7")
        for p, ref in ((0, mp.exp(x)), (1, mp.exp(-x))):
            assert abs(b[p].slope / ref - 1) < mp.mpf(10) ** -30
            assert _contains(b[p].slope_ball, ref)


def test_infinite_and_zero_boundary_slopes_are_exact_balls():
    b = _bfp(Params.parse(norm="std", beta="1", alpha="1/2", eps="1e-3", p_ref="0.3"))
    assert b[0].slope == mp.inf and b[1].slope == mp.inf
    assert not b[0].slope_ball.is_finite() and b[0].slope_ball > 0
    b = _bfp(Params.parse(norm="std", beta="1", alpha="1/2", eps="0", p_ref="0.3"))
    assert set(b) == {1} and b[1].slope_ball.is_exact() and b[1].slope_ball.is_zero()


# ------------------------------------------------------------------ (b) the claim check
CLAIM = '''
[[claim]]
id = "slope0"
norm = "{norm}"
predicate = "{pred}"
[claim.domain]
alpha = 0
beta = 0.5
eps = "1e-5"
p_ref = 0.3
'''


def _verdict(norm, pred):
    return check_text(CLAIM.format(norm=norm, pred=pred))[0].verdict


def test_true_boundary_slope_claim_is_certified():
    """|slope(0) e^(-1/beta) - 1| < 1e-20 is true (mean mirror): it used to be refuted
    (2.4e-17: the float64 rounding of e^2 carried as an exact ball)."""
    pred = "all(abs(b.slope*exp(-1/beta) - 1) < 1e-20 for b in boundary_fixed_points if b.p == 0)"
    assert _verdict("mean", pred) == "certified"


def test_true_std_boundary_slope_claim_is_certified():
    pred = "all(abs(b.slope*exp(-1/(beta*sqrt(eps))) - 1) < 1e-25 for b in boundary_fixed_points if b.p == 0)"
    assert _verdict("std", pred) == "certified"


@pytest.mark.parametrize("pred", [
    # slope * e^(-1/beta) - 1 is 0, not > 1e-20
    "all(b.slope*exp(-1/beta) - 1 > 1e-20 for b in boundary_fixed_points if b.p == 0)",
    # a wrong constant: e^(1/beta) e^(-1/(2 beta)) - 1 = e - 1
    "all(abs(b.slope*exp(-1/(2*beta)) - 1) < 1e-20 for b in boundary_fixed_points if b.p == 0)",
    # p = 1: slope e^(-1/beta), so slope * e^(1/beta) - 1 = 0
    "all(abs(b.slope*exp(1/beta) - 1) > 1e-20 for b in boundary_fixed_points if b.p == 1)",
])
def test_false_boundary_slope_claims_are_refuted(pred):
    assert _verdict("mean", pred) == "refuted"


def test_claim_evaluates_true_at_the_point_whatever_the_verdict_plumbing():
    """The same predicate evaluated directly at the point (no verdict bookkeeping)."""
    from grpo_symbolic.reviewer.checker import Checker
    from grpo_symbolic.reviewer.claimfile import parse_text

    pred = "all(abs(b.slope*exp(-1/beta) - 1) < 1e-20 for b in boundary_fixed_points if b.p == 0)"
    claim = parse_text(CLAIM.format(norm="mean", pred=pred), "<t>")[0]
    truth, _ = Checker(claim).eval_point("mean", {"beta": F(1, 2), "alpha": F(0), "p_ref": F(3, 10)})
    assert truth is True


# ------------------------------------------------------- (c) slopes with relative precision
ALPHA = "0." + "9" * 40  # 1 - 10^-40


def test_mean_slope_one_minus_alpha_exact_to_every_digit():
    P = Params.parse(norm="mean", beta="1", alpha=ALPHA, p_ref="0.2")
    rep = compute_dynamics(P, digits=30)
    (fp,) = rep.fixed
    js = rep.to_json()["fixed_points"][0]
    assert js["slope"] == "1." + "0" * 29 + "e-40"
    assert mp.mpf(js["slope"]) == mp.mpf("1e-40")
    with arb_prec(400):
        assert fp.slope_ball.contains(to_arb(F(1, 10**40)))
    assert certified_digits(fp.slope_ball, 30) == 30 and fp.stable is True


def _std_fixed_points_mp(alpha, beta, eps, p_ref, guesses):
    """Independent mpmath route: roots of G(L) = alpha (L_ref - L) + Omega(L)/beta and
    slopes (1 - alpha) + Omega'(L)/beta, Omega = (s + eps)^(-1/2), s = p(1-p)."""
    a, b, e, pr = (_mp(x) for x in (alpha, beta, eps, p_ref))
    one_minus_a = _mp(str(1 - F(alpha)))
    Lr = mp.log(pr / (1 - pr))

    def s(L):
        return 1 / (4 * mp.cosh(L / 2) ** 2)

    def G(L):
        return a * (Lr - L) + (s(L) + e) ** mp.mpf(-0.5) / b

    def slope(L):
        return one_minus_a + s(L) * mp.tanh(L / 2) * (s(L) + e) ** mp.mpf(-1.5) / (2 * b)

    roots = [mp.findroot(G, g) for g in guesses]
    return roots, [slope(r) for r in roots]


def test_std_slope_near_one_minus_alpha_matches_mpmath():
    """std, beta = 1, p_ref = 0.2, eps = 1e-5: the top fixed point has slope
    1e-40 + 2.918e-130; 100 reported digits agree with mpmath at 250 digits."""
    P = Params.parse(norm="std", beta="1", alpha=ALPHA, eps="1e-5", p_ref="0.2")
    rep = compute_dynamics(P, digits=100)
    assert len(rep.fixed) == 3
    js = rep.to_json()["fixed_points"]
    with mp.workdps(250):
        # rough guesses only pick the root (the three roots are far apart)
        roots, slopes = _std_fixed_points_mp(ALPHA, "1", "1e-5", "0.2", [mp.mpf("0.76"), mp.mpf("2.66"),
                                                                          mp.mpf("314.84")])
        for fp, j, r, sl in zip(rep.fixed, js, roots, slopes):
            assert abs(fp.logit - r) < mp.mpf(10) ** -95 * max(1, abs(r))
            assert abs(mp.mpf(j["slope"]) / sl - 1) < mp.mpf(10) ** -98
            assert _contains(fp.slope_ball, sl)
        top = slopes[-1]
        assert abs((top - mp.mpf(10) ** -40) / mp.mpf(10) ** -130 - mp.mpf("2.918")) < mp.mpf("0.001")


def test_dynamics_cli_prints_the_exact_slope():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "grpo_symbolic", "dynamics", "--norm", "mean", "--alpha", ALPHA,
                          "--beta", "1", "--p-ref", "0.2", "--json"], capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)
    assert d["fixed_points"][0]["slope"] == "1." + "0" * 29 + "e-40"
    assert d["orbit"]["multiplier"] == "1." + "0" * 29 + "e-40"


# ------------------------------------------------------------------ (d) other places
@pytest.mark.parametrize("x", [0.1, mp.mpf(1) / 3, "0.1", 1e300])
def test_to_arb_refuses_rounded_numbers(x):
    with pytest.raises(TypeError):
        to_arb(x)


def test_to_arb_exact_inputs():
    assert to_arb(7).is_exact() and to_arb(F(3, 4)).is_exact()
    with arb_prec(64):
        third = to_arb(F(1, 3))
        assert third.rad() > 0 and (3 * third).contains(1)  # rounded, with a covering radius


def test_search_domain_floor_is_exact():
    """2^70 - 3 as a float is 2^70: floor(float(.)) - 1 lands above the true end point."""
    with arb_prec(128):
        x = to_arb(2**70 - 3)
        assert float(x.lower()) == 2.0**70 and x.lower() < 2**70 - 2
        assert _floor_lower(x) == 2**70 - 3
        assert _floor_lower(to_arb(F(-7, 2))) == -4
    y = to_arb(2**70 - 3)  # 53 bits: a rounded ball; the floor is still below it
    assert _floor_lower(y) <= 2**70 - 3


def test_fixed_point_far_out_is_found_at_any_ambient_precision():
    """mean, alpha = 1e-30: the only fixed point is L* = L_ref + 1/(alpha beta) = L_ref + 1e30.
    With a 256-bit ambient precision the float-rounded search domain used to start above it
    (no fixed point, 'complete')."""
    P = Params.parse(norm="mean", beta="1", alpha="1e-30", p_ref="0.3")
    with arb_prec(256):
        iso = isolate_fixed_points(LogitMap(P))
    assert iso.complete and len(iso.boxes) == 1
    fps, _ = fixed_points(LogitMap(P), digits=40, isolation=iso)
    with mp.workdps(80):
        ref = mp.log(mp.mpf(3) / 7) + mp.mpf(10) ** 30
        assert abs(fps[0].logit - ref) < mp.mpf(10) ** -30
    # slope 1 - 1e-30 < 1: certified stable (abs() at 53 bits used to round it to 1)
    assert fps[0].stable is True
    with arb_prec(1000):
        assert fps[0].slope_ball.contains(to_arb(1 - F(1, 10**30)))


def test_ballmap_one_minus_alpha_keeps_relative_precision():
    """The checker's own map: g'(L) = 1 - alpha for mean-only, with alpha = 1 - 1e-40, at
    128 bits (1 - ball(alpha) had an absolute error 2^-128 > 1e-40)."""
    with arb_prec(128):
        bm = BallMap("mean", F(1), F(ALPHA), F(0), F(1, 5))
        d = bm.dg_L(to_arb(F(0)))
        assert d > 0 and d.contains(to_arb(F(1, 10**40)))
        assert certified_digits(d, 20) == 20


def test_constant_group_weights_have_exactly_zero_derivative():
    """G = 3: Omega_G = b_0 is constant, so with alpha = 1 the fixed point's slope is exactly 0."""
    P = Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2", group_size=3, convention="paper")
    (fp,) = compute_dynamics(P, digits=30).fixed
    assert fp.slope_ball.is_exact() and fp.slope_ball.is_zero() and fp.stable is True


def test_arbeval_float_is_its_binary_value():
    """A SymPy Float is enclosed at its exact binary value, not at its shortened decimal."""
    import sympy as sp
    try:
        from grpo_symbolic.verify.arbeval import arb_eval
    except ImportError:  # pragma: no cover - before the audit -> verify move
        from grpo_symbolic.audit.arbeval import arb_eval

    f = sp.Float(1) / 3  # 15-digit Float: 0.333333333333333 (its binary value is not that decimal)
    b = arb_eval(f, {}, 200)
    exact = F(int(sp.Rational(f).p), int(sp.Rational(f).q))
    with arb_prec(200):
        assert b.contains(to_arb(exact))
        assert not b.contains(arb("0.333333333333333"))


def test_cycle_multiplier_is_a_ball_and_printed_digits_are_certified():
    """A 2-cycle (std, beta = 4.5, p_ref = 0.0005): its multiplier is the product of g' at
    the two points, recomputed here with mpmath from the reported points."""
    P = Params.parse(norm="std", beta="4.5", alpha="1", eps="1e-5", p_ref="0.0005")
    rep = compute_dynamics(P, digits=30)
    o = rep.orbit
    assert o.kind == "cycle" and o.multiplier_ball is not None
    m = LogitMap(P)
    printed = rep.to_json()["orbit"]["multiplier"]
    with mp.workdps(60):
        ref = m.dg_mp(o.points[0]) * m.dg_mp(o.points[1])  # points accurate to ~30 digits
        assert abs(mp.mpf(printed) / ref - 1) < mp.mpf(10) ** -27
        assert abs(o.multiplier / ref - 1) < mp.mpf(10) ** -27
    assert certified_digits(o.multiplier_ball, 30) == 30 and o.stable is True


def test_tanh_half_far_out_is_a_ball_not_exactly_one():
    """tanh(t/2) < 1 for every real t: beyond EXP_LIMIT the checker used the exact +-1."""
    from grpo_symbolic.reviewer.values import tanh_half

    with arb_prec(128):
        for t in (arb(2) ** 40, -(arb(2) ** 40)):
            x = tanh_half(t)
            assert not x.is_exact() and x.contains(1 if t > 0 else -1)
            assert (x.lower() < 1) if t > 0 else (x.upper() > -1)


def test_reported_bounds_round_outward():
    """Certified radii and contraction bounds are rounded up, never to nearest."""
    from grpo_symbolic.exact.fixed_points import mpf_to_fraction
    from grpo_symbolic.exact.orbit import _float_up, _mpf_up

    for q in (F(1, 3), F(2, 3), F(10**40 + 1, 7**50)):
        assert mpf_to_fraction(_mpf_up(q, 60)) >= q
    with arb_prec(128):
        x = arb(1) / 3
        assert arb(_float_up(x)) >= x.upper()
