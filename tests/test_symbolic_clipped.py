"""Clipped GRPO (symbolic/clipped.py, training/clip_bruteforce.py).

* every derivation checks (each under ~5 s), its last step is ``statement``, and every step
  passes the numeric spot check;
* mutants (threshold 1 - eps_high, swapped omega_plus/omega_minus, missing 1/beta, min <-> max)
  fail, symbolically and against the brute-force maximiser;
* the closed form agrees with the brute-force maximiser on random finite spaces (K >= 5, random
  pi_ref, pi_{n-1} a tilt of pi_ref; std and mean; alpha, beta, eps_low, eps_high varied, with
  eps_low = 0 and a large eps_high), and the maximiser keeps pi_ref's conditional laws;
* when pi_{n-1} is NOT a tilt of pi_ref the reduction fails (a finding, recorded here);
* the consequences: fixed points, slopes, the eps = 0 bands, the mirror rate near p = 1.
"""

import dataclasses
import doctest
import random
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from grpo_symbolic.symbolic import clipped as C
from grpo_symbolic.symbolic import general_space as gs
from grpo_symbolic.symbolic.symbols import beta, omega_minus, omega_plus, p_prev
from grpo_symbolic.training import clip_bruteforce as BF

NAMES = ["surrogate", "reduction", "reduction_general", "maximiser", "fixed_points"]


def _d(name):
    return C.clipped_derivations()[name]


def _mutant(step, **changes):
    return dataclasses.replace(step, _cache=None, **changes)


# ================================================================ derivations
@pytest.mark.parametrize("name", NAMES)
def test_derivation_checks(name):
    d = _d(name)
    fresh = [_mutant(s) for s in d.steps]
    bad = [s.name for s in fresh if not s.check().ok]
    assert not bad, f"{d.name}: failed {bad}"
    assert d.check().ok and d.to_json()["ok"]
    if name != "surrogate":
        assert d.steps[-1].name == "statement"


@pytest.mark.parametrize("name", NAMES)
def test_every_step_passes_the_spot_check(name):
    for i, s in enumerate(_d(name).steps):
        r = s.spot_check(n=2 if isinstance(s, C.CaseSplitStep) else 4, dps=30, seed=i)
        assert r.ok, f"{name}:{s.name}: {r}"


def test_statement_spot_check_many_points():
    """The optimality statement holds without hypotheses: its unsplit numeric check at many random
    points of the whole domain (no case assumed) is an independent route."""
    from grpo_symbolic.symbolic.spot import spot_check_exprs
    st = _d("maximiser").steps[-1]
    assert isinstance(st, C.CaseSplitStep) and st.unconditional and len(st.cases) == 15
    lhs, rhs = st.prepared()
    zero = sp.Float(10) ** -20
    assert spot_check_exprs(C._H_numeric(lhs, zero), rhs, "==", n=150, dps=30, seed=7).ok


def test_general_space_class_constants_are_free_of_the_outcome():
    d = _d("reduction_general")
    for name in ("ratio_class_constant", "kl_gradient_class_constant", "one_sided_class_constant"):
        st = d.step(name)
        assert not (st.rhs.free_symbols & {gs.j, gs.k, gs.o}), name
    lhs, rhs = d.steps[-1].prepared()
    assert {gs.n_S, gs.n_F} <= (lhs.free_symbols | rhs.free_symbols)
    assert lhs.has(sp.Sum)


def test_case_split_step_reports_the_failing_case():
    st = _d("maximiser").steps[-1]
    bad = _mutant(st, lhs=st.lhs + 1)
    r = bad.check()
    assert not r.ok and "case" in (r.error or "")
    assert "case split" in st.method and st.to_json()["cases"]


# ================================================================ symbolic mutants
def _closed(mutation=None):
    A, wp, wm, LS, LF, b = C.A_L, omega_plus, omega_minus, C.Lam_S, C.Lam_F, beta
    late = sp.Piecewise((wm, LS <= LF), (wp, True))
    if mutation == "swap":
        late = sp.Piecewise((wp, LS <= LF), (wm, True))
    bb = 1 if mutation == "beta" else b
    La, Lb = A + (wp + wm) / bb, A + late / bb
    if mutation == "minmax":
        return sp.Min(sp.Max(La, sp.Min(LS, LF)), sp.Max(Lb, sp.Max(LS, LF)), A)
    return sp.Max(sp.Min(La, sp.Min(LS, LF)), sp.Min(Lb, sp.Max(LS, LF)), A)


