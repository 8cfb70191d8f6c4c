"""GroupWeights (exact finite-group weights) against independent routes.

Independent references here are coded straight from the definitions (conditional
expectations of the advantage, binomial sums over the other G-1 samples, or all 2^G
reward vectors), without the Bernstein reduction used by GroupWeights."""

import math
import random
import time
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from flint import arb

from grpo_symbolic.exact.arbutil import arb_prec, interval, to_arb
from grpo_symbolic.exact.group_weights import GroupWeights

CASES = [  # (G, convention, eps)
    (2, "paper", "0"), (3, "trl", "1e-4"), (4, "paper", "0"), (4, "trl", "0"), (5, "paper", "1e-3"),
    (8, "trl", "1e-4"), (8, "mean", "0"), (16, "paper", "1e-5"), (33, "trl", "0.01"), (64, "paper", "0"),
    (256, "trl", "1e-4"),
]


# ------------------------------------------------------------------ references
def ref_D(k, G, conv, eps):
    x = mp.mpf(k) / G
    if conv == "paper":
        return mp.sqrt(x * (1 - x) + eps)
    if conv == "trl":
        return mp.sqrt(mp.mpf(G) / (G - 1) * x * (1 - x)) + eps
    return mp.mpf(1)


def ref_adv(r, k, G, conv, eps):
    if k == 0 or k == G:
        return mp.mpf(0)
    return (r - mp.mpf(k) / G) / ref_D(k, G, conv, eps)


def ref_omega_pm(G, conv, eps, L):
    """(E[A | success], -E[A | failure]) by the binomial sum over the other G-1 samples."""
    eps = mp.mpf(Fraction(eps).numerator) / Fraction(eps).denominator
    L = mp.mpf(L)
    p, q = 1 / (1 + mp.exp(-L)), 1 / (1 + mp.exp(L))
    wp = wm = mp.mpf(0)
    for j in range(G):
        pmf = math.comb(G - 1, j) * p**j * q ** (G - 1 - j)
        wp += pmf * ref_adv(1, j + 1, G, conv, eps)
        wm -= pmf * ref_adv(0, j, G, conv, eps)
    return wp, wm


def brute_omega_pm(G, conv, eps, p):
    """The same from all 2^G reward vectors: omega_plus = E[A_1 1{r_1=1}]/p etc."""
    eps = mp.mpf(Fraction(eps).numerator) / Fraction(eps).denominator
    sp_ = sf = mp.mpf(0)
    for bits in range(2**G):
        r = [(bits >> i) & 1 for i in range(G)]
        k = sum(r)
        prob = p**k * (1 - p) ** (G - k)
        a1 = ref_adv(r[0], k, G, conv, eps)
        if r[0]:
            sp_ += prob * a1
        else:
            sf += prob * a1
    return sp_ / p, -sf / (1 - p)


def arb_to_mp(x: arb):
    m, e = x.man_exp()
    return mp.ldexp(mp.mpf(int(m)), int(e))


def enclosure_contains(enc: arb, v) -> bool:
    return arb_to_mp(enc.lower()) <= v <= arb_to_mp(enc.upper())


# --------------------------------------------------------------------- values
@pytest.mark.parametrize("G,conv,eps", CASES)
def test_matches_conditional_binomial_sums(G, conv, eps):
    w = GroupWeights(G, conv, eps)
    with mp.workdps(40):
        for L in ["-30", "-4.5", "-0.3", "0", "0.7", "2", "9", "45"]:
            wp, wm = ref_omega_pm(G, conv, eps, L)
            gp, gm = w.omega_pm_mp(mp.mpf(L))
            assert abs(gp - wp) <= mp.mpf(10) ** -35 * max(1, abs(wp))
            assert abs(gm - wm) <= mp.mpf(10) ** -35 * max(1, abs(wm))
            assert abs(w.omega_mp(mp.mpf(L)) - (wp + wm)) <= mp.mpf(10) ** -35 * (wp + wm)


@pytest.mark.parametrize("G", [2, 3, 4, 5, 7, 10])
@pytest.mark.parametrize("conv,eps", [("paper", "0"), ("paper", "1e-3"), ("trl", "1e-4"), ("trl", "0"), ("mean", "0")])
def test_matches_brute_force_enumeration(G, conv, eps):
    w = GroupWeights(G, conv, eps)
    with mp.workdps(30):
        for pf in [Fraction(1, 1000), Fraction(3, 10), Fraction(1, 2), Fraction(9, 10)]:
            pm = mp.mpf(pf.numerator) / pf.denominator
            bp, bm = brute_omega_pm(G, conv, eps, pm)
            L = mp.log(pm) - mp.log(1 - pm)
            gp, gm = w.omega_pm_mp(L)
            assert abs(gp - bp) < mp.mpf(10) ** -25 and abs(gm - bm) < mp.mpf(10) ** -25


