r"""Verdicts for reviewer claims.

A claim is a predicate over a parameter domain.  The checker decides it as follows
(soundness first: a false claim can never come out ``certified``).

**Finite domain** (every parameter the predicate depends on takes finitely many
values): the predicate is evaluated at every point with Arb balls and the certified
engine, at increasing precision (128, 420 then 1100 bits; engine digits 30, 100,
300) until its truth value is certain.  ``certified`` if it is certainly true at
every point, ``refuted`` if it is certainly false at one (the first is reported),
``undecided`` otherwise (the undecided points are listed).

**Continuous domain** (some parameter ranges over an interval):

1. *Search.*  A deterministic list of points (the ends or points next to open ends,
   the middle, their combinations, then pseudo-random points from a seed derived
   from the claim) is evaluated as above; a point where the predicate is certainly
   false refutes the claim.
2. *Cover* (only for predicates that do not involve fixed points or orbits, i.e.
   built from the parameters, ``p``, ``h``, ``dh``, ``g``, ``dg``, iterates and
   elementary functions).  Branch and bound over the box of the continuous
   parameters: the predicate is evaluated with the parameters as intervals; a box
   where it is certainly true is covered; otherwise its midpoint is tried as a
   counterexample and the box is split.  ``certified`` only when the covered
   boxes fill the whole box (the closure of the domain, which contains it).
3. Otherwise ``undecided``, with the fraction of the domain covered (always 0 for
   predicates over fixed points or orbits: a grid search proves nothing about
   the continuum) and the number of points checked.

**Clipping** (the domain gives ``clip_low``, and optionally ``clip_high``, which defaults to
``clip_low``): each point's engine is ``compute_dynamics`` with ``Params(clip=clip_low,
clip_high=clip_high)`` (the clipped map), and ``h dh g dg p_n L_n`` use the kernel's
clipped map at the exact parameters.  Ranges of ``clip_low`` / ``clip_high`` are
continuous dimensions like any other: orbit and fixed-point claims go through the search
(coverage 0), and the claims file refuses map claims that would need the clipped map on an
interval of a parameter.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import islice, product

from ..verify.verdict import Result, certified, internal_error, refuted, undecided
from ..params import Params, _fmt
from . import presimplify
from .claimfile import Claim, Range
from .engine import PointEngine, engine_command
from .evaluate import Env, evaluate
from .values import Iv

#: work limit of the search and of branch and bound (evaluations x estimated steps)
CLAIM_WORK = 40_000_000
#: points of one claim retried at higher precision (later ones stay at the first level)
MAX_ESCALATIONS = 100
#: (Arb bits, extra engine digits) of the successive attempts at one point
LEVELS = ((128, 0), (420, 70), (1100, 270))
P_LIKE = ("p_ref", "p0", "p")
ORDER = ("p_ref", "beta", "alpha", "eps", "p0", "p", "clip_low", "clip_high", "group_size", "convention")
_ENGINES: dict = {}
#: uncovered boxes listed in the evidence of an undecided claim, and searched for a counterexample
UNCOVERED_SHOWN = 8
#: undecided tails that no precision changes (:meth:`_Eval._tail_reason`): no escalation
STRUCTURAL = ("p_n -> 1",)
#: symbolic rewritings per claim (one per norm and combination of finite parameter values)
MAX_FORMS = 32
SEEK_BOXES = 4
_ENGINE_CACHE = 256


@dataclass
class ClaimResult:
    claim: Claim
    result: Result

    @property
    def verdict(self) -> str:
        return self.result.verdict

    @property
    def id(self) -> str:
        return self.claim.id

    def to_json(self) -> dict:
        return {"id": self.claim.id, "source": self.claim.source, **self.result.to_json()}


def _engine(params: Params, digits: int, steps: int) -> PointEngine:
    key = (params.norm, params.beta, params.alpha, params.eps, params.p_ref, params.p0, params.clip,
           params.clip_high, params.group_size, params.convention, digits, steps)
    e = _ENGINES.get(key)
    if e is None:
        if len(_ENGINES) >= _ENGINE_CACHE:
            _ENGINES.clear()
        e = _ENGINES[key] = PointEngine(params, digits=digits, steps=steps)
    return e


def _frac_str(x: Fraction) -> str:
    return _fmt(x)


class Checker:
    def __init__(self, claim: Claim):
        self.claim = claim
        self.pred = claim.predicate
        self.dom = claim.domain
        self.assume = claim.assume
        deps = self.pred.depends_on() | (self.assume.depends_on() if self.assume is not None else set())
        deps = self.dom.expand(deps)  # a linked parameter depends on the parameters it is computed from
        if "eps" in deps and "eps" not in self.pred.names and "std" not in self.dom.norms:
            deps.discard("eps")  # the smoothing constant does not enter the mean-only map
        self.norms = self.dom.norms if "norm" in deps else self.dom.norms[:1]
        self.relevant = [k for k in ORDER if k in deps and k in self.dom.dims]
        self.ignored = [k for k in ORDER if k in self.dom.dims and k not in self.relevant]
        if self.dom.p0_is_p_ref and "p0" in deps:
            self.ignored = [k for k in self.ignored if k != "p0"]
        self.cont = [k for k in self.relevant if isinstance(self.dom.dims[k], Range)]
        self.finite_dims = [k for k in self.relevant if k not in self.cont]
        self.rep = {k: _representative(self.dom.dims[k]) for k in self.ignored}
        self.budgets = claim.budgets
        self.escalations = 0
        self._forms_cache: dict = {}
        self.seed = int(hashlib.sha256(f"{claim.id}\n{self.pred.canonical}".encode()).hexdigest()[:16], 16)

    # ---------------------------------------------------------------- points
    def values(self, assignment: dict) -> dict:
        """Full parameter values (Fraction or Iv) from the relevant ones."""
        v = dict(self.rep)
        v.update(assignment)
        if self.dom.p0_is_p_ref:
            v["p0"] = v["p_ref"]
        if self.dom.clip_high_is_low:
            v["clip_high"] = v["clip_low"]
        if self.dom.linked:
            v = self.dom.fill(v)
            if self.dom.p0_is_p_ref:
                v["p0"] = v["p_ref"]
            if self.dom.clip_high_is_low and "clip_low" in v:
                v["clip_high"] = v["clip_low"]
        return v

    def truth(self, env) -> bool | None:
        """The claim at ``env``: ``inside -> predicate`` (Kleene), where ``inside`` says that the
        linked parameters lie in their ranges and the assumption holds; outside the domain the
        claim holds vacuously."""
        inside = self.inside(env)
        if inside is False:
            return True
        t = evaluate(self.pred, env)
        if inside is True or t is True:
            return t
        return None if t is None or inside is None else t

    def inside(self, env):
        inside = self.dom.linked_ok(env.values) if self.dom.linked else True
        if inside is not False and self.assume is not None:
            a = evaluate(self.assume, env)
            inside = False if a is False else (None if (a is None or inside is None) else True)
        return inside

    def params(self, norm: str, v: dict) -> Params:
        p0 = None if self.dom.p0_is_p_ref else v["p0"]
        clip = v.get("clip_low") if self.dom.clipped else None
        clip_high = v.get("clip_high") if self.dom.clipped else None
        G = v.get("group_size")
        return Params(norm=norm, beta=v["beta"], alpha=v["alpha"], eps=v["eps"], p_ref=v["p_ref"], p0=p0,
                      clip=clip, clip_high=clip_high, group_size=None if G is None else int(G),
                      convention=v.get("convention") if G is not None else None)

    def eval_point(self, norm: str, assignment: dict, trace: bool = False):
        """Truth value at one exact point, with escalating precision.
        Returns ``(truth, info)``."""
        v = self.values(assignment)
        info = {}
        if self.dom.linked and self.dom.linked_ok(v) is False:
            return True, {"outside": "a linked parameter is outside its range"}
        params = self.params(norm, v)
        truth = None
        levels = LEVELS
        if self.escalations >= MAX_ESCALATIONS and not trace:
            levels = LEVELS[:1]  # enough points were retried at high precision
        for i, (bits, extra) in enumerate(levels):
            if i == 1:
                self.escalations += 1
            digits = self.budgets["digits"] + extra
            eng = _engine(params, digits, self.budgets["steps"]) if self.pred.uses_engine else None
            env = Env(norm, v, bits, eng)
            truth = self.truth(env)
            info = {"bits": bits}
            if env.reason:
                info["reason"] = env.reason
                if truth is None and env.reason.startswith(STRUCTURAL):
                    break  # more precision cannot give a trap to an orbit that has none
            if eng is not None:
                info["digits"] = digits
                if eng.errors:
                    info["engine_errors"] = list(eng.errors)
            if truth is None and eng is None and i == len(levels) - 1:
                truth = self._rewritten_point(norm, assignment, v, bits)
                if truth is not None:
                    info["rewritten"] = True
            if truth is not None:
                if trace:
                    env2 = Env(norm, v, bits, eng)
                    env2.trace = []
                    self.truth(env2)
                    info["trace"] = env2.trace
                    if self.pred.uses_orbit:
                        info["orbit"] = _orbit_summary(eng)
                break
        return truth, info

    def describe_point(self, norm: str, assignment: dict) -> dict:
        v = self.values(assignment)
        d = {"norm": norm}
        for k in ("beta", "alpha", "eps", "p_ref", "p0", "p", "clip_low", "clip_high", "group_size", "convention"):
            if k == "p0" and self.dom.p0_is_p_ref:
                continue
            if k in v:
                d[k] = v[k] if isinstance(v[k], str) else _frac_str(v[k])
        return d

    def counterexample(self, norm: str, assignment: dict) -> dict:
        truth, info = self.eval_point(norm, assignment, trace=True)
        v = self.values(assignment)
        cmd = engine_command(self.params(norm, v))
        ex = {"point": self.describe_point(norm, assignment), "command": cmd,
              "certified_by": f"Arb balls at {info.get('bits')} bits"
                              + (f" and the certified engine at {info['digits']} digits" if "digits" in info else "")
                              + ": the predicate is certainly false here"}
        failed = [t for t in info.get("trace", []) if t["holds"] is False]
        ex["failed"] = failed[:8]
        if info.get("rewritten"):
            fixed = {k: x for k, x in assignment.items() if k not in self.cont}
            ex["rewritten"] = presimplify.failures(self._forms(norm, fixed), {k: assignment[k] for k in self.cont})
            ex["certified_by"] = (f"the comparison rewritten symbolically as D op 0 (shared terms cancelled), "
                                  f"D decided with exact and Arb arithmetic at {info.get('bits')} bits at this "
                                  f"point: the predicate is certainly false here")
        if "orbit" in info:
            ex["orbit"] = info["orbit"]
        return ex

    # ------------------------------------------------------------- verdicts
    def run(self) -> Result:
        ev = {"kind": None, "title": self.claim.title, "predicate": self.pred.canonical,
              "domain": self.dom.describe()}
        if self.ignored:
            ev["ignored_parameters"] = self.ignored
        if not self.cont:
            res = self._finite(ev)
        else:
            res = self._continuous(ev)
        if self.claim.expect:
            res.evidence["expected"] = self.claim.expect
            res.evidence["as_expected"] = res.verdict == self.claim.expect
        res.reading = self.pred.canonical
        return res

    def _finite(self, ev) -> Result:
        ev["kind"] = "finite"
        points = list(self.dom.finite_points(self.relevant, self.norms))
        n_true, false_pts, unknown_pts = 0, [], []
        for norm, a in points:
            t, info = self.eval_point(norm, a)
            if t is True:
                n_true += 1
            elif t is False:
                false_pts.append((norm, a))
            else:
                unknown_pts.append((norm, a, info))
        ev.update({"points": len(points), "points_true": n_true, "points_false": len(false_pts),
                   "points_unknown": len(unknown_pts)})
        if false_pts:
            norm, a = false_pts[0]
            cex = self.counterexample(norm, a)
            ev["counterexample"] = cex
            if len(false_pts) > 1:
                ev["other_false_points"] = [self.describe_point(n, x) for n, x in false_pts[1:6]]
            return refuted(_refuted_summary(cex, len(false_pts), len(points)), _cex_certificate(cex), ev)
        if unknown_pts:
            ev["unknown_points"] = [self._unknown_detail(n, a, info) for n, a, info in unknown_pts[:6]]
            capped = self.escalations >= MAX_ESCALATIONS
            hint = ""
            if self.pred.uses_count:
                why = next((i["reason"] for _, _, i in unknown_pts if i.get("reason")), None)
                hint = f"; unbounded quantifier: {why}" if why else (
                    "; an unbounded quantifier needs a bounded trap of the orbit (none when p_n -> 1)")
            return undecided(f"certainly true at {n_true} of {len(points)} points; undecided at "
                             f"{len(unknown_pts)} (retried up to {LEVELS[-1][0]} bits"
                                     f"{f', the first {MAX_ESCALATIONS} of them' if capped else ''}){hint}", ev)
        what = "point" if len(points) == 1 else f"all {len(points)} points"
        return certified(f"certainly true at {what} of the finite domain "
                         f"(Arb{' and the certified engine' if self.pred.uses_engine else ''})",
                         {"scope": "whole domain (finite)", "points": len(points)}, ev)

    def _unknown_detail(self, norm, a, info) -> dict:
        d = {"point": self.describe_point(norm, a)}
        if info.get("reason"):
            d["reason"] = info["reason"]
        if "engine_errors" in info:
            d["engine_errors"] = info["engine_errors"]
        if self.pred.uses_orbit:
            v = self.values(a)
            eng = _engine(self.params(norm, v), self.budgets["digits"], self.budgets["steps"])
            d["orbit"] = _orbit_summary(eng)
        return d

    def _continuous(self, ev) -> Result:
        ev["kind"] = "search" if self.pred.uses_engine else "interval"
        ev["continuous"] = list(self.cont)
        n_true = n_unknown = 0
        pts = self.search_points()
        for norm, a in pts:
            t, _ = self.eval_point(norm, a)
            if t is False:
                cex = self.counterexample(norm, a)
                ev["search"] = {"points": n_true + n_unknown + 1}
                ev["counterexample"] = cex
                return refuted(_refuted_summary(cex, None, None), _cex_certificate(cex), ev)
            if t is True:
                n_true += 1
            else:
                n_unknown += 1
        ev["search"] = {"points": len(pts), "true": n_true, "unknown": n_unknown, "seed": self.seed}
        if self.pred.uses_engine:
            ev["covered_fraction"] = 0.0
            why = ("fixed points" if not self.pred.uses_orbit else "the orbit") if self.pred.uses_engine else ""
            return undecided(f"no counterexample among {len(pts)} search points ({n_true} certainly true, "
                             f"{n_unknown} undecided); the predicate involves {why}, so nothing is "
                             f"certified on the continuum (coverage 0)", ev)
        budget = self.budgets["boxes"]
        cost = (self.pred.work + 10 * (self.pred.max_index + 1)) * (len(self.cont) + 2)
        if budget * cost > CLAIM_WORK:
            budget = max(4, CLAIM_WORK // cost)
        cov, boxes, cex = self.branch_and_bound(budget)
        ev["interval"] = {"boxes": boxes, "box_budget": budget, "covered_fraction": float(cov),
                          "box": {k: [_frac_str(self.dom.dims[k].lo), _frac_str(self.dom.dims[k].hi)]
                                  for k in self.cont}}
        ev["covered_fraction"] = float(cov)
        if cov < 1 and cex is None:
            ev["interval"]["uncovered"] = [self._describe_box(*u) for u in
                                           sorted(self.uncovered, key=lambda u: -u[2])[:UNCOVERED_SHOWN]]
        if cex is not None:
            ev["counterexample"] = cex
            return refuted(_refuted_summary(cex, None, None), _cex_certificate(cex), ev)
        if cov == 1:
            return certified(f"Arb branch and bound covers the whole domain ({boxes} box"
                             f"{'es' if boxes != 1 else ''} over {', '.join(self.cont)})",
                             {"scope": "whole domain", "boxes": boxes, "box": ev["interval"]["box"]}, ev)
        where = ""
        if ev["interval"].get("uncovered"):
            u = ev["interval"]["uncovered"][0]
            where = "; the largest uncovered box: " + ", ".join(
                f"{k} in [{_short(lo)}, {_short(hi)}]" for k, (lo, hi) in u["box"].items())
        return undecided(f"no counterexample; branch and bound certified {_pct(cov)} of the domain "
                         f"in {boxes} boxes (budget exhausted){where}", ev)

    def _describe_box(self, norm, fixed, volume, box) -> dict:
        d = {"box": {k: [_frac_str(box[k][0]), _frac_str(box[k][1])] for k in self.cont},
             "fraction_of_domain": float(volume)}
        if fixed or len(self.norms) > 1:
            d["at"] = {"norm": norm, **{k: _frac_str(v) for k, v in fixed.items()}}
        return d

    # --------------------------------------------------------------- search
    def search_points(self) -> list:
        n = min(self.budgets["search"], max(4, CLAIM_WORK // max(1, self.pred.work)))
        if n == 0:
            return []
        rng = random.Random(self.seed)
        combos = list(self.dom.finite_points(self.finite_dims, self.norms))
        cands = {k: _candidates(self.dom.dims[k], k) for k in self.cont}
        structured = list(islice(product(*[cands[k] for k in self.cont]), max(1, n // 2)))
        out, seen = [], set()
        i = 0

        def add(cont_vals):
            nonlocal i
            norm, fixed = combos[i % len(combos)]
            i += 1
            a = dict(fixed)
            a.update(dict(zip(self.cont, cont_vals)))
            key = (norm, tuple(sorted(a.items())))
            if key not in seen:
                seen.add(key)
                out.append((norm, a))
        for c in structured:
            if len(out) >= n:
                break
            add(c)
        tries = 0
        while len(out) < n and tries < 20 * n:
            tries += 1
            add(tuple(_sample(self.dom.dims[k], k, rng) for k in self.cont))
        return out

    # ----------------------------------------------------- branch and bound
    def branch_and_bound(self, budget: int):
        combos = list(self.dom.finite_points(self.finite_dims, self.norms))
        per = max(1, budget // max(1, len(combos)))
        total, used = Fraction(0), 0
        self.uncovered = []
        for norm, fixed in combos:
            cov, n, cex = self._bnb_one(norm, fixed, per)
            used += n
            if cex is not None:
                return total, used, cex
            total += cov / len(combos)
        return total, used, None

    def _seek(self, norm, fixed, boxes):
        """A refutation-seeking pass over the largest boxes left uncovered: local search
        (float, mpmath) for the point of each box where a rewritten comparison is most
        violated, each candidate then decided exactly by :meth:`eval_point`.  The search only
        proposes points; a verdict comes from the exact evaluation."""
        forms = self._forms(norm, fixed)
        if forms is None:
            return None
        for box in boxes[:SEEK_BOXES]:
            for x in presimplify.violators(forms, {k: box[k] for k in self.cont}, self.seed):
                a = dict(fixed)
                a.update({k: _nice_in(v, box[k], self.dom.dims[k]) for k, v in x.items()})
                if all(self.dom.dims[k].contains(a[k]) for k in self.cont):
                    t, _ = self.eval_point(norm, a)
                    if t is False:
                        return self.counterexample(norm, a)
        return None

    def _bnb_one(self, norm, fixed, budget):
        dims = self.cont
        widths = {k: self.dom.dims[k].width for k in dims}
        box0 = {k: (self.dom.dims[k].lo, self.dom.dims[k].hi) for k in dims}

        def vol(box):
            out = Fraction(1)
            for k in dims:
                out *= (box[k][1] - box[k][0]) / widths[k]
            return out

        def env_for(box, collapse=None):
            a = dict(fixed)
            for k in dims:
                lo, hi = box[k]
                if collapse == k or lo == hi:
                    a[k] = (lo + hi) / 2
                else:
                    a[k] = Iv(lo, hi)
            return Env(norm, self.values(a), 128)

        forms = self._forms(norm, fixed)

        def truth(box):
            env = env_for(box)
            t = self.truth(env)
            if t is None and forms is not None and self.assume is None and not self.dom.linked:
                b = {k: (box[k] if box[k][0] < box[k][1] else box[k][0]) for k in dims}
                t = presimplify.truth(self.pred.root, forms, b,
                                      lambda node: evaluate(replace(self.pred, root=node), env))
            return t

        covered, used = Fraction(0), 0
        # largest boxes first: a corner that cannot be covered (an open end where the
        # log-odds diverge) must not eat the whole budget
        heap = [(-Fraction(1), 0, box0)]
        counter = 1
        while heap and used < budget:
            _, _, box = heapq.heappop(heap)
            used += 1
            t = truth(box)
            if t is True:
                covered += vol(box)
                continue
            mid = {k: (box[k][0] + box[k][1]) / 2 for k in dims}
            if all(self.dom.dims[k].contains(mid[k]) for k in dims):
                a = dict(fixed)
                a.update(mid)
                tp, _ = self.eval_point(norm, a)
                if tp is False:
                    return covered, used, self.counterexample(norm, a)
            j = self._split_dim(box, env_for, widths)
            lo, hi = box[j]
            m = _split_point(j, lo, hi)
            left, right = dict(box), dict(box)
            left[j], right[j] = (lo, m), (m, hi)
            for b in (left, right):
                heapq.heappush(heap, (-vol(b), counter, b))
                counter += 1
        left_over = [b for _, _, b in sorted(heap, key=lambda t: (t[0], t[1]))]
        if left_over:
            cex = self._seek(norm, fixed, left_over)
            if cex is not None:
                return covered, used, cex
        self.uncovered += [(norm, fixed, vol(b), b) for b in left_over[:UNCOVERED_SHOWN]]
        return covered, used, None

    def _rewritten_point(self, norm, assignment, v, bits):
        """Truth at an exact point from the symbolically rewritten comparisons (an equality
        that Arb cannot see, ``D = 0`` exactly, decides a strict comparison)."""
        fixed = {k: x for k, x in assignment.items() if k not in self.cont}
        forms = self._forms(norm, fixed)
        if forms is None:
            return None
        env = Env(norm, v, bits)
        return presimplify.truth(self.pred.root, forms, {k: assignment[k] for k in self.cont},
                                 lambda node: evaluate(replace(self.pred, root=node), env), bits)

    def _forms(self, norm, fixed):
        """The comparisons of the predicate rewritten symbolically (:mod:`.presimplify`), for
        the unclipped map with the finite parameters ``fixed``; None when none applies."""
        if self.dom.clipped or self.pred.uses_engine or "group_size" in self.dom.dims or self.dom.linked \
                or self.assume is not None:
            return None  # the symbolic forms are those of the population map with free parameters
        key = (norm, tuple(sorted(fixed.items())))
        if key not in self._forms_cache and len(self._forms_cache) >= MAX_FORMS:
            return None  # each rewriting costs SymPy time: the first ones are kept, no more
        if key not in self._forms_cache:
            v = dict(self.rep)
            v.update(fixed)
            if self.dom.p0_is_p_ref:
                v.pop("p0", None)
            forms = presimplify.CmpForms.build(self.pred, norm, v, self.dom.p0_is_p_ref)
            self._forms_cache[key] = forms if forms.atoms else None
        return self._forms_cache[key]

    def _split_dim(self, box, env_for, widths):
        dims = [k for k in self.cont if box[k][1] > box[k][0]]
        if len(dims) == 1:
            return dims[0]
        best, best_score = None, None
        for k in dims:
            env = env_for(box, collapse=k)
            env.probe = []
            t = self.truth(env)
            score = 0.0 if t is True else (max(env.probe) if env.probe else float("inf"))
            rel = float((box[k][1] - box[k][0]) / widths[k])
            key = (score, -rel)
            if best_score is None or key < best_score:
                best, best_score = k, key
        return best


# ------------------------------------------------------------------ helpers
def _representative(d):
    if isinstance(d, Range):
        return (d.lo + d.hi) / 2
    return d[0]


def _nice(x: float, r: Range) -> Fraction | None:
    """x rounded to 3 significant digits, if that stays in the range."""
    if not math.isfinite(x) or x == 0:
        return None
    from decimal import Decimal

    q = Fraction(Decimal(f"{x:.2e}"))
    return q if r.contains(q) else None


def _nice_in(x: float, box_side, r: Range) -> Fraction:
    """A short rational near ``x`` inside the box side (and the range), else the side's middle."""
    lo, hi = box_side
    for digits in (3, 6, 12):
        try:
            from decimal import Decimal

            q = Fraction(Decimal(f"{x:.{digits}e}"))
        except (ValueError, ArithmeticError):
            break
        if lo <= q <= hi and r.contains(q):
            return q
    return (lo + hi) / 2


