"""The Coq proofs of proofs/coq: sources clean, mapping consistent, everything compiles, and
every theorem depends only on the accepted axioms (Print Assumptions).

Without ``coqc`` the compile tests are skipped (with the reason); the source checks always run.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from grpo_symbolic.audit.statements import all_statements
from grpo_symbolic.verify import formal

COQC = formal.coqc_path()
needs_coqc = pytest.mark.skipif(COQC is None, reason=formal.coqc_status())


def _sources():
    files = formal.proof_files()
    assert files, f"no _CoqProject at {formal.PROOFS_DIR}"
    return {f: (formal.PROOFS_DIR / f).read_text() for f in files}


# ------------------------------------------------------------ sources (no coqc needed)
def test_no_admitted_axiom_or_parameter():
    bad = {f: formal.forbidden_tokens(t) for f, t in _sources().items()}
    assert not any(bad.values()), bad


def test_forbidden_scan_catches_each_keyword():
    for word in ("Admitted", "admit", "Axiom", "Parameter", "Conjecture"):
        assert formal.forbidden_tokens(f"Lemma x : True. {word}.") == [word]
        assert formal.forbidden_tokens(f"(* {word} *) Lemma x : True.") == []


def test_every_mapped_theorem_is_declared_in_its_file():
    src = _sources()
    for cid, refs in formal.FORMAL_MAP.items():
        for ref in refs:
            assert ref.file in src, (cid, ref.file)
            assert ref.theorem in formal.declared_theorems(src[ref.file]), (cid, ref.theorem)


def test_every_mapped_id_is_a_paper_id():
    ids = set(all_statements())
    assert set(formal.FORMAL_MAP) <= ids, set(formal.FORMAL_MAP) - ids


def test_items_1_3_4_5_8_are_covered():
    for cid in ("thm2", "prop1.3", "thm9", "thm3", "prop1.2", "lemma1", "thm5.1", "thm5.2a", "sec5-mirror",
                "abstract-convergence", "text-p1-fixed", "table1-row5-contraction", "thm3-boundary"):
        assert cid in formal.FORMAL_MAP, cid


def _markers(claim: str, file: str = "Refutations.v") -> dict[str, Fraction]:
    """The parameters of the ``(* audit-point: CLAIM k=v ... *)`` marker in ``file``."""
    text = (formal.PROOFS_DIR / file).read_text()
    m = re.search(rf"\(\* audit-point: {re.escape(claim)} ([^*]*)\*\)", text)
    assert m, claim
    return {k: Fraction(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


@pytest.mark.parametrize("claim,module,const", [
    ("abstract-convergence", "grpo_symbolic.audit.claims.intro", "CYCLE_REF"),
    ("table1-row5-nonmonotone", "grpo_symbolic.audit.claims.sec4_5_mirror", "NONMONO"),
])
def test_refutation_points_are_the_audits(claim, module, const):
    import importlib

    audit = {k: Fraction(v) for k, v in getattr(importlib.import_module(module), const).items()}
    assert _markers(claim) == audit


def test_evidence_without_compilation_is_unchecked():
    ev = formal.formal_evidence("thm2", None)
    assert ev["checked"] is False and ev["file"] == "proofs/coq/Recurrence.v"
    assert formal.formal_evidence("exp-setup", None) is None


def test_assumption_policy():
    assert formal.accepted(sorted(formal.REAL_AXIOMS), "Mirror.v")
    assert not formal.accepted(["Top.my_axiom"], "Refutations.v")
    assert not formal.accepted(["PrimFloat.add"], "Recurrence.v")


def test_missing_coqc_is_one_clear_line(monkeypatch):
    monkeypatch.setattr(formal.shutil, "which", lambda name: None)
    rep = formal.compile_proofs(timeout=5)
    assert rep.status == "no-coqc" and "\n" not in rep.message and "coqc not found" in rep.message
    assert formal.formal_evidence("thm3", rep)["checked"] is False


# ------------------------------------------------------------ compiling (coqc needed)
@pytest.fixture(scope="module")
def report():
    return formal.compile_proofs(timeout=900)


@pytest.mark.slow  # compiles every proof and prints its assumptions (minutes): run in CI with -m slow
@needs_coqc
def test_everything_compiles(report):
    assert report.status == "ok", report.message
    assert all(f["ok"] for f in report.files.values())


@pytest.mark.slow  # compiles every proof and prints its assumptions (minutes): run in CI with -m slow
@needs_coqc
def test_print_assumptions_only_accepted_axioms(report):
    assert report.theorems
    bad = {n: t["assumptions"] for n, t in report.theorems.items() if not t["checked"]}
    assert not bad, bad
    # the non-interval files use exactly the real-number axioms (no primitive floats)
    for name, t in report.theorems.items():
        if t["file"] not in formal.INTERVAL_FILES:
            assert set(t["assumptions"]) <= formal.REAL_AXIOMS, name


@pytest.mark.slow  # compiles every proof and prints its assumptions (minutes): run in CI with -m slow
@needs_coqc
def test_every_mapped_claim_is_checked(report):
    for cid in formal.FORMAL_MAP:
        ev = formal.formal_evidence(cid, report)
        assert ev["checked"], (cid, ev)
        assert ev["checked_by"] == "compiled in this run"


@needs_coqc
def test_an_axiom_is_caught(tmp_path):
    (tmp_path / "_CoqProject").write_text("-R . GRPO\nBad.v\n")
    (tmp_path / "Bad.v").write_text("Axiom cheat : False.\nTheorem t : 1 = 2.\nProof. destruct cheat. Qed.\n")
    rep = formal.compile_proofs(timeout=300, proofs_dir=tmp_path)
    assert rep.status == "ok", rep.message
    t = rep.theorems["GRPO.Bad.t"]
    assert t["checked"] is False and any("cheat" in a for a in t["assumptions"])


@needs_coqc
def test_a_broken_proof_fails(tmp_path):
    (tmp_path / "_CoqProject").write_text("-R . GRPO\nBroken.v\n")
    (tmp_path / "Broken.v").write_text("Theorem t : 1 = 2.\nProof. reflexivity. Qed.\n")
    rep = formal.compile_proofs(timeout=300, proofs_dir=tmp_path)
    assert rep.status == "failed" and "Broken.v" in rep.message


def test_doctests():
    import doctest

    res = doctest.testmod(formal, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0


def test_audit_formal_without_coqc_says_so_and_keeps_the_verdicts(monkeypatch, capsys, tmp_path):
    from grpo_symbolic.cli import main

    monkeypatch.setattr(formal, "coqc_path", lambda: None)
    out = tmp_path / "a.json"
    assert main(["audit", "--only", "thm3", "--formal", "--no-progress", "--json", str(out)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("grpo-symbolic: formal:")
    import json

    c = json.loads(out.read_text())["claims"][0]
    assert c["verdict"] == "proved" and "formal" not in c["evidence"]


def test_fig5_point_is_one_of_the_audits_panels():
    from grpo_symbolic import figures

    m = _markers("fig5", "Refutations2.v")
    assert m["eps"] == Fraction(figures.FIG5_EPS)
    assert str(m["beta"]) in figures.FIG5_BETAS and any(Fraction(p) == m["p_ref"] for p in figures.FIG5_P_REFS)
