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
from .language import SUP_BOXES, Node, Predicate
from .values import (UNDEF, UNKNOWN, BallMap, ClippedBallMap, Ext, Iv, Pos, _exact, as_ball, div, endpoints,
                     ext_add, ext_cmp, ext_div, ext_monotone, ext_mul, ext_neg, finite_or_unknown, is_special,
                     logit_of, monotone, mul, pow_int, safe_exp)

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
        #: why the last unbounded quantifier (count(...)) stayed undecided, in words (None: it did not)
        self.reason: str | None = None

    @property
    def group(self):
        """``(G, convention)`` of the finite-group weights, or None (population weights)."""
        G = self.values.get("group_size")
        if G is None:
            return None
        conv = self.values.get("convention") or ("mean" if self.norm == "mean" else "paper")
        return int(G), conv

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
                                           v.get("clip_high", v["clip_low"]), self.group)
            else:
                self._map = BallMap(self.norm, v["beta"], v["alpha"], v["eps"], v["p_ref"], self.group)
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


#: first explicit prefix of a count(...) quantifier; it doubles while the tail is undecided
COUNT_PREFIX = 64
#: boxes per invariant piece when evaluating a tail
TAIL_BOXES = 64
#: longest explicit prefix before a tail certificate entered late (and its work limit, in steps)
MAX_PREFIX = 20_000
PREFIX_WORK = 2_000_000
#: the prefix doubles up to this length while the tail is undecided (without any trap: p_n -> 1,
#: an unresolved orbit, up to NO_TRAP_PREFIX)
MAX_DOUBLING = 4096
NO_TRAP_PREFIX = 1024


def outer_fractions(b: arb) -> tuple[Fraction, Fraction]:
    """Exact rationals ``lo <= b <= hi`` (``arb.lower()`` is itself rounded to the working
    precision, so its radius is taken outwards)."""
    lo, hi = b.lower(), b.upper()
    return (arb_mid_fraction(lo) - arb_mid_fraction(lo.rad()), arb_mid_fraction(hi) + arb_mid_fraction(hi.rad()))


def evaluate(pred: Predicate, env: Env):
    with arb_prec(env.bits):
        return _Eval(env).cond(pred.root, {})


