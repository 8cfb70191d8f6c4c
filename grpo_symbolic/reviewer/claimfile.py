r"""The claims file: TOML, one ``[[claim]]`` table per claim.

.. code-block:: toml

    [[claim]]
    id = "amplification"                      # required: letters, digits, _ . : -
    title = "Every fixed point exceeds p_ref" # optional
    norm = "std"                              # required: "std", "mean" or a list of both
    predicate = "all(fp.p > p_ref for fp in fixed_points)"
    expect = "certified"                      # optional: the verdict you expect (--strict)

    [claim.domain]
    beta  = {min = 0.5, max = 4}              # a closed range
    p_ref = {gt = 0, lt = 1}                  # an open range (gt/lt: open ends)
    eps   = "1e-5"                            # a single value (exact decimal text)
    alpha = [0, 0.5, 1]                       # a finite set

Numbers are exact: TOML floats are read as decimals (``0.1`` is 1/10), and strings
such as ``"1e-5"`` or ``"1/3"`` are accepted.  ``beta`` and ``p_ref`` are required;
``alpha`` defaults to 1 (the paper's GRPO), ``eps`` to 0 for ``norm = "mean"`` (it
is required when a claim uses ``norm = "std"``), ``p0`` to ``p_ref`` (the paper's
start ``pi_0 = pi_ref``).  ``p`` declares a free PoS variable for predicates about
the map itself.

``clip_low`` (in ``[0, 1)``) and ``clip_high`` (``>= 0``, default ``clip_low``) make the map
the clipped one of GRPO-Clip (the ratio clipped to ``[1 - clip_low, 1 + clip_high]``,
:class:`grpo_symbolic.exact.clipped.ClippedMap`); without ``clip_low`` there is no clipping
and ``clip_high`` is an error.  The clipped map is evaluated at exact parameter points only:
a claim that evaluates it (``h dh g dg p_n L_n``) without fixed points or orbits, and so
would be decided by interval branch and bound, must give ``beta alpha eps p_ref clip_low
clip_high`` as values or lists (ranges of ``p`` and ``p0`` are fine).

``group_size`` (an integer ``G >= 2`` or a list) and ``convention`` (``paper``, ``trl``, ``mean``)
make the map and the engine those of GRPO with G samples per prompt (``Params.group_size``).
A domain value that is a string mentioning another parameter is a *linked* parameter
(``alpha = "1/(1 + beta)"``, a rational expression: :attr:`Domain.linked`, :meth:`Domain.fill`,
:meth:`Domain.linked_ok`, :meth:`Domain.expand`).  Claim keys ``let`` (a table of names ->
expressions usable in the predicate) and ``assume`` (a condition: :attr:`Claim.assume`; the
claim reads ``assume -> predicate``, so points where it is certainly false are outside the
domain).

Optional budgets: ``search`` (points tried when looking for a counterexample on a
continuous domain; default 64), ``boxes`` (branch-and-bound boxes; default 4000),
``digits`` (engine digits of the first attempt; default 30), ``steps`` (orbit step
budget; default 10000).

Errors name the file and line: ``claims.toml:7: claim 'x': beta: must be > 0``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import product

from ..errors import InputError
from ..params import _MAX_BITS, CONVENTIONS, _fmt, parse_exact
from .evaluate import _and
from .language import (LetError, Predicate, PredicateError, _Lets, compile_expression,
                       compile_predicate)

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

MAX_FILE_BYTES = 1_000_000
MAX_CLAIMS = 500
MAX_LIST = 1000
MAX_POINTS = 2000  # points of the finite part of a domain
MAX_CLAIM_WORK = 40_000_000  # points x estimated evaluation steps, per claim
DOMAIN_KEYS = ("p_ref", "beta", "alpha", "eps", "p0", "p", "clip_low", "clip_high", "group_size", "convention")
#: domain parameters that may be given as an expression of the others (a linked parameter)
LINKABLE = ("p_ref", "beta", "alpha", "eps", "p0", "clip_low", "clip_high")
#: the finite group size G of the advantage (GRPO with G samples per prompt)
MAX_GROUP = 4096
#: parameters of the map itself (what the clipped map needs as exact values)
MAP_PARAMS = ("beta", "alpha", "eps", "p_ref", "clip_low", "clip_high")
CLAIM_KEYS = ("id", "title", "norm", "domain", "predicate", "expect", "search", "boxes", "digits", "steps", "let",
              "assume", "quantifier")
#: "all": the predicate holds at every point of the domain (the default); "exists": at some point
QUANTIFIERS = ("all", "exists")
EXPECT = ("certified", "refuted", "undecided")
BUDGETS = {"search": (64, 0, 5000), "boxes": (4000, 0, 200_000), "digits": (30, 10, 300),
           "steps": (10_000, 10, 100_000)}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


class ClaimFileError(InputError):
    """A malformed claims file; the message starts with ``FILE:LINE:``."""


# ------------------------------------------------------------------ domain
@dataclass(frozen=True)
class Range:
    lo: Fraction
    hi: Fraction
    lo_open: bool
    hi_open: bool

    def contains(self, x: Fraction) -> bool:
        if x < self.lo or (self.lo_open and x == self.lo):
            return False
        if x > self.hi or (self.hi_open and x == self.hi):
            return False
        return True

    def describe(self) -> str:
        return f"{'(' if self.lo_open else '['}{_fmt(self.lo)}, {_fmt(self.hi)}{')' if self.hi_open else ']'}"

    @property
    def width(self) -> Fraction:
        return self.hi - self.lo


@dataclass
class Domain:
    """Each name maps to a tuple of exact values (a finite set) or a :class:`Range`."""

    norms: tuple
    dims: dict  # name -> tuple[Fraction] | Range
    p0_is_p_ref: bool
    #: clip_high not given: it equals clip_low (symmetric clipping)
    clip_high_is_low: bool = False
    #: linked parameters: name -> compiled rational expression of other (non-linked) parameters
    linked: dict = field(default_factory=dict)

    def fill(self, values: dict, bits: int = 128) -> dict:
        """``values`` (Fractions at a point, :class:`~.values.Iv` on a box) with every linked
        parameter added: an exact Fraction at a point, an Arb ball on a box, UNDEF when it
        divides by zero."""
        from .evaluate import evaluate_number

        out = dict(values)
        for k, e in self.linked.items():
            out[k] = evaluate_number(e, values, bits)
        return out

    def linked_ok(self, values: dict):
        """Three-valued: do the linked parameters in ``values`` (from :meth:`fill`) lie in
        their ranges (``alpha`` in [0, 1], ``beta > 0``, ...)?  False when one certainly does not
        (the point or box is outside the domain), None when unknown."""
        return _and(_in_limits(k, values.get(k)) for k in self.linked)

    def expand(self, deps: set) -> set:
        """``deps`` plus the parameters the linked ones among them are computed from."""
        out = set(deps)
        for k, e in self.linked.items():
            if k in deps or (k == "p_ref" and "p0" in deps and self.p0_is_p_ref):
                out |= e.names
        return out

    @property
    def clipped(self) -> bool:
        """The map is the clipped one (the domain gives ``clip_low``)."""
        return "clip_low" in self.dims

    def describe(self) -> dict:
        d = {"norm": list(self.norms)}
        for k, v in self.dims.items():
            d[k] = v.describe() if isinstance(v, Range) else [x if isinstance(x, str) else _fmt(x) for x in v]
        if self.p0_is_p_ref:
            d["p0"] = "p_ref"
        if self.clip_high_is_low:
            d["clip_high"] = "clip_low"
        for k, e in self.linked.items():
            d[k] = " ".join(e.text.split())
        return d

    def continuous(self, names) -> list:
        return [k for k in names if isinstance(self.dims.get(k), Range)]

    def finite_points(self, names, norms=None):
        """All combinations of the finite dimensions among ``names`` (and the norms)."""
        keys = [k for k in names if k in self.dims and not isinstance(self.dims[k], Range)]
        for norm in (norms if norms is not None else self.norms):
            for combo in product(*[self.dims[k] for k in keys]):
                yield norm, dict(zip(keys, combo))


@dataclass
class Claim:
    id: str
    title: str
    norm: tuple
    predicate: Predicate
    domain: Domain
    expect: str | None
    line: int
    source: str  # FILE:LINE
    budgets: dict = field(default_factory=dict)
    #: ``assume``: points where it is certainly false lie outside the domain (None: no assumption)
    assume: Predicate | None = None
    #: the ``let`` table as written (name -> text)
    lets: dict = field(default_factory=dict)
    #: ``"all"`` (every point of the domain) or ``"exists"`` (some point)
    quantifier: str = "all"


# ------------------------------------------------------------- line finder
class _Lines:
    """Best-effort line numbers of claims and of their keys in the raw text."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.headers = [i + 1 for i, ln in enumerate(self.lines) if re.match(r"^\s*\[\[\s*claim\s*\]\]", ln)]

    def claim(self, i: int) -> int | None:
        return self.headers[i] if i < len(self.headers) else None

    def _span(self, i):
        start = self.claim(i)
        if start is None:
            return None
        end = self.headers[i + 1] - 1 if i + 1 < len(self.headers) else len(self.lines)
        return start, end

    def key(self, i: int, *path) -> int | None:
        span = self._span(i)
        if span is None:
            return None
        start, end = span
        section = None
        found = None
        for ln in range(start, end + 1):
            text = self.lines[ln - 1]
            m = re.match(r"^\s*\[\s*claim\s*\.\s*([A-Za-z0-9_]+)\s*\]", text)
            if m:
                section = m.group(1)
                if len(path) == 1 and path[0] == section:
                    return ln
                continue
            m = re.match(r"^\s*([A-Za-z0-9_\"'-]+)\s*=", text)
            if not m:
                continue
            key = m.group(1).strip("\"'")
            if len(path) == 1 and section is None and key == path[0]:
                return ln
            if len(path) == 2:
                if section == path[0] and key == path[1]:
                    return ln
                if section is None and key == path[0] and found is None:
                    found = ln  # inline table: domain = { ... }
        return found if found is not None else start


