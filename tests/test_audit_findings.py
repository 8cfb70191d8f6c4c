"""Key findings of the audit, each checked against a value computed here by hand
(plain Python / mpmath / numpy), independently of the audit's machinery."""

import json
import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest

from grpo_symbolic.audit.registry import run_claim
from grpo_symbolic.verify.verdict import PROVED, REFUTED


def test_clip_fx_swapped_arguments():
    x, y, c = 2.0, 1.0, 0.2
    f = min(x * y, min(max(x, 1 - c), 1 + c) * y)
    assert f == pytest.approx(1.2) and x * min(y, 1 + c) == pytest.approx(2.0)  # printed form differs
    assert run_claim("sec2.2-clip-fx").result.verdict == REFUTED


def test_thm8_missing_beta_by_numerical_optimisation():
    """Maximise E_pi A - beta KL(pi || pi_o) numerically (beta = 2): the printed
    exp(A) policy is not the maximiser, exp(A/beta) is."""
    rng = np.random.default_rng(0)
    pio = rng.dirichlet(np.ones(4))
    A = np.array([0.7, 0.7, -0.4, -0.4])
    beta = 2.0

    def J(pi):
        return pi @ A - beta * np.sum(pi * np.log(pi / pio))

    def normalise(w):
        return w / w.sum()

    best = normalise(pio * np.exp(A / beta))
    printed = normalise(pio * np.exp(A))
    for _ in range(2000):  # random search around the best: nothing beats it
        cand = normalise(best * np.exp(0.05 * rng.standard_normal(4)))
        assert J(cand) <= J(best) + 1e-12
    assert J(printed) < J(best) - 1e-3
    assert run_claim("thm8.1").result.verdict == REFUTED


def test_p_equals_one_is_not_fixed():
    with mp.workdps(50):
        beta, pr, eps = mp.mpf(1), mp.mpf("0.2"), mp.mpf("1e-5")
        a = (1 - pr) / pr * mp.exp(-1 / (beta * mp.sqrt(eps)))  # 1 - h(1) = a/(1+a), no cancellation
        assert 0 < a / (1 + a) < mp.mpf(10) ** -130
    assert run_claim("text-p1-fixed").result.verdict == REFUTED


def test_beta_eff_without_eps_is_not_equivalent():
    p, eps, beta = 0.3, 0.1, 1.0
    mean_var = (1 - p) / np.sqrt(p * (1 - p) + eps) / beta
    mean_only_printed = (1 - p) / (beta * np.sqrt(p * (1 - p)))
    assert abs(mean_var - mean_only_printed) > 0.1
    assert run_claim("takeaway-normalization").result.verdict == REFUTED


def test_two_cycle_by_brute_force():
    """beta = 5, p_ref = 0.001, eps = 1e-5: the reference-only orbit alternates."""
    with mp.workdps(40):
        pr, beta, eps = mp.mpf("0.001"), mp.mpf(5), mp.mpf("1e-5")
        p = pr
        traj = []
        for _ in range(3000):
            p = 1 / (1 + (1 - pr) / pr * mp.exp(-1 / (beta * mp.sqrt(p * (1 - p) + eps))))
            traj.append(p)
        assert abs(traj[-1] - traj[-3]) < 1e-20 and abs(traj[-1] - traj[-2]) > 0.01
    assert run_claim("abstract-convergence").result.verdict == REFUTED


def test_fig5_mismatch_by_brute_force():
    """beta = 5, p_ref = 1e-4: the orbit from p_ref goes to ~1, not the printed 0.0442."""
    with mp.workdps(40):
        pr, beta, eps = mp.mpf("0.0001"), mp.mpf(5), mp.mpf("1e-5")
        p = pr
        for _ in range(60):
            p = 1 / (1 + (1 - pr) / pr * mp.exp(-1 / (beta * mp.sqrt(p * (1 - p) + eps))))
        assert 1 - p < mp.mpf(10) ** -20
        res = run_claim("fig5").result
        assert res.verdict == "not-reproduced" and "0.0442" in res.summary
        panel = next(q for q in res.evidence["panels"] if q["beta"] == "5" and q["p_ref"] == "0.0001")
        assert abs(mp.mpf(panel["p_last"]) - p) < mp.mpf(10) ** -12  # the package's orbit agrees


def test_thm3_proved_and_renyi_vanishes():
    assert run_claim("thm3").result.verdict == PROVED
    r = run_claim("thm9-amplification").result
    assert r.verdict == PROVED and "vacuous" in json.dumps(r.to_json())


def test_cli_json_is_deterministic(tmp_path):
    outs = []
    for i in range(2):
        path = tmp_path / f"a{i}.json"
        r = subprocess.run([sys.executable, "-m", "grpo_symbolic", "audit", "--only",
                            "eq3,thm3,sec2.2-clip-fx,text-nonunique,fig5", "--json", str(path), "--no-progress"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        outs.append(path.read_text())
    assert outs[0] == outs[1]
    d = json.loads(outs[0])
    assert [c["id"] for c in d["claims"]] == ["eq3", "thm3", "sec2.2-clip-fx", "text-nonunique", "fig5"]
    assert all(set(c) >= {"id", "source", "verdict", "summary", "evidence"} for c in d["claims"])


def test_cli_markdown_errata_first_and_bad_id(tmp_path, capsys):
    from grpo_symbolic.cli import main

    md = tmp_path / "r.md"
    assert main(["audit", "--only", "eq3,eq14", "--markdown", str(md), "--no-progress"]) == 0
    text = md.read_text()
    assert text.index("## Errata") < text.index("`eq14`") < text.index("## All statements")
    assert main(["audit", "--only", "nope", "--no-progress"]) == 2
    assert "unknown statement id" in capsys.readouterr().err


def test_default_command_is_audit(capsys):
    from grpo_symbolic.cli import main

    assert main(["--no-progress", "--only", "eq3"]) == 0
    assert "eq3" in capsys.readouterr().out
