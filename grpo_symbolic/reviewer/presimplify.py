r"""Symbolic pre-simplification of map claims, for branch and bound on wide boxes.

Plain interval evaluation of ``sigmoid(L_ref + 2/(beta*sqrt(1+4*eps))) <= h(p)`` over a box
of ``(beta, eps, p_ref, p)`` never certifies anything: ``L_ref`` and ``1/beta`` appear on
both sides, and interval arithmetic does not know that they are the same numbers (the
*dependency problem*).  This module rewrites each comparison ``a op b`` of a predicate once,
symbolically, into the sign of one expression, and decides that sign on a box with the
tools of interval solvers:

1. **Log-odds and cancellation.**  When both sides are probabilities given through their
   log-odds (``sigmoid(X)``, ``h(x)``, a probability parameter, a constant in (0, 1)), the
   comparison is made in log-odds (``sigmoid`` is strictly increasing), and
   ``D = A - B`` is formed as one SymPy expression, in which shared terms cancel.  The
   example becomes ``D = 2/(beta sqrt(4 eps + 1)) - 1/(beta sqrt(eps + p(1-p)))``.
2. **Sign factorisation.**  ``D`` is put over one denominator and split into factors;
   the sign of ``D`` is the product of the factors' signs, each decided separately (an
   even power is non-negative, ``exp`` is positive, ``U - V`` with ``U, V >= 0`` has the
   sign of ``U^2 - V^2``, simplified once: ``2 sqrt(eps + p(1-p)) - sqrt(4 eps + 1)`` has
   the sign of ``-(2p - 1)^2``).
3. **Monotonicity and the mean-value form.**  For a factor still undecided, its partial
   derivatives (SymPy, once) are enclosed on the box; where one has a fixed sign the factor
   is monotone in that variable and its range is taken at the right end; otherwise the
   mean-value form ``F(box) ⊂ F(mid) + Σ ∂F/∂x_i(box)(box_i - mid_i)`` bounds it.

Soundness.  The rewriting is used on a box only where every quantity of the *original*
comparison is certified to exist there (each ``log`` argument ``> 0``, each ``logit``
argument in (0, 1), each denominator ``!= 0``, each ``sqrt`` argument ``>= 0``): there the
rewritten expression and the original are equal, so a sign certified for one holds for the
other.  A comparison the rewriting cannot express (fixed points, orbits, iterates beyond the
first, ``min``/``max``, the clipped or finite-group map) is left to the plain evaluator.
The SymPy expressions are built by this module from the compiled predicate (never from
text), and every numeric step is an Arb enclosure (:func:`~grpo_symbolic.verify.arbeval.arb_eval`).

>>> from grpo_symbolic.reviewer.language import compile_predicate
>>> f = CmpForms.build(compile_predicate("sigmoid(logit(p_ref) + 2/(beta*sqrt(1+4*eps))) <= h(p)"),
...                    "std", {"alpha": 1})
>>> f.atoms[0].pairs[0].D
2/(beta*sqrt(4*eps + 1)) - 1/(beta*sqrt(eps + p*(1 - p)))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import sympy as sp
from flint import arb

from ..exact.arbutil import arb_prec, to_arb

#: the parameters a reviewer predicate may use, as SymPy symbols with the domain's signs
SYMBOLS = {
    "p_ref": sp.Symbol("p_ref", positive=True), "p0": sp.Symbol("p0", positive=True),
    "p": sp.Symbol("p", positive=True), "beta": sp.Symbol("beta", positive=True),
    "alpha": sp.Symbol("alpha", nonnegative=True), "eps": sp.Symbol("eps", nonnegative=True),
}
PROB = ("p_ref", "p0", "p")
#: SymPy work per comparison is bounded: expressions larger than this are not rewritten
MAX_OPS = 400
POS, ZERO, NEG = 1, 0, -1
ALL = frozenset((NEG, ZERO, POS))


class Unsupported(Exception):
    """A part of the predicate that the rewriting does not express."""


# ------------------------------------------------------------------ the map
@lru_cache(maxsize=4)
def _omega(norm: str):
    """``Omega(p)`` of the kernel's derivation 1 (``symbolic.weights``), in ``SYMBOLS``."""
    from ..symbolic import symbols as S
    from ..symbolic.weights import weights

    return weights(norm).result["Omega"].xreplace({S.p: SYMBOLS["p"], S.eps: SYMBOLS["eps"]})


def _logit(x):
    return sp.log(x) - sp.log(1 - x)


def _sigmoid(X):
    return 1 / (1 + sp.exp(-X))


