"""The float64 clipped map ``grpo_symbolic.exact.clipped.g_np`` against the mpmath one
(``ClippedMap.g_mp``) at random points: relative agreement 1e-12 (relative to
``max(1, |g_c(L)|)``: log-odds near 0 are compared absolutely)."""

from __future__ import annotations

import doctest

import mpmath as mp
import numpy as np
import pytest

from grpo_symbolic.exact import clipped as C
from grpo_symbolic.exact.clipped import ClippedMap, g_np
from grpo_symbolic.params import Params

TOL = 1e-12

VARIANTS = [
    dict(norm="std", beta="5", alpha="1", eps="1e-5", p_ref="1e-3", clip="0.2"),
    dict(norm="std", beta="0.5", alpha="0", eps="1e-5", p_ref="0.2", clip="0.2"),
    dict(norm="std", beta="2", alpha="0.7", eps="1e-3", p_ref="1e-5", clip="0.2", clip_high="0.28"),
    dict(norm="mean", beta="1", alpha="0", p_ref="0.5", clip="0.2"),
    dict(norm="mean", beta="0.3", alpha="0.5", p_ref="0.9", clip="0.1", clip_high="0.5"),
    dict(norm="std", beta="3", alpha="1", eps="0", p_ref="0.05", clip="0.3", clip_high="0"),
    dict(norm="std", beta="1", alpha="0.2", eps="1e-2", p_ref="0.3", clip="0", clip_high="0.2"),
]


def _reference(cm: ClippedMap, L: np.ndarray) -> np.ndarray:
    with mp.workdps(40):
        return np.array([float(cm.g_mp(mp.mpf(float(x)))) for x in L])


def _assert_close(got, ref):
    err = np.abs(got - ref) / np.maximum(1.0, np.abs(ref))
    assert np.all(np.isfinite(got)), got[~np.isfinite(got)]
    assert err.max() <= TOL, (err.max(), int(err.argmax()))


@pytest.mark.parametrize("k", range(len(VARIANTS)),
                         ids=["-".join(f"{a}={v}" for a, v in kw.items()) for kw in VARIANTS])
def test_g_np_matches_g_mp_at_random_points(k):
    cm = ClippedMap(Params.parse(**VARIANTS[k]))
    rng = np.random.default_rng(1000 + k)
    L = np.concatenate([rng.uniform(-12, 12, 300), rng.uniform(-60, 60, 100), [0.0, -30.0, 30.0, 40.0]])
    _assert_close(g_np(cm, L), _reference(cm, L))


def test_g_np_keeps_the_shape():
    cm = ClippedMap(Params.parse(**VARIANTS[0]))
    L = np.linspace(-8, 8, 12).reshape(3, 4)
    out = g_np(cm, L)
    assert out.shape == (3, 4)
    assert np.ndim(g_np(cm, 0.5)) == 0


def test_g_np_broadcasts_beta_and_p_ref():
    """Overriding beta and L_ref per cell equals the map of the variant with those values."""
    base = dict(norm="std", alpha="1", eps="1e-5", clip="0.2")
    cm = ClippedMap(Params.parse(beta="1", p_ref="0.5", **base))
    rng = np.random.default_rng(7)
    betas = np.array([0.5, 2.0, 5.0, 40.0])
    p_refs = np.array([1e-6, 1e-3, 0.1, 0.6, 0.99])
    L = rng.uniform(-15, 15, (betas.size, p_refs.size))
    L_refs = np.log(p_refs) - np.log1p(-p_refs)
    got = g_np(cm, L, beta=betas[:, None], L_ref=L_refs[None, :])
    assert got.shape == L.shape
    for i, b in enumerate(betas):
        for j, pr in enumerate(p_refs):
            other = ClippedMap(Params.parse(beta=b, p_ref=pr, **base))
            _assert_close(np.array([got[i, j]]), _reference(other, L[i, j:j + 1]))


def test_g_np_at_extreme_log_odds_is_finite():
    cm = ClippedMap(Params.parse(**VARIANTS[1]))
    L = np.array([-700.0, -300.0, 300.0, 700.0])
    _assert_close(g_np(cm, L), _reference(cm, L))


def test_doctest():
    res = doctest.DocTestFinder().find(C.g_np, "g_np", globs=vars(C))
    runner = doctest.DocTestRunner()
    for t in res:
        runner.run(t)
    assert runner.failures == 0 and runner.tries > 0
