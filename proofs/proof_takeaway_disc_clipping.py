r"""Proof script for `takeaway-disc-clipping` — §6.

Statement as printed (STATEMENTS.md):

    **`takeaway-disc-clipping`** (§6)
    * Analysing PPO-style clipping is hard.
    * Mirror policy descent has been reported as more stable for RL training of LLMs (Apple report).
    * Hence the variants are classified by their KL anchor: "no-clip" means $\pi_{\mathrm{ref}}$ only,
      "mirror" means $\alpha=0$, and "two-KL" means $\alpha>0$.

Run ``python proofs/proof_takeaway_disc_clipping.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-disc-clipping"


def test_takeaway_disc_clipping():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
