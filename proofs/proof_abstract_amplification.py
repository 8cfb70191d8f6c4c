r"""Proof script for `abstract-amplification` — abstract.

Statement as printed (STATEMENTS.md):

    **`abstract-amplification`** (abstract)
    The fixed point is larger than the reference PoS, so GRPO amplifies the probability of success.

Run ``python proofs/proof_abstract_amplification.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "abstract-amplification"


def test_abstract_amplification():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
