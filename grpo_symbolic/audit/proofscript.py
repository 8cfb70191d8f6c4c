"""Entry point of the per-statement proof scripts in ``proofs/``.

``prove(cid)`` runs the statement's executable claim, re-checks its evidence by
independent routes (:mod:`~grpo_symbolic.verify.recheck`), and fails if the verdict
errored, is not backed by its evidence, or differs from the verdict pinned in
``expected.toml`` (:mod:`.golden`).  With ``verbose`` it prints the
statement as printed, the reading, the verdict with its evidence, and the
re-checks: the script is the proof a reviewer reads.
"""

from __future__ import annotations

import json

from ..verify.recheck import recheck
from .registry import run_claim
from .golden import differences


def prove(cid: str, verbose: bool = False):
    rep = run_claim(cid)
    res = rep.result
    if res.evidence.get("kind") == "error":
        raise AssertionError(f"{cid}: {res.summary}\n{res.evidence.get('traceback', '')}")
    drift = differences({cid: (res.verdict, res.erratum or "")})
    if drift:
        raise AssertionError(f"{drift[0]}: {res.summary}")
    checks = recheck(res)
    if verbose:
        print(f"# {cid} — {rep.source}\n")
        print(rep.printed, "\n")
        if res.reading:
            print(f"Reading checked: {res.reading}\n")
        print(f"VERDICT: {res.verdict}" + (f" ({res.erratum})" if res.erratum else ""))
        print(f"Finding: {res.summary}\n")
        if res.repaired is not None:
            print(f"Repaired statement ({res.repaired.result.verdict}): {res.repaired.statement}\n")
        print("Evidence:")
        print(json.dumps(res.to_json(), indent=1, default=str)[:20000])
        print("\nIndependent re-checks:")
        for c in checks:
            print("  -", c)
    return res, checks
