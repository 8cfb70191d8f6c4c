"""``grpo-symbolic atlas``: the orbit of every cell of a ``beta x p_ref`` grid, to Parquet.

Each cell is the variant (``--norm --alpha --eps``, optional ``--clip``, ``--group-size``)
at one ``(beta, p_ref)``, started at ``p0 = p_ref``.  With ``--engine certified`` (the
default) the cell's orbit is decided by the kernel (:func:`grpo_symbolic.exact.dynamics.
compute_dynamics`): ``converges`` (to which certified fixed point), ``cycle`` (period),
``to_one``, ``bounded`` (clipped map) or ``unresolved``, with the certificate's kind and
sentence.  ``--engine float64`` labels orbits numerically
(:func:`grpo_symbolic.numeric.phase.classify_orbits_active`; a figure, never a verdict).

Axes are ``LO:HI:SCALE:N`` (``SCALE`` = lin, log or logit) or one number.  Cells are
computed in chunks, in a plain loop (``--workers 0``), on a Dask ``LocalCluster`` of
``--workers K`` processes, or on an existing cluster (``--scheduler tcp://HOST:PORT``).
Every finished chunk is written at once to ``OUT.parts/``; a killed run started again with
the same arguments computes only the missing chunks.  Examples::

    grpo-symbolic atlas --beta 0.01:10:log:40 --p-ref 1e-6:0.999:logit:40 --out atlas.parquet --plot atlas.png
    grpo-symbolic atlas --engine float64 --beta 0.01:10:log:1000 --p-ref 1e-6:0.999:logit:1000 --out f.parquet
    grpo-symbolic atlas --beta 0.01:10:log:200 --p-ref 1e-6:0.999:logit:200 --scheduler tcp://10.0.0.5:8786 \\
        --out big.parquet

Dask and pyarrow come with the ``[atlas]`` extra; they are imported only when this
command runs.
"""

from __future__ import annotations

import os

from ..errors import InputError
from ._common import add_json_argument, emit_json, json_to_stdout, output_file, parse_int, progress_bar

NAME = "atlas"
ORDER = 15
HELP = "phase atlas: classify the orbit of every (beta, p_ref) cell (certified or float64), to Parquet"


def add_arguments(p) -> None:
    """The variant, the grid, the engine and where to run."""
    p.add_argument("--norm", default="std", help="std (mean+variance) or mean (mean-only); default std")
    p.add_argument("--alpha", default="1", help="weight on KL(pi||pi_ref) in [0,1]; default 1")
    p.add_argument("--eps", default="1e-5", help="smoothing eps >= 0; default 1e-5")
    p.add_argument("--beta", help="beta axis (required): LO:HI:SCALE:N (SCALE = lin, log, logit) or one number")
    p.add_argument("--p-ref", dest="p_ref", help="p_ref axis (required; also the start p0): LO:HI:SCALE:N or one number")
    p.add_argument("--clip", default=None, help="clip range eps_low in [0, 1) (default: no clip)")
    p.add_argument("--clip-high", dest="clip_high", default=None, help="upper clip range (default: --clip)")
    p.add_argument("--group-size", dest="group_size", default=None, help="finite group size G >= 2 (default: population)")
    p.add_argument("--convention", default=None, choices=["paper", "trl", "mean"],
                   help="advantage convention with --group-size")
    p.add_argument("--engine", default="certified", choices=["certified", "float64"],
                   help="certified (the kernel decides every cell; default) or float64 (numeric labels)")
    p.add_argument("--digits", default="17", help="digits of the certified limits (default 17)")
    p.add_argument("--steps", default="2000", help="orbit step budget per cell (default 2000)")
    p.add_argument("--workers", default=None,
                   help="Dask LocalCluster worker processes (default: the CPU count); 0 = a plain loop, no Dask")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on the existing Dask cluster at ADDRESS (tcp://HOST:PORT) instead of a LocalCluster")
    p.add_argument("--chunk-size", dest="chunk_size", default=None,
                   help="cells per task (default: 8..64 certified, 65536 float64; a resumed run keeps its own)")
    p.add_argument("--out", type=output_file, help="the atlas Parquet file (required)")
    p.add_argument("--plot", default=None, type=output_file, help="also draw the phase diagram to this image file")
    add_json_argument(p, "the run summary")


def _spec(args):
    from ..atlas.grid import AtlasSpec

    for flag, value in (("--beta", args.beta), ("--p-ref", args.p_ref), ("--out", args.out)):
        if value is None:
            raise InputError(f"the atlas needs {flag}")
    return AtlasSpec.build(norm=args.norm, alpha=args.alpha, eps=args.eps, beta=args.beta, p_ref=args.p_ref,
                           clip=args.clip, clip_high=args.clip_high, group_size=args.group_size,
                           convention=args.convention, engine=args.engine,
                           digits=parse_int(args.digits, "digits", 1, 1000),
                           steps=parse_int(args.steps, "steps", 1, 10_000_000)).validate()


def _workers(args) -> int | None:
    if args.workers is None:
        return None if args.scheduler else (os.cpu_count() or 1)
    if args.scheduler:
        raise InputError("give --workers or --scheduler, not both")
    return parse_int(args.workers, "workers", 0, 1024)


def _check_out(path: str) -> None:
    if os.path.lexists(path) and not os.path.isfile(path):
        raise InputError(f"--out {path} exists and is not a regular file")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise InputError(f"--out {path}: directory {parent} does not exist")


def run(args) -> int:
    """Build (or resume) the atlas, print a summary, draw the plot."""
    from ..atlas.build import build_atlas
    from ..atlas.store import pyarrow_modules

    spec = _spec(args)
    workers = _workers(args)
    chunk = None if args.chunk_size is None else parse_int(args.chunk_size, "chunk size", 1, 10_000_000)
    scheduler = None if args.scheduler is None else str(args.scheduler).strip()
    if scheduler == "":
        raise InputError("--scheduler needs an address (tcp://HOST:PORT)")
    _check_out(args.out)
    pyarrow_modules()
    with progress_bar(args, f"atlas ({spec.engine})", spec.n_cells) as tick:
        summary = build_atlas(spec, args.out, workers=workers, scheduler=scheduler, chunk=chunk, tick=tick)
    if args.plot:
        from ..atlas.plot import plot_atlas

        plot_atlas(args.out, args.plot)
        summary["plot"] = args.plot
    if args.json:
        emit_json(args, summary)
    if not json_to_stdout(args):
        _print(summary)
    return 0


def _print(s: dict) -> None:
    kinds = ", ".join(f"{k} {v}" for k, v in s["kinds"].items())
    periods = ", ".join(f"{k}: {v}" for k, v in s["cycle_periods"].items())
    print(f"atlas {s['out']}: {s['shape'][0]} x {s['shape'][1]} = {s['cells']} cells ({s['engine']}); "
          f"computed {s['computed']}, resumed {s['resumed']}, {s['seconds']} s")
    print(f"  kinds: {kinds}" + (f"; cycle periods {periods}" if periods else ""))
    if s["discarded_parts"]:
        print(f"  discarded {len(s['discarded_parts'])} damaged part file(s) and computed them again")
    if s.get("plot"):
        print(f"  plot: {s['plot']}")
