r"""Proof script for `exp-eval` — App. A Experimental validation (with App. H).

Statement as printed (STATEMENTS.md):

    **`exp-eval`** Evaluation uses the GSM8K test set of 1319 questions. Each question's success rate is estimated from 50 samples.

Run ``python proofs/proof_exp_eval.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "exp-eval"


def test_exp_eval():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
