r"""Proof script for `table1-row5-nonmonotone` — Table 1, row 5 (Mirror GRPO + $\pi_{\mathrm{ref}}$ (two-KL, mean+var)).

Statement as printed (STATEMENTS.md):

    * `table1-row5-nonmonotone`: per-step monotonicity is not guaranteed.

Run ``python proofs/proof_table1_row5_nonmonotone.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row5-nonmonotone"


def test_table1_row5_nonmonotone():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
