r"""Proof script for `thm7` — App. C.2, Theorem 7, inside the proof of Thm 6.

Statement as printed (STATEMENTS.md):

    **`thm7`** (App. C.2, Theorem 7, inside the proof of Thm 6)
    * Hyp.: $f:\mathbb R\to\mathbb R$ is continuously differentiable, $f(x^*)=x^*$, and $|f'(x^*)|<1$.
    * Then there are $r>0$ and $k<1$ with $|f'(x)|\le k$ on $I=[x^*-r,x^*+r]$, so $f$ is a contraction on $I$.
    * For any $x_0\in I$, the iteration $x_{n+1}=f(x_n)$ converges to the unique fixed point $x^*$ in $I$.

Run ``python proofs/proof_thm7.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm7"


def test_thm7():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
