r"""Grid specifications of an atlas: one axis per varied parameter, cells in row-major order.

An axis is written ``LO:HI:SCALE:N`` -- ``N >= 2`` points from ``LO`` to ``HI`` (both
included) equally spaced in ``x`` (``lin``), ``log x`` (``log``, ``0 < LO``) or
``logit x = log(x/(1-x))`` (``logit``, ``0 < LO < HI < 1``) -- or a single number.  The end
points are kept as the exact text given; the interior points are float64 numbers, kept as
their shortest decimal ``repr`` so that the certified engine reads exactly the value that
the float64 engine uses.

>>> a = parse_axis("0.01:10:log:4", "beta")
>>> a.texts
('0.01', '0.1', '1.0', '10')
>>> p = float(parse_axis("1e-6:0.999:logit:3", "p_ref").texts[1])   # odds: the geometric mean
>>> round(p / (1 - p), 12) == round(math.sqrt(1e-6 / (1 - 1e-6) * 0.999 / 0.001), 12)
True
>>> parse_axis("0.5", "beta").texts
('0.5',)

The atlas varies ``beta`` (rows) and ``p_ref`` (columns); cell ``c = i * n_p_ref + j`` is
``(beta_i, p_ref_j)``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property

from ..errors import InputError
from ..params import Params, parse_exact

SCALES = ("lin", "log", "logit")
#: at most this many points on one axis, and this many cells in one atlas
MAX_AXIS = 1_000_000
MAX_CELLS = 10_000_000


@dataclass(frozen=True)
class Axis:
    """One grid axis: the spec text and its point values (exact text and float)."""

    spec: str
    texts: tuple

    @property
    def floats(self) -> tuple:
        return tuple(float(t) for t in self.texts)

    def __len__(self) -> int:
        return len(self.texts)


def _number(text: str, what: str) -> tuple[str, float]:
    """``text`` read exactly (:func:`~grpo_symbolic.params.parse_exact`) and as a finite,
    float64-representable number (a non-zero value must not underflow to 0)."""
    text = text.strip()
    x = parse_exact(text, what)
    f = float(x)
    if not math.isfinite(f) or (x != 0 and f == 0):
        raise InputError(f"{what}: {text!r} is not representable as a float64 number")
    return text, f


def _count(text: str, what: str) -> int:
    """The point count ``N`` of an axis: an integer in ``[2, MAX_AXIS]``."""
    t = text.strip()
    if not t.isdigit() or len(t) > 12:
        raise InputError(f"{what}: N must be a positive integer, got {text!r}")
    n = int(t)
    if n < 2:
        raise InputError(f"{what}: a range needs N >= 2 points, got {n} (give a single number for one value)")
    if n > MAX_AXIS:
        raise InputError(f"{what}: N = {n} exceeds the limit of {MAX_AXIS} points per axis")
    return n


def _spaced(lo: float, hi: float, scale: str, n: int):
    """``n`` float64 points from ``lo`` to ``hi``, equally spaced in the scale's coordinate."""
    import numpy as np

    u = np.linspace(0.0, 1.0, n)
    if scale == "lin":
        return lo + (hi - lo) * u
    if scale == "log":
        a, b = math.log10(lo), math.log10(hi)
        return 10.0 ** (a + (b - a) * u)
    a, b = math.log(lo) - math.log1p(-lo), math.log(hi) - math.log1p(-hi)
    t = a + (b - a) * u
    return np.where(t < 0, np.exp(np.minimum(t, 0)) / (1 + np.exp(np.minimum(t, 0))), 1 / (1 + np.exp(-t)))


def parse_axis(text, what: str) -> Axis:
    """An :class:`Axis` from ``LO:HI:SCALE:N`` or one number (:class:`InputError` otherwise).

    >>> parse_axis("0:1:lin:3", "alpha").texts
    ('0', '0.5', '1')
    >>> parse_axis("1:2:cubic:3", "beta")
    Traceback (most recent call last):
    ...
    grpo_symbolic.errors.InputError: beta: unknown scale 'cubic' (use lin, log or logit)
    """
    s = str(text).strip()
    if len(s) > 1000:
        raise InputError(f"{what}: grid spec too long ({len(s)} characters)")
    parts = s.split(":")
    if len(parts) == 1:
        return Axis(s, (_number(s, what)[0],))
    if len(parts) != 4:
        raise InputError(f"{what}: expected LO:HI:SCALE:N or a number, got {s!r}")
    (lo_t, lo), (hi_t, hi) = _number(parts[0], f"{what} LO"), _number(parts[1], f"{what} HI")
    scale = parts[2].strip().lower()
    if scale not in SCALES:
        raise InputError(f"{what}: unknown scale {parts[2].strip()!r} (use lin, log or logit)")
    n = _count(parts[3], what)
    if not lo < hi:
        raise InputError(f"{what}: LO must be smaller than HI, got {lo_t} >= {hi_t}")
    if scale == "log" and not lo > 0:
        raise InputError(f"{what}: a log scale needs 0 < LO, got {lo_t}")
    if scale == "logit" and not (0 < lo and hi < 1):
        raise InputError(f"{what}: a logit scale needs 0 < LO < HI < 1, got {lo_t}:{hi_t}")
    vals = _spaced(lo, hi, scale, n)
    inner = [repr(float(v)) for v in vals[1:-1]]
    floats = [lo, *(float(v) for v in vals[1:-1]), hi]
    if any(not b > a for a, b in zip(floats, floats[1:])):
        raise InputError(f"{what}: {n} points between {lo_t} and {hi_t} are not distinct in float64")
    return Axis(s, (lo_t, *inner, hi_t))


