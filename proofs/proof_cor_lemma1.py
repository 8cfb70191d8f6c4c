r"""Proof script for `cor-lemma1` — App. C.2, unnumbered text after Lemma 1.

Statement as printed (STATEMENTS.md):

    **`cor-lemma1`** (App. C.2, unnumbered text after Lemma 1)
    * Local convergence needs $|h'_{\varepsilon,p_{\mathrm{ref}}}(p^*)|=p^*(1-p^*)\frac{|2p^*-1|}{2\beta[p^*(1-p^*)+\varepsilon]^{3/2}}<1$.
    * This holds if
    $$\beta>\mathcal B(p^*)=p^*(1-p^*)\frac{|2p^*-1|}{2[p^*(1-p^*)+\varepsilon]^{3/2}}.$$
    * Fig. 4 plots this lower bound on $\beta$.

Run ``python proofs/proof_cor_lemma1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "cor-lemma1"


def test_cor_lemma1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
