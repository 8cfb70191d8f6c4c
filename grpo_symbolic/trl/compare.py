r"""``simulate --backend trl``: TRL's exact PoS per round against ``predict``'s trajectory.

For one TRL config (a dict of ``GRPOConfig`` fields, mapped by :func:`.config.map_config`):

1. :func:`.backend.run_trl` trains with TRL's ``GRPOTrainer`` and records the exact PoS
   ``p_n(q)`` of every prompt after every generation round (``p_0 = p_ref`` exact);
2. the theory's trajectories from the *exact* ``p_ref(q)``: the config's variant (clipped map,
   finite-G TRL convention; :func:`grpo_symbolic.training.theory.effective_pos`) and the same
   map with population weights;
3. ``predict`` as a practitioner would run it: ``p_ref`` estimated from ``pref_samples``
   completions drawn from the exact ``pi_ref`` law (seeded), with its Clopper--Pearson band.

The gaps ``TRL - theory`` per prompt and round, and whether TRL lies in the band, are reported.
"""

from __future__ import annotations

import numpy as np

from ..training.theory import effective_pos
from .backend import FIXED_ARGS, TrlRunSpec, run_trl
from .config import map_config
from .pref import PrefRow
from .predict import predict

#: what the gap between TRL and the theory's exact maximiser is made of (for reports)
GAP_SOURCES = (
    "one or a few optimiser steps per generation round (learning_rate, num_iterations) instead of the exact "
    "maximiser of the round's objective",
    "finite G: the sampled objective of one round, not its expectation (the theory's Omega_G is an expectation)",
    "k3 KL estimator on sampled tokens instead of the exact KL",
    "token-level ratios and clipping instead of the sequence ratio",
    "a shared parametric policy (a transformer): pushing a sampled completion moves unsampled ones too",
)


def sampled_pref(p_ref, n: int, seed: int) -> list[PrefRow]:
    """``k ~ Bin(n, p_ref(q))`` successes per prompt (seeded): a practitioner's estimate."""
    rng = np.random.default_rng(seed + 7919)
    return [PrefRow(f"q{i}", int(rng.binomial(n, p)), n) for i, p in enumerate(p_ref)]


def run_comparison(spec: TrlRunSpec, *, pref_samples: int = 64, level: float = 0.05, progress=None) -> dict:
    """TRL against the theory for ``spec`` (module docstring); a JSON-ready dict."""
    mapping = map_config({k: v for k, v in spec.trl_args.items()})
    trl = run_trl(spec, progress=progress)
    N = spec.iterations
    p_trl = np.array(trl["p"])
    p_ref = np.array(trl["p_ref"])
    P = mapping.theory_params("1/2")
    kl = "exact" if mapping.beta_zero else mapping.kl
    group = effective_pos(P, p_ref, N, statistics="group", kl=kl)
    population = effective_pos(P, p_ref, N, statistics="population", kl=kl)
    pred = predict(mapping, sampled_pref(p_ref, pref_samples, spec.seed), N, level=level)
    lo = np.array([d["band_low"] for d in pred["prompts"]]).T
    hi = np.array([d["band_high"] for d in pred["prompts"]]).T
    inside = (p_trl >= lo - 1e-12) & (p_trl <= hi + 1e-12)
    gap = p_trl - group
    return {
        "backend": "trl", "theory": mapping.theory_text(), "config": trl["config"],
        "config_mapping": mapping.to_json(), "fixed_by_backend": sorted(FIXED_ARGS),
        "task": {"prompts": spec.prompts, "vocab": spec.vocab, "completion_length": spec.length,
                 "completions": spec.vocab ** spec.length, "prompt_length": spec.prompt_length,
                 "targets": trl["targets"], "seed": spec.seed},
        "iterations": N, "steps_per_round": trl["steps_per_round"], "seconds": trl["seconds"],
        "p_ref": p_ref.tolist(), "trl": p_trl.tolist(), "pred_group": group.tolist(),
        "pred_population": population.tolist(), "gap_group": gap.tolist(),
        "gap_population": (p_trl - population).tolist(),
        "sample_success": trl["sample_success"],
        "predict": {"pref_samples": pref_samples, "level": level,
                    "successes": [d["successes"] for d in pred["prompts"]],
                    "band_low": lo.tolist(), "band_high": hi.tolist(),
                    "kinds": [d["kind"] for d in pred["prompts"]]},
        "inside_band": inside.tolist(),
        "summary": {
            "max_abs_gap_group": float(np.abs(gap[1:]).max()) if N else 0.0,
            "mean_gap_group_last": float(gap[-1].mean()),
            "mean_gap_population_last": float((p_trl - population)[-1].mean()),
            "mean_trl_last": float(p_trl[-1].mean()), "mean_pred_group_last": float(group[-1].mean()),
            "share_inside_band": float(inside[1:].mean()) if N else 1.0,
            "trl_below_band": int((p_trl < lo - 1e-12)[1:].sum()), "trl_above_band": int((p_trl > hi + 1e-12)[1:].sum()),
        },
        "gap_sources": list(GAP_SOURCES),
    }
