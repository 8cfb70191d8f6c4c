"""A content-addressed cache of the audit's certificates, for warm re-runs (``audit --cache``).

A statement's report is stored under the key

    sha256(package version, digest of the package's source files, the versions of SymPy,
           mpmath and python-flint, statement id, statement text as printed),

so that any edit to the package, to a library that computes a verdict, or to the statement
itself makes a new key: a stale certificate is never read back.  Each entry is one JSON file
(``<key>.json``: the report of :meth:`~.registry.ClaimReport.to_json` plus its section and
printed text); no pickle, so a tampered entry cannot run code, and
:func:`~grpo_symbolic.verify.verdict.result_from_json` checks the verdict contract again when
it is read.  An unreadable or inconsistent entry is ignored (the statement is recomputed) and
overwritten.  Errored claims are never stored.

The cache lives in ``$GRPO_SYMBOLIC_CACHE`` (default ``~/.cache/grpo_symbolic``), under
``audit/``.  The cold audit (no ``--cache``) never reads or writes it.

>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> entry_key("thm3", "text") == entry_key("thm3", "text"), entry_key("thm3", "text") == entry_key("thm3", "text!")
(True, False)
>>> load("thm3", cache_root=d) is None                 # nothing stored yet
True
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from .registry import ClaimReport
from .statements import all_statements

PACKAGE = Path(__file__).resolve().parent.parent
#: the files whose bytes make the source digest (code and the data that code reads)
SOURCE_SUFFIXES = (".py", ".toml", ".md", ".json")


def default_root() -> Path:
    """``$GRPO_SYMBOLIC_CACHE`` or ``~/.cache/grpo_symbolic``; the audit uses ``<root>/audit``."""
    env = os.environ.get("GRPO_SYMBOLIC_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "grpo_symbolic"


@functools.lru_cache(maxsize=1)
def source_digest() -> str:
    """sha256 of the package's source files (relative path and bytes, in path order) and of
    the versions of the libraries that compute verdicts."""
    import flint
    import mpmath
    import sympy

    from .. import __version__

    h = hashlib.sha256(f"{__version__}|{sympy.__version__}|{mpmath.__version__}|{flint.__version__}".encode())
    files = sorted(p for p in PACKAGE.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()
                   and "__pycache__" not in p.parts)
    for p in files:
        h.update(str(p.relative_to(PACKAGE)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def entry_key(cid: str, printed: str) -> str:
    """The content address of statement ``cid`` as printed (see the module doc)."""
    return hashlib.sha256(f"{source_digest()}|{cid}|{printed}".encode()).hexdigest()


def _path(cid: str, cache_root) -> Path:
    st = all_statements().get(cid)
    printed = st.text if st is not None else ""
    return Path(cache_root or default_root()) / "audit" / f"{entry_key(cid, printed)}.json"


def load(cid: str, cache_root=None) -> ClaimReport | None:
    """The stored report of ``cid`` for this source digest, or None (missing or unusable)."""
    from ..verify.verdict import ContractError, result_from_json

    path = _path(cid, cache_root)
    try:
        if not path.is_file() or path.stat().st_size > 16 << 20:
            return None
        d = json.loads(path.read_text(encoding="utf-8"))
        if d.get("id") != cid:
            return None
        res = result_from_json(d["result"])
        return ClaimReport(cid, d["source"], d["section"], d["printed"], res, 0.0, [])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ContractError):
        return None


def store(rep: ClaimReport, cache_root=None) -> None:
    """Store ``rep`` (not an errored one); a write that fails leaves the cache as it was."""
    if (rep.result.evidence or {}).get("kind") == "error":
        return
    path = _path(rep.id, cache_root)
    doc = {"id": rep.id, "source": rep.source, "section": rep.section, "printed": rep.printed,
           "result": rep.result.to_json()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(doc, default=str), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass

