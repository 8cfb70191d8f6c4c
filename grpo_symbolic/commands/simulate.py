"""``grpo-symbolic simulate``: real GRPO training (PyTorch) against the PoS recurrences.

Trains a tabular softmax policy or a tiny autoregressive transformer with Algorithm 1
(App. B) -- sampled groups, or their exact expectation -- and reports per iteration the
exact PoS of the trained policy (mean and per prompt), the population-recurrence and
finite-group-recurrence predictions, the deviations and a tolerance band (a CLT band
over prompts in sample mode; a deterministic 1e-6 tolerance in expectation mode).

Examples::

    grpo-symbolic simulate --mode expectation --alpha 0.5 --iterations 5
    grpo-symbolic simulate --prompts 256 --outputs 4 --group-size 16 --beta 4 --json
    grpo-symbolic simulate --policy transformer --prompts 4 --iterations 5 --figure run.png
    grpo-symbolic simulate --mode expectation --statistics population --clip 0.2 --clip-high 0.28 \
        --optimizer adam --inner-steps 2000 --lr 0.2 --lr-final 1e-8

With ``--clip E [--clip-high EH]`` training clips the ratio to ``[1 - E, 1 + EH]`` (``EH``
defaults to ``E``) and the report adds the effective prediction: the kernel's clipped map
(:class:`grpo_symbolic.exact.clipped.ClippedMap`, closed form) with exact KL, or the two-class
model maximised numerically with ``--kl k3``.  The clipped objective has kinks where L-BFGS
(the expectation-mode default) stalls 1e-4 to 1e-2 short of the maximiser; annealed Adam
(``--optimizer adam --inner-steps 2000 --lr 0.2 --lr-final 1e-8``) reaches it.

PyTorch is imported only when the command runs; without it the command prints one
line and exits 2.  With ``--json`` stdout is one JSON object
(:func:`grpo_symbolic.training.experiment.run_simulation`; ``--json FILE`` writes it to
FILE and prints the usual table); the same seed on the same machine gives identical JSON.
"""

from __future__ import annotations

import math

from ..errors import InputError
from ._common import add_json_argument, emit_json, json_to_stdout, parse_int, progress_bar
from ..params import Params, parse_exact

NAME = "simulate"
ORDER = 60
HELP = "train GRPO (PyTorch) and compare the PoS with the theory's recurrences"


