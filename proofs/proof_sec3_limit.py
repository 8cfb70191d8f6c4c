r"""Proof script for `sec3-limit` — §3, text after Prop. 1.

Statement as printed (STATEMENTS.md):

    **`sec3-limit`** (§3, text after Prop. 1)
    * If $(p_n)$ converges, continuity of $h$ makes its limit a fixed point: $p_\infty=h_{\varepsilon,p_{\mathrm{ref}}}(p_\infty)=p^*$.
    * $p^*$ depends on $q$ only through $p_{\mathrm{ref}}(q)$.

Run ``python proofs/proof_sec3_limit.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec3-limit"


def test_sec3_limit():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
