r"""Proof script for `takeaway-mirror-best` — same item.

Statement as printed (STATEMENTS.md):

    **`takeaway-mirror-best`** (same item) Mirror GRPO has the best theoretical and practical guarantees.

Run ``python proofs/proof_takeaway_mirror_best.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-mirror-best"


def test_takeaway_mirror_best():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