def _candidates(r: Range, k: str) -> list:
    w = r.width
    out = []
    for end, is_open, sign in ((r.lo, r.lo_open, 1), (r.hi, r.hi_open, -1)):
        if not is_open:
            out.append(end)
        else:
            for f in (Fraction(1, 1000), Fraction(1, 10**6)) if k in P_LIKE else (Fraction(1, 1000),):
                x = end + sign * w * f
                out.append(x)
    mid = (r.lo + r.hi) / 2
    out.insert(1, mid)
    seen, res = set(), []
    for x in out:
        if x not in seen and r.contains(x):
            seen.add(x)
            res.append(x)
    return res


def _sample(r: Range, k: str, rng: random.Random) -> Fraction:
    lo, hi = float(r.lo), float(r.hi)
    u = rng.random()
    mode = rng.random()
    x = None
    if k in P_LIKE and mode < 0.6:
        # log scale towards 0 or towards 1
        a = max(lo, 1e-12)
        b = min(hi, 1 - 1e-12)
        if mode < 0.3 and b > a:
            x = math.exp(math.log(a) + u * (math.log(b) - math.log(a))) if a > 0 else None
        elif b > a:
            qa, qb = 1 - b, 1 - a
            x = 1 - math.exp(math.log(qa) + u * (math.log(qb) - math.log(qa))) if qa > 0 else None
    elif lo > 0 and hi / lo > 100 and mode < 0.6:
        x = math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
    if x is None:
        x = lo + u * (hi - lo)
    q = _nice(x, r)
    if q is None:
        q = r.lo + r.width * Fraction(rng.randint(1, 9999), 10000)
    return q


