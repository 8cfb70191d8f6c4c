r"""Derivation 7: the exact maximiser of one *clipped* GRPO iteration (GRPO-Clip), in closed form.

The paper (arXiv 2503.06639v4) derives the iteration without the clip and leaves
GRPO-Clip open.  Here, per prompt, with a binary reward, ``pi_old = pi_{n-1}`` and the
paper's weights, one iteration is

.. math:: \pi_n = \arg\max_\pi\ \mathbb E_{o\sim\pi_{n-1}}\Big[f\Big(\frac{\pi(o)}{\pi_{n-1}(o)},
          A_{n-1}(o)\Big)\Big] - \beta\big[\alpha\,\mathrm{KL}(\pi\|\pi_{\mathrm{ref}})
          + (1-\alpha)\,\mathrm{KL}(\pi\|\pi_{n-1})\big],

``f(x, y) = min(x y, clip(x, 1-eps_low, 1+eps_high) y)``, ``A = +omega_plus`` on the
successes ``S`` and ``-omega_minus`` on the failures ``F`` (any positive weights; the
``std`` weights ``omega_plus = (1-p) Omega``, ``omega_minus = p Omega``,
``Omega = (p(1-p)+eps)^(-1/2)``, or the ``mean`` weights ``1-p``, ``p``, at
``p = p_{n-1}``), ``0 <= eps_low < 1``, ``eps_high >= 0``, ``beta > 0``,
``alpha in [0, 1]``, ``pi_0 = pi_ref``.

**Result.**  Every iterate is a reward-only tilt of ``pi_ref`` (it keeps ``pi_ref``'s
conditional laws on ``S`` and on ``F``), and its PoS is

.. math:: p_n = q^* = \max\big(\min(p_a, t_1),\ \min(p_b, t_2),\ p_c\big),

with the two clip thresholds ``u_S = (1+eps_high) p``, ``u_F = p + eps_low (1-p)``
(``p = p_{n-1}``), ``t_1 = min(u_S, u_F)``, ``t_2 = max(u_S, u_F)``, ``omega_late`` the
weight of the class whose threshold is ``t_2`` (``omega_minus`` when ``u_S <= u_F``),
``A_L = alpha logit p_ref + (1-alpha) logit p`` and

.. math:: p_a = \sigma(A_L + (\omega^+ + \omega^-)/\beta),\quad
          p_b = \sigma(A_L + \omega_{\mathrm{late}}/\beta),\quad p_c = \sigma(A_L).

``p_a`` is the unclipped iteration.  A threshold ``>= 1`` never binds (in log-odds it is
``+oo``); the formula handles it as it stands.

**What is derived here (each step SymPy-checked, each with a numeric spot check).**

* :func:`clip_surrogate`: ``f(x, y) = y min(x, 1+eps_high)`` for ``y > 0`` and
  ``y max(x, 1-eps_low)`` for ``y < 0`` (case split over the order of ``x`` and the
  two clip bounds, each region an explicit substitution), hence the surrogate
  ``omega_plus sum_S min(pi, (1+eps_high) pi_{n-1}) - omega_minus sum_F max(pi, (1-eps_low) pi_{n-1})``,
  concave in ``pi``.
* :func:`reduction` (``K = 5``, ``S = {0, 1}``) and :func:`reduction_general` (any finite
  space, class sums as SymPy ``Sum``): if ``pi_{n-1}`` is a reward-only tilt of ``pi_ref``,
  then at every candidate ``pi_q`` (the tilt with PoS ``q``) the ratio ``pi_q/pi_{n-1}`` and the
  KL gradient are *class constants*, so every outcome of a class has the same
  superdifferential interval; the one-sided derivatives of the objective along the tilt
  family are those of the scalar objective

  .. math:: J(q) = \omega^+\min(q, u_S) - \omega^-\max(1-q, (1-\epsilon_{low})(1-p))
            - \beta\big[\alpha\,\mathrm{kl}(q\|p_{\mathrm{ref}}) + (1-\alpha)\,\mathrm{kl}(q\|p)\big].

  The last step (``statement``) is that identity for the one-sided derivatives.
* :func:`reduced_maximiser`: ``J`` region by region (pieces, derivatives by ``sympy.diff``,
  stationary points by ``sympy.solve``), the kinks, and, as the last step, the optimality
  condition ``0 in dJ(q*)`` of the closed form, in the checkable form
  ``max(J'_+(q*), 0) + max(-J'_-(q*), 0) = 0`` (distance from 0 to the superdifferential
  ``[J'_+, J'_-]``), proved by a case split (:class:`CaseSplitStep`).
* :func:`clipped_fixed_points`: fixed points, slopes, what ``eps_low = 0`` /
  ``eps_high = 0`` do, the mirror (``alpha = 0``) rate near ``p = 1``.

**Representation of Min/Max (documented choice).**  SymPy ``Min``/``Max`` and
``Heaviside(z, H0)`` are used as they stand; every non-smooth statement is checked by an
explicit *case split*: each case is a substitution that parametrises exactly the region
of the case by nonnegative (or positive) symbols, after which SymPy's own assumption
system decides every ``Min``/``Max``/``Heaviside``.  The one-sided derivatives of a
concave piecewise-smooth function are written with ``Heaviside(z, 0)`` (right
derivative) and ``Heaviside(z, 1)`` (left derivative); its superdifferential at ``q`` is
``[J'_+(q), J'_-(q)]``.

**Findings** (derived in :func:`clipped_fixed_points`, checked numerically in
``tests/test_symbolic_clipped.py``):

* a binding success clip need not bind the step: past ``u_S`` the failure weight alone
  drives ``q`` on to ``min(p_b, u_F)`` (branch ``T2``/``b``, e.g. :func:`clipped_step` below);
* ``eps_low, eps_high > 0``: the clipped and unclipped maps have the same fixed points, with
  the same slopes;
* ``eps_high = 0`` or ``eps_low = 0`` turns each fixed point into a whole *band* of fixed
  points; with both zero the mirror map never moves and, at ``alpha = 1``, the iteration from
  ``pi_ref`` stays at ``p_ref``;
* mirror (``alpha = 0``) near ``p = 1``: ``(1-p_n)/(1-p) -> max(1-eps_low, e^{-Omega(1)/beta})``;
  the failure clip binds (linear rate exactly ``1 - eps_low``) only when
  ``e^{-Omega(1)/beta} <= 1 - eps_low``, otherwise the unclipped rate survives; with
  ``eps_low = 0`` the convergence is sublinear (``n (1-p_n) -> beta/Omega(1)``);
* the reduction needs ``pi_{n-1}`` to be a tilt of ``pi_ref``; it fails otherwise (at
  ``alpha = 1`` as soon as a clip binds on part of a class), except at ``alpha = 0`` where
  the PoS recurrence holds for any ``pi_{n-1}`` (tests).

**What is logic, not SymPy** (stated in the hypotheses and step texts): that the cases of
a :class:`CaseSplitStep` exhaust its hypothesis (a decision tree on the order of five
reals, spelled out in each step's text); that for a concave function ``0 in dJ(q)`` means a
global maximum (and uniqueness from strict concavity); KKT for a concave objective on the
open simplex; induction over ``n``; that ``sigma`` is increasing (so ``min``/``max`` and
the indicator conditions commute with the change to log-odds).

>>> d = reduced_maximiser()
>>> d.check().ok, d.steps[-1].name
(True, 'statement')
>>> import mpmath as mp
>>> mp.nstr(clipped_step("0.5", "0.5", 2, 1, "mean", 0, "0.2", "0.2"), 10)
'0.6'
>>> mp.nstr(clipped_step("0.5", "0.5", 2, 1, "mean", 0, "0.2", "100"), 10)  # success clip inactive
'0.6'
>>> mp.nstr(clipped_step("0.5", "0.5", 2, 1, "mean", 0, "0.9", "0.9"), 10)  # no clip binds
'0.6224593312'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath as mp
import sympy as sp
from sympy.utilities.lambdify import implemented_function

from . import general_space as gs
from .contrastive import clip_by_sign
from .derivation import CheckResult, Derivation, Step
from .spot import SpotResult, spot_check_exprs
from .domains import declare, interval, positive_log, prob
from .finite_space import FiniteSpace
from .rewrites import (CANCEL, DOIT, EXPAND, EXPAND_EXP, EXPAND_LOG, FACTOR, MINMAX, Rewrite, TOGETHER, inside,
                       run_route)
from .symbols import (L, L_ref, ODDS_PREV, alpha, beta, eps, eps_pos, logit, omega_minus, omega_plus, p_prev,
                      p_ref, q_o, r_o, s, sigmoid, t, v, x, x_o, y_pos)
from .symbols import p as p_sym
from .weights import weights

__all__ = [
    "ClipSurrogate", "CaseSplitStep", "clip_surrogate", "reduction", "reduction_general", "reduced_maximiser",
    "clipped_fixed_points", "clipped_derivations", "clipped_step", "clipped_step_logit", "clipped_branch",
    "clipped_details", "weights_logit", "closed_form_logit", "J_right", "J_left", "J_ratio", "kl_bern", "q",
    "eps_low", "eps_high", "A_L", "Lam_S", "Lam_F", "Lam_1", "Lam_2",
]

# ----------------------------------------------------------------------------- symbols
#: the PoS of a candidate policy (the scalar variable of the reduced problem)
q = declare(sp.Symbol("q", positive=True), prob())
#: clip bounds: ratio clipped to [1 - eps_low, 1 + eps_high]
eps_low = declare(sp.Symbol("eps_low", nonnegative=True), interval(0, 1, (True, False)))
eps_high = declare(sp.Symbol("eps_high", nonnegative=True), interval(0, 5, (True, True)))
#: the same where strictly positive (fixed-point statements)
eps_low_pos = declare(sp.Symbol("eps_low_pos", positive=True), interval(0, 1, (False, False)))
eps_high_pos = declare(sp.Symbol("eps_high_pos", positive=True), interval(0, 5, (False, True)))
#: A_L = alpha logit p_ref + (1-alpha) logit p_{n-1}: log-odds of the KL anchor
A_L = declare(sp.Symbol("A_L", real=True), interval(-20, 20, (True, True)))
#: log-odds of the two thresholds u_S, u_F
Lam_S = declare(sp.Symbol("Lambda_S", real=True), interval(-20, 20, (True, True)))
Lam_F = declare(sp.Symbol("Lambda_F", real=True), interval(-20, 20, (True, True)))
#: generic log-odds thresholds T1 <= T2 (generic branch steps)
Lam_1 = declare(sp.Symbol("Lambda_1", real=True), interval(-20, 20, (True, True)))
Lam_2 = declare(sp.Symbol("Lambda_2", real=True), interval(-20, 20, (True, True)))
#: generic thresholds t1 <= t2 in probability, and the weights of their classes
t1 = declare(sp.Symbol("t_1", positive=True), prob())
t2 = declare(sp.Symbol("t_2", positive=True), prob())
w1 = declare(sp.Symbol("w_1", positive=True), positive_log(1e-2, 30))
w2 = declare(sp.Symbol("w_2", positive=True), positive_log(1e-2, 30))
#: case parameters: nonnegative (closed regions) and positive (open regions)
d0 = declare(sp.Symbol("d", nonnegative=True), interval(0, 3, (True, True)))
s_pos = declare(sp.Symbol("s_pos", positive=True), interval(0, 3, (False, True)))
t_pos = declare(sp.Symbol("t_pos", positive=True), interval(0, 3, (False, True)))
d_pos = declare(sp.Symbol("d_pos", positive=True), interval(0, 3, (False, True)))

_POS = "all weights and probabilities positive (force-expansion of logs is valid)"
_PM = "omega_plus, omega_minus > 0 (both normalisations: derivation weights), beta > 0"


# ----------------------------------------------------------------------- the clip surrogate
class ClipSurrogate(sp.Function):
    r"""``f(x, y) = min(x y, clip(x, 1-eps_low, 1+eps_high) y)``, kept unevaluated
    (arguments ``x, y, eps_low, eps_high``); ``doit()`` expands it into ``Min``/``Max``."""

    nargs = 4

    @classmethod
    def eval(cls, *args):
        return None

    def numeric_definition(self):
        x_, y_, lo, hi = self.args
        return sp.Min(x_ * y_, sp.Min(sp.Max(x_, 1 - lo), 1 + hi) * y_)

    def doit(self, **hints):
        args = [a.doit(**hints) for a in self.args] if hints.get("deep", True) else self.args
        return ClipSurrogate(*args).numeric_definition()


def _apply_clip(expr):
    return expr.replace(lambda e: isinstance(e, ClipSurrogate), lambda f: clip_by_sign(f, *f.args))


#: applies the derived identities (steps ``clip_*`` of :func:`clip_surrogate`) to every ``f``
#: whose advantage has a sign known to SymPy
CLIP_CASES = Rewrite("apply the derived clip identities (sign of y known)", _apply_clip)


# ------------------------------------------------------------------------- rewrites
def _inside_args(fn, name, types):
    return Rewrite(f"{name} inside {'/'.join(t.__name__ for t in types)} arguments",
                   lambda e: e.replace(lambda z: isinstance(z, types),
                                       lambda z: z.func(*[fn(a) for a in z.args])))


#: ``cancel`` on the arguments of every Min/Max/Heaviside
CANCEL_ARGS = _inside_args(sp.cancel, "cancel", (sp.Min, sp.Max, sp.Heaviside))
#: ``expand`` on the arguments of every Min/Max/Heaviside
EXPAND_ARGS = _inside_args(sp.expand, "expand", (sp.Min, sp.Max, sp.Heaviside))


def _heaviside_positive(expr):
    """``H(c z, H0) = H(z, H0)`` for ``c > 0``: the positive factors (as SymPy's assumptions
    prove them) of the numerator and the denominator of the argument are dropped."""
    def value(h):
        arg = h.args[0]
        rest = h.args[1:]
        n, d = sp.fraction(sp.together(arg))
        if not d.is_positive:
            return h
        n = sp.factor_terms(n)
        if n.is_Mul:
            n = sp.Mul(*[f for f in n.args if not f.is_positive])
        return sp.Heaviside(sp.expand(n), *rest)
    return expr.replace(lambda z: isinstance(z, sp.Heaviside), value)


#: ``Heaviside(n/d) = Heaviside(n)`` when SymPy proves ``d > 0`` (likewise positive factors of ``n``)
HEAVISIDE_POS = Rewrite("Heaviside(c z) = Heaviside(z) for c > 0 (sign by SymPy assumptions)",
                        _heaviside_positive)
#: ``Min(a, b) = (a + b - |a - b|)/2``, ``Max(a, b) = (a + b + |a - b|)/2``
MINMAX_ABS = Rewrite("rewrite(Abs) of Min/Max", lambda e: e.rewrite(sp.Abs))
#: logs of products/quotients split (positive arguments)
_LOGS = (inside(TOGETHER, "log"), EXPAND_LOG)


def _h_num(z, h0, zero):
    if abs(z) <= zero:
        return h0
    return 1 if z > 0 else 0


#: ``Heaviside`` for the numeric route, as a lambdify-implemented function (plain Python on mpf)
_HNUM = implemented_function("H_num", _h_num)


def _H_numeric(e, zero):
    """``Heaviside(z, H0)`` replaced by ``H_num(z, H0, zero)``: ``H0`` if ``|z| <= zero``, else the
    step.  A kink is thus recognised up to ``zero`` (the case substitutions put the point exactly on
    a kink, where floating evaluation of ``z`` leaves a rounding residue); SymPy's own lambdify of
    Heaviside also goes through a costly ``piecewise_fold``/``simplify_logic``."""
    def value(*args):
        h0 = args[1] if len(args) > 1 else sp.Rational(1, 2)
        return _HNUM(args[0], h0, zero)
    return e.replace(sp.Heaviside, value) if isinstance(e, sp.Basic) else e


# ------------------------------------------------------------------------- case split step
@dataclass(eq=False)
class CaseSplitStep(Step):
    """A :class:`~.derivation.Step` proved by a case split.

    ``cases`` is a tuple of ``(label, substitution, hypothesis text)``; each substitution
    parametrises exactly the region of its case (by nonnegative/positive symbols).  The
    symbolic check applies the step's own ``defs``/``subs`` and then, for *each* case, its
    substitution followed by the route; it is ok iff every case reduces to ``0`` (``==``)
    or has the sign (inequalities).  That the cases exhaust the hypotheses is logic
    (stated in ``text``).  The numeric spot check evaluates every case at random points of
    its region and, when ``unconditional`` (the statement holds without hypotheses, e.g.
    the optimality statement), the *unsplit* statement at random points of the whole
    domain: an independent route in which no case is assumed.
    """

    cases: tuple = ()
    unconditional: bool = False

    @property
    def method(self) -> str:
        labels = ", ".join(c[0] for c in self.cases)
        return f"case split [{labels}]; each case: " + super().method

    def _check(self) -> CheckResult:
        import time
        t0 = time.perf_counter()
        residuals = {}
        try:
            lhs, rhs = self.prepared()
            for label, sub, _hyp in self.cases:
                diff = (lhs - rhs).xreplace(sub)
                res = run_route(diff, self.route)
                residuals[label] = res
                if self.relation == "==":
                    ok = res == 0
                else:
                    sign = {">": "is_positive", "<": "is_negative", ">=": "is_nonnegative",
                            "<=": "is_nonpositive"}[self.relation]
                    ok = getattr(res, sign) is True
                if not ok:
                    return CheckResult(False, res, self.relation, time.perf_counter() - t0,
                                       f"case {label!r} does not reduce")
        except Exception as exc:  # reported: ok = False with the error
            return CheckResult(False, None, self.relation, time.perf_counter() - t0,
                               f"{type(exc).__name__}: {exc}")
        return CheckResult(True, sp.Integer(0), self.relation, time.perf_counter() - t0)

    def spot_check(self, n: int = 20, dps: int = 50, seed: int = 0) -> SpotResult:
        """Numeric check at ``n`` random points of *each* case region (the case substitution with its
        parameters drawn at random), and, if ``unconditional``, also at ``n`` random points of the
        unsplit statement.  ``ok`` iff every part is ok.  ``Heaviside(z)`` is evaluated with
        ``|z| <= 10^-(dps/2 + 5)`` counted as a kink (see :func:`_H_numeric`)."""
        lhs, rhs = self.prepared()
        zero = sp.Float(10) ** (-(dps // 2 + 5))

        def H(e):
            return _H_numeric(e, zero)

        parts = []
        if self.unconditional:
            parts.append(spot_check_exprs(H(lhs), H(rhs), self.relation, unknown=self.unknown,
                                          overrides=self.domains, n=n, dps=dps, seed=seed))
        for i, (_label, sub, _hyp) in enumerate(self.cases):
            parts.append(spot_check_exprs(H(lhs.xreplace(sub)), H(rhs.xreplace(sub)),
                                          self.relation, unknown=self.unknown, overrides=self.domains, n=n, dps=dps,
                                          seed=seed + 1 + i))
        worst = max(parts, key=lambda r: r.max_discrepancy)
        return SpotResult(ok=all(r.ok for r in parts), n=sum(r.n for r in parts), dps=dps,
                          max_discrepancy=worst.max_discrepancy, tol=worst.tol, worst_point=worst.worst_point,
                          errors=[e for r in parts for e in r.errors], violations=sum(r.violations for r in parts),
                          max_dps_used=max(r.max_dps_used for r in parts))

    def to_json(self) -> dict:
        d = super().to_json()
        d["unconditional"] = self.unconditional
        d["cases"] = [{"label": lab, "substitution": {str(k): sp.sstr(v_) for k, v_ in sub.items()},
                       "hypothesis": hyp} for lab, sub, hyp in self.cases]
        return d


# ============================================================== (0) the clip surrogate
@lru_cache(maxsize=None)
def clip_surrogate() -> Derivation:
    r"""The asymmetric clip identities and the clipped surrogate on a finite space.

    For ``x > 0`` (a ratio), ``f(x, y) = y min(x, 1+eps_high)`` if ``y > 0`` and
    ``f(x, y) = y max(x, 1-eps_low)`` if ``y < 0``: six cases (sign of ``y``) x (``x`` above
    ``1+eps_high``, between the bounds, below ``1-eps_low``), each an explicit substitution.
    Hence (``K = 5``, ``S = {0, 1}``, ``pi_{n-1} = b/sum b``, ``pi = c/sum c``)

    .. math:: \mathbb E_{\pi_{n-1}} f(\pi/\pi_{n-1}, A) = \omega^+\sum_S \pi_{n-1}\min(\pi/\pi_{n-1}, 1+\epsilon_h)
              - \omega^-\sum_F \pi_{n-1}\max(\pi/\pi_{n-1}, 1-\epsilon_l),

    and ``pi_{n-1}(o) min(pi(o)/pi_{n-1}(o), c) = min(pi(o), c pi_{n-1}(o))`` (positive factor out of
    the Min): a minimum of affine functions of ``pi`` (concave), minus a maximum (concave).
    """
    f = ClipSurrogate(x, y_pos, eps_low, eps_high)
    g = ClipSurrogate(x, -v, eps_low, eps_high)
    regions = {
        "above": ("x = 1+eps_high+t, t >= 0 (x >= 1+eps_high)", {x: 1 + eps_high + t}, None),
        "inside": ("x = 1-eps_low+s, eps_high = s+t-eps_low, s,t >= 0 (1-eps_low <= x <= 1+eps_high)",
                   {x: 1 - eps_low + s, eps_high: s + t - eps_low}, None),
        "below": ("x = 1-eps_low-t, t >= 0 (x <= 1-eps_low)", {x: 1 - eps_low - t},
                  {t: interval(0, 0.49, (True, False)), eps_low: interval(0, 0.5, (True, True))}),
    }
    route = (DOIT, MINMAX, EXPAND, MINMAX, EXPAND)
    steps = []
    for sign, lhs, rhs, what in (("pos", f, y_pos * sp.Min(x, 1 + eps_high), "y > 0"),
                                 ("neg", g, -v * sp.Max(x, 1 - eps_low), "y = -v < 0")):
        for rname, (desc, sub, doms) in regions.items():
            steps.append(Step(f"clip_{sign}_{rname}", f"Case {what}, {desc}: expanding f and evaluating Min/Max.",
                              lhs, rhs, subs=sub, route=route, domains=doms,
                              assumptions=(what, desc, "eps_low, eps_high >= 0")))
    fs = FiniteSpace(5, (0, 1))
    old, pi = fs.prev, fs.pi
    A = fs.advantage(omega_plus, omega_minus)
    ratio = [pi[o] / old[o] for o in range(fs.K)]
    lhs = sum(old[o] * ClipSurrogate(ratio[o], A[o], eps_low, eps_high) for o in range(fs.K))
    contr = (omega_plus * sum(old[o] * sp.Min(ratio[o], 1 + eps_high) for o in fs.S)
             - omega_minus * sum(old[o] * sp.Max(ratio[o], 1 - eps_low) for o in fs.F))
    direct = (omega_plus * sum(sp.Min(pi[o], (1 + eps_high) * old[o]) for o in fs.S)
              - omega_minus * sum(sp.Max(pi[o], (1 - eps_low) * old[o]) for o in fs.F))
    steps += [
        Step("clipped_surrogate", "Applying the case identities termwise (A > 0 on S, A < 0 on F) gives the "
             "clipped surrogate.", lhs, contr, route=(CLIP_CASES, EXPAND),
             assumptions=(_PM, "eps_low, eps_high >= 0")),
        Step("positive_factor_into_minmax", "The positive factor pi_{n-1}(o) goes into each Min/Max: "
             "omega_plus sum_S min(pi, (1+eps_high) pi_{n-1}) - omega_minus sum_F max(pi, (1-eps_low) pi_{n-1}), "
             "a sum of concave functions of pi (min of affine; minus max of affine).",
             contr, direct, route=(MINMAX_ABS, inside(TOGETHER, "abs"), inside(FACTOR, "abs"), EXPAND,
                                   TOGETHER, CANCEL),
             assumptions=("pi_{n-1}(o) > 0 (|c z| = c |z| for c > 0)",)),
    ]
    hyp = ["x = pi(o)/pi_{n-1}(o) > 0; f(x, y) = min(x y, clip(x, 1-eps_low, 1+eps_high) y)",
           "0 <= eps_low < 1, eps_high >= 0; finite space K = 5, S = {0, 1}, pi_{n-1} = b/sum b, pi = c/sum c",
           "A = +omega_plus on S, -omega_minus on F, omega_plus, omega_minus > 0"]
    return Derivation("clipped[surrogate]", "The asymmetric clip and the clipped surrogate", hyp, steps,
                      {"surrogate": contr, "surrogate_direct": direct,
                       "clip_positive": y_pos * sp.Min(x, 1 + eps_high),
                       "clip_negative": -v * sp.Max(x, 1 - eps_low)})


# ============================================================== (a) the reduction
def _kl_part(xv, r_, b_, a=alpha):
    """Per-outcome KL part of the objective: ``-beta (alpha x log(x/r) + (1-alpha) x log(x/b))``."""
    return -beta * (a * xv * sp.log(xv / r_) + (1 - a) * xv * sp.log(xv / b_))


def _kl_grad(xv, r_, b_, a=alpha):
    """Its derivative in ``x`` (derived in step ``kl_gradient``)."""
    return -beta * (a * (sp.log(xv / r_) + 1) + (1 - a) * (sp.log(xv / b_) + 1))


def _clip_one_sided(cls: str, ratio, H0):
    """One-sided derivative (``H0 = 0``: right, ``H0 = 1``: left) of the clip term of one outcome,
    as a function of its ratio ``x/pi_{n-1}(o)`` (see step ``clip_term_derivative``)."""
    if cls == "S":
        return omega_plus * sp.Heaviside(1 + eps_high - ratio, H0)
    return -omega_minus * sp.Heaviside(ratio - 1 + eps_low, 1 - H0)


def kl_bern(a_, b_):
    """Bernoulli ``kl(a||b) = a log(a/b) + (1-a) log((1-a)/(1-b))``."""
    return a_ * sp.log(a_ / b_) + (1 - a_) * sp.log((1 - a_) / (1 - b_))


def A_L_expr(a=alpha, pr=p_ref, pp=p_prev):
    """``A_L = alpha logit p_ref + (1-alpha) logit p_{n-1}``."""
    return a * logit(pr) + (1 - a) * logit(pp)


def u_S_expr(pp=p_prev):
    """Success threshold ``u_S = (1+eps_high) p``."""
    return (1 + eps_high) * pp


def u_F_expr(pp=p_prev):
    """Failure threshold ``u_F = p + eps_low (1-p)`` (``1 - u_F = (1-eps_low)(1-p)``)."""
    return pp + eps_low * (1 - pp)


def J_right(qv=q, pp=p_prev, a=alpha, pr=p_ref):
    """``J'_+(q) = omega_plus H(u_S - q, 0) + omega_minus H(u_F - q, 0) - beta(logit q - A_L)``."""
    return (omega_plus * sp.Heaviside(u_S_expr(pp) - qv, 0) + omega_minus * sp.Heaviside(u_F_expr(pp) - qv, 0)
            - beta * (logit(qv) - A_L_expr(a, pr, pp)))


