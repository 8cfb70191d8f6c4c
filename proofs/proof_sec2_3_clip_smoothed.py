r"""Proof script for `sec2.3-clip-smoothed` — §2.3, unnumbered display.

Statement as printed (STATEMENTS.md):

    **`sec2.3-clip-smoothed`** (§2.3, unnumbered display)
    Putting the stabilized advantage into (GRPO-Clip) gives the contrastive problem
    $$\max_\theta\ \mathbb E_{q\sim\rho_{\mathcal Q}}\Big\{\omega^+_\varepsilon(p_{\theta_{old}}(q))\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q)}\min\Big(\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)},1+\epsilon\Big)\mathbb 1_{r(q,o)=1}-\omega^-_\varepsilon(p_{\theta_{old}}(q))\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q)}\max\Big(\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)},1-\epsilon\Big)\mathbb 1_{r(q,o)=0}\Big\}-\beta\,\mathrm{KL}(\pi_\theta\|\pi_{\mathrm{ref}})$$

Run ``python proofs/proof_sec2_3_clip_smoothed.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.3-clip-smoothed"


def test_sec2_3_clip_smoothed():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
