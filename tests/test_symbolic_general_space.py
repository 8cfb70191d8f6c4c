"""The two-KL statements (App. E) on an arbitrary finite outcome space (symbolic/general_space.py).

* every derivation checks, and its last step ``statement`` is the statement itself;
* the statements hold on the *general* space (sums over symbolic ranges 1..n_S, 1..n_F);
* mutants (a dropped factor, a flipped sign, alpha <-> 1-alpha, a missing 1/beta, a dropped
  hypothesis) do not check;
* a numeric second route at n_S = 2, n_F = 3 (50 digits) agrees, and a hand-written mpmath
  implementation of the statements (no SymPy) agrees too.
"""

import dataclasses
import random
import time

import mpmath as mp
import pytest
import sympy as sp

from grpo_symbolic.symbolic import general_space as gs
from grpo_symbolic.symbolic.symbols import (D_F, D_S, L, L_prev, L_ref, alpha, beta, eps, logit, omega_minus,
                                            omega_plus, p_n, p_prev, p_ref)

IDS = list(gs.STATEMENT_IDS)


def _d(sid):
    return gs.general_derivations()[sid]


def _statement(sid):
    return _d(sid).steps[-1]


def _mutant(step, **changes):
    """A copy of ``step`` with some fields changed (and no cached check)."""
    return dataclasses.replace(step, _cache=None, **changes)


# ----------------------------------------------------------------- the derivations check
def test_index_covers_the_statements():
    assert list(gs.general_derivations()) == IDS


@pytest.mark.parametrize("sid", IDS)
def test_every_step_checks(sid):
    d = _d(sid)
    res = d.check()
    assert res.ok, f"{d.name}: failed {res.failed}"
    assert d.steps[-1].name == "statement"
    assert all(isinstance(s, gs.GeneralStep) for s in d.steps)
    assert d.to_json()["ok"]


@pytest.mark.parametrize("sid", [s for s in IDS if s != "table1-row6-contraction"])
def test_statement_holds_on_the_general_space(sid):
    """The checked expression is over symbolic ranges (n_S, n_F free), not a concrete K."""
    lhs, rhs = _statement(sid).prepared()
    free = lhs.free_symbols | rhs.free_symbols
    assert {gs.n_S, gs.n_F} <= free
    assert (lhs - rhs).has(sp.Sum)


def test_equalities_reduce_to_zero_and_inequalities_to_a_nonnegative_gap():
    for sid in IDS:
        st = _statement(sid)
        res = st.check()
        if st.relation == "==":
            assert res.residual == 0, sid
        else:
            assert st.relation == ">=" and res.residual.is_nonnegative, sid
    gap = _d("thm9-amplification").step("one_step_bound").check().residual
    assert sp.simplify(gap - (gs.kappa * gs.delta + (omega_plus + omega_minus) / beta)) == 0
    gap = _statement("thm9-amplification").check().residual
    assert sp.simplify(gap - (gs.kappa * (gs.delta + gs.eta) + (omega_plus + omega_minus) / beta)) == 0


# ------------------------------------------------------------ the last step is the statement
def test_lemma2_statement_and_constant():
    st = _statement("lemma2")
    assert (st.lhs, st.rhs) == (alpha * gs.KL_ref + (1 - alpha) * gs.KL_prev, gs.KL_bar + gs.C)
    bar = gs.geometric(gs.REF, gs.PREV)
    assert st.defs[gs.KL_ref] == gs.kl(gs.PI, gs.REF)
    assert st.defs[gs.KL_prev] == gs.kl(gs.PI, gs.PREV)
    assert st.defs[gs.KL_bar] == gs.kl(gs.PI, bar)
    C = _d("lemma2").result["C"]
    assert st.defs[gs.C] == C
    # C = -log sum pi_ref^alpha pi_prev^(1-alpha): it has no weight of pi
    assert not C.has(gs.x_S) and not C.has(gs.x_F)
    assert C.has(gs.r_S) and C.has(gs.q_F)
    assert _d("lemma2").step("C_constant").check().ok


def test_eq18_statement_and_constant():
    st = _statement("eq18")
    assert (st.lhs, st.rhs) == (gs.J_two, gs.J_one + gs.K_const)
    K = _d("eq18").result["K"]
    assert st.defs[gs.K_const] == K
    assert not K.has(gs.x_S) and not K.has(gs.x_F)
    assert K == -beta * _d("lemma2").result["C"]