def _split_point(k: str, lo: Fraction, hi: Fraction) -> Fraction:
    """Where to bisect [lo, hi]: the middle in log-odds for probabilities, the
    geometric middle for wide positive ranges, else the middle."""
    w = hi - lo
    m = None
    try:
        if k in P_LIKE:
            if lo == 0:
                m = hi / 8
            elif hi == 1:
                m = 1 - (1 - lo) / 8
            else:
                a, b = float(lo), float(hi)
                if 0 < a and b < 1:
                    la, lb = math.log(a / (1 - a)), math.log(b / (1 - b))
                    m = Fraction(1 / (1 + math.exp(-(la + lb) / 2)))
        elif lo > 0 and hi / lo > 4:
            m = Fraction(math.sqrt(float(lo) * float(hi)))
    except (OverflowError, ValueError, ZeroDivisionError):
        m = None
    if m is None or not (lo + w / 64 <= m <= hi - w / 64):
        m = lo + w / 2
    return _short_split(m, lo + w / 64, hi - w / 64)


def _short_split(m: Fraction, a: Fraction, b: Fraction) -> Fraction:
    """``m`` rounded to the fewest significant digits (3, 6 or 12) that keep it in [a, b]:
    boxes with short ends read well in a report (any split point is sound)."""
    from decimal import Decimal

    for digits in (3, 6, 12):
        q = Fraction(Decimal(f"{float(m):.{digits - 1}e}"))
        if a <= q <= b:
            return q
    return m


