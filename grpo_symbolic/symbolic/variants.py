r"""The six GRPO variants and the entry point :func:`derive`.

A variant is ``norm`` in {std, mean} times ``alpha`` (weight on KL(pi||pi_ref)):
``1`` (reference only), ``0`` (mirror), or ``0 < alpha < 1`` (two-KL); ``alpha`` may
also be ``"symbolic"`` (general alpha in [0, 1]).

>>> [d.name for d in derive("mean", 0)][:2]
['weights[mean]', 'contrastive[no-clip]']
"""

from __future__ import annotations

import time

import sympy as sp

from .contrastive import contrastive
from .finite_space import FiniteSpace
from .policy import optimal_policy
from .recurrence import recurrence
from .stability import stability
from .symbols import alpha_label, as_alpha
from .weights import NORMS, weights

__all__ = ["derive", "VARIANTS", "variant_info", "check_all"]

#: the paper's six variants (alpha = 1/2 stands for 0 < alpha < 1)
VARIANTS = tuple((n, a) for n in NORMS for a in (sp.Integer(1), sp.Integer(0), sp.Rational(1, 2)))


def derive(norm: str = "std", alpha=1, space: FiniteSpace | None = None) -> list:
    """The ordered derivations of one variant: weights, contrastive (no clip, clip),
    optimal policy, PoS recurrence, stability."""
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")
    a = as_alpha(alpha)
    fs = space or FiniteSpace()
    return [weights(norm), contrastive(False, fs), contrastive(True, fs),
            optimal_policy(norm, a, fs), recurrence(norm, a, fs), stability(norm, a)]


def variant_info(norm: str, alpha, space: FiniteSpace | None = None) -> dict:
    a = as_alpha(alpha)
    fs = space or FiniteSpace()
    anchor = ("symbolic" if not a.is_number else "ref" if a == 1 else "mirror" if a == 0 else "two-kl")
    return {"norm": norm, "alpha": alpha_label(a), "anchor": anchor, "K": fs.K,
            "success": list(fs.S)}


def check_all(derivations) -> tuple:
    """``(ok, seconds, failed step names)`` of checking every step."""
    t0 = time.perf_counter()
    failed = []
    for d in derivations:
        res = d.check()
        failed += [f"{d.name}:{n}" for n in res.failed]
    return not failed, time.perf_counter() - t0, failed