def J_left(qv=q, pp=p_prev, a=alpha, pr=p_ref):
    """``J'_-(q)``: the same with ``H(0) = 1`` (left derivative)."""
    return (omega_plus * sp.Heaviside(u_S_expr(pp) - qv, 1) + omega_minus * sp.Heaviside(u_F_expr(pp) - qv, 1)
            - beta * (logit(qv) - A_L_expr(a, pr, pp)))


def J_ratio(qv=q, pp=p_prev, a=alpha, pr=p_ref):
    """The scalar objective in the ratio form produced by the reduction."""
    return (omega_plus * pp * sp.Min(qv / pp, 1 + eps_high)
            - omega_minus * (1 - pp) * sp.Max((1 - qv) / (1 - pp), 1 - eps_low)
            - beta * (a * kl_bern(qv, pr) + (1 - a) * kl_bern(qv, pp)))


_HYP_TILT = ("pi_{n-1} a reward-only tilt of pi_ref with PoS p_{n-1}: pi_{n-1}(o) = pi_ref(o) p_{n-1}/p_ref on S, "
             "pi_ref(o) (1-p_{n-1})/(1-p_ref) on F (true for pi_0 = pi_ref; the induction step is this derivation)")
_HYP_CAND = "candidate pi_q(o) = pi_ref(o) q/p_ref on S, pi_ref(o) (1-q)/(1-p_ref) on F, q in (0, 1)"
_LOGIC_A = ("Logic (not SymPy): the objective is concave (clip_surrogate) and strictly concave (the KL), so the "
            "maximiser over the open simplex is unique and is characterised by KKT: some lambda lies in every "
            "per-outcome superdifferential [right, left derivative]. At pi_q these intervals are class constants "
            "(steps ratio_class_constant, one_sided_class_constant), [lo_S, hi_S] on S and [lo_F, hi_F] on F, so KKT "
            "holds iff lo_S <= hi_F and lo_F <= hi_S, i.e. iff J'_+(q) = lo_S - hi_F <= 0 <= hi_S - lo_F = J'_-(q) "
            "(this step), i.e. 0 in dJ(q). Such q exists (J is concave, J' -> +oo at 0, -oo at 1) and is the q* of "
            "reduced_maximiser; pi_{q*} is the maximiser, keeps pi_ref's conditional laws (candidate_conditional_laws)"
            " and is again a tilt: by induction from pi_0 = pi_ref every iterate is, and p_n = q*(p_{n-1}).")


