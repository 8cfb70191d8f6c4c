"""One variant model: :class:`Params` is the only place the variant (norm, beta, alpha, eps,
group size and convention, clip) is stored; training (:class:`GRPOConfig`,
:class:`SimulationSpec`) and ``grpo-symbolic simulate`` read it from there."""

from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction

import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

from grpo_symbolic.cli import build_parser  # noqa: E402
from grpo_symbolic.commands.simulate import build_spec  # noqa: E402
from grpo_symbolic.errors import InputError  # noqa: E402
from grpo_symbolic.params import Params  # noqa: E402
from grpo_symbolic.training import experiment, loop  # noqa: E402
from grpo_symbolic.training.experiment import SimulationSpec, run_simulation  # noqa: E402
from grpo_symbolic.training.loop import CONFIG_KEYS, GRPOConfig  # noqa: E402

#: the variant's fields; ``p_ref`` is per prompt (a spec's list of prompts), ``given`` is bookkeeping
VARIANT = {f.name for f in dataclasses.fields(Params)} - {"p_ref", "given"}

P = Params.parse(norm="std", beta="2", alpha="1/2", eps="1e-3", p_ref="0.3", group_size=4, clip="0.2")


def _dataclasses(module):
    """The dataclasses defined in ``module``."""
    return [c for _, c in inspect.getmembers(module, inspect.isclass)
            if dataclasses.is_dataclass(c) and c.__module__ == module.__name__]


def test_variant_fields_cover_the_variant():
    assert VARIANT >= {"norm", "beta", "alpha", "eps", "group_size", "convention", "clip"}


@pytest.mark.parametrize("module", [loop, experiment], ids=lambda m: m.__name__)
def test_training_has_no_second_variant_model(module):
    """Every training dataclass holds the variant as one ``params: Params`` field, no copy of it."""
    classes = _dataclasses(module)
    assert classes, module
    for cls in classes:
        names = {f.name for f in dataclasses.fields(cls)}
        assert not names & VARIANT, (cls.__name__, names & VARIANT)
        assert [f.name for f in dataclasses.fields(cls) if f.type in (Params, "Params")] == ["params"], cls


def test_variant_keywords_are_refused():
    for key, value in (("beta", 1.0), ("clip", 0.2), ("group_size", 8), ("eps", 1e-5)):
        with pytest.raises(TypeError):
            GRPOConfig(P, **{key: value})
        with pytest.raises(TypeError):
            SimulationSpec(params=P, **{key: value})


def test_config_reads_the_variant_from_params():
    cfg = GRPOConfig(P, mode="expectation")
    assert cfg.params is P
    assert (cfg.beta, cfg.alpha, cfg.eps, cfg.clip) == (2.0, 0.5, 1e-3, 0.2)
    assert (cfg.norm, cfg.group_size, cfg.convention) == ("std", 4, "paper")
    assert tuple(cfg.as_dict()) == CONFIG_KEYS
    assert GRPOConfig(P.with_(clip=None)).clip is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.mode = "sample"


def test_spec_holds_the_params_it_was_given():
    spec = SimulationSpec(params=P, prompts=3)
    assert spec.params == P and spec.config().params == spec.params
    assert spec.p_ref == ("0.3",) and spec.prompt_p_ref() == [0.3, 0.3, 0.3]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.params = P.with_(beta=Fraction(1))


def test_spec_p_ref_list_puts_its_first_value_into_params():
    spec = SimulationSpec(params=P, prompts=3, p_ref=["0.05", "0.5"])
    assert spec.params == P.with_(p_ref=Fraction(1, 20))
    assert spec.prompt_p_ref() == [0.05, 0.5, 0.05]


def test_round_trip_params_spec_report():
    """Params -> SimulationSpec -> the run's report gives the same Params back."""
    spec = SimulationSpec(params=P, prompts=2, outputs=3, iterations=1, mode="expectation", optimizer="lbfgs",
                          inner_steps=1, lr=1.0)
    d = run_simulation(spec)
    assert Params.parse(**d["spec"]["params"]) == P
    assert d["spec"]["params"] == P.as_dict() and d["variant"] == P.variant_name
    cfg = d["config"]
    assert (cfg["beta"], cfg["alpha"], cfg["eps"], cfg["clip"], cfg["group_size"]) == (2.0, 0.5, 1e-3, 0.2, 4)
    assert d["spec"]["clip"] == 0.2 and "clip=0.2" in d["predictions"]["effective"]
    assert d["p_ref"] == pytest.approx([0.3, 0.3], abs=1e-15)


def test_cli_flags_become_one_params():
    args = build_parser().parse_args(["simulate", "--beta", "2", "--alpha", "1/2", "--eps", "1e-3",
                                      "--group-size", "4", "--clip", "0.2", "--p-ref", "0.3,0.6"])
    spec = build_spec(args)
    assert spec.params == P and spec.p_ref == ("0.3", "0.6")
    none = build_spec(build_parser().parse_args(["simulate", "--clip", "none"]))
    assert none.params.clip is None and none.config().clip is None


def _one_line_input_error(build):
    with pytest.raises(InputError) as err:
        build()
    assert "\n" not in str(err.value)
    return str(err.value)


@pytest.mark.parametrize("clip", ["-0.1", "1.5", "nan", "inf", float("nan"), "junk", True])
def test_bad_clip_is_an_input_error(clip):
    assert "clip" in _one_line_input_error(lambda: P.with_(clip=clip))
    assert "clip" in _one_line_input_error(lambda: Params.parse(beta="1", p_ref="0.5", clip=clip))


@pytest.mark.parametrize("kw,word", [
    (dict(params=P.with_(group_size=None, convention=None)), "group size"),
    (dict(params=P, p_ref=["0.2", "1"]), "p_ref"),
    (dict(params=P, p_ref=[]), "p_ref"),
    (dict(params=P, policy="transformer", p_ref=["0.2"]), "p_ref"),
    (dict(params=P, policy="mlp"), "policy"),
    (dict(params=P, level=1.0), "level"),
    (dict(params=P, mode="bogus"), "mode"),
    (dict(params=P, lr=0.0), "lr"),
    (dict(params=P, lr=float("nan")), "lr"),
    (dict(params=P, optimizer="rmsprop"), "optimizer"),
    (dict(params=P, kl="k2"), "kl"),
    (dict(params=P, inner_steps=0), "inner steps"),
    (dict(params=P.as_dict()), "Params"),
])
def test_bad_spec_is_an_input_error(kw, word):
    assert word in _one_line_input_error(lambda: SimulationSpec(**kw))


def test_bad_config_is_an_input_error():
    assert "group size" in _one_line_input_error(lambda: GRPOConfig(P.with_(group_size=None, convention=None)))
    assert "reduction" in _one_line_input_error(lambda: GRPOConfig(P, reduction="max"))
    assert "Params" in _one_line_input_error(lambda: GRPOConfig({"beta": 1}))


@pytest.mark.parametrize("module", ["grpo_symbolic.params", "grpo_symbolic.training.loop"])
def test_docstring_examples(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(module))
    assert res.failed == 0 and res.attempted > 0
