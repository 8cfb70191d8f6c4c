r"""Proof script for `sec5-mirror` — §5.

Statement as printed (STATEMENTS.md):

    **`sec5-mirror`** (§5)
    * Hyp.: [S-mirror-mean], again via Thm 8 with $\Omega=1$.
    $$\operatorname{logit}(p_n(q))=\operatorname{logit}(p_{n-1}(q))+\frac1\beta,$$
    * $L_n(q)$ is an arithmetic progression: $L_n(q)=L_{\mathrm{ref}}(q)+\frac n\beta$.
    * $p_n(q)\uparrow1$ for non-degenerate $p_{\mathrm{ref}}(q)\in(0,1)$.

Run ``python proofs/proof_sec5_mirror.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec5-mirror"


def test_sec5_mirror():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
