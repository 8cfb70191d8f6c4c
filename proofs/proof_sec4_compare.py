r"""Proof script for `sec4-compare` — §4, text after Thm 5.

Statement as printed (STATEMENTS.md):

    **`sec4-compare`** (§4, text after Thm 5)
    * For $p_{\mathrm{ref}}(q)\neq0$, the mirror-GRPO PoS converges to 1, which is a stable fixed point.
    * Reference-only GRPO may instead have an interior fixed point $p^*(q)>p_{\mathrm{ref}}(q)$.
    * With $p_{\mathrm{ref}}(q)=0$, neither variant creates successes, and the fixed point stays at 0.

Run ``python proofs/proof_sec4_compare.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec4-compare"


def test_sec4_compare():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