def _statement_with(Ls):
    return sp.Max(C._J_logit(Ls, 0), 0) + sp.Max(-C._J_logit(Ls, 1), 0)


def test_unmutated_closed_form_is_the_statement():
    st = _d("maximiser").steps[-1]
    assert sp.simplify(st.lhs - _statement_with(_closed())) == 0


def _dist_numeric(mutation, rng):
    """Plain-Python distance from 0 to [J'_+, J'_-] at the (possibly mutated) closed form, at a random point."""
    A, wp, wm, b = rng.uniform(-5, 5), rng.uniform(0.01, 5), rng.uniform(0.01, 5), rng.uniform(0.05, 5)
    LS = float("inf") if rng.random() < 0.15 else rng.uniform(-8, 8)
    LF = rng.uniform(-8, 8)
    late = wm if LS <= LF else wp
    if mutation == "swap":
        late = wp if LS <= LF else wm
    bb = 1 if mutation == "beta" else b
    La, Lb = A + (wp + wm) / bb, A + late / bb
    T1, T2 = min(LS, LF), max(LS, LF)
    Ls = min(max(La, T1), max(Lb, T2), A) if mutation == "minmax" else max(min(La, T1), min(Lb, T2), A)
    right = wp * (LS > Ls) + wm * (LF > Ls) - b * (Ls - A)
    left = wp * (LS >= Ls) + wm * (LF >= Ls) - b * (Ls - A)
    return max(right, 0) + max(-left, 0)


@pytest.mark.parametrize("mutation", [None, "swap", "beta", "minmax"])
def test_optimality_statement_mutants_fail(mutation):
    """Symbolically (the case split no longer reduces) and numerically (plain Python floats, an
    independent evaluation of the statement at 400 random points)."""
    rng = random.Random(3)
    worst = max(_dist_numeric(mutation, rng) for _ in range(400))
    if mutation is None:
        assert worst < 1e-9
        return
    assert worst > 1e-3
    st = _d("maximiser").steps[-1]
    assert _mutant(st, lhs=_statement_with(_closed(mutation))).check().ok is False


@pytest.mark.parametrize("dname", ["reduction", "reduction_general"])
def test_reduction_statement_mutants_fail(dname):
    st = _d(dname).steps[-1]
    eh = C.eps_high
    for wrong in (st.rhs.xreplace({eh: -eh}),                                     # threshold (1 - eps_high) p
                  st.rhs.xreplace({omega_plus: omega_minus, omega_minus: omega_plus}),
                  st.rhs.xreplace({beta: 1}),
                  st.rhs.replace(sp.Heaviside, lambda z, h: sp.Heaviside(-z, h))):  # indicators flipped
        assert _mutant(st, rhs=wrong).check().ok is False


def test_min_form_mutants_fail():
    st = _d("maximiser").step("min_form")
    for wrong in (st.rhs.xreplace({C.eps_high: -C.eps_high}), st.rhs.replace(sp.Min, sp.Max),
                  st.rhs.xreplace({omega_plus: omega_minus, omega_minus: omega_plus})):
        m = _mutant(st, rhs=wrong)
        assert m.check().ok is False
        assert m.spot_check(n=12, dps=30).ok is False


def test_restriction_min_max_swap_fails():
    st = _d("reduction").step("restriction")
    m = _mutant(st, rhs=st.rhs.replace(sp.Min, sp.Max))
    assert m.check().ok is False and m.spot_check(n=8, dps=30).ok is False


# ================================================================ closed form vs brute force
def _random_case(rng, norm, eps_low=None, eps_high=None, alpha=None):
    K = rng.randint(5, 7)
    ref = [rng.random() ** 2 + 1e-3 for _ in range(K)]
    S = sorted(rng.sample(range(K), rng.randint(1, K - 1)))
    p = rng.uniform(0.02, 0.98)
    b = float(np.exp(rng.uniform(np.log(0.1), np.log(10))))
    a = alpha if alpha is not None else rng.choice([0, 0.3, 1, rng.random()])
    el = eps_low if eps_low is not None else rng.choice([0, 0.1, 0.2, 0.5, 0.9])
    eh = eps_high if eps_high is not None else rng.choice([0, 0.1, 0.2, 0.5, 5, 50])
    eps = rng.choice([0, 1e-3, 0.1]) if norm == "std" else 0
    return dict(ref=ref, S=S, p=p, beta=b, alpha=a, eps=eps, eps_low=el, eps_high=eh)


