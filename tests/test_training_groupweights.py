"""Cross-test: the training code's finite-group weights (torch, from the sampled advantage
function itself) against the package's exact GroupWeights (Bernstein form, mpmath), and the
training fallback LocalGroupWeights against both."""

from __future__ import annotations

import importlib.util
from fractions import Fraction

import mpmath as mp
import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.training.core import omega_pm_group  # noqa: E402
from grpo_symbolic.training.theory import LocalGroupWeights, group_weights_source  # noqa: E402

HAS_GW = importlib.util.find_spec("grpo_symbolic.exact.group_weights") is not None
needs_gw = pytest.mark.skipif(not HAS_GW, reason="grpo_symbolic.exact.group_weights (GroupWeights) is absent")

CASES = [(G, conv, eps) for G in (2, 3, 4, 8, 16, 33)
         for conv, eps in (("paper", "0"), ("paper", "1e-5"), ("paper", "0.1"), ("trl", "1e-4"), ("trl", "0"),
                           ("mean", "0"))]
LS = [-12.0, -3.0, -0.7, 0.0, 0.4, 2.5, 9.0]


def _torch_pm(L, G, conv, eps):
    p = torch.sigmoid(torch.tensor(L, dtype=torch.float64))
    wp, wm = omega_pm_group(p, G, conv, float(Fraction(eps)))
    return wp.tolist(), wm.tolist()


@needs_gw
@pytest.mark.parametrize("G,conv,eps", CASES)
def test_torch_group_weights_match_groupweights(G, conv, eps):
    from grpo_symbolic.exact.group_weights import GroupWeights

    gw = GroupWeights(G, conv, Fraction(eps))
    wp, wm = _torch_pm(LS, G, conv, eps)
    with mp.workdps(30):
        for L, a, b in zip(LS, wp, wm):
            ea, eb = (float(x) for x in gw.omega_pm_mp(mp.mpf(L)))
            om = float(gw.omega_mp(mp.mpf(L)))
            scale = max(1.0, abs(om))
            assert abs(a - ea) <= 1e-12 * scale and abs(b - eb) <= 1e-12 * scale, (L, a, ea, b, eb)
            assert abs(a + b - om) <= 1e-12 * scale


@pytest.mark.parametrize("G,conv,eps", [c for c in CASES if c[0] <= 16])
def test_local_fallback_matches_torch(G, conv, eps):
    lw = LocalGroupWeights(G, conv, Fraction(eps))
    wp, wm = _torch_pm(LS, G, conv, eps)
    with mp.workdps(30):
        for L, a, b in zip(LS, wp, wm):
            ea, eb = (float(x) for x in lw.omega_pm_mp(mp.mpf(L)))
            assert abs(a - ea) <= 1e-12 * max(1, abs(ea)) and abs(b - eb) <= 1e-12 * max(1, abs(eb))


def test_source_reports_groupweights_when_present():
    src = group_weights_source()
    assert ("GroupWeights" in src and "fallback" not in src) == HAS_GW
