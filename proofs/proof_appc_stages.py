r"""Proof script for `appc-stages` — App. C.2, 'Practical Implications'.

Statement as printed (STATEMENTS.md):

    **`appc-stages`** (App. C.2, "Practical Implications")
    * In practice GRPO runs in stages, and each stage resets $\pi_{\mathrm{ref}}$ to the last iterate of the previous stage.
    * By the theory, each stage then amplifies the PoS relative to its new $\pi_{\mathrm{ref}}$.

Run ``python proofs/proof_appc_stages.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "appc-stages"


def test_appc_stages():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
