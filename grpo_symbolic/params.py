"""One parameterisation for every GRPO variant of the paper.

A variant is fixed by

* ``norm``: ``"std"`` (mean+variance normalisation, advantage
  ``(r - p)/sqrt(p(1-p) + eps)``, eps inside the square root) or ``"mean"``
  (mean-only, "Dr. GRPO": advantage ``r - p``);
* ``beta > 0``: total KL strength;
* ``alpha`` in ``[0, 1]``: weight on ``KL(pi || pi_ref)``; ``1 - alpha`` goes on
  ``KL(pi || pi_{n-1})``.  Equivalently ``beta_ref = alpha*beta`` and
  ``beta_mirror = (1-alpha)*beta``.  ``alpha = 1`` is the paper's reference-only GRPO,
  ``alpha = 0`` its "mirror" GRPO, ``0 < alpha < 1`` the two-KL variant;
* ``eps >= 0``: the smoothing constant (used by ``norm="std"`` only);
* ``p_ref`` in ``(0, 1)``: probability of success (PoS) of the reference policy;
* ``p0`` in ``(0, 1)``: starting PoS (the paper's start is ``p0 = p_ref``);
* ``group_size`` ``G`` and its advantage ``convention`` (``paper``, ``trl``, ``mean``):
  a finite group (``None``: the population weights);
* ``clip`` in ``[0, 1)`` and ``clip_high >= 0``: PPO-style clipping of the ratio to
  ``[1 - clip, 1 + clip_high]`` (``clip_high`` defaults to ``clip``: TRL's symmetric
  ``epsilon``; DAPO's clip-higher is ``clip=0.2, clip_high=0.28``).  ``None``, the default
  and the paper's theory: no clipping.  The clipped PoS map is
  :class:`grpo_symbolic.exact.clipped.ClippedMap`; training optimises the clipped objective.

The paper's six variants are ``norm`` in {std, mean} times ``alpha`` in {1, 0, (0,1)}.
Numbers are kept as exact rationals (:class:`fractions.Fraction`): they are parsed
from decimal text and converted to mpmath/Arb numbers only at the precision a
computation asks for.

>>> P = Params.parse(norm="std", beta="0.5", alpha="1", eps="1e-5", p_ref="0.2")
>>> P.beta_ref, P.beta_mirror
(Fraction(1, 2), Fraction(0, 1))
>>> P.variant_name
'GRPO (mean+var), KL to pi_ref'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .errors import InputError

NORMS = ("std", "mean")
CONVENTIONS = ("paper", "trl", "mean")

#: inputs are limited to 10^-MAX_EXPONENT .. 10^MAX_EXPONENT (in magnitude, and in the size of
#: a ratio's terms); results (fixed points near 1, slopes) are not limited
MAX_EXPONENT = 4000
_MAX_BITS = int(MAX_EXPONENT * 3.33) + 8

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_RATIO = re.compile(r"^[+-]?\d+/\d+$")


def parse_exact(text, name: str) -> Fraction:
    """Read ``text`` (a decimal such as ``"1e-300"``, a ratio ``"1/3"``, an int,
    a Fraction or a float) as an exact rational.

    Floats are taken at their exact binary value.  NaN, infinities and anything
    that is not a plain number raise :class:`InputError`; nothing is evaluated.

    >>> parse_exact("0.1", "beta")
    Fraction(1, 10)
    >>> parse_exact("2/3", "alpha")
    Fraction(2, 3)
    """
    if isinstance(text, Fraction):
        return text
    if isinstance(text, bool):
        raise InputError(f"{name}: expected a number, got {text!r}")
    if isinstance(text, int):
        if text.bit_length() > _MAX_BITS:
            raise InputError(f"{name}: integer out of range (numbers are limited to 1e-{MAX_EXPONENT} .. "
                             f"1e{MAX_EXPONENT})")
        return Fraction(text)
    if isinstance(text, float):
        if not math.isfinite(text):
            raise InputError(f"{name} must be a finite number, got {text!r}")
        return Fraction(text)
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise InputError(f"{name} must be a finite number, got {text}")
        if text and abs(text.adjusted()) > MAX_EXPONENT:
            raise InputError(f"{name}: exponent out of range (numbers are limited to 1e-{MAX_EXPONENT} .. "
                             f"1e{MAX_EXPONENT})")
        return Fraction(text)
    if not isinstance(text, str):
        raise InputError(f"{name}: expected a number, got {type(text).__name__}")
    s = text.strip()
    if len(s) > 100_000:
        raise InputError(f"{name}: number text too long ({len(s)} characters)")
    if _RATIO.match(s):
        num, den = s.split("/")
        if max(len(num), len(den)) > MAX_EXPONENT:
            raise InputError(f"{name}: ratio terms longer than {MAX_EXPONENT} digits")
        if int(den) == 0:
            raise InputError(f"{name}: division by zero in {s!r}")
        return Fraction(int(num), int(den))
    if not _NUMBER.match(s):
        raise InputError(f"{name} must be a finite decimal number, got {text!r}")
    try:
        d = Decimal(s)
    except InvalidOperation:  # pragma: no cover - regex already filters
        raise InputError(f"{name} must be a finite decimal number, got {text!r}") from None
    if abs(d.adjusted()) > MAX_EXPONENT:
        raise InputError(f"{name}: exponent out of range in {text!r} (numbers are limited to "
                         f"1e-{MAX_EXPONENT} .. 1e{MAX_EXPONENT})")
    return Fraction(d)


def _fmt(x: Fraction) -> str:
    """``x`` as exact decimal or ratio text; an approximate power of ten when its digits would
    run into the thousands (error messages for inputs such as ``1e999999``)."""
    if max(x.numerator.bit_length(), x.denominator.bit_length()) > 10_000:
        e = math.log10(abs(x.numerator)) - math.log10(x.denominator) if x else 0.0
        return f"{'-' if x < 0 else ''}~1e{e:.6g}"
    if x.denominator == 1:
        return str(x.numerator)
    d = Decimal(x.numerator) / Decimal(x.denominator)
    if Fraction(d) == x:
        return format(d, "f") if abs(d.adjusted()) < 8 else str(d)
    return f"{x.numerator}/{x.denominator}"


@dataclass(frozen=True)
class Params:
    """Parameters of one GRPO variant and one prompt (see module docstring)."""

    norm: str
    beta: Fraction
    alpha: Fraction
    eps: Fraction
    p_ref: Fraction
    p0: Fraction | None = None
    group_size: int | None = None
    convention: str | None = None
    clip: Fraction | None = None
    clip_high: Fraction | None = None
    #: the parameters as the user wrote them (kept for reports)
    given: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self):
        for name in ("beta", "alpha", "eps", "p_ref", "p0"):
            x = getattr(self, name)
            if isinstance(x, Fraction) and max(x.numerator.bit_length(), x.denominator.bit_length()) > _MAX_BITS:
                raise InputError(f"{name}: {_fmt(x)} is outside the supported range (numbers are limited to "
                                 f"1e-{MAX_EXPONENT} .. 1e{MAX_EXPONENT}, ratios to {MAX_EXPONENT}-digit terms)")
        if self.norm not in NORMS:
            raise InputError(f"norm must be one of {', '.join(NORMS)}, got {self.norm!r}")
        if not self.beta > 0:
            raise InputError(f"beta must be > 0, got {_fmt(self.beta)}")
        if not 0 <= self.alpha <= 1:
            raise InputError(f"alpha must lie in [0, 1], got {_fmt(self.alpha)}")
        if self.eps < 0:
            raise InputError(f"eps must be >= 0, got {_fmt(self.eps)}")
        if not 0 < self.p_ref < 1:
            raise InputError(f"p_ref must lie strictly between 0 and 1, got {_fmt(self.p_ref)}")
        if self.p0 is not None and not 0 < self.p0 < 1:
            raise InputError(f"p0 must lie strictly between 0 and 1, got {_fmt(self.p0)}")
        if self.group_size is not None:
            if isinstance(self.group_size, bool) or not isinstance(self.group_size, int):
                raise InputError(f"group size must be an integer, got {self.group_size!r}")
            if not 2 <= self.group_size <= 4096:
                raise InputError(f"group size must lie in [2, 4096], got {self.group_size}")
            conv = self.convention or ("mean" if self.norm == "mean" else "paper")
            if conv not in CONVENTIONS:
                raise InputError(f"convention must be one of {', '.join(CONVENTIONS)}, got {conv!r}")
            if (conv == "mean") != (self.norm == "mean"):
                raise InputError(f"convention {conv!r} does not match norm {self.norm!r}")
            object.__setattr__(self, "convention", conv)
        elif self.convention is not None:
            raise InputError("a convention needs a group size (--group-size G)")
        self._check_clip()

    def _check_clip(self) -> None:
        """Read ``clip`` and ``clip_high`` exactly (text, int, float or Fraction); check
        ``0 <= clip < 1`` and ``0 <= clip_high`` (``clip_high`` defaults to ``clip``)."""
        if self.clip is None:
            if self.clip_high is not None:
                raise InputError("clip_high needs clip (the lower clip range, --clip E)")
            return
        clip = parse_exact(self.clip, "clip")  # NaN, infinities, junk, huge exponents -> InputError
        if not 0 <= clip < 1:
            raise InputError(f"clip must lie in [0, 1), got {_fmt(clip)}")
        high = clip if self.clip_high is None else parse_exact(self.clip_high, "clip_high")
        if not 0 <= high <= 10**6:
            raise InputError(f"clip_high must lie in [0, 1e6], got {_fmt(high)}")
        object.__setattr__(self, "clip", clip)
        object.__setattr__(self, "clip_high", high)

    # ------------------------------------------------------------------ build
    @classmethod
    def parse(cls, *, norm="std", beta, alpha="1", eps="0", p_ref, p0=None,
              group_size=None, convention=None, clip=None, clip_high=None) -> "Params":
        """Build from text (or numbers); every value is read exactly.

        ``clip`` may also be the text ``"none"`` (no clipping, as ``None``).
        """
        if clip is not None and str(clip).strip().lower() == "none":
            clip = None
        given = {"norm": norm, "beta": beta, "alpha": alpha, "eps": eps, "p_ref": p_ref}
        optional = {"p0": p0, "group_size": group_size, "convention": convention, "clip": clip,
                    "clip_high": clip_high}
        given.update({k: v for k, v in optional.items() if v is not None})
        given = {k: (v if isinstance(v, (str, int)) else str(v)) for k, v in given.items()}
        if group_size is not None and not isinstance(group_size, int):
            try:
                group_size = int(str(group_size).strip())
            except ValueError:
                raise InputError(f"group size must be an integer, got {group_size!r}") from None
        return cls(
            norm=str(norm),
            beta=parse_exact(beta, "beta"),
            alpha=parse_exact(alpha, "alpha"),
            eps=parse_exact(eps, "eps"),
            p_ref=parse_exact(p_ref, "p_ref"),
            p0=None if p0 is None else parse_exact(p0, "p0"),
            group_size=group_size,
            convention=convention,
            clip=None if clip is None else parse_exact(clip, "clip"),
            clip_high=None if clip_high is None else parse_exact(clip_high, "clip_high"),
            given=given,
        )

    def with_(self, **changes) -> "Params":
        """A copy with some fields changed (re-validated); a new ``clip`` without a
        ``clip_high`` makes the clipping symmetric again."""
        if "clip" in changes and "clip_high" not in changes:
            changes["clip_high"] = None
        return replace(self, **changes)

    # ------------------------------------------------------------- derived
    @property
    def start(self) -> Fraction:
        """The starting PoS: ``p0`` if given, else ``p_ref`` (the paper's start)."""
        return self.p_ref if self.p0 is None else self.p0

    @property
    def beta_ref(self) -> Fraction:
        return self.alpha * self.beta

    @property
    def beta_mirror(self) -> Fraction:
        return (1 - self.alpha) * self.beta

    @property
    def kl_anchor(self) -> str:
        if self.alpha == 1:
            return "ref"
        if self.alpha == 0:
            return "mirror"
        return "two-kl"

    @property
    def variant_name(self) -> str:
        norm = "GRPO (mean+var)" if self.norm == "std" else "Dr. GRPO (mean-only)"
        anchor = {"ref": "KL to pi_ref", "mirror": "mirror (KL to pi_{n-1})",
                  "two-kl": f"two-KL (alpha={_fmt(self.alpha)})"}[self.kl_anchor]
        extra = f", G={self.group_size} ({self.convention})" if self.group_size else ""
        return f"{norm}, {anchor}{extra}"

    def as_dict(self) -> dict:
        """The parameters as exact decimal/ratio text (for JSON)."""
        d = {"norm": self.norm, "beta": _fmt(self.beta), "alpha": _fmt(self.alpha),
             "eps": _fmt(self.eps), "p_ref": _fmt(self.p_ref)}
        if self.p0 is not None:
            d["p0"] = _fmt(self.p0)
        if self.group_size is not None:
            d["group_size"] = self.group_size
            d["convention"] = self.convention
        if self.clip is not None:
            d["clip"] = _fmt(self.clip)
            if self.clip_high != self.clip:
                d["clip_high"] = _fmt(self.clip_high)
        return d
