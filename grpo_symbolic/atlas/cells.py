r"""One chunk of atlas cells, evaluated by the certified kernel or by the float64 classifier.

:func:`evaluate_chunk` is what a worker runs: it takes the spec (as JSON, so that any
worker rebuilds the same grid) and a block ``[start, stop)`` of cell indices, and returns
plain columns (NumPy arrays or lists, one entry per cell, in cell order).

* ``engine="certified"``: every cell is the orbit verdict of
  :func:`grpo_symbolic.exact.dynamics.compute_dynamics` (the clipped map through
  :mod:`grpo_symbolic.exact.clipped` when ``clip`` is set) -- the kernel's kind
  (``converges``, ``cycle``, ``to_one``, ``bounded``, ``unresolved``), period, limit and
  the sentence of its certificate.  Nothing is decided here: a cell the kernel does not
  certify is ``unresolved`` (a kernel exception too, with the exception in ``evidence``).
* ``engine="float64"``: :func:`grpo_symbolic.numeric.phase.classify_orbits_active` on the
  whole chunk at once (certificate ``numeric``: a figure, never a verdict).

>>> from grpo_symbolic.atlas.grid import AtlasSpec
>>> spec = AtlasSpec.build(norm="std", alpha="1", eps="1e-5", beta="1:5:lin:2", p_ref="0.001:0.2:lin:2")
>>> cols = evaluate_chunk(spec.key(), 1, 3)
>>> cols["cell"].tolist(), cols["kind"], cols["period"]
([1, 2], ['converges', 'cycle'], [1, 2])
>>> round(cols["limit_logit"][0], 10)                    # beta = 1, p_ref = 0.2 (dynamics doctest)
0.7596762396
"""

from __future__ import annotations

import json

#: column name -> type (``int``, ``float``, ``str``, ``bool``; every column may hold nulls)
COLUMNS = {
    "cell": "int", "i_beta": "int", "i_p_ref": "int",
    "beta": "str", "p_ref": "str", "beta_f": "float", "p_ref_f": "float",
    "kind": "str", "period": "int",
    "fixed_index": "int", "n_fixed": "int", "n_stable": "int", "isolation_complete": "bool",
    "limit_logit": "float", "limit_logit_max": "float", "limit_p": "float", "limit_one_minus_p": "float",
    "limit_one_minus_p_text": "str",
    "multiplier": "float", "certificate": "str", "entered_at_step": "int", "evidence": "str",
    "engine": "str",
}

#: the certificate behind each kind of the kernel's orbit (``to_one`` splits by ``alpha``)
CERTIFICATES = {"converges": "fixed_point_trap", "cycle": "cycle_trap", "to_one": "escape_half_line",
                "bounded": "trapping_interval", "unresolved": "none"}

KINDS = ("converges", "cycle", "to_one", "bounded", "unresolved")


def _spec(spec_json: str):
    from .grid import AtlasSpec

    return AtlasSpec.from_dict(json.loads(spec_json))


def _base_columns(spec, start: int, stop: int) -> dict:
    """The cells' indices and parameters (exact text and float), as NumPy arrays; the other
    columns None (to be filled)."""
    import numpy as np

    cells = np.arange(start, stop, dtype=np.int64)
    i, j = np.divmod(cells, spec.shape[1])
    bt, pt = np.array(spec.beta_axis.texts, dtype=object), np.array(spec.p_ref_axis.texts, dtype=object)
    bf, pf = np.array(spec.beta_axis.floats), np.array(spec.p_ref_axis.floats)
    cols = {k: None for k in COLUMNS}
    cols.update(cell=cells, i_beta=i, i_p_ref=j, beta=bt[i], p_ref=pt[j], beta_f=bf[i], p_ref_f=pf[j],
                engine=np.full(stop - start, spec.engine, dtype=object))
    return cols


def _float(x):
    """``float(x)`` of an mpf (``inf`` beyond the float range), None for None."""
    return None if x is None else float(x)


