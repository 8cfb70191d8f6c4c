r"""Proof script for `new-clip-mirror-rate` — finding: clipped mirror GRPO near $p=1$.

Statement as printed (STATEMENTS.md):

    **`new-clip-mirror-rate`** (finding: clipped mirror GRPO near $p=1$)
    * For mirror GRPO ($\alpha=0$) with clipping, near $p=1$ the failure mass shrinks by the factor
      $1-\epsilon_l$ per step when $e^{-\Omega(1)/\beta}<1-\epsilon_l$ (mean-only, $\beta=0.5$, $\epsilon_l=0.2$:
      exactly $0.8$), instead of the unclipped $e^{-\Omega(1)/\beta}$: linear convergence at rate $1-\epsilon_l$.

Run ``python proofs/proof_new_clip_mirror_rate.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "new-clip-mirror-rate"


def test_new_clip_mirror_rate():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
