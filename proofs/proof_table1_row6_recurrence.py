r"""Proof script for `table1-row6-recurrence` — Table 1, row 6 (Mirror Dr. GRPO + $\pi_{\mathrm{ref}}$ (two-KL, mean)).

Statement as printed (STATEMENTS.md):

    * `table1-row6-recurrence`: $\operatorname{logit}p_n=\alpha\,\operatorname{logit}p_{\mathrm{ref}}+(1-\alpha)\,\operatorname{logit}p_{n-1}+\Delta_R(q)+1/\beta$.

Run ``python proofs/proof_table1_row6_recurrence.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row6-recurrence"


def test_table1_row6_recurrence():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
