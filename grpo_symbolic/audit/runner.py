"""Run the audit: every statement of the paper, in paper order.

>>> reports = run_audit(["eq3"])
>>> reports[0].result.verdict
'proved'

With ``jobs > 1`` the statements are split into ``jobs`` fixed batches
(:func:`batches`: heaviest first onto the least loaded batch, by the cost table
:data:`COST`; statements that share a derivation travel together, :data:`GROUPS`).
This process runs the first batch and ``jobs - 1`` forked processes run the others,
each in paper order, so every batch sees the caches it would see in a serial run.
The reports come back whole and are returned in paper order: the JSON and Markdown
reports are the same bytes as with ``jobs=1``.  Where ``fork`` is not available, or a
worker fails, the statements run here, serially.

>>> batches(["eq3", "thm1", "thm2", "thm4", "eq14"], 2)  # thm1, thm2, thm4 share derivations
[['thm1', 'thm2', 'thm4'], ['eq3', 'eq14']]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Callable, Iterable

from .registry import ClaimReport, load_claims, run_claim
from .statements import audit_ids

#: Relative cost of each statement: its seconds in a serial audit (the mean of two runs on a
#: busy 2-core machine; work shared with earlier statements is counted once, where it is
#: first done).  A scheduling hint only, never a result: a missing id costs DEFAULT_COST.
COST: dict[str, float] = {
    "abstract-contrastive": 9.9, "abstract-closed-form": 45.7, "abstract-convergence": 3.1,
    "abstract-amplification": 11.6, "intro-contrib3": 3.5, "intro-code": 0.0, "sec2-clip-range": 1.2, "eq3": 1.4,
    "sec2.1-calibration": 1.5, "fig1": 0.2, "sec2.2-clip-conditional": 12.5, "sec2.2-clip-fx": 2.5,
    "sec2.2-clip-indicator": 7.8, "sec2.2-weighting": 3.2, "eq4": 1.6, "sec2.3-clip-smoothed": 4.5,
    "sec2.3-noclip": 0.4, "eq5": 0.0, "eq6": 0.0, "sec2.4-policy-space": 2.2, "thm1": 5.9, "thm2": 2.8, "eq14": 5.9,
    "remark1": 3.7, "fig2": 0.8, "prop1.1": 0.0, "prop1.2": 6.0, "prop1.3": 16.4, "sec3-limit": 0.0,
    "text-nonunique": 0.0, "text-p1-fixed": 1.0, "sec3.1-odds": 0.0, "thm3": 0.0, "thm3-proof": 5.2,
    "thm3-boundary": 1.2, "sec4-dapo": 0.0, "sec4-proximal": 0.0, "thm4": 50.7, "thm5.1": 2.0, "thm5.2a": 1.6,
    "thm5.2b": 2.4, "thm5.2c": 0.2, "thm5-proof": 2.8, "sec4-compare": 1.0, "sec4-memory": 0.0, "sec4-two-kl": 44.1,
    "sec5-ref": 4.6, "sec5-mirror": 4.4, "sec5-mirror-adaptive": 1.0, "sec5-beta-eff": 0.0,
    "takeaway-disc-weighting": 1.4, "takeaway-disc-clipping": 0.0, "takeaway-disc-monotone": 0.7,
    "takeaway-normalization": 0.2, "takeaway-constant-increments": 0.0, "takeaway-mirror-monotone": 1.3,
    "takeaway-mirror-best": 1.8, "takeaway-ref-mixing": 1.2, "takeaway-memory": 0.0, "takeaway-coverage": 0.1,
    "takeaway-exploration": 0.0, "table1-row1-weights": 0.2, "table1-row1-recurrence": 0.0,
    "table1-row1-fixed": 0.1, "table1-row1-contraction": 0.0, "table1-row2-weights": 0.0,
    "table1-row2-recurrence": 0.0, "table1-row2-fixed": 0.0, "table1-row2-stable": 0.0,
    "table1-row3-recurrence": 0.0, "table1-row3-no-interior": 0.0, "table1-row3-limit": 0.6,
    "table1-row3-global": 1.2, "table1-row3-absorbing": 0.0, "table1-row4-recurrence": 0.0,
    "table1-row4-no-interior": 0.0, "table1-row4-limit": 0.0, "table1-row4-global": 0.0,
    "table1-row5-recurrence": 41.4, "table1-row5-fixed": 0.4, "table1-row5-contraction": 3.0,
    "table1-row5-nonmonotone": 0.0, "table1-row6-recurrence": 27.8, "table1-row6-fixed": 0.4,
    "table1-row6-contraction": 12.4, "table1-row6-amplification": 0.1, "exp-setup": 0.0, "exp-hparams": 0.0,
    "exp-eval": 0.0, "exp-amplification": 0.0, "exp-trajectories": 0.0, "exp-pref0": 0.0, "fig3": 0.0, "thm6": 0.0,
    "lemma1": 0.3, "cor-lemma1": 0.1, "fig5-text": 0.4, "remark2": 0.0, "appc-stages": 0.7, "thm7": 0.0,
    "thm8.1": 8.8, "thm8.2": 22.3, "lemma2": 10.6, "eq18": 7.6, "appe-defs": 0.7, "lemma3": 0.0,
    "lemma3-proof": 4.5, "thm9": 0.0, "thm9-recursion": 7.5, "thm9-amplification": 37.4, "assumption1": 0.0,
    "thm10": 0.0, "thm10-proof": 0.0, "appf-interpretation": 0.0, "fig4": 0.1, "fig5": 21.9,
    "new-clip-reduction": 82.4, "new-clip-closed-form": 53.9, "new-clip-fixed-points": 9.0,
    "new-clip-bounded": 23.1, "new-clip-mirror-rate": 0.0,
}
DEFAULT_COST = 1.0

#: Statements whose checkers share a cached derivation or helper costing more than ~3 s
#: (found by recording every cached call of a serial audit): each group runs in one
#: process, so the shared work is done once.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("abstract-contrastive", "sec2.3-noclip", "eq5", "eq6"),
    ("abstract-closed-form", "thm1", "thm2", "thm4", "sec5-ref", "sec5-mirror", "takeaway-constant-increments",
     "table1-row2-recurrence", "table1-row2-fixed", "table1-row3-recurrence", "table1-row4-recurrence",
     "table1-row4-limit", "table1-row4-global", "thm8.1"),
    ("abstract-amplification", "intro-contrib3", "sec3.1-odds", "thm3", "sec4-compare", "table1-row1-recurrence",
     "appc-stages"),
    ("prop1.2", "text-p1-fixed", "lemma1"),
    ("sec4-two-kl", "takeaway-disc-monotone", "table1-row6-contraction", "lemma3", "thm9-recursion",
     "thm9-amplification"),
    ("table1-row5-recurrence", "thm9"),
    ("lemma2", "eq18"),
)


def default_jobs() -> int:
    """The default number of processes: the CPUs this process may use, at most 2."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(2, n))


