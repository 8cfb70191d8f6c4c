r"""Proof script for `assumption1` — App. F, Assumption 1.

Statement as printed (STATEMENTS.md):

    **`assumption1`** (App. F, Assumption 1)
    * $\tilde\pi_0=\pi_0=\pi_{\mathrm{ref}}$.
    * For every $n\ge1$ there is $\delta_n\ge0$ with
      $\mathrm{TV}(\tilde\pi_n\|\pi_n)\le\mathrm{TV}(\tilde\pi_{n-1}\|\pi_{n-1})+\delta_n$.
    * There is $\delta^*\in[0,1)$ with $\sum_{i=1}^n\delta_i\to\delta^*$ as $n\to\infty$.

Run ``python proofs/proof_assumption1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "assumption1"


def test_assumption1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
