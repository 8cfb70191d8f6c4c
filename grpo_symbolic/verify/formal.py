r"""Formal (Coq) proofs behind the audit's verdicts.

The Coq sources live in ``proofs/coq/`` of the repository (one file per topic, listed in
dependency order in ``_CoqProject``).  This module

* maps a paper id to the Coq theorems that back its verdict (:data:`FORMAL_MAP`, a data
  table; each entry says whether the theorem is a reading of the printed statement, of its
  repaired form, a special case, the refutation at the audit's point, or a re-checked witness);
* compiles the proofs with ``coqc`` (:func:`compile_proofs`) and runs ``Print Assumptions`` on
  every theorem and lemma, so that a theorem counts as *checked* only if its file compiled in
  this run (or in a recorded build, :func:`load_report`) and it depends on no axiom beyond
  Coq's real-number axioms (:data:`REAL_AXIOMS`) -- plus, for the interval re-checks of
  ``Refutations.v`` and ``Refutations2.v``, the specifications of the kernel's primitive integers and floats that
  CoqInterval's reflection uses (:data:`PRIMITIVE_PREFIXES`);
* builds the ``evidence.formal`` entry of a verdict (:func:`formal_evidence`).

A formal proof never changes a verdict: it is recorded next to it.  The Coq statement is a
hand-written reading of the paper's statement (see the comments in each ``.v`` file).

>>> formal_evidence("intro-code", None) is None            # no Coq theorem for this id
True
>>> ev = formal_evidence("thm3", None)                      # nothing compiled: not checked
>>> ev["assistant"], ev["file"], ev["theorem"], ev["checked"]
('coq', 'proofs/coq/Amplification.v', 'GRPO.Amplification.thm3_fixed_point', False)
>>> sorted(set(forbidden_tokens("(* Admitted in a comment *) Lemma x : True. Proof. admit. Admitted.")))
['Admitted', 'admit']
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ASSISTANT = "coq"
def _proofs_dir() -> Path:
    """The repository's Coq sources: ``proofs/coq`` under the current directory when it is a
    checkout (``grpo-symbolic audit --formal`` run from the repository root, with the package
    installed from it), else next to the package's own source tree (an editable install)."""
    here = Path.cwd() / "proofs" / "coq"
    if (here / "_CoqProject").is_file():
        return here
    return Path(__file__).resolve().parents[2] / "proofs" / "coq"


#: the Coq sources compiled by :func:`compile_proofs` (absent from an installed wheel run
#: outside a checkout: then nothing is compiled, and the report says so)
PROOFS_DIR = _proofs_dir()
LOGICAL_ROOT = "GRPO"
COQ_WARNINGS = "-ambiguous-paths,-notation-overridden"
INSTALL_HINT = "apt-get install -y coq libcoq-stdlib libcoq-coquelicot libcoq-interval"

#: the axioms of Coq 8.16's standard-library real numbers (Coq.Reals), as Print Assumptions names them
REAL_AXIOMS = frozenset({
    "ClassicalDedekindReals.sig_forall_dec",
    "ClassicalDedekindReals.sig_not_dec",
    "FunctionalExtensionality.functional_extensionality_dep",
    "Classical_Prop.classic",
})
#: the kernel's primitive 63-bit integers and binary64 floats and their specifications, on which
#: CoqInterval's reflective proofs rest; accepted for the interval re-checks (Refutations.v, Refutations2.v) only
PRIMITIVE_PREFIXES = ("PrimInt63.", "Uint63.", "PrimFloat.", "FloatAxioms.")
INTERVAL_FILES = frozenset({"Refutations.v", "Refutations2.v"})

_FORBIDDEN = re.compile(r"\b(Admitted|admit|Axiom|Axioms|Parameter|Parameters|Conjecture)\b")
_DECL = re.compile(r"^\s*(Theorem|Lemma|Corollary|Proposition|Fact|Remark)\s+([A-Za-z_][A-Za-z0-9_']*)", re.M)
#: the declarations whose assumptions are printed (helper Lemmas are covered by the theorems using
#: them and by the scan for Admitted/Axiom; Print Assumptions costs seconds per name)
STATEMENT_KINDS = ("Theorem", "Corollary", "Proposition")


