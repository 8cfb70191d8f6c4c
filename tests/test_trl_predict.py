"""``grpo-symbolic predict``: TRL config mapping, p_ref files, the band, and one-line errors."""

from __future__ import annotations

import doctest
import importlib
import json
import math
import os
import subprocess
import sys
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest

from grpo_symbolic.cli import main
from grpo_symbolic.trl.config import map_config, read_config_file
from grpo_symbolic.trl.pref import PrefRow, clopper_pearson, read_pref
from grpo_symbolic.trl.predict import predict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EX = os.path.join(ROOT, "examples", "trl")


@pytest.mark.parametrize("name", ["config", "pref", "task", "predict"])
def test_doctests(name):
    res = doctest.testmod(importlib.import_module(f"grpo_symbolic.trl.{name}"))
    assert res.failed == 0


def test_command_module_does_not_import_trl():
    code = ("import sys, grpo_symbolic.cli as c; c.build_parser(); "
            "print(sorted(m for m in ('trl', 'transformers', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("name", ["grpo_config_defaults.json", "grpo_config_defaults.yaml"])
def test_trl_written_defaults_map(name):
    """The defaults of TRL 1.16, written by TRL itself: beta 0 (no KL), clip 0.2, G 8, trl convention."""
    m = map_config(read_config_file(os.path.join(EX, name)))
    assert m.beta_zero and m.clip == Fraction(1, 5) == m.clip_high
    assert (m.G, m.convention, m.norm, m.kl, m.scale) == (8, "trl", "std", "exact", "group")
    assert m.eps == Fraction(1, 10**4)
    unrep = {u["field"] for u in m.unrepresented}
    assert {"learning_rate", "num_iterations", "temperature", "max_completion_length"} <= unrep
    assert len(m.inert) + len(unrep) + len({d["field"] for d in m.mapped} - unrep) >= 191 - 1


def test_fields_snapshot_matches_installed_trl():
    trl = pytest.importorskip("trl")
    import dataclasses

    from grpo_symbolic.trl.fields import GRPO_CONFIG_FIELDS, TRL_VERSION

    if trl.__version__ != TRL_VERSION:
        pytest.skip(f"installed TRL {trl.__version__}, snapshot of {TRL_VERSION}")
    assert tuple(f.name for f in dataclasses.fields(trl.GRPOConfig) if f.init) == GRPO_CONFIG_FIELDS


def test_grpo_config_object_maps_like_its_json():
    trl = pytest.importorskip("trl")
    from grpo_symbolic.trl.config import load_config

    cfg = trl.GRPOConfig(output_dir="x", use_cpu=True, beta=0.04, num_generations=4, epsilon_high=0.28,
                         scale_rewards="none")
    m = load_config(cfg)
    assert (m.beta, m.G, m.clip_high, m.convention) == (Fraction(1, 25), 4, Fraction(7, 25), "mean")


def test_clopper_pearson_against_binomial_tails():
    """Independent route: the CP ends are where the binomial tails equal level/2."""
    k, n, a = 7, 40, 0.05
    lo, hi = clopper_pearson(k, n, a)
    tail_hi = sum(math.comb(n, j) * lo ** j * (1 - lo) ** (n - j) for j in range(k, n + 1))
    tail_lo = sum(math.comb(n, j) * hi ** j * (1 - hi) ** (n - j) for j in range(0, k + 1))
    assert tail_hi == pytest.approx(a / 2, rel=1e-9) and tail_lo == pytest.approx(a / 2, rel=1e-9)
    assert clopper_pearson(n, n, a) == (pytest.approx((a / 2) ** (1 / n)), 1.0)


def test_prediction_matches_independent_iteration():
    """predict's point trajectory against the clipped map iterated here in mpmath by its closed
    form max(min(La, TS, TF), min(Ls, TS), min(Lf, TF), A) with Omega_G summed from the binomial law."""
    m = map_config({"beta": 0.5, "num_generations": 4})
    d = predict(m, [PrefRow("a", 3, 10)], 3)["prompts"][0]
    G, eps, beta, e = 4, mp.mpf("1e-4"), mp.mpf("0.5"), mp.mpf("0.2")

    def omega(p):  # E over the other G-1 samples, Omega = omega^+/(1-p)
        D = lambda k: mp.sqrt(mp.mpf(G) / (G - 1) * (mp.mpf(k) / G) * (1 - mp.mpf(k) / G)) + eps  # noqa: E731
        wp = sum(mp.binomial(G - 1, j) * p ** j * (1 - p) ** (G - 1 - j) * (1 - mp.mpf(j + 1) / G) / D(j + 1)
                 for j in range(G - 1))
        return wp / (1 - p)

    with mp.workdps(30):
        Lr = mp.log(mp.mpf(3) / 7)
        L, out = Lr, [0.3]
        for _ in range(3):
            p = 1 / (1 + mp.exp(-L))
            Om = omega(p)
            TS = L + mp.log(1 + e) - mp.log(1 - e * mp.exp(L)) if e * mp.exp(L) < 1 else mp.inf
            TF = mp.log(mp.exp(L) + e) - mp.log(1 - e)
            La, Ls, Lf = Lr + Om / beta, Lr + (1 - p) * Om / beta, Lr + p * Om / beta
            L = max(min(La, TS, TF), min(Ls, TS), min(Lf, TF), Lr)
            out.append(float(1 / (1 + mp.exp(-L))))
    assert d["trajectory"] == pytest.approx(out, rel=1e-12)


def test_band_contains_point_and_uses_the_interval():
    m = map_config({"beta": 0.04})
    d = predict(m, [PrefRow("a", 5, 64)], 4)["prompts"][0]
    for lo, p, hi in zip(d["band_low"], d["trajectory"], d["band_high"]):
        assert lo <= p <= hi
    lo, hi = d["p_ref_interval"]
    assert d["band_low"][0] == pytest.approx(lo) and d["band_high"][0] == pytest.approx(hi)


def test_beta_zero_limit_is_max_of_thresholds():
    """beta = 0: p_{n+1} = max(p (1 + eps_high), 1 - (1 - p)(1 - eps_low)), capped at 1."""
    d = predict(map_config({}), [PrefRow("a", 1, 10)], 4)["prompts"][0]
    p, want = 0.1, [0.1]
    for _ in range(4):
        p = 1.0 if p * 1.2 >= 1 else max(1.2 * p, 1 - 0.8 * (1 - p))
        want.append(p)
    assert d["trajectory"] == pytest.approx(want, rel=1e-12)
    assert d["kind"] == "to_one"


def test_zero_successes_stay_at_zero_and_shares():
    out = predict(map_config({"beta": 0.04}), [PrefRow("a", 0, 32), PrefRow("b", 8, 32)], 2)
    a = out["prompts"][0]
    assert a["kind"] == "stays_at_0" and a["trajectory"] == [0.0, 0.0, 0.0] and a["band_low"][-1] == 0.0
    assert out["aggregate"]["share_stay_at_0"] == 0.5


def test_cli_json_on_trl_defaults(capsys):
    rc = main(["predict", "--trl-config", os.path.join(EX, "grpo_config_defaults.json"), "--p-ref",
               os.path.join(EX, "p_ref.csv"), "--iterations", "3", "--json"])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    assert len(d["prompts"]) == 8 and d["iterations"] == 3
    assert d["aggregate"]["kinds"] == {"stays_at_0": 1, "to_one": 7}
    means = np.mean([p["trajectory"] for p in d["prompts"]], axis=0)
    assert d["aggregate"]["mean_trajectory"] == pytest.approx(means.tolist())


def test_jsonl_pref(tmp_path):
    f = tmp_path / "r.jsonl"
    f.write_text('{"prompt": "x", "successes": 2, "samples": 8}\n{"id": 7, "successes": 0, "samples": 4}\n')
    rows = read_pref(f)
    assert [(r.prompt, r.successes, r.samples) for r in rows] == [("x", 2, 8), ("7", 0, 4)]


BAD_CONFIGS = [
    ("unknown.yaml", "beta: 0.1\nnot_a_field: 3\n", "unknown TRL"),
    ("neg.json", '{"beta": -1}', "beta must be >= 0"),
    ("eps.yaml", "epsilon: 1.5\n", "epsilon must be < 1"),
    ("g.yaml", "num_generations: 1\n", "num_generations must lie in"),
    ("scale.yaml", "scale_rewards: sometimes\n", "scale_rewards must be one of"),
    ("loss.yaml", "loss_type: ppo\n", "loss_type must be one of"),
    ("nan.yaml", "beta: .nan\n", "beta"),
    ("list.yaml", "- 1\n- 2\n", "not a TRL config"),
    ("csv.csv", "prompt,successes,samples\nq,1,2\n", "not a TRL config"),
    ("empty.yaml", "", "not a TRL config"),
    ("broken.yaml", "beta: [1,\n", "neither JSON nor YAML"),
]


@pytest.mark.parametrize("name,text,msg", BAD_CONFIGS)
def test_bad_configs_one_line_exit_2(tmp_path, capsys, name, text, msg):
    f = tmp_path / name
    f.write_text(text)
    rc = main(["predict", "--trl-config", str(f), "--p-ref", os.path.join(EX, "p_ref.csv")])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and err.startswith("grpo-symbolic: error:") and msg in err, err


def test_bad_paths_and_pref_files(tmp_path, capsys):
    cfg = os.path.join(EX, "grpo_config_defaults.yaml")
    bad = tmp_path / "bad.csv"
    cases = [(["--trl-config", str(tmp_path)], "not a regular file"),
             (["--trl-config", str(tmp_path / "none.yaml")], "not found")]
    for text, msg in [("a,b\n1,2\n", "expected a CSV header"), ("prompt,successes,samples\nq,5,3\n", "> samples"),
                      ("prompt,successes,samples\nq,x,3\n", "non-negative integer"),
                      ("prompt,successes,samples\nq,1,2\nq,1,2\n", "more than once")]:
        p = tmp_path / f"p{len(cases)}.csv"
        p.write_text(text)
        cases.append((["--trl-config", cfg, "--p-ref", str(p)], msg))
    bad.write_bytes(b"\xff\xfe\x00")
    cases.append((["--trl-config", cfg, "--p-ref", str(bad)], "cannot read"))
    for argv, msg in cases:
        if "--p-ref" not in argv:
            argv = argv + ["--p-ref", os.path.join(EX, "p_ref.csv")]
        rc = main(["predict", *argv])
        err = capsys.readouterr().err
        assert rc == 2 and err.count("\n") == 1 and msg in err, (argv, err)