@lru_cache(maxsize=None)
def reduction(K: int = 5, S: tuple = (0, 1)) -> Derivation:
    r"""The reduction to one variable on a concrete finite space (default ``K = 5``, ``S = {0, 1}``).

    ``pi_ref = a/sum a`` (any law of full support), ``pi_{n-1}`` the reward-only tilt of
    ``pi_ref`` with PoS ``p_{n-1}`` (the induction hypothesis; ``pi_0 = pi_ref``), and the
    candidates ``pi_q`` (tilts with PoS ``q``).  Steps: the candidates are laws with PoS ``q``
    and ``pi_ref``'s conditional laws; at ``pi_q`` the ratio ``pi_q/pi_{n-1}`` and the KL
    gradient are class constants, hence so are the per-outcome one-sided derivatives (the
    superdifferential intervals); the objective restricted to the family is ``J(q)``
    (ratio form, :func:`J_ratio`); and (``statement``) the one-sided derivatives of the
    objective along the family are ``[J'_+(q), J'_-(q)]`` (:func:`J_right`, :func:`J_left`).
    """
    fs = FiniteSpace(K, S)
    ref = fs.ref
    PR = fs.pos(ref)

    def tilt_by(m):
        return tuple(ref[o] * (m / PR if o in fs.S else (1 - m) / (1 - PR)) for o in range(fs.K))

    prev, cand = tilt_by(p_prev), tilt_by(q)
    cls = ["S" if o in fs.S else "F" for o in range(fs.K)]
    ratio = [cand[o] / prev[o] for o in range(fs.K)]
    const_ratio = {"S": q / p_prev, "F": (1 - q) / (1 - p_prev)}
    grad_S = -beta * (alpha * (sp.log(q / p_ref) + 1) + (1 - alpha) * (sp.log(q / p_prev) + 1))
    grad_F = -beta * (alpha * (sp.log((1 - q) / (1 - p_ref)) + 1) + (1 - alpha) * (sp.log((1 - q) / (1 - p_prev)) + 1))
    const_grad = {"S": grad_S, "F": grad_F}
    dref = {p_ref: PR}
    M = sp.ImmutableMatrix

    def one_sided(o, H0):
        return _clip_one_sided(cls[o], ratio[o], H0) + _kl_grad(cand[o], ref[o], prev[o])

    def one_sided_const(c, H0):
        return _clip_one_sided(c, const_ratio[c], H0) + const_grad[c]

    dq = [sp.diff(cand[o], q) for o in range(fs.K)]
    # one-sided derivatives of the objective along the family: S moves with q (right -> right),
    # F against q (right derivative in q uses the left derivative of phi_o, and conversely)
    D_right = sum(dq[o] * one_sided(o, 0 if o in fs.S else 1) for o in range(fs.K))
    D_left = sum(dq[o] * one_sided(o, 1 if o in fs.S else 0) for o in range(fs.K))
    phi = (omega_plus * sum(prev[o] * sp.Min(ratio[o], 1 + eps_high) for o in fs.S)
           - omega_minus * sum(prev[o] * sp.Max(ratio[o], 1 - eps_low) for o in fs.F)
           + sum(_kl_part(cand[o], ref[o], prev[o]) for o in range(fs.K)))
    logs = _LOGS + (EXPAND, TOGETHER, CANCEL)
    steps = [
        Step("previous_is_tilt", "The tilt pi_{n-1} is a law with PoS p_{n-1}: [sum_S, sum_F] = [p, 1-p].",
             M([fs.pos(prev), fs.pos(prev, "F")]), M([p_prev, 1 - p_prev]), route=(TOGETHER, CANCEL)),
        Step("candidate_family", "The candidate pi_q is a law with PoS q.", M([fs.pos(cand), fs.pos(cand, "F")]),
             M([q, 1 - q]), route=(TOGETHER, CANCEL)),
        Step("candidate_conditional_laws", "pi_q has pi_ref's conditional laws on S and on F.",
             M(list(fs.cond(cand, "S")) + list(fs.cond(cand, "F"))),
             M(list(fs.cond(ref, "S")) + list(fs.cond(ref, "F"))), route=(TOGETHER, CANCEL)),
        Step("ratio_class_constant", "At pi_q the ratio pi_q(o)/pi_{n-1}(o) is q/p on S and (1-q)/(1-p) on F: a "
             "class constant, so every clip indicator (ratio vs 1+eps_high, 1-eps_low) is the same within a class.",
             M(ratio), M([const_ratio[c] for c in cls]), route=(TOGETHER, CANCEL)),
        Step("kl_gradient", "Derivative of the per-outcome KL part -beta(alpha x log(x/r) + (1-alpha) x log(x/b)).",
             sp.diff(_kl_part(x_o, r_o, q_o), x_o), _kl_grad(x_o, r_o, q_o), route=(EXPAND_LOG, EXPAND),
             assumptions=(_POS,)),
        Step("kl_gradient_class_constant", "At pi_q the KL gradient -beta(alpha(log(pi/pi_ref)+1) + (1-alpha)"
             "(log(pi/pi_{n-1})+1)) is a class constant: log(q/p_ref), log(q/p) on S; the (1-q) forms on F.",
             M([_kl_grad(cand[o], ref[o], prev[o]) for o in range(fs.K)]), M([const_grad[c] for c in cls]),
             defs=dref, route=logs, assumptions=(_POS,)),
        Step("clip_term_derivative", "Away from its kink the clip term of an outcome has derivative "
             "omega_plus H(1+eps_high - x/pi_{n-1}(o)) (S) and -omega_minus H(x/pi_{n-1}(o) - 1 + eps_low) (F); "
             "at the kink its right/left derivatives are the limits H(.,0)/H(.,1) (concave, piecewise linear).",
             M([sp.diff(omega_plus * q_o * sp.Min(x_o / q_o, 1 + eps_high), x_o),
                sp.diff(-omega_minus * q_o * sp.Max(x_o / q_o, 1 - eps_low), x_o)]),
             M([omega_plus * sp.Heaviside(1 + eps_high - x_o / q_o),
                -omega_minus * sp.Heaviside(x_o / q_o - 1 + eps_low)]),
             route=(EXPAND_ARGS, EXPAND), domains={x_o: positive_log(1e-2, 1e2), q_o: positive_log(1e-2, 1e2)}),
        Step("one_sided_class_constant", "Hence the per-outcome superdifferential [right, left derivative] at pi_q "
             "is the same interval for every outcome of a class (rows: right derivatives, then left).",
             M([one_sided(o, 0) for o in range(fs.K)] + [one_sided(o, 1) for o in range(fs.K)]),
             M([one_sided_const(c, 0) for c in cls] + [one_sided_const(c, 1) for c in cls]),
             defs=dref, route=(CANCEL_ARGS,) + logs, assumptions=(_POS,)),
        Step("family_derivative", "d pi_q(o)/dq = pi_ref(o)/p_ref on S and -pi_ref(o)/(1-p_ref) on F; they sum "
             "to 1 over S and to -1 over F.", M([sum(dq[o] for o in fs.S), sum(dq[o] for o in fs.F)]), M([1, -1]),
             route=(TOGETHER, CANCEL)),
        Step("restriction", "Along the family the objective is the scalar J(q) (ratio form): "
             "omega_plus p min(q/p, 1+eps_high) - omega_minus (1-p) max((1-q)/(1-p), 1-eps_low) "
             "- beta[alpha kl(q||p_ref) + (1-alpha) kl(q||p)].", phi, J_ratio(), defs=dref,
             route=(CANCEL_ARGS,) + logs, assumptions=(_POS,)),
        Step("statement", "Reduction: the one-sided derivatives of the objective along the tilt family are "
             "[J'_+(q), J'_-(q)] with J'_+- = omega_plus H(u_S - q) + omega_minus H(u_F - q) - beta(logit q - A_L), "
             "u_S = (1+eps_high) p, u_F = p + eps_low (1-p), H(0) = 0 (right) / 1 (left). " + _LOGIC_A,
             M([D_right, D_left]), M([J_right(), J_left()]), defs=dref, subs=dict(ODDS_PREV),
             route=(CANCEL_ARGS, HEAVISIDE_POS, EXPAND_ARGS) + logs,
             assumptions=(_POS, "p_{n-1} = u_prev/(1+u_prev), u_prev > 0 (1 - p_{n-1} > 0 visible)",
                          "H(c z) = H(z) for c > 0")),
    ]
    hyp = [f"finite outcome space, {fs.describe()}; pi_ref = a/sum a (any law of full support)", _HYP_TILT,
           _HYP_CAND, "A = +omega_plus on S, -omega_minus on F (any positive weights, functions of p_{n-1} only)",
           "0 <= eps_low < 1, eps_high >= 0, alpha in [0, 1], beta > 0"]
    return Derivation(f"clipped[reduction, K={fs.K}]", "Clipped GRPO: reduction to the new PoS q", hyp, steps,
                      {"J_ratio": J_ratio(), "J_right": J_right(), "J_left": J_left(), "candidate": M(cand),
                       "previous": M(prev)})


