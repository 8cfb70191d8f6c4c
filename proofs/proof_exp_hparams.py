r"""Proof script for `exp-hparams` — App. A and App. H.

Statement as printed (STATEMENTS.md):

    **`exp-hparams`** (App. A and App. H)
    * Learning rate $5e^{-6}$, "clipping $\varepsilon=0.2$", KL weight $\beta=0.1$, and $\mu=10$ (Algorithm 1).
    * Group size $G=16$, per-device batch size 16, i.e. one prompt with its 16 responses per GPU.
    * Gradient accumulation 4, giving an effective batch of 28 prompts.
    * Context length 200, sampling temperature $\tau=0.1$.
    * Machine: dual 48-core Intel Xeon 8468, 2 TB RAM, 8× NVIDIA HGX H100 80GB SMX5, RHEL 9.5.
    * Software: PyTorch, HF Transformers, HF TRL.

Run ``python proofs/proof_exp_hparams.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "exp-hparams"


def test_exp_hparams():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
