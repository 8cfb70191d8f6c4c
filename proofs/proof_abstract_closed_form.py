r"""Proof script for `abstract-closed-form` — abstract; contribution (2).

Statement as printed (STATEMENTS.md):

    **`abstract-closed-form`** (abstract; contribution (2))
    * Variants covered: mean-only or mean+variance normalization, with KL to the previous model
      (mirror), to a fixed $\pi_{\mathrm{ref}}$, or to both.
    * For each variant the optimal $\pi_n$ has an explicit form. It depends on the binary reward,
      on the first- and second-order reward statistics under $\pi_{n-1}$, and on $\pi_{n-1}$ and $\pi_{\mathrm{ref}}$.
    * Contribution (2): a closed-form recursion for the optimal policy as a function of $\pi_{\mathrm{ref}}$, $\pi_{n-1}$ and $p_{n-1}$.

Run ``python proofs/proof_abstract_closed_form.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "abstract-closed-form"


def test_abstract_closed_form():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
