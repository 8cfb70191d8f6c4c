"""Benchmark: the full audit of the paper, cold, as a whole process, against a float64
numerical audit measured in the same run.

Each run starts a new interpreter (nothing cached between runs):

* ``audit``: ``python -m grpo_symbolic audit --no-progress --json FILE`` (default
  ``--jobs``: the CPUs available, at most 2); with ``--serial`` also ``--jobs 1``;
* baseline: ``python bench/float64_audit.py``, a single float64 NumPy/SciPy script that
  checks four claims of the paper the way a numerical auditor would (Thm 2 at sample
  points with an SLSQP optimum, a fixed point by grid + brentq, the 2-cycle by
  iteration, amplification on a grid): no symbols, no intervals, no certificates.

Runs alternate (audit, baseline, audit, ...) so that a change of machine load hits both.
Printed: the median wall time of each, the ratio audit / baseline (the target is <= 1),
and the CPU time (user + system of the child processes) of each.

Usage:  python bench/bench_audit.py [--repeat 2] [--serial] [--json bench/results/audit.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUDIT = [sys.executable, "-m", "grpo_symbolic", "audit", "--no-progress", "--json"]
BASELINE = [sys.executable, str(HERE / "float64_audit.py")]


def timed(cmd) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of running ``cmd`` to completion."""
    c0, t = os.times(), time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall, c1 = time.perf_counter() - t, os.times()
    return wall, (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--serial", action="store_true", help="also time the audit with --jobs 1")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    rows = {"audit": [], "float64": [], "audit_serial": []}
    with tempfile.TemporaryDirectory() as d:
        for _ in range(args.repeat):
            rows["audit"].append(timed(AUDIT + [f"{d}/a.json"]))
            rows["float64"].append(timed(BASELINE))
            if args.serial:
                rows["audit_serial"].append(timed(AUDIT + [f"{d}/s.json", "--jobs", "1"]))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in rows.items() if v}
    (a, ac), (b, bc) = med["audit"], med["float64"]
    print(f"audit (cold process, default --jobs): {a:.2f} s wall, {ac:.2f} s CPU")
    if "audit_serial" in med:
        s, sc = med["audit_serial"]
        print(f"audit --jobs 1 (cold process):        {s:.2f} s wall, {sc:.2f} s CPU")
    print(f"float64 NumPy/SciPy audit (4 claims): {b:.2f} s wall, {bc:.2f} s CPU")
    print(f"ratio audit / float64: x{a / b:.2f} wall (target <= 1), x{ac / bc:.2f} CPU")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                "python": sys.version.split()[0], "machine": platform.machine(),
                                "cpus": os.cpu_count(), "repeat": args.repeat},
                       "wall_cpu_s": rows, "ratio_wall": a / b, "ratio_cpu": ac / bc}, f, indent=1)


if __name__ == "__main__":
    main()
