r"""Proof script for `table1-row2-stable` — Table 1, row 2 ((No-clip) Dr. GRPO (mean-only)).

Statement as printed (STATEMENTS.md):

    * `table1-row2-stable`: "trivially stable under re-application".

Run ``python proofs/proof_table1_row2_stable.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row2-stable"


def test_table1_row2_stable():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
