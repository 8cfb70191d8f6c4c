r"""Numeric spot checks: the independent route of every step.

Both sides of a step are turned into mpmath functions (``sympy.lambdify`` with the
``"mpmath"`` module) and evaluated at random points drawn from the declared domains
of their free symbols (:mod:`~grpo_symbolic.symbolic.domains`).  No symbolic
rewriting is involved, so a wrong rewrite in a route cannot hide a wrong identity.

Cancellation (e.g. ``1 - p`` with ``p`` within ``1e-40`` of 1) is handled by
re-evaluating at rising precision ``dps+10, 2 dps+20, 4 dps+40, ...`` until two
successive evaluations agree to ``dps/2`` digits (at most 4 rises); the discrepancy
is taken at the last precision.  The discrepancy of a point is

* ``==``: ``|lhs - rhs| / max(1, |lhs|, |rhs|)``;
* ``solve``: ``|lhs(unknown = rhs)| / max(1, sum |terms|)``;
* inequalities: the relative amount by which the relation is violated
  (a strict relation met with equality counts as a violation).

A point where evaluation raises or gives NaN is an error and fails the check:
domains must be declared so that every point is legitimate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import mpmath as mp
import sympy as sp

from .domains import domain_of

__all__ = ["SpotResult", "spot_check_exprs"]


@dataclass
class SpotResult:
    """Outcome of a numeric spot check."""

    ok: bool
    n: int
    dps: int
    max_discrepancy: object  # mpf
    tol: object
    worst_point: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    violations: int = 0
    max_dps_used: int = 0

    def __bool__(self):
        return self.ok

    def to_json(self) -> dict:
        return {"ok": self.ok, "n": self.n, "dps": self.dps,
                "max_discrepancy": mp.nstr(self.max_discrepancy, 5),
                "tol": mp.nstr(self.tol, 3), "violations": self.violations,
                "errors": self.errors[:3], "max_dps_used": self.max_dps_used}


def numeric_form(expr):
    """Replace package-defined unevaluated functions (e.g. the clip objective)
    by their Min/Max definition, for numeric evaluation."""
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(numeric_form)
    return expr.replace(lambda e: hasattr(e, "numeric_definition"),
                        lambda e: e.numeric_definition())


def _entries(expr):
    if isinstance(expr, sp.MatrixBase):
        return list(expr)
    return [expr]


def _evaluate(funcs, vals, w):
    with mp.workdps(w):
        return [f(*vals) for f in funcs]


def _close(a, b, digits):
    tol = mp.mpf(10) ** (-digits)
    for x, y in zip(a, b):
        x, y = mp.mpmathify(x), mp.mpmathify(y)
        if mp.isnan(x) or mp.isnan(y):
            return False
        if abs(x - y) > tol * max(1, abs(x), abs(y)):
            return False
    return True


def spot_check_exprs(lhs, rhs, relation: str, *, unknown=None, overrides=None,
                     n: int = 20, dps: int = 50, seed: int = 0) -> SpotResult:
    """Spot-check ``lhs <relation> rhs`` numerically (see module docstring)."""
    lhs = numeric_form(lhs)
    rhs = numeric_form(rhs)
    if relation == "solve":
        res = lhs.xreplace({unknown: rhs})
        pieces = [(e, list(sp.Add.make_args(e))) for e in _entries(res)]
        exprs = [e for e, _ in pieces] + [sp.Abs(t) for _, ts in pieces for t in ts]
        n_main = len(pieces)
    else:
        L, R = _entries(lhs), _entries(rhs)
        if len(L) != len(R):
            raise ValueError("lhs and rhs have different shapes")
        exprs = L + R
        n_main = len(L)
    syms = sorted(set().union(*[e.free_symbols for e in exprs]), key=lambda s: s.name)
    doms = [domain_of(s, overrides) for s in syms]
    funcs = [sp.lambdify(syms, e, modules="mpmath") for e in exprs]
    rng = random.Random(seed)
    tol = mp.mpf(10) ** (-(dps // 2))
    worst = mp.mpf(0)
    worst_point: dict = {}
    errors: list = []
    violations = 0
    max_w = 0
    for _ in range(n):
        with mp.workdps(dps + 10):
            vals = [d.sample(rng) for d in doms]
        point = {s.name: mp.nstr(v, 12) for s, v in zip(syms, vals)}
        try:
            w = dps + 10
            prev = _evaluate(funcs, vals, w)
            for _rise in range(4):
                w2 = 2 * w
                cur = _evaluate(funcs, vals, w2)
                stable = _close(prev, cur, dps // 2 + 5)
                prev, w = cur, w2
                if stable:
                    break
            max_w = max(max_w, w)
            with mp.workdps(w):
                disc, violated = _discrepancy(prev, n_main, relation)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError, ArithmeticError) as exc:
            errors.append(f"{type(exc).__name__}: {exc} at {point}")
            continue
        if disc is None:
            errors.append(f"NaN at {point}")
            continue
        violations += violated
        if disc > worst or (violated and not worst_point):
            worst, worst_point = disc, point
    ok = not errors and violations == 0 and worst <= tol
    return SpotResult(ok=ok, n=n, dps=dps, max_discrepancy=worst, tol=tol,
                      worst_point=worst_point, errors=errors, violations=violations,
                      max_dps_used=max_w)


def _discrepancy(vals, n_main, relation):
    """(relative discrepancy, number of violated relations) at one point."""
    vals = [mp.mpmathify(v) for v in vals]
    if any(mp.isnan(v) for v in vals):
        return None, 0
    if any(isinstance(v, mp.mpc) and abs(v.imag) > 0 for v in vals):
        if relation in ("==", "solve"):
            pass
        else:
            return None, 0
    worst, bad = mp.mpf(0), 0
    if relation == "solve":
        main, terms = vals[:n_main], vals[n_main:]
        scale = max(mp.mpf(1), mp.fsum(abs(t) for t in terms))
        for m in main:
            worst = max(worst, abs(m) / scale)
        return worst, 0
    L, R = vals[:n_main], vals[n_main:]
    for a, b in zip(L, R):
        scale = max(mp.mpf(1), abs(a), abs(b))
        if relation == "==":
            worst = max(worst, abs(a - b) / scale)
            continue
        a, b = mp.re(a), mp.re(b)
        margin = {">": a - b, ">=": a - b, "<": b - a, "<=": b - a}[relation]
        strict = relation in (">", "<")
        if margin < 0 or (strict and margin == 0):
            bad += 1
            worst = max(worst, abs(margin) / scale)
    return worst, bad
