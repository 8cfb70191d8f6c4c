r"""Proof script for `thm9-amplification` — App. E, closing argument.

Statement as printed (STATEMENTS.md):

    **`thm9-amplification`** (App. E, closing argument)
    * Hyp.: [S-two], **plus** the assumption that, at every step,
      $D_\alpha(p_{\mathrm{ref},S}\|p_{n-1,S})\le D_\alpha(p_{\mathrm{ref},F}\|p_{n-1,F})$.
      In words: the conditional successes of the reference and the previous policy are closer than the failures.
    * Since $\Omega_\varepsilon>0$:
    $$L_n(q)-L_{\mathrm{ref}}(q)\ge(1-\alpha)(L_{n-1}(q)-L_{\mathrm{ref}}(q))\ge(1-\alpha)^n(L_0-L_{\mathrm{ref}})=0,$$
    * so the PoS is amplified relative to $p_{\mathrm{ref}}$.

Run ``python proofs/proof_thm9_amplification.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm9-amplification"


def test_thm9_amplification():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
