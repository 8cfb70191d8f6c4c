r"""Proof script for `fig5` — App. G, Figure 5, file `fixed_point_grpo.png`.

Statement as printed (STATEMENTS.md):

    **`fig5`** (App. G, Figure 5, file `fixed_point_grpo.png`)
    * Caption: "GRPO Recursion and convergence to fixed points of $h_\varepsilon$, for $\varepsilon=1e^{-5}$" (i.e. $10^{-5}$).
    * Figure title: "Iteration of $p_{n+1}=h_{\varepsilon,p_{\mathrm{ref}}}(p_n)$".
    * Grid: 6 rows for $\beta\in\{0.01,0.2,0.4,0.8,1,5\}$ by 4 columns for $p_{\mathrm{ref}}\in\{0.0001,0.2,0.5,0.8\}$.
    * Each panel plots $p_n$ against "Iteration n" for $n=0,\dots,50$.
    * **Starting point as described by the paper:** the text (`fig5-text`) says the figure shows
      iteration (8), i.e. Thm 2's recursion, which starts at $p_0=p_{\mathrm{ref}}$ ($\pi_0=\pi_{\mathrm{ref}}$).
      The caption calls it the GRPO recursion.
    * Each panel title reads "$\beta=\cdot,\ p_{\mathrm{ref}}=\cdot,\ p^*\approx\cdot$". The titled values are:

    | $\beta$ \ $p_{\mathrm{ref}}$ | 0.0001 | 0.2 | 0.5 | 0.8 |
    |---|---|---|---|---|
    | 0.01 | 1.0000 | 1.0000 | 1.0000 | 1.0000 |
    | 0.2 | 1.0000 | 1.0000 | 1.0000 | 1.0000 |
    | 0.4 | 1.0000 | 1.0000 | 1.0000 | 1.0000 |
    | 0.8 | 1.0000 | 1.0000 | 1.0000 | 1.0000 |
    | 1 | 1.0000 | 0.6813 | 1.0000 | 1.0000 |
    | 5 | 0.0442 | 0.2807 | 0.6007 | 0.8813 |

    * App. A compares the oscillating GSM8K trajectories with the last row of this figure ($\beta=5$).

    ---------------------------------------------------------------------------------------------

Run ``python proofs/proof_fig5.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "fig5"


def test_fig5():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
