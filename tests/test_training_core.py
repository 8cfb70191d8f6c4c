"""Unit tests of grpo_symbolic.training.core against independent NumPy computations."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.training.core import (  # noqa: E402
    binomial_pmf,
    clipped_surrogate,
    expected_advantages,
    group_advantages,
    grpo_loss,
    kl_exact,
    kl_k3,
    omega_pm_group,
    omega_pm_population,
)

T = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731


# ------------------------------------------------------------------ advantages
def _np_adv(r, convention, eps):
    """Hand-written per-group advantages (NumPy, one group)."""
    r = np.asarray(r, dtype=float)
    G = r.size
    if np.all(r == r[0]):
        return np.zeros(G)
    m = r.mean()
    if convention == "mean":
        return r - m
    if convention == "paper":
        return (r - m) / math.sqrt(((r - m) ** 2).mean() + eps)
    return (r - m) / (math.sqrt(((r - m) ** 2).sum() / (G - 1)) + eps)


def test_advantages_hand_cases():
    # G = 4, one success: p_hat = 1/4, p_hat(1-p_hat) = 3/16
    r = T([[1, 0, 0, 0]])
    np.testing.assert_allclose(group_advantages(r, "mean").numpy(), [[0.75, -0.25, -0.25, -0.25]], atol=1e-15)
    s = math.sqrt(3 / 16)
    np.testing.assert_allclose(group_advantages(r, "paper", 0.0).numpy(),
                               [[0.75 / s, -0.25 / s, -0.25 / s, -0.25 / s]], atol=1e-14)
    sb = math.sqrt(4 / 3 * 3 / 16)  # Bessel std = 1/2
    np.testing.assert_allclose(group_advantages(r, "trl", 1e-4).numpy(),
                               [[0.75 / (sb + 1e-4), -0.25 / (sb + 1e-4)] + [-0.25 / (sb + 1e-4)] * 2], atol=1e-14)
    # G = 2, one success: paper gives +-1, trl gives +-1/sqrt(2)
    r2 = T([[1, 0]])
    np.testing.assert_allclose(group_advantages(r2, "paper").numpy(), [[1, -1]], atol=1e-15)
    np.testing.assert_allclose(group_advantages(r2, "trl").numpy(), [[2 ** -0.5, -(2 ** -0.5)]], atol=1e-15)


@pytest.mark.parametrize("convention", ["paper", "trl", "mean"])
@pytest.mark.parametrize("eps", [0.0, 1e-4, 0.3])
def test_advantages_match_numpy_on_random_groups(convention, eps):
    rng = np.random.default_rng(0)
    R = (rng.random((200, 6)) < 0.4).astype(float)
    R[0] = 1
    R[1] = 0  # degenerate groups
    got = group_advantages(T(R), convention, eps).numpy()
    want = np.stack([_np_adv(r, convention, eps) for r in R])
    np.testing.assert_allclose(got, want, atol=1e-13)
    assert np.all(got[:2] == 0)
    np.testing.assert_allclose(got.sum(-1), 0, atol=1e-12)  # advantages of a group sum to 0


def test_advantages_real_rewards_and_degenerate_float():
    # identical non-dyadic rewards: mean is not exactly 0.1, but the group is degenerate -> 0
    r = T([[0.1, 0.1, 0.1]])
    assert torch.equal(group_advantages(r, "paper", 0.0), torch.zeros(1, 3, dtype=torch.float64))
    r = T([[0.5, 2.0, -1.0]])
    np.testing.assert_allclose(group_advantages(r, "trl").numpy()[0], _np_adv([0.5, 2.0, -1.0], "trl", 0.0))


def test_advantages_reject_bad_input():
    with pytest.raises(ValueError):
        group_advantages(T([[1.0]]), "paper")
    with pytest.raises(ValueError):
        group_advantages(T([[1.0, 0.0]]), "nope")
    with pytest.raises(ValueError):
        group_advantages(T([[1.0, 0.0]]), "paper", -1.0)


# ------------------------------------------------------------- expected weights
def _brute_omega(p, G, convention, eps):
    """E[A_1 | r_1 = 1] and -E[A_1 | r_1 = 0] by enumerating all 2^G reward vectors."""
    ep = em = 0.0
    for r in itertools.product([0, 1], repeat=G):
        pr = p ** sum(r) * (1 - p) ** (G - sum(r))
        a = _np_adv(r, convention, eps)[0]
        if r[0] == 1:
            ep += pr * a
        else:
            em -= pr * a
    return ep / p, em / (1 - p)


@pytest.mark.parametrize("convention", ["paper", "trl", "mean"])
@pytest.mark.parametrize("G", [2, 3, 5, 7])
def test_omega_group_brute_force(convention, G):
    eps = 1e-3 if convention != "trl" else 1e-4
    for p in (0.03, 0.3, 0.5, 0.81):
        wp, wm = omega_pm_group(T([p]), G, convention, eps)
        bp, bm = _brute_omega(p, G, convention, eps)
        assert abs(wp.item() - bp) < 1e-13 and abs(wm.item() - bm) < 1e-13


def test_omega_group_identities_and_limits():
    p = torch.linspace(0.01, 0.99, 41, dtype=torch.float64)
    for conv, eps in (("paper", 1e-5), ("trl", 1e-4), ("mean", 0.0)):
        for G in (2, 4, 16):
            wp, wm = omega_pm_group(p, G, conv, eps)
            om = wp + wm
            # group advantages sum to 0  =>  p*omega+ = (1-p)*omega-, i.e. omega+ = (1-p) Omega
            torch.testing.assert_close(wp, (1 - p) * om, atol=1e-13, rtol=0)
            if conv == "mean":
                torch.testing.assert_close(om, torch.full_like(p, (G - 1) / G), atol=1e-14, rtol=0)
    # large G -> population weights (paper convention, eps > 0): relative error O(1/(G p(1-p)))
    wp, wm = omega_pm_group(p, 2000, "paper", 1e-2)
    pp, pm = omega_pm_population(p, "std", 1e-2)
    assert float(((wp + wm) / (pp + pm) - 1).abs().max()) < 1e-2


def test_binomial_pmf_edges():
    pm = binomial_pmf(5, T([0.0, 1.0, 0.3]))
    torch.testing.assert_close(pm.sum(-1), torch.ones(3, dtype=torch.float64))
    assert abs(pm[0, 0] - 1) < 1e-14 and abs(pm[1, -1] - 1) < 1e-14 and pm[0, 1:].abs().max() == 0
    assert abs(pm[2, 2].item() - math.comb(5, 2) * 0.3 ** 2 * 0.7 ** 3) < 1e-15


def test_population_weights():
    p = T([0.2, 0.5])
    a, b = omega_pm_population(p, "std", 0.01)
    d = np.sqrt(np.array([0.16, 0.25]) + 0.01)
    np.testing.assert_allclose(a.numpy(), [0.8, 0.5] / d)
    np.testing.assert_allclose(b.numpy(), [0.2, 0.5] / d)
    a, b = omega_pm_population(p, "mean")
    np.testing.assert_allclose((a + b).numpy(), [1, 1])
    A = expected_advantages(torch.tensor([[True, False]]), T([2.0]), T([3.0]))
    assert A.tolist() == [[2.0, -3.0]]


# --------------------------------------------------------------------- clipping
def test_clipped_surrogate_cases():
    ratio = T([0.5, 0.9, 1.0, 1.1, 1.5, 0.5, 0.9, 1.1, 1.5])
    adv = T([1, 1, 1, 1, 1, -1, -1, -1, -1])
    got = clipped_surrogate(ratio, adv, 0.2).numpy()
    # A > 0: min(r, clip(r)) = min(r, 1.2); A < 0: -max(r, clip(r)) = -max(r, 0.8)
    np.testing.assert_allclose(got, [0.5, 0.9, 1.0, 1.1, 1.2, -0.8, -0.9, -1.1, -1.5])
    np.testing.assert_allclose(clipped_surrogate(ratio, adv, None).numpy(), (ratio * adv).numpy())
    # gradient is 0 exactly where the clipped branch is active
    r = ratio.clone().requires_grad_(True)
    clipped_surrogate(r, adv, 0.2).sum().backward()
    np.testing.assert_allclose(r.grad.numpy(), [1, 1, 1, 1, 0, 0, -1, -1, -1])


# ---------------------------------------------------------------------------- KL
def test_kl_exact_against_numpy():
    rng = np.random.default_rng(1)
    P = rng.dirichlet(np.ones(7), size=5)
    Q = rng.dirichlet(np.ones(7), size=5)
    want = (P * np.log(P / Q)).sum(-1)
    got = kl_exact(T(np.log(P)), T(np.log(Q))).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert np.allclose(kl_exact(T(np.log(P)), T(np.log(P))).numpy(), 0)
    # zero-probability outputs contribute 0
    lp = T([[0.0, -math.inf]])
    lq = T([[math.log(0.5), math.log(0.5)]])
    assert abs(kl_exact(lp, lq).item() - math.log(2)) < 1e-15


def test_k3_nonnegative_and_unbiased():
    g = torch.Generator().manual_seed(0)
    pi = T([0.5, 0.3, 0.15, 0.05])
    nu = T([0.1, 0.2, 0.3, 0.4])
    lp, lq = pi.log(), nu.log()
    n = 400_000
    idx = torch.multinomial(pi, n, replacement=True, generator=g)
    k3 = kl_k3(lp[idx], lq[idx])
    assert bool((k3 >= 0).all())
    exact = kl_exact(lp, lq).item()
    se = k3.std().item() / math.sqrt(n)
    assert abs(k3.mean().item() - exact) < 5 * se, (k3.mean().item(), exact, se)
    # exact expectation: sum_o pi(o) k3(o) = KL(pi||nu) (since sum pi * nu/pi = 1)
    assert abs((pi * kl_k3(lp, lq)).sum().item() - exact) < 1e-14
    assert kl_k3(T([-1.0]), T([-1.0])).item() == 0.0


# -------------------------------------------------------------------------- loss
def _setup(N=3, K=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    ref = torch.log_softmax(torch.randn(N, K, generator=g, dtype=torch.float64), -1)
    old = torch.log_softmax(torch.randn(N, K, generator=g, dtype=torch.float64), -1)
    return g, ref, old


def test_grpo_loss_value_by_hand():
    g, ref, old = _setup()
    theta = torch.log_softmax(torch.randn(3, 5, generator=g, dtype=torch.float64), -1)
    idx = torch.tensor([[0, 1, 1, 4], [2, 2, 3, 0], [4, 4, 4, 1]])
    adv = torch.randn(3, 4, generator=g, dtype=torch.float64)
    lp, lo, lr = theta.gather(1, idx), old.gather(1, idx), ref.gather(1, idx)
    beta, alpha, c = 0.7, 0.3, 0.2
    loss, st = grpo_loss(lp, lo, adv, beta=beta, alpha=alpha, clip=c, kl="exact", logp_all=theta,
                         logp_all_ref=ref, logp_all_old=old)
    ratio = (lp - lo).exp().numpy()
    A = adv.numpy()
    surr = np.minimum(ratio * A, np.clip(ratio, 1 - c, 1 + c) * A).mean(-1)
    P = theta.exp().numpy()
    klr = (P * (theta - ref).numpy()).sum(-1)
    klp = (P * (theta - old).numpy()).sum(-1)
    want = (-surr + beta * (alpha * klr + (1 - alpha) * klp)).mean()
    assert abs(loss.item() - want) < 1e-13
    # k3 variant
    loss3, _ = grpo_loss(lp, lo, adv, beta=beta, alpha=alpha, kl="k3", logp_ref=lr)
    d1, d2 = (lr - lp).numpy(), (lo - lp).numpy()
    k3r, k3p = (np.exp(d1) - d1 - 1).mean(-1), (np.exp(d2) - d2 - 1).mean(-1)
    want3 = (-(ratio * A).mean(-1) + beta * (alpha * k3r + (1 - alpha) * k3p)).mean()
    assert abs(loss3.item() - want3) < 1e-13
    # reduction="sum" is N times the mean
    loss_s, _ = grpo_loss(lp, lo, adv, beta=beta, alpha=alpha, kl="k3", logp_ref=lr, reduction="sum")
    assert abs(loss_s.item() - 3 * want3) < 1e-12
    assert 0 <= st["clip_frac"].item() <= 1


def test_grpo_loss_gradient_at_old_is_policy_gradient():
    """At theta = theta_old = theta_ref the KL gradients vanish and the gradient of the loss
    w.r.t. the logits is -(1/G) sum_i A_i (e_{o_i} - pi)."""
    g, ref, _ = _setup(N=1, K=4)
    theta = ref.clone().requires_grad_(True)
    idx = torch.tensor([[0, 2, 2]])
    adv = T([[1.0, -0.5, 0.25]])
    lp_all = torch.log_softmax(theta, -1)
    loss, _ = grpo_loss(lp_all.gather(1, idx), ref.gather(1, idx), adv, beta=3.0, alpha=0.5, kl="exact",
                        logp_all=lp_all, logp_all_ref=ref, logp_all_old=ref)
    loss.backward()
    pi = ref.exp()[0].numpy()
    want = np.zeros(4)
    for i, o in enumerate(idx[0].tolist()):
        e = np.zeros(4)
        e[o] = 1
        want -= adv[0, i].item() * (e - pi) / 3
    np.testing.assert_allclose(theta.grad[0].numpy(), want, atol=1e-14)


def test_sampled_surrogate_mean_equals_expectation():
    """E over sampled groups of (1/G) sum_i rho_i A_i equals sum_o pi_old(o) rho(o) Abar(o) with
    Abar = +-omega_G: the identity behind expectation mode (Monte Carlo, 5 standard errors)."""
    g = torch.Generator().manual_seed(3)
    K, G, R = 5, 4, 100_000
    old = torch.log_softmax(T([[0.3, -0.2, 0.9, -1.0, 0.1]]), -1)
    theta = torch.log_softmax(T([[0.5, -0.4, 0.2, -0.3, 0.6]]), -1)
    success = torch.tensor([[True, True, False, False, False]])
    p = old.exp()[:, :2].sum(-1)
    for conv, clip in (("paper", None), ("trl", 0.2), ("mean", 0.1)):
        idx = torch.multinomial(old.exp()[0], R * G, replacement=True, generator=g).view(R, G)
        rewards = success[0][idx].double()
        A = group_advantages(rewards, conv, 1e-3)
        rho = (theta[0][idx] - old[0][idx]).exp()
        per = clipped_surrogate(rho, A, clip).mean(-1)
        Abar = expected_advantages(success, *omega_pm_group(p, G, conv, 1e-3))
        want = (old.exp() * clipped_surrogate((theta - old).exp(), Abar, clip)).sum().item()
        se = per.std().item() / math.sqrt(R)
        assert abs(per.mean().item() - want) < 5 * se, (conv, per.mean().item(), want, se)