class _Sym:
    """SymPy forms of the nodes of one predicate, with the conditions under which each
    quantity exists (collected in ``conds`` as ``(expr, relation)``)."""

    def __init__(self, norm: str, fixed: dict):
        self.norm = norm
        self.sub = {SYMBOLS[k]: sp.Rational(Fraction(v).numerator, Fraction(v).denominator)
                    for k, v in fixed.items() if k in SYMBOLS and isinstance(v, (int, Fraction))}
        self.conds: list = []

    def sym(self, name):
        s = SYMBOLS[name]
        return self.sub.get(s, s)

    def G(self, x, L=None):
        """The log-odds of ``h(x)`` (``L`` = log-odds of ``x`` when known)."""
        a, b = self.sym("alpha"), self.sym("beta")
        om = _omega(self.norm).xreplace({SYMBOLS["p"]: x, SYMBOLS["eps"]: self.sym("eps")})
        L = _logit(x) if L is None else L
        return a * _logit(self.sym("p_ref")) + (1 - a) * L + om / b

    # a node -> (value, log-odds or None)
    def node(self, n):
        k = n.kind
        if k == "const":
            if n.type not in ("num", "int"):
                raise Unsupported(n.src)
            v = sp.Rational(n.value.numerator, n.value.denominator)
            return v, (_logit(v) if 0 < v < 1 else None)
        if k == "name":
            if n.value not in SYMBOLS or n.type != "num":
                raise Unsupported(n.src)
            s = self.sym("p_ref" if n.value == "p0" and self._p0_is_pref else n.value)
            return s, (_logit(s) if n.value in PROB else None)
        if k == "neg":
            return -self.value(n.args[0]), None
        if k == "bin":
            return self.binop(n), None
        if k == "call":
            return self.call(n)
        raise Unsupported(n.src)

    _p0_is_pref = True

    def value(self, n):
        return self.node(n)[0]

    def binop(self, n):
        a = self.value(n.args[0])
        if n.value == "**":
            k = n.args[1].value
            if k.denominator != 1:
                self.conds.append((a, ">=" if k > 0 else ">"))
            elif k < 0:
                self.conds.append((a, "!="))
            return a ** sp.Rational(k.numerator, k.denominator)
        b = self.value(n.args[1])
        if n.value == "/":
            self.conds.append((b, "!="))
            return a / b
        return {"+": a + b, "-": a - b, "*": a * b}[n.value]

    def call(self, n):
        f = n.value
        if f in ("p_n", "L_n"):
            return self.iterate(n)
        x = self.value(n.args[0])
        if f in ("h", "dh"):
            self.conds += [(x, ">"), (1 - x, ">")]
            G = self.G(x)
            if f == "h":
                return _sigmoid(G), G
            t = sp.Dummy("t", positive=True)
            return sp.diff(_sigmoid(self.G(t)), t).xreplace({t: x}), None
        if f in ("g", "dg"):
            t = sp.Dummy("t", real=True)
            gt = self.G(_sigmoid(t), L=t)
            return (gt.xreplace({t: x}) if f == "g" else sp.diff(gt, t).xreplace({t: x})), None
        if f == "logit":
            self.conds += [(x, ">"), (1 - x, ">")]
            return _logit(x), None
        if f == "sigmoid":
            return _sigmoid(x), x
        if f == "sqrt":
            self.conds.append((x, ">="))
            return sp.sqrt(x), None
        if f == "exp":
            return sp.exp(x), None
        if f == "log":
            self.conds.append((x, ">"))
            return sp.log(x), None
        if f == "abs":
            return sp.Abs(x), None
        raise Unsupported(n.src)

    def iterate(self, n):
        """``p_n(0)``, ``p_n(1)``, ``L_n(0)``, ``L_n(1)`` (deeper iterates are left to Arb)."""
        k = n.args[0] if n.args else None
        if k is None or k.kind != "const" or k.value not in (0, 1):
            raise Unsupported(n.src)
        x0 = self.sym("p_ref" if self._p0_is_pref else "p0")
        L = _logit(x0) if k.value == 0 else self.G(x0)
        if n.value == "L_n":
            return L, None
        return (x0 if k.value == 0 else _sigmoid(L)), L


# --------------------------------------------------------------- the forms
@dataclass
class Pair:
    """``a op b`` as ``D op 0``, with ``D`` split into factors and the existence conditions."""

    op: str
    D: object
    factors: list  # [(base, exponent)] with D = prod base**exponent
    conds: list
    grads: dict = field(default_factory=dict)  # base -> {symbol: derivative}
    squares: dict = field(default_factory=dict)  # base U - V -> U^2 - V^2 (simplified)


