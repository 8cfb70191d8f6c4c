r"""Proof script for `sec4-proximal` — §4.

Statement as printed (STATEMENTS.md):

    **`sec4-proximal`** (§4)
    * Proximal methods that regularize toward the previous iterate do the job of clipping
      (citing MDPO and the Apple foundation-model report).
    * PPO-style clipping was introduced as an approximation of such proximal mirror descent.

Run ``python proofs/proof_sec4_proximal.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec4-proximal"


def test_sec4_proximal():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