def test_mean_convention_exact():
    for G in (2, 5, 16, 300):
        w = GroupWeights(G, "mean", 0)
        for L in (-800, -3, 0, 1.5, 1e6):
            om = w.omega_mp(mp.mpf(L))
            assert om == mp.mpf(G - 1) / G
            wp, wm = w.omega_pm_mp(mp.mpf(L))
            p = 1 / (1 + mp.exp(-mp.mpf(L)))
            assert abs(wp - (1 - p) * (G - 1) / G) < 1e-14 and abs(wm - p * (G - 1) / G) < 1e-14
        assert w.domega_mp(mp.mpf(1)) == 0
        assert np.all(w.omega_np(np.array([-5.0, 0.0, 7.0])) == (G - 1) / G)


@pytest.mark.parametrize("G,conv,eps", CASES)
def test_precision_30_vs_80(G, conv, eps):
    w = GroupWeights(G, conv, eps)
    rng = random.Random(G)
    for _ in range(6):
        L = Fraction(rng.randint(-4000, 4000), 97)
        with mp.workdps(30):
            a, da = w.omega_mp(mp.mpf(L.numerator) / L.denominator), w.domega_mp(mp.mpf(L.numerator) / L.denominator)
        with mp.workdps(80):
            b, db = w.omega_mp(mp.mpf(L.numerator) / L.denominator), w.domega_mp(mp.mpf(L.numerator) / L.denominator)
            assert abs(a - b) <= mp.mpf(10) ** -27 * b
            assert abs(da - db) <= mp.mpf(10) ** -27 * max(abs(db), 1)


@pytest.mark.parametrize("G,conv,eps", CASES)
def test_derivative_vs_numerical_differentiation(G, conv, eps):
    w = GroupWeights(G, conv, eps)
    with mp.workdps(40):
        for L in ["-12", "-1.1", "-0.01", "0", "0.5", "3", "25"]:
            L = mp.mpf(L)
            num = mp.diff(w.omega_mp, L)
            assert abs(w.domega_mp(L) - num) <= mp.mpf(10) ** -30 * max(1, abs(num))


@pytest.mark.parametrize("G,conv,eps", CASES)
def test_numpy_vs_mpmath(G, conv, eps):
    w = GroupWeights(G, conv, eps)
    Ls = np.array([-1e6, -800.0, -40.0, -3.0, -0.2, 0.0, 0.4, 2.5, 17.0, 750.0, 1e6])
    om, dom = w.omega_np(Ls), w.domega_np(Ls)
    assert np.all(np.isfinite(om)) and np.all(np.isfinite(dom))
    with mp.workdps(30):
        for L, a, da in zip(Ls, om, dom):
            ref = w.omega_mp(mp.mpf(L))
            dref = w.domega_mp(mp.mpf(L))
            assert abs(a - float(ref)) <= 1e-12 * float(ref)
            assert abs(da - float(dref)) <= 1e-12 * max(1.0, float(ref))


@pytest.mark.parametrize("conv,eps", [("paper", "0"), ("paper", "1e-4"), ("trl", "1e-4")])
def test_huge_L_and_limits(conv, eps):
    """Stable for |L| up to 1e6; the limits at +-inf are b_0 = (G-1)/(G D_1), finite and > 0."""
    G = 16
    w = GroupWeights(G, conv, eps)
    with mp.workdps(40):
        e = mp.mpf(Fraction(eps).numerator) / Fraction(eps).denominator
        b0 = mp.mpf(G - 1) / G / ref_D(1, G, conv, e)
        for L in (mp.mpf(10) ** 6, -mp.mpf(10) ** 6):
            v = w.omega_mp(L)
            assert abs(v - b0) < mp.mpf(10) ** -35
            assert abs(w.domega_mp(L)) < mp.mpf(10) ** -35
        for side in (1, -1):
            kind, val = w.limit(side)
            assert kind == "finite" and enclosure_contains(val, b0) and val > 0
        if conv == "paper" and eps == "0":
            assert abs(b0 - mp.sqrt(G - 1)) < mp.mpf(10) ** -35
    X = interval(Fraction(10**6 - 1), Fraction(10**6 + 1))
    assert enclosure_contains(w.omega_arb(X), b0)