@dataclass(frozen=True)
class FormalRef:
    """One Coq theorem behind a paper id.

    ``scope``: ``statement`` (a reading of the printed statement), ``repaired`` (the corrected
    statement), ``special-case`` (the statement under an extra hypothesis named in ``note``),
    ``refutation`` (the negation, at the audit's counterexample point) or ``witness`` (a
    certified witness of the audit, re-checked)."""

    file: str
    theorem: str
    scope: str = "statement"
    note: str = ""

    @property
    def qualname(self) -> str:
        return f"{LOGICAL_ROOT}.{Path(self.file).stem}.{self.theorem}"


def _refs(*items) -> tuple[FormalRef, ...]:
    return tuple(FormalRef(*it) for it in items)


_DELTA0 = "Delta_R = 0 along the iteration from pi_0 = pi_ref (proved in Recurrence.v)"

#: paper id -> the Coq theorems behind its verdict (the first one is reported as ``theorem``)
FORMAL_MAP: dict[str, tuple[FormalRef, ...]] = {
    # item 1: two-class reduction and recurrences (finite outcome space, Gibbs form)
    "thm2": _refs(("Recurrence.v", "thm2_recurrence")),
    "prop1.3": _refs(("Recurrence.v", "prop13_h_sigmoid"), ("Recurrence.v", "prop13_logit_recurrence")),
    "sec3.1-odds": _refs(("Recurrence.v", "prop13_logit_recurrence")),
    "table1-row1-recurrence": _refs(("Recurrence.v", "prop13_logit_recurrence")),
    "thm4": _refs(("Recurrence.v", "thm4_mirror_recurrence", "statement", "item (2), the PoS recurrence")),
    "table1-row3-recurrence": _refs(("Recurrence.v", "thm4_mirror_recurrence")),
    "thm8.2": _refs(("Recurrence.v", "logit_PoS_gibbs", "repaired", "with the 1/beta restored")),
    "thm9": _refs(("Recurrence.v", "thm9_two_kl_recurrence", "special-case", _DELTA0)),
    "thm9-recursion": _refs(("Recurrence.v", "two_kl_recurrence_coefficients", "repaired",
                             "last term Omega(p_{n-1})/beta; " + _DELTA0)),
    "table1-row5-recurrence": _refs(("Recurrence.v", "thm9_two_kl_recurrence", "special-case", _DELTA0)),
    "table1-row6-recurrence": _refs(("Recurrence.v", "thm9_two_kl_recurrence", "special-case", _DELTA0)),
    # item 3: amplification and bounds
    "thm3": _refs(("Amplification.v", "thm3_fixed_point"), ("Amplification.v", "thm3_h_gt_pref")),
    "thm3-proof": _refs(("Amplification.v", "thm3_h_gt_pref")),
    "abstract-amplification": _refs(("Amplification.v", "amplification_fixed_point_g"),
                                    ("Amplification.v", "thm3_fixed_point")),
    "appc-stages": _refs(("Amplification.v", "thm3_iterates")),
    "thm9-amplification": _refs(("Amplification.v", "amplification_iterates_g", "special-case", _DELTA0)),
    "table1-row6-amplification": _refs(("Amplification.v", "amplification_fixed_point_g", "special-case",
                                        "Delta* = 0")),
    "text-p1-fixed": _refs(("Amplification.v", "one_not_fixed", "refutation", "1 - h(1) > 0 for every parameter"),
                           ("Refutations.v", "text_p1_fixed_refuted", "refutation", "at the audit's point (interval)"),
                           ("Amplification.v", "fixed_point_bounds", "repaired")),
    # item 4: derivative of h
    "prop1.1": _refs(("Derivative.v", "prop11_fixed_point_exists")),
    "prop1.2": _refs(("Derivative.v", "prop12_derivative"), ("Derivative.v", "prop12_sign"),
                     ("Derivative.v", "prop12_min_at_half")),
    "lemma1": _refs(("Derivative.v", "lemma1_slope_at_fixed_point")),
    "cor-lemma1": _refs(("Derivative.v", "cor_lemma1")),
    # item 5: mirror and mean-only
    "thm5.1": _refs(("Mirror.v", "thm51_strict_increase"), ("Mirror.v", "thm51_no_interior_fixed_point")),
    "thm5.2a": _refs(("Mirror.v", "thm52_limit_one"), ("Mirror.v", "thm52a_increasing")),
    "thm5.2b": _refs(("Mirror.v", "thm52_limit_one", "statement", "global convergence to 1; the slope at 1 is not formalised")),
    "thm5.2c": _refs(("Mirror.v", "thm52c_absorbing")),
    "thm5-proof": _refs(("Mirror.v", "thm5_proof_ends"), ("Mirror.v", "thm52_limit_one")),
    "table1-row3-no-interior": _refs(("Mirror.v", "thm51_no_interior_fixed_point")),
    "table1-row3-limit": _refs(("Mirror.v", "mirror_std_limit_one")),
    "table1-row3-global": _refs(("Mirror.v", "mirror_std_limit_one")),
    "table1-row3-absorbing": _refs(("Mirror.v", "thm52c_absorbing")),
    "table1-row4-no-interior": _refs(("Mirror.v", "thm51_no_interior_fixed_point")),
    "table1-row4-recurrence": _refs(("Mirror.v", "sec5_mirror_closed_form")),
    "table1-row4-limit": _refs(("Mirror.v", "mirror_mean_limit_one")),
    "table1-row4-global": _refs(("Mirror.v", "mirror_mean_limit_one")),
    "takeaway-mirror-monotone": _refs(("Mirror.v", "thm52a_increasing"), ("Mirror.v", "thm52_limit_one")),
    "sec5-ref": _refs(("Mirror.v", "sec5_ref_one_step")),
    "sec5-mirror": _refs(("Mirror.v", "sec5_mirror_closed_form"), ("Mirror.v", "mirror_mean_limit_one")),
    "table1-row2-recurrence": _refs(("Mirror.v", "sec5_ref_one_step")),
    "table1-row2-fixed": _refs(("Mirror.v", "sec5_ref_one_step")),
    "table1-row2-stable": _refs(("Mirror.v", "sec5_ref_one_step")),
    "table1-row6-fixed": _refs(("Mirror.v", "two_kl_mean_fixed_point", "special-case", "Delta* = 0")),
    "table1-row6-contraction": _refs(("Mirror.v", "two_kl_mean_closed_form", "special-case", _DELTA0),
                                     ("Mirror.v", "two_kl_mean_converges", "special-case", _DELTA0)),
    # item 8: the audit's dynamics refutations and witnesses, re-checked with `interval`
    "abstract-convergence": _refs(("Refutations.v", "abstract_convergence_refuted", "refutation",
                                   "beta=5, p_ref=1/1000, eps=1/100000"),
                                  ("Refutations.v", "attracting_two_cycle", "witness")),
    "fig5-text": _refs(("Refutations.v", "abstract_convergence_refuted", "witness",
                        "beta=5, p_ref=1/1000: the orbit has no limit"),
                       ("Refutations.v", "attracting_two_cycle", "witness")),
    "table1-row5-contraction": _refs(("Refutations.v", "two_kl_not_contraction", "refutation",
                                      "alpha=1/2, beta=2, eps=1/1000, p_ref=1/100000"),
                                     ("Refutations.v", "two_kl_not_affine", "refutation",
                                      "L=9/5000, alpha=43/1000, beta=730000, eps=723/5000")),
    "thm3-boundary": _refs(("Refutations.v", "thm3_boundary_refuted", "refutation",
                            "p_ref in {0,1}: the map is constant, slope 0 for every beta")),
    "table1-row5-nonmonotone": _refs(("Refutations.v", "two_kl_decreasing_step", "witness")),
    "sec4-two-kl": _refs(("Refutations.v", "two_kl_decreasing_step", "witness")),
    "takeaway-ref-mixing": _refs(("Refutations.v", "two_kl_decreasing_step", "witness")),
    "text-nonunique": _refs(("Refutations.v", "three_fixed_points", "witness")),
    "fig5": _refs(("Refutations2.v", "fig5_panel_refuted", "refutation",
                   "beta=5, p_ref=1/10000, eps=1/100000, p_0 = p_ref: every limit and p_50 are >= 1 - 1e-6, "
                   "not the printed 0.0442"),
                  ("Refutations2.v", "fig5_orbit_converges", "witness",
                   "the orbit converges to a fixed point >= 1 - 1e-6"),
                  ("Refutations2.v", "fig5_printed_not_fixed", "witness",
                   "h(p) < p on [0.04415, 0.04425]: no fixed point rounds to 0.0442")),
    "remark1": _refs(("Refutations2.v", "remark1_lim_at_0", "refutation",
                      "eps=0, every p_ref in (0,1), beta>0: lim_(p->0+) h = 1 (Coquelicot filterlim)"),
                     ("Refutations2.v", "remark1_lim_at_1", "refutation",
                      "eps=0, every p_ref in (0,1), beta>0: lim_(p->1-) h = 1 (Coquelicot filterlim)"),
                     ("Refutations2.v", "remark1_near_zero", "witness",
                      "eps=0, p_ref=1/2, beta=1: h >= 1 - 1e-10 on [1e-8, 1e-4] (an instance, not the limit)"),
                     ("Refutations2.v", "remark1_near_one", "witness",
                      "eps=0, p_ref=1/2, beta=1: h >= 1 - 1e-10 on [1 - 1e-4, 1 - 1e-8]")),
}


