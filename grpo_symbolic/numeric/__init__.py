"""Vectorised float64 versions of the PoS maps (NumPy), for plots and phase diagrams.

These agree with the exact engine (:mod:`grpo_symbolic.exact`) to float64 rounding
wherever float64 can represent the numbers (tested); they are never used for a
verdict.  Logits stay finite in float64 far beyond where ``p`` itself rounds to 1.
"""

from .maps import dg, g, h, iterate, logit, omega, domega, sigmoid  # noqa: F401
from .phase import classify_orbits, count_fixed_points  # noqa: F401
