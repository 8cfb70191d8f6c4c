from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from grpo_symbolic.errors import InputError
from grpo_symbolic.params import Params, parse_exact


def test_exact_parsing():
    assert parse_exact("0.1", "x") == Fraction(1, 10)
    assert parse_exact("1e-300", "x") == Fraction(1, 10**300)
    assert parse_exact("2/3", "x") == Fraction(2, 3)


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "", "1e", "0x10", "1/0", "1+1", "os.system", "1e99999999"])
def test_junk_rejected(bad):
    with pytest.raises(InputError):
        parse_exact(bad, "beta")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=8, min_value=-10**6, max_value=10**6))
def test_decimal_round_trip(d):
    assert parse_exact(str(d), "x") == Fraction(d)


def test_variants_and_derived_coefficients():
    P = Params.parse(norm="mean", beta="2", alpha="0.25", p_ref="0.5")
    assert (P.beta_ref, P.beta_mirror) == (Fraction(1, 2), Fraction(3, 2))
    assert P.kl_anchor == "two-kl" and "two-KL" in P.variant_name
    assert Params.parse(beta="1", alpha="0", p_ref="0.5").kl_anchor == "mirror"
    assert Params.parse(beta="1", p_ref="0.5").start == Fraction(1, 2)


@pytest.mark.parametrize("kw", [dict(beta="0"), dict(beta="1", p_ref="1"), dict(beta="1", alpha="-0.1"),
                                dict(beta="1", eps="-1e-9"), dict(beta="1", p0="0"), dict(beta="1", norm="x"),
                                dict(beta="1", group_size="1"), dict(beta="1", group_size="2.5"),
                                dict(beta="1", norm="mean", group_size="4", convention="trl"),
                                dict(beta="1", clip="-0.1"), dict(beta="1", clip="1"), dict(beta="1", clip="1.01"),
                                dict(beta="1", clip="0.2", clip_high="-0.1"), dict(beta="1", clip_high="0.2"),
                                dict(beta="1", clip="nan"), dict(beta="1", clip=float("inf"))])
def test_invalid(kw):
    kw = {"p_ref": "0.5", **kw}
    with pytest.raises(InputError):
        Params.parse(**kw)


def test_clip_is_part_of_the_variant():
    P = Params.parse(beta="1", p_ref="0.5", clip="0.2")
    assert P.clip == Fraction(1, 5) and P.as_dict()["clip"] == "0.2"
    assert Params.parse(**P.as_dict()) == P
    assert P != P.with_(clip=None) and "clip" not in P.with_(clip=None).as_dict()
    assert Params.parse(beta="1", p_ref="0.5", clip="none").clip is None
    assert P.with_(clip=0.25).clip == Fraction(1, 4)  # floats are read exactly, like parse


def test_asymmetric_clip():
    P = Params.parse(beta="1", p_ref="0.5", clip="0.2", clip_high="0.28")
    assert (P.clip, P.clip_high) == (Fraction(1, 5), Fraction(7, 25))
    assert P.as_dict()["clip_high"] == "0.28" and Params.parse(**P.as_dict()) == P
    assert Params.parse(beta="1", p_ref="0.5", clip="0.2").clip_high == Fraction(1, 5)  # symmetric by default
    assert P.with_(clip="0.1").clip_high == Fraction(1, 10)
