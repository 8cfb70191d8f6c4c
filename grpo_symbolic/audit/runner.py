"""Run the audit: every statement of the paper, in paper order.

>>> reports = run_audit(["eq3"])
>>> reports[0].result.verdict
'proved'
"""

from __future__ import annotations

from typing import Callable, Iterable

from .registry import ClaimReport, load_claims, run_claim
from .statements import audit_ids


def run_audit(ids: Iterable[str] | None = None, progress: Callable[[str], None] | None = None) -> list[ClaimReport]:
    load_claims()
    wanted = audit_ids() if ids is None else list(ids)
    out = []
    for cid in wanted:
        if progress:
            progress(cid)
        out.append(run_claim(cid))
    return out


def audit_json(reports: list[ClaimReport]) -> dict:
    """The deterministic JSON document ``{"claims": [...]}`` (no timings)."""
    return {"paper": "arXiv 2503.06639v4", "claims": [r.to_json() for r in reports]}
