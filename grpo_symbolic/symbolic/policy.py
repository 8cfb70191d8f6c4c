r"""Derivation 3: the optimal policy of one GRPO iteration (paper Thms 1, 4, 8 and eq. (17)).

On a finite space, maximise over the open simplex

.. math:: J(\pi) = \mathbb E_\pi A - \beta_{\mathrm{ref}}\,\mathrm{KL}(\pi\|\pi_{\mathrm{ref}})
                   - \beta_{\mathrm{mirror}}\,\mathrm{KL}(\pi\|\pi_{n-1}),\qquad
          \beta_{\mathrm{ref}} = \alpha\beta,\ \beta_{\mathrm{mirror}} = (1-\alpha)\beta,

with ``A = +omega_plus`` on ``S`` and ``-omega_minus`` on ``F``.  SymPy differentiates
the Lagrangian ``J - lambda (sum pi - 1)``, *solves* the stationarity equation for
``pi(o)``, solves the normalisation for the multiplier, and computes the Hessian
``diag(-beta/pi(o))`` (negative definite: ``J`` is strictly concave, so the stationary
point is the unique maximiser).  Result:

.. math:: \pi_n(o) = \frac{\pi_{\mathrm{ref}}(o)^\alpha\,\pi_{n-1}(o)^{1-\alpha}\,e^{A(o)/\beta}}{Z},

with ``Z = p_ref e^{w+/b} + (1-p_ref) e^{-w-/b}`` (alpha=1),
``Z = p_prev e^{w+/b} + (1-p_prev) e^{-w-/b}`` (alpha=0), and in general
``Z = e^{w+/b} p_ref^a p_prev^(1-a) B_S + e^{-w-/b} (1-p_ref)^a (1-p_prev)^(1-a) B_F``
where ``B_S = sum_S P_S^a Q_S^(1-a)`` is the Rényi sum of the success-conditional laws
(``B_S = exp((a-1) D_a(P_S||Q_S))``), ``B_F`` likewise on failures.

>>> d = optimal_policy("std", 1)
>>> d.check().ok
True
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .derivation import Derivation, Step
from .finite_space import FiniteSpace
from .rewrites import (CANCEL, EXPAND, EXPAND_LOG, EXPAND_POWER_BASE, POW_TO_EXP, POWSIMP,
                       TOGETHER, inside)
from .symbols import (A_o, B_F, B_S, Z, alpha_label, as_alpha, beta, lam, mu_norm, omega_minus,
                      omega_plus, p, p_prev, p_ref, q_o, r_o, x_o)
from .weights import weights

__all__ = ["optimal_policy", "policy_weights"]

_CANON = (EXPAND_LOG, POW_TO_EXP, POWSIMP, inside(EXPAND, "exp"), EXPAND_LOG, POWSIMP,
          inside(EXPAND, "exp"))


def policy_weights(fs: FiniteSpace, a):
    """Unnormalised optimal weights ``W_o = ref_o^a prev_o^(1-a) exp(A_o/beta)``."""
    A = fs.advantage(omega_plus, omega_minus)
    return tuple(fs.ref[o] ** a * fs.prev[o] ** (1 - a) * sp.exp(A[o] / beta) for o in range(fs.K))


def _kl_terms(xv, A, r_, q_, a):
    return xv * A - a * beta * xv * sp.log(xv / r_) - (1 - a) * beta * xv * sp.log(xv / q_)


def _z_scalar(fs: FiniteSpace, a):
    """The scalar form of Z, its definitions and a label."""
    ep, em = sp.exp(omega_plus / beta), sp.exp(-omega_minus / beta)
    if a == 1:
        return p_ref * ep + (1 - p_ref) * em, {p_ref: fs.pos(fs.ref)}, "in terms of p_ref (Thm 1)"
    if a == 0:
        return p_prev * ep + (1 - p_prev) * em, {p_prev: fs.pos(fs.prev)}, "in terms of p_{n-1} (Thm 4)"
    defs = {p_ref: fs.pos(fs.ref), p_prev: fs.pos(fs.prev),
            B_S: fs.renyi_sum(fs.cond(fs.ref, "S"), fs.cond(fs.prev, "S"), a),
            B_F: fs.renyi_sum(fs.cond(fs.ref, "F"), fs.cond(fs.prev, "F"), a)}
    z = (ep * p_ref ** a * p_prev ** (1 - a) * B_S
         + em * (1 - p_ref) ** a * (1 - p_prev) ** (1 - a) * B_F)
    return z, defs, "in terms of p_ref, p_{n-1} and the Renyi sums B_S, B_F"


@lru_cache(maxsize=None)
def _policy_core(a, K: int, S: tuple):
    """Norm-independent part (generic weights): the steps and the derived objects."""
    fs = FiniteSpace(K, S)
    # --- first order: one generic outcome ------------------------------------------
    Lag = _kl_terms(x_o, A_o, r_o, q_o, a) - lam * x_o
    dL = sp.diff(Lag, x_o)
    hand = A_o - a * beta * (sp.log(x_o / r_o) + 1) - (1 - a) * beta * (sp.log(x_o / q_o) + 1) - lam
    sols = sp.solve(dL, x_o)
    if len(sols) != 1:
        raise RuntimeError(f"stationarity equation has {len(sols)} solutions, expected 1")
    x_star = sols[0]
    canon = r_o ** a * q_o ** (1 - a) * sp.exp(A_o / beta) * mu_norm
    m_def = sp.exp(-1 - lam / beta)
    # --- normalisation on the finite space -------------------------------------------
    W = policy_weights(fs, a)
    msol = sp.solve(sum(W) * mu_norm - 1, mu_norm)
    if len(msol) != 1:
        raise RuntimeError("normalisation equation is not uniquely solvable")
    Zsum = sum(W)
    pi_n = tuple(w / Zsum for w in W)
    # --- second order -------------------------------------------------------------------
    A = fs.advantage(omega_plus, omega_minus)
    J = sum(_kl_terms(fs.x[o], A[o], fs.ref[o], fs.prev[o], a) for o in range(K))
    H = sp.hessian(J, fs.x)
    Hdiag = sp.diag(*[-beta / xi for xi in fs.x])
    z_scalar, zdefs, zlabel = _z_scalar(fs, a)
    pos = "all probabilities and weights positive (force-expansion of logs/powers is valid)"
    steps = [
        Step("lagrangian_derivative", "Differentiating the Lagrangian J - lambda(sum pi - 1) in pi(o).",
             dL, hand, route=(EXPAND_LOG, EXPAND), assumptions=(pos,)),
        Step("stationarity", "SymPy solves dL/dpi(o) = 0 for pi(o); the solution is unique.",
             dL, x_star, "solve", unknown=x_o, route=(EXPAND_LOG, POWSIMP, EXPAND_LOG, EXPAND),
             produced_by="sympy.solve(dL/dpi(o) = 0, pi(o))", assumptions=(pos,)),
        Step("stationary_form", "The stationary point is pi_ref(o)^alpha pi_{n-1}(o)^(1-alpha) "
             "exp(A(o)/beta) m with m = exp(-1 - lambda/beta).",
             x_star, canon, defs={mu_norm: m_def}, route=_CANON, assumptions=(pos,)),
        Step("normalisation", "Imposing sum_o pi(o) = 1 fixes the multiplier: m = 1/Z with "
             "Z = sum_o pi_ref^alpha pi_{n-1}^(1-alpha) exp(A/beta).",
             sum(W) * mu_norm - 1, msol[0], "solve", unknown=mu_norm, route=(TOGETHER, CANCEL),
             produced_by="sympy.solve(sum_o W_o m = 1, m)"),
        Step("normalised", "The resulting policy sums to one.", sum(pi_n), 1, route=(TOGETHER, CANCEL)),
        Step("hessian", "The Hessian of J in (pi(o))_o is diag(-alpha beta/pi - (1-alpha) beta/pi) "
             "= diag(-beta/pi(o)).", H, Hdiag, route=(EXPAND, CANCEL)),
        Step("hessian_negative", "Each diagonal entry -beta/pi(o) is negative, so J is strictly "
             "concave and the stationary point is the unique maximiser.", -beta / x_o, 0, "<"),
        Step("Z_closed_form", f"Summing over S and F writes Z {zlabel}.", Zsum, z_scalar, defs=zdefs,
             route=(inside(TOGETHER, "pow"), EXPAND_POWER_BASE, EXPAND, POWSIMP, TOGETHER, CANCEL),
             assumptions=(pos,)),
    ]
    core = {"stationary_point": x_star, "pi_n": sp.ImmutableMatrix(pi_n), "Z": Zsum,
            "Z_scalar": z_scalar, "hessian": H, "objective": J}
    return tuple(steps), core


@lru_cache(maxsize=None)
def _optimal_policy(norm: str, a, K: int, S: tuple) -> Derivation:
    fs = FiniteSpace(K, S)
    steps, core = _policy_core(a, K, S)
    z_scalar = core["Z_scalar"]
    w = weights(norm).result
    wsub = {omega_plus: w["omega_plus"].xreplace({p: p_prev}),
            omega_minus: w["omega_minus"].xreplace({p: p_prev})}
    generic = r_o ** a * q_o ** (1 - a) * sp.exp(A_o / beta) / Z
    result = {
        "stationary_point": core["stationary_point"],
        "pi_n_generic": generic,
        "pi_n": core["pi_n"],
        "Z": core["Z"],
        "Z_scalar": z_scalar,
        "Z_variant": z_scalar.xreplace(wsub),
        "A_success": wsub[omega_plus],
        "A_failure": -wsub[omega_minus],
        "hessian": core["hessian"],
        "objective": core["objective"],
    }
    hyp = [f"finite outcome space, {fs.describe()}; pi_ref = a/sum a, pi_(n-1) = b/sum b",
           f"objective E_pi A - alpha beta KL(pi||pi_ref) - (1-alpha) beta KL(pi||pi_(n-1)), alpha = {alpha_label(a)}",
           "A = +omega_plus on S, -omega_minus on F, constants in pi; for the variant "
           f"{norm}: omega_plus = {sp.sstr(wsub[omega_plus])}, omega_minus = {sp.sstr(wsub[omega_minus])}",
           "beta > 0; maximisation over the open simplex (full support)"]
    return Derivation(f"optimal_policy[{norm}, alpha={alpha_label(a)}]",
                      f"Optimal policy of one iteration ({norm}, alpha = {alpha_label(a)})",
                      hyp, list(steps), result)


def optimal_policy(norm: str = "std", alpha=1, space: FiniteSpace | None = None) -> Derivation:
    """Derive the maximiser ``pi_n`` of the (two-)KL regularised objective.

    ``alpha``: a number in ``[0, 1]`` (exact) or ``"symbolic"``.  ``result`` keys:
    ``stationary_point``, ``pi_n_generic`` (``r_o^a q_o^(1-a) e^{A_o/beta}/Z``),
    ``pi_n`` (K-vector on the finite space), ``Z`` (finite sum), ``Z_scalar``
    (closed form in ``p_ref``/``p_prev``/``B_S``/``B_F`` with generic weights),
    ``Z_variant`` (same with the variant's weights at ``p_prev``), ``A_success``,
    ``A_failure``, ``hessian``, ``objective``.
    """
    fs = space or FiniteSpace()
    return _optimal_policy(norm, as_alpha(alpha), fs.K, fs.S)
