"""Pinned verdicts: the golden file ``expected.toml``.

Every statement id has a table with its ``verdict``, its ``erratum`` class ("" for
none, ``typo`` or ``substantive``) and a one-line ``reason``.  The tests, the proof
scripts and the ``audit`` command compare what was computed with what is pinned: a
change to a verdict is a deliberate edit of this file, with its reason.

>>> pinned()["eq3"].verdict
'proved'
>>> differences({"eq3": ("refuted", "typo")})
['eq3: computed refuted (typo), pinned proved (-)']
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..verify.verdict import VERDICTS

GOLDEN = "expected.toml"
ERRATA = ("", "typo", "substantive")


@dataclass(frozen=True)
class Pinned:
    verdict: str
    erratum: str
    reason: str


@lru_cache(maxsize=None)
def pinned() -> dict[str, Pinned]:
    """The golden file, validated: a known verdict and erratum class for every entry."""
    raw = tomllib.loads(resources.files(__package__).joinpath(GOLDEN).read_text(encoding="utf-8"))
    out = {}
    for cid, row in raw.items():
        pin = Pinned(row["verdict"], row.get("erratum", ""), row.get("reason", ""))
        if pin.verdict not in VERDICTS or pin.erratum not in ERRATA or not pin.reason:
            raise ValueError(f"{GOLDEN}: bad entry for {cid!r}: {row}")
        out[cid] = pin
    return out


def _fmt(verdict: str, erratum: str) -> str:
    return f"{verdict} ({erratum or '-'})"


def differences(computed: dict[str, tuple[str, str]]) -> list[str]:
    """One line per id whose computed ``(verdict, erratum)`` differs from the pinned one."""
    pins = pinned()
    out = []
    for cid, (verdict, erratum) in computed.items():
        pin = pins.get(cid)
        if pin is None:
            out.append(f"{cid}: computed {_fmt(verdict, erratum)}, not pinned in {GOLDEN}")
        elif (verdict, erratum or "") != (pin.verdict, pin.erratum):
            out.append(f"{cid}: computed {_fmt(verdict, erratum)}, pinned {_fmt(pin.verdict, pin.erratum)}")
    return out


def computed_of(reports) -> dict[str, tuple[str, str]]:
    """``{id: (verdict, erratum)}`` of audit reports."""
    return {r.id: (r.result.verdict, r.result.erratum or "") for r in reports}
