"""``grpo-symbolic audit``: check every statement of the paper (the default command).

Exit status: 0 when every claim ran and every verdict is the one pinned in
``grpo_symbolic/audit/expected.toml``; 1 when some claim's checker raised (its verdict is
``undecided`` with evidence kind ``error``) or a verdict differs from the pinned one, after
the report, with one line on stderr per problem; 2 for bad input.
"""

from __future__ import annotations

import sys

from ..errors import InputError
from ._common import (add_json_argument, emit_json, json_to_stdout, output_file, parse_int, progress_bar,
                      split_ids, write_text)

NAME = "audit"
ORDER = 0
HELP = "audit every statement of arXiv 2503.06639v4 (default command)"


def add_arguments(p) -> None:
    """The audit's options (``--no-progress`` is shared by every command)."""
    add_json_argument(p, '{"paper", "claims": [...]}')
    p.add_argument("--markdown", default=None, metavar="FILE", type=output_file,
                   help="write a Markdown report (errata first)")
    p.add_argument("--only", default=None, metavar="IDS", help="comma-separated statement ids")
    p.add_argument("--jobs", default=None, metavar="N",
                   help="processes to use (default: the CPUs available, at most 2; 1 = serial). The reports "
                        "are the same bytes whatever N")
    p.add_argument("--cache", action="store_true",
                   help="warm re-run: read the certificates stored for this exact package source and "
                        "statement text, compute and store the others ($GRPO_SYMBOLIC_CACHE, default "
                        "~/.cache/grpo_symbolic). Without it nothing is read or written")
    p.add_argument("--formal", action="store_true",
                   help="compile the Coq proofs of proofs/coq (needs coqc) and mark the verdicts they back "
                        "(evidence.formal; 'formally proved (Coq)' in the table and the Markdown report)")


def run(args) -> int:
    """Run the audit, write the reports asked for; 1 if a claim errored."""
    from ..audit.report import markdown, print_table
    from ..audit.runner import audit_json

    reports = _run_with_progress(args, _selected_ids(args.only), _jobs(args.jobs), args.cache)
    formal = _formal(args)
    if args.json:
        emit_json(args, audit_json(reports, formal), indent=1, sort_keys=False, default=str)
    if args.markdown:
        write_text(args.markdown, markdown(reports, formal))
    if not json_to_stdout(args):
        print_table(reports, formal=formal)
    return max(_report_errors(reports), _report_drift(reports))


def _formal(args):
    """The Coq compile report of ``--formal``: None without the flag, or without ``coqc`` (then
    one line on stderr says so, and the verdicts are reported as usual)."""
    if not args.formal:
        return None
    from ..verify.formal import coqc_path, coqc_status, compile_proofs

    if coqc_path() is None:
        print(f"grpo-symbolic: formal: {coqc_status()}", file=sys.stderr)
        return None
    rep = compile_proofs()
    print(f"grpo-symbolic: formal proofs: {rep.status}: {rep.message}", file=sys.stderr)
    return rep


def _selected_ids(only) -> list[str] | None:
    """The statement ids of ``--only`` (None: all); InputError for an unknown id."""
    from ..audit.statements import audit_ids

    ids = split_ids(only, "statement")
    unknown = [s for s in ids or () if s not in audit_ids()]
    if unknown:
        raise InputError(f"unknown statement id {unknown[0]!r} (see grpo_symbolic/audit/STATEMENTS.md)")
    return ids


def _jobs(text) -> int:
    """The number of processes of ``--jobs`` (default: :func:`~..audit.runner.default_jobs`)."""
    from ..audit.runner import default_jobs

    return default_jobs() if text is None else parse_int(text, "--jobs", 1, 64)


def errored_ids(reports) -> list[str]:
    """Ids of the claims whose checker raised (evidence kind ``error``)."""
    return [r.id for r in reports if (r.result.evidence or {}).get("kind") == "error"]


def _report_errors(reports) -> int:
    """One line on stderr naming the errored claims and 1, or 0 when none errored."""
    bad = errored_ids(reports)
    if not bad:
        return 0
    print(f"grpo-symbolic: error: {len(bad)} claim(s) raised an internal error: {', '.join(bad)}",
          file=sys.stderr)
    return 1


def _report_drift(reports) -> int:
    """One line on stderr per verdict that differs from the golden file, and 1; else 0
    (an errored claim is reported once, as an error)."""
    from ..audit.golden import GOLDEN, computed_of, differences

    bad = set(errored_ids(reports))
    diff = differences({k: v for k, v in computed_of(reports).items() if k not in bad})
    for line in diff:
        print(f"grpo-symbolic: verdict differs from {GOLDEN}: {line}", file=sys.stderr)
    return 1 if diff else 0


def _run_with_progress(args, ids, jobs: int = 1, cache: bool = False):
    """``run_audit(ids, jobs=jobs, cache=cache)`` with a progress bar on stderr (when it is a terminal)."""
    from ..audit.runner import run_audit
    from ..audit.statements import audit_ids

    total = len(ids) if ids is not None else len(audit_ids())
    with progress_bar(args, "auditing", total) as tick:
        return run_audit(ids, progress=tick, jobs=jobs, cache=cache)
