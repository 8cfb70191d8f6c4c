"""``sup(expr)`` / ``inf(expr)`` over p: rigorous enclosures by branch and bound on p, checked
against a dense mpmath scan of the closed form of h (an independent route)."""

from __future__ import annotations

from fractions import Fraction as F

import mpmath as mp
import pytest

from grpo_symbolic.errors import InputError
from grpo_symbolic.reviewer import check_text
from grpo_symbolic.exact.arbutil import arb_prec
from grpo_symbolic.reviewer.evaluate import Env, _Eval
from grpo_symbolic.reviewer.language import compile_predicate

from test_reviewer_verdicts import claim

PARAMS = {"beta": F(5), "alpha": F(1), "eps": F(1, 10**5), "p_ref": F(1, 1000)}


def h_ref(p, beta=5, eps="1e-5", p_ref="0.001"):
    p_ref, eps = mp.mpf(p_ref), mp.mpf(eps)
    L = mp.log(p_ref / (1 - p_ref)) + 1 / (beta * mp.sqrt(p * (1 - p) + eps))
    return 1 / (1 + mp.exp(-L))


def scan(f, a, b, n=20001):
    with mp.workdps(30):
        vals = [f(a + (b - a) * mp.mpf(i) / (n - 1)) for i in range(n)]
    return min(vals), max(vals)


@pytest.mark.parametrize("text, a, b", [("h(p)", "0.01", "0.99"), ("h(p) - p", "0.2", "0.9"),
                                        ("dh(p)", "0.3", "0.7")])
def test_enclosure_contains_the_scanned_extrema(text, a, b):
    env = Env("std", dict(PARAMS, p0=PARAMS["p_ref"]), 128)
    ref = {"h(p)": h_ref, "h(p) - p": lambda p: h_ref(p) - p,
           "dh(p)": lambda p: mp.diff(h_ref, p)}[text]
    lo_s, hi_s = scan(ref, mp.mpf(a), mp.mpf(b), 4001)
    for op, want in (("sup", hi_s), ("inf", lo_s)):
        with arb_prec(128):
            v = _Eval(env).value(compile_predicate(f"{op}({text}, {a}, {b}) > -1").root.args[0], {})
        assert v.lower() <= want + mp.mpf(10) ** -12 and v.upper() >= want - mp.mpf(10) ** -12, (op, text)
        # the scan's extremum is inside the enclosure up to the scan's resolution; the
        # enclosure is narrow enough to be useful
        assert float(v.rad()) < 1e-2 * max(abs(float(want)), 1e-9) + 1e-6


def test_verdicts_and_their_margins():
    inf_h = h_ref(mp.mpf("0.5"))  # h is smallest at p = 1/2 (Omega smallest there)
    dom = {"beta": 5, "eps": '"1e-5"', "p_ref": 0.001}
    below, above = mp.nstr(inf_h * (1 - mp.mpf("1e-6")), 15), mp.nstr(inf_h * (1 + mp.mpf("1e-6")), 15)
    assert check_text(claim(f"inf(h(p)) > {below}", dom))[0].verdict == "certified"
    assert check_text(claim(f"inf(h(p)) > {above}", dom))[0].verdict == "refuted"


def test_language_limits():
    for bad in ("sup(sup(h(p)))", "sup(h(p), 0.5, 0.2)", "sup(h(p), 0, beta)", "sup(h(p), 0.1)"):
        with pytest.raises(InputError):
            compile_predicate(f"{bad} > 0")
    # p is bound inside sup even when the domain declares p
    assert compile_predicate("sup(h(p)) >= h(p)").names >= {"p"}
