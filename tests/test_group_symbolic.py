"""The SymPy derivation of the finite-group weights, and the G -> infinity limits."""

from fractions import Fraction

import mpmath as mp
import pytest
import sympy as sp

from grpo_symbolic.exact.group_weights import GroupWeights
from grpo_symbolic.exact.weights import StdWeights
from grpo_symbolic.symbolic import group_weights as S


@pytest.fixture(scope="module")
def all_checks():
    return S.checks()


def test_all_symbolic_checks_pass(all_checks):
    failed = [name for name, ok in all_checks if not ok]
    assert not failed, failed
    assert len(all_checks) >= 100
    names = " ".join(n for n, _ in all_checks)
    for step in ("S1_reward_vectors", "S1_output_tuples", "S2_general_plus", "S3_omega_plus", "S3_binomial_plus",
                 "S4_mean_plus", "S4_pgf_one", "S5_constant", "S5_paper_value", "S6_end_1", "S7_trl_vs_paper",
                 "S8_limit", "convexity[trl]"):
        assert step in names, step


@pytest.mark.parametrize("which", ["G2", "G3", "G4", "G5", "general", "large"])
def test_spot_checks(which):
    """The independent numeric route: both sides of every step at random points (mpmath)."""
    if which.startswith("G"):
        ds = [S.group_weights(int(which[1:]))]
    elif which == "general":
        ds = [S.group_general()]
    else:
        ds = [S.group_large_G(c) for c in S.CONVENTIONS]
    for d in ds:
        bad = {k: (v.errors[:1], v.max_discrepancy) for k, v in d.spot_check(n=8, dps=30).items() if not v.ok}
        assert not bad, (d.name, bad)


def test_wrong_identities_are_rejected():
    """Negative controls: a 1% error, or the wrong convention, fails both routes."""
    from grpo_symbolic.symbolic.derivation import Step
    from grpo_symbolic.symbolic.rewrites import CANCEL, EXPAND, TOGETHER

    G = 4
    st = Step("neg", "wrong", S.omega_plus_sum(G), (1 - S.p) * S.Omega_bernstein(G) * sp.Rational(101, 100),
              route=(EXPAND,))
    assert not st.check().ok and not st.spot_check(n=5).ok
    surr, piS, piF = S.brute_force_surrogate(G, "paper")
    st = Step("neg2", "wrong convention", surr,
              S.omega_plus_sum(G, "trl") * piS - S.omega_minus_sum(G, "trl") * piF, route=(EXPAND, TOGETHER, CANCEL))
    assert not st.check().ok and not st.spot_check(n=5).ok


def _mpq(x):
    x = Fraction(x)
    return mp.mpf(x.numerator) / x.denominator


@pytest.mark.parametrize("conv,eps", [("paper", "0"), ("paper", "1/1000"), ("trl", "1/10000"), ("trl", "0"), ("mean", "0")])
def test_sympy_sums_vs_group_weights(conv, eps):
    """The SymPy binomial sums (S2, no reduction) evaluated at 50 digits agree with GroupWeights."""
    e = sp.Rational(eps)
    for G in range(2, 10):
        wp, wm = S.omega_plus_sum(G, conv, S.p, e), S.omega_minus_sum(G, conv, S.p, e)
        w = GroupWeights(G, conv, Fraction(eps))
        for pr in (sp.Rational(1, 50), sp.Rational(3, 10), sp.Rational(4, 5)):
            with mp.workdps(50):
                gp, gm = w.omega_pm_mp(mp.log(_mpq(pr)) - mp.log(1 - _mpq(pr)))
                assert abs(gp - mp.mpf(str(wp.subs(S.p, pr).evalf(60)))) < mp.mpf(10) ** -45
                assert abs(gm - mp.mpf(str(wm.subs(S.p, pr).evalf(60)))) < mp.mpf(10) ** -45


@pytest.mark.parametrize("conv", ["paper", "trl"])
def test_general_G_sum_vs_group_weights(conv):
    expr = S.Omega_general_convention(conv)
    G, pr, e = 40, sp.Rational(3, 10), sp.Rational(1, 10000)
    val = expr.subs({S.Gs: G, S.p: pr, S.eps: e}).doit().evalf(40)
    with mp.workdps(40):
        ref = GroupWeights(G, conv, Fraction(1, 10000)).omega_mp(mp.log(_mpq(pr)) - mp.log(1 - _mpq(pr)))
        assert abs(mp.mpf(str(val)) - ref) < mp.mpf(10) ** -35


