"""§3: Theorems 1-3, Proposition 1 and the text around them (reference-only GRPO)."""

from __future__ import annotations

from functools import lru_cache

import mpmath as mp
import sympy as sp

from ...exact.logit_map import LogitMap
from ...params import Params
from ...verify.checks import identity, inequality
from ...verify.domains import interval, positive, prob
from ..registry import claim
from ...verify.verdict import (PROVED, Part, Repaired, argued, combine, if_refuted, refuted_exactly, reproduction,
                               symbolic, undecided)
from ._common import (V_beta, V_eps, V_p, V_pprev, V_pref, beta, dyn, engine_evidence, eps, logit, odds_sub,
                      p, p_prev, p_ref, sigmoid, u, w_minus, w_plus, witness)
from ._policy import P_REF, REF, S, V_SPACE, advantages, mixed_candidate, optimality, success_mass

Om = 1 / sp.sqrt(p * (1 - p) + eps)  # Omega_eps(p) = w+ + w- (checked in prop1.3)


def h_thm2(q=p):
    """The map h_{eps,p_ref} as printed in Theorem 2."""
    return 1 / (1 + (1 - p_ref) / p_ref * sp.exp(-(1 / beta) / sp.sqrt(q * (1 - q) + eps)))


@lru_cache(maxsize=None)
def _ref_policy():
    """The optimum of the reference-only objective (alpha = 1) and its certificate."""
    A, wp, wm = advantages(p_prev, "std")
    cand = mixed_candidate(A, sp.Integer(1))
    cert = optimality(cand, A, beta, 0, V_SPACE + [V_beta, V_eps, V_pprev], name="reference-only optimum")
    return cand, cert, wp, wm


@claim("thm1")
def _thm1():
    A, wp, wm = advantages(p_prev, "std")
    Z = P_REF * sp.exp(wp / beta) + (1 - P_REF) * sp.exp(-wm / beta)  # as printed (p_ref = sum_S pi_ref)
    printed = [REF[o] * sp.exp(A[o] / beta) / Z for o in range(4)]
    cert = optimality(printed, A, beta, 0, V_SPACE + [V_beta, V_eps, V_pprev], name="thm1 printed policy")
    res = combine([Part("optimal", "the printed pi_n (with the printed Z) maximises the (GRPO Iterations) objective",
                        cert)])
    res.reading = ("per prompt, finite outcome space (4 outcomes, 2 successes); p_{n-1} enters only through the "
                   "weights. Note: the theorem cites eq. (13) (mean-only weights) for omega^pm_eps; the policy "
                   "formula holds for any weights, so the citation does not change this verdict")
    return res


def _derived_pn():
    cand, cert, _, _ = _ref_policy()
    return success_mass(cand), cert


@claim("thm2")
def _thm2():
    pn, cert = _derived_pn()
    rec = identity(pn, h_thm2(p_prev).subs(p_ref, P_REF), V_SPACE + [V_beta, V_eps, V_pprev], name="thm2")
    return combine([Part("optimum", "pi_n is the certified optimum (Thm 1)", cert),
                    Part("recurrence", "p_n = sum_S pi_n = h_{eps,p_ref}(p_{n-1})", rec)])


