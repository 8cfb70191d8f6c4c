r"""The predicate language: Python expression syntax, checked against a whitelist.

The text is parsed with ``ast.parse(mode="eval")`` and **never** evaluated by
Python: a walk over the syntax tree accepts only the constructs listed below and
compiles them to this module's own node classes (:class:`Node`), which
:mod:`.evaluate` interprets with Arb balls.  Anything else — attribute access
outside the listed ones, calls to unknown names, lambdas, subscripts, dunder names,
comprehensions over anything but the listed collections, keyword arguments,
f-strings, walrus, ... — is rejected with a one-line :class:`PredicateError` naming
the offending construct and its line.

Grammar (informally)::

    expr   := expr or expr | expr and expr | not expr
            | arith (CMP arith)+            CMP: < <= > >= == !=  (chains allowed)
            | all(GEN) | any(GEN) | fp.stable | True | False
    arith  := arith (+ - * /) arith | -arith | arith ** CONST | NUMBER | NAME
            | FUNC(arith) | min(...) | max(...) | len(COLL) | ITEM.attr | orbit.attr
            | COLL[INT] | COLL[INT].attr    (INT a constant; -1 is the last member)
    GEN    := expr for VAR in SOURCE [for VAR in SOURCE]... [if expr]...
    SOURCE := range(INT[, INT]) | fixed_points | stable_fixed_points
            | unstable_fixed_points | boundary_fixed_points | orbit.points
            | count(INT)          (n = a, a+1, ...: "for all n >= a"; the only generator
                                   of an all/any; n indexes iterates only as p_n(n + c),
                                   L_n(n + c), and may appear in arithmetic: 2 * n / beta)

Names: the parameters ``p_ref beta alpha eps p0 clip_low clip_high`` (the clip ranges only
when the domain gives ``clip_low``), the free PoS variable ``p``,
quantifier variables, the collections above, ``orbit`` and the claim's ``let`` names
(macros: closed expressions compiled with this same whitelist, without ``count``, on first
use, cycles refused, their cost counted at every use).  Functions:
``h dh g dg p_n L_n logit sigmoid sqrt exp log abs min max len all any``.
String constants appear only in comparisons with ``orbit.kind`` (``'converges'``,
``'cycle'``, ``'to_one'``, ``'bounded'``; ``'bounded'`` is a property implied by the
first two: the log-odds of the orbit stay in a bounded interval).

Indexing: collections are in increasing order (fixed points by ``p``, orbit points by
value); ``fixed_points[k]`` is unknown when the collection is not certified complete or a
membership is unknown, and does not exist (comparisons with it are false) out of range.

Limits (each violation is an error, not a slow run): text <= 4000 characters,
<= 400 syntax nodes (the predicate and its let names together), nesting depth <= 32,
integer exponents ``|k| <= 64``, numeric literals of at most 200 characters with decimal
exponent ``|e| <= 4000`` (``params.MAX_EXPONENT``; exact, like every input), folded
constants of at most ``MAX_CONST_BITS`` bits, ``range`` spans <= 10000, iterate indices
``0 <= k <= 10000``, at most 32 let names, and an estimated cost per evaluation <= 200000
elementary steps.

>>> p = compile_predicate("L_n(n) >= logit(p_ref) + a * n for n in count(1)".join(["all(", ")"]),
...                       lets={"a": "2/(beta*sqrt(1+4*eps))"})
>>> p.tail_arith, sorted(p.lets), p.uses_count
(True, ['a'], True)
>>> compile_predicate("fixed_points[-1].p > 1e-600").root.args[0].kind
'attr'
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InputError
from ..params import _MAX_BITS, MAX_EXPONENT, parse_exact

MAX_TEXT = 4000
MAX_NODES = 400
MAX_DEPTH = 32
MAX_POW = 64
MAX_LITERAL = 200
#: literal exponents are limited like every other input (``params.MAX_EXPONENT``)
MAX_LITERAL_EXP = MAX_EXPONENT
#: folded constants (``1e-4000 * 1e-4000``) may hold this many bits in numerator and denominator
MAX_CONST_BITS = 2 * _MAX_BITS + 64
#: at most this many ``let`` names per claim
MAX_LETS = 32
MAX_RANGE = 10_000
MAX_INDEX = 10_000
MAX_WORK = 200_000
MAX_GENERATORS = 3
#: cost estimate of a count(...) quantifier: its explicit prefix
COUNT_PREFIX = 64
#: assumed size of a fixed-point collection when estimating the cost
COLL_SIZE = 16

PARAMS = ("p_ref", "beta", "alpha", "eps", "p0", "clip_low", "clip_high")
#: the clip ranges of GRPO-Clip (the map is the clipped one when the domain gives clip_low)
CLIP_PARAMS = ("clip_low", "clip_high")
FREE = ("p",)
COLLECTIONS = {"fixed_points": "fp", "stable_fixed_points": "fp", "unstable_fixed_points": "fp",
               "boundary_fixed_points": "bfp"}
ORBIT = "orbit"
FP_ATTRS = {"p": "num", "logit": "num", "one_minus_p": "num", "slope": "num", "stable": "bool"}
BFP_ATTRS = {"p": "num", "slope": "num", "stable": "bool"}
ORBIT_ATTRS = {"kind": "kind", "period": "int", "limit": "num", "points": "coll:num", "multiplier": "num"}
#: orbit kinds a predicate can test.  converges / cycle / to_one exclude each other;
#: bounded (the log-odds stay bounded: p_n stays in a closed sub-interval of (0, 1)) holds for
#: converges and cycle, fails for to_one, and is what the clipped engine certifies with a
#: trapping interval when it has no convergence or cycle certificate
KINDS = ("converges", "cycle", "to_one", "bounded")
#: functions of one number: name -> (argument meaning, result type)
NUM_FUNCS = {"h": "PoS", "dh": "PoS", "g": "log-odds", "dg": "log-odds", "logit": "x", "sigmoid": "x",
             "sqrt": "x", "exp": "x", "log": "x", "abs": "x"}
INDEX_FUNCS = ("p_n", "L_n")
#: estimated cost of one map step, in the units of :meth:`Compiler.cost` (one node evaluation)
MAP_STEP_WORK = 4
RESERVED = set(PARAMS) | set(FREE) | set(COLLECTIONS) | {ORBIT} | set(NUM_FUNCS) | set(INDEX_FUNCS) | {
    "min", "max", "len", "all", "any", "range", "count", "sup", "inf", "True", "False", "None"}
#: sup/inf over p: boxes of p evaluated per use (the cost of one use is this times the body's)
SUP_BOXES = 48

_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
_NUMBER_TEXT = re.compile(r"^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class PredicateError(InputError):
    """A predicate that is not in the language; ``line`` is 1-based within the text."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


