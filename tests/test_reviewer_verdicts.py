"""Verdicts of reviewer claims against independent routes, and deliberately false
variants that must come out refuted or undecided — never certified."""

from fractions import Fraction as F

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grpo_symbolic.reviewer import check_text


def claim(predicate, domain, norm="std", cid="c", **extra):
    lines = ["[[claim]]", f'id = "{cid}"', f"norm = {norm!r}".replace("'", '"'),
             f"predicate = {predicate!r}" if '"' in predicate else f'predicate = "{predicate}"']
    for k, v in extra.items():
        lines.append(f"{k} = {v}")
    lines.append("[claim.domain]")
    for k, v in domain.items():
        lines.append(f"{k} = {v}")
    return "\n".join(lines) + "\n"


def verdict(predicate, domain, **kw):
    res = check_text(claim(predicate, domain, **kw))[0]
    return res.verdict, res.to_json()


# ------------------------------------------------- independent references
def G_ref(L, beta, eps, p_ref, alpha=1):
    """G(L) = g(L) - L in log-odds, straight from the paper's Omega (mpmath)."""
    p = 1 / (1 + mp.exp(-L))
    om = 1 / mp.sqrt(p * (1 - p) + eps)
    Lr = mp.log(p_ref / (1 - p_ref))
    return alpha * Lr + (1 - alpha) * L + om / beta - L


def fixed_points_ref(beta, eps, p_ref):
    """Fixed points in p: sign changes of G on a fine float64 log-odds grid covering
    [L_ref + inf Omega/beta, L_ref + sup Omega/beta], refined by mpmath bisection."""
    b, e, r = float(beta), float(eps), float(p_ref)
    Lr = np.log(r / (1 - r))
    Ls = np.linspace(Lr + 1.9 / b, Lr + 1 / (b * np.sqrt(e)) + 1, 400_001)
    x = np.exp(-np.abs(Ls))
    G = Lr + 1 / np.sqrt(x / (1 + x) ** 2 + e) / b - Ls
    idx = np.nonzero(np.sign(G[:-1]) != np.sign(G[1:]))[0]
    roots = []
    with mp.workdps(30):
        for i in idx:
            f = lambda L: G_ref(L, mp.mpf(beta), mp.mpf(eps), mp.mpf(p_ref))  # noqa: E731
            rt = mp.findroot(f, (mp.mpf(Ls[i]), mp.mpf(Ls[i + 1])), solver="bisect")
            roots.append(1 / (1 + mp.exp(-rt)))
    return roots


def orbit_ref(beta, eps, p_ref, steps=20000):
    """The orbit in float64 log-odds; returns the last 6 iterates."""
    Lr = np.log(p_ref / (1 - p_ref))
    L = Lr
    out = []
    for n in range(steps):
        p = 1 / (1 + np.exp(-L))
        L = Lr + 1 / np.sqrt(p * (1 - p) + eps) / beta
        out.append(L)
    return out[-6:]


GRID = {"beta": "[0.5, 1, 5]", "eps": '["1e-5", "1e-3"]', "p_ref": "[0.001, 0.2, 0.9]"}


def test_amplification_certified_and_matches_independent_roots():
    v, js = verdict("len(fixed_points) >= 1 and all(fp.p > p_ref for fp in fixed_points)", GRID)
    assert v == "certified" and js["evidence"]["points"] == 18
    for beta in ("0.5", "1", "5"):
        for eps in ("1e-5", "1e-3"):
            for p_ref in ("0.001", "0.2", "0.9"):
                roots = fixed_points_ref(beta, eps, p_ref)
                assert roots and all(r > mp.mpf(p_ref) for r in roots)
                # the number of fixed points, as the engine sees it
                n = len(roots)
                v1, _ = verdict(f"len(fixed_points) == {n}", {"beta": beta, "eps": f'"{eps}"', "p_ref": p_ref})
                assert v1 == "certified", (beta, eps, p_ref, n)


@pytest.mark.parametrize("mutant,domain", [
    ("all(fp.p < p_ref for fp in fixed_points)", GRID),  # flipped inequality
    ("all(fp.p > 2 * p_ref for fp in fixed_points)", GRID),  # changed constant (p_ref = 0.9: 1.8)
    ("all(fp.p > p_ref + 0.5 for fp in fixed_points)", GRID),  # changed constant
    ("len(fixed_points) >= 1 and all(fp.p > p_ref for fp in fixed_points)",
     {**GRID, "alpha": "[0, 1]"}),  # missing hypothesis alpha > 0 (mirror: no fixed point)
    ("all(fp.stable for fp in fixed_points)", GRID),  # not every fixed point is stable
])
def test_false_variants_refuted(mutant, domain):
    v, js = verdict(mutant, domain)
    assert v == "refuted", js["summary"]
    cex = js["evidence"]["counterexample"]
    assert cex["command"].startswith("grpo-symbolic dynamics --norm std")