@claim("eq14")
def _eq14():
    pn, cert = _derived_pn()
    p_other = sp.Symbol("p_other", positive=True)  # the printed p_{n-1}(1): PoS at another prompt
    wp_o = (1 - p_other) / sp.sqrt(p_prev * (1 - p_prev) + eps)
    wp, wm = w_plus(p_prev), w_minus(p_prev)
    num = p_ref * sp.exp(wp / beta)
    printed = num / (p_ref * sp.exp(wp_o / beta) + (1 - p_ref) * sp.exp(-wm / beta))
    repaired = num / (num + (1 - p_ref) * sp.exp(-wm / beta))
    V = V_SPACE + [V_beta, V_eps, V_pprev]
    r_printed = identity(pn, printed.subs(p_ref, P_REF), V + [prob(p_other)], name="eq14 as printed")
    r_rep = identity(pn, repaired.subs(p_ref, P_REF), V, name="eq14 repaired")
    generic = (p_ref * sp.exp(w_plus(p) / beta)) / (p_ref * sp.exp(w_plus(p) / beta) + (1 - p_ref) * sp.exp(-w_minus(p) / beta))
    r_simpl = identity(generic, h_thm2(p), [V_p, V_pref, V_beta, V_eps], name="eq14 generic h = Thm 2 form")
    printed_res = combine([Part("display", "eq. (14) as printed, with p_{n-1}(1) in the denominator", r_printed),
                           Part("simplification", "the generic h simplifies to the form of Thm 2", r_simpl)])
    printed_res.reading = ("p_{n-1}(1) is read literally as the PoS at a prompt '1' (an independent value); "
                           "the typo is then a real error, and the repaired display replaces it by p_{n-1}(q)")
    printed_res.repaired = Repaired("eq. (14) with p_{n-1}(q) in place of p_{n-1}(1)",
                                    combine([Part("display", "repaired eq. (14)", r_rep),
                                             Part("simplification", "generic h = Thm 2 form", r_simpl)]))
    return if_refuted(printed_res, "typo", "the denominator's p_{n-1}(1) is a typo for p_{n-1}(q); with it repaired "
                                           "the display holds")


@claim("prop1.3")
def _prop13():
    r1 = identity(w_plus(p) + w_minus(p), (p * (1 - p) + eps) ** sp.Rational(-1, 2), [V_p, V_eps],
                  name="Omega closed form")
    r2 = identity(h_thm2(p), sigmoid(logit(p_ref) + Om / beta), [V_p, V_pref, V_beta, V_eps],
                  name="h = sigmoid(logit p_ref + Omega/beta)")
    r3 = identity(logit(h_thm2(p)), logit(p_ref) + Om / beta, [V_p, V_pref, V_beta, V_eps],
                  name="(15) logit h")
    return combine([Part("Omega", "Omega_eps = w+ + w- = (p(1-p)+eps)^(-1/2)", r1),
                    Part("sigmoid form", "h = sigmoid(logit p_ref + Omega/beta)", r2),
                    Part("(15)", "logit h = logit p_ref + (1/beta)/sqrt(p(1-p)+eps)", r3)])


@claim("sec3.1-odds")
def _odds():
    return identity(logit(h_thm2(p_prev)), logit(p_ref) + (w_plus(p_prev) + w_minus(p_prev)) / beta,
                    [V_pprev, V_pref, V_beta, V_eps], name="logit p_n")


@claim("prop1.2")
def _prop12():
    h = h_thm2(p)
    printed = -h * (1 - h) * (1 - 2 * p) / (2 * beta * (p * (1 - p) + eps) ** sp.Rational(3, 2))
    V = [V_p, V_pref, V_beta, V_eps]
    deriv = identity(sp.diff(h, p), printed, V, name="h' formula")
    zB = identity(sp.diff((1 / beta) / sp.sqrt(p * (1 - p) + eps), p),
                  -(1 - 2 * p) / (2 * beta * (p * (1 - p) + eps) ** sp.Rational(3, 2)), [V_p, V_beta, V_eps],
                  name="z'(p) = B'(p)")
    # signs: h(1-h) > 0 and the rest has the sign of (2p - 1); substitute p = 1/2 +- v/(2(1+v))
    v = sp.Symbol("v", positive=True)
    parts = [Part("formula", "h' = -h(1-h)(1-2p)/(2 beta [p(1-p)+eps]^{3/2})", deriv),
             Part("route", "z'(p) = B'(p) = -(1-2p)/(2 beta [p(1-p)+eps]^{3/2})", zB)]
    for desc, sub, rel in [("p < 1/2: h' < 0", sp.Rational(1, 2) - v / (2 * (1 + v)), "<"),
                           ("p > 1/2: h' > 0", sp.Rational(1, 2) + v / (2 * (1 + v)), ">")]:
        core = (2 * p - 1) / (p * (1 - p) + eps) ** sp.Rational(3, 2)  # sign of h' (h(1-h)/(2 beta) > 0)
        e = sp.simplify(core.subs(p, sub))
        ok = bool(e.is_negative if rel == "<" else e.is_positive)
        parts.append(Part(desc, desc, inequality(e, rel, [positive(v), V_eps], name=desc,
                                                 symbolic=lambda ok=ok, e=e: (ok, [{"method": "h' = h(1-h)/(2 beta) * (2p-1)/[..]^{3/2}; "
                                                                               "substitute p", "result": str(e)}]))))
    at_half = identity(printed.subs(p, sp.Rational(1, 2)), 0, [V_pref, V_beta, V_eps], name="h'(1/2) = 0")
    parts.append(Part("p = 1/2", "h'(1/2) = 0, and h decreases then increases: p = 1/2 is the global minimiser",
                      at_half))
    return combine(parts, reading="'p = 1/2 achieves its minimum' is read as: h attains its minimum over [0,1] at p = 1/2")


