"""The clipped PoS map and `dynamics --clip`, against independent routes: the closed form
derived in symbolic/clipped.py (written separately, with sorted thresholds), the
brute-force maximiser of the clipped objective on a finite outcome space, and plain
mpmath iteration at high precision."""

from __future__ import annotations

import random
import subprocess
import sys
from fractions import Fraction

import mpmath as mp
import pytest

from grpo_symbolic.exact.clipped import ClippedMap, clipped_dynamics
from grpo_symbolic.exact.dynamics import compute_dynamics
from grpo_symbolic.params import Params
from grpo_symbolic.symbolic.clipped import clipped_step_logit
from grpo_symbolic.training.clip_bruteforce import brute_force_step, tilt


def _mp(x):
    x = Fraction(x)
    return mp.mpf(x.numerator) / x.denominator


def _closed_form_step(P: Params, L):
    return clipped_step_logit(L, mp.log(_mp(P.p_ref)) - mp.log(1 - _mp(P.p_ref)), _mp(P.beta), _mp(P.alpha), P.norm,
                              _mp(P.eps), _mp(P.clip), _mp(P.clip_high))


def test_kernel_map_matches_the_derived_closed_form():
    rng = random.Random(7)
    with mp.workdps(60):
        for _ in range(200):
            P = Params.parse(norm=rng.choice(["std", "mean"]), beta=rng.choice(["0.1", "1", "5"]),
                             alpha=rng.choice(["0", "0.3", "1"]), eps=rng.choice(["1e-5", "0.01"]),
                             p_ref=rng.choice(["0.001", "0.2", "0.9"]), clip=rng.choice(["0", "0.1", "0.2", "0.5"]),
                             clip_high=rng.choice(["0", "0.2", "0.28", "3"]))
            L = mp.mpf(rng.uniform(-15, 15))
            got, want = ClippedMap(P).g_mp(L), _closed_form_step(P, L)
            assert abs(got - want) <= mp.mpf(10) ** -50 * (1 + abs(want))


@pytest.mark.parametrize("kw", [dict(norm="std", beta="1", alpha="1", eps="1e-3", p_ref="0.2"),
                                dict(norm="mean", beta="0.5", alpha="0", p_ref="0.3"),
                                dict(norm="std", beta="2", alpha="0.5", eps="1e-3", p_ref="0.05")])
def test_orbit_matches_the_brute_force_maximiser(kw):
    """The first iterates of the kernel's map equal the PoS of the brute-force maximiser of
    the clipped objective on a 5-outcome space, started from pi_ref."""
    P = Params.parse(**kw, clip="0.2", clip_high="0.28")
    cm = ClippedMap(P)
    S = (0, 1)
    shape = [Fraction(3, 10), Fraction(1, 10), Fraction(1, 4), Fraction(3, 20), Fraction(1, 5)]
    ref = [r * P.p_ref / Fraction(2, 5) if o in S else r * (1 - P.p_ref) / Fraction(3, 5) for o, r in enumerate(shape)]
    with mp.workdps(40):
        ref = [_mp(r) for r in ref]
        pi, L = tilt(ref, S, _mp(P.p_ref)), cm.base.L_ref_mp()
        for _ in range(4):
            pi, p = brute_force_step(ref, pi, S, beta=_mp(P.beta), alpha=_mp(P.alpha), norm=P.norm, eps=_mp(P.eps),
                                     eps_low=_mp(P.clip), eps_high=_mp(P.clip_high))
            L = cm.g_mp(L)
            assert abs(p - 1 / (1 + mp.exp(-L))) < mp.mpf(10) ** -25


CASES = [  # (variant, clip) spanning std/mean, alpha in {1, 0.5, 0}, clip 0.1 / 0.2 / 0.28 / DAPO
    (dict(beta="1", p_ref="0.2", eps="1e-5"), "0.2", None),
    (dict(beta="1", p_ref="0.2", eps="1e-5"), "0.1", None),
    (dict(beta="0.5", p_ref="0.01", eps="1e-3"), "0.28", None),
    (dict(beta="0.2", p_ref="0.2", eps="1e-5"), "0.2", None),
    (dict(norm="mean", beta="1", alpha="0.5", p_ref="0.2"), "0.2", None),
    (dict(norm="mean", beta="0.3", alpha="1", p_ref="0.05"), "0.1", None),
    (dict(beta="1", alpha="0", p_ref="0.2", eps="1e-5"), "0.2", None),
    (dict(norm="mean", beta="2", alpha="0", p_ref="0.5"), "0.1", "0.28"),
    (dict(beta="5", p_ref="0.001", eps="1e-5"), "0.2", None),
    (dict(beta="5", p_ref="0.001", eps="1e-5"), "0.2", "0.28"),
    (dict(beta="2", p_ref="1e-3", eps="1e-4"), "0.2", None),
    (dict(beta="2", alpha="0.5", eps="0.001", p_ref="1e-5"), "0.2", None),
    (dict(beta="2", alpha="0.5", eps="0.001", p_ref="0.3"), "0.28", None),
]


