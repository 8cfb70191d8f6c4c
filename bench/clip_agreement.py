#!/usr/bin/env python
"""Agreement of clipped GRPO training with the kernel's clipped map (closed form).

For each clip range ``[1 - eps_low, 1 + eps_high]`` (symmetric 0.1, 0.2, 0.28 and DAPO's
0.2/0.28), norm (std, mean) and alpha (1, 0.5, 0), one ``grpo-symbolic simulate`` run
(:func:`grpo_symbolic.training.experiment.run_simulation`): tabular policy, expectation mode,
population statistics, exact KL, and an optimiser that reaches each iteration's maximiser --
Adam annealed geometrically from ``lr = 0.2`` to ``lr_final = 1e-8`` over ``--steps`` steps per
iteration.  The prediction is the effective one of the report: the clipped map
:class:`grpo_symbolic.exact.clipped.ClippedMap` iterated from ``p_ref`` per prompt.

Columns: ``median``/``worst`` = median and largest ``|p~_n(q) - p_n^clip(q)|`` over the
iterations ``n = 1..M`` and prompts ``q``; ``clip effect`` = largest ``|p_n^clip - p_n|``
(clipped map vs the paper's unclipped recurrence: how much clipping changes the prediction);
``lbfgs worst`` = the worst gap with simulate's default expectation-mode optimiser (L-BFGS,
strong-Wolfe line search), which stalls near the clip kinks.

Run::

    python bench/clip_agreement.py            # about a minute on one CPU thread
    python bench/clip_agreement.py --steps 1000 --no-lbfgs
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import torch

from grpo_symbolic.params import Params
from grpo_symbolic.training.experiment import SimulationSpec, run_simulation

P_REF = ("0.1", "0.2", "0.35", "0.5", "0.6", "0.7", "0.85", "0.95")
CLIPS = (("0.1", None), ("0.2", None), ("0.28", None), ("0.2", "0.28"))
NORMS = ("std", "mean")
ALPHAS = ("1", "0.5", "0")


def _gaps(d: dict) -> tuple[np.ndarray, np.ndarray]:
    """``(|trained - clipped map|, |clipped map - unclipped recurrence|)`` over n >= 1 and prompts."""
    its = d["iterations"][1:]
    pos = np.array([it["pos"] for it in its])
    eff = np.array([it["pred_effective"] for it in its])
    rec = np.array([it["pred_population"] for it in its])
    return np.abs(pos - eff), np.abs(eff - rec)


def run(norm, alpha, clip, clip_high, args, optimizer="adam") -> dict:
    params = Params.parse(norm=norm, beta=args.beta, alpha=alpha, eps=args.eps, p_ref=P_REF[0], group_size=8,
                          clip=clip, clip_high=clip_high)
    opt = (dict(optimizer="adam", inner_steps=args.steps, lr=0.2, lr_final=1e-8) if optimizer == "adam"
           else dict(optimizer="lbfgs", inner_steps=1, lr=1.0))
    spec = SimulationSpec(params=params, prompts=len(P_REF), outputs=args.outputs, p_ref=P_REF, spread=1.5,
                          iterations=args.iterations, mode="expectation", statistics="population", seed=7, **opt)
    return run_simulation(spec)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=2000, help="annealed Adam steps per iteration (default 2000)")
    ap.add_argument("--iterations", type=int, default=4, help="GRPO iterations M (default 4)")
    ap.add_argument("--outputs", type=int, default=6, help="outputs per prompt K (default 6)")
    ap.add_argument("--beta", default="3", help="KL strength (default 3)")
    ap.add_argument("--eps", default="1e-2", help="smoothing eps of norm std (default 1e-2)")
    ap.add_argument("--no-lbfgs", action="store_true", help="skip the L-BFGS column")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    print(f"# python bench/clip_agreement.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    print(f"# tabular policy, N={len(P_REF)} prompts (p_ref {', '.join(P_REF)}), K={args.outputs} outputs, "
          f"beta={args.beta}, eps={args.eps}, M={args.iterations} iterations, expectation mode, population "
          f"statistics, exact KL")
    print(f"# trained: Adam, {args.steps} steps/iteration, lr 0.2 -> 1e-8 (geometric), fresh per iteration; "
          f"prediction: ClippedMap (closed form)")
    head = f"{'eps_low':>7} {'eps_high':>8} {'norm':>4} {'alpha':>5} {'median':>9} {'worst':>9} {'clip effect':>11}"
    head += "" if args.no_lbfgs else f" {'lbfgs worst':>11}"
    print(head)
    print("-" * len(head))
    worst_all, medians = 0.0, []
    for clip, high in CLIPS:
        for norm in NORMS:
            for alpha in ALPHAS:
                gap, effect = _gaps(run(norm, alpha, clip, high, args))
                worst_all = max(worst_all, float(gap.max()))
                medians.append(float(np.median(gap)))
                row = (f"{clip:>7} {high or clip:>8} {norm:>4} {alpha:>5} {np.median(gap):9.2e} {gap.max():9.2e} "
                       f"{effect.max():11.2e}")
                if not args.no_lbfgs:
                    row += f" {_gaps(run(norm, alpha, clip, high, args, 'lbfgs'))[0].max():11.2e}"
                print(row, flush=True)
    print(f"# all runs: worst gap {worst_all:.2e}, largest median {max(medians):.2e}; "
          f"{time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