@lru_cache(maxsize=None)
def reduction_general() -> Derivation:
    r"""The reduction on an *arbitrary* finite space (:mod:`.general_space`: successes
    ``o = 1..n_S``, failures ``o = 1..n_F``, class sums as SymPy ``Sum``, ``pi_ref = r/R``).

    The same steps as :func:`reduction`, at a generic success ``j`` and a generic failure
    ``k``: every class constant is an expression free of ``j`` and ``k``.  The numeric
    route makes the space concrete (``n_S, n_F = 2, 3``).
    """
    REF = gs.REF
    PR = gs.pos(REF)
    prev = gs.Law(REF.S * p_prev / PR, REF.F * (1 - p_prev) / (1 - PR))
    cand = gs.Law(REF.S * q / PR, REF.F * (1 - q) / (1 - PR))
    rS = cand.S / prev.S
    rF = cand.F / prev.F
    gradS = _kl_grad(cand.S, REF.S, prev.S)
    gradF = _kl_grad(cand.F, REF.F, prev.F)
    const_grad_S = -beta * (alpha * (sp.log(q / p_ref) + 1) + (1 - alpha) * (sp.log(q / p_prev) + 1))
    const_grad_F = -beta * (alpha * (sp.log((1 - q) / (1 - p_ref)) + 1)
                            + (1 - alpha) * (sp.log((1 - q) / (1 - p_prev)) + 1))
    M = sp.ImmutableMatrix
    dref = {p_ref: PR}

    def at(e, c):
        return e.subs(gs.o, gs.j if c == "S" else gs.k)

    def os_S(H0):
        return _clip_one_sided("S", rS, H0) + gradS

    def os_F(H0):
        return _clip_one_sided("F", rF, H0) + gradF

    dS, dF = sp.diff(cand.S, q), sp.diff(cand.F, q)
    D_right = gs.ssum(dS * os_S(0)) + gs.fsum(dF * os_F(1))
    D_left = gs.ssum(dS * os_S(1)) + gs.fsum(dF * os_F(0))
    phi = (omega_plus * gs.ssum(prev.S * sp.Min(rS, 1 + eps_high))
           - omega_minus * gs.fsum(prev.F * sp.Max(rF, 1 - eps_low))
           + gs.ssum(_kl_part(cand.S, REF.S, prev.S)) + gs.fsum(_kl_part(cand.F, REF.F, prev.F)))
    base = (gs.SUM_CONST, TOGETHER, CANCEL)
    logs = (gs.SUM_CONST, inside(TOGETHER, "log"), EXPAND_LOG, gs.SUM_LINEAR, gs.SUM_CONST, EXPAND, TOGETHER,
            CANCEL)
    sums = gs._SUMS

    def G(name, text, lhs, rhs, route, defs=None, subs=None, assumptions=()):
        return gs.GeneralStep(name, text, lhs, rhs, "==", route=tuple(route), assumptions=tuple(assumptions),
                              defs=defs, subs=subs)

    steps = [
        G("candidate_family", "pi_q is a law with PoS q (the normalisation is proved, not assumed).",
          M([gs.pos(cand), cand.mass("F")]), M([q, 1 - q]), base, assumptions=(sums,)),
        G("candidate_conditional_laws", "pi_q has pi_ref's conditional laws (generic j in S, k in F).",
          M([at(cand.cond("S"), "S"), at(cand.cond("F"), "F")]), M([at(REF.cond("S"), "S"), at(REF.cond("F"), "F")]),
          base, assumptions=(sums,)),
        G("ratio_class_constant", "At pi_q the ratio pi_q/pi_{n-1} is q/p at every success j and (1-q)/(1-p) at "
          "every failure k (free of j, k).", M([at(rS, "S"), at(rF, "F")]),
          M([q / p_prev, (1 - q) / (1 - p_prev)]), base, assumptions=(sums,)),
        G("kl_gradient_class_constant", "The KL gradient at pi_q is a class constant (free of j, k).",
          M([at(gradS, "S"), at(gradF, "F")]), M([const_grad_S, const_grad_F]), logs, defs=dref,
          assumptions=(_POS, sums)),
        G("one_sided_class_constant", "Hence the per-outcome superdifferential [right, left] is a class constant.",
          M([at(os_S(0), "S"), at(os_F(0), "F"), at(os_S(1), "S"), at(os_F(1), "F")]),
          M([_clip_one_sided("S", q / p_prev, 0) + const_grad_S, _clip_one_sided("F", (1 - q) / (1 - p_prev), 0)
             + const_grad_F, _clip_one_sided("S", q / p_prev, 1) + const_grad_S,
             _clip_one_sided("F", (1 - q) / (1 - p_prev), 1) + const_grad_F]),
          (CANCEL_ARGS,) + logs, defs=dref, assumptions=(_POS, sums)),
        G("family_derivative", "d pi_q/dq sums to 1 over S and to -1 over F.", M([gs.ssum(dS), gs.fsum(dF)]),
          M([1, -1]), base, assumptions=(sums,)),
        G("restriction", "Along the family the objective is J(q) (ratio form), on the general space.",
          phi, J_ratio(), (CANCEL_ARGS,) + logs, defs=dref, assumptions=(_POS, sums)),
        G("statement", "Reduction on an arbitrary finite space: the one-sided derivatives of the objective along "
          "the tilt family are [J'_+(q), J'_-(q)]. " + _LOGIC_A, M([D_right, D_left]), M([J_right(), J_left()]),
          (CANCEL_ARGS, HEAVISIDE_POS, EXPAND_ARGS) + logs, defs=dref, subs=dict(ODDS_PREV),
          assumptions=(_POS, sums, "p_{n-1} = u_prev/(1+u_prev), u_prev > 0", "H(c z) = H(z) for c > 0")),
    ]
    hyp = [gs._HYP_SPACE, "pi_ref = positive indexed weights r_S, r_F over their total (any law of full support)",
           _HYP_TILT, _HYP_CAND, "A = +omega_plus on S, -omega_minus on F (positive, functions of p_{n-1})",
           "0 <= eps_low < 1, eps_high >= 0, alpha in [0, 1], beta > 0"]
    return Derivation("clipped[reduction, general space]", "Clipped GRPO: reduction on an arbitrary finite space",
                      hyp, steps, {"candidate": cand.vector(), "previous": prev.vector()})


# ============================================================== (b) the reduced maximiser
def closed_form_logit(A, wp, wm, LS, LF, b=beta):
    r"""``Lambda* = max(min(Lambda_a, T1), min(Lambda_b, T2), Lambda_c)`` as a SymPy expression:
    ``T1 = min(LS, LF)``, ``T2 = max(LS, LF)``, ``Lambda_a = A + (wp+wm)/b``,
    ``Lambda_b = A + w_late/b`` (``w_late = wm`` if ``LS <= LF`` else ``wp``), ``Lambda_c = A``."""
    w_late = sp.Piecewise((wm, LS <= LF), (wp, True))
    return sp.Max(sp.Min(A + (wp + wm) / b, sp.Min(LS, LF)), sp.Min(A + w_late / b, sp.Max(LS, LF)), A)


def _J_logit(Lv, H0, A=A_L, wp=omega_plus, wm=omega_minus, LS=Lam_S, LF=Lam_F):
    """One-sided derivative of J at ``q = sigma(Lv)`` written in log-odds (``H0 = 0`` right, ``1`` left)."""
    return wp * sp.Heaviside(LS - Lv, H0) + wm * sp.Heaviside(LF - Lv, H0) - beta * (Lv - A)


def _generic_closed(A=A_L):
    La, Lb = A + (w1 + w2) / beta, A + w2 / beta
    return La, Lb, A