def test_counterexample_reproduces_with_the_dynamics_command(capsys):
    import json
    import shlex

    from grpo_symbolic.cli import main

    v, js = verdict("orbit.kind == 'converges'", {"beta": "[1, 5]", "eps": '"1e-5"', "p_ref": "[0.2, 0.001]"})
    assert v == "refuted"
    cex = js["evidence"]["counterexample"]
    assert cex["point"] == {"norm": "std", "beta": "5", "alpha": "1", "eps": "0.00001", "p_ref": "0.001"}
    assert cex["orbit"]["kind"] == "cycle" and cex["orbit"]["period"] == "2"
    argv = shlex.split(cex["command"])[1:]
    assert main(argv) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["orbit"]["kind"] == "cycle" and d["orbit"]["period"] == 2


def test_cycle_matches_float_simulation():
    tail = orbit_ref(5.0, 1e-5, 0.001)
    assert abs(tail[-1] - tail[-3]) < 1e-9 and abs(tail[-1] - tail[-2]) > 1  # period 2
    lo, hi = sorted(float(x) for x in 1 / (1 + np.exp(-np.array(tail[-2:]))))
    dom = {"beta": 5, "eps": '"1e-5"', "p_ref": 0.001}
    v, js = verdict(f"orbit.kind == 'cycle' and orbit.period == 2 and abs(min(orbit.points) - {lo!r}) < 1e-9 "
                    f"and abs(max(orbit.points) - {hi!r}) < 1e-9 and abs(orbit.multiplier) < 1", dom)
    assert v == "certified", js["summary"]
    for mutant in ("orbit.period == 3", "orbit.period == 1", "orbit.kind == 'to_one'",
                   f"abs(max(orbit.points) - {hi + 1e-6!r}) < 1e-9", "orbit.limit > 0"):
        assert verdict(mutant, dom)[0] == "refuted", mutant


def test_mirror_orbit_and_iterates():
    dom = {"alpha": 0, "beta": "[0.5, 2]", "eps": '["1e-5", "1e-3"]', "p_ref": "[0.001, 0.2]"}
    assert verdict("orbit.kind == 'to_one' and orbit.limit == 1 and len(fixed_points) == 0", dom)[0] == "certified"
    assert verdict("all(p_n(n) > p_n(n - 1) for n in range(1, 101))", dom)[0] == "certified"
    assert verdict("all(p_n(n) < p_n(n - 1) for n in range(1, 101))", dom)[0] == "refuted"
    # each mirror step adds at least inf Omega / beta = 2/sqrt(1 + 4 eps)/beta to the log-odds
    assert verdict("all(L_n(n) - L_n(n - 1) >= 1.99 / beta for n in range(1, 60))", dom)[0] == "certified"
    assert verdict("all(L_n(n) - L_n(n - 1) >= 2.01 / beta for n in range(1, 60))", dom)[0] == "refuted"


def test_iterates_match_mpmath_recurrence():
    with mp.workdps(60):
        beta, eps, Lr = mp.mpf(2), mp.mpf("1e-5"), mp.log(mp.mpf("0.2") / mp.mpf("0.8"))
        L = Lr
        for _ in range(7):
            p = 1 / (1 + mp.exp(-L))
            L = Lr + 1 / mp.sqrt(p * (1 - p) + eps) / beta
        p7 = 1 / (1 + mp.exp(-L))
    s = mp.nstr(p7, 30)
    dom = {"beta": 2, "eps": '"1e-5"', "p_ref": 0.2}
    assert verdict(f"abs(p_n(7) - {s}) < 1e-25", dom)[0] == "certified"
    assert verdict(f"abs(p_n(7) - {s}) > 1e-20", dom)[0] == "refuted"
    assert verdict(f"abs(p_n(6) - {s}) < 1e-25", dom)[0] == "refuted"


