"""The float64 maps agree with plain mpmath wherever float64 represents the values."""

import mpmath as mp
import numpy as np
import pytest

from grpo_symbolic import numeric as nm
from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.exact.logit_map import LogitMap
from grpo_symbolic.numeric.phase import CONVERGES, TO_ONE, classify_orbits, count_fixed_points
from grpo_symbolic.params import Params



@pytest.mark.parametrize("norm,eps", [("std", 1e-5), ("std", 0.0), ("std", 0.3), ("mean", 0.0)])
def test_g_matches_mpmath(norm, eps):
    rng = np.random.default_rng(0)
    L = np.concatenate([rng.uniform(-40, 40, 200), rng.uniform(-700, 700, 50)])
    if norm == "std" and eps == 0:
        L = L[np.abs(L) < 1000]
    got = nm.g(L, L_ref=-1.3, alpha=0.7, beta=0.9, norm=norm, eps=eps)
    with mp.workdps(40):
        for x, y in zip(L, got):
            xm = mp.mpf(float(x))
            p, q = 1 / (1 + mp.exp(-xm)), 1 / (1 + mp.exp(xm))
            om = 1 if norm == "mean" else 1 / mp.sqrt(p * q + mp.mpf(eps))
            ref = mp.mpf("0.7") * mp.mpf("-1.3") + mp.mpf("0.3") * xm + om / mp.mpf("0.9")
            assert abs(y - float(ref)) <= 1e-12 * (1 + abs(float(ref))), (x, y, ref)


def test_dg_matches_numerical_derivative():
    L = np.linspace(-30, 30, 121)
    for eps in (1e-5, 0.1, 0.0):
        d = nm.dg(L, 0.0, 0.4, 1.7, "std", eps)
        num = (nm.g(L + 1e-6, 0.0, 0.4, 1.7, "std", eps) - nm.g(L - 1e-6, 0.0, 0.4, 1.7, "std", eps)) / 2e-6
        assert np.allclose(d, num, rtol=1e-5, atol=1e-6)


def test_logit_map_np_equals_numeric_module():
    P = Params.parse(norm="std", beta="0.8", alpha="0.6", eps="1e-4", p_ref="0.01")
    L = np.linspace(-50, 50, 101)
    a = LogitMap(P).g_np(L)
    b = nm.g(L, float(nm.logit(0.01)), 0.6, 0.8, "std", 1e-4)
    assert np.allclose(a, b, rtol=1e-14, atol=1e-12)


def test_h_in_p_space_and_sigmoid_logit_inverse():
    p = np.array([1e-300, 1e-10, 0.3, 0.5, 0.9, 1 - 1e-12])
    assert np.allclose(nm.sigmoid(nm.logit(p)), p, rtol=1e-12, atol=0)
    h = nm.h(np.array([0.5]), 0.2, 1.0, norm="std", eps=1e-5)
    ref = 1 / (1 + 4 * np.exp(-1 / np.sqrt(0.25 + 1e-5)))
    assert abs(h[0] - ref) < 1e-15


def test_phase_helpers_agree_with_certified_engine():
    betas = ["0.3", "1", "5"]
    prefs = ["0.0001", "0.001", "0.2", "0.8"]
    Lr = nm.logit(np.array([float(p) for p in prefs]))[None, :]
    B = np.array([float(b) for b in betas])[:, None]
    counts = count_fixed_points(Lr, 1.0, B, "std", 1e-5)
    kinds, periods, last = classify_orbits(Lr, Lr, 1.0, B, "std", 1e-5, steps=600)
    for i, b in enumerate(betas):
        for j, pr in enumerate(prefs):
            rep = compute_dynamics(Params.parse(norm="std", beta=b, alpha="1", eps="1e-5", p_ref=pr), digits=15)
            assert counts[i, j] == len(rep.fixed)
            assert kinds[i, j] == CONVERGES
            assert periods[i, j] == (rep.orbit.period or 0)
            if rep.orbit.kind == "converges":
                assert abs(last[i, j] - float(rep.orbit.points[0])) < 1e-8 * (1 + abs(last[i, j]))


def test_phase_mirror_is_to_one():
    k, per, last = classify_orbits(np.array([-3.0, 0.0]), np.array([-3.0, 0.0]), 0.0, 0.5, "std", 1e-5, steps=50)
    assert np.all(k == TO_ONE)
