r"""Two policy families over a *finite* output set, so that every quantity of the theory
(PoS, sequence-level KL, TV to the non-parametric iterate) is computed exactly.

Both expose the same small interface used by :mod:`.loop`:

* ``num_prompts`` ``N``, ``num_outputs`` ``K`` and ``success`` (``(N, K)`` bool: the
  verifier ``r(q, o)`` on every output);
* ``log_probs_all()`` -- ``(N, K)`` ``log pi_theta(o|q)`` for every output (with grad);
* ``log_probs_at(idx)`` -- ``(N, S)`` ``log pi_theta`` at output indices ``idx``;
* ``ref_log_probs_all()`` / ``ref_log_probs_at(idx)`` -- the same for ``pi_ref`` (fixed);
* ``sample(G, generator)`` -- ``(N, G)`` output indices drawn from the current policy;
* ``prompt_reduction`` -- how :func:`grpo_loss` should reduce over prompts.

**Tabular softmax** (:class:`TabularPolicy`): one free logit per (prompt, output), the
non-parametric setting of the paper restricted to ``K`` outputs.  The reference
(:func:`make_tabular_policy`) is built with PoS exactly ``p_ref(q)``: the successes
are the first ``m_q`` outputs and

.. math:: \log\pi_{ref}(o|q) = \log p_{ref}(q) + \log c_S(o|q)\ (o\in S),\qquad
          \log(1-p_{ref}(q)) + \log c_F(o|q)\ (o\in F),

with random, non-uniform conditional laws ``c_S``, ``c_F`` (log-normal weights with
``spread``), so that matching the recurrence is not an artefact of symmetry.  Its loss
is summed over prompts (``prompt_reduction = "sum"``): prompts have disjoint
parameters, so each prompt's step is independent of ``N`` (= mean with ``lr * N``).

**Tiny transformer** (:class:`TransformerPolicy`): a causal decoder with 1-2 layers
over vocabulary ``V``, output length ``T``, prompt ``q`` given as a prefix token
``V + q``.  ``pi_theta(o|q) = prod_t softmax(f_theta(q, o_<t))[o_t]``.  All ``V**T``
sequences are enumerated (batched), so PoS and KL are exact; the verifier is a rule
on the sequence (:func:`make_verifier`).  ``pi_ref`` is the initialised model (frozen
copy), as in Assumption 1 (``pi~_0 = pi_0 = pi_ref``).
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn


def sample_categorical(probs: torch.Tensor, num: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``num`` i.i.d. draws per row of ``probs`` (``(N, K)``, rows summing to 1) by the
    inverse CDF: ``idx = #{k : cdf_k <= u}`` with ``u ~ U[0, 1)``; returns ``(N, num)`` int64.

    Works identically on CPU and CUDA (one ``rand`` and one ``searchsorted``).
    """
    cdf = torch.cumsum(probs, dim=-1)
    cdf = cdf / cdf[..., -1:]
    u = torch.rand(probs.shape[:-1] + (num,), generator=generator, dtype=probs.dtype, device=probs.device)
    idx = torch.searchsorted(cdf.contiguous(), u.contiguous(), right=True)
    return idx.clamp_(max=probs.shape[-1] - 1)


def pos_from_log_probs(logp: torch.Tensor, success: torch.Tensor) -> torch.Tensor:
    """Exact PoS ``p(q) = sum_{o in S_q} pi(o|q)``."""
    return torch.where(success, torch.exp(logp), torch.zeros_like(logp)).sum(-1)


def tv_distance(logp: torch.Tensor, logq: torch.Tensor) -> torch.Tensor:
    """Total variation ``TV(pi, nu) = (1/2) sum_o |pi(o) - nu(o)|`` per prompt.

    (This equals ``sup_A |pi(A) - nu(A)|``, so ``|p_pi - p_nu| <= TV``.)
    """
    return 0.5 * (torch.exp(logp) - torch.exp(logq)).abs().sum(-1)


