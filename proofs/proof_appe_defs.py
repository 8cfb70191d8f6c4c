r"""Proof script for `appe-defs` — App. E, definitions.

Statement as printed (STATEMENTS.md):

    **`appe-defs`** (App. E, definitions)
    * The paper calls these the success (S) and failure (F) conditional probabilities:
    $$p_{\mathrm{ref},S}(o|q):=\frac{\pi_{\mathrm{ref}}(o|q)\mathbf 1_{\{r(q,o)=1\}}}{p_{\mathrm{ref}}(q)},\quad p_{n-1,S}(o|q):=\frac{\pi_{n-1}(o|q)\mathbf 1_{\{r(q,o)=0\}}}{p_{n-1}(q)},$$
    $$p_{\mathrm{ref},F}(o|q):=\frac{\pi_{\mathrm{ref}}(o|q)\mathbf 1_{\{r(q,o)=0\}}}{1-p_{\mathrm{ref}}(q)},\quad p_{n-1,F}(o|q):=\frac{\pi_{n-1}(o|q)\mathbf 1_{\{r(q,o=0)\}}}{1-p_{n-1}(q)}.$$
    * The Rényi divergence "of order $\alpha$ in $(0,1)$" is $D_\alpha(P\|Q)=\frac{1}{\alpha-1}\log\int p^\alpha q^{(1-\alpha)}$.

Run ``python proofs/proof_appe_defs.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "appe-defs"


def test_appe_defs():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
