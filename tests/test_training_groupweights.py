"""Cross-test: the training code's finite-group weights (torch tensors) against the package's
exact GroupWeights in mpmath (the same kernel, another backend; the independent references are
in tests/test_training_core.py, tests/test_group_weights.py and tests/test_kernel_backends.py)."""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.exact.group_weights import GroupWeights  # noqa: E402
from grpo_symbolic.training.core import omega_pm_group  # noqa: E402

CASES = [(G, conv, eps) for G in (2, 3, 4, 8, 16, 33)
         for conv, eps in (("paper", "0"), ("paper", "1e-5"), ("paper", "0.1"), ("trl", "1e-4"), ("trl", "0"),
                           ("mean", "0"))]
LS = [-12.0, -3.0, -0.7, 0.0, 0.4, 2.5, 9.0]


def _torch_pm(L, G, conv, eps):
    p = torch.sigmoid(torch.tensor(L, dtype=torch.float64))
    wp, wm = omega_pm_group(p, G, conv, float(Fraction(eps)))
    return wp.tolist(), wm.tolist()


@pytest.mark.parametrize("G,conv,eps", CASES)
def test_torch_group_weights_match_groupweights(G, conv, eps):
    gw = GroupWeights(G, conv, Fraction(eps))
    wp, wm = _torch_pm(LS, G, conv, eps)
    with mp.workdps(30):
        for L, a, b in zip(LS, wp, wm):
            ea, eb = (float(x) for x in gw.omega_pm_mp(mp.mpf(L)))
            om = float(gw.omega_mp(mp.mpf(L)))
            scale = max(1.0, abs(om))
            assert abs(a - ea) <= 1e-12 * scale and abs(b - eb) <= 1e-12 * scale, (L, a, ea, b, eb)
            assert abs(a + b - om) <= 1e-12 * scale
