"""Independent re-verification of an audit verdict's evidence.

The audit's checkers evaluate numerically with ``lambdify``/mpmath and certify
with Arb.  This module re-checks every leaf of a verdict by other routes:

* identities and inequalities: SymPy's own ``evalf`` (adaptive precision, no
  lambdify) at fresh pseudo-random points of the domain, and at every
  counterexample point;
* engine witnesses: a brute-force mpmath iteration of the PoS map written from
  the p-space formulas (no Arb, no log-odds engine), compared with the certified
  orbit (limit, cycle points, or growth to one).

A disagreement raises :class:`RecheckError`; the returned list says what was checked.
"""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath as mp
import sympy as sp

from .verdict import CERTIFIED, PROVED, REFUTED, Result, walk


class RecheckError(AssertionError):
    pass


def _leaves(res: Result, verdicts=None):
    """The results inside ``res`` that carry a machine-checkable spec."""
    for r in walk(res):
        if r.spec is not None and (verdicts is None or r.verdict in verdicts):
            yield r


class _Skip(Exception):
    pass


def _evalf(expr, point, n=60):
    """SymPy evalf (adaptive precision) at an exact point; points where SymPy cannot
    reach the accuracy (e.g. 1 - h with h = 1 - 1e-15000) are skipped, never trusted."""
    subs = {k: sp.Rational(Fraction(v).numerator, Fraction(v).denominator) for k, v in point.items()}
    try:
        return sp.sympify(expr).evalf(n, subs=subs, strict=True, maxn=400)
    except sp.core.evalf.PrecisionExhausted:
        raise _Skip() from None


def _parse_point(variables, cex: dict):
    pt = cex["point_exact"]
    return {v.sym: Fraction(pt[str(v.sym)]) for v in variables}


def _difference(lhs, rhs, point):
    """(agree?, value) for lhs - rhs at ``point``: strict evalf of both sides, or, when
    SymPy cannot certify the accuracy (exact zeros, extreme cancellation), the
    residual at 60 and 150 digits, trusted only when the two agree."""
    try:
        L, R = _evalf(lhs, point), _evalf(rhs, point)
        return abs(L - R) <= sp.Float(10) ** -40 * max(1, abs(L), abs(R)), L - R
    except _Skip:
        pass
    subs = {k: sp.Rational(Fraction(v).numerator, Fraction(v).denominator) for k, v in point.items()}
    d1 = sp.sympify(lhs - rhs).evalf(60, subs=subs)
    d2 = sp.sympify(lhs - rhs).evalf(150, subs=subs)
    if not (d1.is_real and d2.is_real) or abs(d1 - d2) > sp.Float(10) ** -30 * max(1, abs(d2)):
        raise _Skip()
    return abs(d2) <= sp.Float(10) ** -40, d2


def recheck(res: Result, samples: int = 3, seed: int = 0, verdicts=None) -> list[str]:
    """Re-check every leaf of ``res`` (or those with a verdict in ``verdicts``) by an
    independent route; raise :class:`RecheckError` on any disagreement."""
    done = []
    rng = random.Random(seed)
    for leaf in _leaves(res, verdicts):
        spec = leaf.spec
        if spec.kind == "identity":
            done.append(_identity(leaf, spec.args, rng, samples))
        elif spec.kind == "inequality":
            done.append(_inequality(leaf, spec.args, rng, samples))
        elif spec.kind == "engine":
            done.append(_engine(leaf, spec.args))
    return done


def _identity(leaf, a, rng, samples):
    lhs, rhs, V = a["lhs"], a["rhs"], a["variables"]
    if leaf.verdict == PROVED:
        if sp.count_ops(lhs) + sp.count_ops(rhs) > 3000:
            return f"identity {a['name']}: too large for evalf re-check (numeric check in the audit)"

        def evaluate(pt):
            agree, d = _difference(lhs, rhs, pt)
            return None if (not d.is_real or d.has(sp.zoo, sp.nan)) else (agree, f"lhs - rhs = {d}")

        return _agree_at_fresh_points(f"identity {a['name']}", V, rng, samples, evaluate)
    if leaf.verdict == REFUTED:
        pt = _parse_point(V, leaf.evidence["counterexample"])
        agree, d = _difference(lhs, rhs, pt)
        if agree:
            raise RecheckError(f"identity {a['name']}: counterexample does not separate the sides (lhs - rhs = {d})")
        return f"identity {a['name']}: counterexample re-checked by evalf (lhs - rhs = {sp.N(d, 8)})"
    return f"identity {a['name']}: {leaf.verdict} (nothing to re-check)"


_REL = {">": lambda x: x > 0, ">=": lambda x: x >= 0, "<": lambda x: x < 0, "<=": lambda x: x <= 0}


