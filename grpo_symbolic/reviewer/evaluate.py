r"""Interpret a compiled predicate with Arb balls, in three-valued logic.

:func:`evaluate` returns ``True`` (certainly true for every parameter value in the
environment), ``False`` (certainly false for every one) or ``None`` (unknown).
The environment holds each parameter as an exact Fraction (a point) or an
:class:`~.values.Iv` (an interval: one side of a branch-and-bound box), and, at a
point, a :class:`~.engine.PointEngine` for fixed points and orbits.

Soundness rests on three facts: every number is an enclosure (Arb ball, exact
rational, exact interval, or log-odds ball of a probability); every operation maps
enclosures to enclosures (:mod:`.values`); and Kleene's connectives and the
quantifiers over finite collections only combine certain truth values into
certain truth values.  Collections whose completeness or membership is not
certified make ``all`` and ``len`` unknown rather than true.
"""

from __future__ import annotations

import heapq
from fractions import Fraction

import mpmath as mp
from flint import arb

from ..exact.arbutil import abs_range, arb_prec, to_arb
from ..exact.fixed_points import arb_mid_fraction
from .engine import BFPItem, Coll, FPItem, Kind, PointEngine
from .language import Node, Predicate
from .values import (UNDEF, UNKNOWN, BallMap, ClippedBallMap, Iv, Pos, _exact, as_ball, div, endpoints,
                     finite_or_unknown, is_special, logit_of, monotone, mul, pow_int, safe_exp)

#: at most this many comparison records are kept for the evidence
TRACE_LIMIT = 400


class Env:
    """Values of the parameters (Fraction or Iv), the norm, and (at a point) the engine."""

    def __init__(self, norm: str, values: dict, bits: int, engine: PointEngine | None = None):
        self.norm = norm
        self.values = values  # p_ref, beta, alpha, eps, p0 (and p if free)
        self.bits = bits
        self.engine = engine
        self._map = None
        self._iter: list | None = None
        self.trace: list | None = None
        #: under a count(...) tail: (cmin, ball of x = L_{n + cmin}, cache of g^j(x))
        self.tail_x = None
        #: when a list, undecided comparisons append the width of their operands (a
        #: heuristic for choosing the branch-and-bound split; never used for verdicts)
        self.probe: list | None = None

    @property
    def clipped(self) -> bool:
        """The map is the clipped one (GRPO-Clip): the domain gives ``clip_low``."""
        return self.values.get("clip_low") is not None

    def map(self):
        """The map at these parameters: :class:`BallMap`, or the kernel's clipped map
        (:class:`ClippedBallMap`, exact parameters only) when ``clip_low`` is given."""
        if self._map is None:
            v = self.values
            if self.clipped:
                self._map = ClippedBallMap(self.norm, v["beta"], v["alpha"], v["eps"], v["p_ref"], v["clip_low"],
                                           v.get("clip_high", v["clip_low"]))
            else:
                self._map = BallMap(self.norm, v["beta"], v["alpha"], v["eps"], v["p_ref"])
        return self._map

    def iterate(self, k: int):
        """Enclosure of ``L_k = logit p_k`` (``L_0 = logit p0``)."""
        if self._iter is None:
            self._iter = [logit_of(self.values["p0"])]
        m = self.map()
        while len(self._iter) <= k:
            last = self._iter[-1]
            if is_special(last) or (isinstance(last, arb) and abs(last).upper() > 2**40):
                self._iter.append(UNKNOWN)
                continue
            self._iter.append(m.g_L(last))
        return self._iter[k]


    def tail_iterate(self, offset: int):
        """Enclosure of L_{n + offset} for every n of the tail: g^(offset - cmin)(x)."""
        cmin, x, cache = self.tail_x
        j = offset - cmin
        if j not in cache:
            m = self.map()
            y = x
            for _ in range(j):
                y = m.g_L(y)
                if is_special(y):
                    break
            cache[j] = y
        return cache[j]


class _Tail:
    def __repr__(self):
        return "n (tail)"


