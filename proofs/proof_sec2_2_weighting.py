r"""Proof script for `sec2.2-weighting` — §2.2, text after the display.

Statement as printed (STATEMENTS.md):

    **`sec2.2-weighting`** (§2.2, text after the display)
    * GRPO is in effect a contrastive loss whose weights depend on the PoS of $\pi_{\theta_{old}}(.|q)$.
    * If $p>0.5$, successes get a low weight and failures a high weight, so failures are penalized more.
    * If $p<0.5$, successes get a high weight, and failures are still penalized but with a small weight.

Run ``python proofs/proof_sec2_2_weighting.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.2-weighting"


def test_sec2_2_weighting():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
