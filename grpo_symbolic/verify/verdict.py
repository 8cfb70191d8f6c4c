"""Verdicts, the certificates that earn them, and the only constructors of both.

Each verdict has one meaning, and its certificate says why it holds:

=================  =====================  ==============================================
verdict            certificate kind       meaning
=================  =====================  ==============================================
``proved``         ``symbolic``           SymPy reduces the statement itself (lhs - rhs,
                                          or the inequality) to 0 / True under the stated
                                          assumptions; a chain counts only if its last
                                          step is the statement
``certified``      ``interval``           Arb enclosures cover the whole stated domain,
                                          or the sub-domain the certificate names
``refuted``        ``counterexample``     an exact point of the hypothesis domain where an
                                          Arb ball excludes the claim, re-checked by an
                                          independent route
``argued``         ``argument``           a classical or prose argument, written out but
                                          not machine-checked (never counted as proved)
``reproduced``,    ``reproduction``       a figure or experiment regenerated from its
``not-reproduced``                        stated parameters, compared number by number
``undecided``      any                    nothing above holds (an open budget, an
                                          unresolved orbit, an undecided comparison)
``not-checkable``  any                    a statement about the world outside the
                                          mathematics
=================  =====================  ==============================================

Numeric agreement never upgrades a verdict.  :class:`Result` refuses a verdict whose
certificate does not match, and no module outside :mod:`grpo_symbolic.verify`
constructs one (a test scans the package): claims call the constructors below.

A claim may have *parts*: its verdict is the worst of its checkable parts
(refuted < undecided < not-reproduced < argued < certified/reproduced < proved).

>>> r = proved("1 + 1 = 2", {"kind": "symbolic", "method": "sympy"})
>>> r.verdict, r.certificate["kind"]
('proved', 'symbolic')
>>> Result(PROVED, "numbers agree", certificate={"kind": "interval"})
Traceback (most recent call last):
...
grpo_symbolic.verify.verdict.ContractError: a 'proved' verdict needs a 'symbolic' certificate, got 'interval'
>>> combine([Part("a", "a", r), Part("b", "b", argued("Banach", "classical"))]).verdict
'argued'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

PROVED = "proved"
CERTIFIED = "certified"
REFUTED = "refuted"
ARGUED = "argued"
UNDECIDED = "undecided"
REPRODUCED = "reproduced"
NOT_REPRODUCED = "not-reproduced"
NOT_CHECKABLE = "not-checkable"

VERDICTS = (PROVED, CERTIFIED, REFUTED, ARGUED, UNDECIDED, REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE)
CERTIFICATE_KINDS = ("symbolic", "interval", "counterexample", "reproduction", "argument", "none")
#: the certificate kind each verdict requires (undecided and not-checkable take any)
REQUIRED = {PROVED: "symbolic", CERTIFIED: "interval", REFUTED: "counterexample", ARGUED: "argument",
            REPRODUCED: "reproduction", NOT_REPRODUCED: "reproduction"}
_RANK = {REFUTED: 0, UNDECIDED: 1, NOT_REPRODUCED: 2, ARGUED: 3, CERTIFIED: 4, REPRODUCED: 4, PROVED: 5}
_LOCKED = ("verdict", "certificate")


class ContractError(ValueError):
    """A verdict without the certificate that earns it: a bug, never a verdict."""


def check_contract(verdict: str, certificate: dict) -> None:
    """Raise :class:`ContractError` unless ``certificate`` supports ``verdict``."""
    if verdict not in VERDICTS:
        raise ContractError(f"unknown verdict {verdict!r}")
    kind = certificate.get("kind") if isinstance(certificate, dict) else None
    if kind not in CERTIFICATE_KINDS:
        raise ContractError(f"unknown certificate kind {kind!r}")
    need = REQUIRED.get(verdict)
    if need is not None and kind != need:
        raise ContractError(f"a {verdict!r} verdict needs a {need!r} certificate, got {kind!r}")
    if verdict == REFUTED and not (certificate.get("point") or certificate.get("part") or certificate.get("cover")):
        raise ContractError("a refutation needs the exact point of its counterexample (or, for an "
                            "existential claim, the cover of the domain on which it is certainly false)")


@dataclass
class Result:
    """The outcome of checking one statement (or one part of it)."""

    verdict: str
    summary: str
    evidence: dict = field(default_factory=dict)
    certificate: dict = field(default_factory=lambda: {"kind": "none"})
    reading: str | None = None  # the precise reading checked, when the text is informal
    parts: list = field(default_factory=list)  # [Part]
    repaired: "Repaired | None" = None
    erratum: str | None = None  # for refuted statements: "typo" or "substantive"
    #: what was checked, in machine form (SymPy expressions, domains, engine parameters);
    #: used by independent re-checks and mutation tests, never written to JSON
    spec: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        check_contract(self.verdict, self.certificate)
        self._sealed = True

    def __setattr__(self, name, value):
        if name in _LOCKED and getattr(self, "_sealed", False):
            raise ContractError(f"a verdict is set once, by its constructor ({name} is read-only)")
        object.__setattr__(self, name, value)

    def to_json(self) -> dict:
        d = {"verdict": self.verdict, "summary": self.summary,
             "evidence": {**self.evidence, "certificate": self.certificate}}
        if self.reading:
            d["reading"] = self.reading
        if self.parts:
            d["parts"] = [p.to_json() for p in self.parts]
        if self.repaired is not None:
            d["repaired"] = self.repaired.to_json()
        if self.erratum:
            d["erratum"] = self.erratum
        return d


@dataclass
class Part:
    name: str
    statement: str
    result: Result

    def to_json(self) -> dict:
        return {"name": self.name, "statement": self.statement, **self.result.to_json()}


@dataclass
class Repaired:
    """A corrected statement, checked on its own."""

    statement: str
    result: Result

    def to_json(self) -> dict:
        return {"statement": self.statement, **self.result.to_json()}


# ------------------------------------------------------------------ constructors
def proved(summary: str, certificate: dict, evidence: dict | None = None, **kw) -> Result:
    """SymPy reduced the statement itself to 0/True; ``certificate`` records how."""
    return Result(PROVED, summary, evidence or {}, {"kind": "symbolic", **certificate}, **kw)


def certified(summary: str, certificate: dict, evidence: dict | None = None, **kw) -> Result:
    """Arb enclosures cover the domain named in ``certificate`` (``scope``)."""
    return Result(CERTIFIED, summary, evidence or {}, {"kind": "interval", **certificate}, **kw)


def refuted(summary: str, certificate: dict, evidence: dict | None = None, **kw) -> Result:
    """An Arb-certified counterexample at the exact point ``certificate["point"]`` -- or, for an
    existential claim ("some point satisfies P"), ``certificate["cover"]``: the finite domain or
    a branch-and-bound cover on every point of which P is certainly false."""
    return Result(REFUTED, summary, evidence or {}, {"kind": "counterexample", **certificate}, **kw)


def argued(summary: str, argument: str, uses=(), evidence: dict | None = None, **kw) -> Result:
    """A classical or prose argument, written out, not machine-checked."""
    cert = {"kind": "argument", "argument": argument, "uses": list(uses)}
    return Result(ARGUED, summary, evidence or {"kind": "argument"}, cert, **kw)


def undecided(summary: str, evidence: dict | None = None, **kw) -> Result:
    """Nothing was established (the evidence says how far the checks got)."""
    return Result(UNDECIDED, summary, evidence or {}, {"kind": "none"}, **kw)


def not_checkable(reason: str, summary: str) -> Result:
    """A statement about the world outside the mathematics (citation, data, opinion)."""
    return Result(NOT_CHECKABLE, summary, {"kind": "external", "reason": reason}, {"kind": "none"})


def reproduction(ok: bool, summary: str, evidence: dict, compared: str) -> Result:
    """A figure regenerated and compared: ``reproduced`` iff every number matched."""
    return Result(REPRODUCED if ok else NOT_REPRODUCED, summary, evidence,
                  {"kind": "reproduction", "compared": compared})


def internal_error(summary: str, traceback: str) -> Result:
    """A checker raised: undecided, with the error in the evidence (a bug never passes)."""
    return Result(UNDECIDED, summary, {"kind": "error", "traceback": traceback}, {"kind": "none"})


def symbolic(ok: bool, summary: str, certificate: dict, evidence: dict | None = None, **kw) -> Result:
    """``proved`` when SymPy established the statement (``ok``), else ``undecided``:
    a failed simplification is never a refutation."""
    if ok:
        return proved(summary, certificate, evidence, **kw)
    return undecided(f"SymPy did not establish it: {summary}", {**(evidence or {}), **certificate}, **kw)


def fresh(r: Result, **changes) -> Result:
    """A shallow copy of ``r`` with some fields changed (cached results are shared:
    annotate a copy, never the original).  The verdict and certificate stay."""
    bad = set(changes) & set(_LOCKED)
    if bad:
        raise ContractError(f"fresh() cannot change {sorted(bad)}: build a new verdict instead")
    return replace(r, **changes)


# ------------------------------------------------------------------ parts
def _worst(checkable: list) -> str:
    worst = min(checkable, key=lambda p: _RANK[p.result.verdict]).result.verdict
    if _RANK[worst] == _RANK[CERTIFIED] or worst == PROVED:
        kinds = {p.result.verdict for p in checkable}
        if kinds <= {PROVED}:
            return PROVED
        return CERTIFIED if CERTIFIED in kinds else REPRODUCED
    return worst


def _combined_certificate(verdict: str, parts: list) -> dict:
    if verdict == REFUTED:
        bad = next(p for p in parts if p.result.verdict == REFUTED)
        return {**bad.result.certificate, "part": bad.name}
    kinds = [{"part": p.name, "kind": p.result.certificate["kind"]} for p in parts]
    return {"kind": REQUIRED.get(verdict, "none"), "parts": kinds}


def combine(parts: list[Part], summary: str | None = None, **kw) -> Result:
    """A claim made of parts: the worst checkable verdict wins (see module doc)."""
    checkable = [p for p in parts if p.result.verdict != NOT_CHECKABLE]
    verdict = _worst(checkable) if checkable else NOT_CHECKABLE
    if summary is None:
        if verdict in (PROVED, CERTIFIED, REPRODUCED, ARGUED):  # say what was established
            how = sorted({p.result.verdict for p in checkable})
            summary = "; ".join(p.statement for p in checkable) + f" [{', '.join(how)}]"
        else:
            bad = [p for p in parts if p.result.verdict == verdict]
            summary = "; ".join(f"{p.name}: {p.result.summary}" for p in bad[:2])
    erratum = kw.pop("erratum", None)
    if verdict == REFUTED and erratum is None:
        kinds = {p.result.erratum for p in parts if p.result.verdict == REFUTED}
        erratum = "substantive" if "substantive" in kinds or None in kinds else "typo"
    return Result(verdict, summary, {"parts": len(parts)}, _combined_certificate(verdict, parts),
                  parts=parts, erratum=erratum, **kw)


def walk(res: Result):
    """Every result inside ``res``: itself, its parts and repaired statements, recursively."""
    stack = [res]
    while stack:
        r = stack.pop()
        yield r
        stack.extend(p.result for p in r.parts)
        if r.repaired is not None:
            stack.append(r.repaired.result)


def refuted_exactly(summary: str, point: dict, computation: str, value: str, evidence: dict | None = None,
                    **kw) -> Result:
    """A counterexample at an exact ``point`` where an exact SymPy computation (a limit,
    a derivative of a constant map) gives ``value``, which excludes the claim.  Used
    where the claim is about a limit or a map, which no finite Arb ball can show."""
    cert = {"point": {str(k): str(v) for k, v in point.items()}, "certified_by": f"exact SymPy computation: {computation}",
            "value": value}
    return refuted(summary, cert, evidence, **kw)


def if_refuted(res: Result, erratum: str, finding: str) -> Result:
    """When ``res`` is refuted, file it as an erratum (``"typo"`` or ``"substantive"``) with
    ``finding`` as its summary; otherwise leave it as it is.  Returns ``res``."""
    if res.verdict == REFUTED:
        res.erratum, res.summary = erratum, finding
    return res


# ------------------------------------------------------------------ JSON round trip
def result_from_json(d: dict) -> Result:
    """The :class:`Result` whose :meth:`Result.to_json` is ``d`` (the audit's certificate
    cache stores reports as JSON).  The contract is checked again on construction, so a
    stored verdict whose certificate does not earn it is refused.

    >>> r = combine([Part("a", "1 + 1 = 2", proved("ok", {"method": "sympy"})),
    ...              Part("b", "b", argued("Banach", "classical"))], reading="a reading")
    >>> result_from_json(r.to_json()).to_json() == r.to_json()
    True
    >>> result_from_json({"verdict": "proved", "summary": "x", "evidence": {"certificate": {"kind": "interval"}}})
    Traceback (most recent call last):
    ...
    grpo_symbolic.verify.verdict.ContractError: a 'proved' verdict needs a 'symbolic' certificate, got 'interval'
    """
    evidence = dict(d["evidence"])
    certificate = evidence.pop("certificate")
    parts = [Part(p["name"], p["statement"], result_from_json(p)) for p in d.get("parts", ())]
    rep = d.get("repaired")
    repaired = Repaired(rep["statement"], result_from_json(rep)) if rep is not None else None
    return Result(d["verdict"], d["summary"], evidence, certificate, reading=d.get("reading"),
                  parts=parts, repaired=repaired, erratum=d.get("erratum"))
