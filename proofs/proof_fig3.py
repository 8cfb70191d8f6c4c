r"""Proof script for `fig3` — App. A, Figure 3, file `trajectory_fixed_points.png`.

Statement as printed (STATEMENTS.md):

    **`fig3`** (App. A, Figure 3, file `trajectory_fixed_points.png`)
    * Caption: success-rate trajectories on randomly chosen prompts over GRPO iterations.
    * Plot title: "Succes Rate Trajectory along GRPO iterations for 7 random prompts in test set".
    * y-axis: "Empirical Succes Rate (Evaluated with 50 Samples)".
    * x-axis: Iteration, with checkpoints about every 150 steps from about 150 to about 2550.
    * Legend (prompt indices): i = 830, 320, 241, 1291, 1150, 186, 177.
    * Prompts 186 and 177 stay near 0 throughout.

Run ``python proofs/proof_fig3.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "fig3"


def test_fig3():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
