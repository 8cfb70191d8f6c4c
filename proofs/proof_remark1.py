r"""Proof script for `remark1` — §3, Remark 1, 'Importance of $\varepsilon>0$'.

Statement as printed (STATEMENTS.md):

    **`remark1`** (§3, Remark 1, "Importance of $\varepsilon>0$")
    With $\varepsilon=0$, $h_{\varepsilon,p_{\mathrm{ref}}}$ stops being continuous at $0$ and $1$, and
    fixed points in $[0,1]$ can no longer be guaranteed to exist.

Run ``python proofs/proof_remark1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "remark1"


def test_remark1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
