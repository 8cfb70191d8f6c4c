r"""Derivation 4: the PoS recurrence ``p_n = sum_S pi_n`` (paper Thms 2, 4, 9, Lemma 3, §5).

**(a) General anchor.**  For an *arbitrary* ``pi_{n-1}`` of full support, the optimal
policy of derivation 3 gives

.. math:: \operatorname{logit} p_n = \alpha\operatorname{logit} p_{\mathrm{ref}}
          + (1-\alpha)\operatorname{logit} p_{n-1} + (1-\alpha)(D_F - D_S)
          + \frac{\omega^+ + \omega^-}{\beta},

where ``D_S = D_alpha(pi_ref(.|S) || pi_{n-1}(.|S))`` is the Rényi divergence of order
alpha between the success-conditional laws, ``D_F`` the same on failures
(``D_a(P||Q) = log(sum P^a Q^(1-a))/(a-1)``, alpha != 1).  Derived from the finite sums:
``sum_S W = e^{w+/b} p_ref^a p_prev^(1-a) B_S`` with ``B_S = e^{(a-1) D_S}``.
At alpha = 1 the anchor term vanishes; at alpha = 0, ``D_0 = -log sum Q = 0``.

**(b) From pi_0 = pi_ref.**  If ``pi_{n-1} = pi_ref * tau_{r(o)}`` (a tilt depending on
the reward only; true for ``n-1 = 0``), the PoS forces ``tau_S = p_prev/p_ref``,
``tau_F = (1-p_prev)/(1-p_ref)``, and ``pi_n`` is again ``pi_ref`` times a reward-only
factor: by induction every iterate is a tilt, its conditional laws equal those of
``pi_ref``, ``D_S = D_F = 0`` and

.. math:: \operatorname{logit} p_n = \alpha\operatorname{logit} p_{\mathrm{ref}}
          + (1-\alpha)\operatorname{logit} p_{n-1} + \Omega(p_{n-1})/\beta,
          \qquad p_n = \sigma(\cdot).

For alpha = 1 this is ``h(p) = 1/(1 + ((1-p_ref)/p_ref) exp(-Omega(p)/beta))``.

>>> d = recurrence("mean", 1)
>>> d.check().ok
True
>>> d.result["logit_recurrence"] == logit(p_ref) + 1/beta
True
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .derivation import Derivation, Step
from .domains import interval
from .finite_space import FiniteSpace
from .policy import optimal_policy, policy_weights
from .rewrites import (CANCEL, EXP_REWRITE, EXPAND, EXPAND_EXP, EXPAND_LOG, EXPAND_POWER_BASE,
                       FACTOR, POW_TO_EXP, POWSIMP, TOGETHER, inside)
from .symbols import (B_F, B_S, D_F, D_S, ODDS_PREV, ODDS_REF, E, L, L_prev, L_ref, alpha, alpha_label,
                      as_alpha, beta, eps, logit, omega_minus, omega_plus, p, p_prev, p_ref, sigmoid, tau_F,
                      tau_S)
from .weights import weights

__all__ = ["recurrence", "omega_of_logit"]

_ODDS = "p_(n-1) = u_prev/(1+u_prev), u_prev > 0 (so 1 - p_(n-1) > 0 is visible to SymPy)"
_ODDS_R = "p_ref = u_ref/(1+u_ref), u_ref > 0"
_POS = "all weights and probabilities positive (force-expansion of logs/powers is valid)"
#: route for logit identities on the finite space (see module docstring)
_LOGIT_ROUTE = (inside(TOGETHER, "pow"), inside(TOGETHER, "log"), EXPAND_LOG, EXPAND_POWER_BASE,
                inside(FACTOR, "log"), EXPAND_LOG, EXPAND, TOGETHER, CANCEL)
_SUM_ROUTE = (inside(FACTOR, "pow"), EXPAND_POWER_BASE, EXPAND, POWSIMP, TOGETHER, CANCEL)
_EXP_ROUTE = (inside(FACTOR, "pow"), EXPAND_POWER_BASE, POW_TO_EXP, EXPAND_LOG, POWSIMP,
              inside(EXPAND, "exp"), TOGETHER, CANCEL)
_SIGMOID_ROUTE = (POW_TO_EXP, TOGETHER, EXPAND, POWSIMP, inside(EXPAND, "exp"), EXPAND_LOG,
                  inside(EXPAND, "exp"), TOGETHER, CANCEL)


def omega_of_logit(norm: str):
    """``Omega(sigmoid(L))`` for ``norm`` (from derivation 1)."""
    return weights(norm).result["Omega"].xreplace({p: sigmoid(L)})


def _sums(fs, a, which):
    """Scalar form of sum_{S or F} W and its definitions."""
    if which == "S":
        e, pr, pp, B = sp.exp(omega_plus / beta), p_ref, p_prev, B_S
    else:
        e, pr, pp, B = sp.exp(-omega_minus / beta), 1 - p_ref, 1 - p_prev, B_F
    defs = {p_ref: fs.pos(fs.ref), p_prev: fs.pos(fs.prev)}
    if a == 1:
        return e * pr, defs
    if a == 0:
        return e * pp, defs
    defs[B] = fs.renyi_sum(fs.cond(fs.ref, which), fs.cond(fs.prev, which), a)
    return e * pr ** a * pp ** (1 - a) * B, defs


@lru_cache(maxsize=None)
def _generic_steps(a, K: int, S: tuple):
    """Norm-independent steps (generic weights), shared by both normalisations."""
    fs = FiniteSpace(K, S)
    dom = {alpha: interval(0, 1, (True, False))} if a is alpha else None
    s_a, anchor = _general_anchor(fs, a, dom)
    s_b, logit_rec = _from_reference(fs, a, dom)
    return tuple(s_a + s_b), anchor, logit_rec


def _general_anchor(fs, a, dom):
    pol = optimal_policy("std", a, fs)  # pi_n = W/Z does not depend on the norm (generic weights)
    W = policy_weights(fs, a)
    Zs = sum(W)
    pn = sum(W[o] for o in fs.S) / Zs
    WS, WF = sum(W[o] for o in fs.S), sum(W[o] for o in fs.F)
    sS, dS = _sums(fs, a, "S")
    sF, dF = _sums(fs, a, "F")
    anchor = a * logit(p_ref) + (1 - a) * logit(p_prev) + (omega_plus + omega_minus) / beta
    defs = {p_ref: fs.pos(fs.ref), p_prev: fs.pos(fs.prev)}
    if a != 1:
        anchor += (1 - a) * (D_F - D_S)
        defs[D_S] = fs.renyi(fs.cond(fs.ref, "S"), fs.cond(fs.prev, "S"), a)
        defs[D_F] = fs.renyi(fs.cond(fs.ref, "F"), fs.cond(fs.prev, "F"), a)
    steps = [
        Step("pos_sum", "The PoS of pi_n = W/Z is p_n = sum_S W / Z.",
             sum(pol.result["pi_n"][o] for o in fs.S), pn, route=(TOGETHER, CANCEL)),
        Step("pos_complement", "Its complement is 1 - p_n = sum_F W / Z.", 1 - pn, WF / Zs,
             route=(TOGETHER, CANCEL)),
        Step("logit_ratio", "Hence logit p_n = log sum_S W - log sum_F W (Z cancels).",
             logit(pn), sp.log(WS) - sp.log(WF), route=_LOGIT_ROUTE,
             assumptions=(_POS,)),
        Step("success_sum", "Factoring p_ref^alpha p_(n-1)^(1-alpha) out of the success sum leaves the "
             "Renyi sum B_S of the success-conditional laws.", WS, sS, defs=dS, route=_SUM_ROUTE,
             assumptions=(_POS,)),
        Step("failure_sum", "The same on failures with 1-p_ref, 1-p_(n-1) and B_F.", WF, sF, defs=dF,
             route=_SUM_ROUTE, assumptions=(_POS,)),
        Step("general_anchor", "Taking logs, with (alpha-1) D = log B: logit p_n = alpha logit p_ref + "
             "(1-alpha) logit p_(n-1) + (1-alpha)(D_F - D_S) + (omega_plus+omega_minus)/beta, for any "
             "pi_(n-1)." if a != 1 else "At alpha = 1 the anchor pi_(n-1) enters only through the weights: "
             "logit p_n = logit p_ref + (omega_plus+omega_minus)/beta.",
             logit(pn), anchor, defs=defs, route=_LOGIT_ROUTE, domains=dom, assumptions=(_POS,)),
    ]
    if a == 0:
        steps.append(Step("renyi_order0", "At alpha = 0 the Renyi divergence is D_0(P||Q) = -log sum Q = 0 "
                          "(full support), so the correction vanishes for every pi_(n-1).",
                          fs.renyi(fs.cond(fs.ref, "S"), fs.cond(fs.prev, "S"), a), 0,
                          route=(inside(TOGETHER, "log"), CANCEL)))
    return steps, anchor


def _from_reference(fs, a, dom):
    """Part (b): induction from pi_0 = pi_ref (tilts kept as symbols tau_S, tau_F)."""
    ref = fs.ref
    pr = fs.pos(ref)
    tilted = fs.tilt(ref, tau_S, tau_F)
    solS = sp.solve(fs.pos(tilted, "S") - p_prev, tau_S)
    solF = sp.solve(fs.pos(tilted, "F") - (1 - p_prev), tau_F)
    if len(solS) != 1 or len(solF) != 1:
        raise RuntimeError("tilt equations not uniquely solvable")
    tS, tF = solS[0], solF[0]
    A = fs.advantage(omega_plus, omega_minus)
    W = tuple(ref[o] ** a * tilted[o] ** (1 - a) * sp.exp(A[o] / beta) for o in range(fs.K))
    Zs = sum(W)
    pi_n = [w / Zs for w in W]
    pn = sum(pi_n[o] for o in fs.S)
    TS = tau_S ** (1 - a) * sp.exp(omega_plus / beta)
    TF = tau_F ** (1 - a) * sp.exp(-omega_minus / beta)
    # pi_n = W/Z: compare Z * pi_n(o)/pi_ref(o) = W_o/pi_ref(o), and the conditional laws of W
    ratio = sp.ImmutableMatrix([W[o] / ref[o] for o in range(fs.K)])
    tilt_vec = sp.ImmutableMatrix([TS if o in fs.S else TF for o in range(fs.K)])
    condS = sp.ImmutableMatrix(fs.cond(W, "S"))
    condF = sp.ImmutableMatrix(fs.cond(W, "F"))
    dref = {p_ref: pr}
    tilt_logit = logit(p_ref) + (1 - a) * (sp.log(tau_S) - sp.log(tau_F)) + (omega_plus + omega_minus) / beta
    logit_rec = a * logit(p_ref) + (1 - a) * logit(p_prev) + (omega_plus + omega_minus) / beta
    NS = p_ref * tau_S ** (1 - a) * sp.exp(omega_plus / beta)
    NF = (1 - p_ref) * tau_F ** (1 - a) * sp.exp(-omega_minus / beta)
    N = p_ref ** a * p_prev ** (1 - a) * sp.exp(omega_plus / beta)
    M = (1 - p_ref) ** a * (1 - p_prev) ** (1 - a) * sp.exp(-omega_minus / beta)
    taus = {tau_S: p_prev / p_ref, tau_F: (1 - p_prev) / (1 - p_ref)}
    odds = {**ODDS_PREV, **ODDS_REF}
    taus_odds = {k: v.xreplace(odds) for k, v in taus.items()}
    tilt_route = (inside(FACTOR, "pow"), EXPAND_POWER_BASE, POWSIMP, TOGETHER, CANCEL)
    steps = [
        Step("tilt_success", "Induction hypothesis: pi_(n-1) = pi_ref * tau_(r(o)) (true at n-1 = 0 with "
             "tau = 1); its PoS p_(n-1) fixes tau_S.", fs.pos(tilted, "S") - p_prev, tS,
             "solve", unknown=tau_S, route=(TOGETHER, CANCEL),
             produced_by="sympy.solve(sum_S pi_ref tau_S = p_(n-1), tau_S)"),
        Step("tilt_failure", "Likewise sum_F pi_ref tau_F = 1 - p_(n-1) fixes tau_F.",
             fs.pos(tilted, "F") - (1 - p_prev), tF, "solve", unknown=tau_F,
             route=(TOGETHER, CANCEL), produced_by="sympy.solve(sum_F pi_ref tau_F = 1 - p_(n-1), tau_F)"),
        Step("tilt_scalar_S", "tau_S = p_(n-1)/p_ref.", tS, taus[tau_S], defs=dref, route=(TOGETHER, CANCEL)),
        Step("tilt_scalar_F", "tau_F = (1-p_(n-1))/(1-p_ref).", tF, taus[tau_F], defs=dref,
             route=(TOGETHER, CANCEL)),
        Step("tilt_preserved", "Inductive step: Z pi_n(o)/pi_ref(o) = tau_(r(o))^(1-alpha) exp(A(o)/beta) "
             "depends on r(o) only, so pi_n is again a reward-only tilt of pi_ref.", ratio, tilt_vec,
             route=tilt_route, assumptions=(_POS,)),
        Step("conditional_success_law", "Hence the success-conditional law of pi_n (that of W, since "
             "pi_n = W/Z) is that of pi_ref, at every step.", condS, sp.ImmutableMatrix(fs.cond(ref, "S")),
             route=tilt_route, assumptions=(_POS,)),
        Step("conditional_failure_law", "The same holds on failures.", condF,
             sp.ImmutableMatrix(fs.cond(ref, "F")), route=tilt_route, assumptions=(_POS,)),
    ]
    if a != 1:
        steps.append(Step("renyi_vanishes", "So D_S = D_alpha(P||P) = log(sum P)/(alpha-1) = 0 (likewise "
                          "D_F): the Renyi correction of (a) vanishes.",
                          fs.renyi(fs.cond(ref, "S"), fs.cond(tilted, "S"), a), 0,
                          route=(inside(TOGETHER, "pow"), EXPAND_POWER_BASE, POWSIMP, inside(TOGETHER, "log"),
                                 CANCEL), domains=dom))
    steps += [
        Step("tilted_pos", "Summing the tilted pi_n over S: p_n = N_S/(N_S + N_F), N_S = p_ref tau_S^(1-alpha) "
             "e^(omega_plus/beta), N_F = (1-p_ref) tau_F^(1-alpha) e^(-omega_minus/beta).",
             pn, NS / (NS + NF), defs=dref, route=tilt_route, assumptions=(_POS,)),
        Step("tilted_logit", "In log-odds: logit p_n = logit p_ref + (1-alpha) log(tau_S/tau_F) + "
             "(omega_plus+omega_minus)/beta.", logit(pn), tilt_logit, defs=dref, route=_LOGIT_ROUTE,
             assumptions=(_POS,)),
        Step("recurrence_logit", "With tau_S/tau_F = odds(p_(n-1))/odds(p_ref): the PoS recurrence from "
             "pi_0 = pi_ref.", tilt_logit, logit_rec, subs={**taus_odds, **odds},
             route=(inside(TOGETHER, "log"), EXPAND_LOG, EXPAND), assumptions=(_ODDS, _ODDS_R)),
        Step("recurrence_sum", "In p-form, p_n = N/(N+M), N = p_ref^alpha p_(n-1)^(1-alpha) e^(omega_plus/beta), "
             "M = (1-p_ref)^alpha (1-p_(n-1))^(1-alpha) e^(-omega_minus/beta).", NS / (NS + NF), N / (N + M),
             subs={**taus_odds, **odds}, route=_EXP_ROUTE, assumptions=(_ODDS, _ODDS_R)),
        Step("recurrence_sigmoid", "Which is the sigmoid of the log-odds recurrence.", N / (N + M),
             sigmoid(logit_rec), route=_SIGMOID_ROUTE, assumptions=(_POS,)),
    ]
    return steps, logit_rec


def _variant_steps(norm, a):
    w = weights(norm).result
    Om = w["Omega"].xreplace({p: p_prev})
    wsum = (w["omega_plus"] + w["omega_minus"]).xreplace({p: p_prev})
    rec = a * logit(p_ref) + (1 - a) * logit(p_prev) + Om / beta
    steps = [Step("variant_weights", f"For the {norm} weights omega_plus + omega_minus = Omega(p_(n-1)).",
                  wsum, Om, route=(TOGETHER, CANCEL))]
    if a == 1:
        hform = 1 / (1 + (1 - p_ref) / p_ref * sp.exp(-Om / beta))
        steps.append(Step("h_form", "At alpha = 1: p_n = h(p_(n-1)) with h(p) = 1/(1 + ((1-p_ref)/p_ref) "
                          "exp(-Omega(p)/beta)).", sigmoid(rec), hform, route=(EXPAND_EXP, TOGETHER, CANCEL)))
        pmap = hform
    else:
        pmap = sigmoid(rec)
    gL = a * L_ref + (1 - a) * L_prev + omega_of_logit(norm).xreplace({L: L_prev}) / beta
    if norm == "std":
        ex = sp.exp(-L)
        OmL = omega_of_logit("std")
        steps += [
            Step("Omega_logit", "In log-odds p(1-p) = e^(-L)/(1+e^(-L))^2, so Omega = (e^(-L)/(1+e^(-L))^2 "
                 "+ eps)^(-1/2).", OmL, (ex / (1 + ex) ** 2 + eps) ** sp.Rational(-1, 2),
                 route=(inside(CANCEL, "pow"),)),
            Step("Omega_logit_eps0", "At eps = 0, Omega = 2 cosh(L/2) (with E = e^(L/2)).",
                 OmL.xreplace({eps: 0}), 2 * sp.cosh(L / 2), subs={L: 2 * sp.log(E)},
                 route=(inside(TOGETHER, "pow"), EXP_REWRITE, TOGETHER, CANCEL), assumptions=("eps = 0",)),
        ]
    return steps, rec, pmap, gL


@lru_cache(maxsize=None)
def _recurrence(norm: str, a, K: int, S: tuple) -> Derivation:
    fs = FiniteSpace(K, S)
    generic, anchor, logit_rec = _generic_steps(a, K, S)
    s_v, rec, pmap, gL = _variant_steps(norm, a)
    Om = weights(norm).result["Omega"].xreplace({p: p_prev})
    result = {
        "general_anchor": anchor.subs(omega_plus + omega_minus, Om),
        "renyi_correction": (1 - a) * (D_F - D_S) if a != 1 else sp.Integer(0),
        "logit_recurrence_generic": logit_rec,
        "logit_recurrence": rec,
        "p_recurrence": sigmoid(rec),
        "p_map": pmap,
        "logit_map": gL,
        "tilt": sp.ImmutableMatrix([p_prev / p_ref, (1 - p_prev) / (1 - p_ref)]),
        "Omega": Om,
    }
    hyp = [f"finite outcome space, {fs.describe()}",
           f"pi_n = optimal policy of derivation 3, alpha = {alpha_label(a)}, beta > 0",
           "(a) pi_(n-1) arbitrary with full support; (b) pi_0 = pi_ref (the paper's start)",
           f"weights omega_plus, omega_minus generic positive, then the {norm} weights at p_(n-1)"]
    return Derivation(f"recurrence[{norm}, alpha={alpha_label(a)}]",
                      f"PoS recurrence ({norm}, alpha = {alpha_label(a)})", hyp, list(generic) + s_v, result)


def recurrence(norm: str = "std", alpha=1, space: FiniteSpace | None = None) -> Derivation:
    """Derive the PoS recurrence for one variant.

    ``result`` keys: ``general_anchor`` (logit p_n for arbitrary pi_(n-1), with the
    symbols ``D_S``, ``D_F``), ``renyi_correction``, ``logit_recurrence_generic``
    (generic weights), ``logit_recurrence`` (in ``p_prev``, ``p_ref``),
    ``p_recurrence`` (its sigmoid), ``p_map`` (the paper's h form at alpha = 1),
    ``logit_map`` (``g(L_prev)``), ``tilt`` (``(tau_S, tau_F)``), ``Omega``.
    """
    fs = space or FiniteSpace()
    return _recurrence(norm, as_alpha(alpha), fs.K, fs.S)
