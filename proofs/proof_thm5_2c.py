r"""Proof script for `thm5.2c` — Theorem 5, item 2(c).

Statement as printed (STATEMENTS.md):

    **`thm5.2c`** (Theorem 5, item 2(c)) If $p_{\mathrm{ref}}(q)=0$, then $p_n(q)=0$ for all $n$.

Run ``python proofs/proof_thm5_2c.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm5.2c"


def test_thm5_2c():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