def test_unbounded_quantifier_over_iterates():
    grid = {"beta": "[0.5, 1, 2, 5]", "eps": '"1e-5"', "p_ref": "[0.001, 0.2, 0.9]"}
    # every iterate, not only the limit, exceeds p_ref (converging orbits and 2-cycles)
    v, js = verdict("all(p_n(n) > p_ref for n in count(1))", grid)
    assert v == "certified", js["summary"]
    assert verdict("all(p_n(n) > p_ref for n in count(0))", grid)[0] == "refuted"  # p_0 = p_ref
    one = {"beta": 1, "eps": '"1e-5"', "p_ref": 0.2}
    fp = fixed_points_ref("1", "1e-5", "0.2")[0]
    assert verdict(f"all(abs(p_n(n) - {mp.nstr(fp, 15)}) < 1e-3 for n in count(20))", one)[0] == "certified"
    assert verdict(f"all(abs(p_n(n) - {mp.nstr(fp, 15)}) < 1e-3 for n in count(0))", one)[0] == "refuted"
    assert verdict(f"any(p_n(n) > {mp.nstr(fp - mp.mpf('1e-7'), 15)} for n in count(0))", one)[0] == "certified"
    assert verdict(f"any(p_n(n) > {mp.nstr(fp + mp.mpf('1e-3'), 15)} for n in count(2))", one)[0] == "certified"
    assert verdict(f"any(p_n(n) > {mp.nstr(fp + mp.mpf('1e-3'), 15)} for n in count(20))", one)[0] == "refuted"
    cyc = {"beta": 5, "eps": '"1e-5"', "p_ref": 0.001}
    assert verdict("all(abs(p_n(n + 2) - p_n(n)) < 1e-3 for n in count(200))", cyc)[0] == "certified"
    assert verdict("all(abs(p_n(n + 1) - p_n(n)) < 1e-3 for n in count(200))", cyc)[0] == "refuted"


def test_overshoot_found_by_count_matches_mpmath():
    """beta = 1, p_ref = 0.2: g' < 0 at the fixed point, so the orbit overshoots and is
    not monotone; the checker refutes monotonicity at the first decrease."""
    v, js = verdict("all(p_n(n + 1) > p_n(n) for n in count(0))", {"beta": 1, "eps": '"1e-5"', "p_ref": 0.2})
    assert v == "refuted"
    n_fail = int(js["evidence"]["counterexample"]["failed"][0]["where"]["n"])
    with mp.workdps(40):
        Lr = mp.log(mp.mpf("0.2") / mp.mpf("0.8"))
        Ls = [Lr]
        for _ in range(n_fail + 2):
            p = 1 / (1 + mp.exp(-Ls[-1]))
            Ls.append(Lr + 1 / mp.sqrt(p * (1 - p) + mp.mpf("1e-5")))
        assert all(Ls[k + 1] > Ls[k] for k in range(n_fail)) and Ls[n_fail + 1] < Ls[n_fail]


def test_unbounded_quantifier_without_a_bounded_trap_is_undecided():
    # mirror: p_n -> 1, no bounded invariant set; true but not certifiable this way
    v, js = verdict("all(p_n(n) > p_ref for n in count(1))", {"alpha": 0, "beta": 1, "eps": '"1e-5"', "p_ref": 0.2})
    assert v == "undecided"
    # the same with a bounded quantifier is certified
    assert verdict("all(p_n(n) > p_ref for n in range(1, 1001))",
                   {"alpha": 0, "beta": 1, "eps": '"1e-5"', "p_ref": 0.2})[0] == "certified"


MAP_BOX = {"p": "{gt = 0, lt = 1}", "beta": "{min = 0.2, max = 5}", "eps": '{min = "1e-6", max = "0.1"}',
           "p_ref": "{min = 0.01, max = 0.99}"}


def test_map_claim_certified_by_branch_and_bound():
    v, js = verdict("h(p) > p_ref", MAP_BOX)
    assert v == "certified"
    assert js["evidence"]["kind"] == "interval" and js["evidence"]["covered_fraction"] == 1.0


@pytest.mark.parametrize("mutant,domain", [
    ("h(p) < p_ref", MAP_BOX),  # flipped
    ("h(p) > p_ref + 0.3", MAP_BOX),  # changed constant
    ("h(p) > p", MAP_BOX),  # wrong comparison target (false above the fixed point)
    ("h(p) > p_ref", {**MAP_BOX, "alpha": "{min = 0, max = 1}"}),  # missing hypothesis alpha = 1
    ("dh(p) > 0", {**MAP_BOX, "alpha": "{min = 0, max = 0.9}"}),  # std map is not monotone
])
def test_false_map_variants_never_certified(mutant, domain):
    v, js = verdict(mutant, domain)
    assert v == "refuted", js["summary"]
    pt = js["evidence"]["counterexample"]["point"]
    # re-check the counterexample independently with mpmath
    with mp.workdps(50):
        vals = {k: mp.mpf(F(pt[k]).numerator) / F(pt[k]).denominator for k in ("beta", "alpha", "eps", "p_ref", "p")}
        om = 1 / mp.sqrt(vals["p"] * (1 - vals["p"]) + vals["eps"])
        lg = lambda x: mp.log(x / (1 - x))  # noqa: E731

        def h(x):
            om = 1 / mp.sqrt(x * (1 - x) + vals["eps"])
            z = vals["alpha"] * lg(vals["p_ref"]) + (1 - vals["alpha"]) * lg(x) + om / vals["beta"]
            return 1 / (1 + mp.exp(-z))
        hp, pr, p = h(vals["p"]), vals["p_ref"], vals["p"]
        dh = mp.diff(h, p)
        truth = {"h(p) < p_ref": hp < pr, "h(p) > p_ref + 0.3": hp > pr + mp.mpf("0.3"), "h(p) > p": hp > p,
                 "h(p) > p_ref": hp > pr, "dh(p) > 0": dh > 0}[mutant]
        assert not truth
        assert om > 0


