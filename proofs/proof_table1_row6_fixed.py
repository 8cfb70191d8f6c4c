r"""Proof script for `table1-row6-fixed` — Table 1, row 6 (Mirror Dr. GRPO + $\pi_{\mathrm{ref}}$ (two-KL, mean)).

Statement as printed (STATEMENTS.md):

    * `table1-row6-fixed`: $\operatorname{logit}p^\star=\operatorname{logit}p_{\mathrm{ref}}+\dfrac{\Delta_R^\star}{\alpha}+\dfrac{1}{\alpha\beta}$, the unique fixed point.

Run ``python proofs/proof_table1_row6_fixed.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row6-fixed"


def test_table1_row6_fixed():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