# ------------------------------------------------------------------ sources
def proof_files(proofs_dir: Path = PROOFS_DIR) -> list[str]:
    """The ``.v`` files of ``_CoqProject``, in compilation order."""
    project = proofs_dir / "_CoqProject"
    if not project.is_file():
        return []
    return [ln.strip() for ln in project.read_text().splitlines() if ln.strip().endswith(".v")]


def strip_comments(text: str) -> str:
    """``text`` without Coq comments ``(* ... *)`` (nested), strings kept.

    >>> strip_comments("a (* b (* c *) d *) e")
    'a  e'
    """
    out, depth, i = [], 0, 0
    while i < len(text):
        two = text[i:i + 2]
        if two == "(*":
            depth, i = depth + 1, i + 2
        elif two == "*)" and depth:
            depth, i = depth - 1, i + 2
        else:
            if not depth:
                out.append(text[i])
            i += 1
    return "".join(out)


def forbidden_tokens(text: str) -> list[str]:
    """``Admitted``, ``admit``, ``Axiom``, ``Parameter``, ... occurring outside comments."""
    return _FORBIDDEN.findall(strip_comments(text))


def declared_theorems(text: str, kinds=None) -> list[str]:
    """Names of the Theorems, Lemmas, Corollaries, ... (or only ``kinds``) declared in a source.

    >>> declared_theorems("Lemma a : True.\\n(* Lemma b *)\\nTheorem c' : True.")
    ['a', "c'"]
    >>> declared_theorems("Lemma a : True.\\nTheorem c : True.", kinds=STATEMENT_KINDS)
    ['c']
    """
    return [m.group(2) for m in _DECL.finditer(strip_comments(text)) if kinds is None or m.group(1) in kinds]


