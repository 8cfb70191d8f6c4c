r"""Proof script for `table1-row3-global` — Table 1, row 3 (Mirror GRPO (mean-var)).

Statement as printed (STATEMENTS.md):

    * `table1-row3-global`: $p=1$ is global.

Run ``python proofs/proof_table1_row3_global.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row3-global"


def test_table1_row3_global():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