def nonparametric_iterate(ref_logp: torch.Tensor, success: torch.Tensor, p_ref: torch.Tensor,
                          p_n: torch.Tensor) -> torch.Tensor:
    r"""``log pi_n`` of the exact (non-parametric) iteration from ``pi_0 = pi_ref``.

    ``pi_n`` keeps ``pi_ref``'s conditional laws on successes and failures, so
    ``pi_n(o) = pi_ref(o) p_n/p_ref`` on ``S`` and ``pi_ref(o) (1-p_n)/(1-p_ref)`` on ``F``.
    """
    a = torch.log(p_n) - torch.log(p_ref)
    b = torch.log1p(-p_n) - torch.log1p(-p_ref)
    return ref_logp + torch.where(success, a.unsqueeze(-1), b.unsqueeze(-1))


# ============================================================================ tabular
class TabularPolicy(nn.Module):
    """Free logits ``theta`` of shape ``(N, K)``; ``pi_theta = softmax(theta)`` per prompt."""

    family = "tabular"
    prompt_reduction = "sum"

    def __init__(self, ref_logits: torch.Tensor, success: torch.Tensor):
        super().__init__()
        if ref_logits.shape != success.shape or ref_logits.dim() != 2:
            raise ValueError("ref_logits and success must both be (N, K)")
        self.logits = nn.Parameter(ref_logits.detach().clone())
        self.register_buffer("ref_logp", torch.log_softmax(ref_logits.detach(), -1))
        self.register_buffer("success", success.to(torch.bool))

    @property
    def num_prompts(self) -> int:
        return self.logits.shape[0]

    @property
    def num_outputs(self) -> int:
        return self.logits.shape[1]

    def log_probs_all(self) -> torch.Tensor:
        return torch.log_softmax(self.logits, dim=-1)

    def log_probs_at(self, idx: torch.Tensor) -> torch.Tensor:
        return self.log_probs_all().gather(-1, idx)

    def ref_log_probs_all(self) -> torch.Tensor:
        return self.ref_logp

    def ref_log_probs_at(self, idx: torch.Tensor) -> torch.Tensor:
        return self.ref_logp.gather(-1, idx)

    @torch.no_grad()
    def sample(self, G: int, generator=None, logp_all: torch.Tensor | None = None) -> torch.Tensor:
        """``G`` draws per prompt from the current policy (``logp_all``: its log-probabilities,
        if already computed)."""
        lp = self.log_probs_all() if logp_all is None else logp_all
        return sample_categorical(torch.exp(lp), G, generator)

    @torch.no_grad()
    def set_log_probs(self, logp: torch.Tensor) -> None:
        """Set the policy to a given distribution (logits = log-probabilities)."""
        self.logits.copy_(logp)


def default_success_counts(N: int, K: int) -> torch.Tensor:
    """``m_q = 1 + (q mod (K-1))``: every prompt has at least one success and one failure."""
    return 1 + torch.arange(N) % (K - 1)


def make_tabular_policy(p_ref, K: int, *, success_counts=None, spread: float = 1.0,
                        generator: torch.Generator | None = None, dtype=torch.float64,
                        device="cpu") -> TabularPolicy:
    """A :class:`TabularPolicy` at ``pi_ref`` with PoS exactly ``p_ref`` (module docstring).

    ``p_ref``: ``(N,)`` values in (0, 1); successes are the first ``m_q`` outputs
    (``success_counts``, default :func:`default_success_counts`); the conditional laws
    inside S and F are ``softmax(spread * z)`` with ``z ~ N(0, 1)`` from ``generator``
    (drawn on CPU, so the policy is the same on every device).
    """
    p_ref = torch.as_tensor(p_ref, dtype=torch.float64).reshape(-1)
    N = p_ref.numel()
    if K < 2:
        raise ValueError("need K >= 2 outputs")
    if not bool(((p_ref > 0) & (p_ref < 1)).all()):
        raise ValueError("p_ref must lie in (0, 1)")
    m = default_success_counts(N, K) if success_counts is None else torch.as_tensor(success_counts).reshape(-1)
    if m.numel() != N or bool(((m < 1) | (m > K - 1)).any()):
        raise ValueError("success counts must lie in [1, K-1], one per prompt")
    success = torch.arange(K)[None, :] < m[:, None]
    z = spread * torch.randn(N, K, generator=generator, dtype=torch.float64)
    ninf = torch.tensor(-math.inf, dtype=torch.float64)
    lzS = torch.logsumexp(torch.where(success, z, ninf), -1, keepdim=True)
    lzF = torch.logsumexp(torch.where(success, ninf, z), -1, keepdim=True)
    logits = torch.where(success, torch.log(p_ref)[:, None] + z - lzS,
                         torch.log1p(-p_ref)[:, None] + z - lzF)
    return TabularPolicy(logits.to(dtype), success).to(device)


