r"""Proof script for `takeaway-mirror-monotone` — Takeaways, 'Mirror versus Clipping and Reference Mixing'.

Statement as printed (STATEMENTS.md):

    **`takeaway-mirror-monotone`** (Takeaways, "Mirror versus Clipping and Reference Mixing")
    Mirror GRPO (KL to the previous iterate only), used instead of clipped GRPO, guarantees monotonic
    improvement and convergence to PoS 1 for non-degenerate $p_{\mathrm{ref}}$.

Run ``python proofs/proof_takeaway_mirror_monotone.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "takeaway-mirror-monotone"


def test_takeaway_mirror_monotone():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
