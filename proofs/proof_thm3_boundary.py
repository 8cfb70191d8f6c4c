r"""Proof script for `thm3-boundary` — §3.1, text after Thm 3.

Statement as printed (STATEMENTS.md):

    **`thm3-boundary`** (§3.1, text after Thm 3)
    * If $p_{\mathrm{ref}}(q)=0$ the iteration leads to $p^*(q)=0$. If $p_{\mathrm{ref}}(q)=1$ it leads to $p^*(q)=1$.
    * These fixed points need not be stable; stability requires a condition on $\beta$ (App. C.2).

Run ``python proofs/proof_thm3_boundary.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm3-boundary"


def test_thm3_boundary():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
