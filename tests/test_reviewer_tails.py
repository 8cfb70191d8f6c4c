"""Unbounded quantifiers ``all/any(... for n in count(a))``: the doubling prefix, the tail on the
pushed-forward trap, ``n`` in arithmetic (the ray ``[N, +inf)``), and the stated reason when the
tail stays undecided.

Expected values come from an independent route: the mean-only map is affine in log-odds,
``L_{k+1} = alpha L_ref + (1 - alpha) L_k + 1/beta``, iterated here with mpmath at 60 digits.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction as F

import mpmath as mp
import pytest
from flint import arb

from grpo_symbolic.params import Params
from grpo_symbolic.reviewer import check_text
from grpo_symbolic.reviewer.engine import PointEngine
from grpo_symbolic.reviewer.evaluate import Env, evaluate
from grpo_symbolic.reviewer.language import compile_predicate
from grpo_symbolic.reviewer.values import Ext, ext_add, ext_cmp, ext_div, ext_mul, ext_neg

#: mean-only norm, alpha = 1/20, beta = 1, p_ref = 1/2: L_n = 20 (1 - 0.95^n) increases to L* = 20
SLOW = {"beta": F(1), "alpha": F(1, 20), "eps": F(0), "p_ref": F(1, 2)}
SLOW_TOML = "beta = 1\nalpha = 0.05\np_ref = 0.5"


def mean_orbit(n, beta="1", alpha="0.05", p_ref="0.5"):
    """``[L_0, ..., L_n]`` of the mean-only map by mpmath iteration (60 digits)."""
    with mp.workdps(60):
        b, a, pr = mp.mpf(beta), mp.mpf(alpha), mp.mpf(p_ref)
        Lr = mp.log(pr / (1 - pr))
        Ls = [Lr]
        for _ in range(n):
            Ls.append(a * Lr + (1 - a) * Ls[-1] + 1 / b)
        return Ls


def claim(pred, dom=SLOW_TOML, norm="mean"):
    r = check_text(f'[[claim]]\nid = "t"\nnorm = "{norm}"\npredicate = "{pred}"\n[claim.domain]\n{dom}\n')[0]
    return r.verdict, json.loads(json.dumps(r.to_json(), default=str))


def failing_n(js) -> int:
    return int(js["evidence"]["counterexample"]["failed"][0]["where"]["n"])


def at_point(pred, values=SLOW, norm="mean", bits=128):
    """``(truth, reason)`` of a predicate at one exact point, first precision level only."""
    v = dict(values)
    v.setdefault("p0", v["p_ref"])
    eng = PointEngine(Params(norm=norm, beta=v["beta"], alpha=v["alpha"], eps=v["eps"], p_ref=v["p_ref"]))
    env = Env(norm, v, bits, eng)
    return evaluate(compile_predicate(pred), env), env.reason


def test_a_claim_that_first_fails_at_n_101_is_refuted_there():
    Ls = mean_orbit(102)
    assert all(Ls[k] < Ls[k + 1] for k in range(101))  # increasing: the bound first fails at 101
    c = (Ls[100] + Ls[101]) / 2
    with mp.workdps(60):
        pc = 1 / (1 + mp.exp(-c))
    for pred in (f"all(L_n(n) <= {mp.nstr(c, 40)} for n in count(0))",
                 f"all(p_n(n) <= {mp.nstr(pc, 40)} for n in count(1))"):
        v, js = claim(pred)
        assert v == "refuted", js["summary"]
        assert failing_n(js) == 101, js["summary"]
    # with the bound just above L_101 and below L_102 it first fails at 102
    c2 = (Ls[101] + Ls[102]) / 2
    v, js = claim(f"all(L_n(n) <= {mp.nstr(c2, 40)} for n in count(0))")
    assert v == "refuted" and failing_n(js) == 102


def test_bound_above_the_limit_is_certified_and_any_finds_the_crossing():
    Ls = mean_orbit(300)
    assert claim("all(L_n(n) <= 20.001 for n in count(0))")[0] == "certified"
    c = (Ls[200] + Ls[201]) / 2
    # some iterate exceeds c (the first is n = 201): certified by the prefix
    assert claim(f"any(L_n(n) > {mp.nstr(c, 40)} for n in count(0))")[0] == "certified"
    # ... and not every iterate after 250 stays below it: refuted
    v, js = claim(f"all(L_n(n) < {mp.nstr(c, 40)} for n in count(250))")
    assert v == "refuted" and failing_n(js) == 250


def test_n_in_arithmetic_prefix_and_tail():
    Ls = mean_orbit(400)
    # L_n <= L_ref + 2n for every n >= 1: the prefix, then the tail with n in [N, +inf)
    assert claim("all(L_n(n) <= logit(p_ref) + 2 * n for n in count(1))")[0] == "certified"
    # L_n >= 19 - 1/n from n = 100 on (L_100 = 19.88..): the tail needs 1/n <= 1/N
    assert Ls[100] > 19
    assert claim("all(L_n(n) >= 19 - 1/n for n in count(100))")[0] == "certified"
    # L_n >= n/10 fails first where 20 (1 - 0.95^n) < n/10: found by mpmath
    first = next(k for k in range(1, 400) if Ls[k] < mp.mpf(k) / 10)
    v, js = claim("all(L_n(n) >= n / 10 for n in count(1))")
    assert v == "refuted" and failing_n(js) == first
    # any(...) with n in arithmetic: some n has L_n > n - 5 (n = 6: L_6 = 5.3...)
    assert claim("any(L_n(n) > n - 5 for n in count(1))")[0] == "certified"


def test_mirror_bound_with_n_is_undecided_with_the_reason():
    dom = 'beta = 1\nalpha = 0\neps = "1e-5"\np_ref = 0.2'
    pred = "all(L_n(n) >= logit(p_ref) + 2*n/(beta*sqrt(1+4*eps)) for n in count(1))"
    assert claim(pred, dom, "std")[0] == "undecided"
    vals = {"beta": F(1), "alpha": F(0), "eps": F(1, 10**5), "p_ref": F(1, 5)}
    t, why = at_point(pred, vals, "std")
    assert t is None and "p_n -> 1" in why, why
    # the same bound with 3n instead of 2n fails at n = 1: Omega(0.2) = 1/sqrt(0.16 + 1e-5) < 3/sqrt(1 + 4e-5)
    v, js = claim(pred.replace("2*n", "3*n"), dom, "std")
    assert v == "refuted" and failing_n(js) == 1


def test_reason_when_the_trap_does_not_decide():
    # true (L_n < 20 < 20 + 1/n), but on the trap around L* = 20 the body is mixed: the prefix
    # doubles to its budget and the reason says so
    t, why = at_point("all(L_n(n) <= 20 + 1/n for n in count(1))")
    assert t is None
    assert "budget exhausted at n = " in why and "neither certainly true nor certainly false" in why, why
    # precision: L_n approaches 20 closer than 2^-128
    t, why = at_point("all(L_n(n) < 20 for n in count(0))")
    assert t is None and "unknown at n = " in why, why


def test_reason_when_the_orbit_is_unresolved(monkeypatch):
    from grpo_symbolic.reviewer import engine as E

    monkeypatch.setattr(E.PointEngine, "tail", lambda self, shrink=0: None)
    monkeypatch.setattr(E.PointEngine, "orbit", lambda self: self._unknown("no certificate in 10 steps"))
    t, why = at_point("all(L_n(n) <= 20.001 for n in count(0))")
    assert t is None and "unresolved" in why and "no certificate in 10 steps" in why, why


# ------------------------------------------------------------ Ext arithmetic
def _contains(v, x) -> bool:
    """Does the value v (Ext or arb) contain the real number x (an mpf), up to a relative 1e-12?"""
    tol = mp.mpf("1e-12") * (1 + abs(x))
    if isinstance(v, Ext):
        lo = None if v.lo is None else mp.mpf(v.lo.mid().str(30, radius=False))
        hi = None if v.hi is None else mp.mpf(v.hi.mid().str(30, radius=False))
    else:
        lo, hi = mp.mpf(v.lower().str(30, radius=False)), mp.mpf(v.upper().str(30, radius=False))
    return (lo is None or lo <= x + tol) and (hi is None or x - tol <= hi)


@pytest.mark.parametrize("seed", range(6))
def test_ray_arithmetic_encloses_every_n(seed):
    """Each operation on the ray [N, +inf) contains the result at sampled integers n >= N
    (including huge ones), computed with mpmath; comparisons never contradict a sample."""
    rng = random.Random(seed)
    N = rng.randint(1, 50)
    c = rng.choice([-3, -1, 2, 5]) + rng.random()
    ray, cb = Ext.ray(N), arb(repr(c))
    ops = {
        "n + c": (ext_add(ray, cb), lambda n: n + c),
        "n * c": (ext_mul(ray, cb), lambda n: n * c),
        "c / n": (ext_div(cb, ray), lambda n: c / n),
        "n / c": (ext_div(ray, cb), lambda n: n / c),
        "-n": (ext_neg(ray), lambda n: -n),
        "n * n": (ext_mul(ray, ray), lambda n: n * n),
    }
    samples = [N, N + 1, N + rng.randint(2, 100), 10**6, 10**30]
    for name, (val, f) in ops.items():
        for n in samples:
            assert _contains(val, mp.mpf(f(mp.mpf(n)))), (name, n, val)
    for op in ("<", "<=", ">", ">=", "==", "!="):
        r = ext_cmp(op, ext_mul(ray, cb), arb(7))
        if r is not None:
            for n in samples:
                x = n * c
                truth = {"<": x < 7, "<=": x <= 7, ">": x > 7, ">=": x >= 7, "==": x == 7, "!=": x != 7}[op]
                assert truth == r, (op, n, c)
