r"""The k3 estimator makes the expected GRPO objective non-concave.

In expectation mode with ``kl="k3"`` (what TRL and verl optimise, in expectation over
``o ~ pi_old``) and ``alpha = 1`` the objective of one iteration is

.. math:: J(\pi) = \sum_o \pi(o) \bar A(o)
          - \beta \sum_o \pi_{old}(o)\, k_3\!\left(\frac{\pi_{ref}(o)}{\pi(o)}\right),
          \qquad k_3(x) = x - \log x - 1 .

Each penalty term has second derivative (:func:`k3_term_curvature`, derived by SymPy)

.. math:: \frac{\partial^2}{\partial \pi^2}\Big[-\beta w\, k_3(r/\pi)\Big]
          = -\beta w \frac{2r - \pi}{\pi^3},

negative only for ``pi(o) < 2 pi_ref(o)``.  Once GRPO more than doubles a success's
probability the term is *convex* there, so the maximiser need not keep ``pi_ref``'s
conditional law on the successes (the assumption of the two-class model
:func:`.theory.reduced_objective`), and a local optimiser can stop at a local maximum.
:func:`maximise_k3_objective` finds the maximiser over the whole simplex by multi-start
L-BFGS, so the two can be compared (:func:`conditional_tv`).
"""

from __future__ import annotations

import math

import sympy as sp
import torch


def k3_term_curvature() -> tuple[sp.Expr, sp.Expr]:
    r"""``(term, second derivative)`` of ``-beta w k3(r/pi)`` in ``pi``, by SymPy, the second
    derivative simplified to ``-beta w (2r - pi)/pi^3``.

    >>> term, d2 = k3_term_curvature()
    >>> d2
    -beta*w*(-pi + 2*r)/pi**3
    """
    pi, r, w, beta = sp.symbols("pi r w beta", positive=True)
    x = r / pi
    term = -beta * w * (x - sp.log(x) - 1)
    return term, sp.factor(sp.simplify(sp.diff(term, pi, 2)))


def k3_objective(logp: torch.Tensor, logp_ref: torch.Tensor, logp_old: torch.Tensor,
                 advantages: torch.Tensor, beta: float) -> torch.Tensor:
    """``J(pi)`` of the module docstring, ``(N,)`` (``alpha = 1``; all arguments ``(N, K)``)."""
    x = torch.exp(logp_ref - logp)
    return (torch.exp(logp) * advantages).sum(-1) - beta * (torch.exp(logp_old) * (x - torch.log(x) - 1)).sum(-1)


def maximise_k3_objective(logp_ref: torch.Tensor, logp_old: torch.Tensor, advantages: torch.Tensor,
                          beta: float, *, starts: int = 32, spread: float = 3.0, seed: int = 0,
                          extra: list[torch.Tensor] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The best of ``starts`` L-BFGS runs (random logits ``logp_ref + spread * z``, plus the
    starts in ``extra``) on :func:`k3_objective`, per prompt: ``(log-probabilities, J)``.

    A lower bound on the maximum (multi-start cannot prove a global maximum); it is enough
    to refute a claimed maximiser that it beats.
    """
    g = torch.Generator().manual_seed(seed)
    inits = [t.detach() for t in (extra or [])]
    inits += [logp_ref + spread * torch.randn(logp_ref.shape, generator=g, dtype=logp_ref.dtype)
              for _ in range(starts)]
    best_l, best_j = None, None
    for init in inits:
        theta = init.clone().requires_grad_(True)
        opt = torch.optim.LBFGS([theta], lr=1.0, max_iter=500, history_size=50, tolerance_grad=1e-12,
                                tolerance_change=1e-15, line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            loss = -k3_objective(torch.log_softmax(theta, -1), logp_ref, logp_old, advantages, beta).sum()
            loss.backward()
            return loss

        for _ in range(4):
            opt.step(closure)
        with torch.no_grad():
            lp = torch.log_softmax(theta, -1)
            j = k3_objective(lp, logp_ref, logp_old, advantages, beta)
            if best_j is None:
                best_l, best_j = lp.clone(), j.clone()
            else:
                better = j > best_j
                best_l[better], best_j[better] = lp[better], j[better]
    return best_l, best_j


def conditional_tv(logp: torch.Tensor, logp_ref: torch.Tensor, success: torch.Tensor) -> torch.Tensor:
    """``(N, 2)``: total variation between ``pi``'s and ``pi_ref``'s conditional laws on the
    successes (column 0) and on the failures (column 1); 0 when a class has one output."""
    ninf = torch.tensor(-math.inf, dtype=logp.dtype, device=logp.device)
    out = []
    for cls in (success, ~success):
        a = torch.where(cls, logp, ninf).log_softmax(-1).exp().nan_to_num()
        b = torch.where(cls, logp_ref, ninf).log_softmax(-1).exp().nan_to_num()
        out.append(0.5 * (a - b).abs().sum(-1))
    return torch.stack(out, -1)
