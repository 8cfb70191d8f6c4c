"""The ``grpo-symbolic`` command line.

Sub-commands live in :mod:`grpo_symbolic.commands`, one module each.  Input errors
(:class:`~grpo_symbolic.errors.InputError`) print one line on stderr and exit with
status 2; no traceback reaches the user for bad input.

Start-up is kept short: ``grpo-symbolic NAME ...`` imports the module of command ``NAME``
alone (the full parser, with every command, is built only for ``--help``, ``--version``
and unknown commands), and command modules import their heavy dependencies inside
``run``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__, commands
from .commands._common import add_common_arguments
from .errors import InputError

#: Command run when ``grpo-symbolic`` is called with no sub-command.
DEFAULT_COMMAND = "audit"


class _Parser(argparse.ArgumentParser):
    """argparse parser whose usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised via CLI tests
        self.exit(2, f"{self.prog}: error: {message}\n")


def _is_command(mod) -> bool:
    return all(hasattr(mod, a) for a in ("NAME", "HELP", "add_arguments", "run"))


def _command_modules():
    """The sub-command modules of :mod:`grpo_symbolic.commands`, in ``ORDER``."""
    import pkgutil

    mods = []
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{commands.__name__}.{info.name}")
        if _is_command(mod):
            mods.append(mod)
    mods.sort(key=lambda m: getattr(m, "ORDER", 100))
    return mods


def command_module(name: str):
    """The module of command ``name``, imported alone; None when no module
    ``grpo_symbolic.commands.<name>`` defines command ``name``."""
    if not name.isidentifier() or name.startswith("_"):
        return None
    full = f"{commands.__name__}.{name}"
    try:
        mod = importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise
    return mod if _is_command(mod) and mod.NAME == name else None


def build_parser(only=None) -> argparse.ArgumentParser:
    """The parser: one sub-parser per command module, each with the shared flags
    (with ``only``, a command module, that command's sub-parser alone)."""
    parser = _Parser(
        prog="grpo-symbolic",
        description="Machine-checked theory of GRPO with verifiable rewards (arXiv 2503.06639v4).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in [only] if only is not None else _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        mod.add_arguments(p)
        add_common_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv``; return the exit status (2 for bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        default = DEFAULT_COMMAND if command_module(DEFAULT_COMMAND) is not None else "dynamics"
        argv = [default, *argv]
    parser = build_parser(command_module(argv[0]))
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except InputError as exc:
        msg = str(exc).splitlines()[0] if str(exc) else "invalid input"
        print(f"grpo-symbolic: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("grpo-symbolic: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover
        return 0
