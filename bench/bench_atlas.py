"""Benchmark: the atlas (``grpo-symbolic atlas``), every ratio against a baseline measured in
the same run.

A. float64, on a ``--size`` x ``--size`` grid (beta 0.01..10 log, p_ref 1e-6..0.999 logit,
   std, alpha 1, eps 1e-5, 2000 steps):
   * baseline: :func:`grpo_symbolic.numeric.phase.classify_orbits` (every cell iterated
     for the full step budget, NumPy);
   * :func:`~grpo_symbolic.numeric.phase.classify_orbits_active` on the same arrays (same
     ``max_period=16``, same ``tol``), and the label agreement with the baseline;
   * the whole ``atlas --engine float64`` (plain loop, ``max_period`` 64, Parquet included);
   * the agreement of the float64 atlas with the certified engine on ``--sample`` random cells.
B. certified, on a ``--cert-size`` x ``--cert-size`` grid (default chunks of 64 cells): the per-cell time of
   ``compute_dynamics`` (``dynamics``' defaults, digits 30 / 10000 steps, against the
   atlas's digits 17 / 2000 steps); cells per second of the plain loop (no Dask) and of
   Dask ``LocalCluster`` runs with 1 and 2 worker processes (cluster start-up timed
   apart); the Dask overhead against the plain loop on 1 worker and the parallel
   efficiency ``rate(2) / (2 rate(1))``.

Usage:  python bench/bench_atlas.py [--size 1000] [--cert-size 32] [--sample 100] [--json bench/results/atlas.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone

import numpy as np

from grpo_symbolic.atlas.build import build_atlas
from grpo_symbolic.atlas.cells import certified_row, evaluate_chunk
from grpo_symbolic.atlas.grid import AtlasSpec, default_chunk_size
from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.numeric.phase import classify_orbits, classify_orbits_active


def spec_for(n: int, engine: str) -> AtlasSpec:
    return AtlasSpec.build(norm="std", alpha="1", eps="1e-5", beta=f"0.01:10:log:{n}", p_ref=f"1e-6:0.999:logit:{n}",
                           engine=engine).validate()


def timed(f, *a, **k):
    t = time.perf_counter()
    r = f(*a, **k)
    return r, time.perf_counter() - t


def float64_part(n: int, sample: int, tmp: str) -> dict:
    spec = spec_for(n, "float64")
    B = np.array(spec.beta_axis.floats)[:, None]
    p = np.array(spec.p_ref_axis.floats)
    Lr = (np.log(p) - np.log1p(-p))[None, :]
    print(f"[float64] {n} x {n} = {n * n} cells, 2000 steps", flush=True)
    (k0, per0, _), t_base = timed(classify_orbits, Lr, Lr, 1.0, B, "std", 1e-5, steps=2000)
    print(f"  baseline classify_orbits (full iteration): {t_base:.2f} s", flush=True)
    act, t_act = timed(classify_orbits_active, Lr, Lr, 1.0, B, "std", 1e-5, steps=2000, max_period=16)
    agree = float(np.mean((act.kind == k0) & (act.period == per0)))
    print(f"  classify_orbits_active: {t_act:.2f} s  ratio {t_base / t_act:.1f}x  label agreement {agree:.5f}  "
          f"mean steps {act.steps_used.mean():.1f}", flush=True)
    evaluate_chunk(spec_for(2, "float64").key(), 0, 4)  # warm the imports (pyarrow, pandas)
    out = os.path.join(tmp, "f64.parquet")
    s, t_atlas = timed(build_atlas, spec, out, workers=0)
    print(f"  atlas --engine float64 (plain loop, Parquet): {t_atlas:.2f} s  ratio {t_base / t_atlas:.1f}x  "
          f"kinds {s['kinds']}", flush=True)
    import pyarrow.parquet as pq

    rows = pq.read_table(out, columns=["kind", "period", "limit_logit"]).to_pylist()
    cells = random.Random(2026).sample(range(spec.n_cells), sample)
    cert_spec = spec_for(n, "certified")
    pairs, t_cert = Counter(), 0.0
    limit_err = 0.0
    for c in cells:
        r, dt = timed(certified_row, cert_spec, c)
        t_cert += dt
        f = rows[c]
        pairs[(r["kind"], r["period"], f["kind"], f["period"])] += 1
        if r["kind"] == f["kind"] == "converges":
            limit_err = max(limit_err, abs(r["limit_logit"] - f["limit_logit"]) / (1 + abs(r["limit_logit"])))
    same = sum(v for (a, b, c_, d), v in pairs.items() if (a, b) == (c_, d))
    print(f"  float64 vs certified on {sample} random cells: {same}/{sample} agree "
          f"(max relative limit difference {limit_err:.1e}); disagreements "
          f"{ {f'{a}/{b} vs {c}/{d}': v for (a, b, c, d), v in pairs.items() if (a, b) != (c, d)} }", flush=True)
    return {"cells": n * n, "baseline_s": t_base, "active_s": t_act, "active_ratio": t_base / t_act,
            "active_vs_baseline_label_agreement": agree, "active_mean_steps": float(act.steps_used.mean()),
            "atlas_float64_s": t_atlas, "atlas_ratio": t_base / t_atlas, "kinds": s["kinds"],
            "certified_sample": sample, "certified_agree": same, "certified_max_rel_limit_diff": limit_err,
            "certified_sample_ms_per_cell": 1000 * t_cert / sample,
            "disagreements": {f"{a}/{b} vs {c}/{d}": v for (a, b, c, d), v in pairs.items() if (a, b) != (c, d)}}


def per_cell_part(spec: AtlasSpec, k: int = 12) -> dict:
    cells = random.Random(7).sample(range(spec.n_cells), min(k, spec.n_cells))
    out = {}
    for digits, steps in ((30, 10_000), (17, 2000), (8, 2000)):
        t = time.perf_counter()
        for c in cells:
            compute_dynamics(spec.cell_params(c), digits=digits, steps=steps)
        out[f"digits{digits}_steps{steps}_ms"] = 1000 * (time.perf_counter() - t) / len(cells)
    print(f"  compute_dynamics per cell ({len(cells)} cells): "
          + ", ".join(f"{k} {v:.1f}" for k, v in out.items()), flush=True)
    return out


def _cluster(workers: int):
    from dask.distributed import Client, LocalCluster

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    client = Client(cluster)
    warm = spec_for(2, "certified").key()
    client.run(evaluate_chunk, warm, 0, 1)  # imports and Arb set-up on every worker
    return cluster, client, time.perf_counter() - t


def _worker_cpu(client) -> float:
    return sum(client.run(time.process_time).values())


def certified_part(m: int, tmp: str) -> dict:
    spec = spec_for(m, "certified")
    print(f"[certified] {m} x {m} = {spec.n_cells} cells, chunk {default_chunk_size(spec)}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    res = {"cells": spec.n_cells, "per_cell": per_cell_part(spec), "loadavg_start": os.getloadavg()[0]}
    evaluate_chunk(spec_for(2, "certified").key(), 0, 1)
    c0 = time.process_time()
    _, t_plain = timed(build_atlas, spec, os.path.join(tmp, "plain.parquet"), workers=0)
    res["plain_s"], res["plain_cpu_s"] = t_plain, time.process_time() - c0
    print(f"  plain loop: {t_plain:.2f} s = {spec.n_cells / t_plain:.1f} cells/s (CPU {res['plain_cpu_s']:.2f} s)",
          flush=True)
    for w in (1, 2):
        cluster, client, t_up = _cluster(w)
        try:
            from dask.distributed import get_task_stream

            wc0, c0 = _worker_cpu(client), time.process_time()
            with get_task_stream(client=client) as ts:
                _, t = timed(build_atlas, spec, os.path.join(tmp, f"dask{w}.parquet"),
                             scheduler=cluster.scheduler_address)
            cpu_client, cpu_workers = time.process_time() - c0, _worker_cpu(client) - wc0
            busy = sum(ss["stop"] - ss["start"] for task in ts.data for ss in task["startstops"]
                       if ss["action"] == "compute")
            res[f"dask{w}_worker_busy_fraction"] = busy / (w * t)
        finally:
            client.close()
            cluster.close()
        res[f"dask{w}_s"], res[f"dask{w}_startup_s"] = t, t_up
        res[f"dask{w}_cpu_workers_s"], res[f"dask{w}_cpu_client_s"] = cpu_workers, cpu_client
        print(f"  Dask LocalCluster, {w} worker(s): {t:.2f} s = {spec.n_cells / t:.1f} cells/s "
              f"(cluster start-up {t_up:.1f} s, not included; CPU: workers {cpu_workers:.2f} s, "
              f"client + scheduler {cpu_client:.2f} s; workers busy {100 * res[f'dask{w}_worker_busy_fraction']:.0f}% "
              f"of the wall time)", flush=True)
    res["loadavg_end"] = os.getloadavg()[0]
    res["dask_overhead_vs_plain_1worker"] = res["dask1_s"] / t_plain - 1
    res["dask_cpu_overhead_vs_plain_1worker"] = (res["dask1_cpu_workers_s"] + res["dask1_cpu_client_s"]) \
        / res["plain_cpu_s"] - 1
    res["parallel_efficiency_2"] = res["dask1_s"] / (2 * res["dask2_s"])
    print(f"  Dask overhead on 1 worker vs plain loop: wall {100 * res['dask_overhead_vs_plain_1worker']:+.1f}%, "
          f"CPU {100 * res['dask_cpu_overhead_vs_plain_1worker']:+.1f}%; parallel efficiency with 2 workers "
          f"(wall): {100 * res['parallel_efficiency_2']:.0f}%", flush=True)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1000, help="float64 grid side (default 1000)")
    ap.add_argument("--cert-size", type=int, default=32, help="certified grid side (default 32)")
    ap.add_argument("--sample", type=int, default=100, help="random cells checked against the certified engine")
    ap.add_argument("--skip-float64", action="store_true")
    ap.add_argument("--skip-certified", action="store_true")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    res = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "python": sys.version.split()[0],
           "machine": platform.machine(), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        if not a.skip_float64:
            res["float64"] = float64_part(a.size, a.sample, tmp)
        if not a.skip_certified:
            res["certified"] = certified_part(a.cert_size, tmp)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
