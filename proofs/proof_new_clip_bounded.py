r"""Proof script for `new-clip-bounded` — finding: clipped GRPO, the paper's divergent case.

Statement as printed (STATEMENTS.md):

    **`new-clip-bounded`** (finding: clipped GRPO, the paper's divergent case)
    * At $\beta=5$, $p_{\mathrm{ref}}=10^{-3}$, $\varepsilon=10^{-5}$ (mean+variance, KL to $\pi_{\mathrm{ref}}$), where the
      unclipped orbit is an attracting 2-cycle, clipping with $\epsilon=0.2$ confines the orbit to a
      small interval around the unstable interior fixed point $p^*\approx0.0086$: no large oscillation.

Run ``python proofs/proof_new_clip_bounded.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "new-clip-bounded"


def test_new_clip_bounded():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
