"""``simulate --backend trl``: the command-line side (arguments, progress bar, table, figure)."""

from __future__ import annotations

from ..commands._common import emit_json, json_to_stdout, parse_int, progress_bar
from ..errors import InputError

#: the TRL settings that match the theory's clipped, KL-to-pi_ref variant as closely as TRL allows
MATCHED = {"beta": 0.04, "epsilon": 0.2, "num_generations": 8, "scale_rewards": "group", "loss_type": "dapo",
           "num_iterations": 4, "learning_rate": 0.01}


def trl_args(args) -> dict:
    """The GRPOConfig fields: ``--trl-config`` (or :data:`MATCHED`), then each ``--trl-set``."""
    import yaml

    from .config import map_config, read_config_file

    cfg = read_config_file(args.trl_config) if args.trl_config else dict(MATCHED)
    for item in args.trl_set:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise InputError(f"--trl-set needs KEY=VALUE, got {item!r}")
        try:
            cfg[key.strip()] = yaml.safe_load(value)
        except yaml.YAMLError:
            raise InputError(f"--trl-set {key.strip()}: cannot read the value {value!r}") from None
    map_config(cfg)  # unknown keys and bad values: one line, exit 2
    return cfg


def build_trl_spec(args):
    from .backend import TrlRunSpec

    cfg = trl_args(args)
    prompts = parse_int(args.prompts if args.prompts is not None else 8, "prompts", 1, 64)
    if int(cfg.get("num_generations", 8)) > 64:
        raise InputError("trl backend: num_generations must be <= 64")
    return TrlRunSpec(prompts=prompts, iterations=parse_int(args.iterations, "iterations", 1, 1000),
                      seed=parse_int(args.seed, "seed", 0, 2**31 - 1), threads=parse_int(args.threads, "threads", 1, 256),
                      trl_args=cfg)


def run_trl_command(args) -> int:
    from .backend import require_trl
    from .compare import run_comparison

    spec = build_trl_spec(args)
    require_trl()
    pref_samples = parse_int(args.pref_samples, "pref-samples", 1, 10**9)
    with progress_bar(args, "TRL GRPO", spec.iterations) as tick:
        tick("starting TRL", completed=0)
        data = run_comparison(spec, pref_samples=pref_samples,
                              progress=lambda n, M: tick("generation rounds", completed=n))
    if args.figure:
        plot_comparison(data, args.figure)
    if args.json:
        emit_json(args, data)
    if not json_to_stdout(args):
        _print_rich(data, args.figure)
    return 0


def plot_comparison(d: dict, path: str, ax=None) -> None:
    """TRL's exact PoS (markers, dashed) and the theory (line: finite-G clipped map from the exact
    p_ref; shaded: predict's band from the sampled p_ref), one colour per prompt."""
    import matplotlib

    if ax is None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(7, 4.2))
    n = list(range(d["iterations"] + 1))
    P = len(d["p_ref"])
    colors = plt.cm.viridis([i / max(1, P - 1) for i in range(P)])
    for i, c in enumerate(colors):
        ax.fill_between(n, [r[i] for r in d["predict"]["band_low"]], [r[i] for r in d["predict"]["band_high"]],
                        color=c, alpha=0.12, lw=0)
        ax.plot(n, [r[i] for r in d["pred_group"]], color=c, lw=1.6)
        ax.plot(n, [r[i] for r in d["trl"]], color=c, lw=1, ls="--", marker="o", ms=3)
    ax.set_xlabel("generation round n")
    ax.set_ylabel("PoS")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"TRL (dashed) vs theory (line, band): beta={d['config']['beta']}, G={d['config']['num_generations']}",
                 fontsize=9)
    if own:
        fig.tight_layout()
        from ..commands._common import save_figure

        save_figure(fig, path, dpi=110)


def _print_rich(d: dict, figure) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console()
    if not con.is_terminal:
        con = Console(width=160)
    c = d["config"]
    con.print(f"[bold]TRL GRPOTrainer[/] (beta={c['beta']}, epsilon={c['epsilon']}, G={c['num_generations']}, "
              f"scale_rewards={c['scale_rewards']}, loss={c['loss_type']}, mu={c['num_iterations']}, "
              f"lr={c['learning_rate']:g}) on {d['task']['prompts']} prompts, {d['task']['completions']} "
              f"completions each, {d['seconds']:.0f} s")
    con.print(f"theory: {escape(d['theory'])}")
    t = Table(title="exact PoS per prompt and round: TRL / theory (finite-G, clipped; * outside predict's band)",
              title_justify="left")
    for col in ["prompt", "p_ref"] + [f"n={n}" for n in range(1, d["iterations"] + 1)]:
        t.add_column(col, justify="right")
    for i in range(len(d["p_ref"])):
        t.add_row(f"q{i}", f"{d['p_ref'][i]:.4f}",
                  *(f"{d['trl'][n][i]:.4f}/{d['pred_group'][n][i]:.4f}" + ("" if d["inside_band"][n][i] else "*")
                    for n in range(1, d["iterations"] + 1)))
    con.print(t)
    s = d["summary"]
    con.print(f"(band: p_ref estimated from {d['predict']['pref_samples']} samples per prompt)  "
              f"last round: mean TRL {s['mean_trl_last']:.4f}, theory {s['mean_pred_group_last']:.4f}, "
              f"gap {s['mean_gap_group_last']:+.4f} (population theory: {s['mean_gap_population_last']:+.4f}); "
              f"inside band {s['share_inside_band']:.0%} (below {s['trl_below_band']}, above {s['trl_above_band']})")
    con.print("the gap is made of: " + escape("; ".join(d["gap_sources"])))
    if figure:
        con.print(f"figure written to {escape(str(figure))}")