#: what a spec records of the run besides the variant and the axes (all of it fixes the rows)
RUN_FIELDS = ("engine", "digits", "steps", "max_period", "tol")


@dataclass(frozen=True)
class AtlasSpec:
    """Everything that fixes an atlas's content (and nothing that only affects how it is run):
    the variant (``params``, the one variant model; its ``beta`` and ``p_ref`` are cell 0's),
    the two axis specs, the engine and its budget.

    Two runs with equal :meth:`key` write identical rows; a resumed run must have the key
    of the parts already written.

    >>> s = AtlasSpec.build(norm="std", alpha="1", eps="1e-5", beta="0.5:4:log:3", p_ref="0.2")
    >>> s.shape, str(s.cell_params(2).beta), s.cell_params(2).eps
    ((3, 1), '4', Fraction(1, 100000))
    """

    params: Params
    beta: str  # axis spec
    p_ref: str  # axis spec
    engine: str = "certified"
    digits: int = 17
    steps: int = 2000
    max_period: int = 64
    tol: float = 1e-9

    @classmethod
    def build(cls, *, norm="std", alpha="1", eps="1e-5", beta, p_ref, clip=None, clip_high=None,
              group_size=None, convention=None, **run) -> "AtlasSpec":
        """The spec of a variant (text as on the command line) over the axes ``beta``, ``p_ref``."""
        b, p = parse_axis(beta, "beta"), parse_axis(p_ref, "p_ref")
        P = Params.parse(norm=norm, alpha=alpha, eps=eps, beta=b.texts[0], p_ref=p.texts[0], clip=clip,
                         clip_high=clip_high, group_size=group_size, convention=convention)
        return cls(P, b.spec, p.spec, **run)

    # ------------------------------------------------------------- axes
    @cached_property
    def beta_axis(self) -> Axis:
        return parse_axis(self.beta, "beta")

    @cached_property
    def p_ref_axis(self) -> Axis:
        return parse_axis(self.p_ref, "p_ref")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.beta_axis), len(self.p_ref_axis)

    @property
    def n_cells(self) -> int:
        return self.shape[0] * self.shape[1]

    def cell_ij(self, c: int) -> tuple[int, int]:
        """Row (beta index) and column (p_ref index) of cell ``c``."""
        return divmod(c, self.shape[1])

    # ------------------------------------------------------------- params
    @cached_property
    def _variant(self) -> dict:
        d = self.params.as_dict()
        del d["beta"], d["p_ref"]
        return d

    def cell_params(self, c: int) -> Params:
        """The exact :class:`Params` of cell ``c`` (the variant at ``beta_i``, ``p_ref_j``)."""
        i, j = self.cell_ij(c)
        return Params.parse(**self._variant, beta=self.beta_axis.texts[i], p_ref=self.p_ref_axis.texts[j])

    def validate(self) -> "AtlasSpec":
        """Check the engine, the cell count and every parameter at the grid's corners
        (each constraint on ``beta`` and ``p_ref`` is an interval, so corners suffice)."""
        if self.engine not in ("certified", "float64"):
            raise InputError(f"engine must be certified or float64, got {self.engine!r}")
        nb, npr = self.shape
        if nb * npr > MAX_CELLS:
            raise InputError(f"the grid has {nb} x {npr} = {nb * npr} cells; the limit is {MAX_CELLS}")
        for c in {0, npr - 1, (nb - 1) * npr, nb * npr - 1}:
            self.cell_params(c)
        return self

    # ------------------------------------------------------------- identity
    def to_dict(self) -> dict:
        """The variant (exact text, without ``beta`` and ``p_ref``), the axes and the run fields."""
        return {"variant": self._variant, "beta": self.beta, "p_ref": self.p_ref,
                **{k: getattr(self, k) for k in RUN_FIELDS}}

    def key(self) -> str:
        """Canonical JSON of :meth:`to_dict` (what a resumed run must match)."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict) -> "AtlasSpec":
        return cls.build(**d["variant"], beta=d["beta"], p_ref=d["p_ref"], **{k: d[k] for k in RUN_FIELDS})


def chunk_bounds(n_cells: int, size: int) -> list[tuple[int, int]]:
    """Contiguous ``[start, stop)`` blocks of ``size`` cells (the last may be shorter).

    >>> chunk_bounds(10, 4)
    [(0, 4), (4, 8), (8, 10)]
    """
    return [(a, min(a + size, n_cells)) for a in range(0, n_cells, size)]


def default_chunk_size(spec: AtlasSpec) -> int:
    """Cells per task, independent of the worker count (so a run resumes with any).

    A certified cell costs about 15-30 ms (fixed-point isolation dominates) and a task
    about 20 ms of Dask, client and Parquet overhead (measured by ``bench/bench_atlas.py``),
    so a chunk is 64 cells (1-2 s, overhead ~2%) -- fewer, down to 8, on grids too small
    for 16 such chunks.  A float64 chunk is 65536 cells (the last few orbits of a chunk
    cost ~0.1 s of per-step overhead, however few they are).

    >>> default_chunk_size(AtlasSpec.build(beta="0.01:10:log:100", p_ref="1e-6:0.999:logit:100"))
    64
    >>> default_chunk_size(AtlasSpec.build(beta="0.01:10:log:8", p_ref="1e-6:0.999:logit:8"))
    8
    """
    n = spec.n_cells
    if spec.engine == "float64":
        return min(n, 65536)
    return min(64, max(8, -(-n // 16)))
