r"""Proof script for `sec5-ref` — §5.

Statement as printed (STATEMENTS.md):

    **`sec5-ref`** (§5)
    * Hyp.: [S-ref-mean] (no clipping, KL to $\pi_{\mathrm{ref}}$, weights of eq. (13)).
    * The paper says this follows from Thm 8 with $\Omega(p)=1$.
    $$\operatorname{logit}(p_n(q))=\operatorname{logit}(p_{\mathrm{ref}}(q))+\frac1\beta,$$
    * "Trivial constant fixed point": $p^*(q)=\sigma(\operatorname{logit}p_{\mathrm{ref}}(q)+\frac1\beta)$.

Run ``python proofs/proof_sec5_ref.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec5-ref"


def test_sec5_ref():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
