r"""TRL's real :class:`trl.GRPOTrainer` on the CPU, offline, with exact per-prompt PoS.

* a tiny Llama (:class:`transformers.LlamaForCausalLM`) built from a
  :class:`transformers.LlamaConfig` -- random init, seeded, nothing downloaded -- saved to a
  temporary folder that is handed to ``GRPOTrainer`` by path (with ``beta > 0`` TRL rebuilds its
  reference model from that path);
* a tokenizer built locally with :mod:`tokenizers` (WordLevel over ``t0 .. t{V-1}`` and
  ``<eos>``, whitespace pre-tokeniser), wrapped in :class:`transformers.PreTrainedTokenizerFast`;
* the task of :mod:`.task`: a 0/1 Python reward (membership in a per-prompt success set) whose
  PoS under the model is computed exactly by enumerating the ``V**T`` completions, before
  training (``p_ref``) and after every generation round (``p_n``).

One theory iteration is one TRL *generation round*: the ``N`` prompts, each sampled ``G``
times from the current policy (``pi_old``), then ``num_iterations * steps_per_generation``
optimiser steps on that batch.  The generation batch is ``N * G`` completions and the
dataset is not shuffled, so every round holds every prompt exactly once.

This module imports torch, transformers and trl (the ``[trl]`` extra); nothing else in the
package imports it at start-up.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import task as T_


@dataclass
class TrlRunSpec:
    """One TRL run: the task, the model and the ``GRPOConfig`` overrides (``trl_args``)."""

    prompts: int = 8
    iterations: int = 5
    vocab: int = 6
    length: int = 4
    prompt_length: int = 3
    targets: list | None = None  # target p_ref per prompt (default: log-spaced 1e-3 .. 0.9)
    hidden: int = 32
    layers: int = 2
    heads: int = 2
    init_range: float = 0.5
    seed: int = 0
    threads: int = 1
    trl_args: dict = field(default_factory=dict)

    def target_list(self) -> list[float]:
        if self.targets is not None:
            return [float(t) for t in self.targets]
        return list(np.geomspace(1e-3, 0.9, self.prompts)) if self.prompts > 1 else [0.3]


def require_trl():
    """Import and return :mod:`trl`, or raise a one-line InputError."""
    from ..errors import InputError

    try:
        import transformers  # noqa: F401
        import trl
    except ImportError:
        raise InputError("--backend trl needs TRL: pip install 'grpo_symbolic[trl]'") from None
    return trl


# ------------------------------------------------------------------ model and tokenizer
def build_tokenizer(V: int):
    """A :class:`~transformers.PreTrainedTokenizerFast` over ``t0 .. t{V-1}`` and ``<eos>``
    (id ``V``, also the padding token), built locally with :mod:`tokenizers`."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {T_.token(i): i for i in range(V)}
    vocab[T_.EOS] = V
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token=T_.EOS))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    from tokenizers import decoders

    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)  # joins tokens with spaces
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=T_.EOS, pad_token=T_.EOS)
    fast.padding_side = "left"
    return fast


def build_model(spec: TrlRunSpec):
    """A random-init tiny Llama with ``vocab_size = V`` (it cannot emit ``<eos>``), seeded.

    ``init_range`` (the std of the weight init) sets how far from uniform ``pi_ref`` is."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(vocab_size=spec.vocab, hidden_size=spec.hidden, intermediate_size=2 * spec.hidden,
                      num_hidden_layers=spec.layers, num_attention_heads=spec.heads,
                      num_key_value_heads=spec.heads, max_position_embeddings=64,
                      initializer_range=spec.init_range, tie_word_embeddings=False,
                      bos_token_id=None, eos_token_id=None, pad_token_id=None)
    torch.manual_seed(spec.seed)
    model = LlamaForCausalLM(cfg).float()
    model.generation_config.eos_token_id = None
    model.generation_config.pad_token_id = None
    return model


# ---------------------------------------------------------------------------- the run
def _quiet():
    """Silence transformers / TRL info logs and warnings about the toy set-up."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("DISABLE_MLFLOW_INTEGRATION", "TRUE")
    os.environ.setdefault("WANDB_DISABLED", "true")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as tlog

        tlog.disable_progress_bar()
        tlog.set_verbosity_error()
    except ImportError:  # pragma: no cover
        pass
    for name in ("transformers", "trl", "accelerate", "datasets"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"(transformers|trl|accelerate|torch)(\.|$)")


FIXED_ARGS = {  # what the backend sets whatever the user's config says (the task needs them)
    "use_cpu": True, "bf16": False, "fp16": False, "gradient_checkpointing": False,
    "shuffle_dataset": False, "report_to": [], "save_strategy": "no", "logging_strategy": "no",
    "disable_tqdm": True, "dataloader_num_workers": 0, "remove_unused_columns": False,
    "temperature": 1.0, "top_p": 1.0, "top_k": 0, "min_p": None, "repetition_penalty": 1.0,
    "use_vllm": False, "log_completions": False,
}


