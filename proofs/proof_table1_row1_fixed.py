r"""Proof script for `table1-row1-fixed` — Table 1, row 1 ((No-clip) GRPO (mean-var)).

Statement as printed (STATEMENTS.md):

    * `table1-row1-fixed`: $p^\star=\sigma\big(\operatorname{logit}p_{\mathrm{ref}}+\Omega_\varepsilon(p^\star)/\beta\big)$ (implicit).

Run ``python proofs/proof_table1_row1_fixed.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row1-fixed"


def test_table1_row1_fixed():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
