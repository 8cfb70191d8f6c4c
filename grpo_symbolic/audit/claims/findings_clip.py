"""Findings beyond the paper: clipped GRPO (FINDINGS.md), decided like the paper's claims.

The derivations are those that ``grpo-symbolic derive --clip`` prints
(:mod:`grpo_symbolic.symbolic.clipped`); the dynamics are the kernel's certified clipped
engine (:mod:`grpo_symbolic.exact.clipped`)."""

from __future__ import annotations

from fractions import Fraction

from ...exact.arbutil import arb_prec, to_arb
from ...exact.clipped import ClippedMap
from ...params import Params
from ...symbolic import clipped as sc
from ...verify.checks import derivation
from ...verify.verdict import Part, certified, combine, fresh, undecided
from ..registry import claim
from ._common import command, dyn, witness

_LOGIC = ("the last step is SymPy-checked; the inference from it is logic: a concave objective is maximised "
          "exactly where its superdifferential contains 0 (the supergradient inequality), uniquely by strict "
          "concavity")


@claim("new-clip-reduction")
def _reduction():
    res = combine([Part("K = 5", "the reduction on a 5-outcome space", derivation(sc.reduction(), "K = 5, S = {0, 1}")),
                   Part("general", "the reduction on an arbitrary finite space",
                        derivation(sc.reduction_general(), "any finite outcome space (n_S, n_F symbolic)"))])
    return fresh(res, reading="at the tilt candidate every outcome's supergradient is a class constant, and the "
                              f"objective's one-sided derivatives along the tilt family are J'_+-(q); {_LOGIC}")


@claim("new-clip-closed-form")
def _closed_form():
    res = derivation(sc.reduced_maximiser(), "every ordering of the thresholds (15 cases)")
    return fresh(res, reading="0 in dJ(q*) is checked by SymPy in each of the 15 cases (orders of u_S, u_F, "
                              f"u_S >= 1); that the cases are exhaustive is logic; {_LOGIC}")


@claim("new-clip-fixed-points")
def _fixed_points():
    sym = derivation(sc.clipped_fixed_points(), "every ordering of the thresholds")
    kw = dict(beta="1", p_ref="0.2", eps="1e-5")
    engine = _engine_same_fixed_points(kw, "0.2")
    return combine([Part("derivation", "clipped fixed points = unclipped ones, equal slopes", sym),
                    Part("engine", "dynamics --clip 0.2 at beta=1, p_ref=0.2: the same certified fixed points",
                         engine)])


def _engine_same_fixed_points(kw: dict, clip: str):
    """A certified witness: the clipped engine's fixed points equal the unclipped ones, and
    on each the unclipped branch is active (Arb), so the slopes are equal."""
    from ...exact.clipped import clipped_dynamics

    P = Params.parse(**kw, clip=clip)
    rep, un = clipped_dynamics(P, digits=20), dyn(**kw, digits=20)
    same = rep.isolation.complete and [str(f.box) for f in rep.fixed] == [str(f.box) for f in un.fixed]
    ev = {"kind": "engine", "command": command(**kw) + f" --clip {clip}",
          "fixed_points": [f["p"] for f in rep.to_json()["fixed_points"]]}
    if not same:
        return undecided("the clipped and unclipped isolations differ or are incomplete", ev)
    return certified(f"{len(rep.fixed)} certified fixed points, identical isolating boxes, unclipped branch active "
                     "on each (Arb)", {"scope": "witness at the stated parameters", "point": {**kw, "clip": clip}},
                     ev)


@claim("new-clip-bounded")
def _bounded():
    kw = dict(beta="5", p_ref="0.001", eps="1e-5")
    unclipped = witness("without clipping the orbit is an attracting 2-cycle (certified)",
                        lambda r: r.orbit.kind == "cycle" and r.orbit.period == 2, **kw)
    clipped = witness("with clip 0.2 the orbit enters a certified trapping interval around p* = 0.0086 and stays",
                      lambda r: r.orbit.kind == "bounded" and _near_interior_fixed_point(r), **kw, clip="0.2")
    return combine([Part("unclipped", "attracting 2-cycle", unclipped), Part("clipped", "trapped near p*", clipped)])


def _near_interior_fixed_point(rep) -> bool:
    lo, hi = (Fraction(x) for x in rep.orbit.evidence["trapping_interval"])
    fp = rep.fixed[0]
    return lo < Fraction(str(fp.logit)[:30]) < hi and hi - lo < 1


@claim("new-clip-mirror-rate")
def _mirror_rate():
    P = Params.parse(norm="mean", beta="0.5", alpha="0", p_ref="0.5", clip="0.2")
    cm = ClippedMap(P)
    with arb_prec(256):
        L = to_arb(40)
        ratio = (1 + L.exp()) / (1 + cm.g_arb(L).exp())  # (1 - p_n) / (1 - p_{n-1})
        unclipped = (-2 * to_arb(1)).exp()  # e^{-Omega/beta}, Omega = 1, beta = 1/2
        ok = abs(ratio - to_arb(Fraction(4, 5))) < to_arb(Fraction(1, 10**15)) and unclipped < to_arb(Fraction(4, 5))
    ev = {"kind": "engine", "ratio_at_L=40": ratio.str(20), "unclipped_ratio": unclipped.str(10),
          "command": "grpo-symbolic dynamics --norm mean --beta 0.5 --alpha 0 --p-ref 0.5 --clip 0.2"}
    if not ok:
        return undecided("the ratio was not certified", ev)
    return certified("at L = 40 (1 - p = 4e-18) the clipped mirror step multiplies 1 - p by 0.8 (Arb, to 1e-15), "
                     "the unclipped one by e^-2 = 0.135", {"scope": "witness at the stated parameters",
                                                          "point": {"norm": "mean", "beta": "0.5", "alpha": "0",
                                                                    "clip": "0.2", "L": "40"}}, ev,
                     reading="the limit as p -> 1 is max(1 - eps_low, e^{-Omega(1)/beta}) (symbolic/clipped.py, "
                             "fixed_points derivation); certified here at one point near p = 1")
