r"""Proof script for `new-clip-closed-form` — finding: clipped GRPO, closed form.

Statement as printed (STATEMENTS.md):

    **`new-clip-closed-form`** (finding: clipped GRPO, closed form)
    * The clipped PoS map in log-odds is
      $L_n=\max(\min(\Lambda_a,T_1),\min(\Lambda_b,T_2),\Lambda_c)$ with $\Lambda_a$ the unclipped step,
      $\Lambda_c=\alpha L_{\mathrm{ref}}+(1-\alpha)L_{n-1}$, $T_1\le T_2$ the log-odds of $u_S,u_F$ and
      $\Lambda_b=\Lambda_c+\omega_{\mathrm{late}}/\beta$: it satisfies $0\in\partial J(q^*)$.

Run ``python proofs/proof_new_clip_closed_form.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "new-clip-closed-form"


def test_new_clip_closed_form():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
