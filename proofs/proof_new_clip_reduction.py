r"""Proof script for `new-clip-reduction` — finding: clipped GRPO, reduction.

Statement as printed (STATEMENTS.md):

    **`new-clip-reduction`** (finding: clipped GRPO, reduction)
    * From $\pi_0=\pi_{\mathrm{ref}}$, the exact maximiser of the clipped objective
      $E_{\pi_{n-1}}f(\pi/\pi_{n-1},A)-\beta[\alpha\,\mathsf{KL}(\pi\|\pi_{\mathrm{ref}})+(1-\alpha)\,\mathsf{KL}(\pi\|\pi_{n-1})]$
      keeps $\pi_{\mathrm{ref}}$'s conditional laws on successes and failures, so the problem reduces to one
      variable, the new PoS $q$, with one-sided derivatives
      $J'_\pm(q)=\omega^+H(u_S-q)+\omega^-H(u_F-q)-\beta(\operatorname{logit}q-\alpha L_{\mathrm{ref}}-(1-\alpha)L_{n-1})$,
      $u_S=(1+\epsilon_h)p_{n-1}$, $u_F=p_{n-1}+\epsilon_l(1-p_{n-1})$.

Run ``python proofs/proof_new_clip_reduction.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "new-clip-reduction"


def test_new_clip_reduction():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
