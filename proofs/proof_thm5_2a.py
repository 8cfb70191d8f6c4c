r"""Proof script for `thm5.2a` — Theorem 5, item 2(a).

Statement as printed (STATEMENTS.md):

    **`thm5.2a`** (Theorem 5, item 2(a)) If $p_{\mathrm{ref}}(q)\in(0,1)$, then $(p_n(q))_n$ is strictly increasing and bounded by 1, so $p_n\uparrow1$.

Run ``python proofs/proof_thm5_2a.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm5.2a"


def test_thm5_2a():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
