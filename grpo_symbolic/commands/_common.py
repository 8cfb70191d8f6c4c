"""Argument helpers shared by sub-commands."""

from __future__ import annotations

from contextlib import contextmanager

from ..errors import InputError
from ..params import Params


def add_variant_arguments(p, *, defaults: bool = True) -> None:
    """The options that fix one variant and one prompt."""
    d = (lambda v: v) if defaults else (lambda v: None)
    p.add_argument("--norm", default=d("std"), help="std (mean+variance) or mean (mean-only); default std")
    p.add_argument("--beta", default=d("1"), help="KL strength beta > 0 (exact decimal); default 1")
    p.add_argument("--alpha", default=d("1"),
                   help="weight on KL(pi||pi_ref) in [0,1]; 1 - alpha goes on KL(pi||pi_{n-1}); default 1")
    p.add_argument("--eps", default=d("1e-5"), help="smoothing eps >= 0 (inside the square root); default 1e-5")
    p.add_argument("--p-ref", dest="p_ref", default=d("0.2"), help="PoS of pi_ref in (0,1); default 0.2")
    p.add_argument("--p0", default=None, help="starting PoS in (0,1); default p_ref (the paper's pi_0 = pi_ref)")
    p.add_argument("--group-size", dest="group_size", default=None,
                   help="finite group size G >= 2 (default: population statistics, as in the paper)")
    p.add_argument("--convention", default=None, choices=["paper", "trl", "mean"],
                   help="advantage convention with --group-size: paper (eps inside sqrt), "
                        "trl (Bessel std + eps), mean (no std)")


def add_clip_arguments(p) -> None:
    """``--clip E [--clip-high EH]``: the GRPO-Clip ratio range ``[1 - E, 1 + EH]``."""
    p.add_argument("--clip", default=None,
                   help="clip range eps_low in [0, 1): the ratio is clipped to [1 - E, 1 + EH] (default: no clip)")
    p.add_argument("--clip-high", dest="clip_high", default=None,
                   help="upper clip range eps_high >= 0 (default: the same as --clip; DAPO uses 0.28)")


def params_from_args(args) -> Params:
    """The :class:`Params` of the variant options (InputError on bad values)."""
    return Params.parse(norm=args.norm, beta=args.beta, alpha=args.alpha, eps=args.eps,
                        p_ref=args.p_ref, p0=args.p0, group_size=args.group_size,
                        convention=args.convention, clip=getattr(args, "clip", None),
                        clip_high=getattr(args, "clip_high", None))


def parse_int(text, name: str, lo: int, hi: int) -> int:
    """``text`` as an integer in ``[lo, hi]``; :class:`InputError` naming ``name`` otherwise."""
    try:
        v = int(str(text).strip())
    except ValueError:
        raise InputError(f"{name} must be an integer, got {text!r}") from None
    if not lo <= v <= hi:
        raise InputError(f"{name} must lie in [{lo}, {hi}], got {v}")
    return v


# --- flags every sub-command shares: --json [FILE], --no-progress --------------------------

#: The rule for ``--json`` followed by another word, quoted in every command's --help.
JSON_RULE = ("A word right after --json is taken as its FILE: put --json after positional "
             "arguments, or give FILE - (a dash) for stdout.")


def add_json_argument(p, what: str) -> None:
    """Add ``--json [FILE]`` to parser (or group) ``p``: no FILE (or ``-``) means the JSON
    document alone on stdout; FILE means JSON to FILE and the usual output on stdout."""
    p.add_argument("--json", nargs="?", const="-", default=None, metavar="FILE", type=output_file,
                   help=f"write {what} as JSON: with no FILE (or FILE -) to stdout, and nothing "
                        f"else there; with FILE to FILE, the usual output still on stdout. {JSON_RULE}")


def output_file(text: str) -> str:
    """An output file name for argparse: not empty."""
    import argparse

    if not text.strip():
        raise argparse.ArgumentTypeError("needs a file name, got an empty string")
    return text


def add_common_arguments(p) -> None:
    """Add the flags every sub-command accepts (``--no-progress``)."""
    p.add_argument("--no-progress", dest="no_progress", action="store_true",
                   help="no progress bar (one is drawn on stderr only when stderr is a terminal)")


def json_to_stdout(args) -> bool:
    """True when ``--json`` sends the JSON document to stdout (so nothing else goes there)."""
    return getattr(args, "json", None) == "-"


def emit_json(args, data, **dump_options) -> None:
    """Write ``data`` as JSON where ``--json`` says: stdout for ``-``, else the named file
    (:class:`InputError` when it cannot be written).  ``dump_options`` go to ``json.dumps``."""
    import json
    import sys

    text = json.dumps(data, ensure_ascii=False, **dump_options) + "\n"
    if json_to_stdout(args):
        sys.stdout.write(text)
    else:
        write_text(args.json, text)


def write_text(path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8); :class:`InputError` naming the path when that fails."""
    if not str(path).strip():
        raise InputError("an output file name is empty")
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def save_figure(fig, path, dpi: int = 130) -> None:
    """Save a matplotlib figure to ``path`` and close it; :class:`InputError` (one line, naming
    the path) when it cannot be written."""
    import matplotlib.pyplot as plt

    try:
        fig.savefig(path, dpi=dpi)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot write figure {path}: {getattr(exc, 'strerror', None) or exc}".splitlines()[0]) from None
    finally:
        plt.close(fig)


def split_ids(text, what: str) -> list[str] | None:
    """The comma-separated ids of ``--only`` (None when not given); InputError if it names none."""
    if text is None:
        return None
    ids = [s.strip() for s in str(text).split(",") if s.strip()]
    if not ids:
        raise InputError(f"--only needs at least one {what} id")
    return ids


@contextmanager
def progress_bar(args, label: str, total: int | None):
    """Yield ``tick(description="", advance=1, completed=None)``, which moves a transient
    rich progress bar on stderr.  The bar is drawn only when stderr is a terminal and
    ``--no-progress`` was not given; otherwise ``tick`` does nothing."""
    from rich.console import Console

    err = Console(stderr=True)
    if getattr(args, "no_progress", False) or not err.is_terminal:
        yield lambda *a, **k: None
        return
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(escape(label)), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=err, transient=True) as prog:
        task = prog.add_task("", total=total)

        def tick(description: str = "", advance: int = 1, completed: int | None = None) -> None:
            if completed is not None:
                prog.update(task, description=escape(str(description)), completed=completed)
            else:
                prog.update(task, description=escape(str(description)), advance=advance)

        yield tick