def grpo_config(spec: TrlRunSpec, out_dir: str):
    """The :class:`trl.GRPOConfig` of a run: the user's ``trl_args``, then the batch geometry
    (one generation round = every prompt ``G`` times) and :data:`FIXED_ARGS`."""
    from trl import GRPOConfig

    args = dict(spec.trl_args)
    G = int(args.get("num_generations", 8))
    mu = int(args.get("num_iterations", 1))
    spg = int(args.pop("steps_per_generation", 1) or 1)
    batch = spec.prompts * G
    if batch % spg:
        raise ValueError(f"steps_per_generation={spg} must divide prompts*G = {batch}")
    args.update(FIXED_ARGS)
    args.update(output_dir=out_dir, num_generations=G, max_completion_length=spec.length,
                per_device_train_batch_size=batch // spg, steps_per_generation=spg,
                gradient_accumulation_steps=1, max_steps=spec.iterations * mu * spg, seed=spec.seed,
                generation_batch_size=None)
    args.pop("generation_batch_size")
    return GRPOConfig(**args), mu * spg


def run_trl(spec: TrlRunSpec, progress=None) -> dict:
    """Train with TRL and return the exact PoS per prompt after every generation round.

    Returns ``{"p": (iterations+1, N) list, "p_ref", "targets", "steps_per_round", "seconds",
    "config": {...the GRPOConfig fields that matter...}, "sample_success": (iterations, N)}``.
    """
    _quiet()
    require_trl()
    import torch
    from datasets import Dataset
    from transformers import TrainerCallback
    from trl import GRPOTrainer

    torch.set_num_threads(spec.threads)
    torch.manual_seed(spec.seed)
    tok = build_tokenizer(spec.vocab)
    model = build_model(spec)
    prompts = T_.prompt_ids(spec.prompts, spec.vocab, spec.prompt_length, spec.seed)
    texts = [" ".join(T_.token(t) for t in q) for q in prompts]
    lp_ref = T_.completion_logprobs(model, prompts, spec.length, spec.vocab)
    masks = T_.choose_success_sets(lp_ref, spec.target_list(), seed=spec.seed)
    p_ref = T_.exact_pos(lp_ref, masks)
    success = {text: set(np.flatnonzero(masks[i]).tolist()) for i, text in enumerate(texts)}
    seen: list[list[float]] = []

    def reward(prompts, completions, completion_ids, **_):
        idx = T_.completion_index(completion_ids, spec.vocab)
        r = [float(k in success[p] and len(c) == spec.length) for p, k, c in zip(prompts, idx, completion_ids)]
        row = [0.0] * len(texts)
        for p, x in zip(prompts, r):
            row[texts.index(p)] += x
        seen.append(row)
        return r

    traj = [p_ref.tolist()]
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="grpo_symbolic_trl_") as tmp:
        path = os.path.join(tmp, "model")
        import contextlib
        import io

        with contextlib.redirect_stderr(io.StringIO()):  # "Writing model shards" bars
            model.save_pretrained(path)
            tok.save_pretrained(path)
        args, per_round = grpo_config(spec, os.path.join(tmp, "out"))

        class Track(TrainerCallback):
            def on_step_end(self, a, state, control, model=None, **kw):
                if state.global_step % per_round == 0:
                    lp = T_.completion_logprobs(model, prompts, spec.length, spec.vocab)
                    traj.append(T_.exact_pos(lp, masks).tolist())
                    if progress is not None:
                        progress(len(traj) - 1, spec.iterations)

        with contextlib.redirect_stderr(io.StringIO()):  # "Loading weights" bars
            trainer = GRPOTrainer(model=path, reward_funcs=reward, args=args,
                                  train_dataset=Dataset.from_dict({"prompt": texts}), processing_class=tok,
                                  callbacks=[Track()])
        with contextlib.redirect_stdout(io.StringIO()):  # Trainer prints its metrics; stdout may be --json
            trainer.train()
    G = args.num_generations
    return {"p": traj, "p_ref": p_ref.tolist(), "targets": spec.target_list(), "prompts": texts,
            "steps_per_round": per_round, "seconds": time.time() - t0,
            "sample_success": [[x / G for x in row] for row in seen[:spec.iterations]],
            "config": {k: _jsonable(getattr(args, k)) for k in
                       ("beta", "epsilon", "epsilon_high", "scale_rewards", "num_generations", "loss_type",
                        "num_iterations", "importance_sampling_level", "learning_rate", "use_bias_correction_kl",
                        "steps_per_generation", "per_device_train_batch_size", "lr_scheduler_type",
                        "weight_decay", "max_grad_norm", "optim")}}


def _jsonable(v):
    return v if isinstance(v, (int, float, str, bool, type(None))) else str(v)
