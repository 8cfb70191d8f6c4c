"""The exact maximiser of the *drawn* GRPO objective and the conditional law of a sampled step:
the tools that split the gap between sampled training and the recurrence into a sampling part
and an optimiser part."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.params import Params  # noqa: E402
from grpo_symbolic.training.core import group_advantages  # noqa: E402
from grpo_symbolic.training.experiment import (  # noqa: E402
    SimulationSpec,
    run_simulation,
    sampled_step_at_recurrence,
)
from grpo_symbolic.training.loop import (  # noqa: E402
    GRPOConfig,
    sampled_argmax_pos_moments,
    sampled_step,
    train,
)
from grpo_symbolic.training.policies import (  # noqa: E402
    make_tabular_policy,
    pos_from_log_probs,
    sample_categorical,
)


def _state(N=3, K=5, seed=1):
    """A tabular reference policy and a different 'trained' previous policy."""
    pol = make_tabular_policy(torch.linspace(0.2, 0.7, N, dtype=torch.float64), K,
                              generator=torch.Generator().manual_seed(seed))
    ref = pol.ref_log_probs_all()
    noise = torch.randn(N, K, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    old = torch.log_softmax(ref + 0.8 * noise, -1)
    return pol, ref, old


@pytest.mark.parametrize("alpha", [1.0, 0.3, 0.0])
def test_sampled_step_maximises_the_drawn_objective(alpha):
    """The objective written from the G draws as Algorithm 1 defines it,
    (1/G) sum_i A_i pi(o_i)/pi_old(o_i) - beta*(alpha KL_ref + (1-alpha) KL_old),
    is never improved by perturbing the closed form."""
    pol, ref, old = _state()
    G, beta = 6, 0.7
    g = torch.Generator().manual_seed(5)
    idx = sample_categorical(old.exp(), G, g)
    adv = group_advantages(pol.success.gather(-1, idx).to(torch.float64), "paper", 1e-3)
    lp = sampled_step(ref, old, idx, adv, beta, alpha)

    def J(l):
        surrogate = (adv * torch.exp(l.gather(-1, idx) - old.gather(-1, idx))).mean(-1)
        p = l.exp()
        return surrogate - beta * (alpha * (p * (l - ref)).sum(-1) + (1 - alpha) * (p * (l - old)).sum(-1))

    base = J(lp)
    for _ in range(30):
        pert = torch.log_softmax(lp + 0.05 * torch.randn(lp.shape, generator=g, dtype=torch.float64), -1)
        assert bool((J(pert) <= base + 1e-14).all())


def test_degenerate_group_resets_to_the_reference():
    """All rewards equal => every advantage is 0 in every convention => with alpha = 1 the
    drawn maximiser is pi_ref itself; with alpha < 1 the geometric mix of pi_ref and pi_old."""
    pol, ref, old = _state()
    succ_first = torch.zeros(3, 4, dtype=torch.int64)  # output 0 is a success for every prompt
    for conv in ("paper", "trl", "mean"):
        adv = group_advantages(torch.ones(3, 4, dtype=torch.float64), conv, 1e-4)
        assert bool((adv == 0).all())
        assert torch.allclose(sampled_step(ref, old, succ_first, adv, 2.0, 1.0), ref, atol=1e-15)
        mix = torch.log_softmax(0.25 * ref + 0.75 * old, -1)
        assert torch.allclose(sampled_step(ref, old, succ_first, adv, 2.0, 0.25), mix, atol=1e-14)
    assert bool(pol.success[:, 0].all())


def test_step_law_matches_monte_carlo_from_a_trained_state():
    """Exact enumeration of all group count vectors vs Monte Carlo over drawn groups, from a
    previous policy that is *not* pi_ref."""
    pol, ref, old = _state(N=2, K=4, seed=3)
    G, beta, eps, alpha = 5, 1.3, 1e-3, 0.6
    mean, var = sampled_argmax_pos_moments(old, ref, pol.success, G=G, convention="trl", eps=eps,
                                           beta=beta, alpha=alpha)
    R = 40_000
    g = torch.Generator().manual_seed(9)
    old_r = old.repeat_interleave(R, 0)
    ref_r = ref.repeat_interleave(R, 0)
    succ_r = pol.success.repeat_interleave(R, 0)
    idx = sample_categorical(old_r.exp(), G, g)
    adv = group_advantages(succ_r.gather(-1, idx).to(torch.float64), "trl", eps)
    pos = pos_from_log_probs(sampled_step(ref_r, old_r, idx, adv, beta, alpha), succ_r).reshape(2, R)
    mc_mean, mc_var = pos.mean(-1), pos.var(-1)
    assert bool(((mc_mean - mean).abs() <= 5 * torch.sqrt(var / R)).all()), (mc_mean, mean)
    assert torch.allclose(mc_var, var, rtol=0.05)


def test_drawn_diagnostics_in_training():
    """L-BFGS from pi_ref reaches the drawn maximiser (iteration 1); the diagnostic is only
    recorded where the closed form applies (exact KL, no clipping)."""
    pol = make_tabular_policy(torch.tensor([0.2, 0.5] * 8, dtype=torch.float64), 4,
                              generator=torch.Generator().manual_seed(0))
    P = Params.parse(beta="1", eps="1e-5", p_ref="0.2", group_size=8)
    cfg = GRPOConfig(P, mode="sample", optimizer="lbfgs", lr=1.0)
    out = train(pol, cfg, 2, generator=torch.Generator().manual_seed(1))
    assert float((out["pos"][1] - out["drawn_pos"][0]).abs().max()) < 1e-3
    assert float(out["drawn_tv"][0].max()) < 1e-3
    pol2 = make_tabular_policy(torch.tensor([0.3, 0.6]), 4, generator=torch.Generator().manual_seed(0))
    cfg2 = GRPOConfig(P.with_(group_size=4, clip="0.2"), mode="sample", inner_steps=2)
    assert "drawn_pos" not in train(pol2, cfg2, 1, generator=torch.Generator().manual_seed(1))


def test_simulation_reports_the_law_at_every_iteration():
    P = Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2", group_size=4)
    d = run_simulation(SimulationSpec(params=P, prompts=32, outputs=4, p_ref=["0.2", "0.5"], iterations=3,
                                      mode="sample", optimizer="lbfgs", inner_steps=1, lr=1.0))
    its = d["iterations"]
    for it in its[1:]:
        for key in ("pred_law_mean", "dev_law", "band_law", "within_law_band", "law_minus_group",
                    "opt_gap", "max_prompt_opt_gap", "drawn_pos_mean"):
            assert key in it, key
        assert math.isclose(it["dev_law"], it["pos_mean"] - it["pred_law_mean"], abs_tol=1e-12)
        assert math.isclose(it["opt_gap"], it["pos_mean"] - it["drawn_pos_mean"], abs_tol=1e-12)
    assert its[1]["pred_sampled_argmax_mean"] == its[1]["pred_law_mean"]
    assert d["summary"]["all_within_law_band"] in (True, False)


@pytest.mark.parametrize("G", [4, 16, 64])
def test_sampled_step_at_recurrence_obeys_the_reset_bound(G):
    """law = P(deg) p_ref + (1 - P(deg)) E[p | not deg] when alpha = 1, so
    |law - p_ref| <= 1 - P(deg); and the bias is the law minus the recurrence's state."""
    P = Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2", group_size=G)
    for r in sampled_step_at_recurrence(P, ["0.2", "0.5"]):
        assert abs(r["law_mean"] - r["p_ref"]) <= 1 - r["p_degenerate"] + 1e-12
        assert math.isclose(r["bias"], r["law_mean"] - r["p_recurrence"], abs_tol=1e-15)
        assert r["settled"] < 1e-12 and 0 <= r["law_sd"] <= 0.5


def test_sampled_step_at_recurrence_needs_a_group():
    with pytest.raises(ValueError):
        sampled_step_at_recurrence(Params.parse(beta="1", p_ref="0.2"), ["0.2"])
