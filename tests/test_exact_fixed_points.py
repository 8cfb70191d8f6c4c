"""Certified fixed points vs independent routes: dense scans, findroot, precision."""

from fractions import Fraction

import mpmath as mp
import pytest
from hypothesis import given, strategies as st

from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.exact.fixed_points import fixed_points, isolate_fixed_points
from grpo_symbolic.exact.logit_map import LogitMap
from grpo_symbolic.params import Params

from helpers_exact import ref_G, scan_zeros

CASES = [  # (norm, beta, alpha, eps, p_ref): a spread of non-degenerate cases
    ("std", "1", "1", "1e-5", "0.2"),
    ("std", "5", "1", "1e-5", "0.0001"),
    ("std", "5", "1", "1e-5", "0.8"),
    ("std", "0.01", "1", "1e-5", "0.2"),
    ("std", "1", "1", "0", "0.2"),
    ("std", "10", "1", "0", "0.01"),
    ("std", "0.5", "0.5", "1e-5", "0.3"),
    ("std", "2", "0.9", "1e-3", "0.001"),
    ("mean", "0.3", "0.25", "0", "0.1"),
    ("mean", "3", "1", "0", "0.6"),
]


def _kw(case):
    norm, beta, alpha, eps, p_ref = case
    return dict(norm=norm, beta=Fraction(beta), alpha=Fraction(alpha), eps=Fraction(eps), p_ref=Fraction(p_ref))


@pytest.mark.parametrize("case", CASES)
def test_count_and_values_match_dense_scan(case):
    """Every sign change of an independently coded G on a dense grid brackets
    exactly one certified fixed point, and the values agree with findroot."""
    P = Params.parse(norm=case[0], beta=case[1], alpha=case[2], eps=case[3], p_ref=case[4])
    pts, iso = fixed_points(LogitMap(P), digits=40)
    assert iso.complete
    with mp.workdps(50):
        kw = _kw(case)
        pr, eps, ab = mp.mpf(case[4]), mp.mpf(case[3]), mp.mpf(case[2]) * mp.mpf(case[1])
        Lref = mp.log(pr) - mp.log(1 - pr)
        hi = Lref + (1 / mp.sqrt(eps) if eps > 0 and case[0] == "std" else 60) / ab
        hi = max(hi, Lref + 60) + 10
        brackets = scan_zeros(lambda L: ref_G(L, **kw), Lref - 40, hi, n=6000)
        assert len(brackets) == len(pts)
        for (a, b), fp in zip(brackets, pts):
            root = mp.findroot(lambda L: ref_G(L, **kw), (a, b), solver="anderson")
            assert abs(root - fp.logit) <= mp.mpf(10) ** -35 * max(1, abs(root))


@pytest.mark.parametrize("case", CASES[:6])
def test_low_vs_high_precision(case):
    """20-digit results are the leading digits of the 400-digit results."""
    P = Params.parse(norm=case[0], beta=case[1], alpha=case[2], eps=case[3], p_ref=case[4])
    lo, _ = fixed_points(LogitMap(P), digits=20)
    hi, _ = fixed_points(LogitMap(P), digits=400)
    assert len(lo) == len(hi)
    with mp.workdps(420):
        for a, b in zip(lo, hi):
            assert abs(a.logit - b.logit) <= 2 * a.radius
            kw = _kw(case)
            assert abs(ref_G(b.logit, **kw)) < mp.mpf(10) ** -390 * (1 + abs(b.logit))


