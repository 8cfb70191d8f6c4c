"""Evaluate SymPy expressions rigorously with Arb balls, or fast with mpmath.

:func:`arb_eval` walks the expression tree itself (rather than ``lambdify``) so that
rationals stay exact and every operation is an Arb enclosure: the resulting ball
contains the exact value of the expression for every value of the variables in
their balls.  Supported: + * / powers, exp, log, sqrt, Abs, Min, Max, sign-free
Piecewise-free expressions built from these, pi, E.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import sympy as sp
from flint import arb

from ..exact.arbutil import abs_range, arb_prec, mul, pow_int, to_arb


class NotEvaluable(ValueError):
    """The expression uses an operation the evaluator does not support."""


def arb_eval(expr, env: dict, bits: int = 128) -> arb:
    """Arb enclosure of ``expr`` with ``env`` mapping each free Symbol to an arb (or
    a Fraction/int, taken exactly)."""
    with arb_prec(bits):
        env = {k: (v if isinstance(v, arb) else to_arb(Fraction(v))) for k, v in env.items()}
        return _ev(sp.sympify(expr), env)


def hull_eval(expr, env: dict) -> arb:
    """Like :func:`arb_eval` at the current precision, for balls that are wide intervals
    (a branch-and-bound box): products, quotients, powers, ``exp``, ``log`` and ``sqrt`` are
    taken from the end points (each is monotone on a sign-definite ball), where Arb's
    mid-radius arithmetic would lose the sign (``[0.01, 0.99] * [0.01, 0.99]`` reaches
    below 0 in mid-radius form).

    >>> from grpo_symbolic.exact.arbutil import interval
    >>> p = sp.Symbol("p", positive=True)
    >>> bool(hull_eval(p * (1 - p), {p: interval(Fraction(1, 100), Fraction(99, 100))}) > 0)
    True
    """
    return _ev(expr, env, hull=True)


def _ev(e, env, hull: bool = False):
    if hull and (e.is_Mul or e.is_Pow or isinstance(e, (sp.exp, sp.log))):
        return _ev_hull(e, env)
    if e.is_Symbol:
        if e not in env:
            raise NotEvaluable(f"no value for {e}")
        return env[e]
    if e.is_Integer:
        return arb(int(e))
    if e.is_Rational:
        return to_arb(Fraction(int(e.p), int(e.q)))
    if e.is_Float:
        # a Float is a binary number (the package takes floats at their exact binary value):
        # enclose that value exactly; arb(str(e)) would enclose its shortened decimal instead
        q = sp.Rational(e)
        return to_arb(Fraction(int(q.p), int(q.q)))
    if e is sp.pi:
        return arb.pi()
    if e is sp.E:
        return arb(1).exp()
    if e.is_Add:
        out = arb(0)
        for a in e.args:
            out = out + _ev(a, env, hull)
        return out
    if e.is_Mul:
        out = arb(1)
        for a in e.args:
            out = out * _ev(a, env)
        return out
    if e.is_Pow:
        b, x = e.args
        B = _ev(b, env)
        if x.is_Integer:
            n = int(x)
            if n >= 0:
                return B ** n
            return 1 / (B ** (-n))
        if x == sp.Rational(1, 2):
            return B.sqrt()
        if x == sp.Rational(-1, 2):
            return B.rsqrt()
        X = _ev(x, env)
        if not B > 0:
            raise NotEvaluable("power of a base not certified positive")
        return (X * B.log()).exp()
    if isinstance(e, sp.exp):
        return _ev(e.args[0], env).exp()
    if isinstance(e, sp.log):
        if len(e.args) != 1:
            raise NotEvaluable("log with base")
        return _ev(e.args[0], env).log()
    if isinstance(e, sp.Abs):
        return abs(_ev(e.args[0], env))
    if isinstance(e, (sp.Min, sp.Max)):
        vals = [_ev(a, env) for a in e.args]
        out = vals[0]
        for v in vals[1:]:
            out = out.min(v) if isinstance(e, sp.Min) else out.max(v)
        return out
    if isinstance(e, sp.tanh):
        return _ev(e.args[0], env).tanh()
    if isinstance(e, sp.cosh):
        return _ev(e.args[0], env).cosh()
    if isinstance(e, sp.sinh):
        return _ev(e.args[0], env).sinh()
    if isinstance(e, sp.Abs) and hull:
        m, M = abs_range(_ev(e.args[0], env, hull))
        return m.union(M)
    raise NotEvaluable(f"unsupported operation {type(e).__name__}")


def _ev_hull(e, env):
    """End-point forms of ``*``, ``**``, ``exp`` and ``log`` (see :func:`hull_eval`)."""
    if e.is_Mul:
        out = arb(1)
        for a in e.args:
            out = mul(out, _ev(a, env, True))
        return out
    if isinstance(e, (sp.exp, sp.log)):
        x = _ev(e.args[0], env, True)
        f = arb.exp if isinstance(e, sp.exp) else arb.log
        return f(x) if x.rad() == 0 else f(x.lower()).union(f(x.upper()))
    b, k = e.args
    B = _ev(b, env, True)
    if not k.is_Rational or B.rad() == 0:
        return _ev(e, env) if B.rad() == 0 else _pow_real(B, _ev(k, env, True))
    if k.is_Integer:
        return pow_int(B, int(k))
    if not B >= 0:
        return arb("nan")
    lo, hi = B.lower(), B.upper()
    f = (lambda t: t.sqrt()) if k == sp.Rational(1, 2) else (lambda t: _pow_real(t, _ev(k, env)))
    a, c = f(lo), f(hi)
    return a.union(c)


def _pow_real(B, X):
    if not B > 0:
        return arb("nan")
    return (X * B.log()).exp()


def mp_func(expr, symbols):
    """A fast mpmath callable for ``expr`` (rationals kept exact by mpmath)."""
    return sp.lambdify(symbols, expr, modules="mpmath")


def mp_eval(expr, env: dict, dps: int = 50):
    syms = list(env)
    f = mp_func(expr, syms)
    with mp.workdps(dps):
        return f(*[mp.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in env.values()])