@dataclass
class Atom:
    node: object  # the comparison node of the predicate
    pairs: list  # one Pair per adjacent comparison of a chain


@dataclass
class CmpForms:
    """The rewritten comparisons of one predicate for one norm and fixed parameter values."""

    atoms: list
    free: tuple  # the SymPy symbols left free (the box dimensions)

    @classmethod
    def build(cls, pred, norm: str, fixed: dict, p0_is_p_ref: bool = True) -> "CmpForms":
        atoms = []
        for node in _comparisons(pred.root):
            try:
                atoms.append(Atom(node, [_pair(node, i, norm, fixed, p0_is_p_ref)
                                         for i in range(len(node.value))]))
            except (Unsupported, TypeError, ValueError, ZeroDivisionError, RecursionError):
                continue
        free = set()
        for a in atoms:
            for pr in a.pairs:
                free |= pr.D.free_symbols
        return cls(atoms, tuple(sorted(free, key=str)))

    def truth(self, node, box: dict, bits: int = 128):
        """True / False / None for comparison ``node`` over ``box`` (symbol name -> (lo, hi)
        exact ends, or an exact value); None also when ``node`` has no rewritten form."""
        atom = next((a for a in self.atoms if a.node is node), None)
        if atom is None:
            return None
        out = True
        for pr in atom.pairs:
            t = _pair_truth(pr, box, bits)
            if t is False:
                return False
            if t is None:
                out = None
        return out


def truth(root, forms: CmpForms, box: dict, plain, bits: int = 128):
    """Kleene truth of the predicate ``root`` over ``box``: each comparison by its rewritten
    form, or by ``plain(node)`` (the ordinary evaluator) where that is undecided."""
    k = root.kind
    if k == "cmp":
        t = forms.truth(root, box, bits)
        return plain(root) if t is None else t
    if k == "not":
        t = truth(root.args[0], forms, box, plain, bits)
        return None if t is None else not t
    if k == "bool":
        stop = root.value == "or"
        out = not stop
        for a in root.args:
            t = truth(a, forms, box, plain, bits)
            if t is stop:
                return stop
            if t is None:
                out = None
        return out
    return plain(root)


def failures(forms: CmpForms, point: dict, bits: int = 128) -> list:
    """The rewritten comparisons certainly false at an exact ``point``, for the report:
    ``{"atom", "rewritten", "sign"}`` (``sign`` of ``D``: ``0`` when the two sides are equal)."""
    out = []
    for atom in forms.atoms:
        for pr in atom.pairs:
            if _pair_truth(pr, point, bits) is False:
                s = _pair_signs(pr, point, bits)
                out.append({"atom": atom.node.src, "rewritten": f"{pr.D} {pr.op} 0",
                            "sign": "/".join({NEG: "< 0", ZERO: "= 0", POS: "> 0"}[x] for x in sorted(s))})
    return out


def _comparisons(n):
    if n.kind == "cmp":
        yield n
    elif n.kind in ("bool", "not"):
        for a in n.args:
            yield from _comparisons(a)


def _pair(node, i, norm, fixed, p0_is_p_ref) -> Pair:
    s = _Sym(norm, fixed)
    s._p0_is_pref = p0_is_p_ref
    (a, La), (b, Lb) = s.node(node.args[i]), s.node(node.args[i + 1])
    D = (La - Lb) if (La is not None and Lb is not None) else (a - b)
    if sp.count_ops(D) > MAX_OPS:
        raise Unsupported("too large")
    num, den = sp.fraction(sp.together(D))
    factors = _factors(num, 1) + _factors(den, -1)
    pr = Pair(node.value[i], D, factors, s.conds)
    for base, _ in factors:
        pr.grads[base] = {x: sp.diff(base, x) for x in base.free_symbols}
        sq = _square_difference(base)
        if sq is not None:
            pr.squares[base] = sq
    return pr


def _factors(e, sign):
    """``e`` as ``[(base, exponent)]``: its multiplicative factors (exponent ``sign * k``)."""
    out = []
    for f in sp.Mul.make_args(sp.factor_terms(e)):
        base, k = f.as_base_exp()
        if not (k.is_Integer or k.is_Rational):
            base, k = f, sp.Integer(1)
        out.append((base, k * sign))
    return out


