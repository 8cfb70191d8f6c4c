r"""Proof script for `thm4` — §4, Theorem 4 'Mirror-GRPO, $\alpha=0$', eqs. (11)–(12).

Statement as printed (STATEMENTS.md):

    **`thm4`** (§4, Theorem 4 "Mirror-GRPO, $\alpha=0$", eqs. (11)–(12))
    * Hyp.: [S-mirror], with $\alpha=0$, a fixed prompt $q$, $\beta>0$ and $\Omega_\varepsilon(p)=\frac{1}{\sqrt{p(1-p)+\varepsilon}}$.
    * Proof (App. D): apply Thm 8 with anchors $\pi_{n-1}$.
    * (1) The maximizer of (9) is
    $$\pi_n(o|q)=\frac{1}{Z_{n-1}(q)}\pi_{n-1}(o|q)\exp\Big(\frac1\beta\big(\omega^+_\varepsilon(p_{n-1}(q))\mathbb 1_{r(q,o)=1}-\omega^-_\varepsilon(p_{n-1}(q))\mathbb 1_{r(q,o)=0}\big)\Big),$$
    $$Z_{n-1}(q)=p_{n-1}(q)\exp\Big(\frac1\beta\omega^+_\varepsilon(p_{n-1}(q))\Big)+(1-p_{n-1}(q))\exp\Big(-\frac1\beta\omega^-_\varepsilon(p_{n-1}(q))\Big).$$
    * (2) The PoS recurrence:
    $$\text{(11)}\ \operatorname{logit}(p_n(q))=\operatorname{logit}(p_{n-1}(q))+\frac{\Omega_\varepsilon(p_{n-1}(q))}{\beta},\qquad\text{(12)}\ p_n(q)=h_{\varepsilon,\beta}(p_{n-1}(q))=\sigma\Big(\operatorname{logit}(p_{n-1}(q))+\Omega_\varepsilon(p_{n-1}(q))/\beta\Big).$$
    * Compared with Thm 2, $p_{n-1}(q)$ takes the place of $p_{\mathrm{ref}}(q)$ inside the logit.
    * Note that $h_{\varepsilon,\beta}$ (mirror map) is a different function from $h_{\varepsilon,p_{\mathrm{ref}}}$ (§3).

Run ``python proofs/proof_thm4.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "thm4"


def test_thm4():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
