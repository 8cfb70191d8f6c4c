r"""Proof script for `intro-contrib3` — §1, contribution (3).

Statement as printed (STATEMENTS.md):

    **`intro-contrib3`** (§1, contribution (3))
    * The PoS sequence $(p_n)$ satisfies a recursion that admits a fixed point $p^*$.
    * Under mild assumptions, $p_n\to p^*$ with $p^*\ge p_{\mathrm{ref}}$ ("success amplification").
    * Whether $(p_n)$ is monotone step by step depends on the variant.
    * The PoS dynamics are checked empirically in App. A.

Run ``python proofs/proof_intro_contrib3.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "intro-contrib3"


def test_intro_contrib3():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
