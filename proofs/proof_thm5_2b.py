r"""Proof script for `thm5.2b` — Theorem 5, item 2(b).

Statement as printed (STATEMENTS.md):

    **`thm5.2b`** (Theorem 5, item 2(b)) If $p_{\mathrm{ref}}(q)\in(0,1)$, then $p^*=1$ is a (globally) stable fixed point: $\lim_{n\to\infty}p_n(q)=1$.

Run ``python proofs/proof_thm5_2b.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm5.2b"


def test_thm5_2b():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