def _pct(x) -> str:
    """A covered fraction as a percentage that never reads 100% unless it is all."""
    v = float(x) * 100
    s = f"{v:.6g}%" if v >= 99.99 and x < 1 else f"{v:.4g}%"
    if x < 1 and float(s[:-1]) >= 100:
        return "more than 99.9999% (not all)"
    return s


def _orbit_summary(eng) -> dict:
    if eng is None:
        return {}
    o = eng.orbit()
    from ..exact.arbutil import arb_prec
    from .evaluate import show

    d = {"kind": o.kind if isinstance(o.kind, str) else "unresolved",
         "period": show(o.period) if o.period is not None else None}
    if o.points.items:
        with arb_prec(256):
            d["points"] = [show(x) for x in o.points.items]
    if o.evidence:
        d["evidence"] = o.evidence
    return d


def _refuted_summary(cex: dict, n_false, n_points) -> str:
    pt = ", ".join(f"{k}={v}" for k, v in cex["point"].items())
    atom = ""
    if cex.get("failed"):
        f = cex["failed"][0]
        where = ", ".join(f"{k} = {v}" for k, v in f["where"].items())
        atom = f": {f['atom']} fails ({_short(f['left'])} vs {_short(f['right'])})" + (f" for {where}" if where else "")
    elif cex.get("rewritten"):
        f = cex["rewritten"][0]
        atom = f": {f['atom']} fails (rewritten: D {f['rewritten'].rsplit(' ', 2)[-2]} 0 is false, D {f['sign']})"
    elif cex.get("orbit"):
        atom = f": orbit {cex['orbit'].get('kind')}"
    tail = f" [{n_false} of {n_points} points false]" if n_false and n_points and n_points > 1 else ""
    return f"false at {pt}{atom}{tail}"


