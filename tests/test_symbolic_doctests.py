"""The docstring examples of the symbolic layer run."""

import doctest
import importlib

import pytest

MODULES = ["domains", "rewrites", "derivation", "finite_space", "weights", "contrastive", "policy",
           "recurrence", "stability", "variants", "numeric", "symbols", "__init__"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    mod = importlib.import_module("grpo_symbolic.symbolic" + ("" if name == "__init__" else f".{name}"))
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0
