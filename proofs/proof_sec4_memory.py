r"""Proof script for `sec4-memory` — §4.

Statement as printed (STATEMENTS.md):

    **`sec4-memory`** (§4)
    * Dropping the reference term is convenient in practice, since the reference model need not be kept in memory.
    * It also gives more favourable PoS guarantees than reference-only regularization.

Run ``python proofs/proof_sec4_memory.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec4-memory"


def test_sec4_memory():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
