"""``grpo-symbolic derive`` through :func:`grpo_symbolic.cli.main`."""

import json

import pytest
import sympy as sp

from grpo_symbolic.cli import main
from grpo_symbolic.symbolic import variants
from grpo_symbolic.symbolic.derivation import Derivation, Step
from grpo_symbolic.symbolic.symbols import beta, p


def _run(capsys, *argv):
    rc = main(["derive", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_default_rich_output(capsys):
    rc, out, err = _run(capsys, "--norm", "mean", "--alpha", "1")
    assert rc == 0 and not err
    assert "✓" in out and "FAIL" not in out and "steps checked symbolically" in out
    assert "method:" in out and "stationarity" in out


def test_json_output(capsys):
    rc, out, _ = _run(capsys, "--norm", "std", "--alpha", "0.3", "--json")
    assert rc == 0
    data = json.loads(out)
    assert data["variant"] == {"norm": "std", "alpha": "3/10", "anchor": "two-kl", "K": 4, "success": [0, 1]}
    assert data["ok"] is True
    names = [d["name"] for d in data["derivations"]]
    assert names[0] == "weights[std]" and names[-1] == "stability[std, alpha=3/10]"
    for d in data["derivations"]:
        assert d["ok"] and d["steps"]
        for s in d["steps"]:
            assert {"str", "latex"} <= set(s["lhs"]) and {"str", "latex"} <= set(s["rhs"])
            assert s["ok"] is True and s["method"] and s["relation"]


def test_latex_output(capsys):
    rc, out, _ = _run(capsys, "--alpha", "0", "--latex")
    assert rc == 0
    assert out.count(r"\begin{align*}") == out.count(r"\end{align*}") > 20
    assert r"\section*" in out and r"\checkmark" in out and "FAIL" not in out


def test_symbolic_alpha_and_space_options(capsys):
    rc, out, _ = _run(capsys, "--alpha", "symbolic", "--outcomes", "3", "--success", "2", "--json")
    assert rc == 0
    data = json.loads(out)
    assert data["variant"]["alpha"] == "symbolic" and data["variant"]["K"] == 3
    assert data["variant"]["success"] == [2]


@pytest.mark.parametrize("argv", [
    ["--alpha", "2"], ["--alpha", "-0.1"], ["--alpha", "junk"], ["--alpha", "nan"], ["--alpha", "1/0"],
    ["--norm", "var"], ["--outcomes", "1"], ["--outcomes", "x"], ["--success", "0,1,2,3"],
    ["--success", "7"], ["--success", "a,b"],
])
def test_bad_input_exits_2_with_one_line(capsys, argv):
    rc, out, err = _run(capsys, *argv)
    assert rc == 2 and not out
    assert err.startswith("grpo-symbolic: error:") and err.count("\n") == 1


def test_json_and_latex_are_exclusive(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["derive", "--json", "--latex"])
    assert exc.value.code == 2


def test_failing_step_gives_nonzero_exit(capsys, monkeypatch):
    bad = Derivation("demo", "Demo", [], [Step("wrong", "Dropped beta.", beta * (p + 1), p + 1)], {})
    monkeypatch.setattr(variants, "derive", lambda norm, alpha, space=None: [bad])
    rc, out, _ = _run(capsys, "--alpha", "1")
    assert rc == 1 and "FAIL" in out
    rc, out, _ = _run(capsys, "--alpha", "1", "--json")
    assert rc == 1 and json.loads(out)["ok"] is False
    rc, out, _ = _run(capsys, "--alpha", "1", "--latex")
    assert rc == 1 and r"\textbf{FAIL}" in out


def test_exact_alpha_parsing():
    from grpo_symbolic.commands.derive import parse_alpha
    assert parse_alpha("0.30") == sp.Rational(3, 10) and parse_alpha(" symbolic ") == "symbolic"
    assert parse_alpha("1/3") == sp.Rational(1, 3) and parse_alpha("1e-1") == sp.Rational(1, 10)