def test_lemma3_statement():
    st = _statement("lemma3")
    assert st.lhs == logit(gs.p_tilde)
    assert st.rhs == alpha * logit(p_ref) + (1 - alpha) * logit(p_prev) + (alpha - 1) * (D_S - D_F)
    assert st.defs[gs.p_tilde] == gs.pos(gs.geometric(gs.REF, gs.PREV))
    assert st.defs[D_S] == gs.renyi(gs.REF, gs.PREV, "S")
    assert st.defs[p_ref] == gs.pos(gs.REF)


@pytest.mark.parametrize("norm,sid,Om", [
    ("generic", "thm9", omega_plus + omega_minus),
    ("std", "table1-row5-recurrence", (p_prev * (1 - p_prev) + eps) ** sp.Rational(-1, 2)),
    ("mean", "table1-row6-recurrence", sp.Integer(1)),
])
def test_thm9_statements(norm, sid, Om):
    st = _statement(sid)
    assert gs.thm9(norm) is _d(sid)
    assert st.lhs == logit(p_n)
    assert st.rhs == alpha * logit(p_ref) + (1 - alpha) * logit(p_prev) + gs.Delta_R + Om / beta
    assert st.defs[gs.Delta_R] == ((1 - alpha) * (D_F - D_S)).xreplace(st.defs)
    assert _d(sid).result["Omega"] == Om


def test_thm9_rejects_an_unknown_norm():
    with pytest.raises(ValueError):
        gs.thm9("median")


def test_recursion_statement():
    st = _statement("thm9-recursion")
    assert st.lhs == gs.L_n - L_ref
    assert st.rhs == (1 - alpha) * (L_prev - L_ref) + (omega_plus + omega_minus) / beta
    # pi_{n-1} is the tilt of pi_ref with free tau_S, tau_F (induction hypothesis)
    from grpo_symbolic.symbolic.symbols import tau_F, tau_S
    assert st.defs[L_prev] == logit(gs.pos(gs.tilt(gs.REF, tau_S, tau_F)))
    d = _d("thm9-recursion")
    assert [s.name for s in d.steps][:4] == ["base_case", "conditional_laws", "renyi_vanishes", "inductive_step"]


def test_amplification_statement():
    d = _d("thm9-amplification")
    one = d.step("one_step_bound")
    assert (one.lhs, one.rhs, one.relation) == (gs.L_n - L_ref, (1 - alpha) * (L_prev - L_ref), ">=")
    st = _statement("thm9-amplification")
    assert (st.lhs, st.rhs, st.relation) == (gs.L_n - L_ref, 0, ">=")
    assert d.step("base_case").check().ok and d.step("propagation").check().ok
    assert "induction principle" in st.text


def test_contraction_statement():
    st = _statement("table1-row6-contraction")
    g = lambda x: alpha * L_ref + (1 - alpha) * x + 1 / beta  # noqa: E731
    assert (st.lhs, st.rhs) == (g(L) - g(gs.L_prime), (1 - alpha) * (L - gs.L_prime))
    assert _d("table1-row6-contraction").step("row6_map").rhs == g(L_prev)