def _loc(name, line):
    return f"{name}:{line}" if line else name


# ------------------------------------------------------------------ parsing
def load_file(path, name: str | None = None) -> tuple[list[Claim], str]:
    """Read and check a claims file; returns ``(claims, text)``.  ``name`` (default:
    the path as given) is how messages and the ``source`` of each claim name the file."""
    import os

    import stat

    name = str(path) if name is None else name
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ClaimFileError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):  # /dev/zero, a FIFO, a directory: never read them
        raise ClaimFileError(f"{name}: not a regular file (a claims file is a TOML text file)")
    size = st.st_size
    if size > MAX_FILE_BYTES:
        raise ClaimFileError(f"{name}: file too large ({size} bytes; at most {MAX_FILE_BYTES})")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ClaimFileError(f"{name}: file too large (at most {MAX_FILE_BYTES} bytes)")
    except OSError as exc:
        raise ClaimFileError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ClaimFileError(f"{name}:{line}: not UTF-8 text (a claims file is TOML)") from None
    return parse_text(text, name), text


def parse_text(text: str, name: str = "<claims>") -> list[Claim]:
    """Parse the TOML text of a claims file; raise :class:`ClaimFileError`."""
    if len(text) > MAX_FILE_BYTES:
        raise ClaimFileError(f"{name}: file too large")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ClaimFileError(f"{name}:{line}: NUL byte (a claims file is TOML text)")
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        msg = " ".join(str(exc).split())
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = m.group(1) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise ClaimFileError(f"{_loc(name, line)}: invalid TOML: {msg}") from None
    except RecursionError:
        raise ClaimFileError(f"{name}: invalid TOML: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise ClaimFileError(f"{name}: invalid number: {' '.join(str(exc).split()[:12])}") from None
    lines = _Lines(text)
    extra = [k for k in data if k not in ("claim", "title")]
    if extra:
        raise ClaimFileError(f"{name}: unknown top-level key {extra[0]!r} (a claims file holds [[claim]] tables "
                             f"and an optional title)")
    if "title" in data and not isinstance(data["title"], str):
        raise ClaimFileError(f"{name}: title must be a string")
    claims = data.get("claim")
    if claims is None:
        raise ClaimFileError(f"{name}: no [[claim]] tables")
    if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
        raise ClaimFileError(f"{name}: 'claim' must be an array of tables: write [[claim]]")
    if not claims:
        raise ClaimFileError(f"{name}: no [[claim]] tables")
    if len(claims) > MAX_CLAIMS:
        raise ClaimFileError(f"{name}: too many claims ({len(claims)}; at most {MAX_CLAIMS})")
    out, seen = [], {}
    for i, raw in enumerate(claims):
        c = _claim(raw, i, name, lines)
        if c.id in seen:
            raise ClaimFileError(f"{_loc(name, lines.key(i, 'id'))}: duplicate claim id {c.id!r} "
                                 f"(first at line {seen[c.id]})")
        seen[c.id] = c.line
        out.append(c)
    return out


def _claim(raw: dict, i: int, name: str, lines: _Lines) -> Claim:
    head = lines.claim(i)
    cid_txt = raw.get("id")
    label = f"claim {cid_txt!r}" if isinstance(cid_txt, str) else f"claim #{i + 1}"

    def fail(msg, *path):
        line = lines.key(i, *path) if path else head
        raise ClaimFileError(f"{_loc(name, line)}: {label}: {msg}")

    for k in raw:
        if k not in CLAIM_KEYS:
            fail(f"unknown key {k!r} (allowed: {', '.join(CLAIM_KEYS)})", k)
    for k in ("id", "norm", "predicate", "domain"):
        if k not in raw:
            fail(f"missing key {k!r}")
    cid = raw["id"]
    if not isinstance(cid, str) or not _ID.match(cid):
        fail("id must be a string of letters, digits and _ . : - (at most 64 characters)", "id")
    title = raw.get("title", "")
    if not isinstance(title, str) or len(title) > 500:
        fail("title must be a string of at most 500 characters", "title")
    norm = raw["norm"]
    norms = (norm,) if isinstance(norm, str) else tuple(norm) if isinstance(norm, list) else None
    if not norms or any(n not in ("std", "mean") for n in norms) or len(set(norms)) != len(norms):
        fail('norm must be "std", "mean" or a list of them', "norm")
    expect = raw.get("expect")
    if expect is not None and expect not in EXPECT:
        fail(f"expect must be one of {', '.join(EXPECT)}", "expect")
    quantifier = raw.get("quantifier", "all")
    if quantifier not in QUANTIFIERS:
        fail(f"quantifier must be one of {', '.join(map(repr, QUANTIFIERS))}", "quantifier")
    budgets = {}
    for k, (default, lo, hi) in BUDGETS.items():
        v = raw.get(k, default)
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            fail(f"{k} must be an integer in [{lo}, {hi}]", k)
        budgets[k] = v
    text = raw["predicate"]
    if not isinstance(text, str):
        fail("predicate must be a string", "predicate")
    lets = raw.get("let", {})
    if not isinstance(lets, dict) or not all(isinstance(v, str) for v in lets.values()):
        fail('let must be a table of strings: let = { a = "2/beta" } or [claim.let]', "let")
    try:
        table = _Lets(lets)
        pred = compile_predicate(text, table)
    except LetError as exc:
        raise ClaimFileError(f"{_loc(name, lines.key(i, 'let', exc.name))}: {label}: {exc}") from None
    except PredicateError as exc:
        pline = lines.key(i, "predicate")
        if pline is not None:
            after = lines.lines[pline - 1].split("=", 1)[1].strip() if "=" in lines.lines[pline - 1] else ""
            offset = 1 if after in ('"""', "'''") else 0
            lead = len(text) - len(text.lstrip("\n"))
            pline = pline + offset + lead + exc.line - 1
        raise ClaimFileError(f"{_loc(name, pline)}: {label}: predicate: {exc}") from None
    dom = raw["domain"]
    if not isinstance(dom, dict):
        fail("domain must be a table: [claim.domain] with p_ref, beta, ...", "domain")
    assume = None
    if "assume" in raw:
        try:
            assume = compile_predicate(raw["assume"], table, what="assumption")
        except LetError as exc:
            raise ClaimFileError(f"{_loc(name, lines.key(i, 'let', exc.name))}: {label}: {exc}") from None
        except PredicateError as exc:
            fail(f"assume: {exc}", "assume")
        if assume.uses_count or assume.uses_engine:
            fail("assume: an assumption is about the parameters, p, the map and iterates (no fixed points, "
                 "orbits or count)", "assume")
    domain = _domain(dom, norms, pred, lambda msg, key: fail(msg, "domain", key) if key else fail(msg, "domain"),
                     assume)
    if quantifier == "exists" and assume is not None:
        fail("assume: an existential claim states its condition in the predicate (... and ...)", "assume")
    return Claim(cid, title, norms, pred, domain, expect, head or 0, _loc(name, head), budgets, assume, dict(lets),
                 quantifier)


def _domain(dom: dict, norms, pred: Predicate, fail, assume: Predicate | None = None) -> Domain:
    for k in dom:
        if k not in DOMAIN_KEYS:
            hint = " (write p_ref, not p-ref)" if k.replace("-", "_") in DOMAIN_KEYS else ""
            fail(f"unknown parameter {k!r}{hint} (allowed: {', '.join(DOMAIN_KEYS)})", k)
    for k in ("p_ref", "beta"):
        if k not in dom:
            fail(f"missing parameter {k!r}", None)
    if "std" in norms and "eps" not in dom:
        fail("missing parameter 'eps' (required with norm = \"std\"; use eps = 0 for no smoothing)", None)
    if "p" in pred.names and "p" not in dom:
        fail("the predicate uses p: give its range, e.g. p = {gt = 0, lt = 1}", None)
    if assume is not None and "p" in assume.names and "p" not in dom:
        fail("the assumption uses p: give its range, e.g. p = {gt = 0, lt = 1}", None)
    if "clip_high" in dom and "clip_low" not in dom:
        fail("clip_high needs clip_low (the lower clip range; clip_high defaults to it)", "clip_high")
    used = [k for k in ("clip_low", "clip_high") if k in pred.names]
    if used and "clip_low" not in dom:
        fail(f"the predicate uses {used[0]}: give clip_low (and optionally clip_high) in the domain", None)
    linked_text = {k: v for k, v in dom.items() if _is_expression(v)}
    for k in linked_text:
        if k not in LINKABLE:
            fail(f"{k} cannot be given as an expression (linked parameters: {', '.join(LINKABLE)})", k)
    dims = {}
    for k in DOMAIN_KEYS:
        if k in dom and k not in linked_text and k not in ("group_size", "convention"):
            dims[k] = _values(k, dom[k], fail)
    _group(dom, norms, dims, fail)
    if "alpha" not in linked_text:
        dims.setdefault("alpha", (Fraction(1),))
    if "eps" not in linked_text:
        dims.setdefault("eps", (Fraction(0),))
    p0_is_p_ref = "p0" not in dims and "p0" not in linked_text
    linked = {}
    sources = tuple(k for k in LINKABLE if k in dims)
    for k, text in linked_text.items():
        try:
            linked[k] = compile_expression(text, sources)
        except PredicateError as exc:
            fail(f"{k}: {exc}", k)
    n_finite = len(norms)
    for k, v in dims.items():
        if not isinstance(v, Range):
            n_finite *= len(v)
    if n_finite > MAX_POINTS:
        fail(f"the finite part of the domain has {n_finite} points (at most {MAX_POINTS}); use ranges", None)
    if n_finite * pred.work > MAX_CLAIM_WORK:
        fail(f"claim too expensive: {n_finite} points times about {pred.work} evaluation steps (at most "
             f"{MAX_CLAIM_WORK} in all); use fewer points or shorter quantifiers", None)
    clipped = "clip_low" in dims or "clip_low" in linked
    if clipped:
        _check_clipped_map(dims, norms, pred, fail, linked)
    if "group_size" in dims:
        _check_group_map(dims, norms, pred, fail, linked)
    out = Domain(tuple(norms), dims, p0_is_p_ref, clipped and "clip_high" not in dims and "clip_high" not in linked,
                 linked)
    _check_linked_points(out, fail)
    return out


def _is_expression(v) -> bool:
    """A domain value written as an expression of other parameters (a string that is not a number)."""
    if not isinstance(v, str) or not re.search(r"\b(" + "|".join(LINKABLE) + r")\b", v):
        return False  # "nan", "1e-5", "1/3": numbers (or bad numbers), read by parse_exact
    try:
        parse_exact(v, "x")
        return False
    except InputError:
        return True


def _group(dom: dict, norms, dims: dict, fail) -> None:
    """``group_size`` (integers G >= 2, a value or a list) and ``convention`` ('paper', 'trl',
    'mean'; default 'mean' for norm = "mean", else 'paper'), as ``dynamics --group-size G
    --convention C``."""
    if "group_size" in dom:
        v = dom["group_size"]
        vs = v if isinstance(v, list) else [v]
        if not vs or len(vs) > MAX_LIST or any(isinstance(x, bool) or not isinstance(x, int) or
                                               not 2 <= x <= MAX_GROUP for x in vs):
            fail(f"group_size must be an integer in [2, {MAX_GROUP}] or a list of them (no ranges)", "group_size")
        dims["group_size"] = tuple(dict.fromkeys(Fraction(x) for x in vs))
    if "convention" in dom:
        if "group_size" not in dom:
            fail("convention needs group_size (the finite group of GRPO)", "convention")
        v = dom["convention"]
        vs = v if isinstance(v, list) else [v]
        if not vs or any(x not in CONVENTIONS for x in vs):
            fail(f"convention must be one of {', '.join(CONVENTIONS)} or a list of them", "convention")
        for c in vs:
            for n in norms:
                if (c == "mean") != (n == "mean"):
                    fail(f"convention {c!r} does not match norm {n!r} ('mean' goes with norm = \"mean\", "
                         f"'paper' and 'trl' with norm = \"std\")", "convention")
        dims["convention"] = tuple(dict.fromkeys(vs))


def _check_group_map(dims, norms, pred: Predicate, fail, linked) -> None:
    """The finite-group weights take an exact ``eps`` (:class:`~grpo_symbolic.exact.group_weights.
    GroupWeights`): a map claim (decided by interval branch and bound) with ``norm = "std"`` and
    ``group_size`` needs ``eps`` as a value or a list."""
    if not pred.uses_map or pred.uses_engine or "std" not in norms:
        return
    if isinstance(dims.get("eps"), Range) or "eps" in linked and any(
            isinstance(dims.get(s), Range) for s in linked["eps"].names):
        fail("eps is a range, but the finite-group map (group_size) takes eps as exact values: give eps as a "
             "value or a list", "eps")


def _check_linked_points(dom: Domain, fail) -> None:
    """Every linked parameter at the points of the finite part of the domain (all of it when no
    source is a range) must be a valid value: an error names the first bad one."""
    if not dom.linked:
        return
    srcs = sorted(set().union(*(e.names for e in dom.linked.values())))
    if any(isinstance(dom.dims.get(k), Range) for k in srcs):
        return  # checked at each point by the checker (outside its range: outside the domain)
    keys = [k for k in srcs if k in dom.dims]
    for combo in product(*[dom.dims[k] for k in keys]):
        vals = dom.fill(dict(zip(keys, combo)))
        for k in dom.linked:
            if _in_limits(k, vals[k]) is not True:
                at = ", ".join(f"{a} = {_fmt(b)}" for a, b in zip(keys, combo))
                shown = _fmt(vals[k]) if isinstance(vals[k], Fraction) else "undefined"
                fail(f"{k} = {shown} at {at}: {k} must be {_WHERE[k]}", k)


def _in_limits(k, v):
    """Three-valued: is the value ``v`` (Fraction, Arb ball, UNDEF/UNKNOWN) of parameter ``k``
    inside its limits?"""
    from flint import arb

    from .values import UNDEF

    if v is UNDEF:
        return False
    lo, lo_closed, hi, hi_closed = _LIMITS[k]
    if isinstance(v, Fraction):
        return (v > lo or (lo_closed and v == lo)) and (hi is None or v < hi or (hi_closed and v == hi))
    if not isinstance(v, arb) or not v.is_finite():
        return None
    from ..exact.arbutil import to_arb

    L = to_arb(lo)
    above = (v > L) or (lo_closed and v >= L)
    below_fail = (v < L) or (not lo_closed and v <= L)
    if hi is None:
        return True if above else (False if below_fail else None)
    H = to_arb(hi)
    under = (v < H) or (hi_closed and v <= H)
    over_fail = (v > H) or (not hi_closed and v >= H)
    if below_fail or over_fail:
        return False
    return True if (above and under) else None


def _check_clipped_map(dims, norms, pred: Predicate, fail, linked=None) -> None:
    """The clipped map is evaluated at exact parameter points only (the kernel's
    :meth:`~grpo_symbolic.exact.clipped.ClippedMap.g_arb` takes exact parameters): refuse a
    claim that would evaluate it on an interval of one of its parameters, i.e. a map claim
    (no fixed points or orbits, so decided by interval branch and bound) with such a range."""
    if not pred.uses_map or pred.uses_engine:
        return  # engine claims are evaluated at exact points only
    for k in MAP_PARAMS:
        if k == "eps" and "std" not in norms and "eps" not in pred.names:
            continue  # the mean-only map does not use eps
        ranged = isinstance(dims.get(k), Range) or (k in (linked or {}) and any(
            isinstance(dims.get(s), Range) for s in linked[k].names))
        if ranged:
            fail(f"{k} is a range, but the clipped map (h, dh, g, dg, p_n, L_n with clip_low) is evaluated "
                 f"at exact parameter points only, not on intervals: give {k} as a value or a list", k)


#: (lower end, may the lower end be closed, upper end, may the upper end be closed)
_LIMITS = {
    "p_ref": (Fraction(0), False, Fraction(1), False),
    "p0": (Fraction(0), False, Fraction(1), False),
    "p": (Fraction(0), False, Fraction(1), False),
    "beta": (Fraction(0), False, None, True),
    "alpha": (Fraction(0), True, Fraction(1), True),
    "eps": (Fraction(0), True, None, True),
    "clip_low": (Fraction(0), True, Fraction(1), False),
    "clip_high": (Fraction(0), True, Fraction(10**6), True),
}
_WHERE = {"p_ref": "in (0, 1)", "p0": "in (0, 1)", "p": "in (0, 1)", "beta": "> 0", "alpha": "in [0, 1]",
          "eps": ">= 0", "clip_low": "in [0, 1)", "clip_high": "in [0, 1e6]"}


def _number(k, v, fail, what=""):
    if isinstance(v, bool) or not isinstance(v, (int, Decimal, str)):
        fail(f"{k}{what}: expected a number, got {type(v).__name__ if not isinstance(v, dict) else 'a table'}", k)
    if isinstance(v, str) and len(v) > 200:
        fail(f"{k}{what}: number text too long", k)
    try:
        x = parse_exact(v, f"{k}{what}")
    except InputError as exc:
        fail(str(exc), k)
    if abs(x.numerator).bit_length() > _MAX_BITS or x.denominator.bit_length() > _MAX_BITS:
        fail(f"{k}{what}: number too large or too precise", k)
    return x


def _check_point(k, x, fail):
    lo, lo_closed, hi, hi_closed = _LIMITS[k]
    ok = (x > lo or (lo_closed and x == lo)) and (hi is None or x < hi or (hi_closed and x == hi))
    if not ok:
        fail(f"{k} must be {_WHERE[k]}, got {_fmt(x)}", k)


def _values(k, v, fail):
    if isinstance(v, list):
        if not v:
            fail(f"{k}: empty list", k)
        if len(v) > MAX_LIST:
            fail(f"{k}: list too long ({len(v)} values; at most {MAX_LIST})", k)
        xs = []
        for j, item in enumerate(v):
            x = _number(k, item, fail, f"[{j}]")
            _check_point(k, x, fail)
            if x not in xs:
                xs.append(x)
        return tuple(xs)
    if isinstance(v, dict):
        bad = [key for key in v if key not in ("min", "max", "gt", "lt")]
        if bad:
            fail(f"{k}: unknown range key {bad[0]!r} (use min/max for closed ends, gt/lt for open ends)", k)
        if ("min" in v) == ("gt" in v) or ("max" in v) == ("lt" in v):
            fail(f"{k}: a range needs one lower end (min or gt) and one upper end (max or lt)", k)
        lo_key = "min" if "min" in v else "gt"
        hi_key = "max" if "max" in v else "lt"
        lo = _number(k, v[lo_key], fail, f".{lo_key}")
        hi = _number(k, v[hi_key], fail, f".{hi_key}")
        lo_open, hi_open = lo_key == "gt", hi_key == "lt"
        if lo > hi or (lo == hi and (lo_open or hi_open)):
            fail(f"{k}: empty range {'(' if lo_open else '['}{_fmt(lo)}, {_fmt(hi)}{')' if hi_open else ']'}", k)
        L, lo_closed_ok, H, hi_closed_ok = _LIMITS[k]
        if lo < L or (lo == L and not lo_open and not lo_closed_ok):
            fail(f"{k} must be {_WHERE[k]}: the lower end {lo_key} = {_fmt(lo)} is outside"
                 + (f" (use gt = {_fmt(L)} for an open end)" if lo == L else ""), k)
        if H is not None and (hi > H or (hi == H and not hi_open and not hi_closed_ok)):
            fail(f"{k} must be {_WHERE[k]}: the upper end {hi_key} = {_fmt(hi)} is outside"
                 + (f" (use lt = {_fmt(H)} for an open end)" if hi == H else ""), k)
        if lo == hi:
            return (lo,)
        return Range(lo, hi, lo_open, hi_open)
    x = _number(k, v, fail)
    _check_point(k, x, fail)
    return (x,)


def fmt_value(x: Fraction) -> str:
    return _fmt(x)

