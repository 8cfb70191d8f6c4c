r"""Proof script for `fig4` — App. G, Figure 4, file `beta_convergence.png`.

Statement as printed (STATEMENTS.md):

    **`fig4`** (App. G, Figure 4, file `beta_convergence.png`)
    * Caption: a lower bound on $\beta$ that guarantees local convergence of the GRPO fixed-point iteration.
    * Plot title: "Plot of $\frac{p^*(1-p^*)|2p^*-1|}{2(p^*(1-p^*)+\varepsilon)^{3/2}}$ for $\varepsilon=10^{-5}$".
    * x-axis: $p^*$ over about $[0.01,0.99]$. y-axis: $\mathcal B(p^*)$, ticks 0–5.
    * The curve is V-shaped: 0 at $p^*=0.5$, rising steeply near both ends to just under 5.

Run ``python proofs/proof_fig4.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "fig4"


def test_fig4():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
