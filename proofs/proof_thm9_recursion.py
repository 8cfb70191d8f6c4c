r"""Proof script for `thm9-recursion` — App. E, the display after Thm 9; raw LaTeX of the display.

Statement as printed (STATEMENTS.md):

    **`thm9-recursion`** (App. E, the display after Thm 9; raw LaTeX of the display)
    * With $L_n(q)=\operatorname{logit}p_n(q)$ and $L_{\mathrm{ref}}(q)=\operatorname{logit}(p_{\mathrm{ref}}(q))$:
    ```
    L_{n}(q)- L_{\mathrm{ref}}(q) = (1-\alpha) (L_{n-1}(q) -L_{\mathrm{ref}}(q)) + (1-\alpha )(  D_{\alpha}( p_{\mathrm{ref},F}|| p_{n-1,F})  - D_{\alpha}( p_{\mathrm{ref},S}|| p_{n-1,S}  )   + \Omega_{\varepsilon}(p_{n})
    ```

Run ``python proofs/proof_thm9_recursion.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm9-recursion"


def test_thm9_recursion():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
