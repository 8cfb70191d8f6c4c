"""Clipped GRPO in training: asymmetric clipping ``[1 - clip, 1 + clip_high]`` in the loss and the
loop, the effective prediction by the kernel's clipped map (``ClippedMap``, closed form), its
agreement with the numeric two-class route (grid + golden section), and real training reaching it.

Tolerances.

* closed form vs grid search: the grid + golden section resolves the maximiser of a float64
  objective to ~1e-8 in PoS (bracket 1e-13 in log-odds, flat objective near an interior
  maximiser: ~sqrt(machine eps)); 1e-7 leaves a factor 10 (measured <= 3e-9);
* training vs closed form, first iteration: the expected objective ``J`` is ``beta``-strongly
  concave in ``pi`` for the L1 norm (:func:`grpo_symbolic.training.loop.expected_objective`), so
  ``|p~ - p*| <= sqrt((J(pi*) - J(pi~)) / (2 beta))``.  Asserted per prompt: training never beats
  the closed-form policy (``J(pi*) - J(pi~) >= -DJ_ROUND``), the optimiser converged in objective
  (``J(pi*) - J(pi~) <= DJ_CONVERGED = 1e-7``; measured <= 4e-9 with 2000 annealed Adam steps, the
  worst at a prompt where ``J`` is nearly flat beyond the success kink), and the PoS gap is within
  the certificate (``DJ_ROUND = 2e-14`` is the float64 rounding of ``J``: K = 6 terms of size
  <= 1, so the certificate's floor is ~6e-8; its ceiling here ``sqrt(1e-7/6) = 1.3e-4``);
* training vs closed form, trajectory: ``EXPECTATION_TOL = 1e-6`` (simulate's tolerance for a
  converged optimiser), on configurations where annealed Adam reaches ~1e-8
  (``bench/clip_agreement.py``; L-BFGS stalls ~1e-3 away at the clip kinks).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.cli import main  # noqa: E402
from grpo_symbolic.errors import InputError  # noqa: E402
from grpo_symbolic.params import Params  # noqa: E402
from grpo_symbolic.training.core import clipped_surrogate, grpo_loss  # noqa: E402
from grpo_symbolic.training.experiment import EXPECTATION_TOL  # noqa: E402
from grpo_symbolic.training.loop import GRPOConfig, expected_objective, train  # noqa: E402
from grpo_symbolic.training.policies import (  # noqa: E402
    make_tabular_policy,
    nonparametric_iterate,
    pos_from_log_probs,
)
from grpo_symbolic.training.theory import (  # noqa: E402
    clipped_pos,
    effective_pos,
    effective_route,
    predict_pos,
    reduced_step,
    statistics_weights,
)

P_REF = [0.1, 0.2, 0.35, 0.5, 0.6, 0.7, 0.85, 0.95]
BETA, EPS = "3", "1e-2"
DJ_ROUND = 2e-14
DJ_CONVERGED = 1e-7
#: annealed Adam that reaches the clipped maximiser (L-BFGS stalls at the kinks)
ADAM = dict(optimizer="adam", lr=0.2, lr_final=1e-8)


def _params(norm="std", alpha="1", clip="0.2", clip_high=None, **kw) -> Params:
    return Params.parse(norm=norm, beta=BETA, alpha=alpha, eps=EPS, p_ref="0.5", clip=clip, clip_high=clip_high, **kw)


def _policy(p_ref=P_REF, K=6):
    return make_tabular_policy(torch.tensor(p_ref, dtype=torch.float64), K, generator=torch.Generator().manual_seed(7),
                               spread=1.5)


# ------------------------------------------------------------------ asymmetric clipping
def test_clipped_surrogate_asymmetric_range():
    r = torch.tensor([0.7, 0.85, 1.0, 1.25, 1.3], dtype=torch.float64)
    up = clipped_surrogate(r, torch.ones_like(r), 0.2, 0.28)          # min(r, clip(r, 0.8, 1.28))
    down = clipped_surrogate(r, -torch.ones_like(r), 0.2, 0.28)       # -max(r, clip(r, 0.8, 1.28))
    np.testing.assert_allclose(up.numpy(), [0.7, 0.85, 1.0, 1.25, 1.28])
    np.testing.assert_allclose(down.numpy(), [-0.8, -0.85, -1.0, -1.25, -1.3])
    sym = clipped_surrogate(r, torch.ones_like(r), 0.2)                # clip_high defaults to clip
    np.testing.assert_allclose(sym.numpy(), [0.7, 0.85, 1.0, 1.2, 1.2])
    with pytest.raises(ValueError):
        clipped_surrogate(r, r, None, 0.2)
    with pytest.raises(ValueError):
        clipped_surrogate(r, r, 0.2, -0.1)


def test_grpo_loss_clip_fraction_uses_both_bounds():
    """A success at ratio 1.25 is clipped by [0.8, 1.2] but not by [0.8, 1.28]."""
    lo = torch.log(torch.tensor([[0.5, 0.5]], dtype=torch.float64))
    lp = torch.log(torch.tensor([[0.625, 0.375]], dtype=torch.float64))  # ratios 1.25, 0.75
    adv = torch.tensor([[1.0, -1.0]], dtype=torch.float64)
    kw = dict(beta=1.0, kl="exact", logp_all=lp, logp_all_ref=lo, sample_weights=lo.exp())
    _, sym = grpo_loss(lp, lo, adv, clip=0.2, **kw)
    _, asym = grpo_loss(lp, lo, adv, clip=0.2, clip_high=0.28, **kw)
    assert sym["clip_frac"].item() == pytest.approx(1.0)   # both outputs clipped
    assert asym["clip_frac"].item() == pytest.approx(0.5)  # only the failure (0.75 < 0.8)
    assert asym["surrogate"].item() == pytest.approx(0.5 * 1.25 - 0.5 * 0.8)


def test_config_reads_clip_high_from_params():
    cfg = GRPOConfig(_params(clip="0.2", clip_high="0.28"), mode="expectation", statistics="population")
    assert (cfg.clip, cfg.clip_high) == (0.2, 0.28)
    assert cfg.as_dict()["clip_high"] == 0.28
    assert GRPOConfig(_params(clip="0.1"), mode="expectation", statistics="population").clip_high == 0.1
    assert GRPOConfig(_params(clip=None), mode="expectation", statistics="population").clip_high is None
    with pytest.raises(InputError, match="lr_final"):
        GRPOConfig(_params(), mode="expectation", statistics="population", optimizer="lbfgs", lr=1.0, lr_final=1e-3)
    with pytest.raises(InputError, match="lr_final"):
        GRPOConfig(_params(), mode="expectation", statistics="population", lr=0.1, lr_final=0.2)


# ------------------------------------------------------- closed form vs the numeric route
def _grid_route(params: Params, p_ref, iterations: int, statistics: str) -> np.ndarray:
    """The two-class model maximised numerically (grid + golden section), exact KL, iterated."""
    w = statistics_weights(params, statistics)
    clip = None if params.clip is None else float(params.clip)
    high = None if params.clip is None else float(params.clip_high)
    out = np.empty((iterations + 1, len(p_ref)))
    for j, pr in enumerate(p_ref):
        p = out[0, j] = pr
        for n in range(1, iterations + 1):
            with mp.workdps(30):
                wp, wm = (float(x) for x in w.omega_pm_mp(mp.log(p) - mp.log1p(-p)))
            p = out[n, j] = reduced_step(p_old=p, p_ref=pr, w_plus=wp, w_minus=wm, beta=float(params.beta),
                                         alpha=float(params.alpha), clip=clip, clip_high=high, kl="exact")
    return out


CLIPS = [("0.1", None), ("0.2", None), ("0.28", None), ("0.2", "0.28"), ("0.1", "0.5")]
STATS = [("std", "population", None), ("mean", "population", None), ("std", "group", "paper"),
         ("std", "group", "trl"), ("mean", "group", "mean")]


@pytest.mark.parametrize("clip,high", CLIPS, ids=lambda x: str(x))
@pytest.mark.parametrize("norm,statistics,convention", STATS, ids=lambda x: str(x))
def test_clipped_map_agrees_with_grid_search(norm, statistics, convention, clip, high):
    """ClippedMap (closed form) = maximiser of the two-class clipped objective found numerically,
    for population and finite-group weights (every convention) and asymmetric clip ranges."""
    kw = dict(group_size=6, convention=convention) if statistics == "group" else {}
    for alpha in ("1", "0.5", "0"):
        params = _params(norm, alpha, clip, high, **kw)
        closed = clipped_pos(params, P_REF[1:], 3, statistics=statistics)
        grid = _grid_route(params, P_REF[1:], 3, statistics)
        assert np.abs(closed - grid).max() < 1e-7, (alpha, np.abs(closed - grid).max())
        assert np.abs(closed[1] - closed[0]).max() > 1e-2  # the trajectory moves


def test_effective_pos_routes():
    """exact KL -> closed forms (recurrence without clip, ClippedMap with it); k3 -> numeric route."""
    P = _params(group_size=6)
    assert np.array_equal(effective_pos(P, P_REF, 3, statistics="group"), clipped_pos(P, P_REF, 3, statistics="group"))
    P0 = P.with_(clip=None)
    assert np.array_equal(effective_pos(P0, P_REF, 3, statistics="population"),
                          predict_pos(P0, P_REF, 3, statistics="population"))
    assert "ClippedMap" in effective_route(P) and "LogitMap" in effective_route(P0)
    assert "reduced_step" in effective_route(P, "k3") and "reduced_step" in effective_route(P0, "k3")
    k3 = effective_pos(P, [0.5, 0.85], 2, statistics="group", kl="k3")  # clip not binding on successes
    assert np.abs(k3 - clipped_pos(P, [0.5, 0.85], 2, statistics="group")).max(0).min() > 1e-3
    with pytest.raises(ValueError):
        effective_pos(P, P_REF, 1, kl="k2")
    with pytest.raises(ValueError):
        clipped_pos(P0, P_REF, 1)


def test_asymmetric_clip_differs_from_symmetric():
    """clip_high really enters the map: DAPO's [0.8, 1.28] lets successes grow more than [0.8, 1.2]."""
    sym = clipped_pos(_params(clip="0.2"), P_REF, 2, statistics="population")
    asym = clipped_pos(_params(clip="0.2", clip_high="0.28"), P_REF, 2, statistics="population")
    assert (asym[1] >= sym[1] - 1e-15).all() and (asym[1] - sym[1]).max() > 1e-2


