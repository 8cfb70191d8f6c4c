"""Ball arithmetic of the claim checker against an independent mpmath transcription
of the map (paper eq. (4) / Thm. 2): every enclosure must contain the true value."""

from fractions import Fraction as F

import mpmath as mp
import pytest
from flint import arb
from hypothesis import given
from hypothesis import strategies as st

from grpo_symbolic.exact.arbutil import arb_prec, to_arb
from grpo_symbolic.reviewer.evaluate import compare, elementary, binop
from grpo_symbolic.reviewer.values import UNDEF, UNKNOWN, BallMap, Iv, Pos, logit_of, mul


# --------------------------------------------------- independent reference
def z_ref(norm, beta, alpha, eps, p_ref, p):
    """alpha logit p_ref + (1-alpha) logit p + Omega(p)/beta (the log-odds of h(p))."""
    p, p_ref = mp.mpf(p), mp.mpf(p_ref)
    om = 1 if norm == "mean" else 1 / mp.sqrt(p * (1 - p) + mp.mpf(eps))
    return mp.mpf(alpha) * mp.log(p_ref / (1 - p_ref)) + (1 - mp.mpf(alpha)) * mp.log(p / (1 - p)) + om / mp.mpf(beta)


def h_ref(norm, beta, alpha, eps, p_ref, p):
    """h(p) = sigmoid(alpha logit p_ref + (1-alpha) logit p + Omega(p)/beta)."""
    return 1 / (1 + mp.exp(-z_ref(norm, beta, alpha, eps, p_ref, p)))


def g_ref(norm, beta, alpha, eps, p_ref, L):
    with mp.workdps(400):  # p = sigmoid(L) near 1 needs the extra digits
        return +z_ref(norm, beta, alpha, eps, p_ref, 1 / (1 + mp.exp(-mp.mpf(L))))


def frac(x):
    return F(x).limit_denominator(10**12) if isinstance(x, float) else F(x)


def contains(ball, x):
    return ball.contains(arb(mp.nstr(x, 50))) or ball.overlaps(arb(mp.nstr(x, 50)))


PARAMS = [("std", "0.7", "0.3", "1e-5", "0.2"), ("std", "5", "1", "1e-3", "0.001"), ("mean", "2", "0", "0", "0.6"),
          ("std", "0.25", "0", "0", "0.5"), ("mean", "1", "1", "0", "0.9")]


@pytest.mark.parametrize("norm,beta,alpha,eps,p_ref", PARAMS)
@pytest.mark.parametrize("x", ["0.001", "0.3", "0.5", "0.97", "0.999999"])
def test_point_values_match_mpmath(norm, beta, alpha, eps, p_ref, x):
    with mp.workdps(60), arb_prec(200):
        m = BallMap(norm, F(beta), F(alpha), F(eps), F(p_ref))
        hv = m.h(F(x))
        ref = h_ref(norm, beta, alpha, eps, p_ref, x)
        assert isinstance(hv, Pos)
        assert abs(mp.mpf(hv.p().mid().str(50, radius=False)) - ref) < mp.mpf(10) ** -45
        d = m.dh(F(x))
        with mp.workdps(120):
            dref = mp.diff(lambda t: h_ref(norm, beta, alpha, eps, p_ref, t), mp.mpf(x), h=mp.mpf(10) ** -40)
        assert abs(mp.mpf(d.mid().str(50, radius=False)) - dref) < mp.mpf(10) ** -30 * (1 + abs(dref))
        L = logit_of(F(x))
        gv = m.g_L(L)
        gref = g_ref(norm, beta, alpha, eps, p_ref, mp.log(mp.mpf(x) / (1 - mp.mpf(x))))
        assert abs(mp.mpf(gv.mid().str(50, radius=False)) - gref) < mp.mpf(10) ** -35 * (1 + abs(gref))


def test_engine_logit_map_agrees():
    from grpo_symbolic.exact.logit_map import LogitMap
    from grpo_symbolic.params import Params

    P = Params.parse(norm="std", beta="0.7", alpha="0.3", eps="1e-5", p_ref="0.2")
    lm = LogitMap(P)
    with arb_prec(200):
        m = BallMap("std", P.beta, P.alpha, P.eps, P.p_ref)
        for L in (F(-30), F(-1, 3), F(0), F(7, 2), F(200)):
            a, b = m.g_L(to_arb(L)), lm.g_arb(to_arb(L))
            assert a.overlaps(b) and abs(a.mid() - b.mid()) < arb(10) ** -50
            a, b = m.dg_L(to_arb(L)), lm.dg_arb(to_arb(L))
            assert a.overlaps(b)


frac01 = st.fractions(min_value=F(1, 10**6), max_value=1 - F(1, 10**6), max_denominator=10**6)


