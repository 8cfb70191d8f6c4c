r"""Proof script for `thm1` — §3, Theorem 1, 'GRPO Policy Dynamics'; proof App. C.

Statement as printed (STATEMENTS.md):

    **`thm1`** (§3, Theorem 1, "GRPO Policy Dynamics"; proof App. C)
    * Hyp.: [S-ref], $n\ge1$.
    * The proof says the objective is concave and uses the first-order optimality conditions.
    * The theorem's text cites eq. (13) for the weights $\omega^\pm_\varepsilon$.
    $$\pi_n(o|q)=\frac{1}{Z_{n-1}(q)}\pi_{\mathrm{ref}}(o|q)\exp\Big(\frac1\beta\big(\omega^+_\varepsilon(p_{n-1}(q))\mathbb 1_{r(q,o)=1}-\omega^-_\varepsilon(p_{n-1}(q))\mathbb 1_{r(q,o)=0}\big)\Big),$$
    $$Z_{n-1}(q)=p_{\mathrm{ref}}(q)\exp\Big(\frac1\beta\omega^+_\varepsilon(p_{n-1}(q))\Big)+(1-p_{\mathrm{ref}}(q))\exp\Big(-\frac1\beta\omega^-_\varepsilon(p_{n-1}(q))\Big).$$

Run ``python proofs/proof_thm1.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm1"


def test_thm1():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
