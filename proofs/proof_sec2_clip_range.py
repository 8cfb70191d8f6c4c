r"""Proof script for `sec2-clip-range` — §2, after (GRPO-Clip).

Statement as printed (STATEMENTS.md):

    **`sec2-clip-range`** (§2, after (GRPO-Clip)) The paper describes the clipping in (GRPO-Clip) as keeping
    the likelihood ratio $\pi_\theta/\pi_{\theta_{old}}$ within $[1-\epsilon,1+\epsilon]$.

Run ``python proofs/proof_sec2_clip_range.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2-clip-range"


def test_sec2_clip_range():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
