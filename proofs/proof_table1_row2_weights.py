r"""Proof script for `table1-row2-weights` — Table 1, row 2 ((No-clip) Dr. GRPO (mean-only)).

Statement as printed (STATEMENTS.md):

    * `table1-row2-weights`: $w^+=1-p_{n-1}$, $w^-=p_{n-1}$, $\Omega=1$.

Run ``python proofs/proof_table1_row2_weights.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row2-weights"


def test_table1_row2_weights():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
