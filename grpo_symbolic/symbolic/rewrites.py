r"""Named SymPy rewrites: the "routes" by which a step is checked.

A route is a tuple of :class:`Rewrite` objects applied in order to the residual
``lhs - rhs`` (or to ``lhs`` with the solution substituted, for ``solve`` steps).
The step's ``method`` string is the names joined by ``" + "``, so it always states
the route actually run.  Only targeted rewrites are offered; :data:`SIMPLIFY` exists
but no derivation of this package uses it.

``force=True`` variants (``expand_log``, ``powdenest``, ``expand_power_base``) are
valid because every base they touch is a positive quantity; each step that uses
one lists that fact in its ``assumptions``.

>>> import sympy as sp
>>> a, b = sp.symbols("a b", positive=True)
>>> run_route(sp.log(a*b) - sp.log(a) - sp.log(b), (EXPAND_LOG,))
0
>>> method_string((EXPAND_LOG, CANCEL))
'expand_log(force) + cancel'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

__all__ = [
    "Rewrite", "run_route", "method_string", "inside", "CANCEL", "TOGETHER", "EXPAND",
    "FACTOR_TERMS", "POWSIMP", "POWSIMP_ALL", "POWDENEST", "EXPAND_POWER_BASE", "EXPAND_LOG",
    "EXPAND_EXP", "POW_TO_EXP", "RADSIMP", "DOIT", "EXP_REWRITE", "MINMAX", "SIMPLIFY", "FACTOR",
]


@dataclass(frozen=True)
class Rewrite:
    """One named rewrite ``fn: Expr -> Expr``."""

    name: str
    fn: Callable

    def __call__(self, expr):
        if isinstance(expr, sp.MatrixBase):
            return expr.applyfunc(self.fn)
        return self.fn(expr)


def run_route(expr, route) -> sp.Expr:
    """Apply the rewrites of ``route`` in order."""
    for rw in route:
        expr = rw(expr)
    return expr


def method_string(route, prefix: str = "") -> str:
    names = " + ".join(rw.name for rw in route) or "automatic evaluation"
    return f"{prefix}{names}" if prefix else names


def inside(rw: Rewrite, where: str = "all") -> Rewrite:
    """Apply ``rw`` to the arguments of ``log`` / ``Abs`` and to the bases of powers.

    ``where`` is ``"log"``, ``"pow"``, ``"abs"``, ``"exp"`` (the exponent of ``exp``)
    or ``"all"`` (log, abs and powers).
    """
    def query(e):
        if where == "exp":
            return isinstance(e, sp.exp)
        if where in ("log", "all") and isinstance(e, sp.log):
            return True
        if where in ("abs", "all") and isinstance(e, sp.Abs):
            return True
        return where in ("pow", "all") and e.is_Pow

    def value(e):
        if e.is_Pow:
            return sp.Pow(rw.fn(e.base), e.exp)
        return e.func(rw.fn(e.args[0]))

    return Rewrite(f"{rw.name} inside {where if where != 'all' else 'log/abs/pow'}",
                   lambda e: e.replace(query, value))


def _minmax(expr):
    """Rebuild every Min/Max bottom-up with expanded arguments, so SymPy's
    assumption-based comparison of the arguments can decide it."""
    return expr.replace(lambda e: isinstance(e, (sp.Min, sp.Max)),
                        lambda e: e.func(*[sp.expand(a) for a in e.args]))


CANCEL = Rewrite("cancel", sp.cancel)
TOGETHER = Rewrite("together", sp.together)
EXPAND = Rewrite("expand", sp.expand)
FACTOR = Rewrite("factor", sp.factor)
FACTOR_TERMS = Rewrite("factor_terms", sp.factor_terms)
POWSIMP = Rewrite("powsimp(combine=exp)", lambda e: sp.powsimp(e, combine="exp"))
POWSIMP_ALL = Rewrite("powsimp", sp.powsimp)
POWDENEST = Rewrite("powdenest(force)", lambda e: sp.powdenest(e, force=True))
EXPAND_POWER_BASE = Rewrite("expand_power_base(force)",
                            lambda e: sp.powdenest(sp.expand_power_base(e, force=True), force=True))
EXPAND_LOG = Rewrite("expand_log(force)", lambda e: sp.expand_log(e, force=True))
EXPAND_EXP = Rewrite("expand(power_exp)",
                     lambda e: sp.expand(e, power_exp=True, power_base=False, mul=True, log=False))
RADSIMP = Rewrite("radsimp", sp.radsimp)
DOIT = Rewrite("doit", lambda e: e.doit())
EXP_REWRITE = Rewrite("rewrite(exp)", lambda e: e.rewrite(sp.exp))
#: powers ``b**e`` with a non-numeric exponent written as ``exp(e*log(b))``
POW_TO_EXP = Rewrite("b**e -> exp(e log b)",
                     lambda e: e.replace(lambda z: z.is_Pow and not z.exp.is_Number,
                                         lambda z: sp.exp(z.exp * sp.log(z.base))))
MINMAX = Rewrite("Min/Max re-evaluation under assumptions", _minmax)
SIMPLIFY = Rewrite("simplify", sp.simplify)
