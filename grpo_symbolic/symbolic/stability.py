r"""Derivation 5: derivative of the PoS map, fixed points and their stability
(paper Prop. 1.2, Lemma 1, its corollary, Thm 5.1, Table 1).

In log-odds the map of derivation 4 is

.. math:: g(L) = \alpha L_{\mathrm{ref}} + (1-\alpha)L + \Omega(\sigma(L))/\beta,\qquad
          g'(L) = 1-\alpha + \Omega'(p)\,p(1-p)/\beta\big|_{p=\sigma(L)},

and in probability ``P(p) = sigmoid(g(logit p))`` with
``P'(p) = P(1-P) g'(logit p) / (p(1-p))``; for alpha = 1 and the std weights this is
Prop. 1.2, ``h'(p) = -h(1-h)(1-2p) / (2 beta (p(1-p)+eps)^(3/2))``.

A fixed point solves ``G(L) = g(L) - L = 0``, i.e. (alpha > 0)
``L* = L_ref + Omega(p*)/(alpha beta)``; at alpha = 0, ``G = Omega/beta > 0`` and there is
no interior fixed point.  At a fixed point ``P(p*) = p*`` so ``P'(p*) = g'(L*)``: the
slope is the same in both coordinates, and the fixed point is locally attracting iff
``|g'(L*)| < 1``.  For alpha = 1 (std): ``h'(p*) = p*(1-p*)(2p*-1)/(2 beta (p*(1-p*)+eps)^(3/2))``
(Lemma 1), so ``|h'(p*)| < 1`` iff ``beta > B(p*) = p*(1-p*)|2p*-1|/(2 (p*(1-p*)+eps)^(3/2))``.

>>> stability("std", 1).check().ok
True
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .derivation import Derivation, Step
from .domains import interval
from .rewrites import CANCEL, EXP_REWRITE, EXPAND, EXPAND_EXP, FACTOR, TOGETHER, inside
from .recurrence import omega_of_logit
from .symbols import (E, L, L_ref, ODDS, Omega_star, alpha, alpha_label, as_alpha, beta, eps, h,
                      logit, p, p_ref, sigmoid)
from .weights import weights

__all__ = ["stability"]

_POS = "p in (0,1) via the odds p = u/(1+u), u > 0"


@lru_cache(maxsize=None)
def _stability(norm: str, a) -> Derivation:
    w = weights(norm).result
    Om, dOm = w["Omega"], w["dOmega_dp"]
    sig = sigmoid(L)
    OmL = omega_of_logit(norm)
    g = a * L_ref + (1 - a) * L + OmL / beta
    gp = sp.diff(g, L)
    gp_form = (1 - a) + dOm.xreplace({p: sig}) * sig * (1 - sig) / beta
    G = g - L
    Lp = logit(p)
    P = sigmoid(a * logit(p_ref) + (1 - a) * Lp + Om / beta)
    Pp = sp.diff(P, p)
    Pp_form = P * (1 - P) * ((1 - a) / (p * (1 - p)) + dOm / beta)
    gp_at = (1 - a) + dOm * p * (1 - p) / beta      # g'(L) written in p = sigmoid(L)
    dom_pos = {alpha: interval(0, 1, (False, True))} if a is alpha else None
    steps = [
        Step("sigmoid_derivative", "d sigma/dL = sigma(1 - sigma).", sp.diff(sig, L), sig * (1 - sig),
             route=(TOGETHER, CANCEL)),
        Step("logit_map_derivative", "Chain rule: g'(L) = 1 - alpha + Omega'(p) p(1-p)/beta at p = sigma(L).",
             gp, gp_form, route=(TOGETHER, CANCEL)),
    ]
    if norm == "std":
        s_ = sp.exp(-L) / (1 + sp.exp(-L)) ** 2
        steps.append(Step(
            "Omega_logit_derivative", "In log-odds, dOmega/dL = s tanh(L/2) (s + eps)^(-3/2)/2 with "
            "s = p(1-p) = e^(-L)/(1+e^(-L))^2 (E = e^(L/2)).", sp.diff(OmL, L),
            s_ * sp.tanh(L / 2) / 2 * (s_ + eps) ** sp.Rational(-3, 2), subs={L: 2 * sp.log(E)},
            route=(EXP_REWRITE, inside(FACTOR, "pow"), TOGETHER, CANCEL)))
    steps += [
        Step("p_map_derivative", "In p: P'(p) = P(1-P)((1-alpha)/(p(1-p)) + Omega'(p)/beta).", Pp, Pp_form,
             route=(TOGETHER, CANCEL)),
        Step("g_prime_in_p", "Written in p (L = logit p, sigma(L) = p): g'(L) = 1 - alpha + Omega'(p) p(1-p)/beta.",
             gp_form.xreplace({L: Lp}), gp_at, route=(EXPAND_EXP, inside(CANCEL, "pow"), TOGETHER, CANCEL)),
        Step("slope_chain_rule", "Hence P'(p) = h(1-h) g'(logit p)/(p(1-p)) with h = P(p).",
             h * (1 - h) * ((1 - a) / (p * (1 - p)) + dOm / beta), h * (1 - h) * gp_at / (p * (1 - p)),
             route=(TOGETHER, CANCEL), assumptions=("h = P(p)",)),
        Step("slope_at_fixed_point", "At a fixed point h = P(p*) = p*, so P'(p*) = g'(L*): the slope is the "
             "same in p and in log-odds.", h * (1 - h) * gp_at / (p * (1 - p)), gp_at, subs={h: p},
             route=(TOGETHER, CANCEL), assumptions=("fixed point: P(p*) = p*",)),
    ]
    result = {"g": g, "g_prime": gp_form, "G": G, "P": P, "P_prime": Pp_form,
              "slope_at_fixed_point": gp_at,
              "stability_condition": sp.Abs(gp_at) < 1}
    if a == 1:
        hform = 1 / (1 + (1 - p_ref) / p_ref * sp.exp(-Om / beta))
        hp = sp.diff(hform, p)
        hp_form = hform * (1 - hform) * dOm / beta
        lemma = p * (1 - p) * dOm / beta
        steps += [
            Step("h_derivative", "Prop. 1.2: h'(p) = h(1-h) Omega'(p)/beta"
                 + (" = -h(1-h)(1-2p)/(2 beta (p(1-p)+eps)^(3/2))." if norm == "std" else " = 0."),
                 hp, hp_form, route=(TOGETHER, CANCEL)),
            Step("lemma1_slope", "Lemma 1: at a fixed point (h = p*) the slope is p*(1-p*) Omega'(p*)/beta"
                 + (" = p*(1-p*)(2p*-1)/(2 beta (p*(1-p*)+eps)^(3/2))." if norm == "std" else " = 0."),
                 h * (1 - h) * dOm / beta, lemma, subs={h: p}, route=(TOGETHER, CANCEL),
                 assumptions=("fixed point h(p*) = p*",)),
        ]
        result["lemma1_slope"] = lemma
        if norm == "std":
            B = p * (1 - p) * sp.Abs(2 * p - 1) / (2 * (p * (1 - p) + eps) ** sp.Rational(3, 2))
            steps.append(Step(
                "beta_threshold", "|h'(p*)| = B(p*)/beta, so the fixed point is attracting iff beta > B(p*).",
                sp.Abs(lemma), B / beta, subs=ODDS, route=(inside(TOGETHER, "all"), inside(FACTOR, "abs"),
                                                          TOGETHER, CANCEL),
                assumptions=(_POS,)))
            result["beta_threshold"] = B
    if a != 0:
        sol = sp.solve(a * L_ref + (1 - a) * L + Omega_star / beta - L, L)
        if len(sol) != 1:
            raise RuntimeError("fixed-point equation not uniquely solvable")
        steps.append(Step(
            "fixed_point", "Solving g(L) = L with Omega(p*) = Omega_star held fixed: "
            "L* = L_ref + Omega(p*)/(alpha beta) (implicit in p*).",
            a * L_ref + (1 - a) * L + Omega_star / beta - L, sol[0], "solve", unknown=L,
            route=(TOGETHER, CANCEL), produced_by="sympy.solve(g(L) - L = 0, L)", domains=dom_pos,
            assumptions=("alpha > 0",)))
        result["fixed_point_logit"] = sol[0]
        result["fixed_point_equation"] = sp.Eq(L, sol[0].xreplace({Omega_star: OmL}))
    else:
        steps.append(Step(
            "no_interior_fixed_point", "At alpha = 0, G(L) = g(L) - L = Omega(sigma(L))/beta > 0: the log-odds "
            "increase at every step and there is no interior fixed point.", G, 0, ">",
            route=(inside(TOGETHER, "pow"),)))
        result["fixed_point_equation"] = sp.false
    if norm == "mean":
        steps.append(Step("mean_slope", "Mean-only weights: Omega = 1, so g'(L) = 1 - alpha (constant).",
                          gp, 1 - a, route=(EXPAND,)))
        if a != 0 and a is not alpha:
            steps.append(Step("mean_contraction", "For alpha > 0 the slope 1 - alpha lies in [0, 1): the "
                              "log-odds map is a contraction and its fixed point is globally attracting.",
                              1 - a, 1, "<"))
    hyp = [f"weights {norm}: Omega(p) = {sp.sstr(Om)}", f"alpha = {alpha_label(a)}, beta > 0, eps >= 0",
           "g is the log-odds map and P the probability map of derivation 4 (start pi_0 = pi_ref)"]
    return Derivation(f"stability[{norm}, alpha={alpha_label(a)}]",
                      f"Derivative, fixed points and stability ({norm}, alpha = {alpha_label(a)})",
                      hyp, steps, result)


def stability(norm: str = "std", alpha=1) -> Derivation:
    """Derive the derivative of the PoS map, the fixed-point equation and the slope there.

    ``result`` keys: ``g`` (log-odds map in ``L``), ``g_prime``, ``G`` (``g - L``),
    ``P`` (p-map), ``P_prime``, ``slope_at_fixed_point`` (``g'(logit p)``, equal to
    ``P'(p*)`` at a fixed point), ``stability_condition`` (``|slope| < 1``),
    ``fixed_point_equation`` (``Eq(L, L_ref + Omega(sigma(L))/(alpha beta))``; ``false``
    at alpha = 0), ``fixed_point_logit`` (alpha > 0, with ``Omega_star``); at alpha = 1
    also ``lemma1_slope`` and (std) ``beta_threshold`` ``B(p)``.
    """
    return _stability(norm, as_alpha(alpha))
