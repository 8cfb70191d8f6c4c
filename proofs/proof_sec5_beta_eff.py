r"""Proof script for `sec5-beta-eff` — §5.

Statement as printed (STATEMENTS.md):

    **`sec5-beta-eff`** (§5)
    * Variance normalization can be viewed as mean-only normalization with an adaptive
      $\beta_{\mathrm{eff}}=\beta\sqrt{\sigma^2_{n-1}(q)+\varepsilon}$.
    * Low variance gives large logit increments; high variance gives small ones.

Run ``python proofs/proof_sec5_beta_eff.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec5-beta-eff"


def test_sec5_beta_eff():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
