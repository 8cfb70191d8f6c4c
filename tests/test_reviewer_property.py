"""Property test of the claim checker: random claims built from closed forms, with a random
margin, are never decided the wrong way.

Independent route: the mean-only map is affine in log-odds, so its iterates and fixed point have
closed forms (``L_n = L_ref + (1 - (1 - alpha)^n) / (alpha beta)``, ``L* = L_ref + 1/(alpha beta)``),
and with ``alpha = 1`` the std map is ``h(p) = sigmoid(L_ref + 1/(beta sqrt(p(1-p) + eps)))``;
both are evaluated here with mpmath at 60 digits, never with the package.  A claim stated with a
margin ``m > 0`` in the true direction must never be refuted; the same claim pushed past the value
by ``m`` must never be certified.  (Either may stay undecided.)
"""

from __future__ import annotations

from fractions import Fraction as F

import mpmath as mp
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from grpo_symbolic.reviewer import check_text

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])


def verdict(pred, dom, norm="mean"):
    text = f'[[claim]]\nid = "p"\nnorm = "{norm}"\npredicate = "{pred}"\n[claim.domain]\n{dom}\n'
    return check_text(text)[0].verdict


def num(x) -> str:
    with mp.workdps(60):
        return mp.nstr(x, 45, min_fixed=-10**6, max_fixed=10**6) if abs(x) > mp.mpf("1e-300") else "0"


def frac_text(q: F) -> str:
    return f'"{q.numerator}/{q.denominator}"'


def mean_closed_form(alpha: F, beta: F, p_ref: F, n: int):
    with mp.workdps(60):
        a, b = mp.mpf(alpha.numerator) / alpha.denominator, mp.mpf(beta.numerator) / beta.denominator
        pr = mp.mpf(p_ref.numerator) / p_ref.denominator
        Lr = mp.log(pr / (1 - pr))
        Ln = Lr + (1 - (1 - a) ** n) / (a * b)
        Ls = Lr + 1 / (a * b)
        return Ln, Ls


fractions = st.builds(F, st.integers(1, 99), st.just(100))
betas = st.builds(F, st.integers(1, 400), st.sampled_from([10, 100]))
margins = st.integers(3, 25)


@SETTINGS
@given(alpha=st.builds(F, st.integers(1, 20), st.just(20)), beta=betas, p_ref=fractions,
       n=st.integers(0, 40), margin=margins, up=st.booleans())
def test_mean_iterates_and_fixed_point(alpha, beta, p_ref, n, margin, up):
    Ln, Ls = mean_closed_form(alpha, beta, p_ref, n)
    dom = f"alpha = {frac_text(alpha)}\nbeta = {frac_text(beta)}\np_ref = {frac_text(p_ref)}"
    s = 1 if up else -1  # which side the bound is on
    op, bad = ("<", ">=") if up else (">", "<=")
    with mp.workdps(60):
        margin = mp.mpf(10) ** -margin
        true_bound, false_bound = Ln + s * margin, Ln - s * margin
        fp_true, fp_false = Ls + s * margin, Ls - s * margin
        side = "<" if Ln < Ls else ">"
        tail_bound = Ls + (margin if side == "<" else -margin)
    assert verdict(f"L_n({n}) {op} {num(true_bound)}", dom) != "refuted"
    assert verdict(f"L_n({n}) {op} {num(false_bound)}", dom) != "certified"
    assert verdict(f"L_n({n}) {bad} {num(false_bound)}", dom) != "refuted"
    assert verdict(f"fixed_points[0].logit {op} {num(fp_true)} and len(fixed_points) == 1", dom) != "refuted"
    assert verdict(f"fixed_points[-1].logit {op} {num(fp_false)}", dom) != "certified"
    # every iterate from n on lies on the side of the limit it starts from (monotone orbit)
    assert verdict(f"all(L_n(k) {side} {num(tail_bound)} for k in count({n}))", dom) != "refuted"


@SETTINGS
@given(beta=betas, p_ref=fractions, p=fractions, eps=st.sampled_from(["0", "1e-5", "1/1000"]),
       margin=margins, up=st.booleans())
def test_std_map_value(beta, p_ref, p, eps, margin, up):
    with mp.workdps(60):
        b = mp.mpf(beta.numerator) / beta.denominator
        pr, x = mp.mpf(p_ref.numerator) / p_ref.denominator, mp.mpf(p.numerator) / p.denominator
        e = mp.mpf(F(eps).numerator) / F(eps).denominator
        L = mp.log(pr / (1 - pr)) + 1 / (b * mp.sqrt(x * (1 - x) + e))
        margin = mp.mpf(10) ** -margin
        s = 1 if up else -1
        true_bound, false_bound = L + s * margin, L - s * margin
    op = "<" if up else ">"
    dom = f'beta = {frac_text(beta)}\neps = "{eps}"\np_ref = {frac_text(p_ref)}\np = {frac_text(p)}'
    assert verdict(f"logit(h(p)) {op} {num(true_bound)}", dom, "std") != "refuted"
    assert verdict(f"logit(h(p)) {op} {num(false_bound)}", dom, "std") != "certified"
    assert verdict(f"g(logit(p)) {op} {num(false_bound)}", dom, "std") != "certified"
