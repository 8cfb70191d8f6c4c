r"""Proof script for `thm10` — App. F, Theorem 10.

Statement as printed (STATEMENTS.md):

    **`thm10`** (App. F, Theorem 10)
    * Hyp.: Assumption 1, and $p_n$ converges to $p^*$, the fixed point of $h_{\varepsilon,p_{\mathrm{ref}}}$.
    * Then $\lim_{n\to\infty}|\tilde p_n-p^*|\le2\delta^*$.
    * If $\delta^*=0$, $\tilde p_n$ converges to the fixed point.

Run ``python proofs/proof_thm10.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm10"


def test_thm10():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
