"""Random predicates against an independent mpmath interpreter: a certified claim must
hold at random points of its domain, and a refuted one must fail at its counterexample."""

import random
from fractions import Fraction as F

import mpmath as mp
from hypothesis import given
from hypothesis import strategies as st

from grpo_symbolic.reviewer import check_text

# expression trees: ("num", value) | ("var", name) | ("fn", name, arg) | ("bin", op, a, b)
LEAVES = st.one_of(
    st.sampled_from([("var", "p"), ("var", "p_ref"), ("var", "beta"), ("var", "alpha")]),
    st.fractions(-3, 3, max_denominator=8).map(lambda x: ("num", x)),
)


def _extend(children):
    return st.one_of(
        st.tuples(st.just("fn"), st.sampled_from(["h", "dh", "exp", "abs", "sigmoid"]), st.just(("var", "p"))),
        st.tuples(st.just("fn"), st.sampled_from(["exp", "abs", "sigmoid"]), children),
        st.tuples(st.just("fn"), st.sampled_from(["h", "dh"]), st.tuples(st.just("fn"), st.just("sigmoid"), children)),
        st.tuples(st.just("bin"), st.sampled_from(["+", "-", "*"]), children, children),
    )


EXPR = st.recursive(LEAVES, _extend, max_leaves=5)


def text(e):
    k = e[0]
    if k == "num":
        return f"({e[1].numerator}/{e[1].denominator})"
    if k == "var":
        return e[1]
    if k == "fn":
        return f"{e[1]}({text(e[2])})"
    return f"({text(e[2])} {e[1]} {text(e[3])})"


def value(e, v):
    k = e[0]
    if k == "num":
        return mp.mpf(e[1].numerator) / e[1].denominator
    if k == "var":
        return v[e[1]]
    if k == "fn":
        x = value(e[2], v)
        if e[1] == "exp":
            return mp.exp(x)
        if e[1] == "abs":
            return abs(x)
        if e[1] == "sigmoid":
            return 1 / (1 + mp.exp(-x))
        h = lambda t: _h(t, v)  # noqa: E731
        return h(x) if e[1] == "h" else mp.diff(h, x)
    a, b = value(e[2], v), value(e[3], v)
    return a + b if e[1] == "+" else a - b if e[1] == "-" else a * b


def _h(t, v):
    om = 1 / mp.sqrt(t * (1 - t) + v["eps"])
    z = v["alpha"] * mp.log(v["p_ref"] / (1 - v["p_ref"])) + (1 - v["alpha"]) * mp.log(t / (1 - t)) + om / v["beta"]
    return 1 / (1 + mp.exp(-z))


DOMAIN = {"p": (F(1, 50), F(49, 50)), "beta": (F(1, 2), F(2)), "p_ref": (F(1, 10), F(1, 2))}


@given(lhs=EXPR, rhs=EXPR, op=st.sampled_from(["<", ">", "<=", ">="]), alpha=st.sampled_from(["1", "0", "0.25"]))
def test_random_predicates_are_decided_soundly(lhs, rhs, op, alpha):
    pred = f"{text(lhs)} {op} {text(rhs)}"
    toml = (f'[[claim]]\nid = "fuzz"\nnorm = "std"\npredicate = "{pred}"\nboxes = 120\nsearch = 8\n'
            f'[claim.domain]\np = {{min = 0.02, max = 0.98}}\nbeta = {{min = 0.5, max = 2}}\n'
            f'p_ref = {{min = 0.1, max = 0.5}}\neps = "1e-3"\nalpha = {alpha}\n')
    res = check_text(toml)[0]

    def truth(pt):
        with mp.workdps(60):
            v = {k: mp.mpf(F(x).numerator) / F(x).denominator for k, x in pt.items()}
            v["eps"], v["alpha"] = mp.mpf("1e-3"), mp.mpf(F(alpha).numerator) / F(alpha).denominator
            a, b = value(lhs, v), value(rhs, v)
            if abs(a - b) < mp.mpf(10) ** -30:
                return None  # too close to call in the reference
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    if res.verdict == "refuted":
        pt = res.result.evidence["counterexample"]["point"]
        assert truth({k: pt[k] for k in ("p", "beta", "p_ref")}) is not True, pred
    elif res.verdict == "certified":
        rng = random.Random(1)
        for _ in range(15):
            pt = {k: lo + (hi - lo) * F(rng.randint(0, 1000), 1000) for k, (lo, hi) in DOMAIN.items()}
            assert truth(pt) is not False, (pred, pt)
