r"""Proof script for `remark2` — App. C.2, Remark 2.

Statement as printed (STATEMENTS.md):

    **`remark2`** (App. C.2, Remark 2) The conditions on $\beta$ hold per prompt $q$. For a bound uniform in $q$, take the supremum over $q$ of every lower bound.

Run ``python proofs/proof_remark2.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "remark2"


def test_remark2():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
