r"""Proof script for `thm3` — §3.1, Theorem 3, 'GRPO amplifies the probability of success'; proof App. C.1.

Statement as printed (STATEMENTS.md):

    **`thm3`** (§3.1, Theorem 3, "GRPO amplifies the probability of success"; proof App. C.1)
    * Hyp.: $q\sim\rho_{\mathcal Q}$ with $0<p_{\mathrm{ref}}(q)<1$ ($\beta,\varepsilon>0$).
    * Claim: every fixed point $p^*(q)$ of $h_{\varepsilon,p_{\mathrm{ref}}(q)}$ satisfies $p^*(q)>p_{\mathrm{ref}}(q)$.

Run ``python proofs/proof_thm3.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm3"


def test_thm3():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
