"""``grpo-symbolic check CLAIMS.toml``: decide a reviewer's own claims.

The file format and the predicate language are described in
:mod:`grpo_symbolic.reviewer` (and the README / the book).  Exit status: 0 when the
file was processed, whatever the verdicts; 2 for a malformed or malicious file
(one line on stderr naming the line); with ``--strict``, 1 when some claim's
verdict differs from its ``expect`` (or, for a claim without ``expect``, is not
``certified``).

``--json`` takes an optional FILE, so ``check --json A B`` writes JSON to ``A`` and
reads claims from ``B``; ``check --json A`` (a single file name) reads claims from
``A`` and prints JSON, as ``check A --json`` and ``check --json - A`` do.
"""

from __future__ import annotations

from ..errors import InputError
from ._common import JSON_RULE, add_json_argument, emit_json, json_to_stdout, progress_bar, split_ids

NAME = "check"
ORDER = 5
HELP = "check your own claims (a TOML file of predicates over the dynamics)"
DESCRIPTION = (f"{HELP}. {JSON_RULE} With a single file name, 'check --json CLAIMS.toml' reads "
               "CLAIMS.toml and prints JSON; 'check --json OUT.json CLAIMS.toml' writes JSON to OUT.json.")


def add_arguments(p) -> None:
    """The claims file and the check's options."""
    # nargs="?" so that `check --json CLAIMS.toml` (argparse gives the name to --json) still works.
    p.add_argument("claims", nargs="?", default=None, metavar="CLAIMS.toml", help="the claims file (required)")
    add_json_argument(p, '{"claims": [...]}')
    p.add_argument("--only", default=None, metavar="IDS", help="comma-separated claim ids")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 if a verdict differs from the claim's 'expect' (default expectation: certified)")


def run(args) -> int:
    """Decide the claims of the file, report them; the exit status of the module docstring."""
    from ..reviewer import check_claims, claims_json, load_file, print_table

    path = claims_path(args)
    claims, _ = load_file(path)
    only = _selected_ids(args.only, claims, path)
    todo = sum(1 for c in claims if only is None or c.id in only)
    with progress_bar(args, "checking", todo) as tick:
        results = check_claims(claims, only=only, progress=tick)
    if args.json:
        emit_json(args, claims_json(results), indent=1)
    if not json_to_stdout(args):
        print_table(results, title=f"Claims of {path}")
    if args.strict:
        return 1 if any(r.verdict != (r.claim.expect or "certified") for r in results) else 0
    return 0


def claims_path(args) -> str:
    """The claims file.  When argparse gave the only file name to ``--json``
    (``check --json CLAIMS.toml``), that name is the claims file and JSON goes to stdout."""
    if args.claims is not None:
        return args.claims
    if args.json not in (None, "-"):
        args.claims, args.json = args.json, "-"
        return args.claims
    raise InputError("missing CLAIMS.toml (usage: grpo-symbolic check CLAIMS.toml [--json [FILE]])")


def _selected_ids(only, claims, path) -> list[str] | None:
    """The claim ids of ``--only`` (None: all); InputError for an id not in the file."""
    ids = split_ids(only, "claim")
    known = {c.id for c in claims}
    unknown = [s for s in ids or () if s not in known]
    if unknown:
        raise InputError(f"{path}: no claim with id {unknown[0]!r}")
    return ids
