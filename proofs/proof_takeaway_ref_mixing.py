r"""Proof script for `takeaway-ref-mixing` — same item.

Statement as printed (STATEMENTS.md):

    **`takeaway-ref-mixing`** (same item)
    Adding the reference regularization to the mirror update produces an internal fixed point, and
    monotonic improvement is no longer guaranteed.

Run ``python proofs/proof_takeaway_ref_mixing.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-ref-mixing"


def test_takeaway_ref_mixing():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
