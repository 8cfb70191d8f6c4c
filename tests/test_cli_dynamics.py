"""The dynamics command: JSON contract, human output, bad input."""

import json
import subprocess
import sys

import mpmath as mp
import pytest

from grpo_symbolic.cli import main


def run_cli(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_json_contract(capsys):
    rc, out, err = run_cli(capsys, "dynamics", "--norm", "std", "--beta", "1", "--alpha", "1", "--eps", "1e-5",
                           "--p-ref", "0.2", "--digits", "25", "--json")
    assert rc == 0
    d = json.loads(out)
    assert d["params"] == {"norm": "std", "beta": "1", "alpha": "1", "eps": "1e-5", "p_ref": "0.2"}
    fps = d["fixed_points"]
    assert len(fps) == 3
    logits = [mp.mpf(f["logit"]) for f in fps]
    assert logits == sorted(logits)
    for f in fps:
        for key in ("logit", "p", "one_minus_p", "slope"):
            mant = f[key].split("e")[0].lstrip("-").replace(".", "").lstrip("0")
            assert len(mant) == 25, (key, f[key])
        assert f["stable"] == (abs(mp.mpf(f["slope"])) < 1)
        with mp.workdps(40):
            assert abs(mp.mpf(f["p"]) + mp.mpf(f["one_minus_p"]) - 1) < mp.mpf(10) ** -24
    o = d["orbit"]
    assert o["kind"] == "converges" and o["period"] == 1
    assert o["logits"] == [fps[0]["logit"]] and o["limit_logit"] == fps[0]["logit"]


def test_json_cycle_and_mirror(capsys):
    rc, out, _ = run_cli(capsys, "dynamics", "--beta", "5", "--p-ref", "0.001", "--json")
    o = json.loads(out)["orbit"]
    assert o["kind"] == "cycle" and o["period"] == 2 and len(o["logits"]) == 2
    assert mp.mpf(o["logits"][0]) < mp.mpf(o["logits"][1])
    rc, out, _ = run_cli(capsys, "dynamics", "--alpha", "0", "--json")
    d = json.loads(out)
    assert d["fixed_points"] == [] and d["orbit"]["kind"] == "to_one" and d["orbit"]["limit_logit"] == "inf"


def test_human_output(capsys):
    rc, out, _ = run_cli(capsys, "dynamics", "--beta", "1", "--p-ref", "0.2")
    assert rc == 0 and "Fixed points" in out and "converges" in out


@pytest.mark.parametrize("argv", [
    ["--beta", "0"], ["--beta", "-1"], ["--beta", "nan"], ["--p-ref", "1"], ["--p-ref", "0"],
    ["--p-ref", "1.5"], ["--eps", "-0.1"], ["--alpha", "2"], ["--norm", "max"], ["--digits", "0"],
    ["--digits", "abc"], ["--p0", "NaN"], ["--beta", "__import__('os').system('true')"], ["--steps", "-5"],
    ["--group-size", "1"], ["--convention", "trl"],
])
def test_bad_input_one_line_exit_2(capsys, argv):
    rc, out, err = run_cli(capsys, "dynamics", *argv)
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("grpo-symbolic: error:")
    assert "Traceback" not in err


def test_module_entry_point_and_exit_code():
    r = subprocess.run([sys.executable, "-m", "grpo_symbolic", "dynamics", "--beta", "0"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0 and "beta must be > 0" in r.stderr
