r"""Proof script for `sec2.2-clip-indicator` — §2.2, second display, in colour.

Statement as printed (STATEMENTS.md):

    **`sec2.2-clip-indicator`** (§2.2, second display, in colour)
    * Hyp.: as for `sec2.2-clip-conditional`, with $p(q)=p_{\theta_{old}}(q)$.
    * The paper presents this as the full GRPO-Clip objective, obtained by averaging over $q$.
    $$\mathbb E_{q\sim\rho_{\mathcal Q}}\sqrt{\frac{1-p_{\theta_{old}}(q)}{p_{\theta_{old}}(q)}}\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q)}\min\Big(\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)},1+\epsilon\Big)\mathbb 1_{r(q,o)=1}-\mathbb E_{q\sim\rho_{\mathcal Q}}\sqrt{\frac{p_{\theta_{old}}(q)}{(1-p_{\theta_{old}}(q))}}\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q)}\max\Big(\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)},1-\epsilon\Big)\mathbb 1_{r(q,o)=0}-\beta\,\mathsf{KL}(\pi_\theta\|\pi_{\mathrm{ref}})$$

Run ``python proofs/proof_sec2_2_clip_indicator.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.2-clip-indicator"


def test_sec2_2_clip_indicator():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
