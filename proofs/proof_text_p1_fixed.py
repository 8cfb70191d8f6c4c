r"""Proof script for `text-p1-fixed` — §3, same sentence.

Statement as printed (STATEMENTS.md):

    **`text-p1-fixed`** (§3, same sentence) $p^*=1$ is "almost always" a fixed point of $h_{\varepsilon,p_{\mathrm{ref}}}$.

Run ``python proofs/proof_text_p1_fixed.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "text-p1-fixed"


def test_text_p1_fixed():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
