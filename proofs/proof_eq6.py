r"""Proof script for `eq6` — §2.4, eq. (6).

Statement as printed (STATEMENTS.md):

    **`eq6`** (§2.4, eq. (6))
    * For $n\ge1$, GRPO iterations (Algorithm 1, stabilized, no clipping) can be written as
    $$\theta_n=\arg\max_\theta\ \mathbb E_{q}\Big\{\omega^+_\varepsilon(p_{\theta_{n-1}}(q))\,\mathbb E_{o\sim\pi_\theta(.|q)}\mathbb 1_{r(q,o)=1}-\omega^-_\varepsilon(p_{\theta_{n-1}}(q))\,\mathbb E_{o\sim\pi_\theta(.|q)}\mathbb 1_{r(q,o)=0}\Big\}-\beta\,\mathrm{KL}(\pi_\theta\|\pi_{\mathrm{ref}}).$$
    * In Algorithm 1, the expectations are estimated by importance sampling from $\pi_{\theta_{n-1}}$,
      each problem is solved with $\mu$ gradient steps, and the PoS is estimated from $G$ rollouts.

Run ``python proofs/proof_eq6.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "eq6"


def test_eq6():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
