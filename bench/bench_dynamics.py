"""Benchmark: ``dynamics`` (certified isolation + refinement + orbit) against a naive
baseline measured in the same run.

Two timings of ours: ``ours`` is :func:`compute_dynamics` in this process; ``process`` is
the whole command, ``python -m grpo_symbolic dynamics ... --digits D --json`` in a fresh
interpreter (start-up and imports included: what a user waits for).  The target for
``process`` at 1000 digits is a speed-up of at least x50 over the in-process baseline.

Baseline ("naive grid scan + findroot"): evaluate G = g - id in mpmath at the same
precision on a uniform grid of ``--grid`` log-odds over the interval that holds every
fixed point, run ``mpmath.findroot`` on each sign change, and iterate the orbit
``--orbit-steps`` times at that precision.  It certifies nothing and can miss close
roots; it is the obvious way to do the job by hand.

Usage:  python bench/bench_dynamics.py [--digits 50 1000] [--repeat 3] [--json bench/results/dynamics.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from fractions import Fraction

import mpmath as mp

from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.params import Params

CASES = [
    dict(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2"),
    dict(norm="std", beta="5", alpha="1", eps="1e-5", p_ref="0.001"),
    dict(norm="std", beta="0.4", alpha="1", eps="1e-5", p_ref="0.0001"),
    dict(norm="std", beta="0.5", alpha="0.5", eps="1e-5", p_ref="0.3"),
]


def naive(P: Params, digits: int, grid: int, orbit_steps: int):
    """The baseline (see module docstring); returns the roots found."""
    with mp.workdps(digits + 10):
        a, b, eps = (mp.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in (P.alpha, P.beta, P.eps))
        pr = mp.mpf(P.p_ref.numerator) / P.p_ref.denominator
        Lref = mp.log(pr) - mp.log(1 - pr)

        def G(L):
            p, q = 1 / (1 + mp.exp(-L)), 1 / (1 + mp.exp(L))
            om = 1 / mp.sqrt(p * q + eps) if P.norm == "std" else mp.mpf(1)
            return a * (Lref - L) + om / b

        lo = Lref + 1 / (a * b * mp.sqrt(mp.mpf(1) / 4 + eps)) - 1
        hi = Lref + (1 / mp.sqrt(eps) if eps > 0 else 60) / (a * b) + 1
        xs = [lo + (hi - lo) * i / grid for i in range(grid + 1)]
        fs = [G(x) for x in xs]
        roots = [mp.findroot(G, (xs[i], xs[i + 1]), solver="anderson")
                 for i in range(grid) if (fs[i] > 0) != (fs[i + 1] > 0)]
        L = Lref
        for _ in range(orbit_steps):
            L = L + G(L)
        return roots


def command(kw: dict, digits: int) -> list:
    """The ``dynamics`` command line of case ``kw`` (JSON to stdout, nothing else)."""
    return [sys.executable, "-m", "grpo_symbolic", "dynamics", "--norm", kw["norm"], "--beta", kw["beta"],
            "--alpha", kw["alpha"], "--eps", kw["eps"], "--p-ref", kw["p_ref"], "--digits", str(digits), "--json"]


def timed_process(cmd, repeat):
    """Median wall time of running ``cmd`` in a fresh process (stdout discarded)."""
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), ts


def timed(fn, repeat):
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), ts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--digits", type=int, nargs="+", default=[50, 1000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--grid", type=int, default=2000)
    ap.add_argument("--orbit-steps", type=int, default=2000)
    ap.add_argument("--json", default=None, help="write results here")
    args = ap.parse_args(argv)
    rows = []
    for kw in CASES:
        P = Params.parse(**kw)
        for D in args.digits:
            ours, _ = timed(lambda: compute_dynamics(P, digits=D), args.repeat)
            proc, _ = timed_process(command(kw, D), args.repeat)
            base, _ = timed(lambda: naive(P, D, args.grid, args.orbit_steps), 1 if D > 100 else args.repeat)
            rows.append(dict(case=kw, digits=D, ours_s=ours, process_s=proc, naive_s=base, speedup=base / ours,
                             speedup_process=base / proc))
            print(f"{kw['beta']:>4} {kw['p_ref']:>7} alpha={kw['alpha']:<4} D={D:<5} ours {ours * 1e3:8.1f} ms   "
                  f"process {proc * 1e3:8.1f} ms   naive {base * 1e3:9.1f} ms   speed-up x{base / ours:7.1f} "
                  f"(whole process x{base / proc:5.1f})", flush=True)
    for D in args.digits:
        sub = [r for r in rows if r["digits"] == D]
        sp, spp = [r["speedup"] for r in sub], [r["speedup_process"] for r in sub]
        worst = max(r["ours_s"] for r in sub)
        print(f"D={D}: median speed-up x{statistics.median(sp):.1f} (min x{min(sp):.1f}); slowest ours {worst:.3f} s; "
              f"whole process: median x{statistics.median(spp):.1f} (min x{min(spp):.1f})"
              + ("  [target >= x50]" if D == 1000 else ""))
    if args.json:
        meta = dict(date=datetime.now(timezone.utc).isoformat(timespec="seconds"), python=sys.version.split()[0],
                    machine=platform.machine(), processor=platform.processor(), mpmath=mp.__version__,
                    grid=args.grid, orbit_steps=args.orbit_steps, repeat=args.repeat)
        with open(args.json, "w") as f:
            json.dump(dict(meta=meta, rows=rows), f, indent=1)


if __name__ == "__main__":
    main()
