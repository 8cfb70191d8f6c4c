r"""Proof script for `thm8.1` — App. D, Theorem 8 item 1; the proof says it is the same as for Thm 1.

Statement as printed (STATEMENTS.md):

    **`thm8.1`** (App. D, Theorem 8 item 1; the proof says it is the same as for Thm 1)
    $$\pi^*(o|q)=\frac{\pi_\circ(o|q)\exp A_\nu(q,o)}{p_{\pi_\circ}(q)\exp(\omega^+(p_\nu(q)))+(1-p_{\pi_\circ}(q))\exp(-\omega^-(p_\nu(q)))}$$

Run ``python proofs/proof_thm8_1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm8.1"


def test_thm8_1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