def run_audit(ids: Iterable[str] | None = None, progress: Callable[[str], None] | None = None,
              jobs: int = 1, cache: bool = False, cache_root=None) -> list[ClaimReport]:
    """The reports of statements ``ids`` (default: all), in that order, on ``jobs`` processes.
    With ``cache``, reports stored for this source digest are read back from the certificate
    cache (:mod:`.cache`, under ``cache_root``) and the others are computed and stored."""
    load_claims()
    wanted = audit_ids() if ids is None else list(ids)
    if not cache:
        return _compute(wanted, progress, jobs)
    from . import cache as store

    have = {cid: rep for cid in wanted if (rep := store.load(cid, cache_root)) is not None}
    for cid in have:
        if progress:
            progress(cid)
    todo = [cid for cid in wanted if cid not in have]
    for rep in _compute(todo, progress, jobs) if todo else ():
        store.store(rep, cache_root)
        have[rep.id] = rep
    return [have[cid] for cid in wanted]


def _compute(wanted: list[str], progress, jobs: int) -> list[ClaimReport]:
    if jobs > 1 and len(wanted) > 1 and "fork" in multiprocessing.get_all_start_methods():
        return _run_parallel(wanted, progress, jobs)
    return _run_serial(wanted, progress)


def _run_serial(wanted: list[str], progress) -> list[ClaimReport]:
    out = []
    for cid in wanted:
        if progress:
            progress(cid)
        out.append(run_claim(cid))
    return out


def audit_json(reports: list[ClaimReport], formal=None) -> dict:
    """The deterministic JSON document ``{"claims": [...]}`` (no timings).  With ``formal`` (the
    Coq compile report of ``audit --formal``), each claim a Coq theorem backs gets
    ``evidence.formal``."""
    claims = [r.to_json() for r in reports]
    if formal is not None:
        from ..verify.formal import formal_evidence

        for c in claims:
            ev = formal_evidence(c["id"], formal)
            if ev is not None:
                c["evidence"]["formal"] = ev
    return {"paper": "arXiv 2503.06639v4", "claims": claims}


