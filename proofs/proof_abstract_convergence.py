"""Proof script for `abstract-convergence` — abstract.

Statement as printed (STATEMENTS.md):

    **`abstract-convergence`** (abstract)
    The iterates $\\{\\pi_n\\}$ have a PoS that follows a simple recurrence. The recurrence

Run ``python proofs/proof_abstract_convergence.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be decided and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "abstract-convergence"


def test_abstract_convergence():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