#: the value of a count(...) variable while its tail is evaluated
TAIL = _Tail()
#: explicit prefix of a count(...) quantifier when no tail certificate exists
COUNT_PREFIX = 64
#: boxes per invariant piece when evaluating a tail
TAIL_BOXES = 64
#: longest explicit prefix before a tail certificate (and its work limit, in steps)
MAX_PREFIX = 20_000
PREFIX_WORK = 2_000_000


def evaluate(pred: Predicate, env: Env):
    with arb_prec(env.bits):
        return _Eval(env).cond(pred.root, {})


# --------------------------------------------------------------- truth
def _and(vals):
    out = True
    for v in vals:
        if v is False:
            return False
        if v is None:
            out = None
    return out


def _not(v):
    return None if v is None else (not v)


class _Eval:
    def __init__(self, env: Env):
        self.env = env

    # ---------------------------------------------------------- booleans
    def cond(self, n: Node, scope: dict):
        k = n.kind
        if k == "const":
            return bool(n.value)
        if k == "not":
            return _not(self.cond(n.args[0], scope))
        if k == "bool":
            if n.value == "and":
                out = True
                for a in n.args:
                    v = self.cond(a, scope)
                    if v is False:
                        return False
                    if v is None:
                        out = None
                return out
            out = False
            for a in n.args:
                v = self.cond(a, scope)
                if v is True:
                    return True
                if v is None:
                    out = None
            return out
        if k == "cmp":
            return self.compare(n, scope)
        if k == "attr":  # fp.stable / bfp.stable
            return self.attr(n, scope)
        if k == "quant":
            return self.quant(n, scope)
        raise AssertionError(f"not a condition: {n.kind}")  # pragma: no cover

    def compare(self, n: Node, scope):
        vals = [self.value(a, scope) for a in n.args]
        results = []
        for i, op in enumerate(n.value):
            a, b = vals[i], vals[i + 1]
            r = compare(op, a, b)
            results.append(r)
            if r is None and self.env.probe is not None:
                self.env.probe.append(_overlap(op, a, b))
            if self.env.trace is not None and len(self.env.trace) < TRACE_LIMIT:
                self.env.trace.append({"atom": f"{n.args[i].src} {op} {n.args[i + 1].src}",
                                       "where": _describe_scope(scope), "left": show(a), "right": show(b),
                                       "holds": r})
            if r is False:
                return False
        return _and(results)

    def quant(self, n: Node, scope):
        """all / any over the generators (conditions act as filters)."""
        func = n.value
        if func in ("min", "max"):
            raise AssertionError("min/max generator used as a condition")  # pragma: no cover
        if n.gens[0][1].kind == "count":
            return self.count_quant(n, scope)
        body = n.args[0]
        out = True if func == "all" else False
        for binding, member in self._bindings(n, scope):
            if binding is None:  # an incomplete collection: members may be missing
                out = _merge(out, None, func)
                continue
            guard = member
            for c in n.conds:
                if guard is False:
                    break
                guard = _and([guard, self.cond(c, binding)])
            if guard is False:
                continue
            v = self.cond(body, binding)
            if func == "all":
                contrib = True if v is True else (_not(guard) if v is False else None)
                if guard is True and v is False:
                    contrib = False
                elif v is False:
                    contrib = None
            else:
                contrib = v if guard is True else (False if v is False else None)
            out = _merge(out, contrib, func)
            if (func == "all" and out is False) or (func == "any" and out is True):
                return out
        return out

    def _one(self, n: Node, binding):
        """Truth of the guarded body for one binding, as an all-contribution and an
        any-contribution."""
        guard = True
        for c in n.conds:
            if guard is False:
                break
            guard = _and([guard, self.cond(c, binding)])
        if guard is False:
            return True, False
        v = self.cond(n.args[0], binding)
        as_all = True if v is True else (False if (v is False and guard is True) else None)
        as_any = v if guard is True else (False if v is False else None)
        return as_all, as_any

    def count_quant(self, n: Node, scope):
        """``all/any(... for n in count(a))``: an explicit prefix, then the tail
        certified by a forward-invariant set of the orbit (see :meth:`PointEngine.tail`)."""
        func = n.value
        var, src = n.gens[0]
        a = src.value
        cmin, _ = n.bounds
        eng = self.engine()
        out = True if func == "all" else False
        done = a  # the prefix a <= k < done is evaluated

        def prefix(stop):
            nonlocal out, done
            for k in range(done, stop):
                as_all, as_any = self._one(n, {**scope, var: Fraction(k)})
                out = _merge(out, as_all if func == "all" else as_any, func)
                if (func == "all" and out is False) or (func == "any" and out is True):
                    done = stop
                    return True
            done = max(done, stop)
            return False
        if prefix(a + COUNT_PREFIX):
            return out
        # tail certificates with smaller and smaller invariant sets (entered later)
        for shrink in range(4):
            tail = eng.tail(shrink)
            if tail is None:
                break
            n0, pieces = tail
            start = max(a, n0 - cmin)
            if start - a > min(MAX_PREFIX, PREFIX_WORK // max(1, n.work)):
                break
            if prefix(start):
                return out
            t = self._tail_truth(n, scope, var, cmin, pieces)
            if t is (func == "all"):
                return _merge(out, t, func)
        return _merge(out, None, func)

    def _tail_truth(self, n: Node, scope, var, cmin, pieces):
        """The contribution of the whole tail: x = L_{n + cmin} ranges over the
        invariant pieces (bisected, largest boxes first).  ``True`` if the guarded body
        holds for every x, ``False`` if it fails for every x (the tail is not empty),
        otherwise None — the orbit need not visit every x, so a mixed answer decides
        nothing."""
        func = n.value
        seen = set()
        saved = self.env.tail_x
        try:
            for piece in pieces:
                lo, hi = arb_mid_fraction(piece.lower()), arb_mid_fraction(piece.upper())
                heap = [(-(hi - lo), 0, lo, hi)]
                counter, used = 1, 0
                while heap:
                    _, _, u, v = heapq.heappop(heap)
                    used += 1
                    self.env.tail_x = (cmin, to_arb(u).union(to_arb(v)), {})
                    as_all, as_any = self._one(n, {**scope, var: TAIL})
                    t = as_all if func == "all" else as_any
                    if t is None and used < TAIL_BOXES and v > u:
                        m = (u + v) / 2
                        heapq.heappush(heap, (-(m - u), counter, u, m))
                        heapq.heappush(heap, (-(v - m), counter + 1, m, v))
                        counter += 2
                        continue
                    seen.add(t)
                    if None in seen or len(seen) > 1:
                        return None
        finally:
            self.env.tail_x = saved
        return seen.pop() if len(seen) == 1 else None

    def _bindings(self, n: Node, scope):
        """Yield (scope, membership) for every combination of the generators;
        (None, None) once per incomplete collection."""
        def rec(i, sc, member):
            if i == len(n.gens):
                yield sc, member
                return
            var, src = n.gens[i]
            if src.kind == "range":
                lo, hi = src.value
                for j in range(lo, hi):
                    yield from rec(i + 1, {**sc, var: Fraction(j)}, member)
                return
            coll = self.collection(src, sc)
            for item, mem in zip(coll.items, coll.member):
                if mem is False:
                    continue
                yield from rec(i + 1, {**sc, var: item}, _and([member, mem]))
            if not coll.complete:
                yield None, None
        yield from rec(0, dict(scope), True)

    # ------------------------------------------------------------ numbers
    def value(self, n: Node, scope):
        k = n.kind
        if k == "const":
            return n.value
        if k == "name":
            if n.value in scope:
                return scope[n.value]
            if n.type == "orbit":
                return self.orbit()
            return self.env.values[n.value]
        if k == "neg":
            return neg(self.value(n.args[0], scope))
        if k == "bin":
            a = self.value(n.args[0], scope)
            b = self.value(n.args[1], scope)
            return binop(n.value, a, b)
        if k == "call":
            return self.call(n, scope)
        if k == "attr":
            return self.attr(n, scope)
        if k == "minmax":
            if len(n.args) == 1:  # min/max of orbit.points
                coll = self.collection(n.args[0], scope)
                return _minmax(n.value, coll.items, coll.member, coll.complete)
            return _minmax(n.value, [self.value(a, scope) for a in n.args], None, True)
        if k == "quant":  # min/max over a generator
            items, member, complete = [], [], True
            for binding, mem in self._bindings(n, scope):
                if binding is None:
                    complete = False
                    continue
                guard = mem
                for c in n.conds:
                    guard = _and([guard, self.cond(c, binding)])
                if guard is False:
                    continue
                items.append(self.value(n.args[0], binding))
                member.append(guard)
            return _minmax(n.value, items, member, complete)
        if k == "len":
            coll = self.collection(n.args[0], scope)
            if not coll.complete or any(m is None for m in coll.member):
                return UNKNOWN
            return Fraction(sum(1 for m in coll.member if m))
        if k in ("coll", "cmp", "bool", "not"):
            raise AssertionError(f"not a number: {k}")  # pragma: no cover
        raise AssertionError(f"unknown node {k}")  # pragma: no cover

    def collection(self, n: Node, scope) -> Coll:
        if n.kind == "coll":
            return self.engine().collection(n.value)
        if n.kind == "attr" and n.value == "points":
            return self.orbit().points
        raise AssertionError("not a collection")  # pragma: no cover

    def engine(self) -> PointEngine:
        if self.env.engine is None:
            raise AssertionError("engine quantities need a parameter point")  # pragma: no cover
        return self.env.engine

    def orbit(self):
        return self.engine().orbit()

    def attr(self, n: Node, scope):
        base = n.args[0]
        if base.type == "orbit":
            o = self.orbit()
            name = n.value
            if name == "points":
                return o.points
            if name == "kind" and isinstance(o.kind, str):
                return Kind(o.kind)
            return getattr(o, name)
        item = self.value(base, scope)
        if isinstance(item, (FPItem, BFPItem)):
            return item.attr(n.value)
        raise AssertionError("attribute of a non-item")  # pragma: no cover

    def call(self, n: Node, scope):
        f = n.value
        if f in ("p_n", "L_n") and n.offset is not None:  # p_n(n + c) under count(...)
            k = scope.get(n.args[0].value)
            if k is TAIL:
                L = self.env.tail_iterate(n.offset)
            else:
                if f == "p_n" and int(k) + n.offset == 0:
                    return self.env.values["p0"]  # p_0 = p0 exactly
                L = self.env.iterate(int(k) + n.offset)
            if is_special(L):
                return L
            return Pos(L) if f == "p_n" else L
        if f in ("p_n", "L_n"):
            k = self.value(n.args[0], scope)
            if not isinstance(k, Fraction) or k.denominator != 1 or k < 0:  # pragma: no cover
                return UNKNOWN
            if f == "p_n" and k == 0:
                return self.env.values["p0"]  # p_0 = p0 exactly
            L = self.env.iterate(int(k))
            if is_special(L):
                return L
            return Pos(L) if f == "p_n" else L
        x = self.value(n.args[0], scope)
        if f == "h":
            return self.env.map().h(x)
        if f == "dh":
            return self.env.map().dh(x)
        if f == "g":
            return self.env.map().g_L(as_ball(x) if not is_special(x) else x)
        if f == "dg":
            return self.env.map().dg_L(as_ball(x) if not is_special(x) else x)
        return elementary(f, x)


def _merge(out, contrib, func):
    if func == "all":
        return _and([out, contrib])
    if out is True or contrib is True:
        return True
    if out is None or contrib is None:
        return None
    return False


def _minmax(func, items, member, complete):
    if member is None:
        member = [True] * len(items)
    if not complete or any(m is None for m in member):
        return UNKNOWN
    vals = [v for v, m in zip(items, member) if m]
    if not vals:
        return UNDEF
    if any(v is UNDEF for v in vals):
        return UNDEF
    if any(v is UNKNOWN for v in vals):
        return UNKNOWN
    if all(isinstance(v, Fraction) for v in vals):
        return min(vals) if func == "min" else max(vals)
    if all(isinstance(v, Pos) for v in vals):
        out = vals[0].L
        for v in vals[1:]:
            out = out.min(v.L) if func == "min" else out.max(v.L)
        return Pos(out)
    balls = [as_ball(v) for v in vals]
    if any(is_special(b) for b in balls):
        return UNKNOWN
    out = balls[0]
    for b in balls[1:]:
        out = out.min(b) if func == "min" else out.max(b)
    return out


# ----------------------------------------------------------- arithmetic
def neg(a):
    if is_special(a):
        return a
    if isinstance(a, Fraction):
        return -a
    if isinstance(a, Iv):
        return Iv(-a.hi, -a.lo)
    if isinstance(a, Pos):
        return -a.p()
    return -as_ball(a)


def binop(op, a, b):
    if a is UNDEF or b is UNDEF:
        return UNDEF
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if op == "**":
        return power(a, b)
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        if op == "/" and b == 0:
            return UNDEF
        v = {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b}[op]()
        return _exact(v)
    # 1 - p keeps its precision near p = 1
    if op == "-" and isinstance(b, Pos) and isinstance(a, Fraction) and a == 1:
        return b.q()
    if op == "/":
        bb = as_ball(b)
        if isinstance(bb, arb) and bb.is_exact() and bb.is_zero():
            return UNDEF
    x, y = as_ball(a), as_ball(b)
    if is_special(x) or is_special(y):
        return UNKNOWN
    if op == "+":
        return finite_or_unknown(x + y)
    if op == "-":
        return finite_or_unknown(x - y)
    if op == "*":
        return finite_or_unknown(mul(x, y))
    if op == "/":
        if y <= 0 and y >= 0:  # certainly 0
            return UNDEF
        if not (y > 0 or y < 0):
            return UNKNOWN
        return finite_or_unknown(div(x, y))
    raise AssertionError(op)  # pragma: no cover


def power(a, k: Fraction):
    if k.denominator == 1:
        n = int(k)
        if isinstance(a, Fraction):
            if a == 0 and n < 0:
                return UNDEF
            return _exact(a ** n)
        x = as_ball(a)
        if is_special(x):
            return x
        if n < 0:
            if x <= 0 and x >= 0:
                return UNDEF
            if not (x > 0 or x < 0):
                return UNKNOWN
        return finite_or_unknown(pow_int(x, n))
    x = as_ball(a)
    if is_special(x):
        return x
    if x > 0:
        return monotone(a if isinstance(a, (Fraction, Iv)) else x,
                        lambda t: (to_arb(k) * t.log()).exp())
    if isinstance(a, Fraction) and a == 0 and k > 0:
        return Fraction(0)
    if x < 0:
        return UNDEF
    return UNKNOWN


def elementary(f: str, x):
    if is_special(x):
        return x
    if f == "logit":
        return logit_of(x)
    if f == "sigmoid":
        L = as_ball(x)
        return L if is_special(L) else Pos(L)
    if f == "exp":
        if isinstance(x, (Fraction, Iv)):
            e = endpoints(x)
            lo, hi = safe_exp(e[0]), safe_exp(e[1])
            if is_special(lo) or is_special(hi):
                return UNKNOWN
            return lo.union(hi)
        b = as_ball(x)
        if is_special(b):
            return b
        lo, hi = safe_exp(b.lower()), safe_exp(b.upper())
        return UNKNOWN if (is_special(lo) or is_special(hi)) else lo.union(hi)
    if f == "log":
        b = as_ball(x)
        if is_special(b):
            return b
        if isinstance(x, Fraction):
            return UNDEF if x <= 0 else to_arb(x).log()
        if isinstance(x, Pos):
            return -(1 + (-x.L).exp()).log() if x.L.is_finite() else UNKNOWN  # log sigmoid(L)
        if b <= 0:
            return UNDEF
        if not b > 0:
            if isinstance(x, Iv) and x.lo >= 0 and x.hi > 0:
                return UNKNOWN
            return UNKNOWN
        return monotone(x if isinstance(x, Iv) else b, lambda t: t.log())
    if f == "sqrt":
        if isinstance(x, Fraction):
            return UNDEF if x < 0 else to_arb(x).sqrt()
        b = as_ball(x)
        if is_special(b):
            return b
        if b < 0:
            return UNDEF
        if isinstance(x, Iv):
            if x.lo < 0:
                return UNKNOWN
            out = monotone(x, lambda t: t.sqrt())
        elif not b.lower() >= 0:
            return UNKNOWN
        else:
            out = monotone(b, lambda t: t.sqrt())
        return out if is_special(out) else out.nonnegative_part()
    if f == "abs":
        if isinstance(x, Fraction):
            return abs(x)
        if isinstance(x, Pos):
            return x
        b = as_ball(x)
        if is_special(b):
            return b
        m, M = abs_range(b)
        return m.union(M)
    raise AssertionError(f)  # pragma: no cover


# ----------------------------------------------------------- comparison
def compare(op: str, a, b):
    """Three-valued ``a op b``; undefined operands make it False."""
    if a is UNDEF or b is UNDEF:
        return False
    if a is UNKNOWN or b is UNKNOWN:
        return None
    if isinstance(a, Kind) or isinstance(b, Kind):  # orbit.kind == 'bounded' & co (three-valued)
        kind, wanted = (a, b) if isinstance(a, Kind) else (b, a)
        r = kind.is_(wanted)
        return r if op == "==" else _not(r)
    if isinstance(a, str) or isinstance(b, str):
        eq = a == b
        return eq if op == "==" else (not eq)
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]
    if isinstance(a, Iv) or isinstance(b, Iv):
        r = _compare_iv(op, a, b)
        if r is not None:
            return r
    # probabilities: compare log-odds (exact equivalence: sigmoid is increasing)
    r = _compare_logodds(op, a, b)
    if r is not None:
        return r
    x, y = as_ball(a), as_ball(b)
    if is_special(x) or is_special(y):
        return None
    return _compare_balls(op, x, y)


