"""Soundness by mutation: deliberately false variants of the audit's true checks must
come out refuted or undecided, never proved or certified.

For a deterministic sample of the proved/certified identity and inequality checks
of the whole audit, mutants are built (changed constant, dropped factor, flipped
relation, missing hypothesis).  A mutant counts only if it is really false: an
independent SymPy evalf finds a point of its domain where it fails (equivalent
mutants are skipped).  Engine witnesses are mutated by moving their parameters."""

import random
from fractions import Fraction

import pytest
import sympy as sp

from grpo_symbolic.verify.checks import identity, inequality
from grpo_symbolic.verify.domains import Var
from grpo_symbolic.audit.runner import run_audit
from grpo_symbolic.verify.verdict import CERTIFIED, PROVED

GOOD = (PROVED, CERTIFIED)


def _leaves():
    out = []
    for rep in run_audit():
        stack = [rep.result]
        while stack:
            r = stack.pop()
            if r.spec is not None and r.verdict in GOOD and r.spec.kind in ("identity", "inequality"):
                out.append(r.spec)
            stack.extend(p.result for p in r.parts)
    return out


@pytest.fixture(scope="module")
def specs():
    leaves = _leaves()
    small = [s for s in leaves if sum(sp.count_ops(v) for k, v in s.args.items() if k in ("lhs", "rhs", "expr")) < 120]
    rng = random.Random(20261124)
    rng.shuffle(small)
    return small[:45]


def _false_somewhere(fn, variables, rng, tries=30):
    """Independent evidence that a mutant is false: a domain point where it fails."""
    for _ in range(tries):
        pt = {v.sym: v.sample(rng) for v in variables}
        subs = {k: sp.Rational(v.numerator, v.denominator) for k, v in pt.items()}
        try:
            if fn(subs):
                return True
        except (TypeError, ValueError, ZeroDivisionError):
            continue
    return False


def _mutants_identity(a):
    lhs, rhs = a["lhs"], a["rhs"]
    yield "constant x2", lhs, 2 * rhs if rhs != 0 else rhs + 1
    yield "constant +1/7", lhs, rhs + sp.Rational(1, 7)
    if isinstance(lhs, sp.Mul) and len(lhs.args) >= 2:
        yield "dropped factor", sp.Mul(*lhs.args[1:]), rhs
    yield "flipped sign", lhs, -rhs if rhs != 0 else rhs - 1


def test_identity_mutants_never_proved(specs):
    rng = random.Random(1)
    n = 0
    for spec in [s for s in specs if s.kind == "identity"]:
        a = spec.args
        for name, lhs, rhs in _mutants_identity(a):
            def fails(subs, lhs=lhs, rhs=rhs):
                d = (lhs - rhs).evalf(40, subs=subs)
                return d.is_real and abs(d) > 1e-20 * max(1, abs(lhs.evalf(40, subs=subs)))
            if not _false_somewhere(fails, a["variables"], rng):
                continue  # equivalent mutant
            res = identity(lhs, rhs, a["variables"], name=f"mutant[{name}] of {a['name']}")
            assert res.verdict not in GOOD, (a["name"], name, res.summary)
            n += 1
    assert n >= 20


_FLIP = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}
_CMP = {">": lambda x: x > 0, ">=": lambda x: x >= 0, "<": lambda x: x < 0, "<=": lambda x: x <= 0}


def _widen(v: Var):
    """'Missing hypothesis': enlarge a bounded domain (e.g. p up to 3, eps down to -1)."""
    lo = None if v.lo is None else v.lo - 1
    hi = None if v.hi is None else v.hi + 2
    return Var(v.sym, lo, hi, False, False, lo if lo is not None else v.box_lo, hi if hi is not None else v.box_hi)


def test_inequality_mutants_never_certified(specs):
    rng = random.Random(2)
    n = 0
    for spec in [s for s in specs if s.kind == "inequality"]:
        a = spec.args
        expr, rel, V = a["expr"], a["rel"], a["variables"]
        muts = [("flipped", expr, _FLIP[rel], V), ("shifted constant", expr - 10**6 if rel in (">", ">=") else expr + 10**6, rel, V)]
        muts += [(f"missing hypothesis on {v.sym}", expr, rel, [(_widen(w) if w is v else w) for w in V]) for v in V
                 if v.lo is not None or v.hi is not None]
        for name, e, r, VV in muts:
            def fails(subs, e=e, r=r):
                val = e.evalf(40, subs=subs)
                return val.is_real and not _CMP[r](val)
            if not _false_somewhere(fails, VV, rng):
                continue
            res = inequality(e, r, VV, name=f"mutant[{name}] of {a['name']}", max_boxes=400)
            assert res.verdict not in GOOD, (a["name"], name, res.summary)
            n += 1
    assert n >= 5


def test_engine_witness_mutants():
    """A witness checked at parameters where the property does not hold must fail."""
    from grpo_symbolic.audit.claims._common import decreasing_step_witness, witness

    cycle = witness("2-cycle", lambda r: r.orbit.kind == "cycle", beta="5", p_ref="0.2", eps="1e-5")
    assert cycle.verdict not in GOOD  # at p_ref = 0.2 the orbit converges
    several = witness("several fixed points", lambda r: len(r.fixed) >= 2, beta="5", p_ref="0.5", eps="0.3")
    assert several.verdict not in GOOD
    mono = decreasing_step_witness(beta="2", alpha="1", eps="0.001", p_ref="0.9")
    assert mono.verdict not in GOOD