# ======================================================================== transformer
def make_verifier(spec: str, vocab: int):
    """A verifier ``r(q, o)`` from a spec string; returns ``f(q (B,), seqs (B, T)) -> bool (B,)``.

    * ``"sum_mod:M"`` -- success iff ``(q + sum_t o_t) mod M == 0``;
    * ``"count:C"`` -- success iff token ``q mod V`` occurs at least ``C`` times in ``o``.
    """
    name, _, arg = str(spec).partition(":")
    try:
        val = int(arg) if arg else None
    except ValueError:
        raise ValueError(f"verifier {spec!r}: the argument must be an integer") from None
    if name == "sum_mod":
        M = 3 if val is None else val
        if M < 2:
            raise ValueError("sum_mod needs M >= 2")
        return lambda q, s: (q + s.sum(-1)) % M == 0
    if name == "count":
        C = 2 if val is None else val
        if C < 1:
            raise ValueError("count needs C >= 1")
        return lambda q, s: (s == (q % vocab).unsqueeze(-1)).sum(-1) >= C
    raise ValueError(f"unknown verifier {spec!r} (sum_mod:M or count:C)")


class _Block(nn.Module):
    """Pre-LayerNorm decoder block: causal multi-head self-attention then an MLP."""

    def __init__(self, d: int, heads: int, d_ff: int):
        super().__init__()
        if d % heads:
            raise ValueError("d_model must be divisible by the number of heads")
        self.h = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, d_ff), nn.GELU(), nn.Linear(d_ff, d))

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // self.h)
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        att = torch.softmax(att.masked_fill(mask, float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, D)
        x = x + self.proj(y)
        return x + self.mlp(self.ln2(x))


class TinyTransformer(nn.Module):
    """Causal decoder: tokens ``0..V-1`` are outputs, ``V + q`` is the prefix of prompt ``q``.

    Input ``(B, T)`` = ``[V+q, o_1, .., o_{T-1}]``; output ``(B, T, V)`` logits of
    ``o_1..o_T``.
    """

    def __init__(self, vocab: int, num_prompts: int, length: int, d_model: int = 32,
                 layers: int = 1, heads: int = 2, d_ff: int = 64, init_scale: float = 1.0):
        super().__init__()
        self.vocab, self.length = vocab, length
        self.tok = nn.Embedding(vocab + num_prompts, d_model)
        self.pos = nn.Embedding(length, d_model)
        self.blocks = nn.ModuleList([_Block(d_model, heads, d_ff) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab)
        with torch.no_grad():  # a non-uniform pi_ref: scale the output layer
            self.head.weight.mul_(init_scale)

    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.shape[1], device=x.device))
        for b in self.blocks:
            h = b(h)
        return self.head(self.ln_f(h))


