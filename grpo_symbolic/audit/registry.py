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

from .checks import RECORDER, Recorder
from .statements import statements
from .verdict import UNDECIDED, Result

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
    st = statements()[cid]
    fn = CLAIMS.get(cid)
    rec = Recorder()
    RECORDER.append(rec)
    t = time.perf_counter()
    try:
        if fn is None:
            res = Result(UNDECIDED, "no checker written for this statement", {"kind": "missing"})
        else:
            res = fn()
    except Exception as exc:  # a bug must not pass for a verdict
        res = Result(UNDECIDED, f"internal error: {type(exc).__name__}: {exc}",
                     {"kind": "error", "traceback": traceback.format_exc(limit=4)})
    finally:
        RECORDER.pop()
    return ClaimReport(cid, st.source, st.section, st.text, res, time.perf_counter() - t, rec.specs)
