r"""Proof script for `prop1.1` — §3, Proposition 1, item 1; proof App. C.

Statement as printed (STATEMENTS.md):

    **`prop1.1`** (§3, Proposition 1, item 1; proof App. C)
    * $h_{\varepsilon,p_{\mathrm{ref}}}$ is continuous from $[0,1]$ to $[0,1]$ (the proof adds "for $\varepsilon>0$").
    * So it has at least one fixed point $p^*\in[0,1]$. The proof cites Brouwer's theorem.
    * Uniqueness is explicitly not guaranteed.

Run ``python proofs/proof_prop1_1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "prop1.1"


def test_prop1_1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