# ------------------------------------------------------------------ scheduling
def _units(ids: list[str]) -> list[list[str]]:
    """``ids`` cut into scheduling units: the members of one :data:`GROUPS` entry together,
    every other id alone (each unit in the order of ``ids``)."""
    group_of = {cid: g for g in GROUPS for cid in g}
    units, seen = [], {}
    for cid in ids:
        g = group_of.get(cid)
        if g is None:
            units.append([cid])
        elif g in seen:
            seen[g].append(cid)
        else:
            seen[g] = [cid]
            units.append(seen[g])
    return units


def batches(ids: list[str], jobs: int) -> list[list[str]]:
    """``ids`` split into at most ``jobs`` batches of nearly equal cost (longest processing
    time first: each unit, heaviest first, goes to the batch with the least cost so far;
    ties by position).  Each batch keeps the order of ``ids``; the heaviest batch is first."""
    pos = {cid: i for i, cid in enumerate(ids)}
    cost = lambda unit: sum(COST.get(c, DEFAULT_COST) for c in unit)  # noqa: E731
    loads = [[0.0, []] for _ in range(max(1, min(jobs, len(ids))))]
    for unit in sorted(_units(ids), key=lambda u: (-cost(u), pos[u[0]])):
        slot = min(loads, key=lambda s: s[0])
        slot[0] += cost(unit)
        slot[1].extend(unit)
    out = [sorted(b, key=pos.__getitem__) for _, b in sorted(loads, key=lambda s: -s[0]) if b]
    return out


# ------------------------------------------------------------------ processes
def _portable(rep: ClaimReport) -> ClaimReport:
    """``rep`` without what only this process needs (the machine specs of the checks,
    used by the re-checks, already run), so that it can be pickled."""
    from ..verify.verdict import walk

    for r in walk(rep.result):
        r.spec = None
    rep.specs = []
    return rep


def _child(conn, ids: list[str]) -> None:
    """Worker process: run ``ids`` in order, report each id when done, then send every
    report at once (so a result shared by two reports stays shared, as in a serial run)."""
    try:
        reps = []
        for cid in ids:
            reps.append(run_claim(cid))
            conn.send(("tick", cid))
        conn.send(("done", [_portable(r) for r in reps]))
    except BaseException as exc:  # the parent then runs these ids itself
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class _Worker:
    """One forked process running one batch, and what it has sent back so far."""

    def __init__(self, ctx, ids: list[str]):
        self.ids, self.reports, self.failed = ids, None, False
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(child, ids), daemon=True)
        self.proc.start()
        child.close()

    def drain(self, progress, block: bool) -> None:
        """Read the messages that are there (all of them, until the batch is done, if ``block``)."""
        while self.reports is None and not self.failed and (block or self.conn.poll()):
            try:
                kind, payload = self.conn.recv()
            except (EOFError, OSError):
                kind, payload = "failed", "the worker exited"
            if kind == "tick":
                if progress:
                    progress(payload)
            elif kind == "done":
                self.reports = payload
            else:
                self.failed = True

    def close(self) -> None:
        self.conn.close()
        self.proc.join(timeout=5)
        if self.proc.is_alive():  # pragma: no cover - a stuck worker
            self.proc.kill()
            self.proc.join()


def _run_parallel(wanted: list[str], progress, jobs: int) -> list[ClaimReport]:
    """Batch 0 here, the other batches in forked workers; reports in the order of ``wanted``."""
    own, *rest = batches(wanted, jobs)
    ctx = multiprocessing.get_context("fork")
    for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
        stream.flush()
    workers = [_Worker(ctx, b) for b in rest]
    done = {}
    try:
        for cid in own:
            if progress:
                progress(cid)
            done[cid] = run_claim(cid)
            for w in workers:
                w.drain(progress, block=False)
        for w in workers:
            w.drain(progress, block=True)
            if w.reports is not None:
                done.update(zip(w.ids, w.reports))
            else:  # never lose a statement: run the batch here
                done.update((cid, run_claim(cid)) for cid in w.ids)
    finally:
        for w in workers:
            w.close()
    return [done[cid] for cid in wanted]
