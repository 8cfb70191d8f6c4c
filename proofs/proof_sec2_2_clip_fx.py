r"""Proof script for `sec2.2-clip-fx` — §2.2, the sentence justifying the display above.

Statement as printed (STATEMENTS.md):

    **`sec2.2-clip-fx`** (§2.2, the sentence justifying the display above)
    * For $x>0$ and $y>0$: $f_\epsilon(x,y)=x\min(y,1+\epsilon)$.
    * For $x>0,\ y<0$: $f_\epsilon(x,y)=x\max(y,1-\epsilon)$.

Run ``python proofs/proof_sec2_2_clip_fx.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.2-clip-fx"


def test_sec2_2_clip_fx():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
