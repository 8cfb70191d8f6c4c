"""Vectorised phase-diagram helpers (float64; for figures, never for verdicts).

* :func:`count_fixed_points` counts sign changes of ``G = g - id`` on a grid of
  log-odds spanning ``[L_ref + inf Omega/(alpha beta), L_ref + sup Omega/(alpha beta)]``
  (where every fixed point lies), uniform in ``asinh(L)``, and :func:`grid_roots` gives the
  interpolated roots and the slopes ``g'`` there (the figures' phase diagrams);
* :func:`classify_orbits` iterates the map and labels each orbit;
* :func:`classify_orbits_active` gives the same labels while iterating only the orbits not
  yet labelled (an *active set*: an orbit leaves it as soon as it is seen to settle on a
  cycle or to escape), typically tens of times faster on a phase diagram.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..exact.logit_map import MapConstants, g_of
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


# ------------------------------------------------------------------ active set
class ActiveOrbits(NamedTuple):
    """Labels of :func:`classify_orbits_active` (arrays of the broadcast shape)."""

    kind: np.ndarray  # CONVERGES, TO_ONE or UNRESOLVED
    period: np.ndarray  # k >= 1 for CONVERGES (1: fixed point, k: k-cycle), else 0
    last: np.ndarray  # the iterate at which the orbit was labelled (the last one if never)
    low: np.ndarray  # the smallest of the last ``period`` iterates (the limit for period 1), else NaN
    high: np.ndarray  # the largest of them (the limit for period 1), else NaN
    steps_used: np.ndarray  # map steps taken before the label was given


def _periods(H: np.ndarray, t: int, kmax: int, tol: float, sep: float, cand: np.ndarray) -> np.ndarray:
    """Smallest ``k <= kmax`` with ``|L_{t-j} - L_{t-j-k}| < tol (1 + |L_t|)`` for every
    ``j = 0..k`` and, for ``k >= 2``, ``|L_t - L_{t-i}| > sep (1 + |L_t|)`` for ``0 < i < k``
    (distinct cycle points: a fixed point approached slowly with a slope near -1 repeats
    with lag 2 long before it repeats with lag 1); 0 where there is none.  Only the columns
    ``cand`` of the ring buffer ``H`` are tested (row ``n % len(H)`` holds ``L_n``;
    ``len(H) >= 2 kmax + 1``)."""
    rows = len(H)
    period = np.zeros(H.shape[1], dtype=int)
    kmax = min(kmax, t // 2)
    if kmax < 1 or not cand.any():
        return period
    cur = H[t % rows]
    scale = 1 + np.abs(cur)
    dist = np.abs(H[[(t - k) % rows for k in range(1, kmax + 1)]] - cur) / scale
    near = (dist < tol) & cand
    idx = np.flatnonzero(near.any(axis=0))
    for k in range(1, kmax + 1):
        sel = idx[near[k - 1, idx] & (period[idx] == 0)]
        if k > 1 and sel.size:
            sel = sel[np.all(dist[:k - 1, sel] > sep, axis=0)]
        if sel.size == 0:
            continue
        lag = np.arange(1, k + 1)
        a, b = H[np.ix_((t - lag) % rows, sel)], H[np.ix_((t - lag - k) % rows, sel)]
        period[sel[np.all(np.abs(a - b) < tol * scale[sel], axis=0)]] = k
    return period


def _label(out: dict, where, H, r: int, t: int, L, up, per) -> None:
    """Write the labels of the orbits ``where`` at step ``t`` (``L``: their iterates; ``up``:
    escaped; ``per > 0``: settled; ring ``H`` with row ``r`` the newest)."""
    rows = len(H)
    c = per > 0
    low = high = np.full(L.size, np.nan)
    if c.any():
        kmax = int(per.max())
        stack = np.stack([H[(r - j) % rows] for j in range(kmax)])
        mask = np.arange(kmax)[:, None] < per
        low = np.where(c, np.min(np.where(mask, stack, np.inf), axis=0), np.nan)
        high = np.where(c, np.max(np.where(mask, stack, -np.inf), axis=0), np.nan)
    out["kind"][where] = np.where(up, TO_ONE, np.where(c, CONVERGES, UNRESOLVED))
    out["period"][where] = per
    out["last"][where] = L
    out["low"][where] = low
    out["high"][where] = high
    out["steps_used"][where] = t


def _active_block(L, cols: dict, step, esc, ids, t: int, stop: int, final: bool, max_period: int,
                  tol: float, out: dict):
    """Iterate the orbits ``ids`` (flat positions; iterates ``L`` at step ``t``) up to step
    ``stop``, labelling into ``out`` those that settle or escape (and, when ``final``, the
    rest as UNRESOLVED); returns the survivors ``(L, cols, esc, ids)``.  Tests every 8
    steps: period 1 each time, periods up to 8 every 32 steps and up to ``max_period`` every
    128 steps and at the end (a test of ``k`` lags costs about ``k/3`` map steps)."""
    rows = 2 * max_period + 2
    sep = max(tol, tol ** 0.5)
    H = np.empty((rows, L.size))
    H[0] = L
    live = np.ones(L.size, dtype=bool)
    top = L.copy()  # the largest iterate so far (NaN-blind: an orbit that overflowed to inf, then NaN)
    r = 0  # steps since this call began (ring row r % rows holds the newest iterate)
    while t < stop and ids.size:
        for _ in range(min(8, stop - t)):
            L = step(L, cols)
            t, r = t + 1, r + 1
            H[r % rows] = L
            np.fmax(top, L, out=top)
        last = final and t >= stop
        up = live & (top > esc)
        nan = live & np.isnan(L)
        kmax = max_period if (last or r % 128 == 0) else min(8, max_period) if r % 32 == 0 else 1
        per = _periods(H, r, kmax, tol, 0.0 if last else sep, live & ~up & ~nan)
        done = up | nan | (per > 0) | (live if last else False)
        if done.any():
            _label(out, ids[done], H[:, done], r, t, L[done], up[done], per[done])
            live &= ~done
        if live.sum() < 0.75 * live.size:  # compact: drop the labelled orbits
            L, H, ids, esc, top = L[live], H[:, live], ids[live], esc[live], top[live]
            cols = {k: v[live] for k, v in cols.items()}
            live = np.ones(L.size, dtype=bool)
    return L[live], {k: v[live] for k, v in cols.items()}, esc[live], ids[live]


def classify_orbits_active(L0, L_ref, alpha, beta, norm: str = "std", eps=0.0, steps: int = 2000,
                           max_period: int = 16, tol: float = 1e-9, *, step=None, escape=None,
                           block: int = 16384) -> ActiveOrbits:
    r"""Label orbits like :func:`classify_orbits`, iterating an *active set*.

    Every 8 steps each orbit still active is tested (period 1; periods up to 8 every 32
    steps, up to ``max_period`` every 128 steps -- up to 16 during the first 256 steps);
    it leaves the active set labelled

    * ``CONVERGES`` with period ``k`` -- the smallest ``k <= max_period`` with
      ``|L_{t-j} - L_{t-j-k}| < tol (1 + |L_t|)`` for ``j = 0..k`` (``k + 1`` consecutive
      repeats, from a ring buffer of the last ``2 max_period + 2`` iterates) whose ``k``
      points are more than ``sqrt(tol) (1 + |L_t|)`` apart (the last test, after ``steps``
      steps, drops that separation, as :func:`classify_orbits` does);
    * ``TO_ONE`` -- an iterate ``+inf`` or beyond ``escape`` (by default
      ``max(700, L_ref + sup Omega/(alpha beta) + 1)``, past every fixed point; the mirror
      map, ``alpha = 0``, where ``G = Omega/beta > 0``, is labelled at once as in
      :func:`classify_orbits`);
    * ``UNRESOLVED`` -- NaN (without an escape first), or still active after ``steps`` steps.

    Orbits are processed in blocks of ``block`` cells and the arrays are compacted when a
    quarter of a block has been labelled, so the cost is the sum of the orbits' settling
    times instead of ``steps`` per orbit.  ``step(L, cols)``, if given, is the map on the
    active orbits, with ``cols`` the dict of per-orbit arrays ``L_ref, alpha, beta, eps``
    (compacted with them); by default it is :func:`grpo_symbolic.numeric.maps.g` with
    ``norm``.  float64, for figures and atlases; never a verdict.

    >>> Lr = np.log(np.array([0.2, 0.001]) / np.array([0.8, 0.999]))    # p_ref = 0.2 and 0.001
    >>> r = classify_orbits_active(Lr, Lr, 1.0, np.array([1.0, 5.0]), "std", 1e-5)
    >>> r.kind.tolist(), r.period.tolist(), round(float(r.low[0]), 7)
    ([1, 1], [1, 2], 0.7596762)
    >>> bool(r.steps_used.max() < 2000)
    True
    """
    L0, L_ref, alpha, beta, eps = np.broadcast_arrays(*(np.asarray(v, float) for v in (L0, L_ref, alpha, beta, eps)))
    shape = L0.shape
    cols = {"L_ref": L_ref.ravel(), "alpha": alpha.ravel(), "beta": beta.ravel(), "eps": eps.ravel()}
    flat0 = L0.ravel()
    n = flat0.size
    out = {"kind": np.full(n, UNRESOLVED), "period": np.zeros(n, dtype=int), "last": flat0.copy(),
           "low": np.full(n, np.nan), "high": np.full(n, np.nan), "steps_used": np.zeros(n, dtype=int)}
    todo = np.ones(n, dtype=bool)
    if step is None:
        uniform = {k: float(v[0]) for k, v in cols.items() if k in ("alpha", "eps") and v.size and np.all(v == v[0])}
        cols["_aL"], cols["_inv_b"] = cols["alpha"] * cols["L_ref"], 1 / cols["beta"]

        def step(L, c):  # maps.g, with the constants computed once
            a = uniform.get("alpha", c["alpha"])
            return g_of(L, omega(L, norm, uniform.get("eps", c["eps"])), MapConstants(a, 1 - a, c["_inv_b"], c["_aL"]))

        mirror = cols["alpha"] == 0
        out["kind"][mirror] = TO_ONE
        todo &= ~mirror
        if escape is None:
            a = np.where(mirror, 1.0, cols["alpha"])
            _, hi = _domain(cols["L_ref"], a, cols["beta"], norm, cols["eps"])
            escape = np.maximum(700.0, hi).reshape(shape)
    esc = np.broadcast_to(np.asarray(700.0 if escape is None else escape, float), shape).ravel()
    pos = np.flatnonzero(todo)
    # the first 256 steps block by block, periods <= 16 (a short ring, cheap to compact); then
    # the few orbits left, pooled from every block, with the full ring
    first = min(steps, 256)
    left = []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for a in range(0, pos.size, block):
            at = pos[a:a + block]
            rest = _active_block(flat0[at], {k: v[at] for k, v in cols.items()}, step, esc[at], at, 0, first,
                                 first == steps, min(max_period, 16), tol, out)
            if rest[3].size:
                left.append(rest)
        if left:
            L = np.concatenate([r[0] for r in left])
            c = {k: np.concatenate([r[1][k] for r in left]) for k in left[0][1]}
            e, ids = np.concatenate([r[2] for r in left]), np.concatenate([r[3] for r in left])
            for a in range(0, ids.size, block):
                sl = slice(a, a + block)
                _active_block(L[sl], {k: v[sl] for k, v in c.items()}, step, e[sl], ids[sl], first, steps, True,
                              max_period, tol, out)
    return ActiveOrbits(*(out[k].reshape(shape) for k in ActiveOrbits._fields))