def _inequality(leaf, a, rng, samples):
    expr, rel, V = a["expr"], a["rel"], a["variables"]
    if leaf.verdict in (PROVED, CERTIFIED):
        def evaluate(pt):
            val = _evalf(expr, pt)
            return None if not val.is_real else (_REL[rel](val) or abs(val) <= sp.Float(10) ** -40, val)

        # certified on the stated box: sample inside it
        return _agree_at_fresh_points(f"inequality {a['name']}", V, rng, samples, evaluate,
                                      clamp=leaf.verdict == CERTIFIED)
    if leaf.verdict == REFUTED:
        pt = _parse_point(V, leaf.evidence["counterexample"])
        val = _evalf(expr, pt)
        if _REL[rel](val):
            raise RecheckError(f"inequality {a['name']}: counterexample satisfies the relation: {val}")
        return f"inequality {a['name']}: counterexample re-checked by evalf ({sp.N(val, 8)})"
    return f"inequality {a['name']}: {leaf.verdict} (nothing to re-check)"


def _agree_at_fresh_points(what, V, rng, samples, evaluate, clamp=False) -> str:
    """Evaluate ``evaluate(point)`` (``None`` to skip, else ``(holds, value)``) at fresh
    points of the domains until ``samples`` points evaluate; raise :class:`RecheckError`
    at a point where it does not hold, or when no point evaluates."""
    ok = 0
    for _ in range(samples * 4):
        pt = {v.sym: v.sample(rng) for v in V}
        if clamp:
            pt = {v.sym: _clamp(x, v) for v, x in zip(V, pt.values())}
        try:
            res = evaluate(pt)
        except (_Skip, ZeroDivisionError, ValueError, TypeError):
            continue
        if res is None:
            continue
        if not res[0]:
            raise RecheckError(f"{what}: evalf disagrees at {pt}: {res[1]}")
        ok += 1
        if ok >= samples:
            break
    if ok == 0:
        raise RecheckError(f"{what}: no point could be evaluated")
    return f"{what}: evalf agrees at {ok} fresh points"


def _clamp(x, v):
    lo, hi = v.box()
    return min(max(Fraction(x), lo), hi)


def _engine(leaf, a):
    """Brute-force p-space iteration in plain mpmath (60 digits, 3000 steps)."""
    kw = a["params"]
    rep = a["report"]
    norm = kw.get("norm", "std")
    with mp.workdps(60):
        beta, al, eps = (mp.mpf(Fraction(kw.get(k, d)).numerator) / Fraction(kw.get(k, d)).denominator
                         for k, d in (("beta", "1"), ("alpha", "1"), ("eps", "1e-5")))
        pr = mp.mpf(Fraction(kw.get("p_ref", "0.2")).numerator) / Fraction(kw.get("p_ref", "0.2")).denominator
        Lr = mp.log(pr) - mp.log(1 - pr)

        clip = kw.get("clip")

        def step(L):
            if clip is not None:  # the clipped closed form as derived (sorted thresholds)
                from ..symbolic.clipped import clipped_step_logit

                return clipped_step_logit(L, Lr, beta, al, norm, eps, Fraction(clip), Fraction(clip))
            p, q = 1 / (1 + mp.exp(-L)), 1 / (1 + mp.exp(L))
            om = mp.mpf(1) if norm == "mean" else 1 / mp.sqrt(p * q + eps)
            return al * Lr + (1 - al) * L + om / beta

        start = kw.get("p0") or kw.get("p_ref", "0.2")
        p0 = mp.mpf(Fraction(start).numerator) / Fraction(start).denominator
        L = mp.log(p0) - mp.log(1 - p0)
        traj = [L]
        for _ in range(3000):
            L = step(L)
            traj.append(L)
            if abs(L) > mp.mpf(10) ** 8:
                break
        o = rep.orbit
        if o.kind not in ("converges", "cycle", "to_one") and leaf.verdict == REFUTED:
            raise RecheckError(f"engine: a refutation rests on an orbit that is {o.kind}")
        if o.kind == "converges":
            if abs(traj[-1] - o.points[0]) > mp.mpf(10) ** -20 * (1 + abs(o.points[0])):
                raise RecheckError(f"engine: brute force ends at {traj[-1]}, certified limit {o.points[0]}")
        elif o.kind == "cycle":
            tail = sorted(traj[-o.period:])
            if any(abs(a_ - b_) > mp.mpf(10) ** -15 * (1 + abs(b_)) for a_, b_ in zip(tail, o.points)):
                raise RecheckError(f"engine: brute-force tail {tail} differs from the certified cycle")
        elif o.kind == "to_one":
            if not all(b_ > a_ for a_, b_ in zip(traj, traj[1:])):
                raise RecheckError("engine: brute-force orbit not increasing although certified to_one")
        elif o.kind == "bounded":
            lo, hi = (mp.mpf(x) for x in o.evidence["trapping_interval"])
            if not all(lo - mp.mpf(10) ** -12 <= x <= hi + mp.mpf(10) ** -12 for x in traj[o.steps_used:]):
                raise RecheckError("engine: brute-force orbit leaves the certified trapping interval")
        for f in rep.fixed:  # fixed points satisfy the p-space fixed-point equation
            if abs(step(f.logit) - f.logit) > mp.mpf(10) ** -25 * (1 + abs(f.logit)):
                raise RecheckError(f"engine: {f.logit} is not a fixed point of the brute-force map")
    return f"engine: brute-force iteration agrees ({o.kind}), {len(rep.fixed)} fixed points re-checked"