@lru_cache(maxsize=None)
def reduced_maximiser() -> Derivation:
    r"""The scalar problem ``max_q J(q)`` and its closed-form maximiser.

    ``J(q) = omega_plus min(q, u_S) + omega_minus min(q, u_F) - omega_minus + R(q)``,
    ``R(q) = -beta[alpha kl(q||p_ref) + (1-alpha) kl(q||p)]``, ``R'(q) = -beta(logit q - A_L)``,
    ``R'' = -beta/(q(1-q)) < 0``.  With generic thresholds ``t1 <= t2`` and weights ``w1``
    (class of ``t1``), ``w2`` (class of ``t2``; step ``relabel``) the pieces of ``J`` on
    ``q < t1``, ``t1 < q < t2``, ``q > t2`` are differentiated by ``sympy.diff`` and their
    stationary points found by ``sympy.solve``: ``p_a = sigma(A_L + (w1+w2)/beta)``,
    ``p_b = sigma(A_L + w2/beta)``, ``p_c = sigma(A_L)``.  The one-sided derivatives are
    ``J'_+(q) = w1 H(t1-q, 0) + w2 H(t2-q, 0) + R'(q)`` and ``J'_-`` (``H(0) = 1``): they equal
    the region derivatives inside the regions and the one-sided limits at the kinks.

    ``statement`` (last step, a :class:`CaseSplitStep`): in log-odds, with
    ``Lambda* = max(min(Lambda_a, T1), min(Lambda_b, T2), Lambda_c)`` (:func:`closed_form_logit`),

    .. math:: \max(J'_+(\Lambda^*), 0) + \max(-J'_-(\Lambda^*), 0) = 0,

    i.e. ``J'_+(q*) <= 0 <= J'_-(q*)``: ``0 in dJ(q*)``.  Proved in 15 cases covering every
    order of ``u_S``, ``u_F`` (including ``u_S = u_F`` and ``u_S >= 1``, ``Lambda_S = +oo``)
    and of the branch values against the thresholds.  Since ``J`` is concave and ``R``
    strictly concave, ``q* = sigma(Lambda*)`` is the unique maximiser (logic).
    """
    R = -beta * (alpha * kl_bern(q, p_ref) + (1 - alpha) * kl_bern(q, p_prev))
    Rp = -beta * (logit(q) - A_L_expr())
    J_min = (omega_plus * sp.Min(q, u_S_expr()) + omega_minus * sp.Min(q, u_F_expr()) - omega_minus + R)
    u_odds = sp.Symbol("u", positive=True)
    US = declare(sp.Symbol("U_S", positive=True), prob())
    UF = declare(sp.Symbol("U_F", positive=True), prob())
    lab_early = sp.Piecewise((omega_plus, US <= UF), (omega_minus, True))
    lab_late = sp.Piecewise((omega_minus, US <= UF), (omega_plus, True))
    J_gen = w1 * sp.Min(q, t1) + w2 * sp.Min(q, t2) + R
    P1 = (w1 + w2) * q + R
    P2 = w1 * t1 + w2 * q + R
    P3 = w1 * t1 + w2 * t2 + R
    D1, D2, D3 = (w1 + w2) + Rp, w2 + Rp, Rp
    Jr = w1 * sp.Heaviside(t1 - q, 0) + w2 * sp.Heaviside(t2 - q, 0) + Rp
    Jl = w1 * sp.Heaviside(t1 - q, 1) + w2 * sp.Heaviside(t2 - q, 1) + Rp
    M = sp.ImmutableMatrix
    kl_route = (EXPAND_LOG, EXPAND, TOGETHER, CANCEL)
    mm = (MINMAX, EXPAND, MINMAX, EXPAND)
    # stationary points: sympy.solve on each region (A_L kept as a symbol)
    stat = {}
    for lab, w in (("a", w1 + w2), ("b", w2), ("c", sp.Integer(0))):
        eq = w - beta * (logit(q) - A_L)
        sol = sp.solve(eq, q)
        if len(sol) != 1:
            raise RuntimeError(f"region {lab}: {len(sol)} stationary points")
        stat[lab] = (eq, sol[0], A_L + w / beta)
    La, Lb, Lc = _generic_closed()
    Lstar_gen = sp.Max(sp.Min(La, Lam_1), sp.Min(Lb, Lam_2), Lc)  # generic thresholds T1 <= T2
    steps = [
        Step("min_form", "The ratio form of the reduction is the min form J(q) = omega_plus min(q, u_S) + "
             "omega_minus min(q, u_F) - omega_minus + R(q), u_S = (1+eps_high)p, u_F = p + eps_low(1-p) "
             "(max(1-q, (1-eps_low)(1-p)) = 1 - min(q, u_F)).", J_ratio(), J_min, subs=dict(ODDS_PREV),
             route=(MINMAX_ABS, inside(TOGETHER, "abs"), inside(FACTOR, "abs"), EXPAND, TOGETHER, CANCEL),
             assumptions=("p_{n-1} = u_prev/(1+u_prev) (so p, 1-p > 0 are visible)", "|c z| = c|z|, c > 0")),
        Step("smooth_derivative", "R'(q) = -beta(logit q - A_L), A_L = alpha logit p_ref + (1-alpha) logit p.",
             sp.diff(R, q), Rp, route=kl_route, assumptions=(_POS,)),
        Step("smooth_second_derivative", "R''(q) = -beta/(q(1-q)).", sp.diff(R, q, 2), -beta / (q * (1 - q)),
             route=(TOGETHER, CANCEL)),
        Step("strictly_concave", "R'' < 0 on (0, 1) (q = u/(1+u), u > 0): R strictly concave; min(q, u) is "
             "concave (minimum of affine functions), so J is strictly concave.", -beta / (q * (1 - q)), 0, "<",
             subs={q: u_odds / (1 + u_odds)}, route=(TOGETHER, CANCEL), domains={u_odds: positive_log(1e-6, 1e6)},
             assumptions=("q = u/(1+u), u > 0",)),
        CaseSplitStep("relabel", "With t1 = min(u_S, u_F), t2 = max(u_S, u_F), w1 the weight of the class of t1 and "
                      "w2 that of t2: omega_plus min(q, u_S) + omega_minus min(q, u_F) = w1 min(q, t1) + "
                      "w2 min(q, t2). Cases u_S <= u_F, u_S > u_F (exhaustive).",
                      omega_plus * sp.Min(q, US) + omega_minus * sp.Min(q, UF),
                      lab_early * sp.Min(q, sp.Min(US, UF)) + lab_late * sp.Min(q, sp.Max(US, UF)),
                      route=mm, unconditional=True,
                      cases=(("u_S <= u_F", {UF: US + d0}, "u_F = u_S + d, d >= 0"),
                             ("u_S > u_F", {US: UF + d_pos}, "u_S = u_F + d, d > 0"))),
        Step("region_1", "On q < t1 (t1 = q + s, t2 = t1 + d): J = (w1 + w2) q + R(q).", J_gen, P1,
             subs={t1: q + s_pos, t2: q + s_pos + d0}, route=mm, assumptions=("s > 0, d >= 0",)),
        Step("region_2", "On t1 < q < t2 (t1 = q - s, t2 = q + t): J = w1 t1 + w2 q + R(q).", J_gen, P2,
             subs={t1: q - s_pos, t2: q + t_pos}, route=mm, assumptions=("s, t > 0",)),
        Step("region_3", "On q > t2 (t2 = q - s, t1 = t2 - d): J = w1 t1 + w2 t2 + R(q).", J_gen, P3,
             subs={t2: q - s_pos, t1: q - s_pos - d0}, route=mm, assumptions=("s > 0, d >= 0",)),
        Step("region_derivatives", "sympy.diff of the three pieces: w1 + w2 + R', w2 + R', R'.",
             M([sp.diff(P1, q), sp.diff(P2, q), sp.diff(P3, q)]), M([D1, D2, D3]), route=kl_route,
             assumptions=(_POS,)),
        Step("one_sided_in_regions", "Inside each region both one-sided derivatives J'_+, J'_- (Heaviside form) are "
             "the region derivative (rows: region 1, 2, 3; columns right, left).",
             M([Jr.xreplace({t1: q + s_pos, t2: q + s_pos + d0}), Jl.xreplace({t1: q + s_pos, t2: q + s_pos + d0}),
                Jr.xreplace({t1: q - s_pos, t2: q + t_pos}), Jl.xreplace({t1: q - s_pos, t2: q + t_pos}),
                Jr.xreplace({t2: q - s_pos, t1: q - s_pos - d0}), Jl.xreplace({t2: q - s_pos, t1: q - s_pos - d0})]),
             M([D1, D1, D2, D2, D3, D3]), route=(EXPAND_ARGS,)),
        Step("one_sided_at_kinks", "At the kinks the Heaviside form gives the one-sided limits of the adjacent "
             "region derivatives: at t1 < t2: [D2(t1), D1(t1)]; at t2 > t1: [D3(t2), D2(t2)]; at t1 = t2: "
             "[D3, D1]. So dJ(q) = [J'_+(q), J'_-(q)] everywhere (J concave, piecewise smooth).",
             M([Jr.xreplace({q: t1, t2: t1 + d_pos}), Jl.xreplace({q: t1, t2: t1 + d_pos}),
                Jr.xreplace({q: t2, t1: t2 - d_pos}), Jl.xreplace({q: t2, t1: t2 - d_pos}),
                Jr.xreplace({q: t1, t2: t1}), Jl.xreplace({q: t1, t2: t1})]),
             M([D2.xreplace({q: t1}), D1.xreplace({q: t1}), D3.xreplace({q: t2}), D2.xreplace({q: t2}),
                D3.xreplace({q: t1}), D1.xreplace({q: t1})]), route=(EXPAND_ARGS,)),
    ]
    for lab, name in (("a", "region 1 (q < t1)"), ("b", "region 2 (t1 < q < t2)"), ("c", "region 3 (q > t2)")):
        eq, sol, Lx = stat[lab]
        steps += [
            Step(f"stationary_{lab}", f"sympy.solve of J' = 0 on {name} (R' with A_L as a symbol): one root.",
                 eq, sol, "solve", unknown=q, route=(inside(TOGETHER, "log"), EXPAND_LOG, EXPAND, TOGETHER, CANCEL),
                 produced_by="sympy.solve(J'(q) = 0, q)", assumptions=(_POS,)),
            Step(f"stationary_{lab}_sigmoid", f"It is p_{lab} = sigma({sp.sstr(Lx)}).", sol, sigmoid(Lx),
                 route=(inside(EXPAND, "exp"), TOGETHER, EXPAND, CANCEL)),
        ]
    steps += [
        Step("branch_order", "Lambda_a - Lambda_b = w1/beta > 0 and Lambda_b - Lambda_c = w2/beta > 0, so "
             "p_a > p_b > p_c.", M([La - Lb, Lb - Lc]), M([w1 / beta, w2 / beta]), route=(EXPAND,)),
        Step("branch_A", "Case A (Lambda_a < T1): the closed form gives Lambda_a (q* = p_a, the unclipped step).",
             Lstar_gen, La, subs={Lam_1: La + s_pos, Lam_2: La + s_pos + d0}, route=mm,
             assumptions=("T1 = Lambda_a + s, s > 0; T2 = T1 + d, d >= 0",)),
        Step("branch_B", "Case B (Lambda_b <= T1 <= Lambda_a): the closed form gives T1 (the early clip binds).",
             Lstar_gen, Lam_1, subs={w1: beta * (s + t), Lam_1: A_L + w2 / beta + s, Lam_2: A_L + w2 / beta + s + d0},
             route=mm, assumptions=("T1 = Lambda_b + s, w1 = beta (s + t), s, t >= 0 (exactly this region)",)),
        Step("branch_C", "Case C (T1 < Lambda_b < T2): the closed form gives Lambda_b.", Lstar_gen, Lb,
             subs={Lam_1: Lb - s_pos, Lam_2: Lb + t_pos}, route=mm, assumptions=("s, t > 0",)),
        Step("branch_D", "Case D (Lambda_c <= T2 <= Lambda_b): the closed form gives T2 (both clips bind).",
             Lstar_gen, Lam_2, subs={w2: beta * (s + t), Lam_2: A_L + s, Lam_1: A_L + s - d0}, route=mm,
             assumptions=("T2 = Lambda_c + s, w2 = beta (s + t), T1 = T2 - d; s, t, d >= 0",)),
        Step("branch_E", "Case E (T2 < Lambda_c): the closed form gives Lambda_c = A_L.", Lstar_gen, A_L,
             subs={Lam_2: A_L - s_pos, Lam_1: A_L - s_pos - d0}, route=mm, assumptions=("s > 0, d >= 0",)),
        _statement_step(),
    ]
    hyp = ["the scalar problem of the reduction: maximise J over q in (0, 1)",
           "omega_plus, omega_minus > 0, beta > 0, alpha in [0, 1], 0 <= eps_low < 1, eps_high >= 0",
           "log-odds: Lambda = logit q, Lambda_S = logit u_S (+oo if u_S >= 1), Lambda_F = logit u_F; "
           "sigma increasing, "
           "so indicator conditions and min/max commute with the change of variable (logic)",
           "generic steps: t1 <= t2 thresholds, w1, w2 > 0 their weights (relabel)"]
    return Derivation("clipped[maximiser]", "Clipped GRPO: closed-form maximiser of the reduced objective", hyp, steps,
                      {"J": J_min, "J_right": Jr, "J_left": Jl, "p_a": sigmoid(La), "p_b": sigmoid(Lb),
                       "p_c": sigmoid(Lc), "closed_form_logit": closed_form_logit(A_L, omega_plus, omega_minus,
                                                                                   Lam_S, Lam_F)})


