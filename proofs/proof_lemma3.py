r"""Proof script for `lemma3` — App. E, Lemma 3, 'PoS geometric mean'.

Statement as printed (STATEMENTS.md):

    **`lemma3`** (App. E, Lemma 3, "PoS geometric mean")
    $$\operatorname{logit}\tilde p^{(\alpha)}_{n-1}=\alpha\operatorname{logit}(p_{\mathrm{ref}}(q))+(1-\alpha)\operatorname{logit}(p_{n-1}(q))+(\alpha-1)\Big(D_\alpha(p_{\mathrm{ref},S}\|p_{n-1,S})-D_\alpha(p_{\mathrm{ref},F}\|p_{n-1,F})\Big)$$

Run ``python proofs/proof_lemma3.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "lemma3"


def test_lemma3():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
