"""§4 mirror and two-KL GRPO, §5 mean-only (Dr. GRPO)."""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ...verify.checks import identity, inequality, not_checkable
from ...verify.domains import positive, prob
from ..registry import claim
from ...verify.verdict import Part, Repaired, Result, combine, symbolic
from ._common import (V_alpha, V_beta, V_eps, V_p, V_pprev, V_pref, alpha, beta, decreasing_step_witness, eps, logit,
                      p, p_prev, p_ref, sigmoid, w_minus, w_plus, witness)
from ._mixed import lemma3_result, thm9_result, tilt_induction
from ._policy import P_PREV, PREV, S, V_SPACE, advantages, mixed_candidate, optimality, success_mass

Om = 1 / sp.sqrt(p * (1 - p) + eps)
V_std = [V_p, V_beta, V_eps]


def mirror_map(q=p, kind="std"):
    om = 1 if kind == "mean" else 1 / sp.sqrt(q * (1 - q) + eps)
    return sigmoid(logit(q) + om / beta)


def _mirror_policy(kind="std"):
    """Thm 4's printed policy: pi_{n-1} exp(A/beta) / Z, Z = p e^{w+/beta} + (1-p) e^{-w-/beta}."""
    A, wp, wm = advantages(p_prev, kind)
    Z = P_PREV * sp.exp(wp / beta) + (1 - P_PREV) * sp.exp(-wm / beta)
    return [PREV[o] * sp.exp(A[o] / beta) / Z for o in range(4)], A, wp, wm


@claim("thm4")
def _thm4():
    pol, A, wp, wm = _mirror_policy()
    V = V_SPACE + [V_beta, V_eps, V_pprev]
    opt = optimality(pol, A, 0, beta, V, name="thm4 printed policy (mirror)")
    eq11 = identity(logit(success_mass(pol)), logit(P_PREV) + (wp + wm) / beta, V, name="(11)")
    eq12 = identity(mirror_map(p), sigmoid(logit(p) + (w_plus(p) + w_minus(p)) / beta), V_std, name="(12)")
    return combine([Part("(1) policy", "pi_n = pi_{n-1} exp(A/beta)/Z maximises (9) with alpha = 0", opt),
                    Part("(11)", "logit p_n = logit p_{n-1} + Omega(p_{n-1})/beta", eq11),
                    Part("(12)", "p_n = sigmoid(logit p_{n-1} + Omega(p_{n-1})/beta)", eq12)],
                   reading="p_{n-1} in the weights equals the success mass of pi_{n-1} (eq. (11) is checked with the "
                           "weights at an arbitrary p, so it holds in particular at p = p_{n-1})")


@lru_cache(maxsize=None)  # shared by many claims; callers never mutate the result
def _increment_positive(kind="std"):
    om = sp.Integer(1) if kind == "mean" else Om
    return inequality(om / beta, ">", V_std if kind == "std" else [V_beta], name=f"Omega/beta > 0 ({kind})")


@lru_cache(maxsize=None)  # shared by many claims; callers never mutate the result
def _increment_bounded_below():
    """Omega(p) >= Omega(1/2) = (1/4 + eps)^(-1/2): 1/4 - p(1-p) = (2p-1)^2/4 >= 0."""
    sq = identity(sp.Rational(1, 4) - p * (1 - p), (2 * p - 1) ** 2 / 4, [V_p], name="1/4 - p(1-p) = (2p-1)^2/4")
    return combine([Part("square", "1/4 - p(1-p) = (2p-1)^2/4 >= 0", sq),
                    Part("monotone", "Omega = (s + eps)^(-1/2) decreases in s = p(1-p) <= 1/4",
                         inequality(sp.diff((sp.Symbol("s", positive=True) + eps) ** sp.Rational(-1, 2),
                                            sp.Symbol("s", positive=True)), "<",
                                    [positive(sp.Symbol("s", positive=True)), V_eps], name="dOmega/ds < 0"))])