def _statement_cases():
    """The 15 cases of the optimality statement (see :func:`reduced_maximiser`)."""
    b = beta
    wp, wm = omega_plus, omega_minus
    La = A_L + (wp + wm) / b
    cases = []
    # ordering 1: u_S <= u_F (S early, F late: w_late = omega_minus)
    Lb = A_L + wm / b
    cases += [
        ("S<=F A", {Lam_S: La + s_pos, Lam_F: La + s_pos + d0}, "Lambda_a < Lambda_S <= Lambda_F"),
        ("S<F B", {wp: b * (s + t), Lam_S: Lb + s, Lam_F: Lb + s + d_pos},
         "Lambda_b <= Lambda_S <= Lambda_a < ..., Lambda_S < Lambda_F (omega_plus = beta(s+t))"),
        ("S=F B", {wp: b * (s + t), Lam_S: Lb + s, Lam_F: Lb + s}, "Lambda_b <= Lambda_S = Lambda_F <= Lambda_a"),
        ("S<F C", {Lam_S: Lb - s_pos, Lam_F: Lb + t_pos}, "Lambda_S < Lambda_b < Lambda_F"),
        ("S<F D", {wm: b * (s + t), Lam_F: A_L + s, Lam_S: A_L + s - d_pos},
         "Lambda_c <= Lambda_F <= Lambda_b, Lambda_S < Lambda_F (omega_minus = beta(s+t))"),
        ("S=F D", {wm: b * (s + t), Lam_F: A_L + s, Lam_S: A_L + s}, "Lambda_c <= Lambda_S = Lambda_F <= Lambda_b"),
        ("S<=F E", {Lam_F: A_L - s_pos, Lam_S: A_L - s_pos - d0}, "Lambda_S <= Lambda_F < Lambda_c"),
    ]
    # ordering 2: u_F < u_S < 1 (F early, S late: w_late = omega_plus)
    Lb = A_L + wp / b
    cases += [
        ("F<S A", {Lam_F: La + s_pos, Lam_S: La + s_pos + d_pos}, "Lambda_a < Lambda_F < Lambda_S"),
        ("F<S B", {wm: b * (s + t), Lam_F: Lb + s, Lam_S: Lb + s + d_pos},
         "Lambda_b <= Lambda_F <= Lambda_a, Lambda_F < Lambda_S (omega_minus = beta(s+t))"),
        ("F<S C", {Lam_F: Lb - s_pos, Lam_S: Lb + t_pos}, "Lambda_F < Lambda_b < Lambda_S"),
        ("F<S D", {wp: b * (s + t), Lam_S: A_L + s, Lam_F: A_L + s - d_pos},
         "Lambda_c <= Lambda_S <= Lambda_b, Lambda_F < Lambda_S (omega_plus = beta(s+t))"),
        ("F<S E", {Lam_S: A_L - s_pos, Lam_F: A_L - s_pos - d_pos}, "Lambda_F < Lambda_S < Lambda_c"),
    ]
    # ordering 3: u_S >= 1 (Lambda_S = +oo never binds; F early, S late)
    cases += [
        ("S=oo A", {Lam_S: sp.oo, Lam_F: La + s_pos}, "u_S >= 1, Lambda_a < Lambda_F"),
        ("S=oo B", {Lam_S: sp.oo, wm: b * (s + t), Lam_F: Lb + s}, "u_S >= 1, Lambda_b <= Lambda_F <= Lambda_a"),
        ("S=oo C", {Lam_S: sp.oo, Lam_F: Lb - s_pos}, "u_S >= 1, Lambda_F < Lambda_b"),
    ]
    return tuple(cases)


_EXHAUSTIVE = ("Exhaustiveness (logic): the orderings Lambda_S <= Lambda_F, Lambda_F < Lambda_S < +oo, Lambda_S = +oo "
               "cover all (Lambda_F < +oo always: eps_low < 1); within each, with T1 <= T2 and Lambda_a > Lambda_b > "
               "Lambda_c (branch_order), the tree 'Lambda_a < T1 (A) | else Lambda_b <= T1 (B) | else Lambda_b < T2 (C)"
               " | else Lambda_c <= T2 (D) | else (E)' has one leaf per case (C, D, E empty when T2 = +oo, C empty "
               "when T1 = T2). Each case substitution parametrises exactly its leaf.")


def _statement_step():
    Ls = closed_form_logit(A_L, omega_plus, omega_minus, Lam_S, Lam_F)
    lhs = sp.Max(_J_logit(Ls, 0), 0) + sp.Max(-_J_logit(Ls, 1), 0)
    return CaseSplitStep(
        "statement", "q* = sigma(Lambda*), Lambda* = max(min(Lambda_a, T1), min(Lambda_b, T2), Lambda_c), satisfies "
        "0 in dJ(q*) = [J'_+(q*), J'_-(q*)], written as max(J'_+(q*), 0) + max(-J'_-(q*), 0) = 0 (the distance from "
        "0 to the superdifferential). " + _EXHAUSTIVE + " With J concave and R strictly concave, q* is the unique "
        "maximiser of J (logic).", lhs, 0, route=(MINMAX, EXPAND, MINMAX, EXPAND, EXPAND_ARGS, MINMAX, EXPAND),
        cases=_statement_cases(), unconditional=True,
        assumptions=(_PM, "Lambda_S, Lambda_F real or Lambda_S = +oo; T1 = min, T2 = max of them",
                     "w_late = omega_minus if Lambda_S <= Lambda_F else omega_plus"))


# ============================================================== (c) fixed points, slopes, rates
def _weights_at(norm: str, pp=p_prev):
    """``(omega_plus, omega_minus, Omega, dOmega/dp)`` of derivation weights at ``p = pp``."""
    w = weights(norm).result
    return tuple(w[k].xreplace({p_sym: pp}) for k in ("omega_plus", "omega_minus", "Omega", "dOmega_dp"))


def _band_steps():
    """Fixed-point bands when a clip range is zero (see :func:`clipped_fixed_points`)."""
    wp, wm, b = omega_plus, omega_minus, beta
    Ls = closed_form_logit(A_L, wp, wm, Lam_S, Lam_F)
    mm = (MINMAX, EXPAND, MINMAX, EXPAND)
    out = []
    # (tag, early weight, late weight, substitution of the thresholds, late-threshold symbol, text)
    edge = (("eps_high_zero", wp, wm, {Lam_S: L}, Lam_F, "eps_high = 0 (u_S = p: Lambda_S = L), eps_low > 0 "
             "(Lambda_F = L + d, d > 0)"),
            ("eps_low_zero", wm, wp, {Lam_F: L}, Lam_S, "eps_low = 0 (u_F = p: Lambda_F = L), eps_high > 0 "
             "(Lambda_S = L + d, d > 0, or +oo when u_S >= 1)"))
    for tag, we, wl, th, late, desc in edge:
        band = f"[A_L + {wl}/beta, A_L + Omega/beta]"
        inside_ = {**th, late: L + d_pos, we: b * (s + t), A_L: L - wl / b - s}
        cases_in = [("finite", inside_, "late threshold L + d")]
        up = [("C: Lambda_b <= late", {**th, A_L: L - wl / b + s_pos, late: L + s_pos + t},
               "Lambda_b = L + s, s > 0, late threshold L + s + t, t >= 0"),
              ("D: A_L <= late <= Lambda_b", {**th, late: L + d_pos, A_L: L + d_pos - s, wl: b * (s + t)},
               "late threshold L + d, d > 0, A_L = L + d - s, late weight beta(s + t), s, t >= 0"),
              ("E: late < A_L", {**th, late: L + d_pos, A_L: L + d_pos + s_pos}, "A_L = late + s, s > 0")]
        down = [("finite", {**th, late: L + d_pos, A_L: L - (wp + wm) / b - s_pos}, "Lambda_a = L - s, s > 0")]
        if late is Lam_S:
            cases_in.append(("u_S >= 1", {**inside_, Lam_S: sp.oo}, "Lambda_S = +oo"))
            up.append(("u_S >= 1", {**th, Lam_S: sp.oo, A_L: L - wl / b + s_pos}, "Lambda_S = +oo, Lambda_b = L + s"))
            down.append(("u_S >= 1", {**th, Lam_S: sp.oo, A_L: L - (wp + wm) / b - s_pos}, "Lambda_S = +oo"))
        out += [
            CaseSplitStep(f"band_{tag}", f"{desc}: every L in {band} is a fixed point "
                          f"(L = A_L + {wl}/beta + s, {we} = beta(s + t), s, t >= 0: exactly the band).",
                          Ls, L, route=mm, cases=tuple(cases_in)),
            CaseSplitStep(f"band_{tag}_below", f"{desc}: L < A_L + {wl}/beta moves up (Lambda* > L); cases: "
                          "with T1 = L < Lambda_b the tree C (Lambda_b <= T2) | D (A_L <= T2 <= Lambda_b) | "
                          "E (T2 < A_L) "
                          "is exhaustive.", Ls - L, 0, ">", route=mm,
                          cases=tuple(up)),
            CaseSplitStep(f"band_{tag}_above", f"{desc}: L > A_L + Omega/beta moves down (Lambda* = Lambda_a < L). "
                          "So the fixed points are exactly the band.", Ls - L, 0, "<", route=mm, cases=tuple(down)),
        ]
    both = {Lam_S: L, Lam_F: L}
    out += [
        CaseSplitStep("band_both_zero", "eps_low = eps_high = 0 (Lambda_S = Lambda_F = L): every L in "
                      "[A_L, A_L + Omega/beta] is a fixed point; the band is the union of the two parametrised pieces "
                      "[A_L, A_L + omega_minus/beta] and [A_L + omega_minus/beta, A_L + Omega/beta].", Ls, L, route=mm,
                      cases=(("lower piece", {**both, A_L: L - s, wm: b * (s + t)}, "L = A_L + s, omega_minus = "
                              "beta(s + t)"),
                             ("upper piece", {**both, A_L: L - wm / b - s, wp: b * (s + t)},
                              "L = A_L + omega_minus/beta + s, omega_plus = beta(s + t)"))),
        CaseSplitStep("band_both_zero_below", "... L < A_L moves up to Lambda* = A_L.", Ls - L, 0, ">", route=mm,
                      cases=(("L < A_L", {**both, A_L: L + s_pos}, "A_L = L + s, s > 0"),)),
        CaseSplitStep("band_both_zero_above", "... L > A_L + Omega/beta moves down to Lambda_a.", Ls - L, 0, "<",
                      route=mm, cases=(("L > Lambda_a", {**both, A_L: L - (wp + wm) / b - s_pos}, "s > 0"),)),
    ]
    return out


