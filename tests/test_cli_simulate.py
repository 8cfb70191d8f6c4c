"""``grpo-symbolic simulate``: JSON contract, reproducibility, figure, and one-line errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.cli import main  # noqa: E402

SMALL = ["simulate", "--prompts", "6", "--outputs", "4", "--group-size", "4", "--iterations", "2",
         "--inner-steps", "10", "--eps", "1e-3", "--beta", "2"]


def _json(capsys, argv):
    assert main(argv + ["--json"]) == 0
    out = capsys.readouterr().out
    return out, json.loads(out)


def test_json_contract_and_reproducibility(capsys):
    a, d = _json(capsys, SMALL + ["--seed", "3"])
    b, _ = _json(capsys, SMALL + ["--seed", "3"])
    c, _ = _json(capsys, SMALL + ["--seed", "4"])
    assert a == b  # same seed -> identical JSON
    assert a != c
    its = d["iterations"]
    assert [it["n"] for it in its] == [0, 1, 2]
    assert len(its[1]["pos"]) == 6 and len(its[1]["pred_group"]) == 6 and len(its[1]["sample_success"]) == 6
    for k in ("pos_mean", "pred_population_mean", "pred_group_mean", "dev_group", "band", "within_band",
              "binomial_band", "step_tv_mean", "tv_group_mean"):
        assert k in its[1], k
    assert "pred_sampled_argmax_mean" in its[1]  # exact iteration-1 law (K=4, G=4)
    assert d["policy"] == {"family": "tabular", "prompts": 6, "outputs": 4}
    assert d["config"]["convention"] == "paper" and d["config"]["group_size"] == 4
    assert d["p_ref"][:2] == pytest.approx([0.2, 0.5], abs=1e-15)
    assert d["summary"]["thm10_pos_gap_le_tv"] is True
    assert "CLT" in d["band"]["text"]


def test_expectation_mode_json_matches_recurrence(capsys):
    _, d = _json(capsys, ["simulate", "--mode", "expectation", "--prompts", "3", "--outputs", "5",
                          "--iterations", "3", "--alpha", "0.5", "--beta", "3", "--eps", "1e-2",
                          "--p-ref", "0.1,0.4,0.7"])
    assert d["config"]["optimizer"] == "lbfgs"
    assert d["summary"]["all_within_band"] is True
    assert d["summary"]["max_abs_prompt_dev_group"] < 1e-6
    assert d["p_ref"] == pytest.approx([0.1, 0.4, 0.7], abs=1e-15)
    _, p = _json(capsys, ["simulate", "--mode", "expectation", "--statistics", "population", "--norm", "mean",
                          "--prompts", "2", "--outputs", "3", "--iterations", "2", "--beta", "2"])
    assert p["predictions"]["reference"] == "population" and p["config"]["convention"] == "mean"
    assert p["summary"]["max_abs_prompt_dev_population"] < 1e-6


def test_clip_reports_effective_prediction(capsys):
    """Default expectation-mode optimiser (L-BFGS): near the clipped map (ClippedMap, closed form)
    only to ~1e-3, since it stalls at the clip kinks; far from the unclipped recurrence."""
    _, d = _json(capsys, ["simulate", "--mode", "expectation", "--prompts", "2", "--outputs", "4",
                          "--iterations", "2", "--clip", "0.2", "--beta", "2", "--eps", "1e-3"])
    assert "ClippedMap" in d["predictions"]["effective"] and "clip=0.2," in d["predictions"]["effective"]
    assert d["config"]["clip_high"] == 0.2  # symmetric by default
    assert d["summary"]["max_abs_mean_dev_effective"] < 1e-2
    assert d["summary"]["max_abs_prompt_dev_effective"] < 2e-2
    assert d["summary"]["max_abs_mean_dev_group"] > 5e-2
    assert len(d["iterations"][1]["pred_effective"]) == 2 and "max_prompt_dev_effective" in d["iterations"][1]


def test_transformer_json(capsys):
    _, d = _json(capsys, ["simulate", "--policy", "transformer", "--prompts", "2", "--vocab", "3", "--length", "2",
                          "--d-model", "8", "--iterations", "2", "--inner-steps", "5", "--group-size", "4"])
    assert d["policy"] == {"family": "transformer", "prompts": 2, "outputs": 9}
    it = d["iterations"][-1]
    assert all(math.isfinite(it[k]) for k in ("pos_mean", "tv_group_mean", "tv_population_mean", "step_tv_mean",
                                              "delta_group"))
    assert "indicative" in d["band"]["text"]


def test_text_output_and_figure(capsys, tmp_path):
    fig = tmp_path / "run.png"
    assert main(SMALL + ["--figure", str(fig)]) == 0
    out = capsys.readouterr().out
    assert "PoS per iteration" in out and "pred G" in out and "band:" in out
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


BAD = [
    (["--beta", "0"], "beta"),
    (["--beta", "-1"], "beta"),
    (["--beta", "nan"], "beta"),
    (["--eps=-1e-3"], "eps"),
    (["--beta=-inf"], "beta"),
    (["--alpha", "1.5"], "alpha"),
    (["--p-ref", "1.5"], "p_ref"),
    (["--p-ref", "0.2,0"], "p_ref"),
    (["--p-ref", "0.2,,0.3"], "p-ref"),
    (["--group-size", "1"], "group size"),
    (["--group-size", "2.5"], "group size"),
    (["--clip", "2"], "clip"),
    (["--clip=-0.1"], "clip"),
    (["--clip", "nan"], "clip"),
    (["--clip-high", "0.2"], "clip_high"),
    (["--clip", "0.2", "--clip-high=-0.1"], "clip_high"),
    (["--mode", "expectation", "--lr-final", "1e-3"], "lr_final"),
    (["--lr-final", "0"], "lr-final"),
    (["--lr", "0"], "lr"),
    (["--outputs", "1"], "outputs"),
    (["--prompts", "0"], "prompts"),
    (["--norm", "std", "--convention", "mean"], "convention"),
    (["--device", "tpu"], "device"),
    (["--policy", "transformer", "--p-ref", "0.3"], "p-ref"),
    (["--policy", "transformer", "--verifier", "count:9"], "PoS 0 or 1"),
    (["--policy", "transformer", "--verifier", "bogus"], "verifier"),
    (["--policy", "transformer", "--vocab", "64", "--length", "5"], "enumerate"),
]


@pytest.mark.parametrize("extra,word", BAD)
def test_bad_input_is_one_line_exit_2(capsys, extra, word):
    assert main(["simulate", "--iterations", "1", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("grpo-symbolic: error:") and word in err, err


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_cuda_without_cuda_is_one_line_exit_2(capsys):
    assert main(["simulate", "--device", "cuda", "--iterations", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CUDA is not available" in err


def test_missing_torch_is_one_line_exit_2(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # "import torch" now raises ImportError
    assert main(["simulate", "--iterations", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PyTorch" in err


def test_base_package_does_not_import_torch():
    code = ("import sys, grpo_symbolic.cli as c; c.build_parser(); "
            "sys.exit(1 if 'torch' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
