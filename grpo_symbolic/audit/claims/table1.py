"""Table 1 (the "Summary" page): the six variants row by row."""

from __future__ import annotations

import sympy as sp

from ...verify.checks import derivation, identity, inequality
from ...verify.domains import positive, real
from ..registry import claim
from ...verify.verdict import Part, Repaired, argued, combine, symbolic
from ._common import (V_alpha, V_beta, V_eps, V_p, V_pref, alpha, beta, decreasing_step_witness, eps, logit, p,
                      p_ref, sigmoid, w_minus, w_plus, witness)
from ...symbolic import general_space as gs
from ._mixed import _ALONG, GENERAL, thm9_result, tilt_induction
from .sec3_dynamics import _odds, _thm2, h_thm2
from .sec4_5_mirror import (CYCLE, NONMONO, _cycle_witness, _increment_bounded_below, _increment_positive,
                            _limit_ratio_at_one, _sec5_mirror, _sec5_ref, _thm4, _thm51, _zero_mass_stays_zero)

Om = (p * (1 - p) + eps) ** sp.Rational(-1, 2)
Delta, D_star = sp.symbols("Delta_R Delta_star", real=True)
L_star = sp.Symbol("L_star", real=True)
Lr = sp.Symbol("L_ref", real=True)
Ostar = sp.Symbol("Omega_star", positive=True)


# ------------------------------------------------------------------ row 1
@claim("table1-row1-weights")
def _r1w():
    return combine([Part("w+", "w+ = (1-p) Omega_eps", identity(w_plus(p), (1 - p) * Om, [V_p, V_eps], name="w+")),
                    Part("w-", "w- = p Omega_eps", identity(w_minus(p), p * Om, [V_p, V_eps], name="w-")),
                    Part("Omega", "Omega_eps = (p(1-p)+eps)^(-1/2)",
                         identity(w_plus(p) + w_minus(p), Om, [V_p, V_eps], name="Omega"))])


@claim("table1-row1-recurrence")
def _r1r():
    return combine([Part("recurrence", "logit p_n = logit p_ref + Omega(p_{n-1})/beta", _odds()),
                    Part("derivation", "from the optimal policy (Thm 2)", _thm2())])


@claim("table1-row1-fixed")
def _r1f():
    # a fixed point of h is exactly a solution of p* = sigmoid(logit p_ref + Omega(p*)/beta)
    return identity(h_thm2(p), sigmoid(logit(p_ref) + Om / beta), [V_p, V_pref, V_beta, V_eps],
                    name="h(p) = sigmoid(logit p_ref + Omega(p)/beta), so fixed points solve the implicit equation")


@claim("table1-row1-contraction")
def _r1c():
    return argued("Banach: h maps [0,1] (complete) into itself (prop1.1); sup|h'| < 1 makes it a "
                  "contraction, so the iteration converges to its unique fixed point",
                  "Banach fixed-point theorem (classical; not machine-checked here)", uses=["prop1.1"],
                  reading="a sufficient condition; the audit's fig5 and dynamics results show the iteration also "
                          "converges in many cases where h is not a contraction")


# ------------------------------------------------------------------ row 2
@claim("table1-row2-weights")
def _r2w():
    return combine([Part("w+ + w-", "Omega = (1-p) + p = 1", identity((1 - p) + p, 1, [V_p], name="mean Omega"))],
                   reading="mean-only weights of eq. (13)")


@claim("table1-row2-recurrence")
def _r2r():
    return _sec5_ref()


@claim("table1-row2-fixed")
def _r2f():
    return _sec5_ref()


@claim("table1-row2-stable")
def _r2s():
    g = logit(p_ref) + 1 / beta  # the log-odds map does not depend on L
    d = sp.diff(g, sp.Symbol("L"))
    return symbolic(d == 0, "the map L -> logit p_ref + 1/beta is constant: slope 0, stable",
                    {"method": "sympy.diff of the log-odds map", "derivative": str(d), "statement": "g'(L) == 0"})


# ------------------------------------------------------------------ row 3 / 4
@claim("table1-row3-recurrence")
def _r3r():
    return _thm4()


@claim("table1-row3-no-interior")
def _r3n():
    return _thm51()


@claim("table1-row3-limit")
def _r3l():
    return _increment_bounded_below()


@claim("table1-row3-global")
def _r3g():
    return combine([Part("limit", "p_n -> 1 from every p_ref in (0,1)", _increment_bounded_below()),
                    Part("stable", "1 attracts (slope < 1)", _limit_ratio_at_one()[0])])


@claim("table1-row3-absorbing")
def _r3a():
    r, _ = _zero_mass_stays_zero(sp.Integer(0))
    r = combine([Part("absorbing", "p_{n-1} = 0 gives p_n = 0", r)])
    r.reading = "p = 0 means zero success mass under pi_{n-1}; 'absorbing only if the support is 0' is then a tautology"
    return r


@claim("table1-row4-recurrence")
def _r4r():
    return _sec5_mirror()


@claim("table1-row4-no-interior")
def _r4n():
    return _increment_positive("mean")


@claim("table1-row4-limit")
def _r4l():
    return _sec5_mirror()


