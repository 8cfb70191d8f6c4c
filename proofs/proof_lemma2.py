r"""Proof script for `lemma2` — App. E, Lemma 2, 'Geometric Mean'; proof by citation, Aminian et al. 2025.

Statement as printed (STATEMENTS.md):

    **`lemma2`** (App. E, Lemma 2, "Geometric Mean"; proof by citation, Aminian et al. 2025)
    * Hyp.: any distributions $\pi,\pi_{\mathrm{ref}},\pi^\circ$, and $\alpha>0$.
    $$\alpha\,\mathsf{KL}(\pi\|\pi_{\mathrm{ref}})+(1-\alpha)\,\mathsf{KL}(\pi\|\pi^\circ)=\mathsf{KL}(\pi\|\bar\pi^{(\alpha)})+C(\pi_{\mathrm{ref}},\pi^\circ),\qquad\bar\pi^{(\alpha)}\propto\pi_{\mathrm{ref}}^{\alpha}\pi^{\circ(1-\alpha)},$$
    * $C$ is constant in $\pi$.

Run ``python proofs/proof_lemma2.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "lemma2"


def test_lemma2():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
