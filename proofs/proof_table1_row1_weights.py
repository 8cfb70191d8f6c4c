r"""Proof script for `table1-row1-weights` — Table 1, row 1 ((No-clip) GRPO (mean-var)).

Statement as printed (STATEMENTS.md):

    * `table1-row1-weights`: $w^+=(1-p_{n-1})\,\Omega_\varepsilon(p_{n-1})$, $w^-=p_{n-1}\,\Omega_\varepsilon(p_{n-1})$, $\Omega_\varepsilon(p)=(p(1-p)+\varepsilon)^{-\frac12}$.

Run ``python proofs/proof_table1_row1_weights.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row1-weights"


def test_table1_row1_weights():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
