r"""Proof script for `abstract-convergence` — abstract.

Statement as printed (STATEMENTS.md):

    **`abstract-convergence`** (abstract)
    The iterates $\{\pi_n\}$ have a PoS that follows a simple recurrence. The recurrence
    **converges to a fixed point**, and that fixed point is determined by the reference PoS and the
    regularization strength. In the abstract this sentence follows the list of variants (mean-only or
    mean+variance; mirror, reference, or both).

Run ``python proofs/proof_abstract_convergence.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "abstract-convergence"


def test_abstract_convergence():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