# ------------------------------------------------------------------------------ mutants
def _mutants():
    a = alpha
    out = []
    st = _statement("lemma2")
    out += [("lemma2", "dropped (1-alpha)", _mutant(st, lhs=a * gs.KL_ref + gs.KL_prev)),
            ("lemma2", "alpha <-> 1-alpha", _mutant(st, lhs=(1 - a) * gs.KL_ref + a * gs.KL_prev)),
            ("lemma2", "flipped sign of C", _mutant(st, rhs=gs.KL_bar - gs.C))]
    st = _statement("eq18")
    out += [("eq18", "flipped sign of K", _mutant(st, rhs=gs.J_one - gs.K_const)),
            ("eq18", "dropped beta in K", _mutant(st, rhs=gs.J_one + gs.K_const / beta))]
    st = _statement("lemma3")
    lr, lp = logit(p_ref), logit(p_prev)
    out += [("lemma3", "alpha <-> 1-alpha", _mutant(st, rhs=(1 - a) * lr + a * lp + (a - 1) * (D_S - D_F))),
            ("lemma3", "flipped sign of the Renyi term",
             _mutant(st, rhs=a * lr + (1 - a) * lp + (a - 1) * (D_F - D_S))),
            ("lemma3", "dropped (alpha-1)", _mutant(st, rhs=a * lr + (1 - a) * lp + (D_S - D_F)))]
    for sid in ("thm9", "table1-row5-recurrence", "table1-row6-recurrence"):
        st = _statement(sid)
        Om = _d(sid).result["Omega"]
        base = a * lr + (1 - a) * lp
        out += [(sid, "missing 1/beta", _mutant(st, rhs=base + gs.Delta_R + Om)),
                (sid, "flipped sign of Delta_R", _mutant(st, rhs=base - gs.Delta_R + Om / beta)),
                (sid, "alpha <-> 1-alpha", _mutant(st, rhs=(1 - a) * lr + a * lp + gs.Delta_R + Om / beta))]
    st = _statement("thm9-recursion")
    Om = omega_plus + omega_minus
    out += [("thm9-recursion", "missing 1/beta", _mutant(st, rhs=(1 - a) * (L_prev - L_ref) + Om)),
            ("thm9-recursion", "alpha instead of 1-alpha", _mutant(st, rhs=a * (L_prev - L_ref) + Om / beta)),
            ("thm9-recursion", "flipped sign of Omega", _mutant(st, rhs=(1 - a) * (L_prev - L_ref) - Om / beta))]
    d = _d("thm9-amplification")
    one, st = d.step("one_step_bound"), _statement("thm9-amplification")
    wf_key = d.result["hypothesis_delta"][0]
    qs_key = d.result["hypothesis_eta"][0]
    no_delta = {key: val for key, val in one.subs.items() if key != wf_key}
    flipped = {key: val.xreplace({gs.delta: -gs.delta}) for key, val in one.subs.items()}
    no_eta = {key: val for key, val in st.subs.items() if key != qs_key}
    out += [("thm9-amplification", "hypothesis D_S <= D_F dropped", _mutant(one, subs=no_delta)),
            ("thm9-amplification", "hypothesis reversed (D_F = D_S - delta)", _mutant(one, subs=flipped)),
            ("thm9-amplification", "relation flipped", _mutant(one, relation="<=")),
            ("thm9-amplification", "induction hypothesis dropped", _mutant(st, subs=no_eta)),
            ("thm9-amplification", "bound too strong (>= 2 Omega/beta)", _mutant(st, rhs=2 * Om / beta))]
    d = _d("table1-row6-contraction")
    st = d.steps[-1]
    out += [("table1-row6-contraction", "rate alpha instead of 1-alpha", _mutant(st, rhs=a * (L - gs.L_prime))),
            ("table1-row6-contraction", "missing 1/beta on one side", _mutant(st, lhs=st.lhs + 1 / beta)),
            ("table1-row6-contraction", "row-6 map without 1/beta",
             _mutant(d.step("row6_map"), rhs=a * L_ref + (1 - a) * L_prev))]
    return out


MUTANTS = _mutants()


@pytest.mark.parametrize("sid,what,step", MUTANTS, ids=[f"{s}:{w}" for s, w, _ in MUTANTS])
def test_mutant_does_not_check(sid, what, step):
    res = step.check()
    assert not res.ok, f"{sid}: the mutant '{what}' checked"
    assert res.error is None  # rejected by the route, not by an exception


def test_every_statement_has_a_mutant():
    assert {sid for sid, _, _ in MUTANTS} == set(IDS)


@pytest.mark.parametrize("sid,what,step", [m for m in MUTANTS if m[2].relation == "==" or "flipped" in m[1]],
                         ids=[f"{s}:{w}" for s, w, st in MUTANTS if st.relation == "==" or "flipped" in w])
def test_mutant_fails_the_numeric_route(sid, what, step):
    assert not step.spot_check(n=4, dps=30, seed=3).ok


# ------------------------------------------------------------------------ numeric route
@pytest.mark.parametrize("sid", IDS)
def test_numeric_route_n2_n3(sid):
    """Concrete sizes n_S = 2, n_F = 3, random positive weights, mpmath at 50 digits."""
    for i, s in enumerate(_d(sid).steps):
        r = s.spot_check(n=4, dps=50, seed=11 + i, sizes=(2, 3))
        assert r.ok, f"{sid}:{s.name}: {r}"


@pytest.mark.parametrize("sid", ["lemma2", "lemma3", "thm9-amplification"])
def test_numeric_route_other_sizes(sid):
    st = _statement(sid)
    for sizes in ((1, 1), (3, 1), (1, 4)):
        assert st.spot_check(n=3, dps=50, seed=5, sizes=sizes).ok, sizes


def test_concretise_leaves_no_sum():
    lhs, rhs = _statement("lemma3").prepared()
    L_, R_, doms = gs.concretise(lhs, rhs, (2, 3))
    names = {s.name for s in doms}
    assert names == {"r_S1", "r_S2", "r_F1", "r_F2", "r_F3", "q_S1", "q_S2", "q_F1", "q_F2", "q_F3"}
    assert not L_.has(sp.Sum) and not R_.has(sp.Sum)


