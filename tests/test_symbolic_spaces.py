"""The derivations hold on finite spaces of several sizes and success sets."""

import pytest
import sympy as sp

from grpo_symbolic.symbolic import FiniteSpace, contrastive, optimal_policy, recurrence

SPACES = [(2, (0,)), (2, (1,)), (3, (1,)), (3, (0, 2)), (4, (0, 1)), (4, (3,)), (5, (0, 2, 4)), (5, (1, 2, 3, 4))]
ALPHAS = [sp.Integer(1), sp.Integer(0), sp.Rational(2, 7)]


@pytest.mark.parametrize("K,S", SPACES, ids=[f"K{K}-S{''.join(map(str, S))}" for K, S in SPACES])
@pytest.mark.parametrize("a", ALPHAS, ids=[str(a) for a in ALPHAS])
def test_policy_and_recurrence_on_space(K, S, a):
    fs = FiniteSpace(K, S)
    for d in (optimal_policy("std", a, fs), recurrence("mean", a, fs)):
        res = d.check()
        assert res.ok, f"{d.name} on {fs}: {res.failed}"
    for name in ("general_anchor", "recurrence_logit"):
        assert recurrence("std", a, fs).step(name).spot_check(n=4, dps=30, seed=K).ok


@pytest.mark.parametrize("K,S", [(2, (0,)), (3, (0, 2)), (5, (1, 2, 3, 4))])
def test_contrastive_on_space(K, S):
    fs = FiniteSpace(K, S)
    for clip in (False, True):
        d = contrastive(clip, fs)
        assert d.check().ok
        assert d.step("clipped_objective" if clip else "weighted_contrastive").spot_check(n=8, seed=K).ok


@pytest.mark.parametrize("K,S", [(2, (1,)), (3, (0,))])
def test_symbolic_alpha_on_small_spaces(K, S):
    fs = FiniteSpace(K, S)
    d = recurrence("std", "symbolic", fs)
    assert d.check().ok
    assert d.step("general_anchor").spot_check(n=6, seed=K).ok
