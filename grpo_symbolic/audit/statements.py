"""The paper's statements as printed: ids, where they sit, and their text.

The catalogue ``STATEMENTS.md`` (a copy of the team's shared file, kept identical
by a test) records every statement of arXiv 2503.06639v4 with a stable id.  This
module parses it: the id index (section 3 of the file) fixes the order, and each
entry's text and location are read from its block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Statement:
    id: str
    section: str  # the heading the entry sits under, e.g. "§3 GRPO dynamics: ..."
    source: str  # where in the paper, e.g. "§3, Theorem 1" (from the entry's parenthesis)
    text: str  # the entry as printed in the catalogue (markdown)


def _raw() -> str:
    return resources.files(__package__).joinpath("STATEMENTS.md").read_text(encoding="utf-8")


_ENTRY = re.compile(r"^\*\*`(?P<id>[a-z0-9.\-]+)`\*\*\s*(?P<rest>.*)$")
_BULLET = re.compile(r"^\* `(?P<id>[a-z0-9.\-]+)`:\s*(?P<rest>.*)$")
_HEADING = re.compile(r"^\*\*[^*`]+\*\*\s*$")
_ROW = re.compile(r"^\*\*Row (?P<n>\d) — (?P<title>.*)\*\*$")


def _source_of(rest: str, section: str) -> str:
    m = re.match(r"^\((?P<src>[^()]*(\([^()]*\)[^()]*)*)\)", rest)
    if m:
        return m.group("src").strip()
    return section


@lru_cache(maxsize=1)
def statements() -> dict[str, Statement]:
    """All statements, in the order of the catalogue's id index."""
    raw = _raw()
    index_part = raw.split("## 3. ID index (paper order)", 1)[1]
    order = [t.strip().rstrip(".") for t in re.split(r"[,\s]+", index_part)]
    order = [t for t in order if re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", t)]
    lines = raw.split("## 3. ID index (paper order)", 1)[0].splitlines()
    found: dict[str, dict] = {}
    section = ""
    row = ""
    current = None
    for line in lines:
        if line.startswith("### "):
            section = line[4:].strip()
            row, current = "", None
            continue
        if line.startswith("## "):
            section, row, current = line[3:].strip(), "", None
            continue
        m = _ROW.match(line)
        if m:
            row = f"Table 1, row {m.group('n')} ({m.group('title')})"
            current = None
            continue
        m = _ENTRY.match(line)
        if m:
            current = m.group("id")
            found[current] = {"section": section, "source": _source_of(m.group("rest"), section),
                              "lines": [line]}
            continue
        m = _BULLET.match(line)
        if m and section.startswith("Table 1"):
            current = m.group("id")
            found[current] = {"section": section, "source": row or "Table 1", "lines": [line]}
            continue
        if current is not None:
            if _HEADING.match(line):
                current = None  # a whole-line bold sub-heading ends the entry
                continue
            found[current]["lines"].append(line)
    out = {}
    for sid in order:
        f = found.get(sid)
        if f is None:
            raise ValueError(f"id {sid!r} of the index has no entry in STATEMENTS.md")
        text = "\n".join(f["lines"]).strip()
        out[sid] = Statement(sid, f["section"], f["source"], text)
    return out


def statement_ids() -> list[str]:
    return list(statements())


@lru_cache(maxsize=1)
def findings() -> dict[str, Statement]:
    """The findings beyond the paper (``FINDINGS.md``), in the order of its ID index."""
    raw = resources.files(__package__).joinpath("FINDINGS.md").read_text(encoding="utf-8")
    body, index = raw.split("## ID index", 1)
    order = [t for t in re.split(r"[,\s]+", index) if re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", t)]
    blocks = {}
    current = None
    for line in body.splitlines():
        m = _ENTRY.match(line)
        if m:
            current = m.group("id")
            blocks[current] = (_source_of(m.group("rest"), "Findings"), [line])
        elif current is not None and line.strip():
            blocks[current][1].append(line)
        elif not line.strip():
            current = None
    return {sid: Statement(sid, "Findings beyond the paper", blocks[sid][0], "\n".join(blocks[sid][1]))
            for sid in order}


def all_statements() -> dict[str, Statement]:
    """The paper's statements, then the findings beyond the paper."""
    return {**statements(), **findings()}


def audit_ids() -> list[str]:
    """Every id the audit checks: the paper's statements, then the findings."""
    return list(all_statements())