def test_engine_predicates_on_a_continuum_are_never_certified():
    dom = {"beta": "{min = 0.5, max = 2}", "eps": '"1e-5"', "p_ref": "{min = 0.1, max = 0.5}"}
    v, js = verdict("all(fp.p > p_ref for fp in fixed_points)", dom, search=12)
    assert v == "undecided"
    ev = js["evidence"]
    assert ev["covered_fraction"] == 0.0 and ev["search"]["points"] == 12 and ev["search"]["true"] == 12
    assert "coverage 0" in js["summary"]


def test_search_refutes_on_a_continuum():
    dom = {"beta": "{min = 1, max = 8}", "eps": '"1e-5"', "p_ref": "{gt = 0, lt = 0.5}"}
    v, js = verdict("orbit.kind == 'converges'", dom)
    assert v == "refuted"
    assert js["evidence"]["counterexample"]["orbit"]["kind"] == "cycle"


def test_open_ends_give_partial_coverage_not_certified():
    # min(...) is not rewritten symbolically: plain interval evaluation cannot reach the open
    # ends p -> 0, 1 with eps = 0, so the cover stays partial and says where it is missing
    dom = {**MAP_BOX, "eps": "{min = 0, max = 0.01}", "p_ref": "{min = 0.01, max = 0.99}"}
    v, js = verdict("min(h(p), 1) > p_ref", dom, boxes=300)
    assert v == "undecided"
    assert 0.5 < js["evidence"]["covered_fraction"] < 1
    uncovered = js["evidence"]["interval"]["uncovered"]
    assert uncovered and sum(u["fraction_of_domain"] for u in uncovered) <= 1 - js["evidence"]["covered_fraction"] + 1e-12
    assert "largest uncovered box" in js["summary"]


def test_open_ends_certified_through_the_rewriting():
    # the same claim without min: h(p) > p_ref rewrites to Omega(p)/beta > 0, whose factors
    # have a fixed sign on the closed box, so the open ends (eps = 0, p -> 0, 1) are covered
    dom = {**MAP_BOX, "eps": "{min = 0, max = 0.01}", "p_ref": "{min = 0.01, max = 0.99}"}
    v, js = verdict("h(p) > p_ref", dom, boxes=300)
    assert v == "certified" and js["evidence"]["interval"]["boxes"] <= 10


def test_finite_and_ignored_parameters():
    v, js = verdict("beta > 0 and p_ref < 1", {"beta": "{min = 1, max = 2}", "eps": 0, "p_ref": 0.5})
    assert v == "certified" and "beta" not in js["evidence"].get("ignored_parameters", [])
    v, js = verdict("p_ref < 0.6", {"beta": "{min = 1, max = 2}", "eps": 0, "p_ref": "[0.5, 0.7]"})
    assert v == "refuted" and js["evidence"]["ignored_parameters"] == ["beta", "alpha", "eps"]


def test_undefined_quantities_are_false_and_stability_unknowns():
    dom = {"beta": 5, "eps": '"1e-5"', "p_ref": 0.001}
    assert verdict("orbit.limit > 0", dom)[0] == "refuted"  # a cycle has no limit
    assert verdict("not (orbit.limit > 0)", dom)[0] == "certified"
    assert verdict("log(p_ref - 1) < 0", dom)[0] == "refuted"
    assert verdict("len(boundary_fixed_points) == 0", dom)[0] == "certified"  # alpha = 1, eps > 0
    assert verdict("any(bp.p == 1 and bp.stable for bp in boundary_fixed_points)",
                   {"beta": 1, "eps": 0, "p_ref": 0.3})[0] == "certified"  # eps = 0: p = 1 attracts


