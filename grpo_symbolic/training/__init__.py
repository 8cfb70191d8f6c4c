r"""PyTorch cross-check of the theory against real GRPO training (Algorithm 1, App. B).

This sub-package imports :mod:`torch`; the rest of :mod:`grpo_symbolic` never imports
it, so the base package does not depend on PyTorch.  Use
:func:`grpo_symbolic.training.require_torch` for a one-line
:class:`~grpo_symbolic.errors.InputError` when it is missing.

Modules (small, separately tested functions, CS336 style):

* :mod:`.core` -- the maths of one GRPO step: :func:`group_advantages` (conventions
  ``paper``, ``trl``, ``mean``), :func:`clipped_surrogate`, :func:`kl_exact`,
  :func:`kl_k3`, :func:`grpo_loss`, and the expected (finite-group and population)
  advantage weights :func:`omega_pm_group`, :func:`omega_pm_population`;
* :mod:`.policies` -- the two policy families over a finite output set: a tabular
  softmax (:class:`TabularPolicy`) and a tiny autoregressive transformer
  (:class:`TransformerPolicy`) whose ``V**T`` sequences are enumerated exactly;
* :mod:`.loop` -- :class:`GRPOConfig`, :func:`grpo_iteration` (one iteration of
  Algorithm 1, sampled or in exact expectation), :func:`closed_form_step` (the
  non-parametric maximiser) and :func:`train` (a whole run with per-iteration records);
* :mod:`.theory` -- the predictions (population and finite-group PoS recurrences,
  through :class:`grpo_symbolic.exact.logit_map.LogitMap`) and the statistical bands.

Everything is vectorised over prompts (no Python loop over prompts) and runs on
``cpu`` or ``cuda``.
"""

from __future__ import annotations

from ._torch import require_torch, resolve_device  # noqa: F401

__all__ = [
    "require_torch", "resolve_device",
    # re-exported lazily below
    "group_advantages", "clipped_surrogate", "kl_exact", "kl_k3", "grpo_loss",
    "omega_pm_group", "omega_pm_population", "expected_advantages",
    "TabularPolicy", "TransformerPolicy", "make_tabular_policy", "make_transformer_policy",
    "GRPOConfig", "grpo_iteration", "closed_form_step", "train",
]

_LAZY = {
    "group_advantages": "core", "clipped_surrogate": "core", "kl_exact": "core", "kl_k3": "core",
    "grpo_loss": "core", "omega_pm_group": "core", "omega_pm_population": "core",
    "expected_advantages": "core",
    "TabularPolicy": "policies", "TransformerPolicy": "policies",
    "make_tabular_policy": "policies", "make_transformer_policy": "policies",
    "GRPOConfig": "loop", "grpo_iteration": "loop", "closed_form_step": "loop", "train": "loop",
}


def __getattr__(name):  # PEP 562: import torch-heavy modules on first use
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{mod}"), name)