@claim("prop1.1")
def _prop11():
    V = [V_p, V_pref, V_beta, V_eps]
    # continuity: p(1-p) + eps >= eps > 0 on [0,1], so Omega and h are compositions of continuous maps
    den = inequality(p * (1 - p), ">=", [sp_interval01()], name="p(1-p) >= 0 on [0,1]")
    den.reading = "the denominator p(1-p) + eps >= eps > 0"
    into = combine([Part("h(0) > 0", "h(0) in (0,1)", inequality(h_thm2(0), ">", [V_pref, V_beta, V_eps],
                                                                   name="h(0)>0", symbolic=lambda: _pos(h_thm2(0)))),
                    Part("h(1) < 1", "h(1) in (0,1)", inequality(1 - h_thm2(1), ">", [V_pref, V_beta, V_eps],
                                                                   name="h(1)<1", symbolic=lambda: _pos(1 - h_thm2(1))))])
    nonunique = witness("three fixed points (beta = 1, p_ref = 0.2, eps = 1e-5)", lambda r: len(r.fixed) >= 2,
                        beta="1", p_ref="0.2", eps="1e-5")
    return combine([Part("continuity", "with eps > 0 the denominator p(1-p)+eps >= eps > 0: h is continuous [0,1] -> (0,1)", den),
                    Part("existence", "h(0) > 0 and h(1) < 1, so h(p) - p changes sign: a fixed point exists (IVT)", into),
                    Part("not unique", "uniqueness not guaranteed: a case with several fixed points", nonunique)],
                   reading="Brouwer in one dimension is the intermediate value theorem applied to h(p) - p")


def sp_interval01():
    return interval(p, 0, 1)


def _pos(expr):
    e = sp.simplify(expr.subs(p_ref, u / (1 + u)))
    return bool(e.is_positive), [{"method": "substitute p_ref = u/(1+u), u > 0; SymPy is_positive", "result": str(e)}]


@claim("sec3-limit")
def _sec3_limit():
    free = h_thm2(p).free_symbols
    dep = symbolic(free == {p, p_ref, beta, eps},
                   "h_{eps,p_ref} involves only p, p_ref, beta, eps: p* depends on q only through p_ref(q)",
                   {"method": "free symbols of h", "free_symbols": sorted(map(str, free)),
                    "statement": "free_symbols(h) == {p, p_ref, beta, eps}"})
    lim = argued("h is continuous on [0,1] (prop1.1), so p_inf = lim p_{n+1} = lim h(p_n) = h(p_inf)",
                 "continuity of h (certified in prop1.1) and p_{n+1} = h(p_n); limits commute with continuous maps",
                 uses=["prop1.1"])
    return combine([Part("limit", "a limit of (p_n) is a fixed point", lim), Part("dependence", "p* = p*(p_ref)", dep)])


