"""The k3 estimator: its penalty's curvature (SymPy vs finite differences), and a counterexample
to the two-class reduction of the k3 objective (multi-start maximiser vs the reduced model)."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
import sympy as sp

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.params import Params  # noqa: E402
from grpo_symbolic.training.core import expected_advantages  # noqa: E402
from grpo_symbolic.training.k3 import (  # noqa: E402
    conditional_tv,
    k3_objective,
    k3_term_curvature,
    maximise_k3_objective,
)
from grpo_symbolic.training.loop import GRPOConfig, expected_weights, train  # noqa: E402
from grpo_symbolic.training.policies import (  # noqa: E402
    make_tabular_policy,
    nonparametric_iterate,
    pos_from_log_probs,
)
from grpo_symbolic.training.theory import effective_pos  # noqa: E402


@pytest.mark.parametrize("module", ["grpo_symbolic.training.k3", "grpo_symbolic.training.loop"])
def test_training_doctests(module):
    res = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0


def test_k3_curvature_matches_finite_differences_and_changes_sign_at_2r():
    term, d2 = k3_term_curvature()
    sym = {s.name: s for s in term.free_symbols}
    pi, r, w, beta = sym["pi"], sym["r"], sym["w"], sym["beta"]
    f = sp.lambdify((pi, r, w, beta), term, "mpmath")
    import mpmath as mp

    mp.mp.dps = 40
    R = sp.Rational
    for x, rr in ((R(1, 10), R(3, 10)), (R(1, 2), R(1, 5)), (R(39, 100), R(1, 5)), (R(41, 100), R(1, 5))):
        w0, b0 = R(7, 10), R(13, 10)
        fd = mp.diff(lambda t: f(t, mp.mpf(rr.p) / rr.q, mp.mpf(w0.p) / w0.q, mp.mpf(b0.p) / b0.q),
                     mp.mpf(x.p) / x.q, 2)
        exact = d2.subs({pi: x, r: rr, w: w0, beta: b0})      # an exact rational
        assert abs(fd - mp.mpf(exact.p) / exact.q) < mp.mpf(10) ** -25 * max(1, abs(fd))
        assert (exact < 0) == (x < 2 * rr)  # concave iff pi < 2 pi_ref


def _one_step_problem():
    p_ref = torch.tensor([0.2, 0.05], dtype=torch.float64)
    pol = make_tabular_policy(p_ref, 8, success_counts=[4, 4], generator=torch.Generator().manual_seed(0))
    P = Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2")
    cfg = GRPOConfig(P, mode="expectation", statistics="population", kl="k3", optimizer="lbfgs", lr=1.0,
                     inner_steps=1)
    ref = pol.ref_log_probs_all()
    A = expected_advantages(pol.success, *expected_weights(pos_from_log_probs(ref, pol.success), cfg))
    return pol, cfg, ref, A


def test_two_class_model_of_k3_is_refuted_by_a_better_policy():
    """From pi_ref, the policy with pi_ref's conditional laws and the two-class model's PoS is
    beaten by a policy that breaks those laws: the reduction does not hold for k3."""
    pol, cfg, ref, A = _one_step_problem()
    S = pol.success
    p_model = torch.tensor(effective_pos(cfg.params, [0.2, 0.05], 1, statistics="population", kl="k3")[1])
    # the two-class model's policy: pi_ref's conditional laws, PoS p_model
    model = nonparametric_iterate(ref, S, torch.tensor([0.2, 0.05], dtype=torch.float64), p_model)
    best, j_best = maximise_k3_objective(ref, ref, A, 1.0, starts=16, extra=[model])
    j_model = k3_objective(model, ref, ref, A, 1.0)
    assert bool((j_best >= j_model - 1e-12).all())
    assert float((j_best - j_model).max()) > 1e-3            # strictly better somewhere
    i = int(torch.argmax(j_best - j_model))
    assert float(conditional_tv(best, ref, S)[i, 0]) > 0.1   # by breaking the success law
    assert float(conditional_tv(model, ref, S)[i, 0]) < 1e-12


def test_trained_k3_policy_is_no_better_than_the_multistart_maximum():
    pol, cfg, ref, A = _one_step_problem()
    train(pol, cfg, 1)
    trained = pol.log_probs_all().detach()
    _, j_best = maximise_k3_objective(ref, ref, A, 1.0, starts=16, extra=[trained])
    assert bool((j_best >= k3_objective(trained, ref, ref, A, 1.0) - 1e-12).all())
    assert np.isfinite(j_best.numpy()).all()
