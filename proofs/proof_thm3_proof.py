r"""Proof script for `thm3-proof` — App. C.1, proof of Thm 3.

Statement as printed (STATEMENTS.md):

    **`thm3-proof`** (App. C.1, proof of Thm 3)
    * "For all $\beta,\varepsilon>0$": $\exp\big(-\frac1\beta\frac{1}{\sqrt{p_{\mathrm{ref}}(1-p_{\mathrm{ref}})+\varepsilon}}\big)<1$.
    * Hence, for every $p$:
      $h_{\varepsilon,p_{\mathrm{ref}}}(p)-p_{\mathrm{ref}}>\frac{1}{1+\frac{1-p_{\mathrm{ref}}}{p_{\mathrm{ref}}}}-p_{\mathrm{ref}}=0$.
    * Applying this at a fixed point gives the theorem.

Run ``python proofs/proof_thm3_proof.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm3-proof"


def test_thm3_proof():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
