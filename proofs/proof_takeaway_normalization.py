r"""Proof script for `takeaway-normalization` — Takeaways, 'Normalization equivalence'.

Statement as printed (STATEMENTS.md):

    **`takeaway-normalization`** (Takeaways, "Normalization equivalence")
    * From the PoS point of view, mean+variance normalization is equivalent to mean-only normalization
      with an adaptive KL weight $\beta_{\mathrm{eff}}=\beta\sigma(q)$.
    * Here $\sigma(q)$ is the reward standard deviation, not the sigmoid.

Run ``python proofs/proof_takeaway_normalization.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-normalization"


def test_takeaway_normalization():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
