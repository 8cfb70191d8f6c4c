"""Every verdict earns its label: the certificate contract, the single place where
verdicts are made, and the pinned verdicts (golden file) that CI holds the audit to."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from grpo_symbolic.audit import golden
from grpo_symbolic.audit.registry import CLAIMS, load_claims, run_claim
from grpo_symbolic.audit.runner import audit_json, run_audit
from grpo_symbolic.audit.statements import audit_ids
from grpo_symbolic.cli import main
from grpo_symbolic.verify.verdict import (PROVED, REFUTED, REQUIRED, ContractError, Result, check_contract, proved,
                                          undecided, walk)

PKG = Path(__file__).resolve().parents[1] / "grpo_symbolic"


@pytest.fixture(scope="module")
def reports():
    return run_audit()


def _constructs_verdict(node) -> bool:
    """A call ``Result(...)`` / ``x.Result(...)``, or a ``replace``/``fresh`` setting ``verdict=``."""
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    if name == "Result":
        return True
    return name in ("replace", "fresh") and any(k.arg in ("verdict", "certificate") for k in node.keywords)


def test_only_verify_constructs_verdicts():
    offenders = []
    for path in PKG.rglob("*.py"):
        if "verify" in path.relative_to(PKG).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(PKG)}:{n.lineno}" for n in ast.walk(tree) if _constructs_verdict(n)]
    assert offenders == []


def test_the_scan_sees_a_construction():
    tree = ast.parse("Result('proved', 's')\nfresh(r, verdict='proved')\nfresh(r, reading='x')")
    assert [_constructs_verdict(stmt.value) for stmt in tree.body] == [True, True, False]


def test_contract_refuses_unearned_labels():
    with pytest.raises(ContractError):
        Result(PROVED, "numbers agree", certificate={"kind": "interval"})
    with pytest.raises(ContractError):
        Result(REFUTED, "no point", certificate={"kind": "counterexample"})
    r = proved("x", {"method": "m"})
    with pytest.raises(ContractError):
        r.verdict = "refuted"
    assert undecided("open", {}).certificate == {"kind": "none"}


def test_every_claim_satisfies_the_contract(reports):
    assert [r.id for r in reports] == audit_ids()
    for rep in reports:
        for r in walk(rep.result):
            check_contract(r.verdict, r.certificate)
        js = rep.to_json()
        assert js["evidence"]["certificate"]["kind"] == REQUIRED.get(js["verdict"], js["evidence"]["certificate"]["kind"])
        json.dumps(js, default=str)


def test_refutations_carry_an_exact_point_and_a_recheck(reports):
    for rep in reports:
        if rep.result.verdict != REFUTED:
            continue
        leaves = [r for r in walk(rep.result) if r.verdict == REFUTED and "part" not in r.certificate]
        assert leaves, rep.id
        for leaf in leaves:
            cert = leaf.certificate
            assert cert["point"], rep.id
            exact = cert["certified_by"].startswith("exact")
            assert exact or cert["rechecked_by"], f"{rep.id}: a refutation without an independent re-check"


def test_no_error_and_every_verdict_pinned(reports):
    assert not [r.id for r in reports if r.result.evidence.get("kind") == "error"]
    assert set(golden.pinned()) == set(audit_ids())
    assert golden.differences(golden.computed_of(reports)) == []


def test_golden_catches_a_flipped_verdict(reports):
    computed = golden.computed_of(reports)
    cid = next(c for c, (v, _) in computed.items() if v == PROVED)
    flipped = {**computed, cid: ("refuted", "typo")}
    assert golden.differences(flipped) == [f"{cid}: computed refuted (typo), pinned proved (-)"]


def test_audit_fails_when_a_claim_changes_its_verdict(monkeypatch, capsys):
    load_claims()
    monkeypatch.setitem(CLAIMS, "eq3", lambda: undecided("mutant: the proof was dropped", {}))
    rc = main(["audit", "--only", "eq3", "--no-progress", "--json"])
    err = capsys.readouterr().err
    assert rc == 1 and "eq3: computed undecided (-), pinned proved (-)" in err
    assert run_claim("eq3").result.verdict == "undecided"


def test_audit_json_has_certificates(reports):
    doc = audit_json(reports)
    kinds = {c["evidence"]["certificate"]["kind"] for c in doc["claims"]}
    assert {"symbolic", "interval", "counterexample", "reproduction", "argument", "none"} <= kinds


def test_an_open_numeric_disagreement_leaves_the_identity_undecided(monkeypatch):
    """A disagreement that Arb cannot confirm is retried at rising precision and, if still
    open, the identity is undecided: never proved, never refuted."""
    import sympy as sp

    from grpo_symbolic.verify import checks
    from grpo_symbolic.verify.domains import prob

    p = sp.Symbol("p", positive=True)
    monkeypatch.setattr(checks, "_confirm_difference", lambda *a, **k: None)
    r = checks.identity(p, p + sp.Rational(1, 10**20), [prob(p)], name="off by 1e-20")
    assert r.verdict == "undecided" and r.evidence["numeric_check"]["open_points"]
    ok = checks.identity(sp.exp(sp.log(p) * 2), p**2, [prob(p)], name="exp(2 log p) = p^2")
    assert ok.verdict == "proved" and "open_points" not in ok.evidence["numeric_check"]


def test_an_unwitnessed_engine_claim_is_undecided_not_refuted():
    from grpo_symbolic.audit.claims._common import witness

    r = witness("a 2-cycle at beta = 1, p_ref = 0.2", lambda rep: rep.orbit.kind == "cycle", refutes=True,
                beta="1", p_ref="0.2", eps="1e-5")
    assert r.verdict == "undecided"


def test_recheck_refuses_an_inequality_with_no_evaluable_point():
    import sympy as sp

    from grpo_symbolic.verify.checks import Spec
    from grpo_symbolic.verify.domains import prob
    from grpo_symbolic.verify.recheck import RecheckError, recheck
    from grpo_symbolic.verify.verdict import certified

    p = sp.Symbol("p", positive=True)
    forged = certified("forged", {"scope": "whole domain"})
    forged.spec = Spec("inequality", dict(expr=sp.sqrt(-p), rel=">", variables=[prob(p)], name="never real"))
    with pytest.raises(RecheckError):
        recheck(forged)
