r"""Proof script for `exp-pref0` — App. A Experimental validation (with App. H).

Statement as printed (STATEMENTS.md):

    **`exp-pref0`** Prompts with $p_{\mathrm{ref}}=0$ barely move during GRPO training, which the paper says its theory predicts.

Run ``python proofs/proof_exp_pref0.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "exp-pref0"


def test_exp_pref0():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
