r"""Proof script for `eq18` — App. E, eq. (18).

Statement as printed (STATEMENTS.md):

    **`eq18`** (App. E, eq. (18))
    * By Lemma 2, the two-KL iteration (17) equals a single-KL problem:
    $$\pi_n=\arg\max_\pi\ \mathbb E_{q}\Big(\mathbb E_{\pi(\cdot|q)}A_{n-1}(q,\cdot)-\beta\,\mathsf{KL}(\pi\|\tilde\pi^{(\alpha)}_{n-1})\Big),\qquad\tilde\pi^{(\alpha)}_{n-1}\propto\pi_{\mathrm{ref}}^{\alpha}\pi_{n-1}^{(1-\alpha)}.$$
    * Its PoS is written $\tilde p^{(\alpha)}_{n-1}$.

Run ``python proofs/proof_eq18.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "eq18"


def test_eq18():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
