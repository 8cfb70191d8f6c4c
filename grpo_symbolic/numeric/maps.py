r"""Float64 PoS maps in log-odds, broadcasting over every argument.

``g(L) = alpha*L_ref + (1-alpha)*L + Omega(L)/beta`` with
``Omega = (p(1-p) + eps)^(-1/2)`` (``norm="std"``) or ``1`` (``norm="mean"``),
``p(1-p) = e^{-|L|}/(1+e^{-|L|})^2`` (overflow-free).

>>> import numpy as np
>>> float(np.round(g(0.0, L_ref=0.0, alpha=1.0, beta=2.0, norm="mean"), 12))
0.5
"""

from __future__ import annotations

import numpy as np


def logit(p):
    p = np.asarray(p, dtype=float)
    return np.log(p) - np.log1p(-p)


def sigmoid(L):
    L = np.asarray(L, dtype=float)
    e = np.exp(-np.abs(L))
    return np.where(L >= 0, 1 / (1 + e), e / (1 + e))


def _s(L):
    e = np.exp(-np.abs(np.asarray(L, dtype=float)))
    return e / (1 + e) ** 2


def omega(L, norm: str = "std", eps=0.0):
    """Omega(L); with ``eps = 0`` it equals ``2 cosh(L/2)`` (may overflow to inf)."""
    L = np.asarray(L, dtype=float)
    if norm == "mean":
        return np.ones(np.broadcast(L, np.asarray(eps)).shape)
    eps = np.asarray(eps, dtype=float)
    with np.errstate(over="ignore", divide="ignore"):
        big = 2 * np.cosh(L / 2)
        small = 1 / np.sqrt(_s(L) + eps)
    return np.where(eps == 0, big, small)


def domega(L, norm: str = "std", eps=0.0):
    L = np.asarray(L, dtype=float)
    if norm == "mean":
        return np.zeros(np.broadcast(L, np.asarray(eps)).shape)
    eps = np.asarray(eps, dtype=float)
    s = _s(L)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        gen = 0.5 * s * np.tanh(L / 2) * (s + eps) ** -1.5
        zero = np.sinh(L / 2)
    return np.where(eps == 0, zero, gen)


def g(L, L_ref, alpha, beta, norm: str = "std", eps=0.0):
    """The iteration map in log-odds (see module docstring)."""
    L = np.asarray(L, dtype=float)
    return alpha * np.asarray(L_ref, float) + (1 - np.asarray(alpha, float)) * L + omega(L, norm, eps) / beta


def dg(L, L_ref, alpha, beta, norm: str = "std", eps=0.0):
    return (1 - np.asarray(alpha, float)) + domega(L, norm, eps) / beta


def h(p, p_ref, beta, alpha=1.0, norm: str = "std", eps=0.0):
    """The map in PoS coordinates ``p -> sigmoid(g(logit p))`` (for plots)."""
    return sigmoid(g(logit(p), logit(p_ref), alpha, beta, norm, eps))


def iterate(L0, L_ref, alpha, beta, norm: str = "std", eps=0.0, steps: int = 50):
    """Array of shape ``(steps+1, *broadcast shape)`` of the log-odds orbit."""
    L = np.asarray(np.broadcast_arrays(L0, L_ref, alpha, beta, eps)[0], dtype=float).copy()
    out = [L.copy()]
    for _ in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            L = g(L, L_ref, alpha, beta, norm, eps)
        out.append(L.copy())
    return np.stack(out)
