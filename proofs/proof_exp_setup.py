r"""Proof script for `exp-setup` — App. A Experimental validation (with App. H).

Statement as printed (STATEMENTS.md):

    **`exp-setup`**
    * Data: GSM8K (MIT license), training on the train split.
    * Reference policy: `Qwen/Qwen2.5-0.5B-Instruct` (Apache 2.0).
    * Trainer: the TRL GRPO implementation.
    * Hardware: one 8-GPU node; GPU0 runs the vLLM server and the other 7 GPUs train in parallel.
    * Reward: correctness of the model's output.

Run ``python proofs/proof_exp_setup.py`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "exp-setup"


def test_exp_setup():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
