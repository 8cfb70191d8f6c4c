r"""Proof script for `table1-row2-fixed` — Table 1, row 2 ((No-clip) Dr. GRPO (mean-only)).

Statement as printed (STATEMENTS.md):

    * `table1-row2-fixed`: $p^\star=\sigma(\operatorname{logit}p_{\mathrm{ref}}+1/\beta)$, reached in one step.

Run ``python proofs/proof_table1_row2_fixed.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row2-fixed"


def test_table1_row2_fixed():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