def test_mean_identity_general_G():
    d = S.group_general()
    assert d.check().ok
    assert d.result["Omega_G[mean]"] == (S.Gs - 1) / S.Gs
    for name in ("S4_pgf_one", "S4_mean_plus_direct", "S4_mean_minus_direct"):
        assert d.step(name).check().ok


# ---------------------------------------------------------------- G -> infinity
LIMIT_CASES = [("paper", "1/1000", "3/10"), ("paper", "0", "1/5"), ("trl", "1/10000", "3/10"),
               ("trl", "0", "3/5"), ("paper", "1/100", "1/2")]
GS = [64, 128, 256, 512, 1024, 2048, 4096]


@pytest.mark.parametrize("conv,eps,pv", LIMIT_CASES)
def test_large_G_limit_and_first_order_term(conv, eps, pv):
    """|Omega_G - f| decreases to 0 and G (Omega_G - f) -> c1 with an error that halves as G doubles."""
    f, c1 = S.large_G_expansion(conv)
    subs = {S.p: sp.Rational(pv), S.eps: sp.Rational(eps)}
    with mp.workdps(30):
        fv, c1v = mp.mpf(str(f.subs(subs).evalf(40))), mp.mpf(str(c1.subs(subs).evalf(40)))
        pm = _mpq(pv)
        L = mp.log(pm) - mp.log(1 - pm)
        errs, errs1 = [], []
        for G in GS:
            om = GroupWeights(G, conv, Fraction(eps)).omega_mp(L)
            errs.append(abs(om - fv))
            errs1.append(abs(G * (om - fv) - c1v))
        # population weight for paper: the paper's Omega_eps = (p(1-p)+eps)^(-1/2)
        if conv == "paper":
            assert abs(fv - 1 / mp.sqrt(pm * (1 - pm) + _mpq(eps))) < 1e-25
    assert all(b < a for a, b in zip(errs, errs[1:]))
    assert errs[-1] < 2e-3 * fv
    assert all(b < 0.6 * a for a, b in zip(errs1, errs1[1:])), errs1


def test_mean_convergence_exact():
    for G in (2, 10, 1000):
        with mp.workdps(30):
            assert GroupWeights(G, "mean", 0).omega_mp(mp.mpf("0.4")) == 1 - mp.mpf(1) / G


@pytest.mark.parametrize("eps", ["1/100", "1/1000"])
def test_paper_uniform_bound(eps):
    """The rigorous O(1/G) bound of S8 holds at every tested p, ends included."""
    e = sp.Rational(eps)
    for G in (4, 16, 64, 256, 1024):
        bound = S.paper_uniform_bound(G, S.p, e)
        w = GroupWeights(G, "paper", Fraction(eps))
        for pv in ("1/1000000000", "1/100", "3/10", "1/2", "9/10", "999999/1000000"):
            pr = sp.Rational(pv)
            with mp.workdps(30):
                pm = _mpq(pv)
                om = w.omega_mp(mp.log(pm) - mp.log(1 - pm))
                err = abs(om - 1 / mp.sqrt(pm * (1 - pm) + _mpq(eps)))
                assert err <= mp.mpf(str(bound.subs(S.p, pr).evalf(30)))


def test_finite_G_differs_from_population_near_ends():
    """Paper, eps = 0: the population Omega = 1/sqrt(p(1-p)) blows up at the ends, the finite-G
    Omega_G tends to sqrt(G-1); with eps > 0 the cap is (G-1)/sqrt(G-1+G^2 eps) < 1/sqrt(eps)."""
    with mp.workdps(30):
        for G in (4, 16, 64):
            w = GroupWeights(G, "paper", 0)
            for pv in ("1e-6", "0.999999"):
                pm = mp.mpf(pv)
                L = mp.log(pm) - mp.log(1 - pm)
                assert abs(w.omega_mp(L) - mp.sqrt(G - 1)) < 1e-3 * mp.sqrt(G)
                population = StdWeights(0).omega_mp(L)  # ~ 1/sqrt(p(1-p)) = 1000
                assert population > 900 and population > 10 * w.omega_mp(L)
            e = mp.mpf("1e-4")
            w = GroupWeights(G, "paper", Fraction(1, 10000))
            assert abs(w.omega_mp(mp.mpf(60)) - (G - 1) / mp.sqrt(G - 1 + G * G * e)) < 1e-20
