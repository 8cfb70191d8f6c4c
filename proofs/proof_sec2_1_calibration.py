r"""Proof script for `sec2.1-calibration` — §2.1, 'Calibrated reward behavior'.

Statement as printed (STATEMENTS.md):

    **`sec2.1-calibration`** (§2.1, "Calibrated reward behavior")
    * For a correct output the calibrated reward is positive and decreasing in $p(q)$: rare
      successes earn more credit.
    * For an incorrect output it is negative, and its absolute value increases with $p(q)$:
      failures cost more when success is likely.

Run ``python proofs/proof_sec2_1_calibration.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.1-calibration"


def test_sec2_1_calibration():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
