"""The atlas: grid specs, bad input, resume, float64 vs certified, the command's light import."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from grpo_symbolic.atlas.grid import MAX_AXIS, AtlasSpec, chunk_bounds, parse_axis
from grpo_symbolic.cli import main
from grpo_symbolic.errors import InputError

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SMALL = dict(norm="std", alpha="1", eps="1e-5", beta="0.3:6:log:5", p_ref="1e-4:0.9:logit:6")


def cli(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


# ------------------------------------------------------------------ grid specs
@pytest.mark.parametrize("scale, lo, hi, fwd", [
    ("lin", 0.5, 4.0, lambda x: x),
    ("log", 1e-2, 10.0, math.log),
    ("logit", 1e-6, 0.999, lambda p: math.log(p) - math.log1p(-p)),
])
def test_axis_points_are_equally_spaced_in_their_scale(scale, lo, hi, fwd):
    a = parse_axis(f"{lo!r}:{hi!r}:{scale}:7", "x")
    u = [fwd(float(t)) for t in a.texts]
    step = (fwd(hi) - fwd(lo)) / 6
    assert len(a) == 7 and a.texts[0] == repr(lo) and a.texts[-1] == repr(hi)
    assert all(abs((v - w) - step) < 1e-9 * (1 + abs(step)) for v, w in zip(u[1:], u))
    assert [float(t) for t in a.texts] == list(a.floats)      # the text is the float, exactly


def test_single_value_axis_and_chunks():
    assert parse_axis(" 0.25 ", "beta").texts == ("0.25",)
    spec = AtlasSpec.build(**SMALL)
    assert spec.shape == (5, 6) and spec.n_cells == 30
    i, j = spec.cell_ij(13)
    assert (i, j) == (2, 1) and spec.cell_params(13).beta == spec.cell_params(12).beta
    b = chunk_bounds(30, 4)
    assert b[0] == (0, 4) and b[-1] == (28, 30) and sum(y - x for x, y in b) == 30


@pytest.mark.parametrize("beta, p_ref, needle", [
    ("1:0.5:log:4", "0.2", "LO must be smaller than HI"),
    ("1:1:lin:4", "0.2", "LO must be smaller than HI"),
    ("0.1:1:log:0", "0.2", "N >= 2"),
    ("0.1:1:log:1", "0.2", "N >= 2"),
    ("0.1:1:log:1000000000000", "0.2", "positive integer"),
    (f"0.1:1:log:{MAX_AXIS + 1}", "0.2", "exceeds the limit"),
    ("0.1:1:log:5000", "0.1:0.9:lin:5000", "cells; the limit is"),
    ("0.1:1:cubic:4", "0.2", "unknown scale 'cubic'"),
    ("0.1:1:log", "0.2", "LO:HI:SCALE:N"),
    ("0.1:1:log:x", "0.2", "positive integer"),
    ("0:1:log:4", "0.2", "log scale needs 0 < LO"),
    ("0.5", "0.1:1:logit:4", "logit scale needs 0 < LO < HI < 1"),
    ("nan:1:log:4", "0.2", "beta LO"),
    ("1e-999:1:log:4", "0.2", "not representable"),
    ("0:1:lin:3", "0.2", "beta must be > 0"),
    ("1", "0:0.5:lin:3", "p_ref must lie strictly between 0 and 1"),
    ("1e-9:1e-9000000:log:3", "0.2", "exponent out of range"),
])
def test_bad_grid_is_one_line_exit_2(capsys, tmp_path, beta, p_ref, needle):
    rc, out, err = cli(capsys, "atlas", "--beta", beta, "--p-ref", p_ref, "--workers", "0",
                       "--out", str(tmp_path / "a.parquet"))
    assert rc == 2 and out == ""
    assert err.startswith("grpo-symbolic: error: ") and err.count("\n") == 1, err
    assert needle in err
    assert not any(tmp_path.iterdir())                         # nothing written


@pytest.mark.parametrize("extra, needle", [
    (["--workers", "-1"], "workers must lie in"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
    (["--steps", "0"], "steps must lie in"),
    (["--alpha", "2"], "alpha must lie in [0, 1]"),
    (["--clip", "1.5"], "clip must lie in [0, 1)"),
])
def test_bad_options_are_one_line_exit_2(capsys, tmp_path, extra, needle):
    rc, out, err = cli(capsys, "atlas", "--beta", "1", "--p-ref", "0.2", "--out", str(tmp_path / "a.parquet"), *extra)
    assert rc == 2 and err.count("\n") == 1 and needle in err, err


def test_out_that_is_a_directory_or_another_file(capsys, tmp_path):
    rc, _, err = cli(capsys, "atlas", "--beta", "1", "--p-ref", "0.2", "--workers", "0", "--out", str(tmp_path))
    assert rc == 2 and "not a regular file" in err
    junk = tmp_path / "junk.parquet"
    junk.write_text("not parquet")
    rc, _, err = cli(capsys, "atlas", "--beta", "1", "--p-ref", "0.2", "--workers", "0", "--out", str(junk))
    assert rc == 2 and "not an atlas file" in err and err.count("\n") == 1
    assert junk.read_text() == "not parquet"


# ------------------------------------------------------------------ one run, resume
def _spec_args(spec: dict) -> list[str]:
    return ["--norm", spec["norm"], "--alpha", spec["alpha"], "--eps", spec["eps"], "--beta", spec["beta"],
            "--p-ref", spec["p_ref"]]


@pytest.fixture(scope="module")
def small_atlas(tmp_path_factory):
    """The SMALL grid by the certified engine, plain loop (the reference of later tests)."""
    out = tmp_path_factory.mktemp("ref") / "ref.parquet"
    assert main(["atlas", *_spec_args(SMALL), "--workers", "0", "--no-progress", "--out", str(out)]) == 0
    return out


def test_rows_are_the_kernels_verdicts(small_atlas):
    from grpo_symbolic.exact.dynamics import compute_dynamics

    t = pq.read_table(small_atlas)
    assert t.column("cell").to_pylist() == list(range(30))
    spec = AtlasSpec.build(**SMALL)
    rows = t.to_pylist()
    for c in (0, 7, 29):  # the command's rows against the kernel called here, at other digits
        rep = compute_dynamics(spec.cell_params(c), digits=30, steps=2000)
        r = rows[c]
        assert (r["kind"], r["period"]) == (rep.orbit.kind, rep.orbit.period or 0)
        assert r["beta"] == spec.beta_axis.texts[c // 6] and r["p_ref"] == spec.p_ref_axis.texts[c % 6]
        assert r["engine"] == "certified" and r["n_fixed"] == len(rep.fixed)
        if rep.orbit.kind == "converges":
            L = rep.orbit.points[0]
            assert abs(r["limit_logit"] - float(L)) <= 1e-15 * (1 + abs(float(L)))
            assert rep.fixed[r["fixed_index"]].logit == L
            assert r["certificate"] == "fixed_point_trap" and "trap" in r["evidence"]
    kinds = set(t.column("kind").to_pylist())
    assert kinds <= {"converges", "cycle", "to_one", "bounded", "unresolved"}


def test_resume_computes_only_missing_chunks(tmp_path, small_atlas, monkeypatch):
    from grpo_symbolic.atlas import build, cells, store

    spec = AtlasSpec.build(**SMALL)
    out = tmp_path / "a.parquet"
    real_write, calls = store.PartStore.write, []

    def dying_write(self, a, b, cols):  # the run is killed after its third part
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append((a, b))
        real_write(self, a, b, cols)

    monkeypatch.setattr(store.PartStore, "write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        build.build_atlas(spec, out, workers=0, chunk=4)
    monkeypatch.setattr(store.PartStore, "write", real_write)
    parts = Path(str(out) + ".parts")
    written = sorted(p.name for p in parts.glob("part-*.parquet"))
    assert len(written) == 3 and not out.exists()
    (parts / written[1]).write_bytes((parts / written[1]).read_bytes()[:50])   # a damaged part
    (parts / "part-0000000028-0000000030.parquet.tmp").write_bytes(b"half")     # a left-over temporary

    evaluated = []
    real_eval = cells.evaluate_chunk
    monkeypatch.setattr("grpo_symbolic.atlas.execute.evaluate_chunk",
                        lambda k, a, b: evaluated.append((a, b)) or real_eval(k, a, b))
    s = build.build_atlas(spec, out, workers=0, chunk=99)      # the chunk size of the parts is kept
    assert s["resumed"] == 8 and s["computed"] == 22 and s["chunk"] == 4
    assert len(s["discarded_parts"]) == 2
    assert set(evaluated) == set(chunk_bounds(30, 4)) - {calls[0], calls[2]}
    assert pq.read_table(out).equals(pq.read_table(small_atlas))
    assert not parts.exists()


def test_killed_command_resumes(tmp_path, small_atlas):
    """A real ``grpo-symbolic atlas`` process killed (SIGKILL) after its first parts, then run again."""
    out = tmp_path / "k.parquet"
    argv = [sys.executable, "-m", "grpo_symbolic", "atlas", *_spec_args(SMALL), "--workers", "0",
            "--chunk-size", "2", "--no-progress", "--out", str(out)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        parts = Path(str(out) + ".parts")
        deadline = time.time() + 60
        while time.time() < deadline and len(list(parts.glob("part-*.parquet"))) < 2 and proc.poll() is None:
            time.sleep(0.05)
        proc.kill()
    finally:
        proc.wait()
    assert not out.exists()
    done = len(list(parts.glob("part-*.parquet")))
    assert 2 <= done < 15
    r = subprocess.run([*argv, "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    import json

    s = json.loads(r.stdout)
    assert s["resumed"] == 2 * done and s["computed"] == 30 - 2 * done
    assert pq.read_table(out).equals(pq.read_table(small_atlas))


def test_finished_atlas_is_reused_and_a_different_one_refused(capsys, small_atlas):
    rc, out, _ = cli(capsys, "atlas", *_spec_args(SMALL), "--workers", "0", "--out", str(small_atlas), "--json")
    import json

    assert rc == 0 and json.loads(out)["computed"] == 0
    rc, _, err = cli(capsys, "atlas", *_spec_args({**SMALL, "eps": "1e-4"}), "--workers", "0",
                     "--out", str(small_atlas))
    assert rc == 2 and "different atlas" in err


# ------------------------------------------------------------------ float64 engine
def test_float64_agrees_with_certified_on_a_random_sample(tmp_path):
    from grpo_symbolic.atlas.cells import certified_row

    grid = dict(norm="std", alpha="1", eps="1e-5", beta="0.05:8:log:30", p_ref="1e-5:0.99:logit:30")
    out = tmp_path / "f.parquet"
    assert main(["atlas", *_spec_args(grid), "--engine", "float64", "--workers", "0", "--no-progress",
                 "--out", str(out)]) == 0
    rows = pq.read_table(out).to_pylist()
    assert {r["certificate"] for r in rows} == {"numeric"} and {r["engine"] for r in rows} == {"float64"}
    spec = AtlasSpec.build(**grid)
    sample = random.Random(11).sample(range(spec.n_cells), 16)
    agree = 0
    for c in sample:
        cert, f = certified_row(spec, c), rows[c]
        if (cert["kind"], cert["period"]) == (f["kind"], f["period"]):
            agree += 1
            if cert["kind"] in ("converges", "cycle"):
                assert abs(cert["limit_logit"] - f["limit_logit"]) < 1e-6 * (1 + abs(f["limit_logit"]))
        else:  # a disagreement is only a label one engine could not give
            assert "unresolved" in (cert["kind"], f["kind"]), (c, cert, f)
    assert agree >= 14


def test_float64_variants_clip_and_group(tmp_path):
    """The float64 engine on the clipped map and on a finite group, against the kernel's map iterated
    cell by cell (kernel float64 maps, no active set)."""
    from grpo_symbolic.atlas.cells import evaluate_chunk, float64_map

    for extra in (dict(clip="0.2"), dict(group_size="8", convention="paper")):
        spec = AtlasSpec.build(norm="std", alpha="1", eps="1e-5", beta="0.5:4:log:4", p_ref="0.01:0.9:logit:4",
                               engine="float64", **extra)
        cols = evaluate_chunk(spec.key(), 0, spec.n_cells)
        step, _ = float64_map(spec)
        P = [spec.cell_params(c) for c in range(spec.n_cells)]
        Lr = np.array([math.log(float(p.p_ref)) - math.log1p(-float(p.p_ref)) for p in P])
        col = {"L_ref": Lr, "beta": np.array([float(p.beta) for p in P])}
        L = Lr.copy()
        for _ in range(2000):  # every cell, the full budget
            L = step(L, col)
        conv = [c for c in range(spec.n_cells) if cols["kind"][c] == "converges"]
        assert len(conv) >= spec.n_cells // 2
        for c in conv:
            assert abs(L[c] - cols["limit_logit"][c]) < 1e-6 * (1 + abs(L[c]))
            assert cols["entered_at_step"][c] < 2000


# ------------------------------------------------------------------ plot, imports
def test_plot(tmp_path, small_atlas, capsys):
    png = tmp_path / "a.png"
    rc, out, _ = cli(capsys, "atlas", *_spec_args(SMALL), "--workers", "0", "--out", str(small_atlas),
                     "--plot", str(png))
    assert rc == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "plot:" in out


def test_cli_does_not_import_dask_or_pyarrow():
    code = ("import sys; from grpo_symbolic.cli import build_parser; build_parser(); "
            "import grpo_symbolic.atlas.grid, grpo_symbolic.atlas.cells, grpo_symbolic.atlas.build; "
            "print(sorted(m for m in ('dask', 'distributed', 'pyarrow') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


def test_spec_key_ignores_how_it_is_run():
    a = AtlasSpec.build(**SMALL)
    assert AtlasSpec.from_dict(a.to_dict()).key() == a.key()
    assert AtlasSpec.build(**{**SMALL, "engine": "float64"}).key() != a.key()
    assert AtlasSpec.build(**{**SMALL, "eps": "0.00001"}).key() == a.key()    # the same exact number
    with pytest.raises(InputError):
        AtlasSpec.build(**{**SMALL, "engine": "fast"}).validate()


def test_active_set_labels_match_full_iteration():
    """classify_orbits_active against classify_orbits (every orbit iterated the whole budget)."""
    from grpo_symbolic.numeric.phase import TO_ONE, classify_orbits, classify_orbits_active

    B = np.logspace(-2, 1, 40)[:, None]
    t = np.linspace(math.log(1e-6 / (1 - 1e-6)), math.log(0.999 / 0.001), 40)[None, :]
    for alpha, eps in ((1.0, 1e-5), (0.5, 1e-5), (1.0, 0.0)):
        k0, p0, last0 = classify_orbits(t, t, alpha, B, "std", eps, steps=2000)
        r = classify_orbits_active(t, t, alpha, B, "std", eps, steps=2000)
        blown = np.isnan(last0)  # eps = 0: the full iteration overflows (inf - inf) and gives up
        assert np.all(r.kind[blown] == TO_ONE)                  # (the kernel certifies to_one there)
        assert np.mean(((r.kind == k0) & (r.period == p0))[~blown]) > 0.995
        fixed = (r.period == 1) & (p0 == 1)
        assert np.allclose(r.low[fixed], last0[fixed], rtol=1e-7, atol=1e-7)
        assert r.steps_used.mean() < 200                        # the point: most orbits stop early
    i, j = np.argwhere(blown)[0]
    from grpo_symbolic.exact.dynamics import compute_dynamics
    from grpo_symbolic.params import Params

    P = Params.parse(norm="std", alpha="1", eps="0", beta=repr(float(B[i, 0])), p_ref=repr(1 / (1 + math.exp(-t[0, j]))))
    assert compute_dynamics(P, digits=10, steps=2000).orbit.kind == "to_one"
    mirror = classify_orbits_active(t[0, :5], t[0, :5], 0.0, 0.5, "std", 1e-5)
    assert np.all(mirror.kind == TO_ONE)
