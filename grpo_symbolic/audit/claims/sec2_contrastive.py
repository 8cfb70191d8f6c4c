"""Abstract, §1 and §2: GRPO as a weighted contrastive loss (clipped and not)."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import sympy as sp

from ...verify.checks import chain, identity, inequality, not_checkable
from ...verify.domains import interval, positive, prob
from ..registry import claim
from ...verify.verdict import Part, Repaired, combine, fresh, if_refuted, reproduction, symbolic
from ._common import V_eps, V_p, clip, eps, odds_sub, p, u, w_minus, w_plus, x, y

# ------------------------------------------------------------------ finite space
K, S = 4, (0, 1)  # outcomes 0..3, successes {0, 1}
a = sp.symbols("a0:4", positive=True)  # pi_old weights (normalised below)
b = sp.symbols("b0:4", positive=True)  # pi weights
Za, Zb = sum(a), sum(b)
pi_old = [ai / Za for ai in a]
pi_new = [bi / Zb for bi in b]
r = [1 if o in S else 0 for o in range(K)]
p_old = sum(pi_old[o] for o in S)
V_space = [positive(s, instance="a finite outcome space with K = 4 outcomes, S = {0, 1}, symbolic probabilities") for s in a + b]


def _advantage(norm="std", e=eps):
    mu = sum(pi_old[o] * r[o] for o in range(K))
    var = sum(pi_old[o] * (r[o] - mu) ** 2 for o in range(K))
    if norm == "mean":
        return [r[o] - mu for o in range(K)], mu, var
    return [(r[o] - mu) / sp.sqrt(var + e) for o in range(K)], mu, var


def _moments_chain(e=eps):
    A, mu, var = _advantage("std", e)
    return [("mean of the Bernoulli reward: mu = p", mu, p_old),
            ("variance of the Bernoulli reward: sigma^2 = p(1-p)", var, p_old * (1 - p_old))]


def contrastive_identity(norm="std"):
    """E_{pi_old}[(pi/pi_old) A] = w+ E_pi 1_S - w- E_pi 1_F on the finite space."""
    A, mu, var = _advantage(norm)
    lhs = sum(pi_old[o] * (pi_new[o] / pi_old[o]) * A[o] for o in range(K))
    if norm == "std":
        lhs = lhs.subs(sp.sqrt(var + eps), sp.sqrt(p_old * (1 - p_old) + eps))
        wp, wm = w_plus(p_old), w_minus(p_old)
    else:
        wp, wm = 1 - p_old, p_old
    rhs = wp * sum(pi_new[o] for o in S) - wm * sum(pi_new[o] for o in range(K) if o not in S)
    return lhs, rhs


@lru_cache(maxsize=None)
def _eq5_result():
    links = _moments_chain()
    lhs, rhs = contrastive_identity("std")
    links.append(("E_{pi_old}[(pi/pi_old) A] = w+ E_pi 1_S - w- E_pi 1_F", lhs, rhs))
    return chain(links, V_space + [V_eps], name="eq5")


# ------------------------------------------------------------------ clipping
def f_clip(xx, yy, c=clip):
    """f_eps(x, y) = min(x y, clip(x, 1-eps, 1+eps) y) (§0)."""
    return sp.Min(xx * yy, sp.Min(sp.Max(xx, 1 - c), 1 + c) * yy)


t = sp.Symbol("t", positive=True)
REGIONS = [  # x > 0 split at 1 - c and 1 + c; t > 0 parametrises each open region
    ("x < 1 - eps", 1 - clip - t),
    ("1 - eps < x < 1 + eps", 1 - clip + 2 * clip * t / (1 + t)),
    ("x > 1 + eps", 1 + clip + t),
    ("x = 1 - eps", 1 - clip),
    ("x = 1 + eps", 1 + clip),
]
V_clip = [interval(clip, 0, 1), positive(t), positive(y)]


def _by_cases(lhs_of, rhs_of, name):
    """Identity in x > 0 by cases on the position of x relative to 1 -+ eps."""
    parts = []
    for desc, xx in REGIONS:
        res = identity(lhs_of(xx), rhs_of(xx), V_clip, name=f"{name} [{desc}]")
        parts.append(Part(desc, f"{name} with {desc}", res))
    return combine(parts, summary=None)


@claim("sec2.2-clip-fx")
def _clip_fx_claim():
    return _clip_fx()


@lru_cache(maxsize=None)
def _clip_fx_repaired():
    rpos = _by_cases(lambda xx: f_clip(xx, y), lambda xx: y * sp.Min(xx, 1 + clip), "y>0 repaired")
    rneg = _by_cases(lambda xx: f_clip(xx, -y), lambda xx: -y * sp.Max(xx, 1 - clip), "y<0 repaired")
    return combine([Part("x>0, y>0", "f(x,y) = y min(x, 1+eps)", rpos),
                    Part("x>0, y<0", "f(x,y) = y max(x, 1-eps)", rneg)])


def _clip_fx():
    # as printed: f(x,y) = x*min(y, 1+eps) for y > 0 and x*max(y, 1-eps) for y < 0
    pos = _by_cases(lambda xx: f_clip(xx, y), lambda xx: xx * sp.Min(y, 1 + clip), "y>0 printed")
    neg = _by_cases(lambda xx: f_clip(xx, -y), lambda xx: xx * sp.Max(-y, 1 - clip), "y<0 printed")
    printed = combine([Part("x>0, y>0", "f(x,y) = x min(y, 1+eps)", pos),
                       Part("x>0, y<0", "f(x,y) = x max(y, 1-eps)", neg)])
    repaired = _clip_fx_repaired()
    printed.repaired = Repaired("for x > 0: f(x,y) = y*min(x, 1+eps) if y > 0 and y*max(x, 1-eps) if y < 0 "
                                "(the roles of x and y are swapped in print)", repaired)
    printed.summary = ("as printed (x*min(y,1+eps)) it fails, e.g. x=2, y=1, eps=0.2 gives 1.2 vs 2; "
                       f"with x and y swapped it is {repaired.verdict}")
    return if_refuted(printed, "typo", printed.summary)


def _clip_objective(weights, conditional: bool):
    """E_{pi_old} f(pi/pi_old, A) vs the paper's two-term form on the finite space.

    The f-rewrite of the repaired sec2.2-clip-fx is applied termwise (A > 0 on S,
    A < 0 on F), so the remaining step is algebra in the probabilities."""
    wp, wm = weights
    ratio = [pi_new[o] / pi_old[o] for o in range(K)]
    exact = sum(pi_old[o] * ((wp * sp.Min(ratio[o], 1 + clip)) if o in S else (-wm * sp.Max(ratio[o], 1 - clip)))
                for o in range(K))
    if conditional:  # E_{o ~ pi_old, r = 1}[.] read as the conditional expectation
        pS = sum(pi_old[o] for o in S)
        ES = sum(pi_old[o] * sp.Min(ratio[o], 1 + clip) for o in S) / pS
        EF = sum(pi_old[o] * sp.Max(ratio[o], 1 - clip) for o in range(K) if o not in S) / (1 - pS)
    else:  # indicator form E[. 1_{r=1}]
        ES = sum(pi_old[o] * sp.Min(ratio[o], 1 + clip) for o in S)
        EF = sum(pi_old[o] * sp.Max(ratio[o], 1 - clip) for o in range(K) if o not in S)
    return exact, wp * ES - wm * EF


def _clip_chain(weights_printed, conditional, name):
    fx_ok = _clip_fx_repaired()
    exact, paper = _clip_objective(weights_printed, conditional)
    res = identity(exact, paper, V_space + [interval(clip, 0, 1), V_eps], name=name)
    parts = [Part("f-rewrite", "f(x, A) = A min(x,1+eps) (A>0), A max(x,1-eps) (A<0)", fx_ok),
             Part("objective", "E_{pi_old} f(pi/pi_old, A) equals the displayed two-term form", res)]
    return combine(parts)


@claim("sec2.2-clip-conditional")
def _clip_conditional():
    w0 = (sp.sqrt((1 - p_old) / p_old), sp.sqrt(p_old / (1 - p_old)))
    printed = _clip_chain(w0, conditional=True, name="clip conditional (as printed)")
    # repaired: conditional expectations carry the factors p and 1 - p
    wrep = (p_old * w0[0], (1 - p_old) * w0[1])
    rep = _clip_chain(wrep, conditional=True, name="clip conditional (repaired)")
    printed.reading = ("E_{o~pi_old, r(q,o)=1}[.] is read as the conditional expectation given success "
                       "(the catalogue files the indicator form separately as sec2.2-clip-indicator)")
    printed.repaired = Repaired("E f = sqrt(p(1-p)) (E[min(ratio,1+eps) | r=1] - E[max(ratio,1-eps) | r=0]): "
                                "the conditional form needs the factors p and 1-p", rep)
    return if_refuted(printed, "substantive", "with conditional expectations the factors p and 1-p are missing "
                      "(Arb-certified counterexample); with them, or in indicator form, the identity holds")


@claim("sec2.2-clip-indicator")
def _clip_indicator():
    w0 = (sp.sqrt((1 - p_old) / p_old), sp.sqrt(p_old / (1 - p_old)))
    res = _clip_chain(w0, conditional=False, name="clip indicator")
    res.reading = "per prompt q (the average over q and the common -beta KL term are the same on both sides)"
    return res


@claim("sec2.3-clip-smoothed")
def _clip_smoothed():
    res = _clip_chain((w_plus(p_old), w_minus(p_old)), conditional=False, name="clip smoothed")
    res.reading = "per prompt, with the stabilised weights omega^pm_eps of eq. (4)"
    return res


@claim("sec2.3-noclip")
def _noclip():
    # (a) clip eps >= |x - 1|: f(x, y) = x y for y of either sign
    big = sp.Symbol("s", nonnegative=True)  # clip = |x-1| + s
    parts = []
    for desc, xx in [("x <= 1", 1 - t / (1 + t)), ("x >= 1", 1 + t)]:
        for sgn in (1, -1):
            c = sp.Abs(xx - 1) + big
            res = identity(f_clip(xx, sgn * y, c), xx * sgn * y, [positive(t), positive(y), positive(big)],
                           name=f"no-clip limit {desc}, sign {sgn}")
            parts.append(Part(f"{desc}, y {'>' if sgn > 0 else '<'} 0", "clip >= |x-1| gives f(x,y) = x y", res))
    lim = combine(parts)
    eq = _eq5_result()
    return combine([Part("limit", "as clip eps -> inf, (GRPO-Clip) becomes (GRPO): f_eps(x,y) = xy once eps >= |x-1|",
                         lim),
                    Part("contrastive", "(GRPO) with stabilised advantage = (GRPO-No-Clip)", eq)])


@claim("eq5")
def _eq5():
    return fresh(_eq5_result(),
                 reading=("per prompt on a finite outcome space (4 outcomes, 2 successes, symbolic probabilities): "
                          "E_{pi_old}[(pi/pi_old) A] = w+ E_pi 1_S - w- E_pi 1_F; the KL term is common to both sides"))


@claim("eq6")
def _eq6():
    eq = _eq5_result()
    return combine([Part("objective", "iteration n objective = eq. (5) with theta_old = theta_{n-1}", eq),
                    Part("algorithm", "Algorithm 1 estimates these expectations by importance sampling",
                         not_checkable("describes the algorithm, not a mathematical fact; `grpo-symbolic simulate` "
                                       "measures how far sampled Algorithm 1 is from the exact iteration",
                                       "description of Algorithm 1"))])


@claim("sec2.4-policy-space")
def _policy_space():
    # the objective of (7) depends on pi_{n-1} only through p_{n-1}: two previous
    # policies with the same success mass give the same objective
    # two previous policies with the same success mass (any split inside S and F)
    c1, c2 = sp.symbols("c1 c2", positive=True)
    prev1 = [a[0] / Za, a[1] / Za, a[2] / Za, a[3] / Za]
    pS = prev1[0] + prev1[1]
    prev2 = [pS * c1 / (c1 + 1), pS / (c1 + 1), (1 - pS) * c2 / (c2 + 1), (1 - pS) / (c2 + 1)]
    q = sp.Symbol("q", positive=True)
    objective = w_plus(q) * (pi_new[0] + pi_new[1]) - w_minus(q) * (pi_new[2] + pi_new[3])
    structural = objective.free_symbols - set(b) - {eps} == {q}
    mass = identity(prev2[0] + prev2[1], pS, V_space + [positive(c1), positive(c2)],
                    name="same success mass")
    both = identity(prev2[0] + prev2[1] + prev2[2] + prev2[3], 1, V_space + [positive(c1), positive(c2)],
                    name="second previous policy is normalised")
    dep = symbolic(structural, "the objective of (7) is a function of pi and of p_{n-1} = sum_S pi_{n-1} only",
                   {"method": "free symbols of the objective", "objective": str(objective),
                    "free_symbols": sorted(map(str, objective.free_symbols)),
                    "statement": "free_symbols(objective) - pi - {eps} == {p_(n-1)}"})
    res = combine([Part("structure", "objective(pi; pi_{n-1}) = F(pi, p_{n-1})", dep),
                   Part("mass", "policies with equal success mass give the same p_{n-1}", mass),
                   Part("normalised", "the second previous policy is a distribution", both)])
    return combine([Part("dependence", "pi_n depends on pi_{n-1} only through p_{n-1}", res),
                    Part("swap", "maximising over theta = maximising over policies",
                         not_checkable("a modelling assumption (the class can represent every policy)",
                                       "assumption, not a theorem"))])


@claim("abstract-contrastive")
def _abstract_contrastive():
    eq = _eq5_result()
    dw = inequality(odds_sub(sp.diff(w_plus(p), p)), "<", [positive(u), V_eps], name="w+ decreasing",
                    symbolic=lambda: _sign_steps(sp.diff(w_plus(p), p), "negative"))
    return combine([Part("contrastive", "mean+variance calibrated GRPO = w+ E_pi 1_S - w- E_pi 1_F", eq),
                    Part("adaptive", "the weights depend on p (w+ strictly decreasing in p)", dw)],
                   reading="per prompt; 'contrastive' = positive weight on successes, negative on failures, "
                           "both from samples of the previous policy")


def _sign_steps(expr, sign):
    """SymPy sign argument after the odds substitution p = u/(1+u), u > 0."""
    e = odds_sub(expr)
    ok = bool(getattr(e, f"is_{sign}"))
    return ok, [{"method": "substitute p = u/(1+u), u > 0", "result": str(e)},
                {"method": f"SymPy assumptions: is_{sign}", "result": str(ok)}]


@claim("eq3")
def _eq3():
    A = _advantage("std", e=0)[0]
    links = [("success advantage (1-p)/sqrt(p(1-p)) [from (r-mu)/sigma]", A[0].subs(sp.sqrt(_advantage("std", 0)[2]),
                                                                                      sp.sqrt(p_old * (1 - p_old))),
              (1 - p_old) / sp.sqrt(p_old * (1 - p_old))),
             ("failure advantage -p/sqrt(p(1-p))", A[2].subs(sp.sqrt(_advantage("std", 0)[2]),
                                                            sp.sqrt(p_old * (1 - p_old))),
              -p_old / sp.sqrt(p_old * (1 - p_old)))]
    first = chain(_moments_chain(0) + links, V_space, name="eq3 from the definition")
    second = combine([Part("success", "(1-p)/sqrt(p(1-p)) = sqrt((1-p)/p)",
                           identity(odds_sub((1 - p) / sp.sqrt(p * (1 - p))), odds_sub(sp.sqrt((1 - p) / p)),
                                    [positive(u)], name="eq3 success form")),
                      Part("failure", "-p/sqrt(p(1-p)) = -sqrt(p/(1-p))",
                           identity(odds_sub(-p / sp.sqrt(p * (1 - p))), odds_sub(-sp.sqrt(p / (1 - p))),
                                    [positive(u)], name="eq3 failure form"))])
    return combine([Part("definition", "advantage (1) with Bernoulli mean and variance", first),
                    Part("rewriting", "the two printed forms agree for 0 < p < 1", second)])


@claim("sec2.1-calibration")
def _calibration():
    s_plus = sp.sqrt((1 - p) / p)
    s_minus = sp.sqrt(p / (1 - p))
    items = [("success credit positive", s_plus, "positive"),
             ("success credit decreasing in p", sp.diff(s_plus, p), "negative"),
             ("failure credit negative", -s_minus, "negative"),
             ("|failure credit| increasing in p", sp.diff(s_minus, p), "positive")]
    parts = []
    for desc, e, sign in items:
        ok, steps = _sign_steps(e, sign)
        res = inequality(odds_sub(e), ">" if sign == "positive" else "<", [positive(u)], name=desc,
                         symbolic=lambda ok=ok, steps=steps: (ok, steps))
        parts.append(Part(desc, desc, res))
    return combine(parts, reading="eps = 0 weights of eq. (3) on 0 < p < 1")


@claim("sec2.2-weighting")
def _weighting():
    # all weights are positive, so each comparison is made between squares
    sq_plus, sq_minus = (1 - p) / p, p / (1 - p)
    parts = []
    for desc, e, rel, lo, hi in [
        ("p > 1/2: success weight < 1", sq_plus - 1, "<", Fraction(1, 2), 1),
        ("p > 1/2: failure weight > 1", sq_minus - 1, ">", Fraction(1, 2), 1),
        ("p > 1/2: failures weigh more than successes", sq_minus - sq_plus, ">", Fraction(1, 2), 1),
        ("p < 1/2: success weight > 1", sq_plus - 1, ">", 0, Fraction(1, 2)),
        ("p < 1/2: failure weight < 1 (still penalised, small)", sq_minus - 1, "<", 0, Fraction(1, 2)),
    ]:
        res = inequality(e, rel, [interval(p, lo, hi, lo_open=True, hi_open=True)], name=desc)
        parts.append(Part(desc, desc, res))
    return combine(parts, reading="weights sqrt((1-p)/p), sqrt(p/(1-p)) of eq. (3); 'low/high' read as below/above 1 "
                                  "and relative to each other; both sides positive, so squares are compared")


@claim("eq4")
def _eq4():
    A, mu, var = _advantage("std")
    links = _moments_chain() + [
        ("success: (1-mu)/sqrt(sigma^2+eps) = w+_eps(p)", A[0].subs(sp.sqrt(var + eps), sp.sqrt(p_old * (1 - p_old) + eps)),
         w_plus(p_old)),
        ("failure: (0-mu)/sqrt(sigma^2+eps) = -w-_eps(p)", A[2].subs(sp.sqrt(var + eps), sp.sqrt(p_old * (1 - p_old) + eps)),
         -w_minus(p_old))]
    res = chain(links, V_space + [V_eps], name="eq4")
    ends = combine([Part(d, d, identity(lhs, rhs, [V_eps], name=f"eq4 {d}")) for d, lhs, rhs in [
        ("w+(0) = 1/sqrt(eps)", w_plus(0), 1 / sp.sqrt(eps)), ("w-(0) = 0", w_minus(0), 0),
        ("w+(1) = 0", w_plus(1), 0), ("w-(1) = 1/sqrt(eps)", w_minus(1), 1 / sp.sqrt(eps))]])
    return combine([Part("weights", "substituting mu=p, sigma^2=p(1-p) gives omega^pm_eps", res),
                    Part("ends", "with eps > 0 the weights are finite at p = 0 and p = 1", ends)])


@claim("sec2-clip-range")
def _clip_range():
    # d f / d x for x outside [1-eps, 1+eps], by the sign of the advantage y
    parts = []
    for desc, xx, sgn, want in [("x > 1+eps, A > 0: no push outward", 1 + clip + t, 1, "zero"),
                                ("x < 1-eps, A < 0: no push outward", 1 - clip - t, -1, "zero"),
                                ("x < 1-eps, A > 0: pushed up, toward the interval", 1 - clip - t, 1, "positive"),
                                ("x > 1+eps, A < 0: pushed down, toward the interval", 1 + clip + t, -1, "negative")]:
        xs = sp.Symbol("xs", positive=True)
        d = sp.diff(f_clip(xs, sgn * y), xs).subs(xs, xx)
        d = sp.simplify(d)
        ok = (d == 0) if want == "zero" else bool(getattr(d, f"is_{want}"))
        res = symbolic(ok, f"d f/dx = {d}", {"method": "sympy.diff of f_eps in x, simplify, sign by assumptions",
                                             "derivative": str(d), "statement": f"d f/dx is {want}"})
        parts.append(Part(desc, desc, res))
    out = combine(parts, reading=("clipping is not a constraint on the ratio: the precise reading checked is that "
                                  "the clipped objective never rewards moving the ratio further out of "
                                  "[1-eps, 1+eps] (its x-derivative is 0 or points back into the interval). The "
                                  "ratio itself can leave the interval, e.g. with several optimiser steps"))
    return out


@claim("fig1")
def _fig1():
    s_plus, s_minus = sp.sqrt((1 - p) / p), sp.sqrt(p / (1 - p))
    cross = sp.solve(sp.Eq(s_plus**2, s_minus**2), p)
    cut_lo = sp.solve(sp.Eq(s_plus**2, 100), p)
    cut_hi = sp.solve(sp.Eq(s_minus**2, 100), p)
    ok = cross == [sp.Rational(1, 2)]
    ev = {"kind": "figure", "regenerate": "grpo_symbolic.figures.fig1()",
          "crossing": [str(c) for c in cross], "green_curve_leaves_[0,10]_at_p": [str(c) for c in cut_hi],
          "orange_curve_leaves_[0,10]_at_p": [str(c) for c in cut_lo],
          "values_at_p=1/2": [str(s_plus.subs(p, sp.Rational(1, 2))), str(s_minus.subs(p, sp.Rational(1, 2)))]}
    return reproduction(ok, "curves sqrt(p/(1-p)) and sqrt((1-p)/p) regenerated; they cross at p = 1/2 (value 1), "
                            "and stay within the y-range [0, 10] for p in [1/101, 100/101]", ev,
                        "the crossing point and the y-range cut-offs, solved exactly by SymPy")


@claim("intro-code")
def _intro_code():
    return not_checkable("the supplementary material is not part of the statement catalogue and is not used "
                         "(this package reaches its verdicts independently)", "claim about supplementary material")
