r"""Proof script for `prop1.3` — Proposition 1, item 3; eq. (15) in its proof.

Statement as printed (STATEMENTS.md):

    **`prop1.3`** (Proposition 1, item 3; eq. (15) in its proof)
    $$\Omega_\varepsilon(p)=\omega^+_\varepsilon(p)+\omega^-_\varepsilon(p)=(p(1-p)+\varepsilon)^{-\frac12},\qquad h_{\varepsilon,p_{\mathrm{ref}}}(p)=\sigma\Big(\operatorname{logit}(p_{\mathrm{ref}})+\frac{\Omega_\varepsilon(p)}{\beta}\Big),$$
    $$\text{(15)}\quad\operatorname{logit}\big(h_{\varepsilon,p_{\mathrm{ref}}}(p)\big)=\operatorname{logit}(p_{\mathrm{ref}})+\frac1\beta\frac{1}{\sqrt{p(1-p)+\varepsilon}}.$$

Run ``python proofs/proof_prop1_3.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "prop1.3"


def test_prop1_3():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
