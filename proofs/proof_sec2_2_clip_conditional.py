r"""Proof script for `sec2.2-clip-conditional` — §2.2, first unnumbered display.

Statement as printed (STATEMENTS.md):

    **`sec2.2-clip-conditional`** (§2.2, first unnumbered display)
    * Hyp.: $0<p(q)<1$, advantage (3), clip $\epsilon\in[0,1]$, a fixed $q$.
    * The event $r(q,o)=1$ (resp. $=0$) sits in the subscript of the expectation. This display is catalogued
      as the conditional-expectation form; the indicator form is `sec2.2-clip-indicator`.
    $$\mathbb E_{o\sim\pi_{\theta_{old}}(.|q)}f_\epsilon\Big(\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)},A_{\pi_{\theta_{old}}}(q,o)\Big)=\sqrt{\frac{1-p(q)}{p(q)}}\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q),\,r(q,o)=1}\min\Big(\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)},1+\epsilon\Big)-\sqrt{\frac{p(q)}{1-p(q)}}\,\mathbb E_{o\sim\pi_{\theta_{old}}(.|q),\,r(q,o)=0}\max\Big(\frac{\pi_\theta(o|q)}{\pi_{\theta_{old}}(o|q)},1-\epsilon\Big)$$

Run ``python proofs/proof_sec2_2_clip_conditional.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.2-clip-conditional"


def test_sec2_2_clip_conditional():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