def add_arguments(p) -> None:
    b = p.add_argument_group("backend")
    b.add_argument("--backend", default="torch", choices=["torch", "trl"],
                   help="torch: this package's GRPO (default); trl: TRL's real GRPOTrainer on a tiny local Llama "
                        "(needs the [trl] extra; uses --trl-config/--trl-set, --prompts, --iterations, --seed)")
    b.add_argument("--trl-config", dest="trl_config", default=None,
                   help="trl backend: a GRPOConfig (YAML/JSON); default: beta 0.04, epsilon 0.2, G 8, "
                        "scale_rewards group, num_iterations 4, learning_rate 0.01")
    b.add_argument("--trl-set", dest="trl_set", action="append", default=[], metavar="KEY=VALUE",
                   help="trl backend: override one GRPOConfig field (YAML value), repeatable")
    b.add_argument("--pref-samples", dest="pref_samples", default="64",
                   help="trl backend: samples per prompt of the p_ref estimate given to predict; default 64")
    g = p.add_argument_group("variant")
    g.add_argument("--policy", default="tabular", choices=["tabular", "transformer"],
                   help="policy family (default tabular)")
    g.add_argument("--norm", default="std", help="std (mean+variance) or mean (mean-only); default std")
    g.add_argument("--beta", default="1", help="KL strength beta > 0; default 1")
    g.add_argument("--alpha", default="1", help="weight on KL(pi||pi_ref) in [0,1]; the rest on KL(pi||pi_old); default 1")
    g.add_argument("--eps", default="1e-5",
                   help="smoothing eps >= 0 (paper: inside the sqrt; trl: added to the std); default 1e-5")
    g.add_argument("--group-size", dest="group_size", default="8", help="group size G >= 2; default 8")
    g.add_argument("--convention", default=None, choices=["paper", "trl", "mean"],
                   help="advantage convention (default: paper for norm std, mean for norm mean)")
    g.add_argument("--p-ref", dest="p_ref", default=None,
                   help="tabular: comma-separated PoS of pi_ref in (0,1), cycled over prompts; default 0.2,0.5")
    s = p.add_argument_group("training")
    s.add_argument("--prompts", default=None, help="number of prompts N (default 64 tabular, 8 transformer)")
    s.add_argument("--iterations", default="10", help="GRPO iterations M; default 10")
    s.add_argument("--outputs", default=None, help="tabular: outputs per prompt K >= 2; default 8")
    s.add_argument("--mode", default="sample", choices=["sample", "expectation"],
                   help="sample G outputs (Algorithm 1) or use exact expectations; default sample")
    s.add_argument("--statistics", default="group", choices=["group", "population"],
                   help="expectation mode: finite-G weights or population weights; default group")
    s.add_argument("--clip", default="none",
                   help="clip range eps_low in [0,1) or 'none': the ratio is clipped to [1 - E, 1 + EH] "
                        "(default none, as in the theory)")
    s.add_argument("--clip-high", dest="clip_high", default=None,
                   help="upper clip range eps_high >= 0 (default: the same as --clip; DAPO uses 0.28)")
    s.add_argument("--inner-steps", dest="inner_steps", default=None,
                   help="optimiser steps mu per iteration (default 1 for lbfgs, 100 otherwise)")
    s.add_argument("--optimizer", default=None, choices=["adam", "sgd", "lbfgs"],
                   help="inner optimiser (default lbfgs in expectation mode, adam in sample mode)")
    s.add_argument("--lr", default=None, help="learning rate (default 1 for lbfgs, 0.05 adam, 0.5 sgd)")
    s.add_argument("--lr-final", dest="lr_final", default=None,
                   help="adam/sgd: anneal the learning rate geometrically from --lr to this value over the "
                        "inner steps of each iteration, with a fresh optimiser per iteration (default: constant lr)")
    s.add_argument("--kl", default="exact", choices=["exact", "k3"], help="KL: exact sequence-level or k3 estimator")
    s.add_argument("--spread", default="1", help="tabular: spread of pi_ref's conditional laws in S and F; default 1")
    t = p.add_argument_group("transformer")
    t.add_argument("--vocab", default="4", help="vocabulary size V; default 4")
    t.add_argument("--length", default="4", help="sequence length T (V**T sequences are enumerated); default 4")
    t.add_argument("--layers", default="1", help="transformer layers; default 1")
    t.add_argument("--d-model", dest="d_model", default="32", help="width; default 32")
    t.add_argument("--heads", default="2", help="attention heads; default 2")
    t.add_argument("--init-scale", dest="init_scale", default="1", help="scale of the output layer at init; default 1")
    t.add_argument("--verifier", default="sum_mod:3", help="sum_mod:M or count:C; default sum_mod:3")
    o = p.add_argument_group("output")
    o.add_argument("--device", default="cpu", help="cpu or cuda; default cpu")
    o.add_argument("--dtype", default="float64", choices=["float64", "float32"], help="default float64")
    o.add_argument("--seed", default="0", help="random seed; default 0")
    o.add_argument("--threads", default="1",
                   help="CPU threads for torch (default 1: these problems are small, and more threads "
                        "on a busy machine slow them down)")
    o.add_argument("--level", default="0.01", help="family-wise level of the sample-mode band; default 0.01")
    add_json_argument(o, "one object {spec, iterations, predictions, summary, ...}")
    o.add_argument("--figure", default=None, help="write a PNG of empirical vs predicted PoS trajectories")


def _float(text, name, lo=None, hi=None, lo_open=False) -> float:
    v = float(parse_exact(text, name))
    if not math.isfinite(v):
        raise InputError(f"{name} must be a finite number, got {text!r}")
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise InputError(f"{name} must be {'>' if lo_open else '>='} {lo:g}, got {text}")
    if hi is not None and v > hi:
        raise InputError(f"{name} must be <= {hi:g}, got {text}")
    return v


