r"""Proof script for `thm5.1` — §4, Theorem 5 item 1, 'Monotone improvement and absence of interior fixed points'.

Statement as printed (STATEMENTS.md):

    **`thm5.1`** (§4, Theorem 5 item 1, "Monotone improvement and absence of interior fixed points")
    * Hyp.: [S-mirror], a fixed $q$.
    * For every $p_{n-1}\in(0,1)$, $\Omega_\varepsilon(p_{n-1})/\beta>0$. Hence $\operatorname{logit}(p_n)>\operatorname{logit}(p_{n-1})$ and $p_n>p_{n-1}$.
    * So $p=\sigma(\operatorname{logit}(p)+\Omega_\varepsilon(p)/\beta)$ has **no** solution in $(0,1)$.
      The only fixed points are $p\in\{0,1\}$.

Run ``python proofs/proof_thm5_1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm5.1"


def test_thm5_1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