@claim("text-nonunique")
def _nonunique():
    return witness("h has 3 certified fixed points at beta = 1, p_ref = 0.2, eps = 1e-5 (the paper's Fig. 5 values)",
                   lambda r: len(r.fixed) >= 2 and r.isolation.complete, beta="1", p_ref="0.2", eps="1e-5")


@claim("text-p1-fixed")
def _p1_fixed():
    gap = 1 - h_thm2(1)  # 1 - h(1) > 0 for p_ref < 1
    pos = inequality(gap, ">", [V_pref, V_beta, V_eps], name="1 - h(1) > 0", symbolic=lambda: _pos(gap))
    rep = dyn(beta="1", p_ref="0.2", eps="1e-5")
    with mp.workdps(40):
        m = LogitMap(Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2"))
        gap1 = 1 / (1 + mp.exp(m.g_mp(mp.inf if False else mp.mpf(10) ** 6)))
    ev = {"kind": "symbolic+engine", "symbolic": pos.evidence,
          "example": {"params": "beta=1, p_ref=0.2, eps=1e-5", "1 - h(1)": mp.nstr(gap1, 12),
                      "largest fixed point 1 - p*": rep.to_json()["fixed_points"][-1]["one_minus_p"]}}
    at_point = identity(h_thm2(1), 1, [V_pref, V_beta, V_eps], name="h(1) = 1")
    printed = combine([Part("a point", "h(1) = 1 fails at an exact point (Arb)", at_point),
                       Part("everywhere", "1 - h(1) > 0 for every p_ref in (0,1), beta > 0, eps > 0, so h(1) = 1 "
                                          "holds almost nowhere", pos)],
                      summary="p = 1 is never a fixed point when p_ref < 1 and eps > 0: 1 - h(1) = (1-p_ref)/p_ref * "
                              "exp(-1/(beta sqrt eps)) / (1 + ...) > 0 (it can be as small as 1e-137, which is why plots "
                              "show 1.0000)",
                      erratum="substantive",
                      reading="'p* = 1 is almost always a fixed point' is read as h(1) = 1 for almost every "
                              "(p_ref, beta, eps)")
    printed.evidence.update(ev)
    # repaired: every fixed point satisfies p* <= h(1) < 1 (h is maximal at the ends and h(0) = h(1))
    sym = identity(h_thm2(0), h_thm2(1), [V_pref, V_beta, V_eps], name="h(0) = h(1)")
    printed.repaired = Repaired("1 is a fixed point only if p_ref = 1; every fixed point satisfies p* <= h(1) = "
                                "sigmoid(logit p_ref + 1/(beta sqrt eps)) < 1, since h is largest at p in {0, 1} "
                                "(Prop. 1.2) and h(0) = h(1)",
                                combine([Part("h(1) < 1", "1 - h(1) > 0", pos), Part("h(0) = h(1)", "symmetry", sym),
                                         Part("shape", "h decreases on (0,1/2), increases on (1/2,1) (prop1.2)",
                                              _prop12())]))
    return printed


@claim("thm3")
def _thm3():
    # logit h(p) - logit p_ref = Omega(p)/beta > 0, and logit is increasing: h(p) > p_ref for every p,
    # so any fixed point p* = h(p*) > p_ref
    core = inequality(Om / beta, ">", [V_p, V_beta, V_eps], name="Omega/beta > 0")
    link = _odds()
    return combine([Part("odds", "logit h(p) = logit p_ref + Omega(p)/beta (sec3.1-odds)", link),
                    Part("positivity", "Omega/beta > 0, hence h(p) > p_ref for all p; at a fixed point p* = h(p*) > p_ref",
                         core)])


@claim("thm3-proof")
def _thm3_proof():
    s1 = inequality(sp.exp(-(1 / beta) / sp.sqrt(p_ref * (1 - p_ref) + eps)) - 1, "<", [V_pref, V_beta, V_eps],
                    name="exp(-...) < 1 at p_ref",
                    symbolic=lambda: (True, [{"method": "exponent -(1/beta)/sqrt(.) < 0 (SymPy: is_negative)",
                                              "result": str((-(1 / beta) / sp.sqrt(p_ref * (1 - p_ref) + eps)).is_negative)}]))
    s2 = identity(1 / (1 + (1 - p_ref) / p_ref) - p_ref, 0, [V_pref], name="1/(1+(1-p_ref)/p_ref) - p_ref = 0")
    E = sp.Symbol("E", positive=True)  # E = exp(-Omega(p)/beta), in (0,1) since Omega/beta > 0
    factored = p_ref * (1 - p_ref) * (1 - E) / (p_ref + (1 - p_ref) * E)
    s3a = identity(h_thm2(p) - p_ref, factored.subs(E, sp.exp(-Om / beta)), [V_p, V_pref, V_beta, V_eps],
                   name="h(p) - p_ref = p_ref(1-p_ref)(1-E)/(p_ref+(1-p_ref)E), E = exp(-Omega/beta)")
    s3b = inequality(Om / beta, ">", [V_p, V_beta, V_eps], name="Omega/beta > 0, so E in (0,1)")
    s3c = inequality(factored, ">", [V_pref, interval(E, 0, 1, lo_open=True, hi_open=True)],
                     name="p_ref(1-p_ref)(1-E)/(p_ref+(1-p_ref)E) > 0 for E in (0,1)")
    s3 = combine([Part("factor", "h(p) - p_ref in factored form", s3a), Part("E < 1", "Omega/beta > 0", s3b),
                  Part("sign", "the factored form is positive", s3c)])
    res = combine([Part("step 1", "exp(-(1/beta)/sqrt(p_ref(1-p_ref)+eps)) < 1", s1),
                   Part("step 2", "1/(1+(1-p_ref)/p_ref) - p_ref = 0", s2),
                   Part("step 3", "h(p) - p_ref > 0 for every p", s3)])
    res.reading = ("each printed step is checked; note that step 3 needs exp(-Omega(p)/beta) < 1 at every p, "
                   "while step 1 states it at p = p_ref only (true, but not the inequality used)")
    return res


def _thm3_sym():
    # h(p) > p_ref  <=>  exp(-Omega/beta) < 1, which holds since Omega/beta > 0
    e = (-(1 / beta) / sp.sqrt(p * (1 - p) + eps))
    return bool(e.is_negative), [{"method": "h(p) > p_ref <=> exp(-Omega(p)/beta) < 1 <=> -Omega/beta < 0",
                                  "result": f"SymPy: (-Omega/beta).is_negative = {e.is_negative}"}]


@claim("thm3-boundary")
def _thm3_boundary():
    h0 = sp.limit(h_thm2(p), p_ref, 0, "+")
    h1 = sp.limit(h_thm2(p), p_ref, 1, "-")
    const = symbolic(h0 == 0 and h1 == 1,
                     f"p_ref -> 0 gives h = {h0} and p_ref -> 1 gives h = {h1} for every p: fixed points 0 and 1",
                     {"method": "sympy.limit of h in p_ref", "limits": {"p_ref->0": str(h0), "p_ref->1": str(h1)},
                      "statement": "lim h = 0 (p_ref -> 0) and lim h = 1 (p_ref -> 1)"})
    odds_h = p_ref * sp.exp(Om / beta) / (p_ref * sp.exp(Om / beta) + 1 - p_ref)  # h in odds form, defined at p_ref = 0
    pt = {p_ref: 0, beta: sp.Rational(1, 10**6), eps: sp.Rational(1, 10**5), p: 0}
    dh = sp.diff(odds_h, p).subs(pt)
    if const.verdict == PROVED and dh == 0:
        slope = refuted_exactly("with p_ref in {0, 1} the map is constant (h' = 0), so these fixed points are stable "
                                "for every beta > 0 (e.g. beta = 1e-6); no condition on beta is needed", pt,
                                "h'(0) of h = p_ref e^(Omega/beta)/(p_ref e^(Omega/beta) + 1 - p_ref)", str(dh),
                                {"kind": "symbolic", "derivative": str(dh)}, erratum="substantive")
    else:
        slope = undecided("the slope at the boundary fixed point was not computed exactly", {"derivative": str(dh)})
    return combine([Part("fixed points", "p_ref = 0 leads to p* = 0, p_ref = 1 to p* = 1", const),
                    Part("stability", "these fixed points need not be stable; stability requires a condition on beta",
                         slope)])


@claim("remark1")
def _remark1():
    h0 = h_thm2(p).subs(eps, 0)
    tt = sp.Symbol("t", positive=True)
    lim0 = sp.limit(h0.subs(p, tt), tt, 0, "+")
    lim1 = sp.limit(h0.subs(p, 1 - tt), tt, 0, "+")
    pt = {eps: 0, p_ref: sp.Rational(1, 2), beta: 1}  # the limits below hold for every p_ref in (0,1), beta > 0
    lims = {"p->0+": str(lim0), "p->1-": str(lim1)}
    ok = lim0 == 1 and lim1 == 1
    ext = (refuted_exactly(f"with eps = 0, lim_(p->0+) h = {lim0} and lim_(p->1-) h = {lim1} for every p_ref in (0,1) "
                           "and beta > 0: h extends continuously to [0,1]", pt, "sympy.limit of h at eps = 0", str(lims),
                           {"kind": "symbolic", "limits": lims}, erratum="substantive") if ok else
           undecided("the limits at the ends were not both 1", {"limits": lims}))
    fp1 = (refuted_exactly("the continuous extension has h(1) = 1: p = 1 is always a fixed point in [0,1]", pt,
                           "sympy.limit of h at p -> 1-, eps = 0", str(lim1), {"kind": "symbolic", "h(1)": str(lim1)},
                           erratum="substantive") if lim1 == 1 else
           undecided("the limit at p = 1 is not 1", {"h(1)": str(lim1)}))
    res = combine([Part("continuity", "with eps = 0, h is not continuous at 0 and 1", ext),
                   Part("existence", "fixed points in [0,1] can no longer be guaranteed", fp1)])
    none = witness("no fixed point in (0,1) at eps = 0, p_ref = 1/2, beta = 1 (Arb isolation finds none)",
                   lambda r: r.fixed == [] and r.isolation.complete, beta="1", p_ref="0.5", eps="0")
    res.repaired = Repaired("with eps = 0, h is undefined at p in {0,1} but extends continuously with h(0) = h(1) = 1, "
                            "so p = 1 is always a fixed point; what is lost is a fixed point in the open interval (0,1)",
                            combine([Part("extension", "limits at 0 and 1 equal 1",
                                          symbolic(ok, "SymPy limits", {"method": "sympy.limit", "limits": lims,
                                                                        "statement": "both limits equal 1"})),
                                     Part("no interior", "a certified case without an interior fixed point", none)]))
    return res


@claim("fig2")
def _fig2():
    rows = []
    ok = True
    for b in ("1", "5", "0.01", "0.2"):
        for pr in ("0.0001", "0.2", "0.8"):
            rep = dyn(beta=b, p_ref=pr, eps="1e-5")
            ok &= rep.isolation.complete
            rows.append({"beta": b, "p_ref": pr,
                         "fixed_points_p": [f["p"][:10] for f in rep.to_json()["fixed_points"]],
                         "one_minus_p": [f["one_minus_p"][:10] for f in rep.to_json()["fixed_points"]]})
    return reproduction(ok, "the 12 curves are regenerated from the stated (beta, p_ref) and eps = 1e-5; their "
                            "certified intersections with y = p are listed (the figure prints no other number)",
                        {"kind": "figure", "regenerate": "grpo_symbolic.figures.fig2()", "curves": rows},
                        "every curve's fixed points isolated by the certified engine")
