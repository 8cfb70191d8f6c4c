r"""Proof script for `text-nonunique` — §3, text about Fig. 2.

Statement as printed (STATEMENTS.md):

    **`text-nonunique`** (§3, text about Fig. 2) Fixed points are in general not unique.

Run ``python proofs/proof_text_nonunique.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "text-nonunique"


def test_text_nonunique():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
