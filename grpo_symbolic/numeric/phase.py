"""Vectorised phase-diagram helpers (float64; for figures, never for verdicts).

* :func:`count_fixed_points` counts sign changes of ``G = g - id`` on a grid of
  log-odds spanning ``[L_ref + inf Omega/(alpha beta), L_ref + sup Omega/(alpha beta)]``
  (where every fixed point lies), uniform in ``asinh(L)``, and :func:`grid_roots` gives the
  interpolated roots and the slopes ``g'`` there (the figures' phase diagrams);
* :func:`classify_orbits` iterates the map and labels each orbit.
"""

from __future__ import annotations

import numpy as np

from .maps import dg, g, omega

CONVERGES, TO_ONE, UNRESOLVED = 1, -1, 0


def _domain(L_ref, alpha, beta, norm, eps):
    """``[L_ref + inf Omega/(alpha beta) - 1, L_ref + sup Omega/(alpha beta) + 1]``, with
    ``inf Omega = Omega(0)`` and ``sup Omega = Omega(+-inf)`` (a wide finite window where
    Omega is unbounded)."""
    inf, sup = omega(0.0, norm, eps), omega(np.inf, norm, eps)
    lo = L_ref + inf / (alpha * beta) - 1
    hi = L_ref + sup / (alpha * beta) + 1
    return lo, np.where(np.isfinite(hi), hi, np.maximum(lo + 200, 1500.0))


def _grid_G(L_ref, alpha, beta, norm, eps, grid):
    """The broadcast parameters ``(L_ref, alpha, beta, eps)``, a log-odds grid ``L`` (last
    axis, ``grid`` points uniform in ``asinh(L)`` over :func:`_domain`) and ``G = g - L`` on it."""
    L_ref, alpha, beta, eps = np.broadcast_arrays(*(np.asarray(v, float) for v in (L_ref, alpha, beta, eps)))
    lo, hi = _domain(L_ref, alpha, beta, norm, eps)
    u = np.linspace(0.0, 1.0, grid)
    a, b = np.arcsinh(lo), np.arcsinh(hi)
    L = np.sinh(a[..., None] + (b - a)[..., None] * u)
    with np.errstate(over="ignore", invalid="ignore"):
        G = g(L, L_ref[..., None], alpha[..., None], beta[..., None], norm, eps[..., None]) - L
    return (L_ref, alpha, beta, eps), L, G


def count_fixed_points(L_ref, alpha, beta, norm: str = "std", eps=0.0, grid: int = 6000):
    """Number of zeros of ``G`` seen on the grid (``alpha > 0``), broadcasting."""
    _, _, G = _grid_G(L_ref, alpha, beta, norm, eps, grid)
    s = np.sign(G)
    return np.sum(s[..., 1:] * s[..., :-1] < 0, axis=-1)


def grid_roots(L_ref, alpha, beta, norm: str = "std", eps=0.0, grid: int = 3000):
    """``(root, slope, change)`` on the grid of :func:`count_fixed_points` (``alpha > 0``,
    broadcasting; the last axis runs over the ``grid - 1`` cells): ``change`` marks the
    cells where ``G`` changes sign, ``root`` is the secant (linear interpolation) zero of
    ``G`` there and ``slope`` is ``g'`` at it (NaN elsewhere).

    >>> root, slope, change = grid_roots(0.0, 1.0, 2.0, "mean", grid=101)   # L* = 1/beta
    >>> int(change.sum()), round(float(root[change][0]), 12), float(slope[change][0])
    (1, 0.5, 0.0)
    """
    (L_ref, alpha, beta, eps), L, G = _grid_G(L_ref, alpha, beta, norm, eps, grid)
    change = np.sign(G[..., 1:]) * np.sign(G[..., :-1]) < 0
    G0, G1 = G[..., :-1], G[..., 1:]
    L0, L1 = L[..., :-1], L[..., 1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.where(change, L0 - G0 * (L1 - L0) / (G1 - G0), np.nan)
        slope = np.where(change, dg(np.nan_to_num(root), L_ref[..., None], alpha[..., None], beta[..., None], norm,
                                    eps[..., None]), np.nan)
    return root, slope, change


def classify_orbits(L0, L_ref, alpha, beta, norm: str = "std", eps=0.0, steps: int = 2000,
                    max_period: int = 16, tol: float = 1e-9):
    """Label orbits: ``(kind, period, last)`` arrays with kind in
    {CONVERGES (1), TO_ONE (-1), UNRESOLVED (0)} and ``period`` >= 1 for converging
    orbits (1 = fixed point, k = cycle of period k)."""
    L0, L_ref, alpha, beta, eps = np.broadcast_arrays(*(np.asarray(v, float) for v in (L0, L_ref, alpha, beta, eps)))
    L = L0.copy()
    hist = []
    keep = max_period + 2
    lo, hi = _domain(L_ref, alpha, beta, norm, eps) if np.all(alpha > 0) else (None, None)
    for n in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            L = g(L, L_ref, alpha, beta, norm, eps)
        if n >= steps - keep:
            hist.append(L.copy())
    H = np.stack(hist)
    kind = np.full(L.shape, UNRESOLVED)
    period = np.zeros(L.shape, dtype=int)
    last = H[-1]
    scale = 1 + np.abs(last)
    with np.errstate(invalid="ignore"):
        for k in range(max_period, 0, -1):
            close = np.abs(H[-1] - H[-1 - k]) < tol * scale
            close &= np.abs(H[-2] - H[-2 - k]) < tol * scale
            kind = np.where(close, CONVERGES, kind)
            period = np.where(close, k, period)
        grows = ~np.isfinite(last) | (last > 700)
        if lo is None:
            grows |= alpha == 0
        else:
            grows &= ~np.isfinite(hi) | (last > hi)
    kind = np.where(grows, TO_ONE, kind)
    period = np.where(grows, 0, period)
    return kind, period, last
