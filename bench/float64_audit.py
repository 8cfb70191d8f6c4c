"""A float64 numerical audit of four claims of arXiv 2503.06639v4 (the baseline of
``bench/bench_audit.py``; our own stand-in for "the obvious numerical audit").

One NumPy/SciPy script, the way a numerical auditor checks a paper by hand: no
symbols, no intervals, no certificates.  It checks

1. **Thm 1 + Thm 2 (recurrence).**  On a finite outcome space (K = 4, S = {0, 1}) the
   maximiser of ``sum_o pi_o A_o - beta KL(pi || pi_ref)`` over the simplex, found by
   ``scipy.optimize.minimize`` (SLSQP), has success mass
   ``h(p) = 1 / (1 + (1 - p_ref)/p_ref exp(-(1/beta) / sqrt(p(1-p) + eps)))``, at random
   sample points (pi_ref, p_{n-1}, beta, eps);
2. **Prop. 1 (a fixed point exists)** at beta = 5, p_ref = 1e-3, eps = 1e-5: a sign change
   of ``h(p) - p`` on a grid, refined by ``scipy.optimize.brentq``;
3. **the 2-cycle** at the same parameters: iterating h from p_ref, the orbit settles on
   two alternating values (so the recurrence does not converge there);
4. **amplification (Thm 3)**: every fixed point found on a (beta, p_ref) grid exceeds p_ref.

It prints one line per claim and exits 1 if a check fails.  Usage:
``python bench/float64_audit.py``.
"""

from __future__ import annotations

import sys

import numpy as np
from scipy.optimize import brentq, minimize

S = np.array([True, True, False, False])  # outcomes 0 and 1 succeed


def omega(p, eps):
    """(omega^+, omega^-) = ((1-p), p) / sqrt(p(1-p) + eps)."""
    s = np.sqrt(p * (1 - p) + eps)
    return (1 - p) / s, p / s


def h(p, p_ref, beta, eps):
    """The PoS map of Theorem 2."""
    return 1.0 / (1.0 + (1 - p_ref) / p_ref * np.exp(-(1 / beta) / np.sqrt(p * (1 - p) + eps)))


def optimum_by_solver(ref, A, beta):
    """argmax_pi sum pi A - beta KL(pi||ref) over the simplex, by SLSQP (no closed form used)."""
    def negJ(pi):
        pi = np.clip(pi, 1e-300, None)
        return -(pi @ A - beta * np.sum(pi * np.log(pi / ref)))

    res = minimize(negJ, ref, method="SLSQP", bounds=[(1e-12, 1)] * len(ref),
                   constraints=[{"type": "eq", "fun": lambda pi: pi.sum() - 1}],
                   options={"ftol": 1e-14, "maxiter": 500})
    return res.x


def check_recurrence(n=200, seed=0) -> tuple[bool, str]:
    """Claim 1: the solver's optimum has success mass h(p_{n-1})."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(n):
        ref = rng.dirichlet(np.ones(4))
        p_prev, beta, eps = rng.uniform(0.05, 0.95), rng.uniform(0.5, 5), 10 ** rng.uniform(-6, -1)
        wp, wm = omega(p_prev, eps)
        A = np.where(S, wp, -wm)
        mass = optimum_by_solver(ref, A, beta)[S].sum()
        worst = max(worst, abs(mass - h(p_prev, ref[S].sum(), beta, eps)))
    return worst < 1e-5, f"max |sum_S pi_n - h(p_(n-1))| = {worst:.1e} over {n} random points (SLSQP optimum)"


def fixed_points(p_ref, beta, eps, grid=20001):
    """Roots of h(p) - p on (0, 1): grid sign changes refined by brentq."""
    xs = np.linspace(1e-9, 1 - 1e-9, grid)
    f = h(xs, p_ref, beta, eps) - xs
    idx = np.nonzero(np.sign(f[:-1]) != np.sign(f[1:]))[0]
    return [brentq(lambda q: h(q, p_ref, beta, eps) - q, xs[i], xs[i + 1], xtol=1e-15) for i in idx]


def check_fixed_point() -> tuple[bool, str]:
    """Claim 2: a fixed point exists at beta = 5, p_ref = 1e-3, eps = 1e-5."""
    roots = fixed_points(1e-3, 5.0, 1e-5)
    return bool(roots), f"fixed points at beta=5, p_ref=1e-3, eps=1e-5: {[f'{r:.6g}' for r in roots]}"


def check_two_cycle(steps=20000) -> tuple[bool, str]:
    """Claim 3: from p_ref the orbit ends on an attracting 2-cycle (it does not converge)."""
    p = 1e-3
    orbit = [p]
    for _ in range(steps):
        p = h(p, 1e-3, 5.0, 1e-5)
        orbit.append(p)
    a, b, c = orbit[-3:]
    cycle = abs(a - c) < 1e-12 and abs(a - b) > 1e-6
    return cycle, f"orbit from p_ref after {steps} steps alternates {b:.6g}, {c:.6g}"


def check_amplification() -> tuple[bool, str]:
    """Claim 4: every fixed point exceeds p_ref, on a (beta, p_ref) grid."""
    worst, n = np.inf, 0
    for beta in np.geomspace(0.2, 10, 12):
        for p_ref in np.geomspace(1e-4, 0.9, 12):
            for r in fixed_points(p_ref, beta, 1e-5, grid=4001):
                worst, n = min(worst, r - p_ref), n + 1
    return n > 0 and worst > 0, f"{n} fixed points on a 12 x 12 (beta, p_ref) grid; min(p* - p_ref) = {worst:.3g}"


CHECKS = (("thm2 recurrence", check_recurrence), ("prop1 fixed point", check_fixed_point),
          ("2-cycle", check_two_cycle), ("amplification", check_amplification))


def main() -> int:
    bad = 0
    for name, fn in CHECKS:
        ok, msg = fn()
        bad += not ok
        print(f"{name:18s} {'ok' if ok else 'FAIL'}  {msg}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
