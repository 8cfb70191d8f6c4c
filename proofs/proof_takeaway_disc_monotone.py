r"""Proof script for `takeaway-disc-monotone` — §6.

Statement as printed (STATEMENTS.md):

    **`takeaway-disc-monotone`** (§6)
    * With $\alpha=0$ the PoS improves monotonically.
    * Mixing the reference and the previous iterate does not guarantee monotonic improvement.
    * The mixed iteration depends on the success/failure mismatch, measured by the Rényi correction (App. E).

Run ``python proofs/proof_takeaway_disc_monotone.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-disc-monotone"


def test_takeaway_disc_monotone():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
