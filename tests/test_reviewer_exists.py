"""Existential claims (``quantifier = "exists"``): certified by a witness, refuted by a cover
of the domain on which the predicate is certainly false, never by a search that found nothing.

The witness is re-checked by an independent route (the mpmath iteration of the map, or the
kernel's engine at the witness point through the ``dynamics`` JSON).
"""

from __future__ import annotations

from fractions import Fraction as F

import mpmath as mp
import pytest

from grpo_symbolic.errors import InputError
from grpo_symbolic.reviewer import check_text

from test_reviewer_verdicts import claim


def run(predicate, domain, **kw):
    text = claim(predicate, domain, **kw).replace("[[claim]]", '[[claim]]\nquantifier = "exists"', 1)
    res = check_text(text)[0]
    return res.verdict, res.to_json()


def _h(p, beta, eps, p_ref):
    L = mp.log(p_ref / (1 - p_ref)) + 1 / (beta * mp.sqrt(p * (1 - p) + eps))
    return 1 / (1 + mp.exp(-L))


def test_witness_of_a_two_cycle_is_rechecked_by_iteration():
    v, js = run("orbit.kind == 'cycle' and orbit.period == 2",
                {"beta": "{min = 4.9, max = 5.1}", "eps": '"1e-5"', "p_ref": 0.001})
    assert v == "certified" and js["evidence"]["certificate"]["scope"].startswith("witness")
    beta = F(js["evidence"]["certificate"]["point"]["beta"])
    assert F(49, 10) <= beta <= F(51, 10)
    with mp.workdps(40):  # independent: iterate h in mpmath, then h(h(p)) = p and h(p) != p
        b, e, r = (mp.mpf(x.numerator) / x.denominator for x in (beta, F(1, 10**5), F(1, 1000)))
        p = r
        for _ in range(3000):
            p = _h(p, b, e, r)
        q = _h(p, b, e, r)
        assert abs(_h(q, b, e, r) - p) < mp.mpf(10) ** -20 and abs(q - p) > mp.mpf(10) ** -3


def test_refuted_by_a_cover_not_by_a_point():
    v, js = run("h(p) <= p_ref", {"p": "{gt = 0, lt = 1}", "beta": "{min = 0.5, max = 5}",
                                  "eps": '{min = "1e-6", max = 0.01}', "p_ref": "{min = 0.01, max = 0.9}"})
    assert v == "refuted" and "cover" in js["evidence"]["certificate"] and "point" not in js["evidence"]["certificate"]


def test_finite_domain_all_false_is_refuted_and_some_true_is_certified():
    dom = {"beta": "[1, 2, 5]", "eps": '"1e-5"', "p_ref": 0.001}
    v, js = run("len(fixed_points) == 7", dom)
    assert v == "refuted" and js["evidence"]["certificate"]["cover"]["points"] == 3
    v, js = run("len(fixed_points) == 3", dom)
    assert v == "certified" and js["evidence"]["certificate"]["point"]["beta"] == "1"


def test_no_witness_on_a_continuum_is_undecided():
    # alpha = 1, eps > 0: p_n -> 1 never happens, but a search cannot prove it on a continuum
    v, js = run("orbit.kind == 'to_one'", {"beta": "{min = 1, max = 2}", "eps": '"1e-5"', "p_ref": 0.3})
    assert v == "undecided" and js["summary"].startswith("no witness found")


def test_exists_with_assume_is_refused():
    text = claim("h(p) > p_ref", {"p": 0.5, "beta": 1, "eps": 0.01, "p_ref": 0.3})
    text = text.replace("[[claim]]", '[[claim]]\nquantifier = "exists"\nassume = "beta > 0"', 1)
    with pytest.raises(InputError):
        check_text(text)
    with pytest.raises(InputError, match="quantifier"):
        check_text(claim("h(p) > p_ref", {"p": 0.5, "beta": 1, "eps": 0.01, "p_ref": 0.3})
                   .replace("[[claim]]", '[[claim]]\nquantifier = "some"', 1))
