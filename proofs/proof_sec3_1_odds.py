r"""Proof script for `sec3.1-odds` — §3.1, unnumbered display, from Prop. 1 item 3.

Statement as printed (STATEMENTS.md):

    **`sec3.1-odds`** (§3.1, unnumbered display, from Prop. 1 item 3)
    $$\operatorname{logit}(p_n(q))=\operatorname{logit}(p_{\mathrm{ref}}(q))+\frac{\Omega_\varepsilon(p_{n-1}(q))}{\beta}.$$

Run ``python proofs/proof_sec3_1_odds.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec3.1-odds"


def test_sec3_1_odds():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
