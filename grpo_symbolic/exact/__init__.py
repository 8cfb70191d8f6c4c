"""Exact dynamics of the PoS map: certified fixed points, stability and orbits.

Everything is computed in log-odds ``L = logit(p)`` so that fixed points at
``p = 1 - 1e-600`` (``L ~ 1381.6``) or much closer to 1 are ordinary numbers.
Arb balls (python-flint) give rigorous enclosures; mpmath refines to any number
of digits.
"""

from .arbutil import arb_prec  # noqa: F401
from .weights import MeanWeights, StdWeights, Weights, weights_for  # noqa: F401
from .logit_map import LogitMap  # noqa: F401
