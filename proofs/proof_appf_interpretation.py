r"""Proof script for `appf-interpretation` — App. F.

Statement as printed (STATEMENTS.md):

    **`appf-interpretation`** (App. F)
    * $\delta_n$ stands for statistical, approximation and optimization errors.
    * As long as these stay small, the PoS of the parametric GRPO policy stays close to the fixed-point PoS $p^*$.

Run ``python proofs/proof_appf_interpretation.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "appf-interpretation"


def test_appf_interpretation():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
