r"""Proof script for `abstract-contrastive` — abstract; contribution (1), §1.

Statement as printed (STATEMENTS.md):

    **`abstract-contrastive`** (abstract; contribution (1), §1)
    * Calibrating the binary reward by its mean and variance turns GRPO into a contrastive loss.
      The contrastive samples are synthetic data drawn from the previous policy.
    * Contribution (1) restates this: GRPO with calibrated verifiable rewards is equivalent to an
      *adaptive, weighted* contrastive loss on samples from the previous policy (§2).

Run ``python proofs/proof_abstract_contrastive.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "abstract-contrastive"


def test_abstract_contrastive():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