@lru_cache(maxsize=None)  # shared by many claims; callers never mutate the result
def _limit_ratio_at_one():
    """(1 - h(p))/(1 - p) -> exp(-1/(beta sqrt eps)) as p -> 1 (mirror map)."""
    t = sp.Symbol("t", positive=True)
    h = mirror_map(p)
    ratio = sp.simplify(((1 - h) / (1 - p)).subs(p, 1 - t))
    lim = sp.limit(ratio, t, 0, "+")
    target = sp.exp(-1 / (beta * sp.sqrt(eps)))
    ok = sp.simplify(lim - target) == 0
    return symbolic(ok, f"lim_(p->1) (1-h(p))/(1-p) = {lim} < 1",
                    {"method": "sympy.limit, then simplify(limit - exp(-1/(beta sqrt eps))) == 0", "limit": str(lim),
                     "statement": "lim (1-h(p))/(1-p) == exp(-1/(beta sqrt eps))"}), lim


@claim("thm5.1")
def _thm51():
    pos = _increment_positive()
    ends = _mirror_ends()
    return combine([Part("increment", "Omega/beta > 0: logit p_n > logit p_{n-1}, p_n > p_{n-1}", pos),
                    Part("no interior", "so p = sigmoid(logit p + Omega/beta) has no solution in (0,1)", pos),
                    Part("ends", "p = 0 and p = 1 are fixed (eps > 0)", ends)])


@lru_cache(maxsize=None)  # shared by many claims; callers never mutate the result
def _mirror_ends():
    t = sp.Symbol("t", positive=True)
    h = mirror_map(p)
    l0 = sp.limit(h.subs(p, t), t, 0, "+")
    l1 = sp.limit(h.subs(p, 1 - t), t, 0, "+")
    return symbolic(l0 == 0 and l1 == 1,
                    f"h_(eps,beta)(0+) = {l0}, h_(eps,beta)(1-) = {l1}: the continuous extension fixes 0 and 1",
                    {"method": "sympy.limit at both ends", "limits": [str(l0), str(l1)],
                     "statement": "h(0+) == 0 and h(1-) == 1"})


@claim("thm5.2a")
def _thm52a():
    return combine([Part("increasing", "p_n > p_{n-1} (thm5.1)", _increment_positive()),
                    Part("rate", "logit increments >= (1/4+eps)^(-1/2)/beta > 0, so logit p_n -> inf and p_n -> 1",
                         _increment_bounded_below())],
                   reading="'bounded by 1' alone gives a limit <= 1; the uniform lower bound on the logit increments "
                           "shows the limit is 1")


@claim("thm5.2b")
def _thm52b():
    ratio, _ = _limit_ratio_at_one()
    return combine([Part("limit", "p_n -> 1 from every p_ref in (0,1) (thm5.2a)", _increment_bounded_below()),
                    Part("local", "slope of the continuous extension at 1 is exp(-1/(beta sqrt eps)) < 1", ratio)])


def _zero_mass_stays_zero(a_val):
    """If pi_{n-1} (and pi_ref when alpha > 0) put no mass on S, neither does pi_n."""
    A, wp, wm = advantages(p_prev, "std")
    zero_prev = [0, 0, PREV[2], PREV[3]]
    cand = mixed_candidate(A, a_val, prev=[0, 0] + PREV[2:], ref=[0, 0] + PREV[2:])
    mass = sp.simplify(success_mass(cand))
    return symbolic(mass == 0, f"success mass of pi_n = {mass}",
                    {"method": "simplify of the success mass of the optimal policy", "mass": str(mass),
                     "alpha": str(a_val), "statement": "success mass of pi_n == 0"}), zero_prev


@claim("thm5.2c")
def _thm52c():
    r, _ = _zero_mass_stays_zero(sp.Integer(0))
    return combine([Part("absorbing", "p_{n-1} = 0 gives p_n = 0 (mirror): by induction p_n = 0 for all n", r)])


