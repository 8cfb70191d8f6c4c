r"""Proof script for `takeaway-memory` — same item.

Statement as printed (STATEMENTS.md):

    **`takeaway-memory`** (same item)
    Keeping a reference policy in memory raises bandwidth and latency costs and can slow training of large models.

Run ``python proofs/proof_takeaway_memory.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-memory"


def test_takeaway_memory():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
