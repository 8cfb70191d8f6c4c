r"""Proof script for `fig1` — §2.1, Figure 1, file `Weight_grpo.png`.

Statement as printed (STATEMENTS.md):

    **`fig1`** (§2.1, Figure 1, file `Weight_grpo.png`)
    * Caption: the weighting of GRPO as a function of the old policy's PoS.
    * Plot title: "Plots of $\sqrt{\frac{p}{1-p}}$ and $\sqrt{\frac{1-p}{p}}$ for $p\in(0,1)$".
    * Green curve: $\sqrt{p/(1-p)}$. Orange curve: $\sqrt{(1-p)/p}$.
    * x-axis: $p$ from 0 to 1. y-axis "Value", cut at $[0,10]$. The two curves cross at $p=1/2$.
    * These are the unsmoothed ($\varepsilon=0$) weights of eq. (3).

Run ``python proofs/proof_fig1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "fig1"


def test_fig1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
