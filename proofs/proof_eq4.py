r"""Proof script for `eq4` — §2.3, eq. (4).

Statement as printed (STATEMENTS.md):

    **`eq4`** (§2.3, eq. (4))
    * Hyp.: smoothing $\varepsilon\in(0,1]$ ("$\varepsilon>0$"). $p(q)$ may now be 0 or 1.
    * Substituting $\mu=p$, $\sigma^2=p(1-p)$ into the stabilized advantage gives
      $A=+\omega^+_\varepsilon(p(q))$ if $r(q,o)=1$ and $A=-\omega^-_\varepsilon(p(q))$ if $r(q,o)=0$,
      with $\omega^\pm_\varepsilon$ as in §0.

Run ``python proofs/proof_eq4.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "eq4"


def test_eq4():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
