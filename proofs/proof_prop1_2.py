r"""Proof script for `prop1.2` — Proposition 1, item 2 'Monotonicity'.

Statement as printed (STATEMENTS.md):

    **`prop1.2`** (Proposition 1, item 2 "Monotonicity")
    $$h'_{\varepsilon,p_{\mathrm{ref}}}(p)=-h_{\varepsilon,p_{\mathrm{ref}}}(p)\,(1-h_{\varepsilon,p_{\mathrm{ref}}}(p))\,\frac{1-2p}{2\beta\,[p(1-p)+\varepsilon]^{3/2}}$$
    * If $p<\frac12$, then $h'<0$ and $h$ is decreasing.
    * If $p>\frac12$, then $h'>0$ and $h$ is increasing.
    * If $p=\frac12$, then $h'=0$ and $p=\frac12$ "achieves its minimum".
    * Proof route: $h=\sigma(z(p))$ with $z(p)=-\log A+B(p)$, $A=\frac{1-p_{\mathrm{ref}}}{p_{\mathrm{ref}}}$, $B(p)=\frac1\beta\frac{1}{\sqrt{p(1-p)+\varepsilon}}$,
      and $z'(p)=B'(p)=-\frac{1-2p}{2\beta[p(1-p)+\varepsilon]^{3/2}}$.

Run ``python proofs/proof_prop1_2.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "prop1.2"


def test_prop1_2():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
