"""The Step / Derivation framework: symbolic checks, spot checks, rendering."""

import json

import mpmath as mp
import pytest
import sympy as sp

from grpo_symbolic.symbolic.derivation import Derivation, Step
from grpo_symbolic.symbolic.domains import DOMAINS, Domain, declare, domain_of, interval
from grpo_symbolic.symbolic.finite_space import FiniteSpace
from grpo_symbolic.symbolic.rewrites import CANCEL, EXPAND, EXPAND_LOG, TOGETHER, Rewrite, inside
from grpo_symbolic.symbolic.symbols import ODDS, alpha, as_alpha, beta, eps, p, x_o


def test_equality_step_checks_and_spot_checks():
    st = Step("demo", "Distribute beta.", beta * (p + 1), beta * p + beta, route=(EXPAND,))
    res = st.check()
    assert res.ok and res.residual == 0
    spot = st.spot_check(n=10, seed=3)
    assert spot.ok and spot.max_discrepancy <= spot.tol and not spot.errors


def test_failing_step_is_reported_not_swallowed():
    st = Step("bad", "Drop a 1/beta.", p / beta + 1, p + 1, route=(EXPAND,))
    res = st.check()
    assert not res.ok and res.residual != 0
    assert not st.spot_check(n=10).ok
    assert st.to_json()["ok"] is False and "residual" in st.to_json()


def _boom(expr):
    raise RuntimeError("route failed")


def test_route_exception_gives_ok_false_with_error():
    res = Step("err", "Route raises.", p, p, route=(Rewrite("boom", _boom),)).check()
    assert not res.ok and "RuntimeError" in res.error


def test_route_matters_no_blanket_simplify():
    # without expand_log the residual does not reduce: the check is honest about its route
    lhs, rhs = sp.log(p * beta), sp.log(p) + sp.log(beta)
    assert not Step("noroute", "", lhs, rhs).check().ok
    assert Step("route", "", lhs, rhs, route=(EXPAND_LOG,)).check().ok


@pytest.mark.parametrize("rel,lhs,rhs,ok", [
    (">", beta + 1, 1, True), (">", -beta, 0, False), ("<", -beta / x_o, 0, True),
    (">=", eps, 0, True), ("<=", eps, 0, False), (">", eps, 0, False),
])
def test_inequalities_use_sympy_assumptions(rel, lhs, rhs, ok):
    assert Step("ineq", "", lhs, rhs, rel).check().ok is ok


def test_strict_inequality_spot_check_catches_equality_at_closed_end():
    # eps >= 0 is sampled at 0 with positive probability: eps > 0 must fail numerically
    assert not Step("ineq", "", eps, 0, ">").spot_check(n=40).ok
    assert Step("ineq", "", eps, 0, ">=").spot_check(n=40).ok


def test_solve_step_checks_by_substitution():
    eq = beta * x_o - p
    sol = sp.solve(eq, x_o)[0]
    st = Step("solve", "Solve.", eq, sol, "solve", unknown=x_o, route=(CANCEL,), produced_by="sympy.solve")
    assert st.check().ok and st.spot_check(n=5).ok
    wrong = Step("solve", "Wrong root.", eq, p * beta, "solve", unknown=x_o, route=(CANCEL,))
    assert not wrong.check().ok and not wrong.spot_check(n=5).ok
    with pytest.raises(ValueError):
        Step("solve", "", eq, sol, "solve")


def test_matrix_step():
    M = sp.ImmutableMatrix([beta * (p + 1), p ** 2])
    st = Step("vec", "", M, sp.ImmutableMatrix([beta * p + beta, p * p]), route=(EXPAND,))
    assert st.check().ok and st.spot_check(n=4).ok
    bad = Step("vec", "", M, sp.ImmutableMatrix([beta * p, p * p]), route=(EXPAND,))
    assert not bad.check().ok and not bad.spot_check(n=4).ok


def test_defs_and_subs_are_applied_and_reported():
    q = sp.Symbol("q_demo", positive=True)
    st = Step("odds", "1-p > 0 under the odds map.", 1 - p, 0, ">", subs=ODDS, route=(TOGETHER,))
    assert st.check().ok and "substitute p=u/(u + 1)" in st.method
    st2 = Step("def", "", q, 2 * p, defs={q: p + p})
    assert st2.check().ok and st2.to_json()["definitions"] == {"q_demo": "2*p"}


def test_spot_check_needs_declared_domains():
    z = sp.Symbol("undeclared_z")
    with pytest.raises(KeyError):
        Step("z", "", z, z).spot_check(n=2)


def test_spot_check_precision_escalation_handles_cancellation():
    # 1 - p with p extremely close to 1 would lose all digits at fixed precision
    big = sp.Symbol("big_demo", positive=True)
    declare(big, interval(60, 80))
    lhs = sp.log(1 - (1 - sp.exp(-big)))
    st = Step("cancel", "", lhs, -big)
    res = st.spot_check(n=5, dps=30)
    assert res.ok and res.max_dps_used > 40


def test_domains():
    d = Domain(0, 1, (True, True))
    import random
    rng = random.Random(0)
    vals = [d.sample(rng) for _ in range(200)]
    assert all(0 <= v <= 1 for v in vals) and mp.mpf(0) in vals
    with pytest.raises(ValueError):
        declare(p, interval(0, 2))          # p already declared as a probability
    assert domain_of(p) is DOMAINS[p]
    assert domain_of(p, {p: interval(0, 1)}) == interval(0, 1)


def test_as_alpha():
    assert as_alpha("symbolic") is alpha and as_alpha(sp.Rational(3, 10)) == sp.Rational(3, 10)
    with pytest.raises(ValueError):
        as_alpha(sp.Rational(3, 2))
    with pytest.raises(ValueError):
        as_alpha(0.5)


def test_derivation_outputs():
    st = Step("a", "Distribute.", beta * (p + 1), beta * p + beta, route=(EXPAND,))
    bad = Step("b", "Wrong.", beta * (p + 1), beta * p, route=(EXPAND,))
    d = Derivation("demo", "Demo & test_1", ["p in (0,1)"], [st, bad], {"x": beta * p})
    res = d.check()
    assert not res.ok and res.failed == ["b"]
    js = d.to_json()
    json.dumps(js)
    assert js["ok"] is False and js["steps"][0]["lhs"]["latex"] == r"\beta \left(p + 1\right)"
    assert {"str", "latex"} <= set(js["steps"][0]["rhs"]) and js["steps"][0]["method"] == "expand"
    assert js["steps"][0]["symbol_assumptions"] == {"beta": "positive", "p": "positive"}
    tex = d.to_latex()
    assert r"\begin{align*}" in tex and r"\textbf{FAIL}" in tex and r"Demo \& test\_1" in tex
    with pytest.raises(ValueError):
        Derivation("dup", "", [], [st, st], {})


def test_inside_rewrite():
    e = sp.log(1 - p / (1 + p))
    assert inside(TOGETHER, "log")(e) == sp.log(1 / (1 + p))


def test_finite_space_validation_and_parts():
    fs = FiniteSpace(5, {4, 1})
    assert fs.S == (1, 4) and fs.F == (0, 2, 3)
    assert sp.cancel(sum(fs.cond(fs.ref, "F")) - 1) == 0
    for bad in [(1, {0}), (3, set()), (3, {0, 1, 2}), (3, {5})]:
        with pytest.raises(ValueError):
            FiniteSpace(*bad)