@claim("thm5-proof")
def _thm5_proof():
    ends = _mirror_ends()
    ratio, _ = _limit_ratio_at_one()
    t = sp.Symbol("t", positive=True)
    h = mirror_map(p)
    r0 = sp.limit(sp.simplify((h / p).subs(p, t)), t, 0, "+")
    unstable0 = symbolic(sp.simplify(r0 - sp.exp(1 / (beta * sp.sqrt(eps)))) == 0,
                         f"lim_(p->0) h(p)/p = {r0} > 1: 0 is repelling",
                         {"method": "sympy.limit of h(p)/p at 0+", "limit": str(r0),
                          "statement": "lim h(p)/p == exp(1/(beta sqrt eps)) (> 1 as the exponent is positive)"})
    zero, _ = _zero_mass_stays_zero(sp.Integer(0))
    return combine([Part("h(0)=0, h(1)=1", "ends of the mirror map", ends),
                    Part("limit", "p_n increases to 1 from p_ref in (0,1)", _increment_bounded_below()),
                    Part("stable", "1 is attracting (slope exp(-1/(beta sqrt eps)) < 1)", ratio),
                    Part("unique stable", "0 is repelling (slope exp(1/(beta sqrt eps)) > 1): 1 is the unique stable "
                                          "fixed point", unstable0),
                    Part("p_ref = 0", "zero is absorbing", zero)],
                   reading="'The fixed point is unique and stable' is read as: 1 is the only stable fixed point (0 "
                           "is also a fixed point, but repelling)")


@claim("sec4-compare")
def _sec4_compare():
    from .sec3_dynamics import _thm3

    mirror = combine([Part("to one", "mirror PoS -> 1", _increment_bounded_below()),
                      Part("stable", "1 is stable", _limit_ratio_at_one()[0])])
    ref = combine([Part("interior", "reference-only: fixed points exist in (0,1) and exceed p_ref", _thm3())])
    zero = combine([Part("mirror", "p_ref = 0 stays 0 (mirror)", _zero_mass_stays_zero(sp.Integer(0))[0]),
                    Part("reference", "p_ref = 0 stays 0 (reference-only)", _zero_mass_stays_zero(sp.Integer(1))[0])])
    return combine([Part("mirror", "for p_ref != 0 mirror PoS -> 1, a stable fixed point", mirror),
                    Part("reference", "reference-only may have an interior p* > p_ref", ref),
                    Part("p_ref = 0", "neither variant creates successes", zero)])


@claim("sec4-memory")
def _sec4_memory():
    from .sec3_dynamics import _p1_fixed

    better = _p1_fixed().repaired.result  # every reference-only fixed point is < h(1) < 1, mirror tends to 1
    return combine([Part("memory", "no reference model in memory",
                         not_checkable("engineering statement about memory use", "engineering, not mathematics")),
                    Part("guarantees", "mirror's PoS guarantee (limit 1) beats reference-only (every fixed point "
                                       "<= h(1) < 1)", better)])