def _short(v) -> str:
    """A number of a counterexample in one scientific format, exponent kept: an Arb ball
    ``[m +/- r]`` by its midpoint, ``1 - [..]`` as such, a ratio ``a/b`` by its value."""
    import re

    import mpmath as mp

    s = str(v).strip()
    prefix = ""
    if s.startswith("1 - "):
        prefix, s = "1 - ", s[4:]
    m = re.match(r"^\[?([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)", s)
    r = re.match(r"^([-+]?\d+)/(\d+)$", s)
    with mp.workdps(30):
        if r:
            return prefix + mp.nstr(mp.mpf(r.group(1)) / mp.mpf(r.group(2)), 10)
        if m:
            return prefix + mp.nstr(mp.mpf(m.group(1)), 10)
    return prefix + s[:24]


def _cex_certificate(cex: dict) -> dict:
    """The certificate of a reviewer counterexample: its exact point and how Arb excluded the claim."""
    return {"point": cex["point"], "certified_by": cex["certified_by"], "command": cex.get("command")}


def _negated(claim: Claim) -> Claim:
    """The universal claim "not P everywhere" whose refutation is a witness of "P somewhere"."""
    from .language import Node

    p = claim.predicate
    root = Node(kind="not", type="bool", src=f"not ({p.root.src})", line=p.root.line, args=[p.root])
    pred = replace(p, root=root, canonical=f"not ({p.canonical})")
    return replace(claim, predicate=pred, quantifier="all", expect=None)


