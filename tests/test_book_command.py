"""The ``grpo-symbolic book`` sub-command and the book's table of contents (no build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grpo_symbolic import cli
from grpo_symbolic.commands import book as book_cmd
from grpo_symbolic.errors import InputError

BOOK = Path(__file__).resolve().parents[1] / "book"


def test_book_command_is_discovered(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["book", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for opt in ("--check", "--out", "--no-build"):
        assert opt in out


def test_build_command_treats_warnings_as_errors(tmp_path):
    cmd = book_cmd.build_command(BOOK, None)
    assert cmd[3:] == ["build", str(BOOK), "-W", "-n", "--keep-going"]
    cmd = book_cmd.build_command(BOOK, tmp_path, all_pages=True)
    assert cmd[-3:] == ["--path-output", str(tmp_path), "--all"]


def test_missing_book_is_an_input_error(tmp_path, capsys):
    with pytest.raises(InputError):
        book_cmd.find_book(str(tmp_path))
    assert cli.main(["book", "--book", str(tmp_path / "nope")]) == 2
    assert "no Jupyter Book found" in capsys.readouterr().err
    assert cli.main(["book", "--book", str(BOOK), "--no-build"]) == 2


def test_find_book_default():
    assert book_cmd.find_book(str(BOOK)) == BOOK


def _toc_files():
    files = []
    for line in (BOOK / "_toc.yml").read_text().splitlines():
        line = line.split("#", 1)[0]
        m = re.match(r"\s*(?:-\s*)?(?:file|root)\s*:\s*(\S+)", line)
        if m:
            files.append(m.group(1))
    return files


def test_toc_lists_only_existing_chapters():
    files = _toc_files()
    assert files[:2] == ["intro", "notation"]
    for f in files:
        assert (BOOK / f"{f}.md").is_file() or (BOOK / f"{f}.ipynb").is_file(), f


def test_every_chapter_file_is_in_the_toc():
    listed = set(_toc_files())
    for md in BOOK.glob("*.md"):
        if md.stem.upper() == "README":
            continue
        assert md.stem in listed, f"{md.name} is not in book/_toc.yml (the build would skip it)"


def test_config_keeps_the_book_offline():
    cfg = (BOOK / "_config.yml").read_text()
    assert re.search(r"^\s*mathjax_path:\s*mathjax/tex-chtml\.js\s*$", cfg, re.M)
    assert re.search(r"^\s*thebe:\s*false", cfg, re.M)
    ext = cfg[cfg.index("extensions:"):]
    ext = ext[: ext.index("mathjax_path")]
    assert "sphinx-mathjax-offline" in ext and "offline_book" in ext
    for remote in ("sphinx_thebe", "sphinx_comments", "intersphinx"):
        assert f"- {remote}" not in ext


def _load_ext(name):
    import importlib.util

    pytest.importorskip("sphinx")
    spec = importlib.util.spec_from_file_location(f"_book_ext_{name}", BOOK / "_ext" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_offline_extension_detects_remote_urls():
    ext = _load_ext("offline_book")
    assert ext._is_remote("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js")
    assert ext._is_remote("//unpkg.com/thebe")
    assert not ext._is_remote("mathjax/tex-chtml.js")
    assert not ext._is_remote("")


def test_package_hash_is_stable():
    ext = _load_ext("package_cache")
    h = ext.package_hash()
    assert h is not None and re.fullmatch(r"[0-9a-f]{64}", h)
    assert ext.package_hash() == h
