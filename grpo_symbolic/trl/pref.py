r"""Per-prompt reference success rates ``k`` successes out of ``n`` samples, and their uncertainty.

The file is CSV (a header row naming ``prompt`` (or ``id`` / ``prompt_id``), ``successes``,
``samples``) or JSONL (one object per line with those keys).  Each row gives the estimate
``k/n`` of ``p_ref(q)`` and its two-sided Clopper--Pearson interval at confidence ``1 - a``:

.. math:: p_{lo} = B^{-1}(a/2;\ k,\ n-k+1),\qquad p_{hi} = B^{-1}(1-a/2;\ k+1,\ n-k)

(``p_lo = 0`` when ``k = 0``, ``p_hi = 1`` when ``k = n``), the exact binomial interval: for
every true ``p``, ``P(p in [p_lo, p_hi]) >= 1 - a``.  The Beta quantiles are found by bisection
on mpmath's regularised incomplete Beta function (monotone in ``x``), to 1e-15.

>>> lo, hi = clopper_pearson(0, 10, 0.05)
>>> lo, round(hi, 6)                     # k = 0: 1 - (a/2)^(1/n)
(0.0, 0.308497)
>>> round(1 - 0.025 ** 0.1, 6)
0.308497
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass

import mpmath as mp

from ..errors import InputError

ID_KEYS = ("prompt", "prompt_id", "id")
MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class PrefRow:
    """One prompt: ``successes`` of ``samples`` under ``pi_ref``."""

    prompt: str
    successes: int
    samples: int

    @property
    def p_hat(self) -> float:
        return self.successes / self.samples


def _beta_quantile(q: float, a: float, b: float) -> float:
    """``x`` with ``I_x(a, b) = q`` (regularised incomplete Beta), by bisection."""
    lo, hi = mp.mpf(0), mp.mpf(1)
    with mp.workdps(30):
        for _ in range(60):
            mid = (lo + hi) / 2
            if mp.betainc(a, b, 0, mid, regularized=True) < q:
                lo = mid
            else:
                hi = mid
        return float((lo + hi) / 2)


def clopper_pearson(k: int, n: int, level: float) -> tuple[float, float]:
    """The two-sided Clopper--Pearson interval of ``k`` successes in ``n`` at confidence ``1 - level``."""
    lo = 0.0 if k == 0 else _beta_quantile(level / 2, k, n - k + 1)
    hi = 1.0 if k == n else _beta_quantile(1 - level / 2, k + 1, n - k)
    return lo, hi


def read_pref(path) -> list[PrefRow]:
    """The rows of a p_ref file (CSV or JSONL); InputError (one line) for a malformed file."""
    p = str(path)
    if not os.path.exists(p):
        raise InputError(f"p_ref file not found: {p}")
    if not os.path.isfile(p):
        raise InputError(f"p_ref path is not a regular file: {p}")
    if os.path.getsize(p) > 200_000_000:
        raise InputError(f"p_ref file too large (over 200 MB): {p}")
    try:
        with open(p, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read p_ref file {p}: {getattr(exc, 'strerror', None) or exc}") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    records = _jsonl(text, p) if first.lstrip().startswith("{") else _csv(text, p)
    rows = [_row(r, i + 1, p) for i, r in enumerate(records)]
    if not rows:
        raise InputError(f"{p}: no prompts (expected columns prompt, successes, samples)")
    ids = [r.prompt for r in rows]
    if len(set(ids)) != len(ids):
        dup = next(x for x in ids if ids.count(x) > 1)
        raise InputError(f"{p}: prompt id {dup!r} appears more than once")
    return rows


def _jsonl(text: str, p: str) -> list[dict]:
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            raise InputError(f"{p}: line {i} is not a JSON object") from None
        if not isinstance(obj, dict):
            raise InputError(f"{p}: line {i} is not a JSON object")
        out.append(obj)
        if len(out) > MAX_ROWS:
            raise InputError(f"{p}: more than {MAX_ROWS} prompts")
    return out


def _csv(text: str, p: str) -> list[dict]:
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not any(k in header for k in ID_KEYS) or "successes" not in header or "samples" not in header:
            raise InputError(f"{p}: expected a CSV header with prompt (or id), successes, samples; got "
                             f"{','.join(header)[:80] or 'nothing'}")
        out = []
        for r in reader:
            out.append({(k or "").strip(): v for k, v in r.items()})
            if len(out) > MAX_ROWS:
                raise InputError(f"{p}: more than {MAX_ROWS} prompts")
        return out
    except csv.Error as exc:
        raise InputError(f"{p}: malformed CSV: {exc}") from None


def _int(v, name: str, where: str) -> int:
    if isinstance(v, bool):
        raise InputError(f"{where}: {name} must be a non-negative integer, got {v!r}")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v.strip())
    if not isinstance(v, int) or v < 0:
        raise InputError(f"{where}: {name} must be a non-negative integer, got {v!r}")
    return v


def _row(r: dict, i: int, p: str) -> PrefRow:
    where = f"{p}: row {i}"
    key = next((k for k in ID_KEYS if k in r and r[k] not in (None, "")), None)
    if key is None:
        raise InputError(f"{where}: no prompt id (prompt, prompt_id or id)")
    for k in ("successes", "samples"):
        if k not in r or r[k] in (None, ""):
            raise InputError(f"{where}: missing {k}")
    k, n = _int(r["successes"], "successes", where), _int(r["samples"], "samples", where)
    if n == 0:
        raise InputError(f"{where}: samples must be >= 1")
    if k > n:
        raise InputError(f"{where}: successes ({k}) > samples ({n})")
    if n > 10**12:
        raise InputError(f"{where}: samples must be <= 1e12")
    return PrefRow(str(r[key]), k, n)
