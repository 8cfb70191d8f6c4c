r"""Proof script for `sec2.3-noclip` — §2.3, tags (GRPO) and (GRPO-No-Clip).

Statement as printed (STATEMENTS.md):

    **`sec2.3-noclip`** (§2.3, tags (GRPO) and (GRPO-No-Clip))
    * Letting the clip parameter $\epsilon\to+\infty$ turns (GRPO-Clip) into (GRPO).
    * With the stabilized advantage, (GRPO) is equivalent to the contrastive problem
    $$\text{(GRPO-No-Clip)}\quad\max_\theta\ \mathbb E_{q}\Big\{\omega^+_\varepsilon(p_{\theta_{old}}(q))\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q)}\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)}\mathbb 1_{r(q,o)=1}-\omega^-_\varepsilon(p_{\theta_{old}}(q))\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q)}\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)}\mathbb 1_{r(q,o)=0}\Big\}-\beta\,\mathrm{KL}(\pi_\theta\|\pi_{\mathrm{ref}})$$

Run ``python proofs/proof_sec2_3_noclip.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.3-noclip"


def test_sec2_3_noclip():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