# ------------------------------------------------------------------- nodes
@dataclass(eq=False)
class Node:
    kind: str  # const | name | neg | bin | cmp | bool | not | call | attr | quant | len | minmax | coll
    type: str  # num | int | bool | kind | fp | bfp | orbit | coll:fp | coll:bfp | coll:num | str
    src: str  # the source text of this node (for evidence)
    line: int
    value: object = None  # const value, name, operator, function or attribute name
    args: list = field(default_factory=list)
    gens: list = field(default_factory=list)  # [(var, source Node)] for quantifiers
    conds: list = field(default_factory=list)  # if-clauses of a generator
    bounds: tuple | None = None  # (lo, hi) for integer expressions built from constants/ranges
    offset: int | None = None  # p_n(n + offset) with n a count(...) variable
    work: int = 0  # for a count(...) quantifier: estimated cost of one body evaluation


@dataclass
class Predicate:
    """A compiled predicate."""

    text: str
    root: Node
    canonical: str  # the accepted text, whitespace normalised
    names: set  # parameters / p used by name
    uses_fixed: bool  # fixed_points & co (engine, no orbit)
    uses_orbit: bool  # orbit (engine orbit classification)
    uses_map: bool  # h, dh, g, dg, p_n, L_n
    max_index: int  # largest iterate index (-1: none)
    work: int  # estimated elementary steps per evaluation
    uses_count: bool = False  # an unbounded quantifier over iterates (count(a))
    #: the count(...) variable appears in arithmetic (``2 * n / beta``), not only as p_n(n + c)
    tail_arith: bool = False
    #: the ``let`` names the predicate uses: name -> their text, whitespace normalised
    lets: dict = field(default_factory=dict)

    @property
    def uses_engine(self) -> bool:
        return self.uses_fixed or self.uses_orbit

    @property
    def uses_iterates(self) -> bool:
        return self.max_index >= 0

    def depends_on(self) -> set:
        """Parameters (and ``p``) the truth value can depend on."""
        deps = set(self.names)
        if self.uses_map or self.uses_engine:
            deps |= {"p_ref", "beta", "alpha", "eps", "norm", "clip_low", "clip_high", "group_size", "convention"}
        if self.uses_orbit or self.uses_iterates:
            deps |= {"p0"}
        if "p0" in deps:
            deps.add("p_ref")  # p0 defaults to p_ref
        return deps


