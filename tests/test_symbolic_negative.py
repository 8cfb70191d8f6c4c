"""Negative controls: deliberately wrong steps (and the paper's misprints) must fail
both the symbolic check and the numeric spot check."""

import pytest
import sympy as sp

from grpo_symbolic.symbolic import FiniteSpace, contrastive, optimal_policy, recurrence, stability, weights
from grpo_symbolic.symbolic.contrastive import ClipObjective
from grpo_symbolic.symbolic.derivation import Step
from grpo_symbolic.symbolic.symbols import (D_F, D_S, beta, clip_eps, eps, logit, omega_minus,
                                            omega_plus, p, p_prev, p_ref, x, y_pos)


def _variant(step, rhs=None, lhs=None, **kw):
    """A copy of ``step`` with a modified side (same route, definitions, substitutions)."""
    return Step(step.name + "_wrong", "negative control", step.lhs if lhs is None else lhs,
                step.rhs if rhs is None else rhs, step.relation, route=step.route,
                defs=step.defs, subs=step.subs, domains=step.domains, unknown=step.unknown, **kw)


def _fails(st, n=8):
    assert st.check().ok is False
    assert st.spot_check(n=n, dps=30).ok is False


def test_originals_pass():
    for st in (recurrence("std", sp.Rational(1, 2)).step("general_anchor"),
               recurrence("std", "symbolic").step("general_anchor"),
               weights("std").step("Omega"), stability("std", 1).step("h_derivative")):
        assert st.check().ok and st.spot_check(n=4, dps=30).ok


@pytest.mark.parametrize("a", [sp.Rational(1, 2), "symbolic"])
def test_dropped_one_over_beta(a):
    st = recurrence("std", a).step("general_anchor")
    _fails(_variant(st, rhs=st.rhs.subs(beta, 1)))


def test_flipped_renyi_sign():
    st = recurrence("std", sp.Rational(1, 3)).step("general_anchor")
    _fails(_variant(st, rhs=st.rhs.xreplace({D_S: D_F, D_F: D_S})))


def test_paper_lemma3_sign_convention_agrees():
    """Lemma 3 writes (alpha-1)(D_S - D_F), the same as the derived (1-alpha)(D_F - D_S)."""
    st = recurrence("std", sp.Rational(1, 3)).step("general_anchor")
    a = sp.Rational(1, 3)
    lemma3 = (a * logit(p_ref) + (1 - a) * logit(p_prev) + (a - 1) * (D_S - D_F)
              + (omega_plus + omega_minus) / beta)
    good = _variant(st, rhs=lemma3)
    assert good.check().ok and good.spot_check(n=4, dps=30).ok


def test_thm9_recursion_display_without_beta_fails():
    """The display after Thm 9 has Omega(p_n) without 1/beta: not the derived recurrence."""
    st = recurrence("std", sp.Rational(1, 3)).step("general_anchor")
    _fails(_variant(st, rhs=st.rhs - (omega_plus + omega_minus) / beta + (omega_plus + omega_minus)))


def test_thm8_formula_without_beta_fails():
    """Thm 8 item 1 prints pi* = pi_o exp(A)/(...): that drops the 1/beta of the KL weight."""
    d = optimal_policy("std", 0)
    st = d.step("Z_closed_form")
    wrong = st.rhs.subs(beta, 1)
    _fails(_variant(st, rhs=wrong))


def test_flipped_sign_in_prop12_fails():
    st = stability("std", 1).step("h_derivative")
    _fails(_variant(st, rhs=-st.rhs))


def test_wrong_hessian_fails():
    st = optimal_policy("std", 1).step("hessian")
    fs = FiniteSpace()
    wrong = sp.diag(*[-beta / xi ** 2 for xi in fs.x])
    _fails(_variant(st, rhs=sp.ImmutableMatrix(wrong)))


def test_wrong_omega_fails():
    st = weights("std").step("Omega")
    _fails(_variant(st, rhs=1 / sp.sqrt(p * (1 - p)) + eps))


def test_paper_printed_clip_identity_fails():
    """The paper's text prints f(x,y) = x min(y, 1+c) for y > 0; the derived identity is y min(x, 1+c)."""
    d = contrastive(True)
    for name in ("clip_pos_above", "clip_pos_inside"):
        st = d.step(name)
        _fails(_variant(st, rhs=x * sp.Min(y_pos, 1 + clip_eps)), n=20)


def test_conditional_expectation_reading_needs_the_pos_factor():
    """Read with conditional expectations, the weights of sec. 2.2 miss a factor p (1-p)."""
    d = contrastive(True)
    st = d.step("clipped_conditional")
    fs = FiniteSpace()
    p_old = fs.pos(fs.prev)
    wrong = st.rhs.subs({omega_plus: omega_plus / p_old, omega_minus: omega_minus / (1 - p_old)})
    _fails(_variant(st, rhs=wrong))


def test_wrong_stationary_point_fails():
    st = optimal_policy("std", sp.Rational(1, 2)).step("stationarity")
    _fails(_variant(st, rhs=2 * st.rhs))


def test_clip_objective_is_not_min_of_ratio_times_y_for_negative_y():
    # y < 0 needs max(x, 1-c), not min(x, 1+c)
    d = contrastive(True)
    st = d.step("clip_neg_below")
    _fails(_variant(st, rhs=-sp.Symbol("v", positive=True) * sp.Min(x, 1 + clip_eps)), n=20)
    assert isinstance(st.lhs, ClipObjective)