# ------------------------------------------------------------------ compiling
def coqc_path() -> str | None:
    return shutil.which("coqc")


def coqc_status() -> str:
    """One line: the coqc found, or why nothing can be compiled."""
    exe = coqc_path()
    if exe is None:
        return f"coqc not found: formal proofs not compiled (install: {INSTALL_HINT})"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"coqc at {exe} does not run: {exc}"
    version = re.search(r"version\s+(\S+)", out)
    return f"coqc {version.group(1) if version else '?'} at {exe}"


@dataclass
class CompileReport:
    """The outcome of compiling ``proofs/coq``.

    ``status``: ``ok`` (every file compiled), ``failed``, ``no-coqc`` or ``no-proofs``;
    ``source``: where the result comes from (``"compiled in this run"`` or ``"build: PATH"``);
    ``theorems``: qualified name -> ``{"checked", "assumptions", "file"}``."""

    status: str
    message: str
    source: str = "compiled in this run"
    coqc: str = ""
    seconds: float = 0.0
    files: dict = field(default_factory=dict)
    theorems: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def accepted(assumptions: list[str], file: str) -> bool:
    """Whether a theorem of ``file`` may depend on these axioms (see the module docstring).

    >>> accepted(["Classical_Prop.classic"], "Mirror.v"), accepted(["PrimFloat.add"], "Mirror.v")
    (True, False)
    >>> accepted(["PrimFloat.add", "FloatAxioms.add_spec"], "Refutations.v")
    True
    """
    prim = file in INTERVAL_FILES
    return all(a in REAL_AXIOMS or (prim and a.startswith(PRIMITIVE_PREFIXES)) for a in assumptions)


