"""Expressiveness of the claim language: literals of any size, indexing, let names, finite
groups (group_size / convention), linked parameters and assumptions.

Independent routes: closed forms evaluated with mpmath (G = 2 paper weights are the constant
1/sqrt(1 + 4 eps); 'mean' weights are (G-1)/G; the mean-only fixed point is
L_ref + Omega/(alpha beta)); fixed points of the std map located by mpmath root finding.
"""

from __future__ import annotations

from fractions import Fraction as F

import mpmath as mp
import pytest

from grpo_symbolic.errors import InputError
from grpo_symbolic.reviewer import check_text, parse_text
from grpo_symbolic.reviewer.claimfile import Range
from grpo_symbolic.reviewer.engine import Coll, FPItem
from grpo_symbolic.reviewer.evaluate import _index, evaluate_number
from grpo_symbolic.reviewer.language import PredicateError, compile_expression, compile_predicate
from grpo_symbolic.reviewer.values import UNDEF, UNKNOWN, Iv


def verdict(pred, dom, norm="std", extra=""):
    text = f'[[claim]]\nid = "e"\nnorm = "{norm}"\npredicate = """{pred}"""\n{extra}[claim.domain]\n{dom}\n'
    r = check_text(text)[0]
    return r.verdict, r.result.summary


# ----------------------------------------------------------------- literals
def test_literals_are_exact_up_to_the_params_limit():
    p = compile_predicate("beta > 1e-4000")
    assert p.root.args[1].value == F(1, 10**4000)
    assert compile_predicate("beta > 1.5e+3999").root.args[1].value == F(15 * 10**3998)
    for bad, frag in [("beta > 1e-4001", "out of range"), ("beta > 1e4000 ** 64", "too large"),
                      ("beta > " + "1" * 201, "too long")]:
        with pytest.raises(PredicateError, match=frag):
            compile_predicate(bad)


def test_tiny_literal_decides_against_mpmath():
    # mirror map, p_1 = sigmoid(L_ref + 1/(beta sqrt(p_ref q_ref + eps))): 1 - p_1 from mpmath
    with mp.workdps(50):
        Lr = mp.log(mp.mpf("0.2") / mp.mpf("0.8"))
        q1 = 1 / (1 + mp.exp(Lr + 1 / mp.sqrt(mp.mpf("0.16") + mp.mpf("1e-5"))))
    dom = 'beta = 1\nalpha = 0\neps = "1e-5"\np_ref = 0.2'
    assert verdict(f"1 - p_n(1) > 1e-600 and abs(1 - p_n(1) - {mp.nstr(q1, 40)}) < 1e-35", dom)[0] == "certified"
    assert verdict("1 - p_n(1) < 1e-600", dom)[0] == "refuted"
    assert verdict("p_ref * 1e-4000 > 0 and p_ref * 1e-4000 < 1e-4000", dom)[0] == "certified"


# ----------------------------------------------------------------- indexing
def std_fixed_points(beta, eps, p_ref):
    """Log-odds of the fixed points of the std map (alpha = 1) by mpmath: sign changes of
    G(L) = L_ref + 1/(beta sqrt(s(L) + eps)) - L on a grid, refined with findroot."""
    with mp.workdps(40):
        b, e, pr = mp.mpf(beta), mp.mpf(eps), mp.mpf(p_ref)
        Lr = mp.log(pr / (1 - pr))

        def G(L):
            p = 1 / (1 + mp.exp(-L))
            return Lr + 1 / (b * mp.sqrt(p * (1 - p) + e)) - L
        grid = [mp.mpf(k) / 8 for k in range(-160, 800)]
        return [mp.findroot(G, (x, y), solver="anderson") for x, y in zip(grid, grid[1:]) if G(x) * G(y) < 0]


def test_indexing_matches_independent_fixed_points():
    fps = std_fixed_points("5", "1e-5", "0.001")
    assert len(fps) == 3
    dom = 'beta = 5\neps = "1e-5"\np_ref = 0.001'
    lo, hi = mp.nstr(fps[0], 25), mp.nstr(fps[-1], 25)
    assert verdict(f"abs(fixed_points[0].logit - {lo}) < 1e-20 and abs(fixed_points[-1].logit - {hi}) < 1e-20 "
                   f"and abs(fixed_points[2].logit - {hi}) < 1e-20", dom)[0] == "certified"
    assert verdict(f"abs(fixed_points[-1].logit - {lo}) < 1e-20", dom)[0] == "refuted"
    # out of range: the quantity does not exist, comparisons with it are false
    assert verdict("fixed_points[3].p > 0", dom)[0] == "refuted"
    assert verdict("not (fixed_points[-4].p > 0) and not fixed_points[7].stable", dom)[0] == "certified"
    # the 2-cycle straddles the first fixed point; the stable one is the last
    assert verdict("orbit.points[0] < fixed_points[0].p < orbit.points[-1] and stable_fixed_points[0].p > 0.999 "
                   "and len(stable_fixed_points) == 1", dom)[0] == "certified"


