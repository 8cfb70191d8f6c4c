"""Every step of every derivation checks symbolically and passes the numeric spot check."""

import time
import zlib

import pytest
import sympy as sp

from grpo_symbolic.symbolic import VARIANTS, check_all, derive, optimal_policy, recurrence, stability, weights
from grpo_symbolic.symbolic.symbols import L_ref, alpha, beta, eps, logit, p, p_prev, p_ref

ALL = list(VARIANTS) + [("std", "symbolic"), ("mean", "symbolic")]
IDS = [f"{n}-alpha={a}" for n, a in ALL]


@pytest.mark.parametrize("norm,a", ALL, ids=IDS)
def test_every_step_checks(norm, a):
    ds = derive(norm, a)
    assert [d.name.split("[")[0] for d in ds] == [
        "weights", "contrastive", "contrastive", "optimal_policy", "recurrence", "stability"]
    for d in ds:
        res = d.check()
        assert res.ok, f"{d.name}: failed {res.failed}"


@pytest.mark.parametrize("norm,a", ALL, ids=IDS)
def test_every_step_passes_the_numeric_spot_check(norm, a):
    seen = set()
    for d in derive(norm, a):
        for s in d.steps:
            if id(s) in seen:
                continue
            seen.add(id(s))
            r = s.spot_check(n=6, dps=40, seed=zlib.crc32(f"{norm}{a}{s.name}".encode()) % 1000)
            assert r.ok, f"{d.name}:{s.name}: {r}"


def test_all_variants_check_quickly():
    t0 = time.perf_counter()
    ds = [d for n, a in VARIANTS for d in derive(n, a)]
    ok, seconds, failed = check_all(ds)
    assert ok, failed
    assert time.perf_counter() - t0 < 120      # generous: shared CI machines


def test_weights_results():
    s = weights("std").result
    assert s["Omega"] == 1 / sp.sqrt(p * (1 - p) + eps)
    m = weights("mean").result
    assert (m["omega_plus"], m["omega_minus"], m["Omega"]) == (1 - p, p, 1)


def test_recurrence_results_per_variant():
    std_omega = 1 / sp.sqrt(p_prev * (1 - p_prev) + eps)
    cases = {
        ("std", 1): logit(p_ref) + std_omega / beta,
        ("std", 0): logit(p_prev) + std_omega / beta,
        ("mean", 1): logit(p_ref) + 1 / beta,
        ("mean", 0): logit(p_prev) + 1 / beta,
        ("mean", sp.Rational(1, 2)): (logit(p_ref) + logit(p_prev)) / 2 + 1 / beta,
        ("std", "symbolic"): alpha * logit(p_ref) + (1 - alpha) * logit(p_prev) + std_omega / beta,
    }
    for (norm, a), expected in cases.items():
        got = recurrence(norm, a).result["logit_recurrence"]
        assert sp.expand(got - expected) == 0, (norm, a)


def test_paper_h_form_is_derived_at_alpha_1():
    pm = recurrence("std", 1).result["p_map"]
    h = 1 / (1 + (1 - p_ref) / p_ref * sp.exp(-1 / (beta * sp.sqrt(p_prev * (1 - p_prev) + eps))))
    assert sp.simplify(pm - h) == 0


def test_general_anchor_renyi_sign():
    r = recurrence("std", "symbolic").result
    assert r["renyi_correction"] == (1 - alpha) * (sp.Symbol("D_F", real=True) - sp.Symbol("D_S", real=True))
    assert recurrence("std", 1).result["renyi_correction"] == 0


def test_optimal_policy_closed_forms():
    d1 = optimal_policy("std", 1)
    wp = (1 - p_prev) / sp.sqrt(p_prev * (1 - p_prev) + eps)
    wm = p_prev / sp.sqrt(p_prev * (1 - p_prev) + eps)
    expected = p_ref * sp.exp(wp / beta) + (1 - p_ref) * sp.exp(-wm / beta)
    assert sp.expand(d1.result["Z_variant"] - expected) == 0
    d0 = optimal_policy("mean", 0)
    expected0 = p_prev * sp.exp((1 - p_prev) / beta) + (1 - p_prev) * sp.exp(-p_prev / beta)
    assert sp.expand(d0.result["Z_variant"] - expected0) == 0
    H = optimal_policy("std", "symbolic").result["hessian"]
    assert H.is_diagonal()


def test_stability_results():
    st = stability("std", 1).result
    lemma = p * (1 - p) * (2 * p - 1) / (2 * beta * (p * (1 - p) + eps) ** sp.Rational(3, 2))
    assert sp.simplify(st["lemma1_slope"] - lemma) == 0
    assert stability("mean", sp.Rational(1, 2)).result["g_prime"] == sp.Rational(1, 2)
    fp = stability("std", "symbolic").result["fixed_point_logit"]
    assert sp.simplify(fp - (L_ref + sp.Symbol("Omega_star", positive=True) / (alpha * beta))) == 0
    assert stability("std", 0).result["fixed_point_equation"] is sp.false
    assert "no_interior_fixed_point" in [s.name for s in stability("mean", 0).steps]
    assert "beta_threshold" in stability("std", 1).result


def test_derive_rejects_bad_input():
    with pytest.raises(ValueError):
        derive("var", 1)
    with pytest.raises(ValueError):
        derive("std", sp.Rational(3, 2))
