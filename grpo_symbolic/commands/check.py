"""``grpo-symbolic check CLAIMS.toml``: decide a reviewer's own claims.

The file format and the predicate language are described in
:mod:`grpo_symbolic.reviewer` (and the README / the book).  Exit status: 0 when the
file was processed, whatever the verdicts; 2 for a malformed or malicious file
(one line on stderr naming the line); with ``--strict``, 1 when some claim's
verdict differs from its ``expect`` (or, for a claim without ``expect``, is not
``certified``).
"""

from __future__ import annotations

import json
import sys

from ..errors import InputError

NAME = "check"
ORDER = 5
HELP = "check your own claims (a TOML file of predicates over the dynamics)"


def add_arguments(p) -> None:
    p.add_argument("claims", metavar="CLAIMS.toml", help="the claims file")
    p.add_argument("--json", action="store_true", help='print {"claims": [...]} as JSON')
    p.add_argument("--only", default=None, metavar="IDS", help="comma-separated claim ids")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 if a verdict differs from the claim's 'expect' (default expectation: certified)")


def run(args) -> int:
    from ..reviewer import check_claims, claims_json, load_file, print_table

    claims, _ = load_file(args.claims)
    only = None
    if args.only:
        only = [s.strip() for s in args.only.split(",") if s.strip()]
        known = {c.id for c in claims}
        unknown = [s for s in only if s not in known]
        if unknown:
            raise InputError(f"{args.claims}: no claim with id {unknown[0]!r}")
    results = check_claims(claims, only=only)
    if args.json:
        sys.stdout.write(json.dumps(claims_json(results), indent=1, ensure_ascii=False) + "\n")
    else:
        print_table(results, title=f"Claims of {args.claims}")
    if args.strict:
        bad = [r for r in results if r.verdict != (r.claim.expect or "certified")]
        return 1 if bad else 0
    return 0