def _compare_balls(op, x: arb, y: arb):
    if op == "<":
        return True if x < y else (False if x >= y else None)
    if op == "<=":
        return True if x <= y else (False if x > y else None)
    if op == ">":
        return True if x > y else (False if x <= y else None)
    if op == ">=":
        return True if x >= y else (False if x < y else None)
    if op == "==":
        if not x.overlaps(y):
            return False
        if x.is_exact() and y.is_exact() and x == y:
            return True
        return None
    if op == "!=":
        if not x.overlaps(y):
            return True
        if x.is_exact() and y.is_exact() and x == y:
            return False
        return None
    raise AssertionError(op)  # pragma: no cover


def _compare_iv(op, a, b):
    """Exact comparison of an interval with an exact number, when it decides."""
    def lohi(v):
        if isinstance(v, Fraction):
            return v, v
        if isinstance(v, Iv):
            return v.lo, v.hi
        return None
    A, B = lohi(a), lohi(b)
    if A is None or B is None:
        return None
    (alo, ahi), (blo, bhi) = A, B
    if op == "<":
        return True if ahi < blo else (False if alo >= bhi else None)
    if op == "<=":
        return True if ahi <= blo else (False if alo > bhi else None)
    if op == ">":
        return True if alo > bhi else (False if ahi <= blo else None)
    if op == ">=":
        return True if alo >= bhi else (False if ahi < blo else None)
    if op == "==":
        if ahi < blo or bhi < alo:
            return False
        return True if (alo == ahi == blo == bhi) else None
    if op == "!=":
        if ahi < blo or bhi < alo:
            return True
        return False if (alo == ahi == blo == bhi) else None
    return None  # pragma: no cover