@lru_cache(maxsize=None)  # shared by many claims; callers never mutate the result
def _interior_fixed_point_exists(kind="std"):
    """alpha in (0,1]: G(L_ref) = Omega/beta > 0 and G -> -inf: a zero of G exists (IVT)."""
    if kind == "mean":
        L_, Lr_ = sp.Symbol("L", real=True), sp.Symbol("L_ref", real=True)
        sol = sp.solve(alpha * (Lr_ - L_) + 1 / beta, L_)
        ok = len(sol) == 1 and sp.simplify(sol[0] - (Lr_ + 1 / (alpha * beta))) == 0
        return symbolic(ok, "G(L) = alpha(L_ref - L) + 1/beta has the unique zero L_ref + 1/(alpha beta)",
                        {"method": "sympy.solve", "solutions": [str(x) for x in sol],
                         "statement": "the zeros of G are exactly {L_ref + 1/(alpha beta)}"})
    s_ = sp.Symbol("s", positive=True)
    bound = combine([Part("s > 0", "s = p(1-p) > 0 on (0,1)", inequality(p * (1 - p), ">", [V_p], name="p(1-p) > 0")),
                     Part("monotone", "(s + eps)^(-1/2) decreases in s, so Omega(p) < Omega at s = 0, i.e. eps^(-1/2)",
                          inequality(sp.diff((s_ + eps) ** sp.Rational(-1, 2), s_), "<", [positive(s_), V_eps],
                                     name="d/ds (s+eps)^(-1/2) < 0"))])
    return combine([Part("G(L_ref) > 0", "G(L_ref) = Omega/beta > 0", _increment_positive()),
                    Part("upper bound", "Omega <= eps^(-1/2), so G(L_ref + 1/(alpha beta sqrt eps) + 1) <= -alpha < 0",
                         bound)],
                   reading="an interior fixed point = a zero of G = g - id on the real line (log-odds)")


def vacuous_renyi(general: Result, vanishes: Result) -> Result:
    """The Renyi term exists in the general formula but is identically 0 along the
    paper's iteration: true, and vacuous (the finding is in the summary)."""
    return combine([Part("general", "Lemma 3 / Thm 9 formula for arbitrary pi_{n-1}", general),
                    Part("vanishes", "zero along the iteration from pi_0 = pi_ref", vanishes)],
                   summary="true but vacuous in the paper's setting: from pi_0 = pi_ref every iterate is pi_ref tilted "
                           "on S and F, so the Renyi correction is identically 0")


CYCLE = dict(beta="2", alpha="0.5", eps="0.001", p_ref="1e-5")
NONMONO = dict(beta="2", alpha="0.5", eps="0.001", p_ref="0.001")


def _cycle_witness():
    return witness("attracting 2-cycle of the two-KL map at alpha=0.5, beta=2, eps=1e-3, p_ref=1e-5 (certified)",
                   lambda r: r.orbit.kind == "cycle", **CYCLE)


@claim("sec4-two-kl")
def _sec4_two_kl():
    nonmono = decreasing_step_witness(**NONMONO)
    renyi_general = lemma3_result()
    vanishes = tilt_induction("std")
    renyi_part = vacuous_renyi(renyi_general, vanishes)
    return combine([Part("monotonicity lost", "a certified decreasing step for alpha in (0,1)", nonmono),
                    Part("Renyi correction", "the iteration picks up a Renyi correction", renyi_part),
                    Part("interior fixed point", "there is an interior fixed point in (0,1)", _interior_fixed_point_exists()),
                    Part("no global stability", "a certified attracting 2-cycle", _cycle_witness())],
                   reading="[S-two]: alpha in (0,1), eps > 0, pi_0 = pi_ref")


# ------------------------------------------------------------------ §5
def _mean_pn(a_val):
    A, wp, wm = advantages(p_prev, "mean")
    cand = mixed_candidate(A, a_val)
    return cand, wp, wm


@claim("sec5-ref")
def _sec5_ref():
    from ._policy import P_REF, V_SPACE as VS

    A, wp, wm = advantages(p_prev, "mean")
    cand = mixed_candidate(A, sp.Integer(1))
    V = VS + [V_beta, V_pprev]
    opt = optimality(cand, A, beta, 0, V, name="mean-only reference optimum")
    rec = identity(logit(success_mass(cand)), logit(P_REF) + 1 / beta, V, name="logit p_n = logit p_ref + 1/beta")
    target = logit(P_REF) + 1 / beta  # the right-hand side proved in `rec`
    one_step = symbolic(p_prev not in target.free_symbols and rec.verdict == "proved",
                        "p_n does not depend on p_(n-1): the map is constant, so p_1 = p_2 = ... = p*",
                        {"method": "free symbols of the proved recurrence's right-hand side",
                         "statement": "p_(n-1) not in free_symbols(logit p_ref + 1/beta)"})
    return combine([Part("optimum", "certified optimum (mean-only weights, alpha = 1)", opt),
                    Part("recurrence", "logit p_n = logit p_ref + 1/beta (independent of p_{n-1})", rec),
                    Part("fixed point", "p* = sigmoid(logit p_ref + 1/beta), reached at n = 1", one_step)])


