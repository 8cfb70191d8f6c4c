r"""Proof script for `table1-row3-no-interior` — Table 1, row 3 (Mirror GRPO (mean-var)).

Statement as printed (STATEMENTS.md):

    * `table1-row3-no-interior`: no interior fixed point.

Run ``python proofs/proof_table1_row3_no_interior.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row3-no-interior"


def test_table1_row3_no_interior():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