def _compare_logodds(op, a, b):
    if not (isinstance(a, Pos) or isinstance(b, Pos)):
        return None
    La = _logodds_for_compare(a)
    Lb = _logodds_for_compare(b)
    if La is None or Lb is None:
        return None
    if isinstance(La, str) or isinstance(Lb, str):  # one side certainly <= 0 or >= 1
        side_a = La if isinstance(La, str) else "in"
        side_b = Lb if isinstance(Lb, str) else "in"
        order = {"low": 0, "in": 1, "high": 2}
        if side_a == side_b:
            return None
        less = order[side_a] < order[side_b]
        return {"<": less, "<=": less, ">": not less, ">=": not less, "==": False, "!=": True}[op]
    r = _compare_balls(op, La, Lb)
    return r


def _logodds_for_compare(v):
    """Log-odds ball of v, or 'low' (v <= 0 certainly) / 'high' (v >= 1), or None."""
    if isinstance(v, Pos):
        return v.L if v.L.is_finite() else None
    if isinstance(v, Fraction):
        if v <= 0:
            return "low"
        if v >= 1:
            return "high"
        return logit_of(v)
    if isinstance(v, Iv):
        if v.hi <= 0:
            return "low"
        if v.lo >= 1:
            return "high"
        L = logit_of(v)
        return None if is_special(L) else L
    b = as_ball(v)
    if is_special(b):
        return None
    if b <= 0:
        return "low"
    if b >= 1:
        return "high"
    L = logit_of(b)
    return None if is_special(L) else L


