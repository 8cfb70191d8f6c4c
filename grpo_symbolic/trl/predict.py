r"""What the theory predicts for a TRL run: per prompt and aggregated.

For each prompt with ``k`` successes in ``n`` reference samples (:mod:`.pref`):

* the theory's variant of the config (:mod:`.config`) at ``p_ref = k/n``;
* its certified fixed points and orbit kind
  (:func:`grpo_symbolic.exact.dynamics.compute_dynamics`: ``converges``, ``cycle``, ``to_one``,
  ``bounded``, or ``unresolved`` within the step budget);
* the trajectory ``p_0 = p_ref, p_1, ..., p_N`` (:func:`grpo_symbolic.training.theory.effective_pos`:
  the kernel's clipped map with the finite-G TRL weights, 30 digits);
* a band: the range of ``p_n`` when ``p_ref`` runs over the Clopper--Pearson interval of
  ``k/n`` (``p_ref`` enters both the start and the KL anchor).  ``p_n`` need not be monotone in
  ``p_ref`` (the map's slope can be negative), so the band is the min/max over a grid of the
  interval (its ends and ``k/n`` included), and the report says whether ``p_n`` was monotone on
  that grid.  It is a numeric band (float64 after 30-digit iteration), not a certificate, and it
  only propagates the uncertainty of ``p_ref``: not TRL's sampling noise, not its optimiser.

Special cases: ``k = 0`` -- the estimate ``p_ref = 0`` is a fixed point (no success is ever
sampled, every advantage is 0), so the point prediction is 0 for ever and the band is
``[0, p_n(p_hi)]``-like; ``k = n`` symmetrically stays at 1; ``beta = 0`` -- the ``beta -> 0+``
limit of the clipped map (:meth:`.config.TrlMapping.limit_params`), orbit ``to_one``: every step
raises the log-odds by at least ``min(log(1 + eps_high), ...) > 0``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..training.theory import effective_pos
from .config import TrlMapping
from .pref import PrefRow, clopper_pearson

OSCILLATING = ("cycle", "bounded")


def _grid(lo: float, hi: float, p_hat: float, size: int) -> np.ndarray:
    """``size`` points of ``(lo, hi)`` equally spaced in log-odds, with ``lo``, ``hi``, ``p_hat``
    (ends at exactly 0 or 1 are left out: they are fixed points, handled by the caller)."""
    a = lo if lo > 0 else hi * 1e-6
    b = hi if hi < 1 else 1 - (1 - lo) * 1e-6
    a, b = (min(max(x, 1e-12), 1 - 1e-12) for x in (a, b))  # |logit| < 28
    la, lb = math.log(a) - math.log1p(-a), math.log(b) - math.log1p(-b)
    pts = 1 / (1 + np.exp(-np.linspace(la, lb, size)))
    extra = [x for x in (lo, hi, p_hat) if 0 < x < 1]
    return np.unique(np.concatenate([pts, extra]))


def _trajectories(m: TrlMapping, p_ref: np.ndarray, N: int, beta_scale) -> np.ndarray:
    """``(N+1, len(p_ref))`` predicted PoS (kernel maps, 30 digits, rounded to float64)."""
    P = m.theory_params("1/2", beta_scale)
    kl = "exact" if m.beta_zero else m.kl
    return effective_pos(P, p_ref, N, statistics="group", kl=kl)


def _dynamics(m: TrlMapping, p_hat: Fraction, beta_scale, digits: int, steps: int) -> dict:
    """Fixed points and orbit kind at ``p_ref = p_hat`` (the certified analysis of the kernel)."""
    if p_hat == 0:
        return {"kind": "stays_at_0", "fixed_points": [], "note": "p_ref = 0: no success is ever sampled"}
    if p_hat == 1:
        return {"kind": "stays_at_1", "fixed_points": [], "note": "p_ref = 1: every sample succeeds"}
    if m.beta_zero:
        return {"kind": "to_one", "fixed_points": [], "note": "beta = 0: g_c(L) = max(T_S, T_F) > L for every L "
                "(T_S - L >= log(1 + eps_high), T_F > L when eps > 0): no interior fixed point, p_n -> 1"}
    from ..exact.dynamics import compute_dynamics

    rep = compute_dynamics(m.params_for(p_hat, beta_scale), digits=digits, steps=steps).to_json()
    o = rep["orbit"]
    fps = [{"p": f["p"], "one_minus_p": f["one_minus_p"], "slope": f["slope"], "stable": f["stable"]}
           for f in rep["fixed_points"]]
    out = {"kind": o["kind"], "fixed_points": fps, "period": o["period"], "limit_p": o["p"],
           "multiplier": o["multiplier"]}
    if o["kind"] == "converges" and o["multiplier"] is not None and o["multiplier"].startswith("-"):
        out["damped_oscillation"] = True
    if m.kl == "k3":
        out["note"] = "fixed points and orbit of the exact-KL map (the k3 model has no closed form)"
    return out


def predict_prompt(m: TrlMapping, row: PrefRow, N: int, *, level: float, beta_scale=1, grid: int = 97,
                   digits: int = 12, steps: int = 300) -> dict:
    """The prediction for one prompt (module docstring)."""
    k, n = row.successes, row.samples
    p_hat = k / n
    lo, hi = clopper_pearson(k, n, level)
    pts = _grid(lo, hi, p_hat, grid if m.kl == "exact" or m.beta_zero else 9)
    traj = _trajectories(m, pts, N, beta_scale) if pts.size else np.empty((N + 1, 0))
    ends = [x for x in (lo, hi) if x in (0.0, 1.0)]  # fixed points at the boundary
    cols = [traj] + [np.full((N + 1, 1), x) for x in ends]
    allp = np.concatenate(cols, axis=1)
    order = np.argsort(np.concatenate([pts, ends]))
    last = allp[-1, order]
    monotone = bool(np.all(np.diff(last) >= -1e-9 * np.maximum(last[:-1], 1e-300)))
    if 0 < p_hat < 1:
        point = traj[:, int(np.flatnonzero(pts == p_hat)[0])]
    else:
        point = np.full(N + 1, p_hat)
    return {
        "prompt": row.prompt, "successes": k, "samples": n, "p_ref": p_hat, "p_ref_interval": [lo, hi],
        "trajectory": point.tolist(), "band_low": allp.min(1).tolist(), "band_high": allp.max(1).tolist(),
        "p_N": float(point[-1]), "p_N_band": [float(allp[-1].min()), float(allp[-1].max())],
        "band_monotone_in_p_ref": monotone,
        **_dynamics(m, Fraction(k, n), beta_scale, digits, steps),
    }


def predict(m: TrlMapping, rows: list[PrefRow], N: int, *, level: float = 0.05, grid: int = 97,
            digits: int = 12, steps: int = 300, progress=None) -> dict:
    """Per-prompt predictions and their aggregate (module docstring)."""
    beta_scale = 1
    if m.scale == "batch":
        pbar = sum(r.p_hat for r in rows) / len(rows)
        beta_scale = Fraction(repr(math.sqrt(pbar * (1 - pbar)) + 1e-4))
    per, cache = [], {}
    for i, r in enumerate(rows):
        key = (r.successes, r.samples)  # equal counts give equal predictions: computed once
        if key not in cache:
            cache[key] = predict_prompt(m, r, N, level=level, beta_scale=beta_scale, grid=grid, digits=digits,
                                        steps=steps)
        per.append({**cache[key], "prompt": r.prompt})
        if progress is not None:
            progress(i + 1, len(rows))
    count = len(per)
    kinds = {}
    for d in per:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    mean = np.mean([d["trajectory"] for d in per], axis=0)
    return {
        "config": m.to_json(),
        "iterations": N,
        "level": level,
        "band": ("per prompt: the range of p_n as p_ref runs over its two-sided Clopper-Pearson interval at "
                 f"confidence {1 - level:g} (numeric, grid of {grid} points); mean: the mean of the per-prompt "
                 "ends. It propagates the uncertainty of p_ref only, not TRL's sampling or optimiser."),
        "prompts": per,
        "aggregate": {
            "prompts": count,
            "mean_trajectory": mean.tolist(),
            "mean_band_low": np.mean([d["band_low"] for d in per], axis=0).tolist(),
            "mean_band_high": np.mean([d["band_high"] for d in per], axis=0).tolist(),
            "mean_p_N": float(mean[-1]),
            "kinds": kinds,
            "share_oscillating": sum(d["kind"] in OSCILLATING for d in per) / count,
            "share_damped_oscillation": sum(bool(d.get("damped_oscillation")) for d in per) / count,
            "share_stay_at_0": sum(d["kind"] == "stays_at_0" for d in per) / count,
            "share_unresolved": sum(d["kind"] == "unresolved" for d in per) / count,
        },
    }
