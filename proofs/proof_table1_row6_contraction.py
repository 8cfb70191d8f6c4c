r"""Proof script for `table1-row6-contraction` — Table 1, row 6 (Mirror Dr. GRPO + $\pi_{\mathrm{ref}}$ (two-KL, mean)).

Statement as printed (STATEMENTS.md):

    * `table1-row6-contraction`: a contraction in log-odds with rate $(1-\alpha)$.

Run ``python proofs/proof_table1_row6_contraction.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row6-contraction"


def test_table1_row6_contraction():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
