r"""Proof script for `sec5-mirror-adaptive` — §5.

Statement as printed (STATEMENTS.md):

    **`sec5-mirror-adaptive`** (§5)
    * Mirror GRPO (mean+variance) also converges to PoS 1, but with adaptive steps:
    $$\operatorname{logit}(p_n(q))=\operatorname{logit}(p_{n-1}(q))+\frac{\Omega_\varepsilon(p_{n-1}(q))}{\beta}=\operatorname{logit}(p_{n-1}(q))+\frac{1}{\beta(\sigma^2_{n-1}(q)+\varepsilon)^{\frac12}}.$$
    * Here $\sigma^2_{n-1}(q)$ is the reward variance under $\pi_{n-1}$.

Run ``python proofs/proof_sec5_mirror_adaptive.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec5-mirror-adaptive"


def test_sec5_mirror_adaptive():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
