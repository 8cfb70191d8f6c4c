"""The registry of executable claims, one per statement id of the paper.

Claim modules in :mod:`grpo_symbolic.audit.claims` decorate a function with
``@claim("thm1")``; the function returns a :class:`~.verdict.Result`.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import time
import traceback
from dataclasses import dataclass
from typing import Callable

from ..verify.checks import RECORDER, Recorder
from .statements import all_statements
from ..verify.verdict import Result, internal_error, undecided

CLAIMS: dict[str, Callable[[], Result]] = {}


def claim(cid: str):
    """Register the checker of statement ``cid``.

    The checker is memoised: claims that reuse another claim's result (e.g. a
    Table 1 row restating a theorem) share one computation.  Results are never
    mutated after they are returned (see :func:`~.verdict.fresh`)."""

    def deco(fn):
        if cid in CLAIMS:
            raise ValueError(f"claim {cid!r} registered twice")
        cached = functools.lru_cache(maxsize=None)(fn)
        CLAIMS[cid] = cached
        return cached

    return deco


def load_claims() -> dict[str, Callable[[], Result]]:
    from . import claims

    for info in pkgutil.iter_modules(claims.__path__):
        importlib.import_module(f"{claims.__name__}.{info.name}")
    return CLAIMS


@dataclass
class ClaimReport:
    id: str
    source: str
    section: str
    printed: str
    result: Result
    seconds: float
    specs: list

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, **self.result.to_json()}


def run_claim(cid: str) -> ClaimReport:
    load_claims()
    st = all_statements()[cid]
    fn = CLAIMS.get(cid)
    rec = Recorder()
    RECORDER.append(rec)
    t = time.perf_counter()
    try:
        if fn is None:
            res = undecided("no checker written for this statement", {"kind": "missing"})
        else:
            res = fn()
    except Exception as exc:  # a bug must not pass for a verdict
        res = internal_error(f"internal error: {type(exc).__name__}: {exc}", traceback.format_exc(limit=4))
    finally:
        RECORDER.pop()
    res = _annotate(res)
    return ClaimReport(cid, st.source, st.section, st.text, res, time.perf_counter() - t, rec.specs)


def _annotate(res: Result) -> Result:
    """Attach the independent re-checks of every refutation to its certificate, and
    name in the reading each sub-domain that an interval certificate covers."""
    from ..verify.recheck import recheck
    from ..verify.verdict import CERTIFIED, PROVED, REFUTED, fresh, walk

    if res.evidence.get("kind") == "error":
        return res
    for r in walk(res):
        if r.verdict == REFUTED and "part" not in r.certificate and "rechecked_by" not in r.certificate:
            r.certificate["rechecked_by"] = recheck(r, verdicts=(REFUTED,)) if r.spec is not None else []
    notes = []
    subs = sorted({r.summary.split("covers ", 1)[1].split(" (")[0] for r in walk(res)
                   if r.verdict == CERTIFIED and r.certificate.get("scope") == "sub-domain"})
    if res.verdict == CERTIFIED and subs:
        notes.append("Certified on " + "; ".join(subs) + " (interval arithmetic needs a bounded box).")
    inst = sorted({v.instance for r in walk(res) if r.verdict == PROVED and r.spec is not None
                   for v in r.spec.args.get("variables", ()) if getattr(v, "instance", "")})
    if res.verdict in (PROVED, CERTIFIED) and inst:
        notes.append("Parts are proved on a concrete instance only: " + "; ".join(inst) + ".")
    if not notes:
        return res
    note = " ".join(notes)
    return fresh(res, reading=f"{res.reading} {note}" if res.reading else note)
