"""What every sub-command shares: ``--json [FILE]``, ``--no-progress``, exit statuses,
escaped rich output, one-line errors."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from grpo_symbolic.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]

CLAIMS = """\
[[claim]]
id = "pos"
norm = "std"
predicate = "beta > 0"

[claim.domain]
beta = 1
eps = "1e-5"
p_ref = 0.2
"""


def _run(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def claims_file(tmp_path):
    f = tmp_path / "claims.toml"
    f.write_text(CLAIMS)
    return str(f)


def _commands(claims_file):
    """argv (without --json) of each command with JSON output, kept fast."""
    return {
        "audit": ["audit", "--only", "eq3", "--no-progress"],
        "dynamics": ["dynamics", "--digits", "12"],
        "derive": ["derive", "--norm", "mean", "--outcomes", "2", "--success", "1"],
        "check": ["check", claims_file],
    }


def _stable(doc: dict) -> dict:
    """The JSON document without its timings."""
    return {k: v for k, v in doc.items() if k != "check_seconds"}


@pytest.mark.parametrize("name", ["audit", "dynamics", "derive", "check"])
def test_json_means_the_same_everywhere(capsys, tmp_path, claims_file, name):
    argv = _commands(claims_file)[name]
    rc, out, _ = _run(capsys, *argv, "--json")
    assert rc == 0
    alone = json.loads(out)  # stdout is the JSON document and nothing else
    rc, dash, _ = _run(capsys, *argv, "--json", "-")
    assert rc == 0 and _stable(json.loads(dash)) == _stable(alone)
    path = tmp_path / f"{name}.json"
    rc, human, _ = _run(capsys, *argv, "--json", str(path))
    assert rc == 0 and _stable(json.loads(path.read_text())) == _stable(alone)
    assert human.strip() and not human.lstrip().startswith("{")  # the usual report on stdout


def test_simulate_json_file_and_stdout(capsys, tmp_path):
    pytest.importorskip("torch")
    argv = ["simulate", "--mode", "expectation", "--prompts", "2", "--outputs", "3", "--iterations", "1"]
    rc, out, _ = _run(capsys, *argv, "--json")
    assert rc == 0
    path = tmp_path / "sim.json"
    rc, human, _ = _run(capsys, *argv, "--json", str(path))
    assert rc == 0 and json.loads(path.read_text()) == json.loads(out)
    assert "PoS per iteration" in human


def test_check_json_with_a_positional(capsys, tmp_path, claims_file):
    outs = []
    for argv in ([claims_file, "--json"], ["--json", "-", claims_file], ["--json", claims_file]):
        rc, out, err = _run(capsys, "check", *argv)
        assert rc == 0 and err == ""
        outs.append(json.loads(out))
    assert outs[0] == outs[1] == outs[2]
    path = tmp_path / "out.json"
    rc, out, _ = _run(capsys, "check", "--json", str(path), claims_file)
    assert rc == 0 and json.loads(path.read_text()) == outs[0] and "pos" in out
    rc, out, err = _run(capsys, "check", "--json")
    assert rc == 2 and "missing CLAIMS.toml" in err and err.count("\n") == 1


def test_help_states_the_json_rule(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "A word right after --json is taken as its FILE" in text


def _documented_command_lines():
    """``grpo-symbolic ...`` command lines of README.md, the book and .ci/run."""
    files = [ROOT / "README.md", ROOT / ".ci" / "run", *sorted((ROOT / "book").glob("*.md"))]
    for f in files:
        if not f.is_file():
            continue
        text = re.sub(r"\\\n\s*", " ", f.read_text(encoding="utf-8"))  # join continued lines
        for line in text.splitlines():
            m = re.match(r"\s*(?:\$ )?grpo-symbolic(?:\s+(.*))?$", line)
            if m and "[" not in (m.group(1) or ""):  # a synopsis ([--json] ...) is not a command line
                cmd = re.split(r"(?:^|\s)(?:#|>|\|\|)", m.group(1) or "")[0]
                yield f.name, shlex.split(cmd)


@pytest.mark.parametrize("where,argv", list(_documented_command_lines()))
def test_documented_command_lines_parse(where, argv):
    from grpo_symbolic.commands.check import claims_path

    argv = argv if argv and not argv[0].startswith("-") else ["audit", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "check":
        assert claims_path(args)
    if "--json" in argv:
        nxt = argv[argv.index("--json") + 1:][:1]
        assert args.json == (nxt[0] if nxt and not nxt[0].startswith("--") else "-"), (where, argv)


def test_ci_audit_line_writes_json_to_the_file():
    args = build_parser().parse_args(["audit", "--no-progress", "--json", "/tmp/x.json", "--markdown", "/tmp/x.md"])
    assert args.json == "/tmp/x.json" and args.markdown == "/tmp/x.md" and args.no_progress


def test_no_progress_accepted_by_every_command():
    parser = build_parser()
    names = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"audit", "check", "dynamics", "derive", "simulate", "book"} <= set(names)
    for name in names:
        assert parser.parse_args([name, "--no-progress"]).no_progress is True


def test_progress_bar_is_silent_off_a_terminal(capsys):
    from types import SimpleNamespace

    from grpo_symbolic.commands._common import progress_bar

    for flag in (False, True):
        with progress_bar(SimpleNamespace(no_progress=flag), "x", 2) as tick:
            tick("a")
            tick("b", completed=2)
    assert capsys.readouterr() == ("", "")


def test_errored_claim_exits_1_after_the_report(capsys, monkeypatch):
    from grpo_symbolic.audit import registry

    registry.load_claims()

    def boom():
        raise RuntimeError("checker bug")

    monkeypatch.setitem(registry.CLAIMS, "eq3", boom)
    rc, out, err = _run(capsys, "audit", "--only", "eq3,table1-row1-weights", "--no-progress")
    assert rc == 1
    assert "eq3" in out and "table1-row1-weights" in out  # the report is printed first
    assert err.count("\n") == 1 and "eq3" in err and "table1-row1-weights" not in err
    rc, out, err = _run(capsys, "audit", "--only", "eq3", "--json")
    assert rc == 1 and json.loads(out)["claims"][0]["evidence"]["kind"] == "error"
    assert err.count("\n") == 1 and "eq3" in err


def test_audit_table_keeps_verdict_brackets(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    rc, out, _ = _run(capsys, "audit", "--only", "table1-row1-weights", "--no-progress")
    assert rc == 0
    assert "[proved]" in out


def test_rich_reports_escape_markup():
    from types import SimpleNamespace

    from rich.console import Console

    from grpo_symbolic.audit.report import print_table as audit_table
    from grpo_symbolic.reviewer.report import print_table as check_table

    res = SimpleNamespace(verdict="proved", summary="holds [bold]x[/] [certified, proved]",
                          evidence={"expected": "refuted"})
    con = Console(width=200, record=True)
    audit_table([SimpleNamespace(id="a[1]", source="Eq. [3]", result=res)], console=con)
    check_table([SimpleNamespace(id="c", verdict="proved", claim=SimpleNamespace(source="f.toml:[1]"),
                                 result=res)], console=con, title="Claims of [red]f.toml")
    text = con.export_text()
    for s in ("[bold]x[/]", "[certified, proved]", "a[1]", "Eq. [3]", "f.toml:[1]", "[red]f.toml"):
        assert s in text, s


def test_book_check_without_site(capsys, tmp_path):
    rc, out, err = _run(capsys, "book", "--book", str(ROOT / "book"), "--out", str(tmp_path), "--check",
                        "--no-build")
    assert rc == 2 and out == ""
    assert err.startswith("grpo-symbolic: error: no built site") and err.count("\n") == 1


@pytest.mark.parametrize("argv", [
    ["audit", "--json", ""], ["audit", "--markdown", ""], ["audit", "--only", ","],
    ["dynamics", "--json", "/nonexistent/dir/x.json"], ["derive", "--json", "/nonexistent/dir/x.json"],
    ["check", "/nonexistent/claims.toml"], ["check"],
    ["book", "--timeout", "-1", "--book", str(ROOT / "book")], ["nope"], ["dynamics", "--bogus"],
])
def test_bad_input_one_line_exit_2(capsys, argv):
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse usage errors
        rc = exc.code
    out = capsys.readouterr()
    assert rc == 2 and out.err.count("\n") == 1 and "Traceback" not in out.err
    assert "error:" in out.err