def test_even_and_monotone_in_abs_L():
    for G, conv, eps in CASES:
        w = GroupWeights(G, conv, eps)
        Ls = np.linspace(0, 40, 401)
        a, b = w.omega_np(Ls), w.omega_np(-Ls)
        assert np.allclose(a, b, rtol=1e-13, atol=0)
        if G >= 4 and conv != "mean":
            assert np.all(np.diff(a) >= -1e-13 * a[1:])
            assert np.all(w.domega_np(Ls[1:]) >= 0)
        assert w.convex


def test_small_groups_constant():
    """G = 2 and G = 3: Omega_G does not depend on p (paper eps=0: 1 and sqrt(2))."""
    with mp.workdps(30):
        for G, val in ((2, mp.mpf(1)), (3, mp.sqrt(2))):
            w = GroupWeights(G, "paper", 0)
            for L in (-50, -1, 0, 2, 300):
                assert abs(w.omega_mp(mp.mpf(L)) - val) < mp.mpf(10) ** -28
                assert abs(w.domega_mp(mp.mpf(L))) < mp.mpf(10) ** -28


# ------------------------------------------------------------------ global facts
@pytest.mark.parametrize("G,conv,eps", CASES)
def test_inf_sup_bound_everything(G, conv, eps):
    w = GroupWeights(G, conv, eps)
    lo, hi = w.inf_arb(), w.sup_arb()
    assert lo > 0
    rng = random.Random(7)
    with mp.workdps(30):
        lo_mp, hi_mp = arb_to_mp(lo.lower()), arb_to_mp(hi.upper())
        for L in [0] + [rng.uniform(-60, 60) for _ in range(30)] + [1e5, -1e5]:
            v = w.omega_mp(mp.mpf(L))
            assert lo_mp <= v <= hi_mp
        # inf is attained at L = 0 (convex, symmetric)
        assert enclosure_contains(lo, w.omega_mp(mp.mpf(0)))


# ------------------------------------------------------------------------- Arb
def _random_ball(rng):
    c = Fraction(rng.randint(-60_000, 60_000), 1000)
    if rng.random() < 0.1:
        c = Fraction(rng.choice([-1, 1]) * rng.randint(1000, 10**6))
    width = Fraction(10) ** rng.randint(-12, 2) * Fraction(rng.randint(1, 30), 10)
    return c - width / 2, c + width / 2


@pytest.mark.parametrize("G,conv,eps", CASES)
@pytest.mark.parametrize("bits", [53, 200])
def test_arb_enclosures_are_sound(G, conv, eps, bits):
    """Omega and Omega' at random points of random balls (widths 1e-12 .. 300) lie in the enclosures."""
    w = GroupWeights(G, conv, eps)
    rng = random.Random(1000 * G + bits)
    balls = [_random_ball(rng) for _ in range(25)] + [(Fraction(0), Fraction(300)), (Fraction(-300), Fraction(0)),
                                                       (Fraction(-7), Fraction(5)), (Fraction(-1, 3), Fraction(1, 3))]
    for a, b in balls:
        with arb_prec(bits):
            X = interval(a, b)
            E, dE = w.omega_arb(X), w.domega_arb(X)
        with mp.workdps(60):
            for t in [a, b, (a + b) / 2] + [a + (b - a) * Fraction(rng.randint(0, 1000), 1000) for _ in range(4)]:
                tm = mp.mpf(t.numerator) / t.denominator
                assert enclosure_contains(E, w.omega_mp(tm)), (a, b, t)
                assert enclosure_contains(dE, w.domega_mp(tm)), (a, b, t)


@pytest.mark.parametrize("G,conv,eps", [c for c in CASES if c[1] != "mean" and c[0] >= 4])
def test_arb_enclosures_shrink(G, conv, eps):
    """Width of the enclosure is O(radius) for small balls, and tiny for point balls."""
    w = GroupWeights(G, conv, eps)
    with arb_prec(128):
        for c in (Fraction(-37, 10), Fraction(1, 7), Fraction(5)):
            widths, dwidths = [], []
            for r in (Fraction(1, 10**3), Fraction(1, 10**6), Fraction(1, 10**9)):
                X = interval(c - r, c + r)
                widths.append(float(w.omega_arb(X).rad()))
                dwidths.append(float(w.domega_arb(X).rad()))
            for i in (1, 2):
                assert widths[i] <= 2e-3 * widths[i - 1] + 1e-30
                assert dwidths[i] <= 2e-3 * dwidths[i - 1] + 1e-30
            assert widths[-1] < 1e-7 and dwidths[-1] < 1e-7
            P = to_arb(c)
            assert float(w.omega_arb(P).rad()) < 1e-30 and float(w.domega_arb(P).rad()) < 1e-30


