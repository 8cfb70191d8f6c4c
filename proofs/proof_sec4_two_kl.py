r"""Proof script for `sec4-two-kl` — §4, closing paragraph.

Statement as printed (STATEMENTS.md):

    **`sec4-two-kl`** (§4, closing paragraph)
    For $\alpha$ strictly between 0 and 1:
    * monotonic improvement is lost;
    * the PoS iteration picks up a "Rényi correction" that encodes how the reference and the
      previous iterate differ on successes and on failures;
    * there is again an interior fixed point in $(0,1)$;
    * global stability is not guaranteed as it is for mirror GRPO.

Run ``python proofs/proof_sec4_two_kl.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec4-two-kl"


def test_sec4_two_kl():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
