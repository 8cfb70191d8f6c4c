r"""Proof script for `eq3` — §2.1, eq. (3).

Statement as printed (STATEMENTS.md):

    **`eq3`** (§2.1, eq. (3))
    * Hyp.: $0<p(q)<1$ and the unsmoothed advantage (1).
    $$A_{\pi_{\theta_{old}}}(q,o)=\begin{cases}\frac{1-p(q)}{\sqrt{p(q)(1-p(q))}}&r(q,o)=1\\-\frac{p(q)}{\sqrt{p(q)(1-p(q))}}&r(q,o)=0\end{cases}\quad\text{i.e.}\quad A_{\pi_{\theta_{old}}}(q,o)=\begin{cases}\sqrt{\frac{1-p(q)}{p(q)}}&r(q,o)=1\\-\sqrt{\frac{p(q)}{1-p(q)}}&r(q,o)=0\end{cases}$$

Run ``python proofs/proof_eq3.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "eq3"


def test_eq3():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