# ---------------------------------------------------------- training reaches the closed form
@pytest.mark.parametrize("norm,clip,high", [("std", "0.1", None), ("std", "0.2", "0.28"), ("mean", "0.28", None),
                                            ("mean", "0.1", "0.5")])
def test_first_step_training_is_certified_close_to_the_clipped_map(norm, clip, high):
    """One expectation-mode iteration from pi_ref (population weights, tabular policy, 2000 annealed
    Adam steps): the closed-form policy is never beaten, and the strong-concavity certificate
    bounds the PoS gap (module docstring)."""
    params = _params(norm, "1", clip, high)
    pol = _policy()
    ref, S = pol.ref_log_probs_all(), pol.success
    p_ref = pos_from_log_probs(ref, S)
    cfg = GRPOConfig(params, mode="expectation", statistics="population", inner_steps=2000, diagnostics=False, **ADAM)
    out = train(pol, cfg, 1)
    with torch.no_grad():
        trained = pol.log_probs_all()
        p_star = torch.tensor(clipped_pos(params, p_ref.numpy(), 1, statistics="population")[1])
        star = nonparametric_iterate(ref, S, p_ref, p_star)  # pi_ref's conditional laws, PoS p*
        dJ = (expected_objective(star, ref, ref, S, cfg) - expected_objective(trained, ref, ref, S, cfg)).numpy()
    gap = np.abs(out["pos"][1].numpy() - p_star.numpy())
    assert (dJ >= -DJ_ROUND).all(), dJ                  # ClippedMap's policy is the maximiser
    assert (dJ <= DJ_CONVERGED).all(), dJ               # the optimiser converged in objective
    cert = np.sqrt((np.maximum(dJ, 0) + DJ_ROUND) / (2 * cfg.beta))
    assert (gap <= cert).all(), (gap, cert)
    assert gap.max() <= math.sqrt((DJ_CONVERGED + DJ_ROUND) / (2 * cfg.beta))  # <= 1.3e-4
    unclipped = predict_pos(params, p_ref.numpy(), 1, statistics="population")[1]
    assert np.abs(p_star.numpy() - unclipped).max() > 1e-3  # the clip binds somewhere