@lru_cache(maxsize=None)
def clipped_fixed_points() -> Derivation:
    r"""Fixed points and slopes of the clipped map, the ``eps = 0`` edge cases, the mirror rate.

    Notation of :func:`reduced_maximiser`: ``Lambda* = `` :func:`closed_form_logit`, ``L = logit p``
    (``p = p_{n-1}``), ``Lambda_a = A_L + Omega/beta`` (the unclipped map), ``T1 = min(Lambda_S, Lambda_F)``.

    * ``thresholds_above_p``: ``u_S - p = eps_high p``, ``u_F - p = eps_low (1-p)``: for
      ``eps_low, eps_high > 0`` both thresholds lie strictly above ``p`` (``T1 > L``).
    * ``agree_below_T1`` (15 cases): ``min(Lambda*, T1) = min(Lambda_a, T1)``: the clipped and
      unclipped maps agree wherever either is below the first threshold.
    * ``statement`` (last step) / ``fp_converse_excluded`` / ``fp_clipped_is_unclipped``: with
      ``T1 > L`` an unclipped fixed point is a clipped one (every ordering of the thresholds) and
      conversely (through ``agree_below_T1``); ``slope_equal``: near such a fixed point the two
      maps coincide (case A is an open condition), so the slopes are equal.
    * ``band_*``: with ``eps_high = 0`` (``Lambda_S = L``) every ``L`` in
      ``[A_L + omega_minus/beta, A_L + Omega/beta]`` is a fixed point, and no other; with
      ``eps_low = 0`` the band is ``[A_L + omega_plus/beta, A_L + Omega/beta]``; with both
      zero ``[A_L, A_L + Omega/beta]``, which contains ``L = A_L``: the mirror map
      (``alpha = 0``, ``A_L = L``) never moves, and from ``pi_0 = pi_ref`` at ``alpha = 1``
      (``A_L = L_ref = L_0``) the iteration stays at ``p_ref``.
    * ``failure_clip_first`` (any alpha): if ``Lambda_F <= Lambda_S`` and
      ``Lambda_b = A_L + omega_plus/beta <= Lambda_F`` then ``Lambda* = min(Lambda_a, Lambda_F)``,
      so ``1 - p_n = max(1 - p_a, (1-eps_low)(1-p))`` (``one_minus_uF``).  For the mirror
      (``A_L = L``) near ``p = 1`` this applies (``mirror_gap``: ``Lambda_F - L >= -log(1-eps_low)``,
      ``omega_plus -> 0``), so ``(1-p_n)/(1-p) -> max(1-eps_low, e^{-Omega(1)/beta})`` with
      ``unclipped_rate_at_one``; the clip binds, rate exactly ``1 - eps_low``, iff
      ``Omega(1)/beta >= -log(1-eps_low)`` (std, eps > 0: ``Omega(1) = eps^(-1/2)``).
    * ``mirror_eps_low_zero``: with ``eps_low = 0`` (and ``u_S >= 1``) the mirror step is
      ``Lambda* = L + omega_plus/beta``: ``(1-p_n)/(1-p) -> 1`` (``omega_plus(1) = 0``):
      sublinear convergence.
    """
    wp, wm = omega_plus, omega_minus
    b = beta
    Om = wp + wm
    La = A_L + Om / b
    Ls = closed_form_logit(A_L, wp, wm, Lam_S, Lam_F)
    T1 = sp.Min(Lam_S, Lam_F)
    mm = (MINMAX, EXPAND, MINMAX, EXPAND)
    u_odds = sp.Symbol("u", positive=True)
    M = sp.ImmutableMatrix
    steps = [
        Step("thresholds_above_p", "u_S - p = eps_high p and u_F - p = eps_low (1-p).",
             M([u_S_expr() - p_prev, u_F_expr() - p_prev]), M([eps_high * p_prev, eps_low * (1 - p_prev)]),
             route=(EXPAND,)),
        Step("u_S_above_p", "For eps_high > 0: u_S > p.", (u_S_expr() - p_prev).xreplace({eps_high: eps_high_pos}),
             0, ">", route=(EXPAND, FACTOR)),
        Step("u_F_above_p", "For eps_low > 0: u_F > p (p = u/(1+u)).",
             (u_F_expr() - p_prev).xreplace({eps_low: eps_low_pos}), 0, ">", subs=dict(ODDS_PREV),
             route=(TOGETHER, FACTOR), assumptions=("p_{n-1} = u_prev/(1+u_prev)",)),
        CaseSplitStep("agree_below_T1", "min(Lambda*, T1) = min(Lambda_a, T1): in case A both are Lambda_a, in every "
                      "other case both are T1 (Lambda* >= T1 and Lambda_a >= T1 there). " + _EXHAUSTIVE,
                      sp.Min(Ls, T1), sp.Min(La, T1), route=mm, cases=_statement_cases(), unconditional=True),
        Step("fp_converse_excluded", "Converse: at a clipped fixed point Lambda* = L with T1 = L + s > L, "
             "agree_below_T1 gives min(Lambda_a, T1) = min(L, T1) = L. Lambda_a >= T1 is impossible: then "
             "min(Lambda_a, T1) - L = s > 0 (Lambda_a = L + s + t, t >= 0).", sp.Min(La, Lam_1) - L, 0, ">",
             subs={Lam_1: L + s_pos, A_L: L + s_pos + t - Om / b}, route=mm,
             assumptions=("T1 = Lambda_1 = L + s, s > 0", "Lambda_a = L + s + t, t >= 0")),
        Step("fp_clipped_is_unclipped", "So Lambda_a < T1 and min(Lambda_a, T1) = Lambda_a = L: the clipped fixed "
             "point is an unclipped one (Lambda_a = L). Shown: min(Lambda_a, T1) = Lambda_a for T1 = Lambda_a + s.",
             sp.Min(La, Lam_1), La, subs={Lam_1: La + s_pos}, route=mm),
    ]
    for norm in ("std", "mean"):
        wp_, wm_, Om_, dOm_ = _weights_at(norm)
        Lp = logit(p_prev)
        steps.append(Step(f"unclipped_branch_{norm}", f"{norm} weights: Lambda_a = A_L + (omega_plus + omega_minus)"
                          "/beta is the unclipped recurrence alpha logit p_ref + (1-alpha) logit p + Omega(p)/beta "
                          "(derivation recurrence).", A_L_expr() + (wp_ + wm_) / b,
                          alpha * logit(p_ref) + (1 - alpha) * Lp + Om_ / b, route=(TOGETHER, CANCEL)))
    # slope: in case A (an open condition at a fixed point with T1 > L) the map is the unclipped one
    wpL, wmL, OmL, dOmL = _weights_at("std", sigmoid(L))
    gA = alpha * L_ref + (1 - alpha) * L + (wpL + wmL) / b
    steps += [
        Step("slope_equal", "At a fixed point with eps_low, eps_high > 0, Lambda_a(L*) = L* < T1(L*) strictly; by "
             "continuity case A holds on a neighbourhood, where Lambda*(L) = Lambda_a(L) (branch_A). So the clipped "
             "slope is d Lambda_a/dL = 1 - alpha + Omega'(p) p(1-p)/beta, the unclipped g'(L) of derivation "
             "stability (std weights shown; mean: Omega' = 0).", sp.diff(gA, L),
             (1 - alpha) + dOmL * sigmoid(L) * (1 - sigmoid(L)) / b, route=(EXPAND_ARGS, TOGETHER, CANCEL)),
        Step("eps_high_zero_threshold", "eps_high = 0: u_S = p (Lambda_S = L) and u_F >= p (Lambda_F = L + d).",
             u_S_expr().xreplace({eps_high: 0}), p_prev, route=()),
        *_band_steps(),
        Step("frozen_without_clip_range", "Both zero and A_L = L (the mirror, alpha = 0; or alpha = 1 at L = L_ref, "
             "i.e. from pi_0 = pi_ref): Lambda* = L, the iteration never moves.", Ls, L,
             subs={A_L: L, Lam_S: L, Lam_F: L}, route=mm),
        Step("mirror_anchor", "alpha = 0: A_L = logit p.", A_L_expr(a=0), logit(p_prev), route=()),
        Step("one_minus_uF", "1 - u_F = (1 - eps_low)(1 - p).", 1 - u_F_expr(), (1 - eps_low) * (1 - p_prev),
             route=(EXPAND,)),
        CaseSplitStep("failure_clip_first", "If Lambda_F <= Lambda_S and Lambda_b = A_L + omega_plus/beta <= Lambda_F "
                      "then Lambda* = min(Lambda_a, Lambda_F): 1 - p_n = max(1 - p_a, (1-eps_low)(1-p)) >= "
                      "(1-eps_low)(1-p), with equality iff Lambda_a >= Lambda_F. Cases: Lambda_F < Lambda_S < oo, "
                      "Lambda_S = oo, Lambda_S = Lambda_F; each split Lambda_a < Lambda_F or not (exhaustive).",
                      Ls, sp.Min(La, Lam_F), route=mm, cases=(
                          ("F<S A", {Lam_F: La + s_pos, Lam_S: La + s_pos + d_pos}, "Lambda_a < Lambda_F < Lambda_S"),
                          ("F<S B", {wm: b * (s + t), Lam_F: A_L + wp / b + s, Lam_S: A_L + wp / b + s + d_pos},
                           "A_L + omega_plus/beta <= Lambda_F <= Lambda_a, Lambda_F < Lambda_S"),
                          ("S=oo A", {Lam_S: sp.oo, Lam_F: La + s_pos}, "Lambda_a < Lambda_F"),
                          ("S=oo B", {Lam_S: sp.oo, wm: b * (s + t), Lam_F: A_L + wp / b + s},
                           "A_L + omega_plus/beta <= Lambda_F <= Lambda_a"),
                          ("S=F A", {Lam_F: La + s_pos, Lam_S: La + s_pos}, "Lambda_a < Lambda_F = Lambda_S"),
                          ("S=F B", {wm: b * (s + t), Lam_F: A_L + wp / b + s, Lam_S: A_L + wp / b + s},
                           "A_L + omega_plus/beta <= Lambda_F = Lambda_S <= Lambda_a"))),
        Step("mirror_gap", "Mirror: Lambda_F - L = log(u_F/p) - log(1 - eps_low) (p = u/(1+u)).",
             logit(u_F_expr()) - logit(p_prev), sp.log(u_F_expr() / p_prev) - sp.log(1 - eps_low),
             subs={p_prev: u_odds / (1 + u_odds), eps_low: 1 - sp.Symbol("m", positive=True)},
             route=(inside(TOGETHER, "log"), inside(FACTOR, "log"), EXPAND_LOG, EXPAND),
             domains={u_odds: positive_log(1e-6, 1e6), sp.Symbol("m", positive=True): interval(0, 1, (False, True))},
             assumptions=("p = u/(1+u), u > 0", "1 - eps_low = m > 0")),
        Step("mirror_gap_sign", "u_F/p - 1 = eps_low (1-p)/p >= 0, so Lambda_F - L >= -log(1 - eps_low): when "
             "omega_plus/beta <= -log(1 - eps_low) (true near p = 1: omega_plus -> 0), Lambda_b <= Lambda_F and "
             "failure_clip_first applies.", u_F_expr() / p_prev - 1, 0, ">=", subs={p_prev: u_odds / (1 + u_odds)},
             route=(TOGETHER, CANCEL, FACTOR), domains={u_odds: positive_log(1e-6, 1e6)},
             assumptions=("p = u/(1+u), u > 0",)),
        Step("unclipped_ratio", "(1 - p_a)/(1 - p) with logit p_a = L + c: e^{-c}/(p + (1-p) e^{-c}).",
             (1 - sigmoid(L + s)) / (1 - sigmoid(L)), sp.exp(-s) / (sigmoid(L) + (1 - sigmoid(L)) * sp.exp(-s)),
             route=(EXPAND_EXP, TOGETHER, EXPAND_EXP, EXPAND, CANCEL), assumptions=("c = s >= 0",)),
        Step("unclipped_rate_at_one", "At p = 1 this is e^{-c}: the unclipped mirror contracts 1 - p by "
             "e^{-Omega(1)/beta} (std, eps > 0: Omega(1) = eps^(-1/2): e^{-1/(beta sqrt(eps))}; mean: e^{-1/beta}); "
             "with eps_low = 0 (mirror_eps_low_zero) c = omega_plus(p) -> 0 and the ratio -> 1 (sublinear).",
             (sp.exp(-s) / (p_prev + (1 - p_prev) * sp.exp(-s))).xreplace({p_prev: 1}), sp.exp(-s), route=()),
        Step("std_rate_constant", "std weights at p = 1, eps > 0: e^{-Omega(1)/beta} = e^{-1/(beta sqrt(eps))}.",
             sp.exp(-_weights_at("std")[2].xreplace({p_prev: 1, eps: eps_pos}) / b),
             sp.exp(-1 / (b * sp.sqrt(eps_pos))), route=(inside(CANCEL, "exp"),)),
        Step("mirror_eps_low_zero", "eps_low = 0 and u_S >= 1 (mirror, A_L = L, Lambda_F = L, Lambda_S = oo): "
             "Lambda* = L + omega_plus/beta.", Ls, L + wp / b, subs={A_L: L, Lam_F: L, Lam_S: sp.oo}, route=mm),
        CaseSplitStep("statement", "Fixed points (eps_low, eps_high > 0, so T1 > L: thresholds_above_p): an "
                      "unclipped fixed point (Lambda_a = L, i.e. A_L = L - Omega/beta) is a clipped fixed point, "
                      "Lambda* = L, in every ordering of the thresholds (cases, exhaustive); conversely "
                      "(fp_converse_excluded, fp_clipped_is_unclipped with agree_below_T1) every clipped fixed point "
                      "is an unclipped one, and the slopes agree (slope_equal).", Ls, L,
                      subs={A_L: L - Om / b}, route=mm,
                      cases=(("S<=F", {Lam_S: L + s_pos, Lam_F: L + s_pos + d0}, "L < Lambda_S <= Lambda_F"),
                             ("F<S", {Lam_F: L + s_pos, Lam_S: L + s_pos + d_pos}, "L < Lambda_F < Lambda_S"),
                             ("S=oo", {Lam_S: sp.oo, Lam_F: L + s_pos}, "u_S >= 1, L < Lambda_F"))),
    ]
    hyp = ["the closed form of reduced_maximiser (Lambda* = closed_form_logit), L = logit p_{n-1}",
           "omega_plus, omega_minus > 0, beta > 0; A_L = alpha L_ref + (1-alpha) L",
           "Lambda_S = logit u_S (+oo if u_S >= 1), Lambda_F = logit u_F",
           "continuity arguments (slope_equal, rates at p -> 1) are logic/analysis, the identities are SymPy"]
    return Derivation("clipped[fixed points]", "Clipped GRPO: fixed points, slopes, eps = 0 and the mirror rate",
                      hyp, steps, {"unclipped_logit": La, "closed_form_logit": Ls})


