"""One call that computes everything the ``dynamics`` command reports.

>>> from grpo_symbolic.params import Params
>>> rep = compute_dynamics(Params.parse(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2"), digits=8)
>>> [fp["p"] for fp in rep.to_json()["fixed_points"]]
['0.68128344', '0.93471359', '1.0000000']
>>> rep.orbit.kind
'converges'
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp

from ..params import Params
from .arbutil import certified_digits, mpf_of_arb_mid
from .boundary import BoundaryFixedPoint, boundary_fixed_points
from .fixed_points import FixedPoint, Isolation, fixed_points
from .logit_map import LogitMap
from .orbit import Orbit, classify_orbit

MAX_DIGITS = 100_000


def fmt(x, digits: int) -> str:
    """``x`` as a decimal string with ``digits`` significant digits."""
    if x == mp.inf:
        return "inf"
    if x == -mp.inf:
        return "-inf"
    if x == 0:
        return "0"
    return mp.nstr(x, digits, strip_zeros=False, min_fixed=-4, max_fixed=digits + 1)


def fmt_ball(b, digits: int) -> str:
    """The midpoint of the Arb ball ``b`` with only its certified significant digits
    (``digits`` when the relative radius is below ``10^-(digits+3)``, fewer otherwise,
    at least one); ``"inf"`` for ``+inf``, ``"0"`` for an exact 0."""
    if not b.is_finite():
        return "inf" if b > 0 else "-inf" if b < 0 else "nan"
    if b.is_exact() and b.is_zero():
        return "0"
    k = max(1, certified_digits(b, digits))
    with mp.workdps(k + 20):
        return fmt(mpf_of_arb_mid(b), k)


@dataclass
class DynamicsReport:
    params: Params
    digits: int
    steps: int
    fixed: list[FixedPoint]
    isolation: Isolation
    boundary: list[BoundaryFixedPoint]
    orbit: Orbit

    # ----------------------------------------------------------------- JSON
    def fixed_point_json(self, f: FixedPoint) -> dict:
        D = self.digits
        with mp.workdps(D + 20):
            return {
                "logit": fmt(f.logit, D),
                "p": fmt(f.p, D),
                "one_minus_p": fmt(f.one_minus_p, D),
                "slope": fmt_ball(f.slope_ball, D),
                "stable": f.stable,
                "certified_radius": mp.nstr(f.radius, 3),
                "isolating_interval": [str(f.box[0]), str(f.box[1])],
            }

    def to_json(self) -> dict:
        D = self.digits
        o = self.orbit
        with mp.workdps(D + 20):
            orbit = {
                "kind": o.kind,
                "period": o.period,
                "logits": [fmt(x, D) for x in o.points],
                "limit_logit": (fmt(o.points[0], D) if o.kind == "converges"
                                else "inf" if o.kind == "to_one" else None),
                "p": [fmt(1 / (1 + mp.exp(-x)), D) for x in o.points],
                "one_minus_p": [fmt(1 / (1 + mp.exp(x)), D) for x in o.points],
                "multiplier": (None if o.multiplier is None else
                               fmt(o.multiplier, D) if o.multiplier_ball is None else fmt_ball(o.multiplier_ball, D)),
                "steps_used": o.steps_used,
                "first_logits": o.trace,
                "evidence": o.evidence,
            }
            boundary = [{"p": str(b.p), "logit": "inf" if b.p == 1 else "-inf",
                         "slope": fmt(b.slope, D) if b.slope_ball is None else fmt_ball(b.slope_ball, D),
                         "stable": b.stable, "reason": b.reason}
                        for b in self.boundary]
        given = dict(self.params.given) or self.params.as_dict()
        if self.params.clip is not None:  # the clip range as given (high defaults to low)
            d = self.params.as_dict()
            low = str(given.get("clip", d["clip"]))
            given["clip"] = {"low": low, "high": str(given.pop("clip_high", d.get("clip_high", low)))}
        return {
            "params": given,
            "variant": self.params.variant_name,
            "digits": D,
            "fixed_points": [self.fixed_point_json(f) for f in self.fixed],
            "boundary_fixed_points": boundary,
            "isolation": {
                "complete": self.isolation.complete,
                "domain": None if self.isolation.domain is None else [str(v) for v in self.isolation.domain],
                "boxes_examined": self.isolation.examined,
                "unresolved": [[str(a), str(b)] for a, b in self.isolation.unresolved],
                "reason": self.isolation.reason,
            },
            "orbit": orbit,
        }


def compute_dynamics(params: Params, digits: int = 30, steps: int = 10_000) -> DynamicsReport:
    """Fixed points (certified, ``digits`` significant digits), boundary fixed
    points and the classified orbit from ``p0`` (default ``p_ref``)."""
    if not 1 <= digits <= MAX_DIGITS:
        raise ValueError(f"digits must lie in [1, {MAX_DIGITS}]")
    if params.clip is not None:
        from .clipped import clipped_dynamics

        return clipped_dynamics(params, digits=digits, steps=steps)
    m = LogitMap(params)
    fixed, iso = fixed_points(m, digits=digits)
    boundary = boundary_fixed_points(m, digits=digits)
    orbit = classify_orbit(m, fixed, digits=digits, steps=steps)
    return DynamicsReport(params, digits, steps, fixed, iso, boundary, orbit)
