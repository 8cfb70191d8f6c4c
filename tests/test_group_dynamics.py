"""Finite-group weights inside the PoS map: Params dispatch, certified fixed points
checked against an independently coded G(L), and the mirror map's behaviour."""

from fractions import Fraction

import mpmath as mp
import pytest

from grpo_symbolic.exact.fixed_points import fixed_points
from grpo_symbolic.exact.group_weights import GroupWeights
from grpo_symbolic.exact.logit_map import LogitMap
from grpo_symbolic.exact.weights import weights_for
from grpo_symbolic.params import Params

from helpers_exact import scan_zeros
from test_group_weights import ref_omega_pm


def test_dispatch():
    P = Params.parse(norm="std", beta="1", eps="1e-4", p_ref="0.2", group_size=8, convention="trl")
    w = weights_for(P)
    assert isinstance(w, GroupWeights) and (w.G, w.convention, w.eps) == (8, "trl", Fraction(1, 10000))
    P = Params.parse(norm="mean", beta="1", p_ref="0.2", group_size=8)
    assert weights_for(P).convention == "mean"


CASES = [  # (convention, norm, beta, alpha, eps, p_ref, G)
    ("paper", "std", "0.5", "1", "0", "0.2", 16),
    ("trl", "std", "0.5", "1", "1e-4", "0.2", 8),
    ("paper", "std", "0.1", "1", "1e-4", "0.01", 4),
    ("trl", "std", "2", "0.5", "1e-4", "0.7", 32),
    ("mean", "mean", "0.3", "1", "0", "0.1", 8),
]


@pytest.mark.parametrize("case", CASES)
def test_fixed_points_vs_independent_scan(case):
    conv, norm, beta, alpha, eps, p_ref, G = case
    P = Params.parse(norm=norm, beta=beta, alpha=alpha, eps=eps, p_ref=p_ref, group_size=G, convention=conv)
    pts, iso = fixed_points(LogitMap(P), digits=30)
    assert iso.complete
    with mp.workdps(40):
        a, b = mp.mpf(alpha), mp.mpf(beta)
        Lref = mp.log(mp.mpf(p_ref)) - mp.log(1 - mp.mpf(p_ref))

        def Gref(L):
            wp, wm = ref_omega_pm(G, conv, Fraction(eps), L)
            return a * (Lref - L) + (wp + wm) / b

        br = scan_zeros(Gref, Lref - 5, Lref + 40 * mp.sqrt(G) / (a * b) + 5, n=800)
        assert len(br) == len(pts) >= 1
        for (lo, hi), fp in zip(br, pts):
            root = mp.findroot(Gref, (lo, hi), solver="anderson")
            assert abs(root - fp.logit) < mp.mpf(10) ** -25 * max(1, abs(root))


def test_mirror_finite_G_goes_to_one_linearly_in_logit():
    """alpha = 0: L_n increases by Omega_G(L_n)/beta, which tends to b_0/beta > 0 (not to 0):
    the orbit escapes to p = 1 with logit growing linearly, slope b_0/beta."""
    G, beta = 16, Fraction(1, 2)
    P = Params.parse(norm="std", beta=str(beta), alpha="0", eps="0", p_ref="0.2", group_size=G, convention="paper")
    m = LogitMap(P)
    with mp.workdps(30):
        L = mp.log(mp.mpf("0.2")) - mp.log(mp.mpf("0.8"))
        for _ in range(200):
            L_new = m.g_mp(L)
            assert L_new > L
            inc = L_new - L
            L = L_new
        assert abs(inc - mp.sqrt(G - 1) / mp.mpf(0.5)) < 1e-20