def build_spec(args):
    """Validate the arguments into a :class:`SimulationSpec` (InputError on bad input).

    The variant flags (norm, beta, alpha, eps, group size, convention, clip, clip-high) become one
    :class:`Params`; the rest are the spec's training options.
    """
    from ..training.experiment import SimulationSpec

    tabular = args.policy == "tabular"
    p_refs = _check_family_flags(args, tabular)
    params = Params.parse(norm=args.norm, beta=args.beta, alpha=args.alpha, eps=args.eps,
                          p_ref=p_refs[0] if tabular else "1/2", group_size=args.group_size,
                          convention=args.convention, clip=args.clip, clip_high=args.clip_high)
    mode = args.mode
    optimizer = args.optimizer or ("lbfgs" if mode == "expectation" else "adam")
    default_lr = {"lbfgs": "1", "adam": "0.05", "sgd": "0.5"}[optimizer]
    lr = _float(args.lr if args.lr is not None else default_lr, "lr", 0, lo_open=True)
    lr_final = None if args.lr_final is None else _float(args.lr_final, "lr-final", 0, lo_open=True)
    inner = parse_int(args.inner_steps if args.inner_steps is not None else (1 if optimizer == "lbfgs" else 100),
                      "inner steps", 1, 1_000_000)
    prompts = parse_int(args.prompts if args.prompts is not None else (64 if tabular else 8), "prompts", 1, 10_000_000)
    outputs = parse_int(args.outputs if args.outputs is not None else 8, "outputs", 2, 1_000_000)
    if tabular and prompts * outputs > 500_000_000:
        raise InputError(f"prompts*outputs = {prompts * outputs} is too large (max 5e8)")
    spec = SimulationSpec(
        params=params, policy=args.policy, prompts=prompts,
        iterations=parse_int(args.iterations, "iterations", 1, 100_000), outputs=outputs,
        p_ref=p_refs if tabular else None, spread=_float(args.spread, "spread", 0), mode=mode,
        statistics=args.statistics, inner_steps=inner, optimizer=optimizer, lr=lr, lr_final=lr_final, kl=args.kl,
        device=str(args.device).strip().lower(), dtype=args.dtype, seed=parse_int(args.seed, "seed", 0, 2**63 - 1),
        level=_float(args.level, "level", 0, 1, lo_open=True),
        vocab=parse_int(args.vocab, "vocab", 2, 256), length=parse_int(args.length, "length", 1, 20),
        layers=parse_int(args.layers, "layers", 1, 16), d_model=parse_int(args.d_model, "d-model", 2, 4096),
        heads=parse_int(args.heads, "heads", 1, 64), init_scale=_float(args.init_scale, "init-scale", 0),
        verifier=str(args.verifier),
    )
    if not tabular:
        _check_transformer_size(spec)
    return spec


def _check_family_flags(args, tabular: bool) -> list[str]:
    """Reject tabular-only flags for the transformer; return the ``--p-ref`` list (as text)."""
    if not tabular and args.p_ref is not None:
        raise InputError("--p-ref applies to the tabular policy (the transformer's p_ref is its exact PoS)")
    if not tabular and args.outputs is not None:
        raise InputError("--outputs applies to the tabular policy (the transformer has V**T outputs)")
    p_refs = [x.strip() for x in (args.p_ref or "0.2,0.5").split(",")]
    if not p_refs or any(not x for x in p_refs):
        raise InputError(f"--p-ref must be a comma-separated list of numbers, got {args.p_ref!r}")
    return p_refs


def _check_transformer_size(spec) -> None:
    """The transformer's ``V**T`` sequences must be few enough to enumerate; heads divide d-model."""
    if spec.vocab ** spec.length > 1 << 20:
        raise InputError(f"V**T = {spec.vocab}**{spec.length} sequences is too many to enumerate (max 2**20)")
    if spec.d_model % spec.heads:
        raise InputError(f"d-model ({spec.d_model}) must be divisible by heads ({spec.heads})")


def run(args) -> int:
    """Train, compare with the recurrences, and report (JSON, figure, table)."""
    if args.backend == "trl":
        from ..trl.simulate import run_trl_command

        if getattr(args, "device", "cpu") not in (None, "cpu"):
            raise InputError("--backend trl runs on the CPU only (TRL's GPU path is not tested here); "
                             "drop --device")

        return run_trl_command(args)
    from ..training import require_torch

    require_torch()  # one-line error when PyTorch is missing
    spec = build_spec(args)
    data = _simulate(args, spec, _device(args, spec))
    from ..training.experiment import plot_simulation

    if args.figure:
        try:
            plot_simulation(data, args.figure)
        except OSError as exc:
            raise InputError(f"cannot write figure {args.figure!r}: {exc.strerror or exc}") from None
    if args.json:
        emit_json(args, data)
    if not json_to_stdout(args):
        _print_rich(data, args.figure)
    return 0


def _device(args, spec):
    """Set up PyTorch (threads, deterministic kernels) and return the torch device."""
    from ..training import require_torch, resolve_device

    torch = require_torch()
    if spec.device.startswith("cuda"):  # deterministic kernels (cuBLAS needs this before CUDA starts)
        import os

        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    device = resolve_device(spec.device)
    if device.type == "cuda":
        torch.use_deterministic_algorithms(True, warn_only=True)
    torch.set_num_threads(parse_int(args.threads, "threads", 1, 1024))
    return device


def _simulate(args, spec, device) -> dict:
    """Run the simulation with a progress bar on stderr (when it is a terminal)."""
    from ..training.experiment import run_simulation

    try:
        with progress_bar(args, "GRPO", spec.iterations) as tick:
            label = f"{spec.policy}/{spec.mode}"
            return run_simulation(spec, device, progress=lambda n, M: tick(label, completed=n))
    except ValueError as exc:  # verifier / policy construction problems are input errors
        raise InputError(str(exc)) from None


