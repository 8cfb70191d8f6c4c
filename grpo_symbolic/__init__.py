"""grpo_symbolic — machine-checked theory of GRPO with verifiable (binary) rewards.

The package checks, by computation, the statements of arXiv 2503.06639v4
(Mroueh, *Reinforcement Learning with Verifiable Rewards: GRPO's Effective Loss,
Dynamics, and Success Amplification*):

* :mod:`grpo_symbolic.symbolic` derives the effective loss, the optimal policy and
  the probability-of-success (PoS) recurrence with SymPy;
* :mod:`grpo_symbolic.exact` isolates every fixed point of the PoS map with interval
  arithmetic (python-flint Arb balls), refines it to any number of digits with
  mpmath and classifies orbits, all in log-odds so that fixed points at
  ``1 - 1e-600`` are handled exactly;
* :mod:`grpo_symbolic.numeric` holds vectorised float64 versions for plots.
"""

__version__ = "0.1.0"

from .errors import InputError  # noqa: F401
from .params import Params  # noqa: F401