# --------------------------------------------------------------- compiler
def _parse(text, what: str = "predicate"):
    """``(source, tree)`` of an expression text, with the size and syntax checks."""
    if not isinstance(text, str):
        raise PredicateError(f"the {what} must be a string, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise PredicateError(f"{what} too long ({len(text)} characters; at most {MAX_TEXT})")
    if "\x00" in text:
        raise PredicateError(f"{what} contains a NUL character")
    if not text.strip():
        raise PredicateError(f"empty {what}")
    src = text.strip("\n")
    # a multi-line predicate may be indented as a block; Python needs no leading indent
    src = _dedent_expression(src)
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError as exc:
        msg = (exc.msg or "invalid syntax").split("\n")[0]
        raise PredicateError(f"syntax error: {msg}", exc.lineno or 1) from None
    except (RecursionError, MemoryError):
        raise PredicateError(f"{what} nested too deeply") from None
    except ValueError as exc:
        raise PredicateError(f"syntax error: {exc}") from None
    return src, tree


def _screen(c: "_Compiler", tree) -> None:
    """Size limits, then reserved names first: the clearest message for an attack."""
    c.count(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            c.err(node, f"attribute {node.attr!r} is not allowed: {_short(c.seg(node))}")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            c.err(node, f"name {node.id!r} is not allowed (names starting with '_' are reserved)")


class LetError(PredicateError):
    """An error inside the text of a ``let`` name (``name`` says which)."""

    def __init__(self, message: str, name: str, line: int = 1):
        super().__init__(message, line)
        self.name = name


class _Lets:
    """The ``let`` macros of one claim: parsed once, compiled on first use (closed
    expressions: parameters, functions and other ``let`` names, no quantifier variables,
    no ``count``), cycles refused."""

    def __init__(self, lets: dict | None):
        lets = dict(lets or {})
        if len(lets) > MAX_LETS:
            raise PredicateError(f"too many let names ({len(lets)}; at most {MAX_LETS})")
        self.parsed = {}
        self.nodes = 0
        for name, text in lets.items():
            if not isinstance(name, str) or not _IDENT.match(name) or name in RESERVED:
                raise LetError(f"let name {name!r} is not allowed (a plain identifier that is not a parameter, "
                               f"function or collection name)", str(name))
            try:
                self.parsed[name] = _parse(text, f"let {name!r}")
            except PredicateError as exc:
                raise LetError(f"let {name!r}: {exc}", name, exc.line) from None
        self.compiled: dict = {}
        self.stack: list = []
        self.used: dict = {}

    def node(self, name: str, parent: "_Compiler", at) -> "Node":
        if name in self.stack:
            cyc = " -> ".join(self.stack[self.stack.index(name):] + [name])
            raise LetError(f"let names form a cycle: {cyc}", name)
        if name not in self.compiled:
            src, tree = self.parsed[name]
            child = _Compiler(src, self, let_name=name)
            self.stack.append(name)
            try:
                _screen(child, tree)
                self.nodes += child.n_nodes
                if parent.n_nodes + self.nodes > MAX_NODES:
                    raise PredicateError(f"predicate too large with its let names (more than {MAX_NODES} "
                                         f"syntax nodes)")
                root = child.expr(tree.body, {}, 0)
            except LetError:
                raise
            except PredicateError as exc:
                raise LetError(f"let {name!r}: {exc}", name, exc.line) from None
            finally:
                self.stack.pop()
            self.compiled[name] = (root, child)
            self.used[name] = " ".join(src.split())
        root, child = self.compiled[name]
        parent.absorb(child)
        return root


def compile_predicate(text: str, lets: dict | None = None, what: str = "predicate") -> Predicate:
    """Parse and check ``text``; raise :class:`PredicateError` (one line) if it is not
    in the language.  ``lets``: ``name -> expression text`` (the claim's ``let`` table),
    names the predicate may use; each is compiled with the same whitelist, on first use,
    and its cost is counted at every use.  A :class:`LetError` names a faulty ``let``."""
    src, tree = _parse(text, what)
    table = lets if isinstance(lets, _Lets) else _Lets(lets)
    c = _Compiler(src, table)
    _screen(c, tree)
    root = c.expr(tree.body, {}, 0)
    for name in table.parsed:  # every let is checked, used or not
        if name not in table.compiled:
            table.node(name, _Compiler("", _Lets(None)), None)
    if root.type != "bool":
        raise PredicateError(f"the predicate must be a condition (a comparison, and/or/not, all/any), "
                             f"not a {_TYPE_WORD.get(root.type, root.type)}: {_short(root.src)}", root.line)
    # the iterates p_0 .. p_k are computed once per point: k map steps, whatever the syntax
    work = c.cost(root) + MAP_STEP_WORK * (c.max_index + 1)
    if work > MAX_WORK:
        raise PredicateError(f"predicate too expensive: about {work} evaluation steps per point "
                             f"(at most {MAX_WORK}); shorten the quantifier ranges", 1)
    canonical = " ".join(text.split())  # the text as written, whitespace normalised
    return Predicate(text=text, root=root, canonical=canonical, names=c.names, uses_fixed=c.uses_fixed,
                     uses_orbit=c.uses_orbit, uses_map=c.uses_map, max_index=c.max_index, work=work,
                     uses_count=c.uses_count, tail_arith=c.tail_arith,
                     lets={k: v for k, v in table.used.items() if k in c.lets_used})


@dataclass
class Expression:
    """A compiled rational expression of parameters (a linked domain parameter)."""

    text: str
    root: Node
    names: set


#: what a linked parameter may use: exact rational arithmetic only, so an exact point stays exact
_RATIONAL = {"const", "name", "neg", "bin", "minmax"}


def compile_expression(text: str, allowed) -> Expression:
    """Compile a number expression of the parameters ``allowed`` built from numbers,
    ``+ - * /``, ``**`` with an integer constant exponent, ``min``, ``max`` and ``abs``: its value
    at an exact point is an exact rational (``"10/(10+beta)"``).  Raise :class:`PredicateError`.

    >>> sorted(compile_expression("10/(10 + beta)", ("beta",)).names)
    ['beta']
    """
    src, tree = _parse(text, "expression")
    c = _Compiler(src)
    _screen(c, tree)
    root = c.number(tree.body, {}, 0)
    stack = [root]
    while stack:
        x = stack.pop()
        ok = x.kind in _RATIONAL or (x.kind == "call" and x.value == "abs")
        if x.kind == "bin" and x.value == "**" and x.args[1].value.denominator != 1:
            ok = False
        if not ok:
            raise PredicateError(f"a linked parameter is a rational expression (numbers, parameters, + - * /, "
                                 f"** with an integer exponent, min, max, abs): {_short(x.src)} is not", x.line)
        stack.extend(a for a in x.args if isinstance(a, Node))
    bad = sorted(c.names - set(allowed))
    if bad:
        raise PredicateError(f"{bad[0]} cannot be used here (allowed: {', '.join(allowed) or 'none'})")
    return Expression(text, root, set(c.names))


def _dedent_expression(src: str) -> str:
    lines = src.split("\n")
    if len(lines) == 1:
        return src.strip()
    # wrap in parentheses so that line breaks are allowed anywhere
    import textwrap

    body = textwrap.dedent(src).strip()
    return "(" + body + "\n)"


_TYPE_WORD = {"num": "number", "int": "integer", "kind": "orbit kind", "fp": "fixed point",
              "bfp": "boundary fixed point", "orbit": "orbit", "coll:fp": "collection of fixed points",
              "coll:bfp": "collection of boundary fixed points", "coll:num": "collection of numbers",
              "str": "string", "range": "range", "bool": "condition"}


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return repr(s if len(s) <= n else s[: n - 3] + "...")


_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class _Compiler:
    def __init__(self, src: str, lets: _Lets | None = None, let_name: str | None = None):
        self.src = src
        self.lets = lets if lets is not None else _Lets(None)
        self.let_name = let_name  # compiling this let's text (count(...) is not allowed there)
        self.lets_used: set = set()
        self.names: set = set()
        self.uses_fixed = False
        self.uses_orbit = False
        self.uses_map = False
        self.uses_count = False
        self.tail_arith = False
        self.max_index = -1
        self.n_nodes = 0
        self.tail_vars: dict = {}  # count(...) variable -> list of offsets seen
        self._cost: dict = {}  # id(node) -> cost (let nodes are shared: counted at each use)

    def absorb(self, child: "_Compiler") -> None:
        """Take over what a compiled ``let`` uses."""
        self.names |= child.names
        self.uses_fixed |= child.uses_fixed
        self.uses_orbit |= child.uses_orbit
        self.uses_map |= child.uses_map
        self.max_index = max(self.max_index, child.max_index)
        self.lets_used |= child.lets_used

    # ---------------------------------------------------------- helpers
    def seg(self, node) -> str:
        try:
            s = ast.get_source_segment(self.src, node)
        except Exception:  # pragma: no cover
            s = None
        return s if s is not None else type(node).__name__

    def err(self, node, msg):
        raise PredicateError(msg, getattr(node, "lineno", 1) or 1)

    def count(self, tree):
        n = 0
        stack = [(tree, 0)]
        while stack:
            node, d = stack.pop()
            n += 1
            self.n_nodes = n
            if n > MAX_NODES:
                self.err(node, f"predicate too large (more than {MAX_NODES} syntax nodes)")
            if d > 3 * MAX_DEPTH:
                self.err(node, f"predicate nested too deeply (more than {MAX_DEPTH} levels)")
            for child in ast.iter_child_nodes(node):
                stack.append((child, d + 1))

    def mk(self, node, kind, typ, **kw) -> Node:
        return Node(kind=kind, type=typ, src=self.seg(node), line=getattr(node, "lineno", 1) or 1, **kw)

    # --------------------------------------------------------- expressions
    def expr(self, node, scope: dict, depth: int) -> Node:
        if depth > MAX_DEPTH:
            self.err(node, f"predicate nested too deeply (more than {MAX_DEPTH} levels)")
        d = depth + 1
        if isinstance(node, ast.BoolOp):
            vals = [self.cond(v, scope, d) for v in node.values]
            return self.mk(node, "bool", "bool", value="and" if isinstance(node.op, ast.And) else "or", args=vals)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return self.mk(node, "not", "bool", args=[self.cond(node.operand, scope, d)])
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                x = self.number(node.operand, scope, d)
                if isinstance(node.op, ast.UAdd):
                    return x
                out = self.mk(node, "neg", x.type, args=[x])
                if x.bounds is not None:
                    out.bounds = (-x.bounds[1], -x.bounds[0])
                if x.kind == "const":
                    return self.mk(node, "const", x.type, value=-x.value, bounds=out.bounds)
                return out
            self.err(node, f"operator {type(node.op).__name__} is not allowed: {_short(self.seg(node))}")
        if isinstance(node, ast.BinOp):
            return self.binop(node, scope, d)
        if isinstance(node, ast.Compare):
            return self.compare(node, scope, d)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node, scope)
        if isinstance(node, ast.Attribute):
            return self.attribute(node, scope, d)
        if isinstance(node, ast.Call):
            return self.call(node, scope, d)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, scope, d)
        what = {ast.Lambda: "lambda", ast.IfExp: "conditional expression",
                ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
                ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator outside all/any/min/max",
                ast.List: "list", ast.Tuple: "tuple", ast.Dict: "dict", ast.Set: "set",
                ast.NamedExpr: "assignment (:=)", ast.JoinedStr: "f-string", ast.Starred: "starred argument",
                ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slice"}
        name = what.get(type(node), type(node).__name__)
        self.err(node, f"{name} is not allowed: {_short(self.seg(node))}")

    def cond(self, node, scope, depth) -> Node:
        n = self.expr(node, scope, depth)
        if n.type != "bool":
            self.err(node, f"expected a condition, got a {_TYPE_WORD.get(n.type, n.type)}: {_short(n.src)}")
        return n

    def number(self, node, scope, depth) -> Node:
        n = self.expr(node, scope, depth)
        if n.type not in ("num", "int"):
            self.err(node, f"expected a number, got a {_TYPE_WORD.get(n.type, n.type)}: {_short(n.src)}")
        return n

    def constant(self, node) -> Node:
        v = node.value
        if isinstance(v, bool):
            return self.mk(node, "const", "bool", value=v)
        if isinstance(v, (int, float)):
            text = self.seg(node)
            if len(text) > MAX_LITERAL:
                self.err(node, f"numeric literal too long ({len(text)} characters; at most {MAX_LITERAL})")
            if not _NUMBER_TEXT.match(text):
                self.err(node, f"unsupported numeric literal {text!r} (write decimals such as 0.25 or 1e-5)")
            m = re.search(r"[eE]([+-]?\d+)$", text)
            if m and abs(int(m.group(1))) > MAX_LITERAL_EXP:
                self.err(node, f"exponent of {text!r} out of range (|e| <= {MAX_LITERAL_EXP})")
            val = parse_exact(text, "literal")
            typ = "int" if (isinstance(v, int) and val.denominator == 1) else "num"
            return self.mk(node, "const", typ, value=val, bounds=(val, val) if typ == "int" else None)
        if isinstance(v, str):
            if v not in KINDS:
                hint = (" ('unresolved' says the engine could not decide; it is not a property of the orbit)"
                        if v == "unresolved" else "")
                self.err(node, f"string {v!r} is not an orbit kind; allowed: {', '.join(map(repr, KINDS))}{hint}")
            return self.mk(node, "const", "str", value=v)
        self.err(node, f"constant {_short(self.seg(node))} is not allowed")

    def name(self, node, scope) -> Node:
        n = node.id
        if n.startswith("_"):
            self.err(node, f"name {n!r} is not allowed (names starting with '_' are reserved)")
        if n in scope:
            typ, bounds = scope[n]
            if typ == "tail":
                # n itself in arithmetic: an exact integer in the prefix, the ray [N, +inf) in the tail
                self.tail_arith = True
                return self.mk(node, "name", "int", value=n, bounds=None)
            return self.mk(node, "name", typ, value=n, bounds=bounds)
        if n in self.lets.parsed:
            root = self.lets.node(n, self, node)
            self.lets_used.add(n)
            if root.kind == "const":
                return root
            return self.mk(node, "let", root.type, value=n, args=[root], bounds=root.bounds)
        if n in PARAMS or n in FREE:
            self.names.add(n)
            return self.mk(node, "name", "num", value=n)
        if n in COLLECTIONS:
            self.uses_fixed = True
            return self.mk(node, "coll", "coll:" + COLLECTIONS[n], value=n)
        if n == ORBIT:
            self.uses_orbit = True
            return self.mk(node, "name", "orbit", value=n)
        if n in ("True", "False", "None"):
            self.err(node, f"{n} is not allowed here")
        if n in NUM_FUNCS or n in INDEX_FUNCS or n in ("min", "max", "len", "all", "any", "range", "count",
                                                       "sup", "inf"):
            self.err(node, f"function {n!r} must be called: {n}(...)")
        self.err(node, f"unknown name {n!r} (allowed: {', '.join(PARAMS + FREE)}, quantifier variables, "
                       f"{', '.join(COLLECTIONS)}, orbit, and the claim's let names)")

    def attribute(self, node, scope, depth) -> Node:
        base = node.value
        attr = node.attr
        if attr.startswith("_"):
            self.err(node, f"attribute {attr!r} is not allowed: {_short(self.seg(node))}")
        if isinstance(base, ast.Subscript):
            b = self.subscript(base, scope, depth)
        elif isinstance(base, ast.Name):
            b = self.name(base, scope)
        else:
            self.err(node, f"attribute access is allowed only on a quantifier variable over fixed points, "
                           f"an indexed fixed point (fixed_points[0]) or on orbit: {_short(self.seg(node))}")
        table = {"fp": FP_ATTRS, "bfp": BFP_ATTRS, "orbit": ORBIT_ATTRS}.get(b.type)
        if table is None:
            self.err(node, f"attribute access is allowed only on a fixed point (fp.p, fp.logit, fp.one_minus_p, "
                           f"fp.slope, fp.stable) or on orbit (orbit.kind, .period, .limit, .points, "
                           f".multiplier): {_short(self.seg(node))}")
        if attr not in table:
            self.err(node, f"unknown attribute {attr!r} of a {_TYPE_WORD[b.type]} (allowed: "
                           f"{', '.join(table)}): {_short(self.seg(node))}")
        typ = table[attr]
        return self.mk(node, "attr", typ, value=attr, args=[b])

    def subscript(self, node, scope, depth) -> Node:
        """``COLL[k]`` with ``k`` an integer constant (``-1``: the last): the k-th member in
        increasing order; out of range it does not exist (comparisons with it are false)."""
        base = self.expr(node.value, scope, depth + 1)
        if not base.type.startswith("coll:"):
            self.err(node, f"subscript (indexing) is allowed only on fixed_points, stable_fixed_points, "
                           f"unstable_fixed_points, boundary_fixed_points or orbit.points: {_short(self.seg(node))}")
        idx = node.slice
        if isinstance(idx, ast.Slice):
            self.err(node, f"slices are not allowed (index with one integer constant): {_short(self.seg(node))}")
        k = None if _mentions_names(idx) else self.expr(idx, {}, depth + 1)
        if k is None or k.kind != "const" or k.type != "int":
            self.err(node, f"the index must be an integer constant such as 0 or -1: {_short(self.seg(node))}")
        if abs(k.value) > MAX_INDEX:
            self.err(node, f"index {int(k.value)} out of range (|k| <= {MAX_INDEX}): {_short(self.seg(node))}")
        return self.mk(node, "index", base.type.split(":", 1)[1], value=int(k.value), args=[base])

    def binop(self, node, scope, depth) -> Node:
        op = _BIN.get(type(node.op))
        if op is None:
            self.err(node, f"operator {type(node.op).__name__} is not allowed: {_short(self.seg(node))}")
        a = self.number(node.left, scope, depth)
        if op == "**":
            k = self.const_exponent(node.right)
            typ = "int" if (a.type == "int" and k.denominator == 1 and k >= 0) else "num"
            out = self.mk(node, "bin", typ, value=op, args=[a, self.mk(node.right, "const", "num", value=k)])
            if a.kind == "const" and k.denominator == 1 and k >= 0:
                val = a.value ** int(k)
                if _too_big(val):
                    self.err(node, f"constant {_short(self.seg(node))} is too large")
                return self.mk(node, "const", typ, value=val, bounds=(val, val) if typ == "int" else None)
            return out
        b = self.number(node.right, scope, depth)
        typ = "int" if (a.type == "int" and b.type == "int" and op != "/") else "num"
        out = self.mk(node, "bin", typ, value=op, args=[a, b])
        if typ == "int" and a.bounds is not None and b.bounds is not None:
            out.bounds = _int_bounds(op, a.bounds, b.bounds)
        if a.kind == "const" and b.kind == "const":
            if op == "/" and b.value == 0:
                return out  # evaluates to "undefined"
            val = {"+": a.value + b.value, "-": a.value - b.value, "*": a.value * b.value,
                   "/": (a.value / b.value) if b.value != 0 else None}[op]
            if _too_big(val):
                self.err(node, f"constant {_short(self.seg(node))} is too large")
            return self.mk(node, "const", typ, value=val, bounds=(val, val) if typ == "int" else None)
        return out

    def const_exponent(self, node) -> Fraction:
        """The exponent of ``**``: a numeric constant (``2``, ``-1``, ``1/2``, ``0.5``)."""
        try:
            v = self._fold(node)
        except PredicateError:
            raise
        except Exception:
            v = None
        if v is None:
            self.err(node, f"the exponent of ** must be a numeric constant (|k| <= {MAX_POW}): "
                           f"{_short(self.seg(node))}")
        if abs(v.numerator) > MAX_POW or v.denominator > MAX_POW:
            self.err(node, f"exponent {_short(self.seg(node))} too large (numerator and denominator "
                           f"at most {MAX_POW})")
        return v

    def _fold(self, node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            c = self.constant(node)
            return c.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = self._fold(node.operand)
            return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            a, b = self._fold(node.left), self._fold(node.right)
            if a is None or b is None or b == 0:
                return None
            if abs(a.numerator) > 10**6 or abs(b.numerator) > 10**6:
                return None
            return a / b
        return None

    def compare(self, node, scope, depth) -> Node:
        operands = [node.left, *node.comparators]
        nodes = []
        for o in operands:
            n = self.expr(o, scope, depth)
            nodes.append(n)
        ops = []
        for i, op in enumerate(node.ops):
            sym = _CMP.get(type(op))
            if sym is None:
                what = {ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}.get(type(op), "?")
                self.err(node, f"comparison '{what}' is not allowed: {_short(self.seg(node))}")
            a, b = nodes[i], nodes[i + 1]
            kinds = {a.type, b.type}
            if kinds <= {"num", "int"}:
                pass
            elif kinds == {"kind", "str"}:
                if sym not in ("==", "!="):
                    self.err(node, f"orbit kinds can only be compared with == or !=: {_short(self.seg(node))}")
            else:
                ta, tb = _TYPE_WORD.get(a.type, a.type), _TYPE_WORD.get(b.type, b.type)
                hint = ""
                if "str" in kinds:
                    hint = (" (strings are allowed only as orbit.kind == "
                            "'converges' | 'cycle' | 'to_one' | 'bounded')")
                elif "bool" in kinds:
                    hint = " (use the condition itself, or not ...)"
                self.err(node, f"cannot compare a {ta} with a {tb}: {_short(self.seg(node))}{hint}")
            ops.append(sym)
        return self.mk(node, "cmp", "bool", value=ops, args=nodes)

    # -------------------------------------------------------------- calls
    def call(self, node, scope, depth) -> Node:
        if not isinstance(node.func, ast.Name):
            self.err(node, f"only the listed functions can be called (h, dh, g, dg, p_n, L_n, logit, sigmoid, "
                           f"sqrt, exp, log, abs, min, max, len, all, any), not {_short(self.seg(node.func))}")
        fname = node.func.id
        if fname in scope:
            self.err(node, f"{fname!r} is a variable, not a function")
        if node.keywords:
            self.err(node, f"keyword arguments are not allowed: {_short(self.seg(node))}")
        for a in node.args:
            if isinstance(a, ast.Starred):
                self.err(node, f"starred arguments are not allowed: {_short(self.seg(node))}")
        args = node.args
        if fname in NUM_FUNCS:
            self._arity(node, fname, args, 1)
            x = self.number(args[0], scope, depth)
            if fname in ("h", "dh", "g", "dg"):
                self.uses_map = True
            return self.mk(node, "call", "num", value=fname, args=[x])
        if fname in INDEX_FUNCS:
            self._arity(node, fname, args, 1)
            tail = self._tail_index(args[0], scope)
            if tail is not None:
                var, off = tail
                self.uses_map = True
                self.tail_vars[var].append(off)
                out = self.mk(node, "call", "num", value=fname, offset=off)
                out.args = [self.mk(args[0], "name", "tail", value=var)]
                return out
            k = self.number(args[0], scope, depth)
            if k.type != "int" or k.bounds is None:
                self.err(node, f"the index of {fname} must be an integer built from integer constants and "
                               f"range(...) variables: {_short(self.seg(node))}")
            lo, hi = k.bounds
            if lo < 0:
                self.err(node, f"the index of {fname} can be negative ({lo}): {_short(self.seg(node))}")
            if hi > MAX_INDEX:
                self.err(node, f"the index of {fname} can reach {hi} (at most {MAX_INDEX}): "
                               f"{_short(self.seg(node))}")
            self.uses_map = True
            self.max_index = max(self.max_index, int(hi))
            return self.mk(node, "call", "num", value=fname, args=[k])
        if fname in ("min", "max"):
            if len(args) == 1 and isinstance(args[0], ast.GeneratorExp):
                q = self.generator(args[0], scope, depth, body_type="num")
                q.value = fname
                q.type = "num"
                q.src = self.seg(node)
                return q
            if len(args) == 1:
                a0 = self.expr(args[0], scope, depth)
                if a0.type.startswith("coll:"):
                    if a0.type != "coll:num":
                        self.err(node, f"{fname} of a collection of fixed points: write "
                                       f"{fname}(fp.p for fp in ...): {_short(self.seg(node))}")
                    return self.mk(node, "minmax", "num", value=fname, args=[a0])
            if len(args) < 2:
                self.err(node, f"{fname} needs at least two numbers or a generator: {_short(self.seg(node))}")
            xs = [self.number(a, scope, depth) for a in args]
            typ = "int" if all(x.type == "int" for x in xs) else "num"
            return self.mk(node, "minmax", typ, value=fname, args=xs)
        if fname == "len":
            self._arity(node, fname, args, 1)
            c = self.expr(args[0], scope, depth)
            if not c.type.startswith("coll:"):
                self.err(node, f"len() takes a collection (fixed_points, ..., orbit.points): "
                               f"{_short(self.seg(node))}")
            return self.mk(node, "len", "int", args=[c])
        if fname in ("all", "any"):
            self._arity(node, fname, args, 1)
            if not isinstance(args[0], ast.GeneratorExp):
                self.err(node, f"{fname}() takes a generator: {fname}(... for x in ...): {_short(self.seg(node))}")
            q = self.generator(args[0], scope, depth, body_type="bool")
            q.value = fname
            q.src = self.seg(node)
            return q
        if fname in ("sup", "inf"):
            return self.supinf(node, fname, args, scope, depth)
        if fname in ("range", "count"):
            self.err(node, f"{fname}(...) is allowed only as the source of a generator: {_short(self.seg(node))}")
        if fname in RESERVED:
            self.err(node, f"{fname!r} is not a function: {_short(self.seg(node))}")
        self.err(node, f"unknown function {fname!r}: {_short(self.seg(node))}")

    def _tail_index(self, node, scope):
        """``(var, c)`` if ``node`` is ``n``, ``n + c``, ``c + n`` or ``n - c`` with ``n`` a count(...)
        variable and ``c`` an integer constant; None if it does not mention such a variable."""
        names = [x.id for x in ast.walk(node) if isinstance(x, ast.Name)]
        tails = [v for v in names if v in scope and scope[v][0] == "tail"]
        if not tails:
            return None

        def const(x):
            if isinstance(x, ast.Constant) and isinstance(x.value, int) and not isinstance(x.value, bool):
                c = self.constant(x)
                return int(c.value) if c.type == "int" else None
            return None
        var = c = None
        if isinstance(node, ast.Name):
            var, c = node.id, 0
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            if isinstance(node.left, ast.Name) and const(node.right) is not None:
                var, c = node.left.id, const(node.right) * (1 if isinstance(node.op, ast.Add) else -1)
            elif isinstance(node.op, ast.Add) and isinstance(node.right, ast.Name) and const(node.left) is not None:
                var, c = node.right.id, const(node.left)
        if var is None or var not in tails:
            self.err(node, f"with count(...), the iterate index must be n + c (c an integer constant): "
                           f"{_short(self.seg(node))}")
        start = scope[var][1]
        if start + c < 0:
            self.err(node, f"the iterate index {_short(self.seg(node))} can be negative (from {start + c})")
        if abs(c) > MAX_INDEX:
            self.err(node, f"iterate offset {c} too large (at most {MAX_INDEX})")
        return var, c

    def _arity(self, node, fname, args, n):
        if len(args) != n:
            self.err(node, f"{fname}() takes {n} argument{'s' if n != 1 else ''}, got {len(args)}: "
                           f"{_short(self.seg(node))}")

    def generator(self, node: ast.GeneratorExp, scope, depth, body_type) -> Node:
        if len(node.generators) > MAX_GENERATORS:
            self.err(node, f"at most {MAX_GENERATORS} 'for' clauses in one generator")
        inner = dict(scope)
        gens, conds = [], []
        for comp in node.generators:
            if getattr(comp, "is_async", 0):
                self.err(node, "async comprehensions are not allowed")
            if not isinstance(comp.target, ast.Name):
                self.err(comp.target, f"the loop variable must be a plain name: {_short(self.seg(comp.target))}")
            var = comp.target.id
            if not _IDENT.match(var) or var in RESERVED or var in inner:
                self.err(comp.target, f"loop variable {var!r} is not allowed (a reserved or already used name, "
                                      f"or not a plain identifier)")
            source = self.source(comp.iter, inner, depth)
            if source.kind == "count":
                if self.let_name is not None:
                    self.err(node, "count(...) is not allowed in a let (write it in the predicate)")
                if body_type != "bool" or len(node.generators) != 1:
                    self.err(node, "count(...) is allowed only as the single generator of all(...) or any(...)")
                if self.tail_vars:
                    self.err(node, "at most one count(...) quantifier per predicate")
                self.uses_count = True
                self.uses_orbit = True  # the tail is certified with the orbit's trap
                self.tail_vars[var] = []
                inner[var] = ("tail", source.value)
            elif source.kind == "range":
                lo, hi = source.value
                inner[var] = ("int", (Fraction(lo), Fraction(max(lo, hi - 1))))
            else:
                elem = source.type.split(":", 1)[1]
                inner[var] = (elem, None)
            gens.append((var, source))
            for c in comp.ifs:
                conds.append(self.cond(c, inner, depth + 1))
        if body_type == "bool":
            body = self.cond(node.elt, inner, depth + 1)
        else:
            body = self.number(node.elt, inner, depth + 1)
        out = self.mk(node, "quant", body_type, args=[body], gens=gens, conds=conds)
        for var, src in gens:
            if src.kind == "count":
                offs = self.tail_vars[var] or [0]
                out.bounds = (min(offs), max(offs))
        return out

    def source(self, node, scope, depth) -> Node:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "count":
            if node.keywords or len(node.args) != 1 or _mentions_names(node.args[0]):
                self.err(node, f"count takes one integer constant (the first n): {_short(self.seg(node))}")
            n = self.expr(node.args[0], {}, depth + 1)
            if n.kind != "const" or n.type != "int" or not 0 <= n.value <= MAX_INDEX:
                self.err(node, f"count(a) needs an integer constant 0 <= a <= {MAX_INDEX}: {_short(self.seg(node))}")
            return self.mk(node, "count", "range", value=int(n.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
            if node.keywords or not 1 <= len(node.args) <= 2:
                self.err(node, f"range takes one or two integer constants: {_short(self.seg(node))}")
            vals = []
            for a in node.args:
                n = self.expr(a, {}, depth + 1) if not _mentions_names(a) else None
                if n is None or n.kind != "const" or n.type != "int":
                    self.err(node, f"the bounds of range(...) must be integer constants: {_short(self.seg(node))}")
                vals.append(int(n.value))
            lo, hi = (0, vals[0]) if len(vals) == 1 else tuple(vals)
            if lo < 0:
                self.err(node, f"range(...) must start at 0 or later: {_short(self.seg(node))}")
            if hi - lo > MAX_RANGE:
                self.err(node, f"range(...) too long ({hi - lo} values; at most {MAX_RANGE}): "
                               f"{_short(self.seg(node))}")
            if hi > MAX_INDEX + 1:
                self.err(node, f"range(...) reaches {hi - 1} (at most {MAX_INDEX}): {_short(self.seg(node))}")
            return self.mk(node, "range", "range", value=(lo, hi))
        n = self.expr(node, scope, depth + 1)
        if not n.type.startswith("coll:"):
            self.err(node, f"a generator can run over range(a, b), fixed_points, stable_fixed_points, "
                           f"unstable_fixed_points, boundary_fixed_points or orbit.points, not "
                           f"{_short(self.seg(node))}")
        return n

    # --------------------------------------------------------------- cost
    def cost(self, n: Node) -> int:
        """Estimated node evaluations of ``n``; a shared ``let`` node counts at every use (memoised
        by identity, so the estimate itself stays cheap)."""
        key = id(n)
        if key not in self._cost:
            self._cost[key] = self._cost_of(n)
        return self._cost[key]

    def supinf(self, node, fname, args, scope, depth) -> Node:
        """``sup(expr)`` / ``inf(expr)``: the supremum / infimum of ``expr`` over ``p`` in (0, 1), or
        ``sup(expr, a, b)`` over ``p`` in [a, b] (constants, 0 <= a < b <= 1); ``p`` is bound inside."""
        if len(args) not in (1, 3):
            self.err(node, f"{fname}(expr) or {fname}(expr, a, b) (p from a to b): {_short(self.seg(node))}")
        if "p" in scope:
            self.err(node, f"{fname}(...) inside sup/inf (or with p already bound) is not allowed: "
                           f"{_short(self.seg(node))}")
        lo, hi, open_ = Fraction(0), Fraction(1), True
        if len(args) == 3:
            ends = [self.expr(a, {}, depth + 1) if not _mentions_names(a) else None for a in args[1:]]
            if any(e is None or e.kind != "const" or e.type not in ("num", "int") for e in ends):
                self.err(node, f"the ends of {fname}(expr, a, b) must be numeric constants: {_short(self.seg(node))}")
            lo, hi, open_ = ends[0].value, ends[1].value, False
            if not 0 <= lo < hi <= 1:
                self.err(node, f"{fname}(expr, a, b) needs 0 <= a < b <= 1: {_short(self.seg(node))}")
        inner = dict(scope)
        inner["p"] = ("num", None)
        body = self.number(args[0], inner, depth + 1)
        return self.mk(node, "supinf", "num", value=fname, args=[body], bounds=(lo, hi, open_))

    def _cost_of(self, n: Node) -> int:
        if n.kind == "supinf":
            return 1 + 2 * SUP_BOXES * sum(self.cost(a) for a in n.args)
        if n.kind == "quant":
            if any(src.kind == "count" for _, src in n.gens):
                n.work = 1 + sum(self.cost(a) for a in n.args) + sum(self.cost(c) for c in n.conds)
            size = 1
            for _, src in n.gens:
                if src.kind == "range":
                    size *= max(0, src.value[1] - src.value[0])
                elif src.kind == "count":
                    size *= COUNT_PREFIX
                else:
                    size *= 64 if src.type == "coll:num" else COLL_SIZE
            return 1 + size * (sum(self.cost(a) for a in n.args) + sum(self.cost(c) for c in n.conds))
        if n.kind == "call" and n.value in INDEX_FUNCS:
            return 1 + self.cost(n.args[0])
        return 1 + sum(self.cost(a) for a in n.args)


def _too_big(val: Fraction) -> bool:
    return abs(val.numerator).bit_length() > MAX_CONST_BITS or val.denominator.bit_length() > MAX_CONST_BITS


def _mentions_names(node) -> bool:
    return any(isinstance(x, ast.Name) for x in ast.walk(node))


def _int_bounds(op, a, b):
    if op == "+":
        return a[0] + b[0], a[1] + b[1]
    if op == "-":
        return a[0] - b[1], a[1] - b[0]
    if op == "*":
        prods = [x * y for x in a for y in b]
        return min(prods), max(prods)
    return None