class TransformerPolicy(nn.Module):
    """A :class:`TinyTransformer` policy over all ``V**T`` sequences (module docstring).

    Output index ``k`` is the sequence whose base-``V`` digits (most significant first)
    are ``o_1..o_T``.  ``chunk`` bounds the number of sequences per forward pass.
    """

    family = "transformer"
    prompt_reduction = "mean"

    def __init__(self, model: TinyTransformer, num_prompts: int, verifier, chunk: int = 65536):
        super().__init__()
        self.model = model
        self.ref_model = copy.deepcopy(model).requires_grad_(False)
        V, T = model.vocab, model.length
        self.V, self.T, self.N, self.chunk = V, T, num_prompts, chunk
        codes = torch.arange(V ** T)
        powers = V ** torch.arange(T - 1, -1, -1)
        device = next(model.parameters()).device
        self.register_buffer("all_seqs", ((codes[:, None] // powers) % V).to(device))
        self.register_buffer("powers", powers.to(device))
        q = torch.arange(num_prompts, device=device)
        succ = verifier(q[:, None].expand(-1, V ** T), self.all_seqs.unsqueeze(0).expand(num_prompts, -1, -1))
        self.register_buffer("success", succ.to(torch.bool))
        with torch.no_grad():
            self.register_buffer("ref_logp", self._all(self.ref_model))

    @property
    def num_prompts(self) -> int:
        return self.N

    @property
    def num_outputs(self) -> int:
        return self.V ** self.T

    def seq_log_probs(self, model, prompts: torch.Tensor, seqs: torch.Tensor) -> torch.Tensor:
        """``log pi(o|q) = sum_t log softmax(f(q, o_<t))[o_t]`` for ``(B,)`` prompts, ``(B, T)`` seqs."""
        x = torch.cat([(prompts + self.V).unsqueeze(-1), seqs[:, :-1]], dim=1)
        logp = torch.log_softmax(model(x), dim=-1)
        return logp.gather(-1, seqs.unsqueeze(-1)).squeeze(-1).sum(-1)

    def _all(self, model) -> torch.Tensor:
        K = self.num_outputs
        q = torch.arange(self.N, device=self.all_seqs.device)
        per = max(1, self.chunk // K)  # prompts per chunk
        out = []
        for s in range(0, self.N, per):
            qs = q[s:s + per]
            P = qs.repeat_interleave(K)
            S = self.all_seqs.repeat(qs.numel(), 1)
            out.append(self.seq_log_probs(model, P, S).view(qs.numel(), K))
        return torch.cat(out, 0)

    def log_probs_all(self) -> torch.Tensor:
        return self._all(self.model)

    def log_probs_at(self, idx: torch.Tensor) -> torch.Tensor:
        N, S = idx.shape
        P = torch.arange(N, device=idx.device).repeat_interleave(S)
        return self.seq_log_probs(self.model, P, self.all_seqs[idx.reshape(-1)]).view(N, S)

    def ref_log_probs_all(self) -> torch.Tensor:
        return self.ref_logp

    def ref_log_probs_at(self, idx: torch.Tensor) -> torch.Tensor:
        return self.ref_logp.gather(-1, idx)

    @torch.no_grad()
    def sample(self, G: int, generator=None, logp_all: torch.Tensor | None = None) -> torch.Tensor:
        """Autoregressive sampling of ``G`` sequences per prompt (token by token from the model;
        ``logp_all`` is ignored); returns output indices."""
        N = self.N
        x = (torch.arange(N, device=self.all_seqs.device) + self.V).repeat_interleave(G).unsqueeze(-1)
        for _ in range(self.T):
            probs = torch.softmax(self.model(x)[:, -1, :], dim=-1)
            x = torch.cat([x, sample_categorical(probs, 1, generator)], dim=1)
        seqs = x[:, 1:]
        return (seqs * self.powers).sum(-1).view(N, G)


def make_transformer_policy(num_prompts: int, *, vocab: int = 4, length: int = 4, d_model: int = 32,
                            layers: int = 1, heads: int = 2, d_ff: int = 64, init_scale: float = 1.0,
                            verifier: str = "sum_mod:3", seed: int = 0, dtype=torch.float64,
                            device="cpu", chunk: int = 65536) -> TransformerPolicy:
    """A :class:`TransformerPolicy` with deterministic initialisation (built on CPU from
    ``seed``, then moved), ``pi_ref`` = the initial model.  Raises ``ValueError`` when
    some prompt has PoS 0 or 1 under the verifier (no success or no failure)."""
    if vocab < 2 or length < 1:
        raise ValueError("need vocab >= 2 and length >= 1")
    if vocab ** length > 1 << 20:
        raise ValueError(f"V**T = {vocab ** length} sequences is too many to enumerate (max 2**20)")
    ver = make_verifier(verifier, vocab)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = TinyTransformer(vocab, num_prompts, length, d_model, layers, heads, d_ff, init_scale)
    model = model.to(dtype=dtype, device=device)
    pol = TransformerPolicy(model, num_prompts, ver, chunk=chunk)
    bad = (~pol.success.any(-1)) | pol.success.all(-1)
    if bool(bad.any()):
        q = int(torch.nonzero(bad)[0])
        raise ValueError(f"verifier {verifier!r} gives prompt {q} no success or no failure (PoS 0 or 1)")
    return pol
