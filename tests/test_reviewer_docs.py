"""The documentation of ``grpo-symbolic check`` says what the package does."""

import doctest
import re
from pathlib import Path

import grpo_symbolic.reviewer as reviewer
from grpo_symbolic.reviewer import check_text

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CHAPTER = ROOT / "book" / "check_claims.md"


def test_docstring_examples():
    res = doctest.testmod(reviewer, optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0


def test_readme_section_example_gives_the_stated_verdicts():
    text = README.read_text().split("## Check your own claims", 1)[1].split("\n## ", 1)[0]
    toml = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    res = check_text(toml)
    assert [r.verdict for r in res] == ["certified", "certified", "refuted"]
    cex = res[2].result.evidence["counterexample"]
    assert cex["command"] in text.replace("\n", " ")
    flat = " ".join(text.split())
    assert "name '__import__' is not allowed" in flat and "beta must be > 0, got 0" in flat


def test_book_chapter_cells_run(monkeypatch, tmp_path):
    """Every code cell of the book chapter runs (display stubbed out: a stand-in
    IPython.display, so the test needs neither IPython nor the book extra)."""
    import sys
    import types

    shown = []

    class Markdown:
        def __init__(self, data):
            self.data = data

    fake = types.ModuleType("IPython.display")
    fake.Markdown, fake.display = Markdown, (lambda *a, **k: shown.extend(a))
    pkg = types.ModuleType("IPython")
    pkg.display = fake
    monkeypatch.setitem(sys.modules, "IPython", pkg)
    monkeypatch.setitem(sys.modules, "IPython.display", fake)
    text = CHAPTER.read_text()
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```\n", text, re.S)
    assert len(cells) >= 8
    env: dict = {}
    monkeypatch.chdir(tmp_path)
    for cell in cells:
        exec(compile(cell, "<book cell>", "exec"), env)  # noqa: S102 - our own documentation
    assert [r.verdict for r in env["thm3"]] == ["certified"] * 4
    assert env["thm3"][0].to_json()["source"] == "examples/claims/paper_thm3.toml:7"
    assert any("refuted" in str(getattr(x, "data", x)) for x in shown)