@pytest.mark.parametrize("norm,alpha,clip,high", [("std", "0.5", "0.2", "0.28"), ("mean", "0", "0.1", None)])
def test_training_trajectory_follows_the_clipped_map(norm, alpha, clip, high):
    """Three iterations of 1500 annealed Adam steps (the anchor pi_{n-1} matters for alpha < 1):
    within EXPECTATION_TOL of ClippedMap's trajectory (measured <= 1e-8), and far from the
    unclipped recurrence."""
    params = _params(norm, alpha, clip, high)
    pol = _policy(P_REF[::2])
    with torch.no_grad():
        p_ref = pos_from_log_probs(pol.ref_log_probs_all(), pol.success).numpy()
    cfg = GRPOConfig(params, mode="expectation", statistics="population", inner_steps=1500, diagnostics=False,
                     **ADAM)
    pos = train(pol, cfg, 3)["pos"].numpy()
    pred = effective_pos(params, p_ref, 3, statistics="population")
    gap = np.abs(pos - pred).max()
    assert gap <= EXPECTATION_TOL, gap
    assert np.abs(pos - predict_pos(params, p_ref, 3, statistics="population")).max() > 1e-2


# ---------------------------------------------------------------------------------- CLI
def test_cli_clip_high_in_report(capsys):
    import json

    argv = ["simulate", "--mode", "expectation", "--statistics", "population", "--prompts", "2", "--outputs", "4",
            "--iterations", "2", "--beta", "3", "--eps", "1e-2", "--clip", "0.2", "--clip-high", "0.28",
            "--optimizer", "adam", "--inner-steps", "1000", "--lr", "0.2", "--lr-final", "1e-8"]
    assert main(argv + ["--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["config"]["clip"], d["config"]["clip_high"], d["config"]["lr_final"]) == (0.2, 0.28, 1e-8)
    assert (d["spec"]["clip"], d["spec"]["clip_high"]) == (0.2, 0.28)
    assert d["spec"]["params"]["clip_high"] == "0.28"
    eff = d["predictions"]["effective"]
    assert "clip=0.2, clip_high=0.28" in eff and "ClippedMap" in eff
    s = d["summary"]
    assert s["max_abs_prompt_dev_effective"] <= EXPECTATION_TOL
    assert 0 <= s["median_abs_prompt_dev_effective"] <= s["max_abs_prompt_dev_effective"]
    i = argv.index("--iterations")
    assert main(argv[:i] + ["--iterations", "1"] + argv[i + 2:]) == 0  # text report, one iteration
    out = capsys.readouterr().out
    assert "clip=0.2, clip_high=0.28" in out and "lr=0.2 -> 1e-08" in out and "ClippedMap" in out
