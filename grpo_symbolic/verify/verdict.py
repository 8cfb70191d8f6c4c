"""Verdicts and the evidence each one carries.

* ``proved`` — symbolic proof (SymPy steps) valid on the whole hypothesis domain;
* ``certified`` — interval arithmetic (Arb balls) covering the whole stated domain,
  or a certified computation at the stated parameters;
* ``refuted`` — a concrete counterexample, re-checked rigorously (Arb), with the
  command that reproduces it;
* ``undecided`` — the budget ran out; the evidence gives the fraction covered;
* ``reproduced`` / ``not-reproduced`` — figures and the experiment, regenerated
  from their stated parameters and compared number by number;
* ``not-checkable`` — a statement about the world outside the mathematics (a
  citation, hardware, a data set, an opinion) that no computation can settle.
  It is never used for a mathematical statement.

A claim may have *parts*: its verdict is the worst of its checkable parts
(refuted < undecided < not-reproduced < certified/reproduced < proved).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROVED = "proved"
CERTIFIED = "certified"
REFUTED = "refuted"
UNDECIDED = "undecided"
REPRODUCED = "reproduced"
NOT_REPRODUCED = "not-reproduced"
NOT_CHECKABLE = "not-checkable"

VERDICTS = (PROVED, CERTIFIED, REFUTED, UNDECIDED, REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE)
_RANK = {REFUTED: 0, UNDECIDED: 1, NOT_REPRODUCED: 2, CERTIFIED: 3, REPRODUCED: 3, PROVED: 4}


@dataclass
class Result:
    """The outcome of checking one statement (or one part of it)."""

    verdict: str
    summary: str
    evidence: dict = field(default_factory=dict)
    reading: str | None = None  # the precise reading checked, when the text is informal
    parts: list = field(default_factory=list)  # [Part]
    repaired: "Repaired | None" = None
    erratum: str | None = None  # for refuted statements: "typo" or "substantive"
    #: what was checked, in machine form (SymPy expressions, domains, engine parameters);
    #: used by independent re-checks and mutation tests, never written to JSON
    spec: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    def to_json(self) -> dict:
        d = {"verdict": self.verdict, "summary": self.summary, "evidence": self.evidence}
        if self.reading:
            d["reading"] = self.reading
        if self.parts:
            d["parts"] = [p.to_json() for p in self.parts]
        if self.repaired is not None:
            d["repaired"] = self.repaired.to_json()
        if self.erratum:
            d["erratum"] = self.erratum
        return d


@dataclass
class Part:
    name: str
    statement: str
    result: Result

    def to_json(self) -> dict:
        return {"name": self.name, "statement": self.statement, **self.result.to_json()}


@dataclass
class Repaired:
    """A corrected statement, checked on its own."""

    statement: str
    result: Result

    def to_json(self) -> dict:
        return {"statement": self.statement, **self.result.to_json()}


def fresh(r: Result, **changes) -> Result:
    """A shallow copy of ``r`` with some fields changed (cached results are shared:
    annotate a copy, never the original)."""
    from dataclasses import replace

    return replace(r, **changes)


def combine(parts: list[Part], summary: str | None = None, **kw) -> Result:
    """A claim made of parts: the worst checkable verdict wins (see module doc)."""
    checkable = [p for p in parts if p.result.verdict != NOT_CHECKABLE]
    if not checkable:
        verdict = NOT_CHECKABLE
    else:
        worst = min(checkable, key=lambda p: _RANK[p.result.verdict])
        verdict = worst.result.verdict
        ranks = {_RANK[p.result.verdict] for p in checkable}
        if ranks == {3, 4} or ranks == {3}:
            verdict = CERTIFIED if any(p.result.verdict == CERTIFIED for p in checkable) else REPRODUCED
    if summary is None:
        if verdict in (PROVED, CERTIFIED, REPRODUCED):  # say what was established
            how = sorted({p.result.verdict for p in checkable})
            summary = "; ".join(p.statement for p in checkable) + f" [{', '.join(how)}]"
        else:
            bad = [p for p in parts if p.result.verdict == verdict]
            summary = "; ".join(f"{p.name}: {p.result.summary}" for p in bad[:2])
    erratum = None
    if verdict == REFUTED:
        kinds = {p.result.erratum for p in parts if p.result.verdict == REFUTED}
        erratum = "substantive" if "substantive" in kinds or None in kinds else "typo"
    return Result(verdict, summary, {"parts": len(parts)}, parts=parts, erratum=erratum, **kw)
