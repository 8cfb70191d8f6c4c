r"""Steps and derivations: equations that SymPy checks, with a numeric second route.

A :class:`Step` states ``lhs <relation> rhs`` where ``relation`` is ``"=="``,
``">"``, ``"<"``, ``">="``, ``"<="`` or ``"solve"`` (``rhs`` is what
``sympy.solve`` returned for ``unknown`` in the equation ``lhs = 0``).

:meth:`Step.check` first applies the step's *definitions* ``defs`` (display
symbols such as ``p_ref`` replaced by the finite sums they stand for) and its
*substitutions* ``subs`` (a case or positivity parametrisation, e.g. ``p = u/(1+u)``),
then runs the route (:mod:`~grpo_symbolic.symbolic.rewrites`) on

* ``lhs - rhs`` for ``==`` (ok iff it reduces to exactly ``0``);
* ``lhs - rhs`` for inequalities (ok iff SymPy's assumption system proves the sign);
* ``lhs`` with ``unknown = rhs`` for ``solve`` (ok iff it reduces to ``0``).

Nothing is caught silently: an exception inside a route makes ``ok`` false and is
reported in ``CheckResult.error``.  :meth:`Step.spot_check` evaluates both sides with
mpmath at random points of the declared domains (:mod:`~grpo_symbolic.symbolic.spot`).

>>> import sympy as sp
>>> from grpo_symbolic.symbolic.symbols import p, beta
>>> from grpo_symbolic.symbolic.rewrites import EXPAND
>>> st = Step("demo", "Distribute.", beta*(p + 1), beta*p + beta, route=(EXPAND,))
>>> st.check().ok, st.spot_check(n=5).ok
(True, True)
>>> Step("bad", "Dropped beta.", beta*(p + 1), p + beta, route=(EXPAND,)).check().ok
False
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import sympy as sp

from .rewrites import method_string, run_route
from .spot import SpotResult, spot_check_exprs
from .symbols import LATEX_NAMES

__all__ = ["Step", "CheckResult", "Derivation", "RELATIONS", "tex", "text_escape"]

RELATIONS = ("==", ">", "<", ">=", "<=", "solve")
_TEX_REL = {"==": "=", ">": ">", "<": "<", ">=": r"\geq", "<=": r"\leq"}
_SIGN = {">": "is_positive", "<": "is_negative", ">=": "is_nonnegative", "<=": "is_nonpositive"}


def tex(expr) -> str:
    """LaTeX of ``expr`` with the package's symbol names."""
    return sp.latex(expr, symbol_names=LATEX_NAMES)


def text_escape(s: str) -> str:
    """Escape LaTeX special characters of plain text."""
    rep = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
           "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}"}
    return "".join(rep.get(c, c) for c in s)


def _is_zero(e) -> bool:
    if isinstance(e, sp.MatrixBase):
        return all(_is_zero(x) for x in e)
    return e == 0


@dataclass
class CheckResult:
    """Result of :meth:`Step.check`."""

    ok: bool
    residual: object
    relation: str
    seconds: float = 0.0
    error: str | None = None

    def __bool__(self):
        return self.ok