def _closed_pos(c, norm, pp, dps=40):
    with mp.workdps(dps):
        R = [mp.mpf(x) for x in c["ref"]]
        pr = mp.fsum(R[o] for o in c["S"]) / mp.fsum(R)
        return C.clipped_step(pp, pr, c["beta"], c["alpha"], norm, c["eps"], c["eps_low"], c["eps_high"])


def _brute(c, norm, prev, dps=40):
    return BF.brute_force_step(c["ref"], prev, c["S"], beta=c["beta"], alpha=c["alpha"], norm=norm, eps=c["eps"],
                               eps_low=c["eps_low"], eps_high=c["eps_high"], dps=dps)


@pytest.mark.parametrize("norm", ["std", "mean"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_closed_form_equals_brute_force(norm, seed):
    rng = random.Random(1000 * seed + (norm == "std"))
    branches = set()
    for i in range(40):
        kw = {}
        if i % 8 == 0:
            kw["eps_low"] = 0
        if i % 8 == 1:
            kw["eps_high"] = 50
        c = _random_case(rng, norm, **kw)
        with mp.workdps(40):
            prev = BF.tilt(c["ref"], c["S"], c["p"])
            pi, pn = _brute(c, norm, prev)
            pp = mp.fsum(prev[o] for o in c["S"])
            q = _closed_pos(c, norm, pp)
            assert abs(pn - q) < 1e-25, (c, pn, q)                   # the brief asks 1e-8
            # the maximiser is the tilt of pi_ref with PoS q*: pi_ref's conditional laws (the reduction)
            tq = BF.tilt(c["ref"], c["S"], q)
            assert max(abs(x - y) for x, y in zip(pi, tq)) < 1e-25
            cs, cf = BF.conditional_laws(pi, c["S"])
            rs, rf = BF.conditional_laws(c["ref"], c["S"])
            assert max(abs(x - y) for x, y in zip(cs + cf, rs + rf)) < 1e-25
            R = [mp.mpf(x) for x in c["ref"]]
            branches.add(C.clipped_branch(pp, mp.fsum(R[o] for o in c["S"]) / mp.fsum(R), c["beta"], c["alpha"], norm,
                                          c["eps"], c["eps_low"], c["eps_high"]))
    assert len(branches) >= 3, branches


def test_brute_force_is_a_maximiser():
    """The brute force itself: KKT residual ~ 0 and no random feasible perturbation does better."""
    rng = random.Random(5)
    for _ in range(6):
        c = _random_case(rng, "std")
        with mp.workdps(40):
            prev = BF.tilt(c["ref"], c["S"], c["p"])
            pp = mp.fsum(prev[o] for o in c["S"])
            wp, wm = BF.weights_at(pp, "std", c["eps"])
            kw = dict(beta=c["beta"], alpha=c["alpha"], w_plus=wp, w_minus=wm, eps_low=c["eps_low"],
                      eps_high=c["eps_high"])
            pi, lam = BF.maximise_clipped(c["ref"], prev, c["S"], **kw)
            assert BF.kkt_residual(pi, lam, c["ref"], prev, c["S"], **kw) < 1e-20
            best = BF.clipped_objective(pi, c["ref"], prev, c["S"], **kw)
            for scale in (1e-2, 1e-4, 1e-6):
                for _ in range(10):
                    z = [x * mp.exp(mp.mpf(scale) * (2 * rng.random() - 1)) for x in pi]
                    tot = mp.fsum(z)
                    z = [x / tot for x in z]
                    assert BF.clipped_objective(z, c["ref"], prev, c["S"], **kw) <= best + mp.mpf(10) ** -30


def test_extreme_pos_with_fractions():
    """p_{n-1} within 1e-12 of 0 and of 1 (exact Fractions), at 60 digits."""
    ref = [Fraction(1, 10), Fraction(2, 10), Fraction(3, 10), Fraction(15, 100), Fraction(25, 100)]
    S = [1, 3]
    for p in (Fraction(1, 10**12), 1 - Fraction(1, 10**12)):
        for norm, a, el, eh in (("std", 0, 0.2, 0.2), ("mean", 1, 0.1, 0.3), ("std", 0.5, 0, 5)):
            with mp.workdps(60):
                prev = BF.tilt(ref, S, p)
                pi, pn = BF.brute_force_step(ref, prev, S, beta=1, alpha=a, norm=norm, eps=0.01, eps_low=el,
                                             eps_high=eh, dps=60)
                q = C.clipped_step(p, ref[1] + ref[3], 1, a, norm, 0.01, el, eh)
                assert abs(pn - q) / min(pn, 1 - pn) < mp.mpf(10) ** -30


def test_iteration_from_pi_ref_stays_a_tilt():
    """Five full iterations by brute force (whole vectors, no re-tilting): the PoS follows the closed
    form and the conditional laws stay pi_ref's (the induction, numerically)."""
    rng = random.Random(11)
    for norm in ("std", "mean"):
        c = _random_case(rng, norm, eps_low=0.2, eps_high=0.2, alpha=0.5)
        with mp.workdps(40):
            R = [mp.mpf(x) for x in c["ref"]]
            Z = mp.fsum(R)
            pi = [x / Z for x in R]
            pr = mp.fsum(pi[o] for o in c["S"])
            q = pr
            rs, rf = BF.conditional_laws(pi, c["S"])
            for _ in range(5):
                pi, pn = _brute(c, norm, pi)
                q = C.clipped_step(q, pr, c["beta"], c["alpha"], norm, c["eps"], c["eps_low"], c["eps_high"])
                assert abs(pn - q) < 1e-25
                cs, cf = BF.conditional_laws(pi, c["S"])
                assert max(abs(x - y) for x, y in zip(cs + cf, rs + rf)) < 1e-25


def test_agrees_with_the_float_golden_section_of_training_theory():
    """Independent float64 route already in the package (symmetric clip, grid + golden section)."""
    from grpo_symbolic.training.theory import reduced_step
    for p_old, p_ref, b, a, clip in ((0.3, 0.3, 1.0, 1.0, 0.2), (0.6, 0.4, 0.5, 0.0, 0.1), (0.2, 0.5, 2.0, 0.5, 0.3),
                                      (0.85, 0.5, 0.3, 0.0, 0.2)):
        wp, wm = (float(w) for w in BF.weights_at(p_old, "std", 0.01))
        ref = reduced_step(p_old=p_old, p_ref=p_ref, w_plus=wp, w_minus=wm, beta=b, alpha=a, clip=clip, kl="exact")
        ours = float(C.clipped_step(p_old, p_ref, b, a, "std", 0.01, clip, clip))
        assert abs(ref - ours) < 1e-7


# ================================================================ numeric mutants vs brute force
def _variant(pp, pr, b, a, norm, eps, el, eh, mutation):
    """Re-implementation of the closed form with one mutation (None: must equal clipped_step)."""
    with mp.extraprec(30):
        b, a, el, eh = (mp.mpf(z) for z in (b, a, el, eh))
        Lp = mp.log(pp) - mp.log(1 - pp)
        wp, wm = C.weights_logit(Lp, norm, eps)
        if mutation == "swap":
            wp, wm = wm, wp
        uS = (1 - eh) * pp if mutation == "threshold" else (1 + eh) * pp
        uF = pp + el * (1 - pp)
        TS = mp.inf if uS >= 1 else mp.log(uS) - mp.log(1 - uS)
        TF = mp.log(uF) - mp.log(1 - uF)
        A = a * (mp.log(pr) - mp.log(1 - pr)) + (1 - a) * Lp
        bb = 1 if mutation == "beta" else b
        T1, T2 = min(TS, TF), max(TS, TF)
        late = wm if TS <= TF else wp
        La, Lb = A + (wp + wm) / bb, A + late / bb
        if mutation == "minmax":
            Ln = min(max(La, T1), max(Lb, T2), A)
        else:
            Ln = max(min(La, T1), min(Lb, T2), A)
        return 1 / (1 + mp.exp(-Ln))


@pytest.mark.parametrize("mutation", [None, "threshold", "swap", "beta", "minmax"])
def test_numeric_mutants_disagree_with_brute_force(mutation):
    rng = random.Random(77)
    worst = mp.mpf(0)
    for i in range(25):
        norm = "std" if i % 2 else "mean"
        c = _random_case(rng, norm, eps_high=rng.choice([0.1, 0.2, 0.5]))
        with mp.workdps(40):
            prev = BF.tilt(c["ref"], c["S"], c["p"])
            _, pn = _brute(c, norm, prev)
            pp = mp.fsum(prev[o] for o in c["S"])
            R = [mp.mpf(x) for x in c["ref"]]
            pr = mp.fsum(R[o] for o in c["S"]) / mp.fsum(R)
            v = _variant(pp, pr, c["beta"], c["alpha"], norm, c["eps"], c["eps_low"], c["eps_high"], mutation)
            worst = max(worst, abs(v - pn))
    if mutation is None:
        assert worst < 1e-25
    else:
        assert worst > 1e-3, (mutation, worst)


# ================================================================ pi_{n-1} not a tilt (finding)
def _nontilt(alpha, eps_low, eps_high):
    ref = ["0.2"] * 5
    prev = ["0.05", "0.35", "0.2", "0.2", "0.2"]            # p_{n-1} = 0.4 = p_ref, conditional law (1/8, 7/8)
    pi, pn = BF.brute_force_step(ref, prev, [0, 1], beta=0.5, alpha=alpha, norm="mean", eps=0, eps_low=eps_low,
                                 eps_high=eps_high, dps=30)
    closed = C.clipped_step("0.4", "0.4", "0.5", alpha, "mean", 0, eps_low, eps_high)
    cs, _ = BF.conditional_laws(pi, [0, 1])
    return pn, closed, cs


def test_reduction_fails_when_previous_is_not_a_tilt():
    """Finding.  alpha = 1, clip binding on one success only: the maximiser does NOT keep pi_ref's
    conditional law (0.257 : 0.743 instead of 1 : 1) and its PoS (0.565) is not the closed form at
    p_{n-1} (0.52).  The scalar recurrence needs the tilt hypothesis."""
    with mp.workdps(30):
        pn, closed, cs = _nontilt(1, "0.2", "0.2")
        assert abs(pn - mp.mpf("0.565")) < 1e-20 and abs(closed - mp.mpf("0.52")) < 1e-20
        assert abs(cs[0] - mp.mpf("0.5")) > 0.2
        # alpha = 1 without a binding clip: pi_n is pi_ref e^{A/beta}/Z whatever pi_{n-1} is
        pn, closed, cs = _nontilt(1, "0.9", 10)
        assert abs(pn - closed) < 1e-20 and abs(cs[0] - mp.mpf("0.5")) < 1e-20
        # alpha = 0 (mirror): clip and KL both refer to pi_{n-1}; the PoS recurrence holds for ANY pi_{n-1}
        # and the maximiser keeps pi_{n-1}'s conditional law (1/8, 7/8) instead of pi_ref's
        for el, eh in (("0.2", "0.2"), ("0.9", 10)):
            pn, closed, cs = _nontilt(0, el, eh)
            assert abs(pn - closed) < 1e-20 and abs(cs[0] - mp.mpf("0.125")) < 1e-20
        # 0 < alpha < 1, no binding clip: the PoS differs (the Renyi correction of Thm 9)
        pn, closed, cs = _nontilt("0.5", "0.9", 10)
        assert abs(pn - closed) > 1e-3


# ================================================================ consequences (numeric)
def _g(L_, Lr, b, a, norm, eps, el, eh):
    return C.clipped_step_logit(L_, Lr, b, a, norm, eps, el, eh)


def test_fixed_points_and_slopes_coincide():
    with mp.workdps(40):
        for norm, eps, b, pr in (("std", "0.01", 2, "0.3"), ("std", "0.001", "0.5", "0.6"), ("mean", 0, 1, "0.2")):
            Lr = mp.log(mp.mpf(pr)) - mp.log(1 - mp.mpf(pr))
            unc = lambda x: _g(x, Lr, b, 1, norm, eps, "0.999999", 10**9)  # noqa: E731
            Ls = mp.findroot(lambda x: unc(x) - x, Lr + 1)
            for el, eh in (("0.2", "0.2"), ("0.05", "0.3"), ("0.3", "0.01")):
                cl = lambda x: _g(x, Lr, b, 1, norm, eps, el, eh)  # noqa: E731
                assert abs(cl(Ls) - Ls) < mp.mpf(10) ** -30
                h = mp.mpf(10) ** -15
                s_c = (cl(Ls + h) - cl(Ls - h)) / (2 * h)
                s_u = (unc(Ls + h) - unc(Ls - h)) / (2 * h)
                assert abs(s_c - s_u) < mp.mpf(10) ** -12


def test_eps_zero_bands_of_fixed_points():
    """alpha = 1, mean weights (A_L = L_ref, Omega = 1): with eps_high = 0 every L with
    L - L_ref in [p/beta, 1/beta] is fixed; with eps_low = 0, [(1-p)/beta, 1/beta]; with both 0,
    [0, 1/beta].  Points below the band move up, above it move down."""
    sig = lambda x: 1 / (1 + mp.exp(-x))  # noqa: E731
    with mp.workdps(30):
        Lr, b = mp.log(mp.mpf("0.3")) - mp.log(mp.mpf("0.7")), mp.mpf(1)
        for el, eh, w in ((0.2, 0, sig), (0, 0.2, lambda x: sig(-x)), (0, 0, lambda x: 0)):
            for t in (mp.mpf("0.05"), mp.mpf("0.5"), mp.mpf("0.95")):
                L_ = mp.findroot(lambda x: x - Lr - (t + (1 - t) * w(x)) / b, Lr + mp.mpf("0.5"))
                assert abs(_g(L_, Lr, b, 1, "mean", 0, el, eh) - L_) < mp.mpf(10) ** -25
            assert _g(Lr - 3, Lr, b, 1, "mean", 0, el, eh) > Lr - 3
            assert _g(Lr + 3, Lr, b, 1, "mean", 0, el, eh) < Lr + 3


def test_frozen_without_clip_range():
    with mp.workdps(30):
        for a, Lr, L0 in ((0, mp.mpf(0), mp.mpf("1.3")), (1, mp.mpf("-0.7"), mp.mpf("-0.7"))):
            for norm in ("std", "mean"):
                assert _g(L0, Lr, "0.5", a, norm, "0.01", 0, 0) == L0


def test_mirror_rate_near_one():
    """alpha = 0 near p = 1: (1 - p_n)/(1 - p) -> max(1 - eps_low, e^{-Omega(1)/beta})."""
    with mp.workdps(50):
        for norm, eps, b, el in (("std", "0.1", 1, "0.2"), ("std", "0.1", 20, "0.2"), ("mean", 0, 1, "0.2"),
                                 ("mean", 0, 10, "0.2"), ("std", "0.01", "0.5", "0.5")):
            Om1 = 1 if norm == "mean" else 1 / mp.sqrt(mp.mpf(eps))
            expect = max(1 - mp.mpf(el), mp.exp(-Om1 / mp.mpf(b)))
            L_ = mp.mpf(60)
            Ln = _g(L_, 0, b, 0, norm, eps, el, "0.2")
            ratio = mp.exp(-(Ln - L_))            # (1-p_n)/(1-p) to O(e^-60)
            assert abs(ratio - expect) < 1e-12, (norm, b, ratio, expect)


def test_mirror_eps_low_zero_is_sublinear():
    """eps_low = 0, alpha = 0: L_{n+1} = L_n + omega_plus/beta near 1, so n (1 - p_n) -> beta/Omega(1)."""
    with mp.workdps(30):
        b, eps = mp.mpf(2), mp.mpf("0.1")
        L_ = mp.mpf(4)
        n = 4000
        for _ in range(n):
            L_ = _g(L_, 0, b, 0, "std", eps, 0, "0.2")
        one_minus = 1 / (1 + mp.exp(L_))
        target = b * mp.sqrt(eps)                 # beta / Omega(1)
        assert abs(n * one_minus / target - 1) < 0.05


# ================================================================ doctests and inputs
@pytest.mark.parametrize("mod", [C, BF])
def test_doctests(mod):
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0


def test_input_validation():
    with pytest.raises(ValueError):
        C.clipped_step("0.5", "0.5", 1, 1, "std", 0, 1, 0.2)          # eps_low = 1
    with pytest.raises(ValueError):
        C.clipped_step("0.5", "0.5", 0, 1, "std", 0, 0.2, 0.2)        # beta = 0
    with pytest.raises(ValueError):
        C.clipped_step("1", "0.5", 1, 1, "std", 0, 0.2, 0.2)          # p = 1
    with pytest.raises(ValueError):
        C.clipped_step("0.5", "0.5", 1, 1, "other", 0, 0.2, 0.2)
    with pytest.raises(ValueError):
        BF.maximise_clipped([0.5, 0.5], [1.0, 0.0], [0], beta=1, alpha=1, w_plus=1, w_minus=1, eps_low=0.2,
                            eps_high=0.2)


def test_result_objects():
    r = _d("maximiser").result
    assert {"J", "J_right", "J_left", "p_a", "p_b", "p_c", "closed_form_logit"} <= set(r)
    assert _d("reduction").result["J_ratio"].has(sp.Min, sp.Max)
    assert {C.Lam_S, C.Lam_F, C.A_L} <= _d("fixed_points").result["closed_form_logit"].free_symbols
    assert p_prev in _d("reduction").result["J_ratio"].free_symbols