def check_exists(claim: Claim) -> Result:
    """An existential claim, decided through its negation ``not P`` (a universal claim):

    * a point where ``P`` is certainly true (found by the search, by branch and bound's
      midpoints, or on a finite domain) is a **witness**: the claim is **certified** there
      (Arb balls and the certified engine at that exact point);
    * ``not P`` certified on the whole domain (every point of a finite domain, or every box of
      a branch-and-bound cover) **refutes** it: the certificate is that cover, each of whose
      points is certainly a counterexample;
    * otherwise **undecided**.
    """
    sub = Checker(_negated(claim)).run()
    ev = dict(sub.evidence)
    ev["quantifier"] = "exists"
    ev["decided_through"] = "the negation (not P), as a universal claim"
    ev.pop("expected", None), ev.pop("as_expected", None)
    if sub.verdict == "refuted":
        w = ev.pop("counterexample")
        ev["witness"] = w
        pt = ", ".join(f"{k}={v}" for k, v in w["point"].items())
        return certified(f"a witness: at {pt} the predicate is certainly true",
                         {"scope": "witness (an exact point of the domain)", "point": w["point"],
                          "certified_by": w["certified_by"].replace("certainly false", "certainly true"),
                          "command": w.get("command")}, ev)
    if sub.verdict == "certified":
        cover = dict(sub.certificate)
        cover.pop("kind", None)
        return refuted(f"no point of the domain satisfies the predicate (its negation: {sub.summary})",
                       {"cover": cover,
                                       "certified_by": "every point (or every box of the cover) certainly "
                                                       "makes the predicate false"}, ev)
    return undecided(f"no witness found; {sub.summary}", ev)


def check_claim(claim: Claim) -> ClaimResult:
    """Decide one claim (see the module docstring).  An internal error gives
    ``undecided`` with the error in the evidence: a bug never passes for a verdict."""
    import traceback

    try:
        if claim.quantifier == "exists":
            res = check_exists(claim)
            if claim.expect:
                res.evidence["expected"] = claim.expect
                res.evidence["as_expected"] = res.verdict == claim.expect
            res.reading = f"exists: {claim.predicate.canonical}"
        else:
            res = Checker(claim).run()
    except Exception as exc:  # pragma: no cover - defensive
        res = internal_error(f"internal error: {type(exc).__name__}: {exc}", traceback.format_exc(limit=4))
    return ClaimResult(claim, res)
