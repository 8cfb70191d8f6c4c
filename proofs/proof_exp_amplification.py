r"""Proof script for `exp-amplification` — App. A Experimental validation (with App. H).

Statement as printed (STATEMENTS.md):

    **`exp-amplification`** The success rate averaged over all prompts rises from **21%** for $\pi_{\mathrm{ref}}$ to **37.5%** "at the end of the GRPO epoch".

Run ``python proofs/proof_exp_amplification.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "exp-amplification"


def test_exp_amplification():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
