r"""Proof script for `table1-row5-fixed` — Table 1, row 5 (Mirror GRPO + $\pi_{\mathrm{ref}}$ (two-KL, mean+var)).

Statement as printed (STATEMENTS.md):

    * `table1-row5-fixed`: $\operatorname{logit}p^\star=\operatorname{logit}p_{\mathrm{ref}}+\dfrac{\Delta_R^\star}{\alpha}+\dfrac{\Omega_\varepsilon(p^*)}{\alpha\beta}$ (if finite).

Run ``python proofs/proof_table1_row5_fixed.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row5-fixed"


def test_table1_row5_fixed():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
