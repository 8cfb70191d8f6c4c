r"""Proof script for `thm6` — App. C.2, Theorem 6, 'Local Fixed Point Convergence'.

Statement as printed (STATEMENTS.md):

    **`thm6`** (App. C.2, Theorem 6, "Local Fixed Point Convergence")
    * Hyp.: [S-ref]. $p^*$ is a fixed point of $h_{\varepsilon,p_{\mathrm{ref}}}$ with $|h'_{\varepsilon,p_{\mathrm{ref}}}(p^*)|<1$,
      and $h$, $h'$ are continuous on $[0,1]$.
    * Claim: there is $\delta>0$ such that, if $p_0=p_{\mathrm{ref}}\in[p^*-\delta,p^*+\delta]$, then
      $p_n=h_{\varepsilon,p_{\mathrm{ref}}}(p_{n-1})$ converges: $\lim_{n\to\infty}p_n=p^*$.
    * Proof: Thm 7.

Run ``python proofs/proof_thm6.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm6"


def test_thm6():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