def test_index_of_incomplete_or_overlapping_collections_is_unknown():
    a, b = FPItem(1, F(0), F(1), None, True), FPItem(2, F(2), F(3), None, True)
    assert _index(Coll([b, a], [True, True], True), 0) is a  # sorted increasing
    assert _index(Coll([a, b], [True, True], True), -1) is b
    assert _index(Coll([a, b], [True, True], True), 2) is UNDEF
    assert _index(Coll([a, b], [True, True], False), 0) is UNKNOWN
    assert _index(Coll([a, b], [True, None], True), 0) is UNKNOWN
    c = FPItem(3, F(1, 2), F(5, 2), None, True)  # overlaps both: the order is not certain
    assert _index(Coll([a, c], [True, True], True), 0) is UNKNOWN


# ---------------------------------------------------------------------- let
def test_let_names_and_their_cost():
    lets = {"a": "2/(beta*sqrt(1+4*eps))", "Lr": "logit(p_ref)"}
    p = compile_predicate("all(L_n(n) >= Lr + a*n for n in range(1, 50))", lets)
    assert set(p.lets) == {"a", "Lr"}
    once = compile_predicate("h(p_ref) > 0", {"x": "h(p_ref) + h(p_ref) + h(p_ref)"}).work
    used = compile_predicate("x + x > 0", {"x": "h(p_ref) + h(p_ref) + h(p_ref)"}).work
    assert used > 2 * once  # each use counts
    with pytest.raises(PredicateError, match="too expensive"):
        compile_predicate("all(y + y > 0 for n in range(10000))", {"x": "h(h(h(h(p_ref))))", "y": "x + x + x"})
    for lets, frag in [({"a": "b", "b": "a"}, "cycle"), ({"a": "__import__"}, "not allowed"),
                       ({"beta": "1"}, "not allowed"), ({"a": "all(p_n(n) > 0 for n in count(1))"}, "count"),
                       ({"a": "fp.p"}, "unknown name"), ({"a": "open('x')"}, "unknown function")]:
        with pytest.raises(PredicateError, match=frag):
            compile_predicate("a > 0" if "a" in lets else "beta > 0", lets)


def test_let_in_a_claims_file_and_its_errors():
    dom = 'beta = [0.5, 4]\nalpha = 0\neps = "1e-5"\np_ref = [0.01, 0.9]'
    extra = 'let = { a = "2/(beta*sqrt(1+4*eps))", Lr = "logit(p_ref)" }\n'
    assert verdict("all(L_n(n) >= Lr + a*n for n in range(1, 100))", dom, extra=extra)[0] == "certified"
    assert verdict("all(L_n(n) >= Lr + 6*a*n for n in range(1, 100))", dom, extra=extra)[0] == "refuted"  # Omega(0.9) = 3.3 < 12
    text = ('[[claim]]\nid = "x"\nnorm = "std"\npredicate = "a > 0"\n[claim.let]\na = "b"\nb = "a"\n'
            '[claim.domain]\nbeta = 1\neps = 0\np_ref = 0.5\n')
    with pytest.raises(InputError, match=r"^<claims>:6: claim 'x': let names form a cycle: a -> b -> a"):
        parse_text(text)


# ------------------------------------------------------------ finite groups
def test_group_keys_are_checked():
    base = '[[claim]]\nid = "g"\nnorm = "NORM"\npredicate = "h(p_ref) > 0"\n[claim.domain]\nbeta = 1\neps = 0\np_ref = 0.5\n'
    for norm, extra, frag in [("std", "group_size = 1\n", "group_size must be"),
                              ("std", "group_size = {min = 2, max = 8}\n", "group_size must be"),
                              ("std", 'convention = "trl"\n', "needs group_size"),
                              ("std", 'group_size = 4\nconvention = "mean"\n', "does not match norm"),
                              ("mean", 'group_size = 4\nconvention = "bogus"\n', "convention must be")]:
        with pytest.raises(InputError, match=frag):
            parse_text(base.replace("NORM", norm) + extra)
    with pytest.raises(InputError, match="eps is a range, but the finite-group map"):
        parse_text(base.replace("NORM", "std").replace("eps = 0", "eps = {min = 0, max = 0.1}") + "group_size = 4\n")


