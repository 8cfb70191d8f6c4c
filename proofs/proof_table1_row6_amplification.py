r"""Proof script for `table1-row6-amplification` — Table 1, row 6 (Mirror Dr. GRPO + $\pi_{\mathrm{ref}}$ (two-KL, mean)).

Statement as printed (STATEMENTS.md):

    * `table1-row6-amplification`: $p^\star>p_{\mathrm{ref}}$ if $\Delta_R^\star+1/\beta>0$.

Run ``python proofs/proof_table1_row6_amplification.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row6-amplification"


def test_table1_row6_amplification():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
