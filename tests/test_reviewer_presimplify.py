"""The symbolic rewriting of reviewer comparisons (reviewer/presimplify.py) and the power it
gives branch and bound: wide boxes certified, equality points refuted, narrow violations found.

Independent routes: the rewritten comparison (SymPy, then end-point interval arithmetic) is
checked against the plain evaluator (the kernel's ArbMap on exact points), and against
mpmath at 50 digits for the refutation-seeking search.
"""

from __future__ import annotations

import doctest
import random
from fractions import Fraction as F

import mpmath as mp
import pytest

from grpo_symbolic.exact.arbutil import interval
from grpo_symbolic.reviewer import presimplify
from grpo_symbolic.reviewer.evaluate import Env, evaluate
from grpo_symbolic.reviewer.language import compile_predicate
from grpo_symbolic.verify.arbeval import hull_eval

from test_reviewer_verdicts import verdict

WIDE = {"beta": "{min = 0.5, max = 5}", "eps": '{min = "1e-6", max = 0.01}',
        "p_ref": "{min = 0.01, max = 0.9}", "p": "{min = 0.01, max = 0.99}"}
BOUND = "sigmoid(logit(p_ref) + {c}/(beta*sqrt(1+4*eps))) {op} h(p)"


def test_doctests():
    assert doctest.testmod(presimplify).failed == 0


def test_wide_box_certified_in_few_boxes():
    # the dependency problem: L_ref and 1/beta on both sides; each cancels in the rewriting
    v, js = verdict(BOUND.format(c=2, op="<="), WIDE)
    assert v == "certified" and js["evidence"]["interval"]["boxes"] <= 4


@pytest.mark.parametrize("c, op", [("2.001", "<="), ("2", "<")])
def test_near_misses_are_refuted_never_certified(c, op):
    # 2.001: false near p = 1/2; strict <: false exactly at p = 1/2 (equality, D = 0 exactly)
    v, js = verdict(BOUND.format(c=c, op=op), WIDE)
    assert v == "refuted"
    assert F(js["evidence"]["counterexample"]["point"]["p"]) == F(1, 2) or c == "2.001"


def test_h_prime_negative_on_a_4d_box():
    dom = {"beta": "{min = 0.1, max = 10}", "eps": '{min = "1e-8", max = 0.1}',
           "p_ref": "{min = 0.001, max = 0.999}", "p": "{gt = 0, max = 0.49}"}
    v, js = verdict("dh(p) < 0", dom)
    assert v == "certified"
    v, _ = verdict("dh(p) < 0", {**dom, "p": "{gt = 0, max = 0.51}"})
    assert v == "refuted"  # h' > 0 past p = 1/2 (alpha = 1)


def test_quantities_that_do_not_exist_are_never_rewritten_away():
    pred = compile_predicate("log(p - 2) - log(p - 2) == 0")
    forms = presimplify.CmpForms.build(pred, "std", {"alpha": 1, "beta": 1, "eps": F(1, 100), "p_ref": F(1, 2)})
    assert forms.truth(pred.root, {"p": (F(1, 2), F(9, 10))}) is None  # D = 0, but log(p - 2) does not exist
    v, _ = verdict("log(p - 2) - log(p - 2) == 0", {"beta": 1, "eps": 0.01, "p_ref": 0.5,
                                                      "p": "{min = 0.5, max = 0.9}"})
    assert v == "refuted"


def _random_box(rng):
    def side(lo, hi, log=False):
        a, b = sorted(rng.uniform(lo, hi) for _ in range(2))
        return F(a).limit_denominator(10**6), F(b).limit_denominator(10**6) + F(1, 10**6)
    return {"beta": side(0.2, 8), "eps": side(1e-6, 0.05), "p_ref": side(0.01, 0.95), "p": side(0.02, 0.98)}


@pytest.mark.parametrize("text", [
    "h(p) <= sigmoid(logit(p_ref) + 2.3/beta)",
    "dh(p) < 0.01",
    "g(logit(p)) - logit(p_ref) > 1/beta",
    "h(p) > p_ref + 0.01",
])
def test_rewritten_truth_agrees_with_the_kernel_at_exact_points(text):
    """A box decided by the rewriting is never contradicted by the plain evaluator (the
    kernel's Arb map) at exact points inside it."""
    rng = random.Random(text)
    pred = compile_predicate(text)
    forms = presimplify.CmpForms.build(pred, "std", {"alpha": 1})
    decided = 0
    for _ in range(25):
        box = _random_box(rng)
        t = forms.truth(pred.root, box)
        if t is None:
            continue
        decided += 1
        for _ in range(4):
            pt = {k: lo + (hi - lo) * F(rng.randint(0, 1000), 1000) for k, (lo, hi) in box.items()}
            plain = evaluate(pred, Env("std", {**pt, "alpha": F(1), "p0": pt["p_ref"]}, 128))
            assert plain is None or plain is t, (text, box, pt)
    assert decided > 0


def test_hull_evaluation_keeps_signs_that_mid_radius_loses():
    import sympy as sp

    p = sp.Symbol("p", positive=True)
    box = interval(F(1, 100), F(99, 100))
    assert not (box * (1 - box) > 0)  # Arb's mid-radius product reaches below 0
    enc = hull_eval(p * (1 - p) + sp.sqrt(p) * sp.exp(-p), {p: box})
    assert enc > 0
    for x in (F(1, 100), F(1, 2), F(99, 100)):
        xv = mp.mpf(x.numerator) / x.denominator
        assert enc.contains(hull_eval(p * (1 - p) + sp.sqrt(p) * sp.exp(-p), {p: interval(x, x)}))
        assert float(enc.lower()) <= float(xv * (1 - xv) + mp.sqrt(xv) * mp.exp(-xv)) <= float(enc.upper())


def test_refutation_seeking_search_finds_a_narrow_band():
    # h(p) >= c fails only for |p - 1/2| < 0.016 (beta = 5, p_ref = 1e-3, eps = 1e-5)
    with mp.workdps(50):
        L = mp.log(mp.mpf("0.001") / mp.mpf("0.999")) + 1 / (5 * mp.sqrt(mp.mpf("0.484") * mp.mpf("0.516") + mp.mpf("1e-5")))
        c = F(mp.nstr(1 / (1 + mp.exp(-L)), 12))
    pred = compile_predicate(f"h(p) >= {float(c)!r}")
    fixed = {"alpha": 1, "beta": 5, "eps": F(1, 10**5), "p_ref": F(1, 1000)}
    forms = presimplify.CmpForms.build(pred, "std", fixed)
    found = presimplify.violators(forms, {"p": (F(5, 100), F(48, 100))}, seed=1)
    found += presimplify.violators(forms, {"p": (F(1, 100), F(9, 10))}, seed=1)
    assert any(abs(x["p"] - 0.5) < 0.016 for x in found)