def _square_difference(base):
    """For ``base = U - V`` (two terms of which the negative one is ``-V``): the simplified
    ``U^2 - V^2``, whose sign is that of ``base`` wherever ``U, V >= 0``."""
    if not base.is_Add or len(base.args) != 2:
        return None
    u, v = base.args
    if u.could_extract_minus_sign() == v.could_extract_minus_sign():
        return None
    if u.could_extract_minus_sign():
        u, v = v, u
    v = -v
    if not any(isinstance(t, sp.Pow) and t.exp.is_Rational and not t.exp.is_Integer
               for t in sp.preorder_traversal(base)):
        return None  # squaring helps only to remove square roots
    try:
        return u, v, sp.factor(sp.expand(u ** 2 - v ** 2))
    except (sp.PolynomialError, RecursionError):
        return None


# ------------------------------------------------------------------ signs
def _env(box: dict):
    env = {}
    for name, v in box.items():
        if name not in SYMBOLS:
            continue
        if isinstance(v, tuple):
            lo, hi = v
            b = to_arb(lo).union(to_arb(hi))
            env[SYMBOLS[name]] = b.nonnegative_part() if lo >= 0 else b
        else:
            env[SYMBOLS[name]] = to_arb(Fraction(v))
    return env


def _ball(e, env):
    from ..verify.arbeval import NotEvaluable, hull_eval

    try:
        b = hull_eval(e, env)
    except (NotEvaluable, ZeroDivisionError, ValueError, TypeError):
        return None
    return b if isinstance(b, arb) and b.is_finite() else None


def signs_of(b) -> frozenset:
    """The signs a ball may take."""
    if b is None:
        return ALL
    if b > 0:
        return frozenset((POS,))
    if b < 0:
        return frozenset((NEG,))
    if b == 0:
        return frozenset((ZERO,))
    if b >= 0:
        return frozenset((ZERO, POS))
    if b <= 0:
        return frozenset((NEG, ZERO))
    return ALL


def _sign(e, env, box, pr: Pair | None = None, depth: int = 0) -> frozenset:
    """The signs ``e`` may take on the box (see the module docstring)."""
    if e.is_Number:
        return signs_of(arb(0) if e == 0 else (arb(1) if e > 0 else arb(-1)))
    if isinstance(e, sp.exp):
        return frozenset((POS,))
    if e.is_Mul and depth < 8:
        out = frozenset((POS,))
        for a in e.args:
            out = _mul_signs(out, _sign(a, env, box, None, depth + 1))
        return out
    if e.is_Pow and e.exp.is_Rational and depth < 8:
        return _pow_signs(_sign(e.base, env, box, None, depth + 1), e.exp)
    s = signs_of(_ball(e, env))
    if len(s) > 1 and pr is not None and e in pr.squares:
        s = s & _square_signs(pr.squares[e], env, box)
    if len(s) > 1 and pr is not None and e in pr.grads:
        s = s & signs_of(_refined(e, pr.grads[e], env, box))
    return s


def _pow_signs(s, k) -> frozenset:
    """The signs of ``x**k`` for ``x`` of signs ``s``, where the power exists (the existence
    conditions of the comparison are certified before any sign is used)."""
    if k.is_Integer and int(k) % 2 == 0:
        s = frozenset(abs(x) for x in s)
    elif not k.is_Integer:
        s = frozenset((POS,)) if s == {POS} else frozenset((ZERO, POS))
    if k < 0:
        s = s - {ZERO}  # a denominator or a negative power: nonzero where it exists
    return s or ALL


def _mul_signs(a, b):
    return frozenset(x * y for x in a for y in b)


def _square_signs(sq, env, box):
    u, v, d = sq
    if signs_of(_ball(u, env)) <= {ZERO, POS} and signs_of(_ball(v, env)) <= {ZERO, POS}:
        return _sign(d, env, box, None, 1)
    return ALL


def _refined(e, grads, env, box):
    """An enclosure of ``e`` on the box by monotonicity in each variable whose partial
    derivative has a fixed sign, intersected with the mean-value form."""
    lo_env, hi_env, mid_env = dict(env), dict(env), dict(env)
    mv = None
    terms = []
    for x, d in grads.items():
        name = str(x)
        if name not in box or not isinstance(box[name], tuple):
            continue
        lo, hi = box[name]
        m = (lo + hi) / 2
        mid_env[x] = to_arb(m)
        db = _ball(d, env)
        s = signs_of(db)
        if s <= {ZERO, POS}:
            lo_env[x], hi_env[x] = to_arb(lo), to_arb(hi)
        elif s <= {NEG, ZERO}:
            lo_env[x], hi_env[x] = to_arb(hi), to_arb(lo)
        if db is not None:
            terms.append(db * (env[x] - to_arb(m)))
        else:
            terms = None
    bounds = []
    a, b = _ball(e, lo_env), _ball(e, hi_env)
    if a is not None and b is not None:
        bounds.append(a.union(b))
    fm = _ball(e, mid_env)
    if terms is not None and fm is not None:
        mv = fm
        for t in terms:
            mv = mv + t
        bounds.append(mv)
    if not bounds:
        return None
    out = bounds[0]
    for b in bounds[1:]:
        out = out.intersection(b) if _overlaps(out, b) else out
    return out


