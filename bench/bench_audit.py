"""Benchmark: the full audit of the paper, cold, in a fresh process.

Each run starts a new interpreter (nothing cached between runs).  Baseline measured in
the same run: a fresh interpreter that only imports the audit's dependencies (sympy,
mpmath, python-flint, the package) — the fixed start-up cost every audit pays.  The
ratio says how many start-ups the audit itself is worth.

Usage:  python bench/bench_audit.py [--repeat 2] [--json bench/results/audit.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

AUDIT = [sys.executable, "-m", "grpo_symbolic", "audit", "--no-progress", "--json"]
BASELINE = [sys.executable, "-c", "import sympy, mpmath, flint, grpo_symbolic.audit.registry as r; r.load_claims()"]


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        audit = [timed(AUDIT + [f"{d}/a.json"]) for _ in range(args.repeat)]
    base = [timed(BASELINE) for _ in range(args.repeat)]
    a, b = statistics.median(audit), statistics.median(base)
    print(f"audit (116 statements, cold process): {a:.1f} s   start-up baseline: {b:.2f} s   ratio x{a / b:.1f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                "python": sys.version.split()[0], "machine": platform.machine(),
                                "repeat": args.repeat},
                       "audit_s": audit, "baseline_s": base, "ratio": a / b}, f, indent=1)


if __name__ == "__main__":
    main()
