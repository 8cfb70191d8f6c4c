r"""Proof script for `takeaway-coverage` — Takeaways, 'Coverage and exploration'.

Statement as printed (STATEMENTS.md):

    **`takeaway-coverage`** (Takeaways, "Coverage and exploration")
    In every variant, GRPO does not create successes, and 0 is an absorbing fixed point when $p_{\mathrm{ref}}(q)=0$.

Run ``python proofs/proof_takeaway_coverage.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-coverage"


def test_takeaway_coverage():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
