r"""Proof script for `sec4-dapo` — §4.

Statement as printed (STATEMENTS.md):

    **`sec4-dapo`** (§4)
    * Several recent works, DAPO among them, recommend $\alpha=0$: they drop the reference
      regularization and keep the clipping.

Run ``python proofs/proof_sec4_dapo.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec4-dapo"


def test_sec4_dapo():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
