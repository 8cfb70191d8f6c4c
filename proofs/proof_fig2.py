r"""Proof script for `fig2` — §3, Figure 2, file `h_epsilon.png`.

Statement as printed (STATEMENTS.md):

    **`fig2`** (§3, Figure 2, file `h_epsilon.png`)
    * Caption: "Fixed points as function of $\beta$ and $p_{\mathrm{ref}}$ for $\varepsilon=1e^{-5}$" (i.e. $10^{-5}$).
    * Plot title: "Plot of $h_{\varepsilon,p_{\mathrm{ref}}}(p)$ for various $\beta$ and $p_{\mathrm{ref}}$".
    * Twelve curves, $\beta\in\{1,5,0.01,0.2\}\times p_{\mathrm{ref}}\in\{0.0001,0.2,0.8\}$, plus the dashed line $y=p$.
    * Legend colours, for $p_{\mathrm{ref}}=0.0001/0.2/0.8$: $\beta=1$ blue/green/red; $\beta=5$ cyan/magenta/orange;
      $\beta=0.01$ brown/purple/olive; $\beta=0.2$ pink/grey/yellow.
    * x-axis: $p$ from about $0.01$ to $1$. y-axis: $h_{\varepsilon,p_{\mathrm{ref}}}(p)\in[0,1]$.
    * Per the text, fixed points are where a curve meets $y=p$.

Run ``python proofs/proof_fig2.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "fig2"


def test_fig2():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
