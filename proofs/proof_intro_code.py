r"""Proof script for `intro-code` — §1.

Statement as printed (STATEMENTS.md):

    **`intro-code`** (§1) The paper states that code is provided in supplementary material.

Run ``python proofs/proof_intro_code.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "intro-code"


def test_intro_code():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
