r"""Proof script for `table1-row1-contraction` — Table 1, row 1 ((No-clip) GRPO (mean-var)).

Statement as printed (STATEMENTS.md):

    * `table1-row1-contraction`: the iteration converges if $h(p)=\sigma(\operatorname{logit}p_{\mathrm{ref}}+\Omega_\varepsilon(p)/\beta)$ is a contraction, $\sup_p|h'(p)|<1$.

Run ``python proofs/proof_table1_row1_contraction.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "table1-row1-contraction"


def test_table1_row1_contraction():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