def test_thousand_digits_and_extreme_fixed_point():
    """A fixed point at 1 - 1e-13733 computed to 1000 digits; 1 - p* agrees with an
    independent evaluation e^{-L}/(1+e^{-L}) at 1100 digits, and G vanishes."""
    P = Params.parse(norm="std", beta="0.01", alpha="1", eps="1e-5", p_ref="0.2")
    rep = compute_dynamics(P, digits=1000)
    (fp,) = rep.fixed
    js = rep.to_json()["fixed_points"][0]
    with mp.workdps(1100):
        L = mp.findroot(lambda L: ref_G(L, **_kw(("std", "0.01", "1", "1e-5", "0.2"))), fp.logit)
        one_minus = mp.exp(-L) / (1 + mp.exp(-L))
        assert abs(mp.mpf(js["one_minus_p"]) / one_minus - 1) < mp.mpf(10) ** -995
        assert -13734 < mp.log10(one_minus) < -13732
    digits = js["one_minus_p"].split("e")[0].replace(".", "").lstrip("0")
    assert len(digits) == 1000


def test_slope_matches_numerical_derivative():
    P = Params.parse(norm="std", beta="5", alpha="1", eps="1e-5", p_ref="0.0001")
    pts, _ = fixed_points(LogitMap(P), digits=30)
    kw = _kw(("std", "5", "1", "1e-5", "0.0001"))
    with mp.workdps(40):
        for f in pts:
            num = mp.diff(lambda L: ref_G(L, **kw) + L, f.logit)
            assert abs(num - f.slope) < mp.mpf(10) ** -25 * (1 + abs(num))
            assert f.stable == (abs(num) < 1)


def test_mirror_has_no_interior_fixed_point():
    for norm in ("std", "mean"):
        P = Params.parse(norm=norm, beta="0.7", alpha="0", eps="1e-5", p_ref="0.3")
        pts, iso = fixed_points(LogitMap(P), digits=20)
        assert pts == [] and iso.domain is None


# ------------------------------------------------------------ hypothesis
def _dec(mant, exp):
    return f"{mant}e{exp}"


p_refs = st.one_of(
    st.builds(_dec, st.integers(1, 9), st.integers(-300, -1)),
    st.sampled_from(["0.5", "0.2", "0.8", "0.999999", "0.999999999999"]),
)
betas = st.builds(_dec, st.integers(1, 9), st.integers(-6, 5))
alphas = st.one_of(st.sampled_from(["1", "0.5", "0.01"]), st.builds(lambda k: str(Fraction(k, 97)), st.integers(1, 97)))
epss = st.one_of(st.just("0"), st.builds(_dec, st.integers(1, 9), st.integers(-12, 0)))


@given(norm=st.sampled_from(["std", "mean"]), beta=betas, alpha=alphas, eps=epss, p_ref=p_refs)
def test_hypothesis_fixed_points_are_zeros_and_complete(norm, beta, alpha, eps, p_ref):
    """Over extreme parameters: isolation completes, every reported fixed point is
    a zero of the independently coded G (checked at higher precision), and no
    sign change of G on a dense scan is missed."""
    if norm == "mean":
        eps = "0"
    P = Params.parse(norm=norm, beta=beta, alpha=alpha, eps=eps, p_ref=p_ref)
    pts, iso = fixed_points(LogitMap(P), digits=25)
    assert iso.complete
    kw = dict(norm=norm, beta=Fraction(beta), alpha=Fraction(alpha), eps=Fraction(eps), p_ref=Fraction(p_ref))
    with mp.workdps(60):
        for f in pts:
            # G changes sign across the certified enclosure
            a, b = f.logit - 2 * f.radius, f.logit + 2 * f.radius
            assert (ref_G(a, **kw) > 0) != (ref_G(b, **kw) > 0)
        assert [f.logit for f in pts] == sorted(f.logit for f in pts)
    if iso.domain is not None:
        lo, hi = (mp.mpf(v.numerator) / v.denominator for v in iso.domain)
        with mp.workdps(30):
            brackets = scan_zeros(lambda L: ref_G(L, **kw), lo - 5, hi + 5, n=1500)
            for a, b in brackets:  # every scanned root is a certified one
                assert any(a - 1e-20 <= f.logit <= b + 1e-20 for f in pts)
