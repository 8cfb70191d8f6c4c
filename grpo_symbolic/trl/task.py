r"""A synthetic verifiable task whose PoS under a causal LM is exact (every completion enumerated).

Vocabulary: ``V`` alphabet tokens ``t0 .. t{V-1}`` (ids ``0 .. V-1``) plus one special token
``<eos>`` (id ``V``) that the tokenizer uses as EOS and padding.  The language model has
``vocab_size = V``, so it *never* emits ``<eos>``: every completion has exactly
``T = max_completion_length`` tokens, the completion space is the ``V**T`` strings over the
alphabet, and

.. math:: \pi(o\mid q) = \prod_{t=1}^{T} \mathrm{softmax}(\mathrm{logits}_t)[o_t]

is computed for all of them by one teacher-forced forward pass per prompt
(:func:`completion_logprobs`).  All prompts have the same length ``P``, so no padding token
ever reaches the model.

Each prompt ``q`` has a success set ``S_q`` (a set of completions) chosen once, at the
reference model, to give a target ``p_ref(q)`` (:func:`choose_success_sets`); the reward is
``1[o in S_q]``.  Then ``p(q) = sum_{o in S_q} pi(o|q)`` exactly, for the reference model
and for every trained model.

>>> completion_index([[1, 0, 2]], V=3)
[11]
>>> all_completions(2, 2).tolist()
[[0, 0], [0, 1], [1, 0], [1, 1]]
"""

from __future__ import annotations

import numpy as np

EOS = "<eos>"


def token(i: int) -> str:
    """The text of alphabet token ``i``."""
    return f"t{i}"


def completion_index(ids, V: int) -> list[int]:
    """Index of each completion (rows of token ids, most significant first) in base ``V``."""
    out = []
    for row in ids:
        k = 0
        for t in row:
            k = k * V + int(t)
        out.append(k)
    return out


def all_completions(V: int, T: int):
    """All ``V**T`` completions as a ``(V**T, T)`` LongTensor, in :func:`completion_index` order."""
    import torch

    codes = torch.arange(V ** T)
    powers = V ** torch.arange(T - 1, -1, -1)
    return (codes[:, None] // powers) % V


def prompt_ids(N: int, V: int, P: int, seed: int) -> list[list[int]]:
    """``N`` distinct prompts of ``P`` alphabet tokens, drawn without replacement (seeded)."""
    if N > V ** P:
        raise ValueError(f"{N} distinct prompts need V**P >= N (V={V}, P={P})")
    rng = np.random.default_rng(seed)
    codes = rng.choice(V ** P, size=N, replace=False)
    return [[int(c // V ** (P - 1 - j)) % V for j in range(P)] for c in codes]


def completion_logprobs(model, prompts: list[list[int]], T: int, V: int, chunk: int = 8192):
    """``(N, V**T)`` float64 array: ``log pi(o|q)`` for every prompt and every completion.

    One teacher-forced forward pass of ``[q, o_1..o_{T-1}]`` per (prompt, completion), in
    chunks; the log-softmax is taken in float64 over the model's ``V`` logits.
    """
    import torch

    seqs = all_completions(V, T)
    device = next(model.parameters()).device
    out = np.empty((len(prompts), V ** T))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for i, q in enumerate(prompts):
            qt = torch.tensor(q, dtype=torch.long)
            for a in range(0, V ** T, chunk):
                s = seqs[a:a + chunk]
                inp = torch.cat([qt.expand(len(s), -1), s[:, :-1]], 1).to(device)
                logits = model(input_ids=inp).logits[:, len(q) - 1:, :V].double()
                lp = torch.log_softmax(logits, -1).gather(-1, s.to(device)[..., None])[..., 0]
                out[i, a:a + len(s)] = lp.sum(-1).cpu().numpy()
    model.train(was_training)
    return out


def choose_success_sets(logp: np.ndarray, targets, seed: int = 0) -> np.ndarray:
    """``(N, V**T)`` boolean success sets: for prompt ``i`` a set of completions whose
    reference mass is as close to ``targets[i]`` as a greedy fill allows.

    Completions are visited in a seeded random order and added while the mass stays at most
    the target; if that leaves the set empty, the completion closest to the target alone.

    >>> lp = np.log(np.array([[0.5, 0.3, 0.2]]))
    >>> m = choose_success_sets(lp, [0.5])
    >>> float(np.exp(lp)[m].sum())
    0.5
    """
    p = np.exp(logp)
    rng = np.random.default_rng(seed)
    masks = np.zeros(p.shape, dtype=bool)
    for i, target in enumerate(targets):
        mass = 0.0
        for k in rng.permutation(p.shape[1]):
            if mass + p[i, k] <= target:
                masks[i, k] = True
                mass += p[i, k]
        if not masks[i].any():
            masks[i, int(np.argmin(np.abs(p[i] - target)))] = True
    return masks


def exact_pos(logp: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """``p(q) = sum_{o in S_q} pi(o|q)`` per prompt, summed in log space (float64).

    >>> exact_pos(np.log(np.array([[0.5, 0.3, 0.2]])), np.array([[True, False, True]])).round(12).tolist()
    [0.7]
    """
    m = np.where(masks, logp, -np.inf)
    top = m.max(-1, keepdims=True)
    return np.exp(top[:, 0]) * np.exp(m - top).sum(-1)
