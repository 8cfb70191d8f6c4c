r"""Proof script for `thm2` — §3, Theorem 2, eq. (8); proof App. C.

Statement as printed (STATEMENTS.md):

    **`thm2`** (§3, Theorem 2, eq. (8); proof App. C)
    * Hyp.: the statement assumes $p_{\mathrm{ref}}>0$ and $\beta>0$; the proof writes "we assume here that $0<p_{\mathrm{ref}}<1$". [S-ref].
    * Define
    $$h_{\varepsilon,p_{\mathrm{ref}}}(p)=\frac{1}{1+\frac{1-p_{\mathrm{ref}}}{p_{\mathrm{ref}}}\exp\Big(-\frac1\beta\frac{1}{\sqrt{p(1-p)+\varepsilon}}\Big)}.$$
    * Then, almost surely for all $q$ and all $n\ge1$, $p_n(q)=h_{\varepsilon,p_{\mathrm{ref}}(q)}(p_{n-1}(q))$, with $p_0(q)=p_{\mathrm{ref}}(q)$.

Run ``python proofs/proof_thm2.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm2"


def test_thm2():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
