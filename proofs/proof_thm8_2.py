r"""Proof script for `thm8.2` — Theorem 8, item 2.

Statement as printed (STATEMENTS.md):

    **`thm8.2`** (Theorem 8, item 2)
    * Let $\pi^\circ_{n-1}(\cdot|q)$, $n\ge1$, be anchors with PoS $p^\circ_{n-1}(q)$, and set $\pi_n(q)=\mathcal P(\pi_{n-1}(q),\pi^\circ_{n-1}(q))$. Then
    $$\operatorname{logit}(p_n(q))=\operatorname{logit}\big(p^\circ_{n-1}(q)\big)+\Omega(p_{n-1}(q)),\qquad p_n(q)=\sigma\big(\operatorname{logit}(p^\circ_{n-1}(q))+\Omega(p_{n-1}(q))\big).$$
    * The proof computes
      $p_*(q)=\frac{p_{\pi_\circ}(q)\exp(w^+(p_\nu(q)))}{p_{\pi_\circ}(q)\exp(\omega^+(p_\nu(q)))+(1-p_{\pi_\circ}(q))\exp(-\omega^-(p_\nu(q)))}=\mathrm{sigmoid}(\operatorname{logit}(p_{\pi_\circ}(q))+\Omega(p_\nu(q)))$.
    * §5 and Thm 4 use this theorem (with $\Omega=1$ and with anchors $\pi_{n-1}$, respectively).

Run ``python proofs/proof_thm8_2.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm8.2"


def test_thm8_2():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
