"""The figure of the book chapter ``book/trl.md``: TRL's exact PoS against the theory, side by side.

    python examples/trl/make_book_figure.py          # reads examples/trl/results/*.json
    python examples/trl/make_book_figure.py --run    # first re-runs the four TRL cases (~5 min, [trl] extra)

Each result file is the ``--json`` output of ``grpo-symbolic simulate --backend trl --prompts 8
--iterations 5`` with the matched settings at G = 4, 8, 16 (``--trl-set num_generations=G``) and
with TRL's defaults (``--trl-config examples/trl/grpo_config_defaults.json``).
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
OUT = os.path.join(HERE, "..", "..", "book", "trl_trajectories.svg")
CASES = {"matched_G4": ["--trl-set", "num_generations=4"], "matched_G8": [],
         "matched_G16": ["--trl-set", "num_generations=16"],
         "defaults": ["--trl-config", os.path.join(HERE, "grpo_config_defaults.json")]}


def run_all():
    os.makedirs(RESULTS, exist_ok=True)
    for name, extra in CASES.items():
        subprocess.run([sys.executable, "-m", "grpo_symbolic", "simulate", "--backend", "trl", "--prompts", "8",
                        "--iterations", "5", "--no-progress", *extra, "--json", os.path.join(RESULTS, name + ".json")],
                       check=True, stdout=subprocess.DEVNULL)


def main():
    if "--run" in sys.argv:
        run_all()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from grpo_symbolic.trl.simulate import plot_comparison

    fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True, sharey=True)
    for ax, name in zip(axes.flat, CASES):
        with open(os.path.join(RESULTS, name + ".json"), encoding="utf-8") as f:
            plot_comparison(json.load(f), None, ax=ax)
        ax.set_title(("TRL defaults (beta = 0, lr = 1e-6, mu = 1)" if name == "defaults" else
                      f"matched: beta 0.04, eps 0.2, G = {name.split('G')[1]}, mu 4, lr 0.01"), fontsize=9)
    fig.suptitle("exact PoS per prompt: TRL GRPOTrainer (dashed, markers) vs theory (line; band: p_ref from 64 samples)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(OUT)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
