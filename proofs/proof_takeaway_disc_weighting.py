r"""Proof script for `takeaway-disc-weighting` — §6.

Statement as printed (STATEMENTS.md):

    **`takeaway-disc-weighting`** (§6)
    * The normalization determines the weighting scheme.
    * Under GRPO (mean+variance) the weights are non-linear in the PoS.
    * Under Dr. GRPO (mean-only) they are linear in the PoS.

Run ``python proofs/proof_takeaway_disc_weighting.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-disc-weighting"


def test_takeaway_disc_weighting():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