def test_json_is_deterministic():
    text = claim("h(p) > p_ref", MAP_BOX, cid="a") + claim(
        "orbit.kind == 'converges'", {"beta": "{min = 1, max = 8}", "eps": '"1e-5"', "p_ref": "{gt = 0, lt = 0.5}"},
        cid="b")
    import json

    a = json.dumps([r.to_json() for r in check_text(text)])
    from grpo_symbolic.reviewer import checker

    checker._ENGINES.clear()
    b = json.dumps([r.to_json() for r in check_text(text)])
    assert a == b


# ------------------------------------------------------ soundness property
FUNCS = ["h(p)", "dh(p)", "p_n(3)", "g(logit(p))"]


@given(f=st.sampled_from(FUNCS), op=st.sampled_from(["<", ">"]), c=st.fractions(-2, 2, max_denominator=20),
       norm=st.sampled_from(["std", "mean"]),
       beta=st.tuples(st.fractions(F(1, 4), 4, max_denominator=8), st.fractions(0, 2, max_denominator=8)),
       alpha=st.sampled_from(["0", "1", "{min = 0, max = 1}", "0.5"]),
       p_ref=st.tuples(st.fractions(F(1, 20), F(19, 20), max_denominator=20), st.fractions(0, F(1, 5), max_denominator=20)))
def test_verdicts_are_sound(f, op, c, norm, beta, alpha, p_ref):
    """Whatever the verdict, it agrees with mpmath: certified claims hold at random
    points, refuted claims fail at their counterexample."""
    b_lo, b_hi = beta[0], beta[0] + beta[1]
    r_lo, r_hi = p_ref[0], min(p_ref[0] + p_ref[1], F(99, 100))
    dom = {"beta": f"{{min = \"{b_lo}\", max = \"{b_hi}\"}}" if b_hi > b_lo else f'"{b_lo}"',
           "alpha": alpha, "eps": '"1e-3"',
           "p_ref": f"{{min = \"{r_lo}\", max = \"{r_hi}\"}}" if r_hi > r_lo else f'"{r_lo}"',
           "p": "{min = 0.01, max = 0.99}"}
    pred = f"{f} {op} {c.numerator}/{c.denominator}"
    res = check_text(claim(pred, dom, norm=norm, boxes=150, search=12))[0]
    js = res.to_json()

    def value(pt):
        with mp.workdps(40):
            v = {k: mp.mpf(F(x).numerator) / F(x).denominator for k, x in pt.items() if k != "norm"}
            eps = v["eps"] if norm == "std" else None

            def z(x):
                om = 1 if eps is None else 1 / mp.sqrt(x * (1 - x) + eps)
                return v["alpha"] * mp.log(v["p_ref"] / (1 - v["p_ref"])) + (1 - v["alpha"]) * mp.log(x / (1 - x)) \
                    + om / v["beta"]

            def h(x):
                return 1 / (1 + mp.exp(-z(x)))
            if f == "h(p)":
                return h(v["p"])
            if f == "dh(p)":
                return mp.diff(h, v["p"])
            if f == "g(logit(p))":
                return z(v["p"])
            # iterate in log-odds (p_3 may be 1 - 1e-100)
            L = mp.log(v["p_ref"] / (1 - v["p_ref"]))
            for _ in range(3):
                ex = mp.exp(-abs(L))
                sL = ex / (1 + ex) ** 2
                om = 1 if eps is None else 1 / mp.sqrt(sL + eps)
                L = v["alpha"] * mp.log(v["p_ref"] / (1 - v["p_ref"])) + (1 - v["alpha"]) * L + om / v["beta"]
            return ("logit", L)

    def holds(pt):
        val = value(pt)
        cc = mp.mpf(c.numerator) / c.denominator
        if isinstance(val, tuple):  # a probability given by its log-odds
            if not 0 < cc < 1:
                return (cc >= 1) if op == "<" else (cc <= 0)
            val, cc = val[1], mp.log(cc / (1 - cc))
        return val < cc if op == "<" else val > cc

    if res.verdict == "refuted":
        pt = dict(js["evidence"]["counterexample"]["point"])
        assert not holds(pt), (pred, pt)
    elif res.verdict == "certified":
        import random

        rng = random.Random(0)
        for _ in range(20):
            pt = {"beta": b_lo + (b_hi - b_lo) * F(rng.random()), "eps": F(1, 1000),
                  "p_ref": r_lo + (r_hi - r_lo) * F(rng.random()), "p": F(1, 100) + F(98, 100) * F(rng.random())}
            pt["alpha"] = F(rng.random()) if alpha.startswith("{") else F(alpha)
            pt = {k: F(v).limit_denominator(10**9) for k, v in pt.items()}
            assert holds(pt), (pred, pt)