def certified_row(spec, c: int) -> dict:
    """The kernel's verdict on cell ``c`` (see module docstring)."""
    import mpmath as mp

    from ..exact.dynamics import compute_dynamics

    P = spec.cell_params(c)
    try:
        rep = compute_dynamics(P, digits=spec.digits, steps=spec.steps)
    except Exception as exc:  # the kernel failed: the cell stays unresolved, with the reason
        return {"kind": "unresolved", "period": 0, "certificate": "none", "entered_at_step": None,
                "evidence": f"kernel error: {type(exc).__name__}: {exc}"[:500]}
    o = rep.orbit
    row = {"kind": o.kind, "period": o.period or 0, "n_fixed": len(rep.fixed),
           "n_stable": sum(1 for f in rep.fixed if f.stable is True),
           "isolation_complete": bool(rep.isolation.complete),
           "certificate": CERTIFICATES.get(o.kind, "none"),
           "entered_at_step": o.evidence.get("entered_at_step", o.steps_used),
           "evidence": str(o.evidence.get("certificate") or o.evidence.get("reason") or "")}
    if o.kind == "to_one" and P.alpha == 0:
        row["certificate"] = "mirror_drift"
    if o.points:
        with mp.workdps(max(30, spec.digits + 10)):
            lo, hi = min(o.points), max(o.points)
            q = 1 / (1 + mp.exp(lo))  # 1 - p of the limit (of the smallest cycle point), any exponent
            row.update(limit_logit=_float(lo), limit_logit_max=_float(hi), limit_p=_float(1 / (1 + mp.exp(-lo))),
                       limit_one_minus_p=_float(q), limit_one_minus_p_text=mp.nstr(q, 17),
                       multiplier=_float(o.multiplier))
        if o.kind == "converges":
            row["fixed_index"] = next((i for i, f in enumerate(rep.fixed) if f.logit == o.points[0]), None)
    return row


def _certified(spec, start: int, stop: int) -> dict:
    cols = _base_columns(spec, start, stop)
    rows = [certified_row(spec, c) for c in range(start, stop)]
    for k, v in cols.items():
        if v is None:
            cols[k] = [row.get(k) for row in rows]
    return cols


# ------------------------------------------------------------------ float64
def float64_map(spec):
    """``(step, sup)``: the map for :func:`~grpo_symbolic.numeric.phase.classify_orbits_active`
    on this spec's variant -- None (its default population map) without clip or group, else
    the kernel's float64 map (:meth:`Weights.omega_np` with
    :func:`~grpo_symbolic.exact.logit_map.g_of`, or :func:`~grpo_symbolic.exact.clipped.g_np`)
    over the per-cell ``L_ref`` and ``beta`` -- and ``sup Omega`` (None when unbounded or
    when ``alpha = 0``), from which the escape threshold past every fixed point is set."""
    P = spec.params
    if P.clip is None and P.group_size is None:
        return None, None
    from ..exact.logit_map import MapConstants, g_of
    from ..exact.weights import weights_for

    a = float(P.alpha)
    if P.clip is not None:
        from ..exact.clipped import ClippedMap, g_np

        cm = ClippedMap(P)

        def step(L, c):
            return g_np(cm, L, beta=c["beta"], L_ref=c["L_ref"])
        weights = cm.weights
    else:
        weights = weights_for(P)

        def step(L, c):
            return g_of(L, weights.omega_np(L), MapConstants(a, 1 - a, 1 / c["beta"], a * c["L_ref"]))
    sup = weights.sup_arb()
    return step, (None if sup is None or a == 0 else float(sup.upper()))


def _float64(spec, start: int, stop: int) -> dict:
    import numpy as np

    from ..numeric.phase import CONVERGES, TO_ONE, classify_orbits_active

    cols = _base_columns(spec, start, stop)
    beta, p = cols["beta_f"], cols["p_ref_f"]
    Lr = np.log(p) - np.log1p(-p)
    P = spec.params
    a = float(P.alpha)
    step, sup = float64_map(spec)
    escape = None
    if step is not None:
        escape = np.full(Lr.shape, 700.0) if sup is None else np.maximum(700.0, Lr + sup / (a * beta) + 1)
    r = classify_orbits_active(Lr, Lr, a, beta, P.norm, float(P.eps), steps=spec.steps,
                               max_period=spec.max_period, tol=spec.tol, step=step, escape=escape)
    n = stop - start
    settled = r.kind == CONVERGES
    kind = np.where(r.kind == TO_ONE, "to_one",
                    np.where(settled, np.where(r.period == 1, "converges", "cycle"), "unresolved"))
    with np.errstate(over="ignore"):
        one_minus, pl = 1 / (1 + np.exp(r.low)), 1 / (1 + np.exp(-r.low))
    unset = ~settled
    cols.update(kind=kind.astype(object), period=np.where(settled, r.period, 0).astype(np.int64),
                limit_logit=np.ma.array(r.low, mask=unset), limit_logit_max=np.ma.array(r.high, mask=unset),
                limit_p=np.ma.array(pl, mask=unset), limit_one_minus_p=np.ma.array(one_minus, mask=unset),
                certificate=np.full(n, "numeric", dtype=object), entered_at_step=r.steps_used.astype(np.int64))
    return cols  # fixed_index, n_fixed, n_stable, isolation_complete, multiplier, evidence: None (all null)


def evaluate_chunk(spec_json: str, start: int, stop: int) -> dict:
    """The columns (:data:`COLUMNS`) of cells ``start .. stop-1`` (what a worker runs): each
    a list (None for null), a NumPy array, a masked array (masked = null) or None (all null)."""
    spec = _spec(spec_json)
    return _float64(spec, start, stop) if spec.engine == "float64" else _certified(spec, start, stop)
