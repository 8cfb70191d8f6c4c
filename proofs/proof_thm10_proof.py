r"""Proof script for `thm10-proof` — App. F, proof of Thm 10.

Statement as printed (STATEMENTS.md):

    **`thm10-proof`** (App. F, proof of Thm 10)
    * TV convention: $\mathrm{TV}(\tilde\pi\|\pi)=\frac12\sup_{\|f\|_\infty}\mathbb E_{\tilde\pi}f-\mathbb E_\pi f$.
    $$|\tilde p_n-p_n|=\big|\mathbb E_{\tilde\pi_n}\mathbb 1_{r(q,o)=1}-\mathbb E_{\pi_n}\mathbb 1_{r(q,o)=1}\big|\le2\,\mathrm{TV}(\tilde\pi_n\|\pi_n)\le2\sum_{i=1}^n\delta_i+\mathrm{TV}(\tilde\pi_0,\pi_0)=2\sum_{i=1}^n\delta_i,$$
    * and $\lim_{n\to\infty}|\tilde p_n-p_n|\le2\lim_{n\to\infty}\sum_{i=1}^n\delta_i=2\delta^*$.

Run ``python proofs/proof_thm10_proof.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm10-proof"


def test_thm10_proof():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
