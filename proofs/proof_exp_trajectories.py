r"""Proof script for `exp-trajectories` — App. A Experimental validation (with App. H).

Statement as printed (STATEMENTS.md):

    **`exp-trajectories`**
    * A few test prompts are picked at random. Their success rates (50 samples each) are tracked over training checkpoints.
    * These trajectories look like those of a fixed-point algorithm (cf. Fig. 5).
    * Some converge quickly to $p^*=1$; others oscillate, like the last row of Fig. 5.

Run ``python proofs/proof_exp_trajectories.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "exp-trajectories"


def test_exp_trajectories():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
