r"""Proof script for `takeaway-constant-increments` — Takeaways, same item.

Statement as printed (STATEMENTS.md):

    **`takeaway-constant-increments`** (Takeaways, same item)
    * A fixed $\beta$ with mean-only calibration gives constant increments in the log PoS odds.
    * Mean calibration with $\beta_{\mathrm{eff}}$ as the KL weight gives adaptive increments, equivalent
      to mean+variance normalization, without dividing the advantage by the variance.

Run ``python proofs/proof_takeaway_constant_increments.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-constant-increments"


def test_takeaway_constant_increments():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