def _print_rich(d: dict, figure) -> None:
    """The per-iteration table and the summary lines (text values escaped for rich)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = Console()
    if not con.is_terminal:  # pipes and files: wide enough for every column
        con = Console(width=170)
    sp = d["spec"]
    con.print(f"[bold]{escape(str(d['variant']))}[/] -- {escape(str(d['policy']['family']))} policy, "
              f"N={d['policy']['prompts']} prompts, "
              f"K={d['policy']['outputs']} outputs, mode={sp['mode']}, optimizer={sp['optimizer']} "
              f"(mu={sp['inner_steps']}, lr={sp['lr']:g}"
              + ("" if sp.get("lr_final") is None else f" -> {sp['lr_final']:g}")
              + f"), clip={sp['clip']}"
              + ("" if sp["clip"] is None else f", clip_high={sp['clip_high']}")
              + f", kl={sp['kl']}")
    sample = sp["mode"] == "sample"
    transformer = d["policy"]["family"] == "transformer"
    t = Table(title=f"PoS per iteration (reference prediction: {escape(str(d['predictions']['reference']))})",
              title_justify="left")
    eff = d["predictions"]["effective"] is not None
    cols = ["n", "PoS trained", "pred pop.", "pred G"] + (["pred eff."] if eff else []) + ["dev (ref)", "band", "ok"]
    if sample:
        cols += ["k/G", "bin. band"]
    cols += ["step TV"]
    if transformer:
        cols += ["TV to pi_n (G)"]
    for c in cols:
        t.add_column(c, justify="right")
    ref = d["predictions"]["reference"]
    for it in d["iterations"]:
        row = [str(it["n"]), f"{it['pos_mean']:.6f}", f"{it['pred_population_mean']:.6f}",
               f"{it['pred_group_mean']:.6f}"] + ([f"{it['pred_effective_mean']:.6f}"] if eff else []) \
            + [f"{it[f'dev_{ref}']:+.2e}"]
        if it["n"] == 0:
            row += ["", ""] + ([""] * 2 if sample else []) + [""]
        else:
            row += [f"{it['band']:.2e}", "[green]yes[/]" if it["within_band"] else "[red]no[/]"]
            if sample:
                row += [f"{it['sample_success_mean']:.4f}", f"{it['binomial_band']:.1e}"]
            row += [f"{it['step_tv_mean']:.2e}"]
        if transformer:
            row += [f"{it['tv_group_mean']:.2e}"]
        t.add_row(*row)
    con.print(t)
    s = d["summary"]
    con.print(f"band: {escape(d['band']['text'])}")
    con.print(f"max |mean dev|: population {s['max_abs_mean_dev_population']:.3e}, "
              f"finite G {s['max_abs_mean_dev_group']:.3e}; all within band: "
              + ("[green]yes[/]" if s["all_within_band"] else "[red]no[/]")
              + f"; Thm 10 |p~_n - p_n| <= TV: {'yes' if s['thm10_pos_gap_le_tv'] else 'NO'}")
    it1 = d["iterations"][1] if len(d["iterations"]) > 1 else {}
    if "jensen_bias" in it1:
        con.print(f"iteration 1, exact law of a converged sampled step: E p_1 = {it1['pred_sampled_argmax_mean']:.6f}, "
                  f"trained - E p_1 = {it1['dev_sampled_argmax']:+.2e} (band {it1['band_sampled_argmax']:.2e}: "
                  + ("[green]within[/]" if it1["within_sampled_argmax_band"] else "[red]outside[/]")
                  + f"); Jensen bias E p_1 - p_1^G = {it1['jensen_bias']:+.2e}")
    later = [it for it in d["iterations"][1:] if "pred_law_mean" in it]
    if later:
        worst = max(later, key=lambda it: abs(it["dev_law"]))
        con.print(f"every iteration, exact law of a converged sampled step from the trained policy: "
                  f"within its band at {sum(it['within_law_band'] for it in later)} of {len(later)} "
                  f"(worst n = {worst['n']}: {worst['dev_law']:+.2e}, band {worst['band_law']:.2e}); "
                  f"law - finite-G recurrence at n = {later[-1]['n']}: {later[-1]['law_minus_group']:+.2e}")
    if s.get("max_abs_opt_gap") is not None:
        con.print(f"optimiser gap (trained - exact maximiser of the drawn objective), worst mean: "
                  f"{s['max_abs_opt_gap']:.2e}")
    con.print(f"finite-G prediction: {escape(str(d['predictions']['group']))}")
    if eff:
        con.print(f"pred eff.: {escape(str(d['predictions']['effective']))}; max |mean dev| from it: "
                  f"{s['max_abs_mean_dev_effective']:.3e}; per prompt, n >= 1: median "
                  f"{s['median_abs_prompt_dev_effective']:.3e}, worst {s['max_abs_prompt_dev_effective']:.3e}")
    if figure:
        con.print(f"figure written to {escape(str(figure))}")
