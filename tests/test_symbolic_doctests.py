"""The docstring examples of the symbolic layer, the verification kernel and the golden file run."""

import doctest
import importlib

import pytest

MODULES = ["domains", "rewrites", "derivation", "finite_space", "weights", "contrastive", "policy",
           "recurrence", "stability", "variants", "numeric", "symbols", "general_space", "group_weights", "clipped",
           "__init__"]
OTHERS = ["grpo_symbolic.verify.verdict", "grpo_symbolic.audit.golden", "grpo_symbolic.audit.runner",
          "grpo_symbolic.params"] + [f"grpo_symbolic.exact.{m}" for m in (
              "fixed_points", "orbit", "logit_map", "weights", "group_weights", "dynamics", "clipped", "boundary",
              "arbutil")] + ["grpo_symbolic.numeric.maps", "grpo_symbolic.numeric.phase"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    mod = importlib.import_module("grpo_symbolic.symbolic" + ("" if name == "__init__" else f".{name}"))
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0


@pytest.mark.parametrize("path", OTHERS)
def test_kernel_doctests(path):
    res = doctest.testmod(importlib.import_module(path), optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0
