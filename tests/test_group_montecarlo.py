"""Monte Carlo simulation of GRPO groups (NumPy, fixed seed) against the exact sums.

Advantages are computed the way the codes do, from the reward matrix (group mean, population
or Bessel-corrected std via ``np.std(ddof=...)``), not from the count formulas.  Each check is
a z-test: the estimator is an average of i.i.d. per-group quantities (or a ratio of two such
averages, delta method), its standard error is estimated from the sample, and we require
``|z| < 5``.  Under the CLT a correct formula fails a check with probability ~6e-7 (and the
seed is fixed, so the run is deterministic); each check also requires a standard error below
1% of the value, so a formula off by a few percent is caught."""

from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest

from grpo_symbolic.exact.group_weights import GroupWeights

Z = 5.0


def simulate_advantages(rng, G, conv, eps, p, N):
    r = (rng.random((N, G)) < p).astype(float)
    mean = r.mean(axis=1, keepdims=True)
    num = r - mean
    with np.errstate(invalid="ignore", divide="ignore"):
        if conv == "paper":
            A = num / np.sqrt(r.var(axis=1, ddof=0, keepdims=True) + eps)
        elif conv == "trl":
            A = num / (r.std(axis=1, ddof=1, keepdims=True) + eps)
        else:
            A = num
    A = np.where(np.isnan(A), 0.0, A)  # degenerate groups with eps = 0: 0/0 := 0
    return r, A


def ratio_z(X, W, exact):
    """z-score of sum X / sum W (per-group X, W) against ``exact``, delta method."""
    R = X.sum() / W.sum()
    se = np.sqrt(np.var(X - R * W, ddof=1) / X.size) / W.mean()
    return (R - exact) / se, se, R


MC_CASES = [  # (G, convention, eps, p)
    (2, "paper", 0.0, 0.6), (4, "paper", 0.0, 0.3), (4, "trl", 1e-4, 0.3), (8, "paper", 1e-4, 0.1),
    (8, "trl", 1e-4, 0.5), (8, "mean", 0.0, 0.2), (16, "paper", 0.0, 0.97), (16, "trl", 0.0, 0.05),
    (64, "trl", 1e-4, 0.02), (128, "paper", 1e-3, 0.4),
]


@pytest.mark.parametrize("G,conv,eps,p", MC_CASES)
def test_monte_carlo_matches_exact(G, conv, eps, p):
    rng = np.random.default_rng(20250306 + G)
    N = max(20_000, 2_000_000 // G)
    r, A = simulate_advantages(rng, G, conv, eps, p, N)
    w = GroupWeights(G, conv, Fraction(eps))
    with mp.workdps(30):
        L = mp.log(mp.mpf(p)) - mp.log(1 - mp.mpf(p))
        wp, wm = (float(x) for x in w.omega_pm_mp(L))
    # conditional means: E[A | success] and -E[A | failure]
    z, se, est = ratio_z((A * r).sum(axis=1), r.sum(axis=1), wp)
    assert abs(z) < Z and se < 0.01 * wp, (z, se, est, wp)
    z, se, est = ratio_z(-(A * (1 - r)).sum(axis=1), (1 - r).sum(axis=1), wm)
    assert abs(z) < Z and se < 0.01 * wm, (z, se, est, wm)
    # unconditional: E[(1/G) sum_i A_i r_i] = p * omega_plus (plain mean of i.i.d. terms)
    Y = (A * r).mean(axis=1)
    z = (Y.mean() - p * wp) / (Y.std(ddof=1) / np.sqrt(N))
    assert abs(z) < Z
    # the group advantages sum to zero, hence p * omega_plus = (1 - p) * omega_minus
    assert np.allclose(A.sum(axis=1), 0, atol=1e-9)


def test_failure_advantage_near_p1_is_not_small():
    """At p = 0.97, G = 16 (paper, eps = 0) almost every group is all-success (advantage 0),
    yet a *failure* always sits in a mixed group: E[A | failure] ~ -sqrt(G-1) = -3.87,
    so Omega_G stays near its finite end value b_0 = sqrt(G-1), it does not tend to 0."""
    G, p = 16, 0.97
    rng = np.random.default_rng(1)
    r, A = simulate_advantages(rng, G, "paper", 0.0, p, 200_000)
    frac_degenerate = np.mean(r.sum(axis=1) == G)
    assert frac_degenerate > 0.6
    est = -(A * (1 - r)).sum() / (1 - r).sum()
    assert est > 0.85 * np.sqrt(G - 1)
    with mp.workdps(20):
        om = GroupWeights(G, "paper", 0).omega_mp(mp.log(mp.mpf(p)) - mp.log(1 - mp.mpf(p)))
    assert abs(est / p - float(om)) < 0.02 * float(om)