def evaluate_number(expr, values: dict, bits: int = 128, norm: str = "std"):
    """The value of a compiled number expression (:func:`~.language.compile_expression`, e.g. a
    linked parameter ``alpha = "10/(10+beta)"``) for parameter values that are Fractions (then
    the result is an exact Fraction: the expression is rational) or intervals :class:`Iv`
    (then an Arb ball enclosing its range); UNDEF for a division by zero.

    >>> from grpo_symbolic.reviewer.language import compile_expression
    >>> evaluate_number(compile_expression("10/(10+beta)", ("beta",)), {"beta": Fraction(5)})
    Fraction(2, 3)
    """
    with arb_prec(bits):
        return _Eval(Env(norm, values, bits)).value(expr.root, {})


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
        self._lets: dict = {}  # let name -> value (closed expressions: one value per evaluation)

    def let(self, n: Node, how):
        """The value of a ``let`` reference, computed once per evaluation."""
        if n.value not in self._lets:
            self._lets[n.value] = how(n.args[0], {})
        return self._lets[n.value]

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
        if k == "attr":  # fp.stable / bfp.stable; a missing item is not stable (False), unknown is None
            v = self.attr(n, scope)
            return False if v is UNDEF else (None if v is UNKNOWN else v)
        if k == "quant":
            return self.quant(n, scope)
        if k == "let":
            return self.let(n, self.cond)
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
        """``all/any(... for n in count(a))``: an explicit prefix ``a <= n < D``, then the tail
        ``n >= D`` certified on a set that holds every ``L_{n + cmin}``, ``n >= D``.

        The sets come from the engine (:meth:`PointEngine.tail`: a forward-invariant trap entered
        at ``n0``, each piece mapped into the next) pushed forward by ``j = D + cmin - n0`` steps
        of the map: if ``L_m`` lies in the pieces ``P`` for every ``m >= n0``, then ``L_m`` lies in
        the Arb images ``g^j(P)`` for every ``m >= n0 + j`` (no invariance of the images is
        needed).  While the tail is undecided the prefix doubles (``D = a + 64, a + 128, ...``)
        within the work budget (:data:`MAX_PREFIX`, :data:`PREFIX_WORK`), so a claim that first
        fails at ``n = 101`` is refuted there, and a shrinking image eventually decides a body
        that holds near the limit.  In the tail ``n`` itself is the ray ``[D, +inf)``
        (:class:`~.values.Ext`).  When the quantifier stays unknown, ``env.reason`` says why."""
        func = n.value
        var, src = n.gens[0]
        a = src.value
        cmin, _ = n.bounds
        eng = self.engine()
        st = {"out": True if func == "all" else False, "done": a, "unknown_at": None}
        want = func == "all"  # the tail value that settles the quantifier

        def settled():
            return (func == "all" and st["out"] is False) or (func == "any" and st["out"] is True)

        def prefix(stop):
            for k in range(st["done"], stop):
                as_all, as_any = self._one(n, {**scope, var: Fraction(k)})
                c = as_all if func == "all" else as_any
                if c is None and st["unknown_at"] is None:
                    st["unknown_at"] = k
                st["out"] = _merge(st["out"], c, func)
                st["done"] = k + 1
                if settled():
                    return True
            st["done"] = max(st["done"], stop)
            return False
        work = max(1, n.work)
        limit = a + max(COUNT_PREFIX, min(MAX_PREFIX, PREFIX_WORK // work))  # a late trap entry
        traps = [t for t in (eng.tail(s) for s in range(4)) if t is not None]
        # an undecided tail: the prefix doubles (shorter without a trap: it can only refute)
        doubling = a + max(COUNT_PREFIX, min(MAX_DOUBLING if traps else NO_TRAP_PREFIX, PREFIX_WORK // work))
        images: dict = {}
        stop, tried = a + COUNT_PREFIX, []
        while True:
            if prefix(stop):
                return st["out"]
            D = st["done"]
            entered = [i for i, (n0, _) in enumerate(traps) if n0 - cmin <= D]
            if entered and st["unknown_at"] is None:
                # each trap itself once (from its entry on), then the images of the smallest
                # trap already entered, pushed forward to the end of the prefix
                trials = [(i, 0) for i in entered if ("raw", i) not in images]
                best = max(entered, key=lambda i: traps[i][0])
                if D + cmin - traps[best][0] > 0:
                    trials.append((best, D + cmin - traps[best][0]))
                for i, j in trials:
                    n0, pieces = traps[i]
                    if j == 0:
                        images[("raw", i)] = True
                        sets, ray = pieces, max(a, n0 - cmin)
                    else:
                        sets, ray = self._images(images, i, pieces, j), D
                    t = None if sets is None else self._tail_truth(n, scope, var, cmin, sets, ray)
                    tried.append((n0, j, t))
                    if t is want:
                        return _merge(st["out"], t, func)
                    if t is (not want):  # the body decides against the claim on the whole tail
                        if prefix(ray + 1):  # ... from n = ray on: name that n
                            return st["out"]
                        return _merge(st["out"], t, func)
            nxt = a + 2 * (stop - a)
            if nxt > doubling:
                later = [n0 - cmin for n0, _ in traps if D < n0 - cmin <= limit]
                if not later or st["unknown_at"] is not None or stop >= limit:
                    break
                nxt = min(later)
            stop = min(nxt, limit)
        self.env.reason = self._tail_reason(eng, traps, tried, st, limit if traps else doubling)
        return _merge(st["out"], None, func)

    def _images(self, cache: dict, i: int, pieces, j: int):
        """The Arb images ``g^j(P)`` of the pieces of trap ``i`` (cached: ``j`` only grows)."""
        k, cur = cache.get(i, (0, list(pieces)))
        m = self.env.map()
        while k < j and cur is not None:
            nxt = [m.g_L(P) for P in cur]
            cur = None if any(is_special(P) for P in nxt) else nxt
            k += 1
        cache[i] = (k, cur)
        return cur

    def _tail_reason(self, eng, traps, tried, st, limit) -> str:
        """Why the tail of a count(...) quantifier stays undecided, in words."""
        D = st["done"]
        if st["unknown_at"] is not None:
            return (f"the body is unknown at n = {st['unknown_at']} of the explicit prefix (Arb precision), "
                    f"so the claim cannot be decided there")
        if not traps:
            o = eng.orbit()
            kind = o.kind if isinstance(o.kind, str) else None
            if kind == "to_one":
                why = "p_n -> 1, so no bounded set traps the orbit"
            elif kind is None:
                why = f"the orbit is unresolved ({o.note or 'no certificate'}), so there is no trap"
            else:
                why = f"no forward-invariant trap was certified around the orbit's {kind} limit set"
            return f"{why}; the prefix n < {D} holds (its budget: n < {limit})"
        last = tried[-1] if tried else None
        entry = min(t[0] for t in traps)
        if last is None:
            return (f"the orbit enters its trap at step {entry}, after the prefix budget (n < {limit}) ran out")
        pushed = max(t[1] for t in tried)
        return (f"the body is neither certainly true nor certainly false on the trap (entered at step {entry}, "
                f"pushed up to {pushed} steps forward); budget exhausted at n = {D} (prefix n < {D} holds)")

    def _tail_truth(self, n: Node, scope, var, cmin, pieces, start):
        """The contribution of the whole tail ``n >= start``: ``x = L_{n + cmin}`` ranges over the
        pieces (bisected, largest boxes first) and ``n`` over the ray ``[start, +inf)``.  ``True``
        if the guarded body holds for every such ``(x, n)``, ``False`` if it fails for every one
        (the tail is not empty), otherwise None: the orbit need not visit every x, so a mixed
        answer decides nothing."""
        func = n.value
        seen = set()
        saved, trace = self.env.tail_x, self.env.trace
        self.env.trace = None  # a mixed tail is no evidence; a deciding one is named by the prefix
        ray = Ext.ray(start)
        try:
            for piece in pieces:
                lo, hi = outer_fractions(piece)
                heap = [(-(hi - lo), 0, lo, hi)]
                counter, used = 1, 0
                while heap:
                    _, _, u, v = heapq.heappop(heap)
                    used += 1
                    self.env.tail_x = (cmin, to_arb(u).union(to_arb(v)), {})
                    as_all, as_any = self._one(n, {**scope, var: ray})
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
            self.env.tail_x, self.env.trace = saved, trace
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
        if k == "supinf":
            return self.supinf(n, scope)
        if k == "index":
            return _index(self.collection(n.args[0], scope), n.value)
        if k == "let":
            return self.let(n, self.value)
        if k == "len":
            coll = self.collection(n.args[0], scope)
            if not coll.complete or any(m is None for m in coll.member):
                return UNKNOWN
            return Fraction(sum(1 for m in coll.member if m))
        if k in ("coll", "cmp", "bool", "not"):
            raise AssertionError(f"not a number: {k}")  # pragma: no cover
        raise AssertionError(f"unknown node {k}")  # pragma: no cover

    def supinf(self, n: Node, scope):
        """An enclosure of ``sup`` (``inf``) of the body over ``p`` in the node's range, by branch and
        bound on ``p``: the lower end is the best value certainly reached at an exact point (any
        point's value is <= sup), the upper end the largest upper bound over the boxes left
        (boxes certainly below the best point are dropped).  A box the evaluator cannot bound keeps
        the upper end infinite (an :class:`~.values.Ext` ray)."""
        lo, hi, open_ = n.bounds
        sign = 1 if n.value == "sup" else -1

        def f(x):
            v = as_ball(self.value(n.args[0], {**scope, "p": x})) if not isinstance(x, Ext) else UNKNOWN
            return None if is_special(v) else sign * v

        best = None  # a certified lower bound of sign * sup
        heap, counter, inf_box = [], 0, False

        def push(a, b):
            nonlocal counter, inf_box, best
            m = (a + b) / 2
            pv = f(m)
            if pv is not None:
                best = pv.lower() if best is None else best.max(pv.lower())
            bv = f(Iv(a, b))
            if bv is None:
                inf_box = inf_box or (a, b) != (lo, hi)
                heapq.heappush(heap, (-float("inf"), counter, a, b, None))
            else:
                heapq.heappush(heap, (-float(bv.upper()), counter, a, b, bv.upper()))
            counter += 1
        push(lo, hi)
        for _ in range(SUP_BOXES // 2):
            if not heap:
                break
            _, _, a, b, up = heapq.heappop(heap)
            if up is not None and best is not None and up < best:
                continue  # certainly below a value reached: not where the sup is
            m = _split_p(a, b)
            push(a, m)
            push(m, b)
        ups = [u for _, _, _, _, u in heap if not (u is not None and best is not None and u < best)]
        top = None if (not ups or any(u is None for u in ups)) else ups[0]
        for u in ups[1:]:
            if top is not None and u is not None:
                top = top.max(u)
        if best is None and top is None:
            return UNKNOWN
        from .values import _make_ext

        v = _make_ext(best, top)
        if sign == 1:
            return v
        return neg(v)

    def collection(self, n: Node, scope) -> Coll:
        if n.kind == "coll":
            return self.engine().collection(n.value)
        if n.kind == "attr" and n.value == "points":
            return self.orbit().points
        if n.kind == "let":
            return self.let(n, self.collection)
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
        if is_special(item):  # fixed_points[5] of a shorter collection, or an unknown one
            return item
        if isinstance(item, (FPItem, BFPItem)):
            return item.attr(n.value)
        raise AssertionError("attribute of a non-item")  # pragma: no cover

    def call(self, n: Node, scope):
        f = n.value
        if f in ("p_n", "L_n") and n.offset is not None:  # p_n(n + c) under count(...)
            k = scope.get(n.args[0].value)
            if isinstance(k, Ext):  # the whole tail n >= N
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


def _index(coll: Coll, k: int):
    """The ``k``-th member (``k < 0`` from the end) of a collection in increasing order; UNKNOWN
    unless the collection is complete, every membership known and the order certain (the
    members' enclosures disjoint); UNDEF (it does not exist) out of range."""
    if not coll.complete or any(m is None for m in coll.member):
        return UNKNOWN
    items = [it for it, m in zip(coll.items, coll.member) if m]
    if not -len(items) <= k < len(items):
        return UNDEF
    keyed = []
    for it in items:
        lo, hi = _order_key(it)
        if lo is None:
            return UNKNOWN
        keyed.append((lo, hi, it))
    keyed.sort(key=lambda t: t[0])
    for (_, hi, _), (lo, _, _) in zip(keyed, keyed[1:]):
        if not hi < lo:
            return UNKNOWN  # overlapping enclosures: the order is not certain
    return keyed[k][2]


def _order_key(it):
    """Exact ``(lo, hi)`` bounds of a member's position on the line (log-odds or value)."""
    if isinstance(it, FPItem):
        return it.lo, it.hi
    if isinstance(it, BFPItem):
        return Fraction(it.p), Fraction(it.p)
    if isinstance(it, Fraction):
        return it, it
    L = it.L if isinstance(it, Pos) else None
    if L is None or not L.is_finite():
        return None, None
    return arb_mid_fraction(L.lower()), arb_mid_fraction(L.upper())


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
    if isinstance(a, Ext):
        return ext_neg(a)
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
    if isinstance(a, Ext) or isinstance(b, Ext):
        return {"+": ext_add, "-": lambda x, y: ext_add(x, neg(y)), "*": ext_mul, "/": ext_div}[op](a, b)
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
    if isinstance(a, Ext):
        return _ext_power(a, k)
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


def _ext_power(a: Ext, k: Fraction):
    """``a ** k`` on ``[lo, +inf)`` with ``lo > 0`` (monotone); UNKNOWN otherwise."""
    if a.lo is None or not a.lo > 0 or a.hi is not None:
        return UNKNOWN
    kb = to_arb(k)
    f = lambda t: (kb * t.log()).exp()  # noqa: E731
    if k > 0:
        return ext_monotone(a, f, None, None)
    if k == 0:
        return Fraction(1)
    top = f(a.lo)  # decreasing: (0, lo^k]
    return finite_or_unknown(arb(0).union(top.upper())) if top.is_finite() else UNKNOWN


def _ext_elementary(f: str, x: Ext):
    """Monotone functions of an unbounded value (the tail variable); UNKNOWN for the rest."""
    if f == "sqrt" and x.lo is not None and x.lo >= 0:
        return ext_monotone(x, lambda t: t.sqrt(), None, None)
    if f == "log" and x.lo is not None and x.lo > 0:
        return ext_monotone(x, lambda t: t.log(), None, None)
    if f == "exp" and all(e is None or abs(e) < EXP_BOUND for e in (x.lo, x.hi)):
        return ext_monotone(x, lambda t: t.exp(), arb(0), None)
    if f == "sigmoid":
        lo = arb(0) if x.lo is None else (1 / (1 + (-x.lo).exp())).lower()
        hi = arb(1) if x.hi is None else (1 / (1 + (-x.hi).exp())).upper()
        return finite_or_unknown(lo.union(hi))
    if f == "abs":
        if x.lo is not None and x.lo >= 0:
            return x
        if x.hi is not None and x.hi <= 0:
            return ext_neg(x)
        return Ext(arb(0), None)
    return UNKNOWN


#: exp of an unbounded value is carried only from a moderate finite end
EXP_BOUND = 2**20


def elementary(f: str, x):
    if is_special(x):
        return x
    if isinstance(x, Ext):
        return _ext_elementary(f, x)
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
    if isinstance(a, Ext) or isinstance(b, Ext):
        return ext_cmp(op, a, b)
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
    if isinstance(v, Ext):
        lo = "-inf" if v.lo is None else v.lo.str(digits)
        hi = "+inf" if v.hi is None else v.hi.str(digits)
        return f"[{lo}, {hi}{')' if v.hi is None else ']'}"
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


def _split_p(a: Fraction, b: Fraction) -> Fraction:
    """Where to bisect ``[a, b]`` of p: geometrically towards an end at 0 or 1 (where the map's
    log-odds diverge), else the middle."""
    if a == 0 and b > 0:
        return b / 16 if b <= Fraction(1, 2) else (a + b) / 2
    if b == 1 and a < 1:
        return 1 - (1 - a) / 16 if a >= Fraction(1, 2) else (a + b) / 2
    return (a + b) / 2
