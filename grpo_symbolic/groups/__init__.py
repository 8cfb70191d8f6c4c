"""Exact finite-group (group size ``G``) theory of GRPO with binary rewards.

* :mod:`grpo_symbolic.groups.symbolic`: SymPy derivation of the effective weights
  ``omega_plus_G``, ``omega_minus_G``, ``Omega_G`` (exact binomial sums), the reduction to a
  Bernstein polynomial, the conventions' identities and the ``G -> infinity`` limits, with a
  :func:`~grpo_symbolic.groups.symbolic.checks` list.
* :mod:`grpo_symbolic.exact.group_weights`: the numeric/rigorous
  :class:`~grpo_symbolic.exact.group_weights.GroupWeights` used by the dynamics engine.
"""

from .symbolic import checks  # noqa: F401