@dataclass(eq=False)
class Step:
    """One checked equation, inequality or solve result (see module docstring)."""

    name: str
    text: str
    lhs: object
    rhs: object
    relation: str = "=="
    route: tuple = ()
    assumptions: tuple = ()
    unknown: object = None
    defs: dict | None = None
    subs: dict | None = None
    domains: dict | None = None
    produced_by: str = ""
    _cache: CheckResult | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}")
        if self.relation == "solve" and self.unknown is None:
            raise ValueError("a solve step needs the unknown")
        self.lhs = sp.sympify(self.lhs) if not isinstance(self.lhs, sp.MatrixBase) else self.lhs
        self.rhs = sp.sympify(self.rhs) if not isinstance(self.rhs, sp.MatrixBase) else self.rhs
        self.assumptions = tuple(self.assumptions)

    # ------------------------------------------------------------- routes
    @property
    def method(self) -> str:
        """The SymPy route actually used, as text."""
        pre = []
        if self.produced_by:
            pre.append(f"rhs by {self.produced_by}; check by substitution")
        if self.defs:
            pre.append("substitute definitions")
        if self.subs:
            pre.append("substitute " + ", ".join(f"{k}={v}" for k, v in self.subs.items()))
        prefix = "; ".join(pre) + ("; " if pre else "")
        m = method_string(self.route, prefix)
        if self.relation in _SIGN:
            m += f"; sign by SymPy assumptions ({_SIGN[self.relation]})"
        return m

    def prepared(self):
        """``(lhs, rhs)`` after the definitions and substitutions."""
        lhs, rhs = self.lhs, self.rhs
        for d in (self.defs, self.subs):
            if d:
                lhs, rhs = lhs.xreplace(d), rhs.xreplace(d)
        return lhs, rhs

    def symbol_assumptions(self) -> dict:
        """The SymPy assumptions of the free symbols the check works with."""
        lhs, rhs = self.prepared()
        syms = set()
        for e in (lhs, rhs):
            syms |= e.free_symbols
        out = {}
        for sym in sorted(syms, key=lambda z: z.name):
            for key in ("positive", "nonnegative", "negative", "real"):
                if getattr(sym, f"is_{key}"):
                    out[sym.name] = key
                    break
            else:
                out[sym.name] = "complex"
        return out

    def check(self) -> CheckResult:
        """Check the step symbolically (cached)."""
        if self._cache is None:
            self._cache = self._check()
        return self._cache

    def _check(self) -> CheckResult:
        t0 = time.perf_counter()
        try:
            lhs, rhs = self.prepared()
            if self.relation == "solve":
                res = run_route(lhs.xreplace({self.unknown: rhs}), self.route)
                ok = _is_zero(res)
            elif self.relation == "==":
                res = run_route(lhs - rhs, self.route)
                ok = _is_zero(res)
            else:
                res = run_route(lhs - rhs, self.route)
                ok = getattr(res, _SIGN[self.relation]) is True
        except Exception as exc:  # reported, not swallowed: ok=False with the error
            return CheckResult(False, None, self.relation, time.perf_counter() - t0,
                               f"{type(exc).__name__}: {exc}")
        return CheckResult(bool(ok), res, self.relation, time.perf_counter() - t0)

    def spot_check(self, n: int = 20, dps: int = 50, seed: int = 0) -> SpotResult:
        """Independent numeric check at ``n`` random points (see :mod:`.spot`)."""
        lhs, rhs = self.prepared()
        return spot_check_exprs(lhs, rhs, self.relation, unknown=self.unknown,
                                overrides=self.domains, n=n, dps=dps, seed=seed)

    # ------------------------------------------------------------ output
    def equation_str(self) -> str:
        if self.relation == "solve":
            return f"{sp.sstr(self.lhs)} = 0  ==>  {self.unknown} = {sp.sstr(self.rhs)}"
        rel = "=" if self.relation == "==" else self.relation
        return f"{sp.sstr(self.lhs)} {rel} {sp.sstr(self.rhs)}"

    def latex(self) -> str:
        """The step as one LaTeX line (``&`` before the relation, for ``align``)."""
        if self.relation == "solve":
            return (f"{tex(self.lhs)} &= 0 \\;\\Longrightarrow\\; "
                    f"{tex(self.unknown)} = {tex(self.rhs)}")
        return f"{tex(self.lhs)} &{_TEX_REL[self.relation]} {tex(self.rhs)}"

    def to_json(self) -> dict:
        res = self.check()
        d = {"name": self.name, "text": self.text, "relation": self.relation,
             "lhs": {"str": sp.sstr(self.lhs), "latex": tex(self.lhs)},
             "rhs": {"str": sp.sstr(self.rhs), "latex": tex(self.rhs)},
             "method": self.method, "assumptions": list(self.assumptions),
             "symbol_assumptions": self.symbol_assumptions(), "ok": res.ok}
        if self.relation == "solve":
            d["unknown"] = str(self.unknown)
        if self.defs:
            d["definitions"] = {str(k): sp.sstr(v) for k, v in self.defs.items()}
        if self.subs:
            d["substitutions"] = {str(k): sp.sstr(v) for k, v in self.subs.items()}
        if not res.ok:
            d["residual"] = None if res.residual is None else sp.sstr(res.residual)
            if res.error:
                d["error"] = res.error
        return d


@dataclass
class DerivationCheck:
    ok: bool
    results: list
    seconds: float

    def __bool__(self):
        return self.ok

    @property
    def failed(self) -> list:
        return [name for name, r in self.results if not r.ok]


@dataclass(eq=False)
class Derivation:
    """An ordered list of steps with hypotheses and the derived ``result`` objects."""

    name: str
    title: str
    hypotheses: list
    steps: list
    result: dict

    def __post_init__(self):
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate step names in {self.name}")

    def step(self, name: str) -> Step:
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(name)

    def check(self) -> DerivationCheck:
        t0 = time.perf_counter()
        res = [(s.name, s.check()) for s in self.steps]
        return DerivationCheck(all(r.ok for _, r in res), res, time.perf_counter() - t0)

    def spot_check(self, n: int = 20, dps: int = 50, seed: int = 0) -> dict:
        return {s.name: s.spot_check(n=n, dps=dps, seed=seed) for s in self.steps}

    def to_json(self) -> dict:
        steps = [s.to_json() for s in self.steps]
        return {"name": self.name, "title": self.title, "hypotheses": list(self.hypotheses),
                "steps": steps, "ok": all(s["ok"] for s in steps),
                "result": {k: {"str": sp.sstr(v), "latex": tex(v)} for k, v in self.result.items()}}

    def to_latex(self) -> str:
        out = [f"\\subsection*{{{text_escape(self.title)}}}"]
        if self.hypotheses:
            out.append("\\textbf{Hypotheses.}\n\\begin{itemize}")
            out += [f"  \\item {text_escape(h)}" for h in self.hypotheses]
            out.append("\\end{itemize}")
        for s in self.steps:
            ok = s.check().ok
            mark = r"\checkmark" if ok else r"\textbf{FAIL}"
            out.append(f"\\paragraph{{{text_escape(s.name)}}} {text_escape(s.text)} "
                       f"[{mark}; \\texttt{{{text_escape(s.method)}}}]")
            out.append("\\begin{align*}\n  " + s.latex() + "\n\\end{align*}")
        return "\n".join(out)
