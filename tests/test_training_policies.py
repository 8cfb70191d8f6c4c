"""Tests of the policy families (grpo_symbolic.training.policies)."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.training.policies import (  # noqa: E402
    make_tabular_policy,
    make_transformer_policy,
    make_verifier,
    nonparametric_iterate,
    pos_from_log_probs,
    sample_categorical,
    tv_distance,
)


def test_tabular_reference_has_exact_pos_and_nonuniform_conditionals():
    p_ref = torch.tensor([0.2, 0.5, 0.01, 0.97], dtype=torch.float64)
    pol = make_tabular_policy(p_ref, 6, generator=torch.Generator().manual_seed(0))
    lp = pol.ref_log_probs_all()
    torch.testing.assert_close(lp.exp().sum(-1), torch.ones(4, dtype=torch.float64), atol=1e-15, rtol=0)
    torch.testing.assert_close(pos_from_log_probs(lp, pol.success), p_ref, atol=1e-15, rtol=0)
    assert pol.success.sum(-1).tolist() == [1, 2, 3, 4]  # m_q = 1 + q mod (K-1)
    # conditional law inside F of prompt 0 (5 outputs) is not uniform
    cf = lp[0, 1:].exp() / (1 - 0.2)
    assert float(cf.max() - cf.min()) > 0.05
    # the policy starts at pi_ref
    torch.testing.assert_close(pol.log_probs_all(), lp)


def test_tabular_rejects_bad_input():
    with pytest.raises(ValueError):
        make_tabular_policy([0.0, 0.5], 4)
    with pytest.raises(ValueError):
        make_tabular_policy([0.5], 1)
    with pytest.raises(ValueError):
        make_tabular_policy([0.5], 4, success_counts=[4])


def test_sample_categorical_frequencies():
    probs = torch.tensor([[0.5, 0.0, 0.3, 0.2], [0.0, 0.0, 0.0, 1.0]], dtype=torch.float64)
    n = 200_000
    idx = sample_categorical(probs, n, torch.Generator().manual_seed(1))
    assert idx.shape == (2, n)
    freq = torch.stack([torch.bincount(idx[i], minlength=4) for i in range(2)]).double() / n
    assert freq[0, 1] == 0 and bool((idx[1] == 3).all())
    se = torch.sqrt(probs * (1 - probs) / n)
    assert bool(((freq - probs).abs() <= 5 * se + 1e-12).all())
    # reproducible with the same seed
    assert torch.equal(idx, sample_categorical(probs, n, torch.Generator().manual_seed(1)))


def test_tv_and_nonparametric_iterate():
    pol = make_tabular_policy(torch.tensor([0.3, 0.6], dtype=torch.float64), 5,
                              generator=torch.Generator().manual_seed(2))
    ref = pol.ref_log_probs_all()
    p_ref = pos_from_log_probs(ref, pol.success)
    p_n = torch.tensor([0.7, 0.2], dtype=torch.float64)
    it = nonparametric_iterate(ref, pol.success, p_ref, p_n)
    torch.testing.assert_close(pos_from_log_probs(it, pol.success), p_n, atol=1e-15, rtol=0)
    # conditional laws on S and F are pi_ref's
    d = (it - ref)
    for q in range(2):
        s = pol.success[q]
        assert float(d[q][s].max() - d[q][s].min()) < 1e-14
        assert float(d[q][~s].max() - d[q][~s].min()) < 1e-14
    # TV of two such policies is exactly |p - p'| (they differ only by the S/F mass)
    torch.testing.assert_close(tv_distance(it, ref), (p_n - p_ref).abs(), atol=1e-15, rtol=0)
    assert float(tv_distance(ref, ref).max()) == 0


def test_verifiers():
    q = torch.tensor([0, 1, 2])
    s = torch.tensor([[0, 0, 0, 0], [1, 1, 0, 2], [2, 2, 3, 1]])
    assert make_verifier("sum_mod:3", 4)(q, s).tolist() == [True, False, False]
    assert make_verifier("sum_mod:2", 4)(q, s).tolist() == [True, False, True]
    assert make_verifier("count:2", 4)(q, s).tolist() == [True, True, True]
    assert make_verifier("count:3", 4)(q, s).tolist() == [True, False, False]
    for bad in ("sum_mod:1", "count:0", "xyz", "count:a"):
        with pytest.raises(ValueError):
            make_verifier(bad, 4)


@pytest.fixture(scope="module")
def tpol():
    return make_transformer_policy(3, vocab=3, length=3, d_model=8, heads=2, seed=0, verifier="sum_mod:3")


def test_transformer_enumeration_is_a_distribution(tpol):
    assert tpol.num_outputs == 27
    lp = tpol.log_probs_all().detach()
    torch.testing.assert_close(torch.logsumexp(lp, -1), torch.zeros(3, dtype=torch.float64), atol=1e-12, rtol=0)
    torch.testing.assert_close(lp, tpol.ref_log_probs_all())  # pi_0 = pi_ref
    # sequence index k <-> base-V digits
    assert tpol.all_seqs[5].tolist() == [0, 1, 2]
    # success set from the verifier: (q + sum o) % 3 == 0 -> 9 of 27 sequences per prompt
    assert tpol.success.sum(-1).tolist() == [9, 9, 9]
    p = pos_from_log_probs(lp, tpol.success)
    assert bool(((p > 0) & (p < 1)).all())
    assert float((lp.exp().max(-1).values - lp.exp().min(-1).values).min()) > 1e-3  # not uniform


def test_transformer_log_probs_at_and_sampling(tpol):
    g = torch.Generator().manual_seed(0)
    idx = tpol.sample(4000, g)
    assert idx.shape == (3, 4000) and int(idx.max()) < 27
    lp_all = tpol.log_probs_all()
    # forward on the sampled sequences == gather from the enumeration
    torch.testing.assert_close(tpol.log_probs_at(idx[:, :50]), lp_all.gather(1, idx[:, :50]), atol=1e-12, rtol=0)
    # autoregressive sampling has the enumerated law (chi-square-like bound per cell)
    probs = lp_all.exp()
    freq = torch.stack([torch.bincount(idx[q], minlength=27) for q in range(3)]).double() / 4000
    se = torch.sqrt(probs * (1 - probs) / 4000)
    assert bool(((freq - probs).abs() <= 5 * se + 1e-3).all())
    # gradients flow to the model only (the reference is frozen)
    tpol.log_probs_all().sum().backward()
    assert all(p.grad is not None for p in tpol.model.parameters())
    assert all(p.grad is None and not p.requires_grad for p in tpol.ref_model.parameters())
    tpol.model.zero_grad(set_to_none=True)


def test_transformer_rejects_degenerate_verifier():
    with pytest.raises(ValueError, match="PoS 0 or 1"):
        make_transformer_policy(2, vocab=2, length=1, d_model=4, heads=1, verifier="count:2")
    with pytest.raises(ValueError, match="too many"):
        make_transformer_policy(1, vocab=64, length=4)


def test_transformer_init_is_deterministic():
    a = make_transformer_policy(2, vocab=2, length=3, d_model=8, seed=5)
    b = make_transformer_policy(2, vocab=2, length=3, d_model=8, seed=5)
    c = make_transformer_policy(2, vocab=2, length=3, d_model=8, seed=6)
    assert torch.equal(a.log_probs_all(), b.log_probs_all())
    assert not torch.equal(a.log_probs_all(), c.log_probs_all())
    assert math.isfinite(float(a.log_probs_all().detach().sum()))
    np.testing.assert_array_equal(a.success.numpy(), b.success.numpy())