@pytest.mark.parametrize("kw,clip,high", CASES)
def test_dynamics_clip_against_mpmath_iteration(kw, clip, high):
    P = Params.parse(**kw, clip=clip, clip_high=high)
    rep = clipped_dynamics(P, digits=25, steps=20000)
    un = compute_dynamics(P.with_(clip=None), digits=25)
    # the same fixed points and slopes as the unclipped map (clip ranges > 0)
    assert [mp.nstr(f.logit, 20) for f in rep.fixed] == [mp.nstr(f.logit, 20) for f in un.fixed]
    assert [f.stable for f in rep.fixed] == [f.stable for f in un.fixed] and rep.isolation.complete
    o = rep.orbit
    assert o.kind in ("converges", "to_one", "bounded", "cycle")
    cm = ClippedMap(P)
    # iterate until the orbit has settled (a limit reached to 60 digits, 3000 steps inside the
    # trap, past 10^6, or past 200 for an orbit certified to go to 1), at most 30000 steps
    settle = 3000 + o.evidence.get("entered_at_step", 0) if o.kind in ("bounded", "cycle") else 30000
    top = 200 if o.kind == "to_one" else 10**6
    with mp.workdps(80):
        L, path = cm.base.L_start_mp(), []
        for _ in range(settle):
            L, prev = _closed_form_step(P, L), L
            path.append(L)
            if L > top or abs(L - prev) < mp.mpf(10) ** -60 * (1 + abs(L)):
                break
        if o.kind == "converges":
            assert abs(L - o.points[0]) < mp.mpf(10) ** -20 * (1 + abs(L))
        elif o.kind == "to_one":
            assert all(b > a for a, b in zip(path, path[1:])) and L > 100
        elif o.kind == "bounded":
            lo, hi = (mp.mpf(x) for x in o.evidence["trapping_interval"])
            n = o.evidence["entered_at_step"]
            assert all(lo - mp.mpf(10) ** -12 <= x <= hi + mp.mpf(10) ** -12 for x in path[n:])


def test_mirror_clip_rate_near_one():
    """Mirror GRPO with clipping near p = 1: 1 - p shrinks by exactly 1 - eps_low per step once
    the failure clip binds (here exp(-Omega(1)/beta) < 1 - eps_low)."""
    P = Params.parse(norm="mean", beta="0.5", alpha="0", p_ref="0.5", clip="0.2")
    cm = ClippedMap(P)
    with mp.workdps(60):
        L = mp.mpf(30)
        ratio = (1 / (1 + mp.exp(cm.g_mp(L)))) / (1 / (1 + mp.exp(L)))
        assert abs(ratio - mp.mpf("0.8")) < mp.mpf(10) ** -10


@pytest.mark.parametrize("bad", [["--clip", "-0.1"], ["--clip", "1"], ["--clip", "nan"], ["--clip-high", "0.2"],
                                 ["--clip", "0.2", "--clip-high", "-1"], ["--clip", "1e999999"]])
def test_bad_clip_values_one_line_exit_2(bad):
    r = subprocess.run([sys.executable, "-m", "grpo_symbolic", "dynamics", *bad], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_dynamics_clip_json_contract():
    r = subprocess.run([sys.executable, "-m", "grpo_symbolic", "dynamics", "--beta", "5", "--p-ref", "0.001",
                        "--clip", "0.2", "--clip-high", "0.28", "--digits", "12", "--json"],
                       capture_output=True, text=True, timeout=300)
    import json

    d = json.loads(r.stdout)
    assert d["params"]["clip"] == {"low": "0.2", "high": "0.28"}
    assert d["orbit"]["kind"] == "bounded" and len(d["fixed_points"]) == 3
