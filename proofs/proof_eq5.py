r"""Proof script for `eq5` — §2.3, eq. (5).

Statement as printed (STATEMENTS.md):

    **`eq5`** (§2.3, eq. (5)) (GRPO-No-Clip) is equivalent to
    $$\max_\theta\ \mathbb E_{q\sim\rho_{\mathcal Q}}\Big\{\omega^+_\varepsilon(p_{\theta_{old}}(q))\,\mathbb E_{o\sim\pi_\theta(.|q)}\mathbb 1_{r(q,o)=1}-\omega^-_\varepsilon(p_{\theta_{old}}(q))\,\mathbb E_{o\sim\pi_\theta(.|q)}\mathbb 1_{r(q,o)=0}\Big\}-\beta\,\mathrm{KL}(\pi_\theta\|\pi_{\mathrm{ref}}).$$
    The paper then works with this unclipped version.

Run ``python proofs/proof_eq5.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "eq5"


def test_eq5():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
