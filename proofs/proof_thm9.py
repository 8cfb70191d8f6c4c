r"""Proof script for `thm9` — App. E, Theorem 9, eq. (23).

Statement as printed (STATEMENTS.md):

    **`thm9`** (App. E, Theorem 9, eq. (23))
    * Hyp.: [S-two], with $\alpha\in(0,1)$ and $\beta>0$; the iteration (17).
    * Proof: Thm 8 with the geometric-mean anchor, plus Lemma 3.
    $$\operatorname{logit}p_n(q)=\alpha\operatorname{logit}(p_{\mathrm{ref}}(q))+(1-\alpha)\operatorname{logit}(p_{n-1}(q))+\underbrace{(1-\alpha)\Big(D_\alpha(p_{\mathrm{ref},F}\|p_{n-1,F})-D_\alpha(p_{\mathrm{ref},S}\|p_{n-1,S})\Big)}_{\Delta_R\ \text{Rényi Correction}}+\frac{\Omega_\varepsilon(p_{n-1})(q)}{\beta}.$$

Run ``python proofs/proof_thm9.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm9"


def test_thm9():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