# ---------------------------------------- an independent implementation (mpmath only)
def _law(rng, n):
    w = [mp.mpf(10) ** mp.mpf(rng.uniform(-2, 2)) for _ in range(n)]
    t = mp.fsum(w)
    return [x / t for x in w]


def _D(P, Q, a):
    return mp.log(mp.fsum(x ** a * y ** (1 - a) for x, y in zip(P, Q))) / (a - 1)


def _lg(x):
    return mp.log(x) - mp.log(1 - x)


@pytest.mark.parametrize("seed", range(5))
def test_hand_written_mpmath_agrees(seed):
    """Lemma 2, Lemma 3, Thm 9 (std) and the amplification gap, computed directly from
    random laws on n_S = 2, n_F = 3 outcomes (no SymPy involved)."""
    rng = random.Random(seed)
    with mp.workdps(50):
        nS, nF = 2, 3
        K = nS + nF
        ref, prev, pi = _law(rng, K), _law(rng, K), _law(rng, K)
        a, b, e = mp.mpf(rng.uniform(0.05, 0.95)), mp.mpf(rng.uniform(0.1, 5)), mp.mpf(rng.uniform(0, 1))
        kl = lambda P, Q: mp.fsum(x * mp.log(x / y) for x, y in zip(P, Q))  # noqa: E731
        w = [x ** a * y ** (1 - a) for x, y in zip(ref, prev)]
        Z = mp.fsum(w)
        bar = [x / Z for x in w]
        tol = mp.mpf(10) ** -40
        # Lemma 2
        assert abs(a * kl(pi, ref) + (1 - a) * kl(pi, prev) - (kl(pi, bar) - mp.log(Z))) < tol
        # Lemma 3
        pr, pp, pt = mp.fsum(ref[:nS]), mp.fsum(prev[:nS]), mp.fsum(bar[:nS])
        cS = lambda P: [x / mp.fsum(P[:nS]) for x in P[:nS]]  # noqa: E731
        cF = lambda P: [x / mp.fsum(P[nS:]) for x in P[nS:]]  # noqa: E731
        DS, DF = _D(cS(ref), cS(prev), a), _D(cF(ref), cF(prev), a)
        assert abs(_lg(pt) - (a * _lg(pr) + (1 - a) * _lg(pp) + (a - 1) * (DS - DF))) < tol
        # Thm 9, std weights at p_prev
        Om = (pp * (1 - pp) + e) ** mp.mpf(-0.5)
        wp, wm = (1 - pp) * Om, pp * Om
        new = [x * mp.exp((wp if o < nS else -wm) / b) for o, x in enumerate(bar)]
        pn = mp.fsum(new[:nS]) / mp.fsum(new)
        assert abs(_lg(pn) - (a * _lg(pr) + (1 - a) * _lg(pp) + (1 - a) * (DF - DS) + Om / b)) < tol
        # amplification: L_n - L_ref - (1-a)(L_prev - L_ref) = (1-a)(D_F - D_S) + Omega/beta
        gap = _lg(pn) - _lg(pr) - (1 - a) * (_lg(pp) - _lg(pr))
        assert abs(gap - ((1 - a) * (DF - DS) + Om / b)) < tol
        if DF >= DS:
            assert gap > 0


# ---------------------------------------------------------------------------- timing
@pytest.mark.parametrize("sid", IDS)
def test_each_check_is_fast(sid):
    """A fresh derivation (no cached step results) checks quickly (generous bound for a
    shared machine; about 0.3-2 s each when the machine is idle)."""
    fresh = {"thm9": lambda: gs.thm9.__wrapped__("generic"),
             "table1-row5-recurrence": lambda: gs.thm9.__wrapped__("std"),
             "table1-row6-recurrence": lambda: gs.thm9.__wrapped__("mean"),
             "lemma2": gs.lemma2.__wrapped__, "eq18": gs.eq18.__wrapped__, "lemma3": gs.lemma3.__wrapped__,
             "thm9-recursion": gs.thm9_recursion.__wrapped__,
             "thm9-amplification": gs.thm9_amplification.__wrapped__,
             "table1-row6-contraction": gs.row6_contraction.__wrapped__}[sid]
    d = fresh()
    t0 = time.perf_counter()
    assert d.check().ok
    assert time.perf_counter() - t0 < 20
