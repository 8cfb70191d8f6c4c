"""``grpo-symbolic audit``: check every statement of the paper (the default command)."""

from __future__ import annotations

import json
import sys

from ..errors import InputError

NAME = "audit"
ORDER = 0
HELP = "audit every statement of arXiv 2503.06639v4 (default command)"


def add_arguments(p) -> None:
    p.add_argument("--json", nargs="?", const="-", default=None, metavar="FILE",
                   help='write {"claims": [...]} as JSON to FILE (stdout if no FILE)')
    p.add_argument("--markdown", default=None, metavar="FILE", help="write a Markdown report (errata first)")
    p.add_argument("--only", default=None, metavar="IDS", help="comma-separated statement ids")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args) -> int:
    from ..audit.report import markdown, print_table
    from ..audit.runner import audit_json, run_audit
    from ..audit.statements import statement_ids

    ids = None
    if args.only:
        ids = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [s for s in ids if s not in statement_ids()]
        if unknown:
            raise InputError(f"unknown statement id {unknown[0]!r} (see grpo_symbolic/audit/STATEMENTS.md)")
    to_stdout = args.json == "-"
    reports = _run_with_progress(run_audit, ids, quiet=args.no_progress or to_stdout)
    if args.json:
        text = json.dumps(audit_json(reports), indent=1, sort_keys=False, ensure_ascii=False, default=str)
        if to_stdout:
            sys.stdout.write(text + "\n")
        else:
            _write(args.json, text + "\n")
    if args.markdown:
        _write(args.markdown, markdown(reports))
    if not to_stdout:
        print_table(reports)
    return 0


def _write(path, text):
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None


def _run_with_progress(run_audit, ids, quiet):
    if quiet:
        return run_audit(ids)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..audit.statements import statement_ids

    total = len(ids) if ids else len(statement_ids())
    with Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), transient=True) as prog:
        task = prog.add_task("", total=total)

        def tick(cid):
            prog.update(task, description=cid, advance=1)

        return run_audit(ids, progress=tick)
