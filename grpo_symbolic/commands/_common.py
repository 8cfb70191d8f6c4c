"""Argument helpers shared by sub-commands."""

from __future__ import annotations

from ..errors import InputError
from ..params import Params


def add_variant_arguments(p, *, defaults: bool = True) -> None:
    """The options that fix one variant and one prompt."""
    d = (lambda v: v) if defaults else (lambda v: None)
    p.add_argument("--norm", default=d("std"), help="std (mean+variance) or mean (mean-only); default std")
    p.add_argument("--beta", default=d("1"), help="KL strength beta > 0 (exact decimal); default 1")
    p.add_argument("--alpha", default=d("1"),
                   help="weight on KL(pi||pi_ref) in [0,1]; 1 - alpha goes on KL(pi||pi_{n-1}); default 1")
    p.add_argument("--eps", default=d("1e-5"), help="smoothing eps >= 0 (inside the square root); default 1e-5")
    p.add_argument("--p-ref", dest="p_ref", default=d("0.2"), help="PoS of pi_ref in (0,1); default 0.2")
    p.add_argument("--p0", default=None, help="starting PoS in (0,1); default p_ref (the paper's pi_0 = pi_ref)")
    p.add_argument("--group-size", dest="group_size", default=None,
                   help="finite group size G >= 2 (default: population statistics, as in the paper)")
    p.add_argument("--convention", default=None, choices=["paper", "trl", "mean"],
                   help="advantage convention with --group-size: paper (eps inside sqrt), "
                        "trl (Bessel std + eps), mean (no std)")


def params_from_args(args) -> Params:
    return Params.parse(norm=args.norm, beta=args.beta, alpha=args.alpha, eps=args.eps,
                        p_ref=args.p_ref, p0=args.p0, group_size=args.group_size,
                        convention=args.convention)


def parse_int(text, name: str, lo: int, hi: int) -> int:
    try:
        v = int(str(text).strip())
    except ValueError:
        raise InputError(f"{name} must be an integer, got {text!r}") from None
    if not lo <= v <= hi:
        raise InputError(f"{name} must lie in [{lo}, {hi}], got {v}")
    return v