def parse_assumptions(text: str) -> list[str]:
    """The axiom names in the output of ``Print Assumptions``.

    >>> parse_assumptions("Closed under the global context")
    []
    >>> parse_assumptions("Axioms:\\nA.x : nat\\nB.y\\n  : forall n,\\n    n = n\\n")
    ['A.x', 'B.y']
    """
    if "Closed under the global context" in text:
        return []
    names = []
    for line in text.splitlines():
        if not line or line[0].isspace() or line.rstrip().endswith(":") and " " not in line.strip():
            continue
        names.append(line.split(" :", 1)[0].strip())
    return names


def _run(cmd: list[str], cwd: Path, timeout: float) -> tuple[bool, str, float]:
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=max(timeout, 1))
        ok, msg = r.returncode == 0, (r.stderr + r.stdout).strip()
    except subprocess.TimeoutExpired:
        ok, msg = False, f"timed out after {timeout:.0f} s"
    return ok, msg, time.perf_counter() - t


def compile_proofs(timeout: float = 600, proofs_dir: Path = PROOFS_DIR) -> CompileReport:
    """Compile every file of ``proofs_dir`` (in a temporary copy) and run ``Print Assumptions``
    on every declared theorem; ``timeout`` bounds the whole run in seconds."""
    exe = coqc_path()
    if exe is None:
        return CompileReport("no-coqc", coqc_status())
    files = proof_files(proofs_dir)
    if not files:
        return CompileReport("no-proofs", f"no Coq sources at {proofs_dir} (run from the repository root, where proofs/coq is)")
    start = time.perf_counter()
    report = CompileReport("ok", "", coqc=coqc_status())
    with tempfile.TemporaryDirectory(prefix="grpo-coq-") as tmp:
        work = Path(tmp)
        for name in files + ["_CoqProject"]:
            shutil.copy(proofs_dir / name, work / name)
        base = [exe, "-q", "-R", ".", LOGICAL_ROOT, "-w", COQ_WARNINGS]
        names = []
        for name in files:
            left = timeout - (time.perf_counter() - start)
            ok, msg, secs = _run(base + [name], work, left)
            report.files[name] = {"ok": ok, "seconds": round(secs, 2), "error": "" if ok else msg[-2000:]}
            if not ok:
                report.status, report.message = "failed", f"{name} does not compile: {msg.splitlines()[-1] if msg else '?'}"
                break
            names += [(name, t) for t in _to_print(name, (proofs_dir / name).read_text())]
        if report.status == "ok":
            _print_assumptions(base, work, names, report, timeout - (time.perf_counter() - start))
    report.seconds = round(time.perf_counter() - start, 2)
    if report.status == "ok":
        report.message = f"{len(report.files)} files, {len(report.theorems)} theorems checked in {report.seconds} s"
    return report


def _to_print(file: str, text: str) -> list[str]:
    """The theorems of ``file`` whose assumptions are printed: every Theorem/Corollary and every
    name of :data:`FORMAL_MAP`."""
    mapped = {r.theorem for refs in FORMAL_MAP.values() for r in refs if r.file == file}
    names = declared_theorems(text, kinds=STATEMENT_KINDS)
    return names + sorted(mapped - set(names))


