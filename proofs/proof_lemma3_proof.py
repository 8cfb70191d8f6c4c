r"""Proof script for `lemma3-proof` — App. E, eqs. (19)–(22) and what follows.

Statement as printed (STATEMENTS.md):

    **`lemma3-proof`** (App. E, eqs. (19)–(22) and what follows)
    * Set $w_S=\int\mathbb 1_{r(q,o)=1}\tilde\pi^{(\alpha)}_{n-1}$ and $w_F=\int\mathbb 1_{r(q,o)=0}\tilde\pi^{(\alpha)}_{n-1}$.
    * Then $\tilde p^{(\alpha)}_{n-1}=\frac{1}{1+w_F/w_S}$ and
      $\frac{w_F}{w_S}=\frac{\int\mathbb 1_{r(q,o)=0}\pi^\alpha_{\mathrm{ref}}\pi^{1-\alpha}_{n-1}}{\int\mathbb 1_{r(q,o)=1}\pi^\alpha_{\mathrm{ref}}\pi^{1-\alpha}_{n-1}}$.
    * Eq. (22):
    $$\frac{w_F}{w_S}=\frac{(1-p_{\mathrm{ref}(q)}^{\alpha})(1-p_{n-1}(q))^{(1-\alpha)}\int p^\alpha_{\mathrm{ref},F}(o|q)p^{1-\alpha}_{n-1,F}(o|q)}{(p_{\mathrm{ref}(q)}^{\alpha})(p_{n-1}(q))^{(1-\alpha)}\int p^\alpha_{\mathrm{ref},S}(o|q)p^{1-\alpha}_{n-1,S}(o|q)}$$
    * Taking logs:
    $$\log\frac{w_F}{w_S}=\log\frac{(1-p_{\mathrm{ref}(q)})^\alpha}{p^\alpha_{\mathrm{ref}}(q)}+\log\Big(\frac{(1-p_{n-1}(q))^{(1-\alpha)}}{p^{1-\alpha}_{n-1}(q)}\Big)+\log\int p^\alpha_{\mathrm{ref},F}(o|q)p^{1-\alpha}_{n-1,F}(o|q)-\int p^\alpha_{\mathrm{ref},S}(o|q)p^{1-\alpha}_{n-1,S}(o|q)$$
    $$=-\alpha\operatorname{logit}(p_{\mathrm{ref}}(q))-(1-\alpha)\operatorname{logit}(p_{n-1}(q))+(\alpha-1)\Big(D_\alpha(p_{\mathrm{ref},F}\|p_{n-1,F})-D_\alpha(p_{\mathrm{ref},S}\|p_{n-1,S})\Big).$$

Run ``python proofs/proof_lemma3_proof.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "lemma3-proof"


def test_lemma3_proof():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