@given(norm=st.sampled_from(["std", "mean"]),
       beta=st.tuples(st.fractions(F(1, 10), F(10), max_denominator=1000), st.fractions(0, F(2), max_denominator=100)),
       alpha=st.tuples(st.fractions(0, 1, max_denominator=100), st.fractions(0, F(1, 2), max_denominator=100)),
       eps=st.tuples(st.fractions(0, F(1, 10), max_denominator=10**6), st.fractions(0, F(1, 10), max_denominator=1000)),
       p_ref=st.tuples(frac01, st.fractions(0, F(1, 5), max_denominator=1000)),
       p=st.tuples(frac01, st.fractions(0, F(1, 2), max_denominator=1000)),
       t=st.lists(st.floats(0, 1), min_size=6, max_size=6))
def test_interval_enclosures_contain_point_values(norm, beta, alpha, eps, p_ref, p, t):
    """h, dh, g over boxes (parameters as intervals) contain the values at points of the box."""
    def iv(lo_w, hi_cap=None):
        lo, w = lo_w
        hi = lo + w
        if hi_cap is not None:
            hi = min(hi, hi_cap)
        return (lo, hi)
    boxes = {"beta": iv(beta), "alpha": iv(alpha, F(1)), "eps": iv(eps), "p_ref": iv(p_ref, 1 - F(1, 10**7)),
             "p": iv(p, 1 - F(1, 10**7))}
    vals = {k: (Iv(lo, hi) if hi > lo else lo) for k, (lo, hi) in boxes.items()}
    point = {k: lo + (hi - lo) * frac(t[i]) for i, (k, (lo, hi)) in enumerate(boxes.items())}
    with arb_prec(128), mp.workdps(40):
        mb = BallMap(norm, vals["beta"], vals["alpha"], vals["eps"], vals["p_ref"])
        hb, db = mb.h(vals["p"]), mb.dh(vals["p"])
        args = (norm, point["beta"], point["alpha"], point["eps"], point["p_ref"])
        href = h_ref(*[a if isinstance(a, str) else mp.mpf(a.numerator) / a.denominator for a in args],
                     mp.mpf(point["p"].numerator) / point["p"].denominator)
        if hb is not UNKNOWN:
            assert contains(hb.p(), href)
        if db is not UNKNOWN:
            dref = mp.diff(lambda x: h_ref(*[a if isinstance(a, str) else mp.mpf(a.numerator) / a.denominator
                                             for a in args], x),
                           mp.mpf(point["p"].numerator) / point["p"].denominator)
            assert db.lower() <= arb(mp.nstr(dref + abs(dref) * mp.mpf(10) ** -20 + mp.mpf(10) ** -30, 40))
            assert db.upper() >= arb(mp.nstr(dref - abs(dref) * mp.mpf(10) ** -20 - mp.mpf(10) ** -30, 40))


def test_three_valued_comparisons():
    with arb_prec(128):
        third = to_arb(F(1, 3))
        assert compare("<", F(1), F(2)) is True and compare(">", F(1), F(2)) is False
        assert compare("<", third, F(1, 2)) is True
        assert compare("==", third, third) is None  # two balls: never certainly equal
        assert compare("==", F(1, 3), F(1, 3)) is True
        assert compare("!=", third, F(1, 2)) is True
        wide = to_arb(F(0)).union(to_arb(F(1)))
        assert compare("<", wide, F(1, 2)) is None
        assert compare("<", UNDEF, F(1)) is False and compare(">=", UNDEF, F(1)) is False
        assert compare("<", UNKNOWN, F(1)) is None
        assert compare("==", "cycle", "cycle") is True and compare("!=", "cycle", "to_one") is True
        # probabilities near 1 compare by log-odds
        a, b = Pos(to_arb(F(1000))), Pos(to_arb(F(1001)))
        assert compare("<", a, b) is True
        assert compare("<", a, F(1)) is True and compare(">", a, F(0)) is True
        assert compare("<", Iv(F(1, 10), F(2, 10)), F(1, 5)) is None
        assert compare("<=", Iv(F(1, 10), F(2, 10)), F(1, 5)) is True


def test_undefined_and_unknown():
    with arb_prec(128):
        assert elementary("log", F(-1)) is UNDEF
        assert elementary("log", F(0)) is UNDEF
        assert elementary("sqrt", F(-1)) is UNDEF
        assert elementary("logit", F(3, 2)) is UNDEF
        assert elementary("log", Iv(F(0), F(1))) is UNKNOWN
        assert elementary("sqrt", Iv(F(0), F(1))).lower() == 0
        assert binop("/", F(1), F(0)) is UNDEF
        assert binop("/", F(1), Iv(F(-1), F(1))) is UNKNOWN
        assert binop("+", UNDEF, F(1)) is UNDEF
        assert elementary("exp", F(10**12)) is UNKNOWN
        # 1 - p keeps precision near p = 1
        q = binop("-", F(1), Pos(to_arb(F(2000))))
        assert q > 0 and q < arb(10) ** -800


def test_interval_product_keeps_sign():
    with arb_prec(64):
        x = to_arb(F(2)).union(to_arb(F(1000)))
        y = to_arb(F(1, 5)).union(to_arb(F(5)))
        assert mul(x, y) > 0 and (x * y).lower() < 0  # mid-radius product loses the sign
