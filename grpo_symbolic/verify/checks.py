"""Generic checkers that turn a precise mathematical statement into a verdict.

Soundness first: ``proved`` comes only from a SymPy reduction of the statement
itself to 0 (or to True); ``certified`` only from Arb enclosures over the domain
(or a sub-domain the certificate names); ``refuted`` only from a point where an
Arb enclosure of the violation excludes the claimed relation.  Numeric spot
checks inform and never decide: a disagreement that Arb cannot confirm is
re-evaluated at rising precision and, if still open, leaves the check
``undecided``.  Anything else is ``undecided``.

Every call records its specification in :data:`RECORDER` (when a recorder is
active) so that tests can re-run the same check on deliberately false mutants.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
import sympy as sp
from flint import arb

from ..exact.arbutil import arb_prec, to_arb
from .arbeval import NotEvaluable, arb_eval, mp_func
from .domains import Var
from .verdict import PROVED, Result, certified, proved, refuted, undecided
from .verdict import not_checkable as _not_checkable


class InconsistentCheck(AssertionError):
    """Symbolic and numeric routes disagree: a bug, never a verdict."""


# --------------------------------------------------------------- recording
@dataclass
class Spec:
    kind: str  # "identity" | "inequality"
    args: dict
    result: Result | None = None


class Recorder:
    def __init__(self):
        self.specs: list[Spec] = []


RECORDER: list[Recorder] = []


def _record(kind, args, result):
    if RECORDER:
        RECORDER[-1].specs.append(Spec(kind, args, result))


# ----------------------------------------------------------------- helpers
def _require_domains(exprs, variables, name):
    """Every free symbol must have a declared domain: a check that samples nothing
    for some symbol would silently check nothing."""
    have = {v.sym for v in variables}
    for e in exprs:
        missing = sp.sympify(e).free_symbols - have
        if missing:
            raise ValueError(f"{name}: no domain declared for {sorted(map(str, missing))}")


def _dedupe(variables):
    seen, out = set(), []
    for v in variables:
        if v.sym not in seen:
            seen.add(v.sym)
            out.append(v)
    return out


def exact_point(point: dict) -> dict:
    """The point as exact 'num/den' strings (what re-checks use)."""
    return {str(k): f"{Fraction(v).numerator}/{Fraction(v).denominator}" for k, v in point.items()}


def fmt_point(point: dict) -> dict:
    out = {}
    for k, v in point.items():
        v = Fraction(v)
        if v.denominator == 1:
            out[str(k)] = str(v.numerator)
        else:
            with mp.workdps(30):
                out[str(k)] = f"{v.numerator}/{v.denominator}" if len(str(v.denominator)) < 12 else \
                    mp.nstr(mp.mpf(v.numerator) / v.denominator, 25)
    return out


def _seed(*parts) -> int:
    return int(hashlib.sha256(repr(parts).encode()).hexdigest()[:12], 16)


BIG = 400  # expressions with more operations than this are summarised in the evidence


def _str(e) -> str:
    n = sp.count_ops(e)
    return str(e) if n <= BIG else f"<expression with {n} operations>"


def ball_str(b: arb, digits: int = 20) -> str:
    return b.str(digits, radius=True)


def _exp_injective(e):
    """For a real residual e: e = 0 iff exp(e) = 1; returns simplify(exp(e)) - 1."""
    return sp.simplify(sp.powsimp(sp.exp(sp.expand_log(e, force=True)), force=True)) - 1


DEFAULT_STRATEGIES = (
    ("together + cancel", lambda e: sp.cancel(sp.together(e))),
    ("expand_log + powsimp + simplify", lambda e: sp.simplify(sp.powsimp(sp.expand_log(e), force=True))),
    ("simplify", sp.simplify),
    ("exp is injective on the reals: simplify(exp(residual)) - 1", _exp_injective),
)


def _reduce(residual, strategies):
    steps = []
    cur = residual
    for name, fn in strategies:
        try:
            nxt = fn(cur)
        except Exception as exc:  # a strategy that fails is skipped, never trusted
            steps.append({"method": name, "error": type(exc).__name__})
            continue
        steps.append({"method": name, "result": _str(nxt)})
        cur = nxt
        if cur == 0:
            return True, steps
    return False, steps


# --------------------------------------------------------------- identity
def _cex_certificate(cex: dict) -> dict:
    """The certificate of an Arb-confirmed counterexample (``point`` is exact)."""
    return {"point": cex["point_exact"], "certified_by": cex["certified_by"]}


def identity(lhs, rhs, variables: list[Var], *, name: str = "identity", strategies=DEFAULT_STRATEGIES,
             samples: int = 40, given: dict | None = None) -> Result:
    """Check ``lhs == rhs`` for every point of the variables' domains.

    ``proved`` iff a SymPy strategy reduces ``lhs - rhs`` to 0 and no numeric
    disagreement stays open; ``refuted`` iff Arb excludes 0 from ``lhs - rhs`` at a
    domain point; otherwise ``undecided``.  ``given`` maps extra symbols to exact
    values (a specialisation, reported)."""
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    variables = _dedupe(variables)
    if given:
        lhs, rhs = lhs.subs(given), rhs.subs(given)
    _require_domains([lhs, rhs], variables, name)
    residual = lhs - rhs
    same = _structurally_equal(lhs, rhs)
    spot = SpotCheck() if same else _numeric_identity(lhs, rhs, variables, samples, name)
    if same:  # SymPy's canonical form (exponents expanded) already makes the sides identical
        ok, steps = True, [{"method": STRUCTURAL, "result": "0"}]
    elif spot.cex is None:
        ok, steps = _reduce(residual, strategies)
    else:  # an Arb-certified counterexample: no proof attempt needed
        ok, steps = False, [{"method": "skipped: counterexample found first"}]
    ev = {"kind": "identity", "lhs": _str(lhs), "rhs": _str(rhs),
          "domain": [v.describe() for v in variables], "symbolic_steps": steps, "numeric_check": spot.to_json()}
    if given:
        ev["specialised"] = {str(k): str(v) for k, v in given.items()}
    if ok and spot.cex is not None:
        raise InconsistentCheck(f"{name}: SymPy reduced the residual to 0 but {spot.cex} is a counterexample")
    if ok and not spot.open:
        res = proved(f"SymPy reduces lhs - rhs to 0 ({steps[-1]['method']})", {
            "method": steps[-1]["method"], "statement": "lhs - rhs == 0", "residual": "0",
            "domain": ev["domain"], **({"specialised": ev["specialised"]} if given else {})}, ev)
    elif spot.cex is not None:
        ev["counterexample"] = spot.cex
        res = refuted(f"fails at {spot.cex['point']}: lhs - rhs = {spot.cex['residual_ball']}",
                      _cex_certificate(spot.cex), ev)
    elif spot.open:
        res = undecided(f"{len(spot.open)} point(s) where lhs and rhs differ numerically but Arb cannot decide "
                        f"(up to {SPOT_DPS[-1]} digits)" + ("; SymPy reduces lhs - rhs to 0" if ok else ""), ev)
    else:
        res = undecided(f"no symbolic proof; {spot.agree} numeric points agree", ev)
    res.spec = Spec("identity", dict(lhs=lhs, rhs=rhs, variables=variables, name=name, strategies=strategies))
    _record("identity", res.spec.args, res)
    return res


STRUCTURAL = "structural: lhs - rhs is 0 in SymPy's canonical form, with every exponent expanded"


def _structurally_equal(lhs, rhs) -> bool:
    """lhs - rhs is 0 once SymPy has built both sides with expanded exponents (a cheap,
    exact reduction tried before any numeric or simplification work)."""
    if lhs - rhs == 0:
        return True
    canon = lambda e: e.replace(sp.exp, lambda arg: sp.exp(sp.expand(arg)))  # noqa: E731
    return canon(lhs) - canon(rhs) == 0


#: working precisions (decimal digits) of the numeric spot checks, tried in turn
SPOT_DPS = (40, 80, 160, 320)


@dataclass
class SpotCheck:
    """Numeric spot checks of an identity: they inform, never decide."""

    agree: int = 0  # points where lhs and rhs agree to the working precision
    worst: float = 0.0  # the worst relative residual among the agreeing points
    open: list = field(default_factory=list)  # points that differ but Arb cannot separate
    cex: dict | None = None  # an Arb-certified counterexample

    def to_json(self) -> dict:
        d = {"points": self.agree, "max_relative_residual": self.worst}
        if self.open:
            d["open_points"] = self.open[:5]
        return d


def _relative_residual(f_l, f_r, point, dps):
    """|lhs - rhs| / max(|lhs|, |rhs|, 1) at ``dps`` digits, or None (not real/finite there)."""
    with mp.workdps(dps):
        args = [mp.mpf(x.numerator) / x.denominator for x in point.values()]
        a, b = f_l(*args), f_r(*args)
        if not (mp.isfinite(a) and mp.isfinite(b)) or mp.im(a) or mp.im(b):
            return None
        a, b = mp.re(a), mp.re(b)
        return abs(a - b) / max(abs(a), abs(b), mp.mpf(1))


def _spot_point(spot, f_l, f_r, lhs, rhs, point, variables):
    """Classify one point: agree (at some precision), counterexample, or open."""
    for dps in SPOT_DPS:
        try:
            rel = _relative_residual(f_l, f_r, point, dps)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return
        if rel is None:
            return
        if rel <= mp.mpf(10) ** (-(dps * 5) // 8):
            spot.agree += 1
            spot.worst = max(spot.worst, float(rel))
            return
        if dps == SPOT_DPS[0]:
            spot.cex = _confirm_difference(lhs, rhs, point, variables)
            if spot.cex is not None:
                return
    spot.open.append(fmt_point(point))


def _numeric_identity(lhs, rhs, variables, samples, name) -> SpotCheck:
    syms = [v.sym for v in variables]
    f_l, f_r = mp_func(lhs, syms), mp_func(rhs, syms)
    if sp.count_ops(lhs) + sp.count_ops(rhs) > 4 * BIG:
        samples = min(samples, 16)
    rng = random.Random(_seed("id", name, sp.srepr(lhs)[:2000], sp.srepr(rhs)[:2000]))
    spot = SpotCheck()
    for _ in range(samples):
        _spot_point(spot, f_l, f_r, lhs, rhs, {v.sym: v.sample(rng) for v in variables}, variables)
        if spot.cex is not None:
            break
    return spot


def _confirm_difference(lhs, rhs, point, variables=None):
    """Arb certificate that lhs != rhs at ``point`` (a point of the domain), or None."""
    if variables is not None and not _in_domain(point, variables):
        return None
    for bits in (256, 1024):
        try:
            d = arb_eval(lhs - rhs, point, bits)
            L = arb_eval(lhs, point, bits)
            R = arb_eval(rhs, point, bits)
        except (NotEvaluable, ZeroDivisionError, ValueError):
            return None
        if d > 0 or d < 0:
            return {"point": fmt_point(point), "point_exact": exact_point(point), "lhs": ball_str(L), "rhs": ball_str(R),
                    "residual_ball": ball_str(d, 10), "certified_by": f"Arb at {bits} bits: the ball excludes 0"}
    return None


# -------------------------------------------------------------- inequality
_REL = {">": lambda b: b > 0, ">=": lambda b: b >= 0, "<": lambda b: b < 0, "<=": lambda b: b <= 0}
_NEG = {">": lambda b: b <= 0, ">=": lambda b: b < 0, "<": lambda b: b >= 0, "<=": lambda b: b > 0}


def inequality(expr, rel: str, variables: list[Var], *, name: str = "inequality", symbolic=None,
               max_boxes: int = 6000, samples: int = 60, bits: int = 96) -> Result:
    """Check ``expr rel 0`` on the product of the variables' domains.

    ``symbolic`` may be a callable returning ``(ok, steps)``: a SymPy argument valid
    on the whole domain.  Otherwise the statement is certified by Arb branch and
    bound on the variables' certification box (reported, with the fraction of the
    box covered), or refuted at a point where Arb excludes the relation."""
    expr = sp.sympify(expr)
    variables = _dedupe(variables)
    _require_domains([expr], variables, name)
    ev = {"kind": "inequality", "expr": _str(expr), "relation": f"{rel} 0",
          "domain": [v.describe() for v in variables]}
    cex = _search_violation(expr, rel, variables, samples, name)
    if symbolic is None and cex is None:
        symbolic = lambda: sign_by_substitution(expr, rel, variables)  # noqa: E731
    res = None
    if symbolic is not None:
        ok, steps = symbolic()
        ev["symbolic_steps"] = steps
        if ok and cex is not None:
            raise InconsistentCheck(f"{name}: symbolic proof but counterexample {cex}")
        if ok:
            res = proved("SymPy proves the sign on the whole domain", {
                "method": "sign of the statement's expression by SymPy's assumptions",
                "statement": f"expr {rel} 0", "domain": ev["domain"]}, ev)
    if res is None and cex is None:
        res, cex = _interval_verdict(expr, rel, variables, max_boxes, bits, ev)
    if res is None:
        ev["counterexample"] = cex
        res = refuted(f"violated at {cex['point']}: value {cex['value']}", _cex_certificate(cex), ev)
    res.spec = Spec("inequality", dict(expr=expr, rel=rel, variables=variables, name=name))
    _record("inequality", res.spec.args, res)
    return res


def _box_text(variables) -> str:
    return ", ".join(f"{v.sym} in [{_short(v.box()[0])}, {_short(v.box()[1])}]" for v in variables)


def _short(x: Fraction) -> str:
    """An exact end point, written compactly (2^-40 rather than its 13-digit decimal)."""
    for base in (2, 10):
        for k in range(1, 61):
            if x == Fraction(1, base ** k):
                return f"{base}^-{k}"
            if x == 1 - Fraction(1, base ** k):
                return f"1 - {base}^-{k}"
            if x == base ** k and k > 3:
                return f"{base}^{k}"
    return str(x)


def _interval_verdict(expr, rel, variables, max_boxes, bits, ev):
    """Arb branch and bound over the certification box: (result or None, counterexample)."""
    covered, total, boxes, cex = _branch_and_bound(expr, rel, variables, max_boxes, bits)
    whole = all(v.box_is_whole_domain() for v in variables)
    ev["interval"] = {"boxes": boxes, "covered_fraction": float(covered / total) if total else 0.0,
                      "box": {str(v.sym): [str(v.box()[0]), str(v.box()[1])] for v in variables},
                      "box_is_whole_domain": whole}
    if cex is not None:
        return None, cex
    if covered == total:
        scope = "whole domain" if whole else "sub-domain"
        where = "the whole domain" if whole else f"the sub-domain {_box_text(variables)} (not the whole domain)"
        return certified(f"Arb branch and bound covers {where} ({boxes} boxes)", {
            "scope": scope, "box": ev["interval"]["box"], "boxes": boxes, "statement": f"expr {rel} 0"}, ev), None
    pct = min(float(100 * covered / total), 99.9999)
    return undecided(f"interval budget exhausted after {boxes} boxes: {pct:.4f}% of {_box_text(variables)} "
                     "certified", ev), None


def _positive_parametrisation(v: Var):
    """A substitution mapping a positive symbol onto the open domain of ``v``."""
    w = sp.Symbol(f"_w_{v.sym}", positive=True)
    if v.lo is not None and v.hi is not None:
        return w, v.lo + (v.hi - v.lo) * w / (1 + w)
    if v.lo is not None:
        return w, v.lo + w
    if v.hi is not None:
        return w, v.hi - w
    return None, None


def sign_by_substitution(expr, rel, variables):
    """SymPy sign argument: every bounded variable is written as a bijective image of a
    positive parameter (``lo + (hi-lo) w/(1+w)``, ``lo + w``), so that the assumption
    system sees the signs of ``q - lo`` and ``hi - q``; closed end points are checked
    by substituting them.  Returns ``(ok, steps)``."""
    want = "is_positive" if rel == ">" else "is_negative" if rel == "<" else \
        "is_nonnegative" if rel == ">=" else "is_nonpositive"
    subs, steps = {}, []
    for v in variables:
        w, image = _positive_parametrisation(v)
        if w is not None:
            subs[v.sym] = image
    e = sp.simplify(expr.subs(subs)) if subs else sp.simplify(expr)
    ok = bool(getattr(e, want))
    steps.append({"method": "substitute " + ", ".join(f"{k} = {val}" for k, val in subs.items()),
                  "result": str(e), "sympy": f"{want} = {ok}"})
    if not ok:
        return False, steps
    for v in variables:  # closed ends
        for end, is_open in ((v.lo, v.lo_open), (v.hi, v.hi_open)):
            if end is None or is_open:
                continue
            rest = [w for w in variables if w is not v]
            ok_end, st = sign_by_substitution(expr.subs(v.sym, end), rel, rest)
            steps.append({"method": f"closed end {v.sym} = {end}", "steps": st})
            if not ok_end:
                return False, steps
    return True, steps


def _search_violation(expr, rel, variables, samples, name):
    syms = [v.sym for v in variables]
    f = mp_func(expr, syms)
    rng = random.Random(_seed("ineq", name, str(expr), rel))
    corners = []
    for v in variables:
        lo, hi = v.box()
        corners.append([lo, hi, (lo + hi) / 2])
    pts = [dict(zip(syms, c)) for c in itertools.islice(itertools.product(*corners), 64)]
    pts += [{v.sym: v.sample(rng) for v in variables} for _ in range(samples)]
    for point in pts:
        try:
            with mp.workdps(30):
                val = f(*[mp.mpf(Fraction(x).numerator) / Fraction(x).denominator for x in point.values()])
            if mp.im(val) or not mp.isfinite(val):
                continue
            val = mp.re(val)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            continue
        if not {"<": val < 0, "<=": val <= 0, ">": val > 0, ">=": val >= 0}[rel]:
            c = _confirm_violation(expr, rel, point, variables)
            if c is not None:
                return c
    return None


def _in_domain(point: dict, variables) -> bool:
    return all(v.contains(point[v.sym]) for v in variables)


def _confirm_violation(expr, rel, point, variables=None):
    """Arb certificate that ``expr rel 0`` fails at ``point`` (a point of the domain)."""
    if variables is not None and not _in_domain(point, variables):
        return None
    for bits in (128, 512):
        try:
            b = arb_eval(expr, point, bits)
        except (NotEvaluable, ZeroDivisionError, ValueError):
            return None
        if _NEG[rel](b):
            return {"point": fmt_point(point), "point_exact": exact_point(point), "value": ball_str(b),
                    "certified_by": f"Arb at {bits} bits: the value's ball violates '{rel} 0'"}
    return None


def _branch_and_bound(expr, rel, variables, max_boxes, bits):
    box0 = [v.box() for v in variables]
    syms = [v.sym for v in variables]

    def vol(b):
        out = Fraction(1)
        for lo, hi in b:
            out *= (hi - lo) if hi > lo else 1
        return out

    total = vol(box0)
    covered = Fraction(0)
    stack = [box0]
    boxes = 0
    while stack and boxes < max_boxes:
        b = stack.pop()
        boxes += 1
        with arb_prec(bits):
            env = {s: to_arb(lo).union(to_arb(hi)) for s, (lo, hi) in zip(syms, b)}
            try:
                val = arb_eval(expr, env, bits)
            except (NotEvaluable, ZeroDivisionError, ValueError):
                val = None
        if val is not None and _REL[rel](val):
            covered += vol(b)
            continue
        mid = {s: (lo + hi) / 2 for s, (lo, hi) in zip(syms, b)}
        c = _confirm_violation(expr, rel, mid, variables)
        if c is not None:
            return covered, total, boxes, c
        # bisect the widest side (relative to the initial box)
        j = max(range(len(b)), key=lambda i: (b[i][1] - b[i][0]) / max(box0[i][1] - box0[i][0], Fraction(1, 10**30)))
        lo, hi = b[j]
        m = (lo + hi) / 2
        left, right = list(b), list(b)
        left[j], right[j] = (lo, m), (m, hi)
        stack.extend([right, left])
    return covered, total, boxes, None


# -------------------------------------------------------------- others
not_checkable = _not_checkable


def chain(steps: list[tuple[str, object, object]], variables: list[Var], name: str = "chain") -> Result:
    """A proof made of identities ``(description, lhs, rhs)`` that are each reduced to 0
    by SymPy: the links are the conjuncts of the statement, or steps whose last link
    is the statement itself.  Proved iff every link is; refuted if a link is (the
    first failing link is named); otherwise undecided."""
    parts = []
    for desc, lhs, rhs in steps:
        r = identity(lhs, rhs, variables, name=f"{name}: {desc}")
        parts.append({"step": desc, "verdict": r.verdict, **{k: r.evidence[k] for k in ("lhs", "rhs")}})
        if r.verdict == PROVED:
            continue
        ev = {"kind": "chain", "links": parts}
        if "counterexample" in r.evidence:
            ev["counterexample"] = r.evidence["counterexample"]
            return refuted(f"link '{desc}': {r.summary}", r.certificate, ev)
        return undecided(f"link '{desc}': {r.summary}", ev)
    return proved(f"all {len(parts)} links reduce to 0 with SymPy",
                  {"method": "chain of SymPy reductions", "links": [p["step"] for p in parts],
                   "statement": parts[-1]["step"]}, {"kind": "chain", "links": parts})


def derivation(d, generality: str, statement_step: str = "statement", spot: int = 0) -> Result:
    """A :class:`~grpo_symbolic.symbolic.derivation.Derivation` as a verdict: ``proved``
    iff every step checks and the last step is ``statement_step`` (the statement
    itself) or, with ``statement_step=None``, the steps are the conjuncts of the
    statement (as in :func:`chain`); otherwise ``undecided`` (a failed simplification
    is never a refutation).

    The last step is also evaluated numerically (``spot`` points): a disagreement while
    SymPy reduced it to 0 is a bug (:class:`InconsistentCheck`), agreement informs only."""
    chk = d.check()
    last = d.steps[-1]
    steps = [{"step": name, "ok": r.ok, "method": d.step(name).method} for name, r in chk.results]
    ev = {"kind": "derivation", "derivation": d.name, "hypotheses": list(d.hypotheses), "steps": steps,
          "statement": last.equation_str(), "generality": generality}
    if not (chk.ok and statement_step in (None, last.name)):
        why = f"steps {chk.failed} do not check" if not chk.ok else f"the last step is not {statement_step!r}"
        return undecided(f"{d.title}: {why}", ev)
    sc = last.spot_check(n=spot, dps=40) if spot else None
    if sc is not None and not sc.ok:
        raise InconsistentCheck(f"{d.name}: the statement reduces to 0 but disagrees numerically")
    ev["numeric_check"] = {"points": getattr(sc, "n", 0), "ok": True} if sc is not None else None
    role = "the last step is the statement" if statement_step else "the steps are the statement's conjuncts"
    return proved(f"SymPy checks every step of '{d.title}'; {role} ({generality})", {
        "method": "derivation: every step reduced by SymPy", "derivation": d.name, "steps": [s["step"] for s in steps],
        "statement": last.equation_str() if statement_step else "every step", "generality": generality}, ev)
