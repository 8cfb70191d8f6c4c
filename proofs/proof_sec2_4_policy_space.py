r"""Proof script for `sec2.4-policy-space` — §2.4, tag (GRPO Iterations), eq. (7).

Statement as printed (STATEMENTS.md):

    **`sec2.4-policy-space`** (§2.4, tag (GRPO Iterations), eq. (7))
    * The analysis swaps the maximization over $\theta$ for a maximization over policies:
    $$\pi_n=\arg\max_\pi\ \mathbb E_{q}\Big\{\omega^+_\varepsilon(p_{n-1}(q))\,\mathbb E_{o\sim\pi(.|q)}\mathbb 1_{r(q,o)=1}-\omega^-_\varepsilon(p_{n-1}(q))\,\mathbb E_{o\sim\pi(.|q)}\mathbb 1_{r(q,o)=0}\Big\}-\beta\,\mathrm{KL}(\pi\|\pi_{\mathrm{ref}}),\quad n\ge1,\ \pi_0=\pi_{\mathrm{ref}}.$$
    * The paper justifies the swap by assuming the parametric hypothesis class can represent every policy.
    * $\pi_n$ depends on $\pi_{n-1}$ only through $p_{n-1}$, and on $\pi_{\mathrm{ref}}$ through the KL term.

Run ``python proofs/proof_sec2_4_policy_space.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "sec2.4-policy-space"


def test_sec2_4_policy_space():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