# ============================================================== index
def clipped_derivations() -> dict:
    """Name -> derivation, in logical order (the last step of reduction, maximiser and fixed points is
    ``statement``)."""
    return {"surrogate": clip_surrogate(), "reduction": reduction(), "reduction_general": reduction_general(),
            "maximiser": reduced_maximiser(), "fixed_points": clipped_fixed_points()}


# ============================================================== (d) the closed form in mpmath
NORMS = ("std", "mean")


def _mpf(z):
    """A number (int, float, str, Fraction, mpf) as an mpf at the current precision."""
    from fractions import Fraction
    if isinstance(z, Fraction):
        return mp.mpf(z.numerator) / z.denominator
    return mp.mpf(z)


def _logit_of(z):
    """``logit z`` accurate near 0 and 1 (exact for a Fraction; ``1 - z`` is exact for an mpf ``z >= 1/2``)."""
    from fractions import Fraction
    if isinstance(z, Fraction):
        if not 0 < z < 1:
            raise ValueError(f"probability must lie in (0, 1), got {z}")
        return mp.log(z.numerator) - mp.log(z.denominator - z.numerator)
    z = mp.mpf(z)
    if not 0 < z < 1:
        raise ValueError(f"probability must lie in (0, 1), got {z}")
    return mp.log(z) - mp.log(1 - z)


def _check_params(beta_, alpha_, norm, eps_, eps_low_, eps_high_):
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")
    if not beta_ > 0:
        raise ValueError(f"beta must be > 0, got {beta_}")
    if not 0 <= alpha_ <= 1:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha_}")
    if not eps_ >= 0:
        raise ValueError(f"eps must be >= 0, got {eps_}")
    if not 0 <= eps_low_ < 1:
        raise ValueError(f"eps_low must lie in [0, 1), got {eps_low_}")
    if not eps_high_ >= 0:
        raise ValueError(f"eps_high must be >= 0, got {eps_high_}")


def weights_logit(L_, norm: str = "std", eps_=0):
    """``(omega_plus, omega_minus)`` at ``p = sigma(L)`` (std: ``((1-p), p) / sqrt(p(1-p)+eps)``;
    mean: ``(1-p, p)``), overflow-free in mpmath."""
    L_ = mp.mpf(L_)
    p_ = 1 / (1 + mp.exp(-L_))
    q_ = 1 / (1 + mp.exp(L_))
    if norm == "mean":
        return q_, p_
    Om = 1 / mp.sqrt(p_ * q_ + _mpf(eps_))
    return q_ * Om, p_ * Om


def clipped_details(L_prev_, L_ref_, beta_, alpha_, norm="std", eps_=0, eps_low_=0.2, eps_high_=0.2) -> dict:
    """All the quantities of one clipped step in log-odds (see :func:`clipped_step_logit`):
    ``L_new``, ``branch`` (``"a"`` unclipped, ``"T1"`` early clip, ``"b"``, ``"T2"`` both clips, ``"c"``),
    ``early`` (``"S"``/``"F"``: the class of the first threshold), ``Lambda_a``, ``Lambda_b``,
    ``Lambda_c``, ``T_S``, ``T_F`` (``+inf`` when ``u_S >= 1``), ``omega_plus``, ``omega_minus``."""
    beta_, alpha_, eps_low_, eps_high_ = _mpf(beta_), _mpf(alpha_), _mpf(eps_low_), _mpf(eps_high_)
    _check_params(beta_, alpha_, norm, _mpf(eps_), eps_low_, eps_high_)
    with mp.extraprec(40):
        Lp, Lr = mp.mpf(L_prev_), mp.mpf(L_ref_)
        wp, wm = weights_logit(Lp, norm, eps_)
        p_ = 1 / (1 + mp.exp(-Lp))
        q_ = 1 / (1 + mp.exp(Lp))                       # 1 - p, accurate near p = 1
        one_minus_uS = q_ - eps_high_ * p_
        T_S = mp.inf if one_minus_uS <= 0 else mp.log(1 + eps_high_) + mp.log(p_) - mp.log(one_minus_uS)
        T_F = mp.log(p_ + eps_low_ * q_) - mp.log(1 - eps_low_) - mp.log(q_)
        A = alpha_ * Lr + (1 - alpha_) * Lp
        La = A + (wp + wm) / beta_
        early = "S" if T_S <= T_F else "F"
        T1, T2 = (T_S, T_F) if early == "S" else (T_F, T_S)
        w_late = wm if early == "S" else wp
        Lb, Lc = A + w_late / beta_, A
        cands = [(min(La, T1), "a" if La < T1 else "T1"), (min(Lb, T2), "b" if Lb < T2 else "T2"), (Lc, "c")]
        L_new, branch = max(cands, key=lambda c: c[0])
    return {"L_new": +L_new, "branch": branch, "early": early, "Lambda_a": +La, "Lambda_b": +Lb,
            "Lambda_c": +Lc, "T_S": +T_S, "T_F": +T_F, "omega_plus": +wp, "omega_minus": +wm}


def clipped_step_logit(L_prev_, L_ref_, beta_, alpha_, norm="std", eps_=0, eps_low_=0.2, eps_high_=0.2):
    r"""One clipped GRPO step in log-odds: ``L_n = max(min(Lambda_a, T1), min(Lambda_b, T2), Lambda_c)``.

    ``Lambda_a = A_L + (omega_plus+omega_minus)/beta`` (the unclipped step),
    ``Lambda_b = A_L + omega_late/beta``, ``Lambda_c = A_L = alpha L_ref + (1-alpha) L_prev``,
    ``T1 <= T2`` the log-odds of ``u_S = (1+eps_high) p`` (``+inf`` if ``u_S >= 1``) and
    ``u_F = p + eps_low (1-p)``, ``omega_late`` the weight of the class of ``T2``; weights at
    ``p = sigma(L_prev)``.  Exact (mpmath, any precision; ``1 - p`` is computed as ``sigma(-L)``).

    >>> import mpmath as mp
    >>> mp.nstr(clipped_step_logit(0, 0, 2, 1, "mean", 0, "0.9", "0.9"), 12)   # no clip binds: L_ref + 1/beta
    '0.5'
    >>> mp.nstr(clipped_step_logit(40, 0, 1, 0, "mean", 0, "0.5", "0.2") - 40, 12)  # mirror, failure clip: log 2
    '0.69314718056'
    """
    return clipped_details(L_prev_, L_ref_, beta_, alpha_, norm, eps_, eps_low_, eps_high_)["L_new"]


def clipped_step(p_prev_, p_ref_, beta_, alpha_, norm="std", eps_=0, eps_low_=0.2, eps_high_=0.2):
    r"""One clipped GRPO step on the PoS: ``p_n = max(min(p_a, t1), min(p_b, t2), p_c)`` (see the
    module docstring), computed in log-odds by :func:`clipped_step_logit`.  Arguments: numbers,
    strings, Fractions (exact logit) or mpf.  The result is rounded to the working precision, so
    for ``p_n`` within ``10^-dps`` of 1 use :func:`clipped_step_logit` (or raise ``mp.dps``).

    >>> import mpmath as mp
    >>> mp.nstr(clipped_step("0.3", "0.3", 1, 1, "std", "0.01", "0.2", "0.2"), 12)  # u_S = 0.36, u_F = 0.44
    '0.44'
    >>> from fractions import Fraction
    >>> with mp.workdps(50):
    ...     print(mp.nstr(1 - clipped_step(1 - Fraction(1, 10**30), "0.5", 1, 0, "std", "0.1", "0.2", "0.2"), 6))
    8.0e-31

    In the first example the success clip ``u_S = 0.36`` is passed: the failure weight alone
    (``p_b = sigma(logit 0.3 + omega_minus/beta) = 0.448``) drives ``q`` up to the failure clip
    ``u_F = 0.44``.  In the second (mirror, near ``p = 1``) the failure clip binds:
    ``1 - p_n = (1 - eps_low)(1 - p)``.
    """
    return 1 / (1 + mp.exp(-clipped_step_logit(_logit_of(p_prev_), _logit_of(p_ref_), beta_, alpha_, norm, eps_,
                                              eps_low_, eps_high_)))


def clipped_branch(p_prev_, p_ref_, beta_, alpha_, norm="std", eps_=0, eps_low_=0.2, eps_high_=0.2) -> str:
    """Which branch of the closed form is active: ``"a"`` (no clip binds: the unclipped step),
    ``"T1"`` (the first threshold binds), ``"b"``, ``"T2"`` or ``"c"``.

    >>> clipped_branch("0.3", "0.3", 1, 1, "std", "0.01", "0.2", "0.2")
    'T2'
    >>> clipped_branch("0.3", "0.3", 4, 1, "std", "0.01", "0.9", "0.9")
    'a'
    """
    return clipped_details(_logit_of(p_prev_), _logit_of(p_ref_), beta_, alpha_, norm, eps_, eps_low_,
                           eps_high_)["branch"]
