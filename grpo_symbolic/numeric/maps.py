r"""Float64 PoS maps in log-odds, broadcasting over every argument (parameters included).

Thin NumPy adapters of the kernel: ``Omega`` and ``Omega'`` come from
:mod:`grpo_symbolic.exact.weights` (:func:`~grpo_symbolic.exact.weights.population_omega_np`,
``Omega = (p(1-p) + eps)^(-1/2)`` for ``norm="std"``, ``1`` for ``norm="mean"``) and the map
``g(L) = alpha*L_ref + (1-alpha)*L + Omega(L)/beta`` from
:func:`grpo_symbolic.exact.logit_map.g_of`; only the broadcasting of parameter arrays (one
variant per cell of a phase diagram) is done here.

>>> import numpy as np
>>> float(np.round(g(0.0, L_ref=0.0, alpha=1.0, beta=2.0, norm="mean"), 12))
0.5
"""

from __future__ import annotations

import numpy as np

from ..exact.logit_map import MapConstants, dg_of, g_of
from ..exact.weights import NP
from ..exact.weights import population_domega_np as domega  # noqa: F401  (dOmega/dL(L, norm, eps))
from ..exact.weights import population_omega_np as omega  # noqa: F401  (Omega(L, norm, eps))


def logit(p):
    return NP.call(lambda x, xp: xp.logit(x), p)


def sigmoid(L):
    return NP.call(lambda x, xp: xp.sigmoid(x), L)


def _consts(L_ref, alpha, beta) -> MapConstants:
    """The map's constants as (broadcasting) arrays."""
    a = np.asarray(alpha, float)
    return MapConstants(a, 1 - a, 1 / np.asarray(beta, float), a * np.asarray(L_ref, float))


def g(L, L_ref, alpha, beta, norm: str = "std", eps=0.0):
    """The iteration map in log-odds (see module docstring)."""
    L = np.asarray(L, dtype=float)
    return g_of(L, omega(L, norm, eps), _consts(L_ref, alpha, beta))


def dg(L, L_ref, alpha, beta, norm: str = "std", eps=0.0):
    return dg_of(domega(L, norm, eps), _consts(L_ref, alpha, beta))


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