def _overlap(op, a, b) -> float:
    """How far an undecided comparison is from being decided (a heuristic)."""
    try:
        if isinstance(a, Pos) or isinstance(b, Pos):
            x, y = _logodds_for_compare(a), _logodds_for_compare(b)
            if not isinstance(x, arb) or not isinstance(y, arb):
                x, y = as_ball(a), as_ball(b)
        else:
            x, y = as_ball(a), as_ball(b)
        if is_special(x) or is_special(y) or not (x.is_finite() and y.is_finite()):
            return float("inf")
        if op in ("<", "<="):
            return float(x.upper() - y.lower())
        if op in (">", ">="):
            return float(y.upper() - x.lower())
    except (OverflowError, ValueError):  # pragma: no cover
        return float("inf")
    return _width(a) + _width(b)


def _width(v) -> float:
    try:
        if isinstance(v, Pos):
            return float(v.L.rad())
        if isinstance(v, Iv):
            return float(v.hi - v.lo) / 2
        if isinstance(v, arb):
            return float(v.rad()) if v.is_finite() else float("inf")
        if v is UNKNOWN:
            return float("inf")
    except (OverflowError, ValueError):  # pragma: no cover
        return float("inf")
    return 0.0


# ------------------------------------------------------------ reporting
def show(v, digits: int = 20):
    """A value as text for the evidence."""
    if v is UNDEF:
        return "undefined"
    if v is UNKNOWN:
        return "unknown"
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, str):
        return v
    if isinstance(v, Kind):
        return v.name
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        with mp.workdps(digits + 5):
            s = mp.nstr(mp.mpf(v.numerator) / v.denominator, digits)
        return s if len(str(v)) > 40 else f"{v.numerator}/{v.denominator}"
    if isinstance(v, Iv):
        return f"[{show(v.lo)}, {show(v.hi)}]"
    if isinstance(v, Pos):
        p, q = v.p(), v.q()
        if q < arb(1) / 1000:
            return f"1 - {q.str(digits, radius=True)} (logit {v.L.str(digits, radius=True)})"
        return f"{p.str(digits, radius=True)} (logit {v.L.str(digits, radius=True)})"
    if isinstance(v, arb):
        return v.str(digits, radius=True)
    if isinstance(v, (FPItem, BFPItem)):
        return v.describe()
    return repr(v)


def _describe_scope(scope: dict) -> dict:
    out = {}
    for k, v in scope.items():
        out[k] = v.describe() if isinstance(v, (FPItem, BFPItem)) else show(v)
    return out