def test_arb_nonfinite_ball_is_global_range():
    w = GroupWeights(8, "paper", 0)
    E = w.omega_arb(arb(0, float("inf")))
    assert enclosure_contains(E, w.omega_mp(0)) and enclosure_contains(E, w.omega_mp(40))
    D = w.domega_arb(arb(0, float("inf")))
    with mp.workdps(30):
        for L in (-3, -1, 1, 2.5):
            assert enclosure_contains(D, w.domega_mp(mp.mpf(L)))


@pytest.mark.parametrize("G,conv,eps", [(6, "paper", "1e-3"), (12, "trl", "1e-4"), (40, "paper", "0")])
def test_generic_bernstein_subdivision_fallback(G, conv, eps):
    """The generic path (used if convexity could not be certified) is sound, agrees with the
    monotone path up to overestimation, and shrinks."""
    w = GroupWeights(G, conv, eps)
    g = GroupWeights(G, conv, eps)
    g.convex = False
    rng = random.Random(G)
    with arb_prec(128):
        for _ in range(20):
            a, b = _random_ball(rng)
            X = interval(a, b)
            E, dE = g.omega_arb(X), g.domega_arb(X)
            assert E.overlaps(w.omega_arb(X)) and dE.overlaps(w.domega_arb(X))
            with mp.workdps(50):
                for t in (a, b, (a + b) / 2):
                    tm = mp.mpf(t.numerator) / t.denominator
                    assert enclosure_contains(E, w.omega_mp(tm))
                    assert enclosure_contains(dE, w.domega_mp(tm))
        X1 = interval(Fraction(1, 2) - Fraction(1, 10**4), Fraction(1, 2) + Fraction(1, 10**4))
        X2 = interval(Fraction(1, 2) - Fraction(1, 10**8), Fraction(1, 2) + Fraction(1, 10**8))
        assert float(g.omega_arb(X2).rad()) <= 1e-3 * float(g.omega_arb(X1).rad())
        # global facts from the generic path are valid too
        assert g.inf_arb().lower() <= w.inf_arb().lower() and g.sup_arb().upper() >= w.sup_arb().lower()


# --------------------------------------------------------------- conventions
def test_conventions_differ():
    """paper vs trl vs mean at G = 4, p = 0.3 (eps = 1e-4): three different values; with
    eps = 0, trl = sqrt((G-1)/G) * paper exactly."""
    G = 4
    with mp.workdps(30):
        L = mp.log(mp.mpf("0.3")) - mp.log(mp.mpf("0.7"))
        pa = GroupWeights(G, "paper", "1e-4").omega_mp(L)
        tr = GroupWeights(G, "trl", "1e-4").omega_mp(L)
        me = GroupWeights(G, "mean", 0).omega_mp(L)
        assert min(abs(pa - tr), abs(pa - me), abs(tr - me)) > mp.mpf("0.05")
        # by hand: paper eps=0, G=4: Omega = sqrt(3)(p^2+q^2) + 3pq
        p, q = mp.mpf("0.3"), mp.mpf("0.7")
        pa0 = GroupWeights(G, "paper", 0).omega_mp(L)
        assert abs(pa0 - (mp.sqrt(3) * (p**2 + q**2) + 3 * p * q)) < mp.mpf(10) ** -28
        tr0 = GroupWeights(G, "trl", 0).omega_mp(L)
        assert abs(tr0 - mp.sqrt(mp.mpf(3) / 4) * pa0) < mp.mpf(10) ** -28
        # finite-G paper is below the population weight 1/sqrt(p q + eps) at p = 0.3
        assert pa < 1 / mp.sqrt(p * q + mp.mpf("1e-4"))


# -------------------------------------------------------------------- timing
def test_timing_G256_50_digits():
    w = GroupWeights(256, "paper", "1e-4")
    with mp.workdps(50):
        t0 = time.perf_counter()
        w.omega_mp(mp.mpf("0.3"))  # builds the coefficient cache
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i in range(20):
            w.omega_mp(mp.mpf(i) / 3 - 3)
            w.domega_mp(mp.mpf(i) / 3 - 3)
        per = (time.perf_counter() - t0) / 20
    assert first < 0.5 and per < 0.05, (first, per)


@pytest.mark.slow  # CI runs it in its slow step
def test_large_G_works():
    w = GroupWeights(4096, "paper", "1e-4")
    with mp.workdps(30):
        v = w.omega_mp(mp.mpf(1))
        p = 1 / (1 + mp.exp(-1))
        assert abs(v - 1 / mp.sqrt(p * (1 - p) + mp.mpf("1e-4"))) < 1e-3
    assert np.isfinite(w.omega_np(np.array([0.0, 3.0, 1e6]))).all()
