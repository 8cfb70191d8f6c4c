"""The audit's certificate cache (``audit --cache``): a warm re-run reports the same bytes as a
cold one, a stale or tampered entry is never used, and nothing is read or written without
the flag."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from grpo_symbolic.audit import cache
from grpo_symbolic.audit.registry import run_claim

#: cheap statements covering proved, refuted (with re-checks), certified, argued,
#: reproduced and not-checkable verdicts
IDS = "thm3-boundary,text-nonunique,sec3-limit,fig1,intro-code,eq5,table1-row1-fixed"


def _audit(tmp_path, *extra, env_cache=None):
    out_json, out_md = tmp_path / "a.json", tmp_path / "a.md"
    env = {**os.environ, "GRPO_SYMBOLIC_CACHE": str(env_cache or tmp_path / "cache")}
    cmd = [sys.executable, "-m", "grpo_symbolic", "audit", "--only", IDS, "--no-progress", "--jobs", "1",
           "--json", str(out_json), "--markdown", str(out_md), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out_json.read_bytes(), out_md.read_bytes(), proc.stdout


def _entries(root):
    return sorted((root / "audit").glob("*.json")) if (root / "audit").is_dir() else []


def test_warm_run_reports_the_same_bytes(tmp_path):
    cold = _audit(tmp_path)
    assert _entries(tmp_path / "cache") == []  # no --cache: nothing written
    filled = _audit(tmp_path, "--cache", "--jobs", "2")  # computed on two processes, then stored
    entries = _entries(tmp_path / "cache")
    assert len(entries) == len(IDS.split(","))
    stamps = {p: p.stat().st_mtime_ns for p in entries}
    warm = _audit(tmp_path, "--cache")
    assert {p: p.stat().st_mtime_ns for p in _entries(tmp_path / "cache")} == stamps  # read, not rewritten
    assert cold == filled == warm


def test_tampered_entries_are_recomputed(tmp_path):
    root = tmp_path / "c"
    rep = run_claim("thm3-boundary")
    assert rep.result.verdict == "refuted"
    cache.store(rep, root)
    (path,) = _entries(root)
    doc = json.loads(path.read_text())
    # a verdict its certificate does not earn is refused on reading (the contract)
    doc["result"]["verdict"] = "proved"
    path.write_text(json.dumps(doc))
    assert cache.load("thm3-boundary", root) is None
    for junk in ("not json", "[1, 2]", json.dumps({"id": "thm3", "result": {}}), ""):
        path.write_text(junk)
        assert cache.load("thm3-boundary", root) is None
    path.unlink()
    path.mkdir()  # not a regular file
    assert cache.load("thm3-boundary", root) is None


def test_round_trip_keeps_the_report(tmp_path):
    rep = run_claim("thm3-boundary")
    cache.store(rep, tmp_path)
    back = cache.load("thm3-boundary", tmp_path)
    assert back is not None and back.result.to_json() == json.loads(json.dumps(rep.result.to_json(), default=str))
    assert (back.source, back.section, back.printed) == (rep.source, rep.section, rep.printed)


def test_key_depends_on_source_and_statement(monkeypatch):
    k = cache.entry_key("thm3", "printed")
    assert k != cache.entry_key("thm3", "printed ")
    assert k != cache.entry_key("thm2", "printed")
    monkeypatch.setattr(cache, "source_digest", lambda: "another source tree")
    assert cache.entry_key("thm3", "printed") != k


def test_digest_covers_every_source_file(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.toml").write_text("y = 2\n")
    monkeypatch.setattr(cache, "PACKAGE", tmp_path)
    digests = []
    for edit in (None, ("a.py", "x = 2\n"), ("sub/b.toml", "y = 3\n"), ("sub/c.md", "new\n")):
        if edit:
            (tmp_path / edit[0]).write_text(edit[1])
        cache.source_digest.cache_clear()
        digests.append(cache.source_digest())
    cache.source_digest.cache_clear()
    assert len(set(digests)) == len(digests)
