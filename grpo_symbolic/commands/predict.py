"""``grpo-symbolic predict``: what the theory predicts for a TRL ``GRPOConfig`` and per-prompt p_ref.

Reads a TRL 1.16 ``GRPOConfig`` (YAML or JSON, as ``GRPOConfig.to_json_string()`` / a
``trl grpo --config`` file) and a p_ref file (CSV or JSONL: prompt id, successes, samples),
maps the config onto the theory (:mod:`grpo_symbolic.trl.config`; unrepresented fields are
listed) and prints per prompt and aggregated: fixed points, orbit kind, the predicted PoS after
N rounds with a Clopper--Pearson band, and the shares of prompts that oscillate or stay at 0.

Examples::

    grpo-symbolic predict --trl-config examples/trl/grpo_config_defaults.json --p-ref examples/trl/p_ref.csv
    grpo-symbolic predict --trl-config my.yaml --p-ref rates.jsonl --iterations 20 --json
    grpo-symbolic predict --trl-config my.yaml --p-ref rates.csv --plot predicted.png

Neither TRL nor torch is needed (nothing here imports them).
"""

from __future__ import annotations

from ..errors import InputError
from ._common import add_json_argument, emit_json, json_to_stdout, parse_int, progress_bar, save_figure

NAME = "predict"
ORDER = 55
HELP = "predict a TRL GRPOTrainer run from its GRPOConfig and per-prompt p_ref"


def add_arguments(p) -> None:
    p.add_argument("--trl-config", dest="trl_config", default=None,
                   help="TRL GRPOConfig as YAML or JSON (e.g. GRPOConfig(...).to_json_string())")
    p.add_argument("--p-ref", dest="p_ref", default=None,
                   help="CSV (header prompt,successes,samples) or JSONL of per-prompt reference success counts")
    p.add_argument("--iterations", default="10", help="generation rounds N to predict; default 10")
    p.add_argument("--level", default="0.05",
                   help="1 - confidence of each prompt's Clopper-Pearson interval for p_ref; default 0.05")
    p.add_argument("--steps", default="300", help="orbit step budget of the certified classification; default 300")
    p.add_argument("--plot", default=None, help="write a PNG of the predicted trajectories with their bands")
    add_json_argument(p, "one object {config, prompts, aggregate, band}")


def _level(text) -> float:
    try:
        v = float(str(text).strip())
    except ValueError:
        raise InputError(f"level must be a number in (0, 1), got {text!r}") from None
    if not 0 < v < 1:
        raise InputError(f"level must lie in (0, 1), got {text}")
    return v


def run(args) -> int:
    from ..trl.config import load_config
    from ..trl.pref import read_pref
    from ..trl.predict import predict

    for flag, value in (("--trl-config", args.trl_config), ("--p-ref", args.p_ref)):
        if value is None:
            raise InputError(f"predict needs {flag} (see grpo-symbolic predict --help)")
    mapping = load_config(args.trl_config)
    rows = read_pref(args.p_ref)
    N = parse_int(args.iterations, "iterations", 1, 10_000)
    steps = parse_int(args.steps, "steps", 1, 100_000)
    level = _level(args.level)
    with progress_bar(args, "predict", len(rows)) as tick:
        data = predict(mapping, rows, N, level=level, steps=steps, progress=lambda i, n: tick("prompts", completed=i))
    if args.plot:
        plot_prediction(data, args.plot)
    if args.json:
        emit_json(args, data)
    if not json_to_stdout(args):
        _print_rich(data, args.plot)
    return 0


def plot_prediction(data: dict, path: str, trl=None) -> None:
    """Predicted trajectories with their bands (one panel), and TRL's exact PoS when given
    (``trl``: ``(N+1, prompts)`` list)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    n = list(range(data["iterations"] + 1))
    colors = plt.cm.viridis([i / max(1, len(data["prompts"]) - 1) for i in range(len(data["prompts"]))])
    for i, (d, c) in enumerate(zip(data["prompts"], colors)):
        ax.fill_between(n, d["band_low"], d["band_high"], color=c, alpha=0.15, lw=0)
        ax.plot(n, d["trajectory"], color=c, lw=1.5, label=str(d["prompt"]) if len(data["prompts"]) <= 10 else None)
        if trl is not None:
            ax.plot(n[:len(trl)], [row[i] for row in trl], color=c, lw=1, ls="--", marker="o", ms=3)
    ax.set_xlabel("generation round n")
    ax.set_ylabel("PoS p_n")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("predicted p_n (line) with its p_ref band" + ("; TRL exact (dashed)" if trl is not None else ""))
    if len(data["prompts"]) <= 10:
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    save_figure(fig, path, dpi=110)


def _print_rich(d: dict, plot) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console()
    if not con.is_terminal:
        con = Console(width=160)
    cfg = d["config"]
    con.print(f"[bold]theory variant:[/] {escape(cfg['theory'])}")
    for a in cfg["approximations"]:
        con.print(f"  [yellow]approximation[/] {escape(a['field'])}={escape(str(a['value']))}: {escape(a['note'])}")
    t = Table(title=f"per prompt, after N = {d['iterations']} rounds", title_justify="left")
    for c in ("prompt", "k/n", "p_ref CI", "fixed point(s)", "orbit", "p_N", "band"):
        t.add_column(c, justify="right")
    for p in d["prompts"]:
        fps = ", ".join(_fp_text(f) for f in p["fixed_points"]) or "-"
        t.add_row(escape(str(p["prompt"])), f"{p['successes']}/{p['samples']}",
                  f"[{p['p_ref_interval'][0]:.3g}, {p['p_ref_interval'][1]:.3g}]", escape(fps), escape(p["kind"]),
                  _p_text(p["p_N"]), f"[{_p_text(p['p_N_band'][0])}, {_p_text(p['p_N_band'][1])}]")
    con.print(t)
    a = d["aggregate"]
    con.print(f"mean p_N = {_p_text(a['mean_p_N'])}, band [{_p_text(a['mean_band_low'][-1])}, "
              f"{_p_text(a['mean_band_high'][-1])}]; "
              f"orbits {escape(str(a['kinds']))}; oscillating {a['share_oscillating']:.0%} "
              f"(damped {a['share_damped_oscillation']:.0%}), stay at 0 {a['share_stay_at_0']:.0%}")
    con.print(f"band: {escape(d['band'])}")
    names = [u["field"] for u in cfg["unrepresented"]]
    con.print(f"[dim]not represented by the theory ({len(names)}): {escape(', '.join(names))}; "
              f"{cfg['inert_fields']} further fields (I/O, logging, hardware) do not change the objective[/]")
    if plot:
        con.print(f"plot written to {escape(str(plot))}")


def _fp_text(f: dict) -> str:
    """A fixed point as printed: ``1 - x`` (x in scientific form) when p is near 1, so that
    no digit shown is a rounding of 1."""
    import mpmath as mp

    q = f.get("one_minus_p")
    if q is not None and mp.mpf(q) < mp.mpf("0.01"):
        return "1 - " + mp.nstr(mp.mpf(q), 3, min_fixed=0, max_fixed=0)
    return mp.nstr(mp.mpf(f["p"]), 4)


def _p_text(x: float) -> str:
    """A float64 PoS as printed: 4 significant digits, or ``1 - q`` near 1 (``q`` below float64's
    resolution at 1 is said as such: no rounding of 1 is printed as 1)."""
    if x == 0 or x > 1 - 1e-3:
        q = 1 - x
        if x == 0:
            return "0"
        return "1 - " + (f"{q:.3g}" if q >= 1e-15 else "(< 1e-15)")
    return f"{x:.4g}"
