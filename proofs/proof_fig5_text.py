r"""Proof script for `fig5-text` — App. C.2, text about Fig. 5.

Statement as printed (STATEMENTS.md):

    **`fig5-text`** (App. C.2, text about Fig. 5)
    * Fig. 5 shows iteration (8) as a function of $n$ for several $\beta$ and $p_{\mathrm{ref}}$.
    * In most panels there is a sharp transition, followed by fast convergence to 1 or to a fixed point $p^*$.
    * "For $\beta=5$ and $p_{\mathrm{ref}}=0.001$" the behaviour is divergent.

Run ``python proofs/proof_fig5_text.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "fig5-text"


def test_fig5_text():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