@claim("sec5-mirror")
def _sec5_mirror():
    A, wp, wm = advantages(p_prev, "mean")
    cand = mixed_candidate(A, sp.Integer(0))
    V = V_SPACE + [V_beta, V_pprev]
    opt = optimality(cand, A, 0, beta, V, name="mean-only mirror optimum")
    rec = identity(logit(success_mass(cand)), logit(P_PREV) + 1 / beta, V, name="logit p_n = logit p_{n-1} + 1/beta")
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, positive=True)
    L_ref_s = sp.Symbol("L_ref", real=True)
    closed = sp.simplify(L_ref_s + sp.summation(1 / beta, (k, 1, n)) - (L_ref_s + n / beta)) == 0
    arith = symbolic(closed, "summing the constant increments: L_n = L_ref + n/beta",
                     {"method": "sympy.summation", "summation": "sum_{k=1}^{n} 1/beta = n/beta",
                      "statement": "L_ref + sum_{k=1}^n 1/beta == L_ref + n/beta"})
    return combine([Part("optimum", "certified optimum (mean-only weights, alpha = 0)", opt),
                    Part("recurrence", "logit p_n = logit p_{n-1} + 1/beta", rec),
                    Part("closed form", "L_n = L_ref + n/beta, so p_n increases to 1", arith)])


@claim("sec5-mirror-adaptive")
def _sec5_adaptive():
    sig2 = p * (1 - p)
    r = identity((w_plus(p) + w_minus(p)) / beta, 1 / (beta * sp.sqrt(sig2 + eps)), V_std,
                 name="Omega_eps/beta = 1/(beta (sigma^2+eps)^(1/2))")
    return combine([Part("increment", "Omega_eps(p)/beta = 1/(beta sqrt(sigma^2 + eps)), sigma^2 = p(1-p)", r),
                    Part("to one", "the mirror PoS tends to 1", _increment_bounded_below())])


def _beta_eff_equivalence(beta_eff):
    """mean-only weights with KL weight beta_eff vs mean+var weights with beta: same
    exponent on S and on F, hence the same policy and recurrence."""
    s = identity((1 - p) / beta_eff, w_plus(p) / beta, V_std, name="success exponent")
    f = identity(p / beta_eff, w_minus(p) / beta, V_std, name="failure exponent")
    return combine([Part("S", "(1-p)/beta_eff = w+_eps(p)/beta", s), Part("F", "p/beta_eff = w-_eps(p)/beta", f)])


@claim("sec5-beta-eff")
def _sec5_beta_eff():
    res = _beta_eff_equivalence(beta * sp.sqrt(p * (1 - p) + eps))
    res.reading = "equivalence of the optimal policies (hence of the PoS recurrences) at every step"
    return res


@claim("sec4-dapo")
def _sec4_dapo():
    return not_checkable("a statement about what other papers (DAPO and others) recommend", "citation")


@claim("sec4-proximal")
def _sec4_proximal():
    return not_checkable("a statement about the literature (MDPO, the Apple report, the origin of PPO clipping); "
                         "the mathematics of clipping itself is in the findings new-clip-*: clipping keeps the fixed "
                         "points, bounds the step (e.g. 1 - p shrinks by at most 1 - eps_low per step near p = 1 "
                         "for mirror GRPO) and can trap an oscillating orbit (new-clip-bounded)", "citation / history")
