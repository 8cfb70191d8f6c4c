r"""Proof script for `eq14` — App. C, proof of Thm 2, eq. (14).

Statement as printed (STATEMENTS.md):

    **`eq14`** (App. C, proof of Thm 2, eq. (14))
    * The proof also says it is substituting the weights from "(13)".
    $$p_n(q)=\frac{p_{\mathrm{ref}}\exp\Big(\frac1\beta\Big(\frac{1-p_{n-1}(q)}{\sqrt{p_{n-1}(q)(1-p_{n-1}(q))+\varepsilon}}\Big)\Big)}{p_{\mathrm{ref}}\exp\frac1\beta\Big(\frac{1-p_{n-1}(1)}{\sqrt{p_{n-1}(q)(1-p_{n-1}(q))+\varepsilon}}\Big)+(1-p_{\mathrm{ref}})\exp\frac1\beta\Big(-\frac{p_{n-1}(q)}{\sqrt{p_{n-1}(q)(1-p_{n-1}(q))+\varepsilon}}\Big)}$$
    * The proof then defines, for a generic $p$,
    $$h_{\varepsilon,p_{\mathrm{ref}}}(p)=\frac{p_{\mathrm{ref}}\exp\Big(\frac1\beta\Big(\frac{1-p}{\sqrt{p(1-p)+\varepsilon}}\Big)\Big)}{p_{\mathrm{ref}}\exp\frac1\beta\Big(\frac{1-p}{\sqrt{p(1-p)+\varepsilon}}\Big)+(1-p_{\mathrm{ref}})\exp\frac1\beta\Big(-\frac{p}{\sqrt{p(1-p)+\varepsilon}}\Big)},$$
      and simplifies it to the form in `thm2`.

Run ``python proofs/proof_eq14.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "eq14"


def test_eq14():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