def _print_assumptions(base, work: Path, names, report: CompileReport, timeout: float, jobs: int = 2) -> None:
    """``Print Assumptions`` for every ``(file, theorem)`` of ``names``, in ``jobs`` coqc processes."""
    mods = " ".join(Path(f).stem for f in report.files)
    procs = []
    for j in range(jobs):
        lines = [f"From {LOGICAL_ROOT} Require Import {mods}."]
        lines += [f'Redirect "pa_{i}" Print Assumptions {LOGICAL_ROOT}.{Path(f).stem}.{t}.'
                  for i, (f, t) in enumerate(names) if i % jobs == j]
        (work / f"PrintAssumptions{j}.v").write_text("\n".join(lines) + "\n")
        procs.append(subprocess.Popen(base + [f"PrintAssumptions{j}.v"], cwd=work, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
    deadline = time.perf_counter() + max(timeout, 1)
    for p in procs:
        try:
            out, _ = p.communicate(timeout=max(deadline - time.perf_counter(), 1))
        except subprocess.TimeoutExpired:
            for q in procs:
                q.kill()
            report.status, report.message = "failed", "Print Assumptions timed out"
            return
        if p.returncode != 0:
            report.status, report.message = "failed", f"Print Assumptions failed: {out[-500:]}"
    if report.status != "ok":
        return
    for i, (file, thm) in enumerate(names):
        out = work / f"pa_{i}.out"
        axioms = parse_assumptions(out.read_text()) if out.is_file() else ["<no output>"]
        report.theorems[f"{LOGICAL_ROOT}.{Path(file).stem}.{thm}"] = {
            "file": file, "assumptions": axioms, "checked": accepted(axioms, file)}


def save_report(report: CompileReport, path) -> None:
    Path(path).write_text(json.dumps(report.to_json(), indent=1))


def load_report(path) -> CompileReport:
    """A report recorded by a build (``python -m grpo_symbolic.verify.formal --json PATH``)."""
    data = json.loads(Path(path).read_text())
    data["source"] = f"build: {path}"
    return CompileReport(**data)


# ------------------------------------------------------------------ evidence
def formal_evidence(claim_id: str, report: CompileReport | None) -> dict | None:
    """The ``evidence.formal`` entry of ``claim_id`` (None when no Coq theorem backs it).

    ``checked`` is true only when ``report`` compiled the file and every listed theorem passed
    ``Print Assumptions``; ``checked_by`` says where that comes from."""
    refs = FORMAL_MAP.get(claim_id)
    if not refs:
        return None
    rows = []
    for ref in refs:
        t = report.theorems.get(ref.qualname) if report is not None and report.status == "ok" else None
        rows.append({"file": f"proofs/coq/{ref.file}", "theorem": ref.qualname, "scope": ref.scope,
                     "note": ref.note, "checked": bool(t and t["checked"]),
                     "assumptions": t["assumptions"] if t else None})
    first = rows[0]
    if report is None:
        by = "not compiled (run `grpo-symbolic audit --formal`)"
    elif report.status != "ok":
        by = f"not checked: {report.message}"
    else:
        by = report.source
    return {"assistant": ASSISTANT, "file": first["file"], "theorem": first["theorem"], "scope": first["scope"],
            "checked": all(r["checked"] for r in rows), "checked_by": by, "theorems": rows}


def formal_mark(evidence_formal: dict | None) -> str:
    """The short mark shown in the audit table and the book.

    >>> formal_mark(None), formal_mark({"checked": True}), formal_mark({"checked": False})
    ('', 'formally proved (Coq)', 'Coq proof not checked')
    """
    if not evidence_formal:
        return ""
    return "formally proved (Coq)" if evidence_formal["checked"] else "Coq proof not checked"


def main(argv=None) -> int:
    """``python -m grpo_symbolic.verify.formal [--json PATH] [--timeout S]``: compile and summarise."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m grpo_symbolic.verify.formal")
    ap.add_argument("--json", help="write the report here")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args(argv)
    rep = compile_proofs(args.timeout)
    print(f"formal proofs: {rep.status}: {rep.message}")
    bad = [n for n, t in rep.theorems.items() if not t["checked"]]
    for n in bad:
        print(f"  unaccepted assumptions in {n}: {rep.theorems[n]['assumptions']}")
    if args.json:
        save_report(rep, args.json)
    return 0 if rep.status in ("ok", "no-coqc") and not bad else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
