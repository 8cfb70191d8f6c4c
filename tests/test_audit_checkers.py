"""Unit tests of the generic checkers: sound verdicts on statements of known truth."""

from fractions import Fraction

import pytest
import sympy as sp

from grpo_symbolic.verify.checks import identity, inequality
from grpo_symbolic.verify.domains import interval, positive, prob
from grpo_symbolic.verify.recheck import RecheckError, recheck
from grpo_symbolic.verify.verdict import CERTIFIED, PROVED, REFUTED, UNDECIDED, Part, Result, combine

p = sp.Symbol("p", positive=True)
e = sp.Symbol("e", positive=True)


def test_identity_true_false():
    V = [prob(p), interval(e, 0, 1, lo_open=True)]
    true = identity((1 - p) / sp.sqrt(p * (1 - p) + e) + p / sp.sqrt(p * (1 - p) + e), 1 / sp.sqrt(p * (1 - p) + e), V)
    assert true.verdict == PROVED
    false = identity(p * (1 - p), p - p**2 + e / 10**6, V)  # off by a tiny amount
    assert false.verdict == REFUTED and "point_exact" in false.evidence["counterexample"]
    assert recheck(false)  # the counterexample survives an independent evalf


def test_open_endpoint_is_not_a_counterexample():
    """Regression: a strict inequality on an open interval that fails only at the
    excluded end point must not be refuted there."""
    r = inequality(p - sp.Rational(1, 2), ">", [interval(p, Fraction(1, 2), 1, lo_open=True, hi_open=True)])
    assert r.verdict in (PROVED, CERTIFIED)
    r2 = inequality(1 - p, ">", [prob(p)])
    assert r2.verdict in (PROVED, CERTIFIED)


def test_inequality_certified_refuted():
    assert inequality(p * (1 - p) + e, ">", [prob(p), interval(e, Fraction(1, 100), 1)]).verdict in (PROVED, CERTIFIED)
    r = inequality(p - sp.Rational(1, 3), ">", [prob(p)])
    assert r.verdict == REFUTED
    assert recheck(r)


def test_missing_domain_is_an_error():
    with pytest.raises(ValueError, match="no domain declared"):
        identity(p + e, e + p, [prob(p)])


def test_branch_and_bound_reports_coverage_when_undecided():
    # sin-free expression that is positive but touches 0 at an interior point: >= holds, > does not
    r = inequality((2 * p - 1) ** 2, ">", [prob(p)], max_boxes=200)
    assert r.verdict == REFUTED  # violated at p = 1/2 (a point of the domain)
    r2 = inequality((2 * p - 1) ** 2 + sp.Rational(1, 10**30), ">", [prob(p)], max_boxes=50, samples=0)
    assert r2.verdict in (PROVED, CERTIFIED, UNDECIDED)
    if r2.verdict == UNDECIDED:
        assert 0 <= r2.evidence["interval"]["covered_fraction"] < 1


def test_recheck_catches_forged_evidence():
    """A verdict whose evidence is wrong must not survive the independent re-check."""
    good = identity(p * (1 - p), p - p**2, [prob(p)])
    forged = Result(PROVED, "forged", good.evidence, good.certificate)
    forged.spec = type(good.spec)("identity", dict(good.spec.args, rhs=p - p**2 + 1))
    with pytest.raises(RecheckError):
        recheck(forged)


def test_combine_worst_verdict():
    ok = Result(PROVED, "a", certificate={"kind": "symbolic"})
    bad = Result(REFUTED, "b", erratum="typo", certificate={"kind": "counterexample", "point": {"p": "1/2"}})
    assert combine([Part("x", "x", ok), Part("y", "y", bad)]).verdict == REFUTED
    assert combine([Part("x", "x", ok), Part("y", "y", Result(CERTIFIED, "c", certificate={"kind": "interval"}))]
                   ).verdict == CERTIFIED
