r"""Proof script for `takeaway-exploration` — same item.

Statement as printed (STATEMENTS.md):

    **`takeaway-exploration`** (same item)
    Successes therefore need non-zero support, so exploration should be kept up (temperature,
    entropy bonus, data mixing).

Run ``python proofs/proof_takeaway_exploration.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-exploration"


def test_takeaway_exploration():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