@claim("table1-row4-global")
def _r4g():
    return _sec5_mirror()


# ------------------------------------------------------------------ row 5 / 6
@claim("table1-row5-recurrence")
def _r5r():
    return thm9_result("std")


def _fixed_from_recurrence(om):
    """At a fixed point with constant correction Delta*: L* = a L_ref + (1-a) L* + Delta* + om/beta."""
    lhs = L_star
    rhs = Lr + D_star / alpha + om / (alpha * beta)
    sol = sp.solve(sp.Eq(L_star, alpha * Lr + (1 - alpha) * L_star + D_star + om / beta), L_star)
    ok = len(sol) == 1 and sp.simplify(sol[0] - rhs) == 0
    return symbolic(ok, f"solving the recurrence at a fixed point gives L* = {sol}",
                    {"method": "sympy.solve of the fixed-point equation, then simplify(solution - claimed) == 0",
                     "solve": [str(s) for s in sol], "claimed": str(rhs), "statement": "L* == claimed"})


@claim("table1-row5-fixed")
def _r5f():
    return _fixed_from_recurrence(Ostar)


@claim("table1-row5-contraction")
def _r5c():
    # with Delta_R bounded (in fact identically 0) the map is g(L) = a L_ref + (1-a) L + Omega(L)/beta:
    # not affine, and not a contraction: a certified unstable fixed point has |g'| > 1
    Lv = sp.Symbol("L", real=True)
    gL = alpha * Lr + (1 - alpha) * Lv + (sp.exp(-Lv) / (1 + sp.exp(-Lv)) ** 2 + eps) ** sp.Rational(-1, 2) / beta
    notaff = identity(sp.diff(gL, Lv, 2), 0, [real(Lv), V_alpha, V_beta, V_eps],
                      name="affine: g''(L) = 0 for the std two-KL log-odds map")
    notaff.erratum = "substantive"
    wit = witness("|g'(L*)| > 1 at a certified fixed point, and an attracting 2-cycle: not a contraction "
                  "(alpha=0.5, beta=2, eps=1e-3, p_ref=1e-5)",
                  lambda r: any(f.stable is False for f in r.fixed) and r.orbit.kind == "cycle",
                  refutes=True, **CYCLE)
    wit.erratum = "substantive"
    res = combine([Part("affine", "the log-odds map is affine", notaff), Part("contraction", "it is a contraction", wit)],
                  reading="Delta_R is 0 along the iteration (bounded), so the claim predicts an affine contraction")
    res.repaired = Repaired("if beta > sup_L |Omega'(L)| / alpha then g is a contraction in log-odds "
                            "(|g'| <= (1-alpha) + sup|Omega'|/beta < 1); for mean-only (row 6) it is affine with "
                            "rate 1 - alpha", argued("triangle inequality on g' = (1-alpha) + Omega'/beta, then the "
                                                     "mean value theorem", "triangle inequality and mean value theorem "
                                                     "(classical; not machine-checked here)"))
    return res


@claim("table1-row5-nonmonotone")
def _r5n():
    return decreasing_step_witness(**NONMONO)


@claim("table1-row6-recurrence")
def _r6r():
    return thm9_result("mean")


@claim("table1-row6-fixed")
def _r6f():
    r = _fixed_from_recurrence(sp.Integer(1))
    r.reading = "unique: the solve returns exactly one L*"
    return r


@claim("table1-row6-contraction")
def _r6c():
    return combine([Part("zero correction", "Delta_R = 0 along the iteration", tilt_induction("mean")),
                    Part("rate", "g(L) = alpha L_ref + (1-alpha) L + 1/beta: g(L) - g(L') = (1-alpha)(L - L')",
                         derivation(gs.row6_contraction(), GENERAL + _ALONG + "; mean-only weights"))])


@claim("table1-row6-amplification")
def _r6a():
    # L* - L_ref = (Delta* + 1/beta)/alpha > 0 iff Delta* + 1/beta > 0
    diff = identity(Lr + D_star / alpha + 1 / (alpha * beta) - Lr, (D_star + 1 / beta) / alpha,
                    [real(Lr), real(D_star), V_alpha, V_beta], name="L* - L_ref = (Delta* + 1/beta)/alpha")
    return combine([Part("identity", "L* - L_ref = (Delta* + 1/beta)/alpha", diff),
                    Part("sign", "alpha > 0, so p* > p_ref iff Delta* + 1/beta > 0 (logit is increasing)",
                         _same_sign_after_division())])


def _same_sign_after_division():
    """(Delta* + 1/beta)/alpha has the sign of Delta* + 1/beta, for alpha > 0: SymPy's
    sign of the quotient of a positive and a negative number, each way."""
    s = sp.Symbol("s", positive=True)
    ok = bool((s / alpha).is_positive) and bool((-s / alpha).is_negative)
    return symbolic(ok, "division by alpha > 0 preserves the sign",
                    {"method": "SymPy assumptions: s/alpha > 0 and -s/alpha < 0 for s, alpha > 0",
                     "statement": "sign((Delta* + 1/beta)/alpha) == sign(Delta* + 1/beta)"})