def test_group_closed_forms():
    # G = 2 'paper': a mixed group has advantages +-1/sqrt(1/4 + eps) * 1/2: Omega = 1/sqrt(1 + 4 eps)
    dom = 'beta = [0.5, 2]\nalpha = [0.5, 1]\neps = "1e-5"\np_ref = 0.2\ngroup_size = 2'
    om = "1/sqrt(1+4*eps)"
    assert verdict(f"abs(L_n(1) - (logit(p_ref) + {om}/beta)) < 1e-20 and "
                   f"abs(fixed_points[0].logit - (logit(p_ref) + {om}/(alpha*beta))) < 1e-20", dom)[0] == "certified"
    # the population std map is different: Omega(0.2) = 1/sqrt(0.16 + eps)
    assert verdict(f"abs(L_n(1) - (logit(p_ref) + {om}/beta)) < 1e-20", dom.replace("\ngroup_size = 2", ""))[0] \
        == "refuted"
    # 'mean' convention: Omega = (G-1)/G
    dom = "beta = [0.5, 2]\nalpha = [0.5, 1]\np_ref = 0.2\ngroup_size = [4, 8]"
    v, s = verdict("abs(fixed_points[0].logit - (logit(p_ref) + 7/(8*alpha*beta))) < 1e-20", dom, "mean")
    assert v == "refuted" and "group_size=4" in s  # holds for G = 8 only
    assert verdict("abs(fixed_points[0].logit - (logit(p_ref) + 7/(8*alpha*beta))) < 1e-20",
                   dom.replace("[4, 8]", "8"), "mean")[0] == "certified"
    # interval branch and bound with finite-group weights (eps exact)
    dom = ('beta = {min = 0.5, max = 2}\neps = "1e-5"\np_ref = {min = 0.1, max = 0.9}\ngroup_size = [4, 16]\n'
           'convention = ["paper", "trl"]\np = {min = 0.01, max = 0.99}')
    assert verdict("h(p) > p_ref", dom)[0] == "certified"


# ------------------------------------------------- linked parameters, assume
def test_linked_expressions_compile_and_evaluate():
    e = compile_expression("10/(10+beta)", ("beta",))
    assert evaluate_number(e, {"beta": F(5)}) == F(2, 3)
    box = evaluate_number(e, {"beta": Iv(F(1), F(2))})
    assert box.lower() < 0.83334 and box.upper() > 0.90909  # 10/12 and 10/11, the range over [1, 2]
    for bad, frag in [("sqrt(beta)", "rational expression"), ("beta ** 0.5", "rational expression"),
                      ("h(beta)", "rational expression"), ("eps", "cannot be used")]:
        with pytest.raises(PredicateError, match=frag):
            compile_expression(bad, ("beta",))
    claims = parse_text('[[claim]]\nid = "l"\nnorm = "std"\npredicate = "h(p_ref) > p_ref"\n'
                        'assume = "beta > 1"\n[claim.domain]\nbeta = {min = 0.5, max = 5}\n'
                        'alpha = "1/(1 + beta)"\neps = "1e-5"\np_ref = 0.2\n')
    c = claims[0]
    assert set(c.domain.linked) == {"alpha"} and c.assume is not None
    assert c.domain.expand({"alpha"}) == {"alpha", "beta"}
    vals = c.domain.fill({"beta": F(3)})
    assert vals["alpha"] == F(1, 4) and c.domain.linked_ok(vals) is True
    with pytest.raises(InputError, match="alpha = 2 at beta = 1: alpha must be in"):
        parse_text('[[claim]]\nid = "l"\nnorm = "std"\npredicate = "h(p_ref) > 0"\n[claim.domain]\n'
                   'beta = 1\nalpha = "2*beta"\neps = 0\np_ref = 0.2\n')
    with pytest.raises(InputError, match="assumption is about the parameters"):
        parse_text('[[claim]]\nid = "l"\nnorm = "std"\npredicate = "h(p_ref) > 0"\nassume = "len(fixed_points) > 0"\n'
                   '[claim.domain]\nbeta = 1\neps = 0\np_ref = 0.2\n')
    assert isinstance(c.domain.dims["beta"], Range)


def test_linked_parameters_and_assumptions_end_to_end():
    dom = 'beta = [0.5, 1, 2, 5]\nalpha = "1/(1 + beta)"\neps = "1e-5"\np_ref = [0.01, 0.2]'
    assert verdict("all(fp.p > p_ref for fp in fixed_points) and len(fixed_points) >= 1", dom)[0] == "certified"
    # mean-only, alpha = 1/(1+beta): L* = L_ref + (1 + beta)/beta exactly
    dom = 'beta = [0.5, 3]\nalpha = "1/(1 + beta)"\np_ref = 0.3'
    assert verdict("abs(fixed_points[0].logit - (logit(p_ref) + (1 + beta)/beta)) < 1e-20", dom, "mean")[0] \
        == "certified"
    # p_1 >= 1/2 exactly where L_ref + Omega/beta >= 0; Omega >= 2/sqrt(1 + 4 eps) gives the assumption
    box = 'beta = {min = 0.5, max = 5}\neps = "1e-5"\np_ref = {min = 0.01, max = 0.9}'
    assume = 'assume = "logit(p_ref) + 2/(beta*sqrt(1+4*eps)) >= 0"\n'
    assert verdict("p_n(1) >= 0.5", box, extra=assume)[0] == "certified"
    assert verdict("p_n(1) >= 0.5", box)[0] == "refuted"
    assert verdict("p_n(1) >= 0.6", box, extra=assume)[0] == "refuted"
