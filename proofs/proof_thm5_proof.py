r"""Proof script for `thm5-proof` — App. D, proof of Thm 5.

Statement as printed (STATEMENTS.md):

    **`thm5-proof`** (App. D, proof of Thm 5)
    * $h_{\varepsilon,\beta}(0)=\mathrm{sigmoid}\big(\operatorname{logit}(0)+\frac{1}{\beta\sqrt\varepsilon}\big)=\mathrm{sigmoid}(-\infty)=0$.
    * $h_{\varepsilon,\beta}(1)=\mathrm{sigmoid}\big(\operatorname{logit}(1)+\frac{1}{\beta\sqrt\varepsilon}\big)=\mathrm{sigmoid}(+\infty)=1$.
    * If $p_0=p_{\mathrm{ref}}\in(0,1)$, then $p_n\uparrow\bar p\le1$ and the limit is $\bar p=1$.
    * "The fixed point is unique and stable if $p_{\mathrm{ref}}\in(0,1)$."
    * If $p_{\mathrm{ref}}=0$, then $p_1=h_{\varepsilon,\beta}(0)=0$ and so on: zero is an absorbing fixed point.

Run ``python proofs/proof_thm5_proof.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm5-proof"


def test_thm5_proof():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
