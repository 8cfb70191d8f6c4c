r"""Proof script for `lemma1` — App. C.2, Lemma 1.

Statement as printed (STATEMENTS.md):

    **`lemma1`** (App. C.2, Lemma 1) For a fixed point $p^*=h_{\varepsilon,p_{\mathrm{ref}}}(p^*)$:
    $$h'_{\varepsilon,p_{\mathrm{ref}}}(p^*)=-h_{\varepsilon,p_{\mathrm{ref}}}(p^*)(1-h_{\varepsilon,p_{\mathrm{ref}}}(p^*))\frac{1-2p^*}{2\beta\,[p^*(1-p^*)+\varepsilon]^{3/2}}=p^*(1-p^*)\frac{2p^*-1}{2\beta\,[p^*(1-p^*)+\varepsilon]^{3/2}}.$$

Run ``python proofs/proof_lemma1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "lemma1"


def test_lemma1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
