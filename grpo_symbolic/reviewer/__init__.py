"""Check a reviewer's own claims about GRPO dynamics (``grpo-symbolic check``).

A claims file (TOML) states predicates over the quantities the engine computes —
the PoS map ``h`` and its derivative, the fixed points and their stability, the
orbit from ``p0``, the iterates ``p_n`` — on a parameter domain; each claim gets a
verdict (certified / refuted / undecided) with evidence, like the paper audit.

>>> from grpo_symbolic.reviewer import check_text
>>> [r.verdict for r in check_text('''
... [[claim]]
... id = "first-step"
... norm = "mean"
... predicate = "p_n(1) > p_ref"
... [claim.domain]
... beta = [0.5, 2]
... p_ref = [0.01, 0.5]
... ''')]
['certified']

Public API: :func:`check_file`, :func:`check_text`, :func:`claims_json`,
:func:`print_table`, :func:`load_file`, :func:`parse_text`,
:func:`compile_predicate`.  Nothing here evaluates user text with Python: see
:mod:`.language`.
"""

from __future__ import annotations

from .checker import ClaimResult, check_claim
from .claimfile import Claim, ClaimFileError, load_file, parse_text
from .language import PredicateError, compile_predicate
from .report import claims_json, print_table

__all__ = ["check_file", "check_text", "check_claims", "claims_json", "print_table", "load_file", "parse_text",
           "compile_predicate", "ClaimResult", "Claim", "ClaimFileError", "PredicateError"]


def check_claims(claims, only=None, progress=None) -> list[ClaimResult]:
    """Decide each claim (in file order); ``only``: ids to keep."""
    out = []
    for c in claims:
        if only is not None and c.id not in only:
            continue
        if progress:
            progress(c.id)
        out.append(check_claim(c))
    return out


def check_file(path, only=None, progress=None, name: str | None = None) -> list[ClaimResult]:
    """Parse the claims file at ``path`` (raising :class:`ClaimFileError`, an
    ``InputError``, if it is malformed) and decide every claim.  ``name`` replaces the
    path in messages and in each claim's ``source``."""
    claims, _ = load_file(path, name=name)
    return check_claims(claims, only=only, progress=progress)


def check_text(text: str, name: str = "<claims>", only=None) -> list[ClaimResult]:
    """Like :func:`check_file` for TOML text."""
    return check_claims(parse_text(text, name), only=only)
