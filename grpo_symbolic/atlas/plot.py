r"""The phase diagram of an atlas file: cells coloured by orbit kind, cycles by period.

``p_ref`` runs horizontally and ``beta`` vertically, each on its axis's scale (``lin``,
``log`` or ``logit``).  Converging cells are green (dark: the largest fixed point, light:
a lower one; one green for the float64 engine, which does not number fixed points),
cycles are coloured by period, ``to_one`` purple, ``bounded`` grey, ``unresolved`` red.

>>> category("converges", 1, 0, 2), category("cycle", 3, None, None), category("unresolved", 0, None, None)
('fixed point (lower)', 'cycle, period 3', 'unresolved')
"""

from __future__ import annotations

import math

CYCLE_COLOURS = {2: "#ff7f00", 3: "#ffd92f", 4: "#a65628", 5: "#f781bf", 6: "#e7298a", 7: "#66c2a5", 8: "#1b9e77"}
COLOURS = {"fixed point (largest)": "#1a7f37", "fixed point (lower)": "#8fd19e", "fixed point": "#4daf4a",
           "to_one": "#6a3d9a", "bounded": "#999999", "unresolved": "#e41a1c", "cycle, period > 8": "#377eb8"}


def category(kind: str, period, fixed_index, n_fixed) -> str:
    """The legend entry of one cell."""
    if kind == "converges":
        if fixed_index is None or n_fixed is None:
            return "fixed point"
        return "fixed point (largest)" if fixed_index == n_fixed - 1 else "fixed point (lower)"
    if kind == "cycle":
        return f"cycle, period {period}" if period in CYCLE_COLOURS else "cycle, period > 8"
    return kind


def _colour(cat: str) -> str:
    if cat.startswith("cycle, period ") and cat[14:].isdigit():
        return CYCLE_COLOURS[int(cat[14:])]
    return COLOURS[cat]


def _order(cat: str) -> tuple:
    """Legend order: fixed points, cycles by period, to_one, bounded, unresolved."""
    if cat.startswith("cycle"):
        return (1, int(cat[14:]) if cat[14:].isdigit() else 99)
    return (0 if cat.startswith("fixed") else 2, list(COLOURS).index(cat))


def _edges(values, scale: str):
    """Cell edges of the points ``values`` (midpoints in the scale's coordinate)."""
    fwd = {"lin": lambda x: x, "log": math.log, "logit": lambda x: math.log(x) - math.log1p(-x)}[scale]
    back = {"lin": lambda u: u, "log": math.exp, "logit": lambda u: 1 / (1 + math.exp(-u))}[scale]
    u = [fwd(v) for v in values]
    if len(u) == 1:
        w = 0.5 if scale != "lin" else 0.5 * max(abs(u[0]), 1.0)
        return [back(u[0] - w), back(u[0] + w)]
    mids = [(a + b) / 2 for a, b in zip(u, u[1:])]
    return [back(2 * u[0] - mids[0]), *map(back, mids), back(2 * u[-1] - mids[-1])]


def _scale(axis_spec: str) -> str:
    parts = axis_spec.split(":")
    return parts[2].strip().lower() if len(parts) == 4 else "lin"


def plot_atlas(path, image) -> None:
    """Draw the atlas file ``path`` to the image file ``image`` (format from its suffix)."""
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from .grid import AtlasSpec
    from .store import read_atlas

    table, meta = read_atlas(path, columns=["kind", "period", "fixed_index", "n_fixed"])
    spec = AtlasSpec.from_dict(meta["spec"])
    nb, npr = spec.shape
    col = {k: table.column(k).to_pylist() for k in ("kind", "period", "fixed_index", "n_fixed")}
    cats = [category(*t) for t in zip(col["kind"], col["period"], col["fixed_index"], col["n_fixed"])]
    names = sorted(set(cats), key=_order)
    index = {c: i for i, c in enumerate(names)}
    Z = np.array([index[c] for c in cats]).reshape(nb, npr)
    fig = Figure(figsize=(7.5, 5.5), layout="constrained")
    ax = fig.subplots()
    xs, ys = _scale(spec.p_ref), _scale(spec.beta)
    X, Y = _edges(spec.p_ref_axis.floats, xs), _edges(spec.beta_axis.floats, ys)
    ax.pcolormesh(X, Y, Z, cmap=ListedColormap([_colour(c) for c in names]), vmin=-0.5, vmax=len(names) - 0.5,
                  rasterized=True)
    ax.set_xscale(xs if xs != "lin" else "linear")
    ax.set_yscale(ys if ys != "lin" else "linear")
    ax.set_xlabel("$p_{ref}$ (= $p_0$)")
    ax.set_ylabel(r"$\beta$")
    v = spec.to_dict()["variant"]
    extra = "".join(f", {k} {v[k]}" for k in ("clip", "clip_high", "group_size", "convention") if k in v)
    ax.set_title(f"{spec.engine} atlas: norm {v['norm']}, α = {v['alpha']}, ε = {v['eps']}{extra}", fontsize=10)
    ax.legend(handles=[Patch(color=_colour(c), label=f"{c} ({cats.count(c)})") for c in names],
              loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    from ..commands._common import save_figure

    save_figure(fig, image, dpi=130)