def _overlaps(a, b):
    return not (a < b or a > b)


#: existence conditions that the claim's domain guarantees (a probability parameter in (0, 1))
_IN_DOMAIN = frozenset([SYMBOLS[k] for k in PROB] + [1 - SYMBOLS[k] for k in PROB])

_OK = {"<": {NEG}, "<=": {NEG, ZERO}, ">": {POS}, ">=": {POS, ZERO}, "==": {ZERO}, "!=": {NEG, POS}}


def _pair_signs(pr: Pair, box: dict, bits: int):
    """The signs ``D`` may take on the box, or None where a quantity of the original
    comparison may not exist (then the rewriting says nothing)."""
    with arb_prec(bits):
        env = _env(box)
        for e, rel in pr.conds:
            if rel == ">" and e in _IN_DOMAIN:
                continue  # p > 0 and 1 - p > 0 hold on the domain, whatever the box's closure
            if not signs_of(_ball(e, env)) <= {">": {POS}, ">=": {POS, ZERO}, "!=": {NEG, POS}}[rel]:
                return None
        s = frozenset((POS,))
        for base, k in pr.factors:
            s = _mul_signs(s, _pow_signs(_sign(base, env, box, pr), k))
    return s


def _pair_truth(pr: Pair, box: dict, bits: int):
    s = _pair_signs(pr, box, bits)
    if s is None:
        return None
    ok = _OK[pr.op]
    if s <= ok:
        return True
    if not (s & ok):
        return False
    return None


# --------------------------------------------------- refutation-seeking search
#: compass-search iterations per comparison and start points per box
SEEK_STEPS = 60
SEEK_STARTS = 3


def violators(forms: CmpForms, box: dict, seed: int) -> list:
    """Points of ``box`` (name -> (lo, hi)) where a rewritten comparison ``D op 0`` looks most
    violated: a compass search on ``D`` in floating point (mpmath, 30 digits) from the middle
    and from seeded random starts.  Only proposals: the caller decides each one exactly."""
    import random

    import mpmath as mp

    from ..verify.arbeval import mp_func

    rng = random.Random(seed)
    names = [k for k, v in box.items() if k in SYMBOLS and isinstance(v, tuple) and v[0] < v[1]]
    out = []
    for atom in forms.atoms:
        for pr in atom.pairs:
            sign = {"<": 1, "<=": 1, ">": -1, ">=": -1, "==": 0}.get(pr.op)
            if sign is None or not names:
                continue
            f = mp_func(pr.D, [SYMBOLS[k] for k in names])

            def score(x, f=f, sign=sign):
                try:
                    with mp.workdps(30):
                        d = f(*x)
                        v = float(abs(d)) if sign == 0 else float(sign * d)
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    return -math.inf
                return v if math.isfinite(v) else -math.inf
            lo = [float(box[k][0]) for k in names]
            hi = [float(box[k][1]) for k in names]
            starts = [[(a + b) / 2 for a, b in zip(lo, hi)]]
            starts += [[a + rng.random() * (b - a) for a, b in zip(lo, hi)] for _ in range(SEEK_STARTS - 1)]
            for x in starts:
                x, v = _compass(score, x, lo, hi)
                if v > 0:
                    out.append(dict(zip(names, x)))
    return out


def _compass(score, x, lo, hi):
    """Maximise ``score`` from ``x`` inside the box by coordinate steps that halve on failure."""
    best = score(x)
    step = [(b - a) / 4 for a, b in zip(lo, hi)]
    for _ in range(SEEK_STEPS):
        moved = False
        for i in range(len(x)):
            for d in (step[i], -step[i]):
                y = list(x)
                y[i] = min(hi[i], max(lo[i], y[i] + d))
                v = score(y)
                if v > best:
                    x, best, moved = y, v, True
        if not moved:
            step = [s / 2 for s in step]
    return x, best
