r"""Proof script for `new-clip-fixed-points` — finding: clipped GRPO, fixed points.

Statement as printed (STATEMENTS.md):

    **`new-clip-fixed-points`** (finding: clipped GRPO, fixed points)
    * With $\epsilon_l,\epsilon_h>0$ the clipped map has exactly the fixed points of the unclipped map,
      with the same slopes (so the same stability).

Run ``python proofs/proof_new_clip_fixed_points.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "new-clip-fixed-points"


def test_new_clip_fixed_points():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
