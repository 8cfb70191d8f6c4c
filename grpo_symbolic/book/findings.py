r"""The audit's findings as the book shows them: verdict counts, the errata, one section each.

The book's home page, its audit chapter and its errata chapter are generated from one
document: the output of ``grpo-symbolic audit --json`` (:func:`grpo_symbolic.audit.runner.audit_json`)
with, for every statement, its text as printed (``STATEMENTS.md``), its place in the paper and
the counterexample the audit's report would show.  :func:`audit_document` computes it once per
version of the package and keeps it in a cache folder (the audit takes minutes), so that every
page of one build shows the same audit.

Nothing here makes a verdict: the labels are read from the audit's results.  The rest of the
module turns the document into MyST markdown (:func:`errata_list`, :func:`errata_sections`,
:func:`statements_table`, :func:`verdict_table`), with an anchor per erratum
(:func:`erratum_anchor`) and per statement (:func:`claim_anchor`) that the book's ``{claim}``
role links to.

>>> erratum_anchor("thm8.1"), claim_anchor("sec2.2-clip-fx")
('erratum-thm8-1', 'claim-sec2-2-clip-fx')
>>> reproduce_lines("thm8.1")
['grpo-symbolic audit --only thm8.1', 'python proofs/proof_thm8_1.py']
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

from ..audit.make_proofs import script_name
from ..verify.verdict import (ARGUED, CERTIFIED, NOT_CHECKABLE, NOT_REPRODUCED, PROVED, REFUTED, REPRODUCED,
                              UNDECIDED)

#: verdicts in the order the book lists them
VERDICT_ORDER = (PROVED, CERTIFIED, REFUTED, ARGUED, UNDECIDED, REPRODUCED, NOT_REPRODUCED, NOT_CHECKABLE)
#: classes of errata, most serious first: (key, heading, what it means)
SEVERITIES = (
    ("substantive", "Substantive errata",
     "the statement is false as printed and no misprint explains it"),
    ("typo", "Misprints",
     "the statement is false as printed; an obvious repair (a sign, a factor, a missing "
     "hypothesis) holds"),
    (NOT_REPRODUCED, "Figures not reproduced",
     "the figure, regenerated from its stated parameters, disagrees with the printed one"),
)
#: the environment variable that names the cache folder of :func:`audit_document`
CACHE_ENV = "GRPO_BOOK_AUDIT_CACHE"
#: the book page that holds one section per erratum, and the one with the statement table
ERRATA_DOC, AUDIT_DOC = "errata", "audit"


# --------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------


def package_hash() -> str:
    """SHA-256 over the relative paths and bytes of the package's ``.py`` files (the
    audit's results are those of this exact source)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def compute_document(ids=None) -> dict:
    """Run the audit (all statements, or ``ids``): ``audit --json``'s document, each claim
    with ``printed``, ``section`` and ``counterexample`` added."""
    from ..audit.report import _find_counterexample
    from ..audit.runner import audit_json, run_audit

    reports = run_audit(ids)
    doc = audit_json(reports)
    for rep, claim in zip(reports, doc["claims"]):
        claim["printed"] = rep.printed
        claim["section"] = rep.section
        claim["counterexample"] = _find_counterexample(rep.result)
    return json.loads(json.dumps(doc, default=str))


def audit_document(cache_dir=None, log=None) -> dict:
    """The audit document of :func:`compute_document`, from ``cache_dir`` (default
    ``$GRPO_BOOK_AUDIT_CACHE``, else ``_build/.audit_cache`` under the working folder)
    when this version of the package has been audited before."""
    cache = Path(cache_dir or os.environ.get(CACHE_ENV) or Path("_build") / ".audit_cache")
    path = cache / f"audit-{package_hash()[:20]}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    if log:
        log(f"running the audit for the book (cached in {path})")
    doc = compute_document()
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("audit-*.json"):
        old.unlink()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return doc


def counts(doc) -> Counter:
    """How many statements have each verdict.

    >>> counts({"claims": [{"verdict": "proved"}, {"verdict": "refuted"}, {"verdict": "proved"}]})
    Counter({'proved': 2, 'refuted': 1})
    """
    return Counter(c["verdict"] for c in doc["claims"])


def severity(claim) -> str | None:
    """``substantive``, ``typo`` or ``not-reproduced`` for an erratum, else None."""
    if claim["verdict"] == REFUTED:
        return claim.get("erratum") or "substantive"
    if claim["verdict"] == NOT_REPRODUCED:
        return NOT_REPRODUCED
    return None


def errata(doc) -> list[dict]:
    """The claims that do not hold as printed, most serious first, in paper order within a class.

    >>> doc = {"claims": [{"id": "a", "verdict": "refuted", "erratum": "typo"},
    ...                   {"id": "b", "verdict": "proved"},
    ...                   {"id": "c", "verdict": "refuted", "erratum": "substantive"}]}
    >>> [c["id"] for c in errata(doc)]
    ['c', 'a']
    """
    rank = {key: i for i, (key, _, _) in enumerate(SEVERITIES)}
    found = [c for c in doc["claims"] if severity(c) is not None]
    return sorted(found, key=lambda c: rank[severity(c)])


def _slug(cid: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", cid.lower()).strip("-")


def erratum_anchor(cid: str) -> str:
    """The HTML id of an erratum's section in the errata chapter."""
    return "erratum-" + _slug(cid)


def claim_anchor(cid: str) -> str:
    """The HTML id of a statement's row in the audit chapter's table."""
    return "claim-" + _slug(cid)


def reproduce_lines(cid: str) -> list[str]:
    """The two commands that reproduce one verdict: the audit of it, and its proof script."""
    return [f"grpo-symbolic audit --only {cid}", f"python proofs/{script_name(cid)}"]


# --------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------


def _cell(text, n: int | None = None) -> str:
    s = " ".join(str(text).split())
    return s if n is None or len(s) <= n else s[: n - 1] + "…"


def _tex_safe(text: str) -> str:
    """Plain text from the audit (summaries use ASCII maths like ``p_ref`` or ``1e-5``)
    made safe for MyST: no ``$``, no ``*``/``_`` emphasis by accident."""
    return re.sub(r"([*_`$<>|\\])", r"\\\1", " ".join(str(text).split()))


def verdict_table(doc) -> str:
    """The verdict counts as a two-column markdown table, in :data:`VERDICT_ORDER`."""
    c = counts(doc)
    rows = ["| verdict | statements |", "|:--|--:|"]
    rows += [f"| {v} | {c[v]} |" for v in VERDICT_ORDER if c[v]]
    rows.append(f"| **total** | **{sum(c.values())}** |")
    return "\n".join(rows)


def errata_list(doc) -> str:
    """The errata by severity, each a link to its section (for the home page)."""
    out = []
    for key, heading, meaning in SEVERITIES:
        items = [c for c in errata(doc) if severity(c) == key]
        if not items:
            continue
        out += [f"**{heading}** ({len(items)}): {meaning}.", ""]
        for c in items:
            out.append(f"* {{claim}}`{c['id']}` ({_source(c)}): {_tex_safe(_first_sentence(c['summary']))}")
        out.append("")
    return "\n".join(out)


def _source(claim) -> str:
    """Where the statement sits in the paper, as the catalogue writes it (MyST with TeX)."""
    return " ".join(str(claim["source"]).split()).replace("|", "\\|")


def _first_sentence(s: str, n: int = 200) -> str:
    """The gist of a finding: up to its first ``"; "`` when that is long enough, cut at a
    word boundary near ``n`` characters.

    >>> _first_sentence("as printed it fails, e.g. x=2; with x and y swapped it holds")
    'as printed it fails, e.g. x=2'
    """
    s = " ".join(s.split())
    head = s.split("; ")[0]
    s = head if len(head) >= 25 else s
    if len(s) <= n:
        return s
    return s[:n].rsplit(" ", 1)[0] + " …"


def statements_table(doc) -> str:
    """Every statement: id (with its anchor), place, verdict, the finding in one line."""
    rows = ["| statement | verdict | finding |", "|:--|:--|:--|"]
    for c in doc["claims"]:
        cid = c["id"]
        ident = f'<span id="{claim_anchor(cid)}"></span>`{cid}`'
        if severity(c):
            ident = f'<span id="{claim_anchor(cid)}"></span>{{claim}}`{cid}`'
        rows.append(f"| {ident}<br><small>{_source(c)}</small> | **{c['verdict']}** | "
                    f"{_tex_safe(_cell(c['summary'], 200))} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------------------
# One section per erratum
# --------------------------------------------------------------------------------------

#: how the audit's variable names are written in the book
_TEX_NAMES = {"beta": r"\beta", "alpha": r"\alpha", "eps": r"\varepsilon", "epsilon": r"\varepsilon",
              "p_ref": r"p_{\mathrm{ref}}", "p_prev": r"p_{n-1}", "clip_epsilon": r"\epsilon_{\mathrm{clip}}",
              "delta*": r"\delta^*", "delta_1": r"\delta_1"}


def tex_name(name: str) -> str:
    r"""A variable of a counterexample point as inline maths (``$\beta$``), else as code.

    >>> tex_name("beta"), tex_name("r0"), tex_name("X_S"), tex_name("delta_n (n>=2)")
    ('$\\beta$', '$r_{0}$', '$X_{S}$', '`delta_n (n>=2)`')
    """
    if name in _TEX_NAMES:
        return f"${_TEX_NAMES[name]}$"
    m = re.fullmatch(r"([A-Za-z]{1,2})_?(\d+|[A-Z])", name)
    if m:
        return f"${m.group(1)}_{{{m.group(2)}}}$"
    if re.fullmatch(r"[A-Za-z]", name):
        return f"${name}$"
    return f"`{name}`"


def exact_value(v) -> str:
    """An exact value of the audit as the book prints it: ``7/1`` as ``7``, a fraction with
    its decimal value, in scientific notation when far from 1 (or close to 1 from below).

    >>> exact_value("730000/1"), exact_value("13/25000000"), exact_value("1/3"), exact_value("x")
    ('730000', '13/25000000 = 5.2e-07', '1/3 ≈ 0.333', 'x')
    >>> exact_value("99999/100000")
    '99999/100000 = 1 − 1e-05'
    """
    from fractions import Fraction

    s = str(v).strip()
    m = re.fullmatch(r"(-?\d+)/1", s)
    if m:
        return m.group(1)
    if "/" not in s:
        return s
    try:
        q = Fraction(s)
    except (ValueError, ZeroDivisionError):
        return s
    if q.denominator == 1:
        return s
    x = float(q)
    if 0.99 < x < 1:
        dec, eq = f"1 − {float(1 - q):.3g}", Fraction(str(float(1 - q))) == 1 - q
    else:
        dec = f"{x:.3g}" if 1e-3 <= abs(x) < 1e4 else f"{x:.2g}"
        eq = Fraction(dec) == q
    return f"{s} {'=' if eq else '≈'} {dec}"


def counterexample_table(claim) -> str:
    """The counterexample of a refuted claim as a small markdown table: where it fails,
    the exact point, the two sides (Arb balls) or the value, and what certified it; a
    second table for a counterexample given as rows (an exact sequence).  '' if none."""
    cert = claim.get("evidence", {}).get("certificate", {})
    cex = claim.get("counterexample") or {}
    point = cert.get("point") or cex.get("point") or {}
    if not isinstance(point, dict) or not (point or cex):
        return ""
    rows = []
    if cert.get("part"):
        rows.append(("fails in", _tex_safe(cert["part"])))
    rows += [(tex_name(k), exact_value(v)) for k, v in point.items()]
    for key, label in (("lhs", "left-hand side"), ("rhs", "right-hand side"),
                       ("residual_ball", "left − right"), ("value", "value")):
        val = cex.get(key, cert.get(key) if key == "value" else None)
        if val is not None:
            rows.append((label, f"`{_cell(val, 90)}`"))
    if cex.get("orbit"):
        rows.append(("orbit", _tex_safe(cex["orbit"])))
    out = ["| quantity | exact value |", "|:--|:--|"] + [f"| {a} | {b} |" for a, b in rows]
    if cert.get("certified_by"):
        out += ["", f"*Certified by* {_tex_safe(cert['certified_by'])}."]
    command = cex.get("command") or cert.get("command")
    if command:
        out += ["", "```bash", command, "```"]
    seq = cex.get("rows") or claim.get("evidence", {}).get("rows")
    if isinstance(seq, list) and seq and isinstance(seq[0], dict):
        keys = list(seq[0])
        out += ["", "| " + " | ".join(f"`{k}`" for k in keys) + " |", "|" + "--:|" * len(keys)]
        out += ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in seq]
    return "\n".join(out)


def figure_table(claim) -> str:
    """For a figure not reproduced: its panels whose printed value differs from the
    computed one (certified limit to 4 decimals), as a table.  '' if none."""
    panels = claim.get("evidence", {}).get("panels") or []
    rows = []
    for p in panels:
        lim = p.get("limit")
        try:
            shown = f"{float(lim):.4f}"
        except (TypeError, ValueError):
            shown = str(lim)
        if shown != p.get("printed"):
            rows.append(f"| {p.get('beta')} | {p.get('p_ref')} | {p.get('printed')} | "
                        f"{_tex_safe(exact_or_near_one(lim))} | {_tex_safe(exact_or_near_one(p.get('p_last')))} |")
    if not rows:
        return ""
    return "\n".join(["| $\\beta$ | $p_{\\mathrm{ref}}$ | printed | computed limit | $p_{50}$ |",
                      "|--:|--:|--:|:--|:--|", *rows])


def exact_or_near_one(x) -> str:
    """A probability as the book prints it: 4 decimals, but ``1 − 2.3e-05`` near 1 and
    ``1.2e-07`` near 0, so that a value is never shown as ``1.0000`` or ``0.0000``.

    >>> exact_or_near_one("0.99997"), exact_or_near_one("1.0"), exact_or_near_one(0.25), exact_or_near_one(1.6e-3)
    ('1 − 3e-05', '1', '0.2500', '0.0016')
    >>> exact_or_near_one(2e-7), exact_or_near_one("unresolved")
    ('2e-07', 'unresolved')
    """
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if v == 1 or v == 0:
        return f"{v:.0f}"
    if v > 0.9999:
        return f"1 − {1 - v:.2g}"
    if 0 < v < 1e-3:
        return f"{v:.2g}"
    return f"{v:.4f}"


def printed_markdown(text: str, width: float = 50) -> list[str]:
    """A statement as the catalogue prints it, as the lines of a MyST block quote, every
    display formula broken to fit the column (:func:`grpo_symbolic.book.tex.fit_display`);
    an inline formula wider than the column is set as a display.

    >>> printed_markdown("We have $a = b$.")
    ['> We have $a = b$.']
    >>> printed_markdown("So $" + "x + " * 30 + "y$. Done.", width=20)[:3]
    ['> So', '>', '> $$']
    """
    from ..figures import visual_width
    from .tex import fit_display

    def widen(m):  # an inline formula too wide for a line becomes a display
        tex, punct = m.group(1), m.group(2) or ""
        if visual_width(tex) <= width:
            return m.group(0)
        return f"\n\n$${tex}{punct}$$\n\n"

    text = re.sub(r"(?<![$\\])\$([^$\n]+?)\$(?!\$)([.,;:]?)", widen, text)
    out = []
    parts = re.split(r"\$\$(.+?)\$\$", text, flags=re.DOTALL)
    for k, part in enumerate(parts):
        if k % 2:
            out += [">", "> $$"] + ["> " + ln for ln in fit_display(part, width).splitlines()] + ["> $$", ">"]
        else:
            out += ["> " + ln.rstrip() if ln.strip() else ">" for ln in part.strip("\n").splitlines()
                    if part.strip()]
    return out


def _printed_body(claim) -> str:
    """The catalogue's entry without its leading ``**`id`** (source)``, which the
    section's heading already shows."""
    text = claim.get("printed", "")
    head = f"**`{claim['id']}`**"
    if text.startswith(head):
        text = text[len(head):].lstrip()
        src = f"({claim['source']})"
        if text.startswith(src):
            text = text[len(src):].lstrip()
    return text


_REPAIR_NOTE = {
    PROVED: "SymPy reduces the repaired statement itself to 0 or True",
    CERTIFIED: "interval enclosures cover its whole domain",
    ARGUED: "a classical argument, written out but not machine-checked: the repair is plausible, not proved",
    UNDECIDED: "the checks could not settle it",
    REFUTED: "the repair itself fails, at an exact, Arb-checked point",
}


def erratum_section(claim, level: int = 3) -> str:
    """One erratum as a MyST section with its anchor (:func:`erratum_anchor`): the
    statement as printed, the reading checked, the finding, the counterexample as a table,
    the repaired statement with its own verdict, and the two commands that reproduce it."""
    cid = claim["id"]
    sev = severity(claim)
    kind = {"substantive": "substantive erratum", "typo": "misprint",
            NOT_REPRODUCED: "figure not reproduced"}[sev]
    out = [f"({erratum_anchor(cid)})=", f"{'#' * level} `{cid}` · {_source(claim)}", "",
           f"**{claim['verdict']}** ({kind}). {_tex_safe(claim['summary'])}", "",
           "**As printed.**", ""]
    out += printed_markdown(_printed_body(claim)) + [""]
    if claim.get("reading"):
        out += [f"**Reading checked.** {_tex_safe(claim['reading'])}", ""]
    table = figure_table(claim) if sev == NOT_REPRODUCED else counterexample_table(claim)
    if table:
        out += ["**Counterexample.**" if sev != NOT_REPRODUCED else "**Panels that differ.**", "", table, ""]
    rep = claim.get("repaired")
    if rep:
        v = rep["verdict"]
        out += [f"**Repaired statement** — **{v}**: {_tex_safe(rep['statement'])}", ""]
        note = _REPAIR_NOTE.get(v)
        why = f" *Its check:* {_tex_safe(rep['summary'])}" if rep.get("summary") else ""
        if v in (PROVED, CERTIFIED):
            out += [f"*Why it holds:* {note}.{why}", ""]
        else:
            out += [f"*Why the repair is not a proof:* {note}.{why}", ""]
    else:
        out += ["**Repaired statement.** None is checked: the audit records no repair of this statement.", ""]
    out += ["**Reproduce it.**", "", "```bash", *reproduce_lines(cid), "```", ""]
    return "\n".join(out)


def errata_sections(doc) -> str:
    """Every erratum's section, grouped under a heading per class, most serious first."""
    out = []
    for key, heading, meaning in SEVERITIES:
        items = [c for c in errata(doc) if severity(c) == key]
        if not items:
            continue
        out += [f"(errata-{key})=", f"## {heading}", "", f"{len(items)} statement(s): {meaning}.", ""]
        out += [erratum_section(c) for c in items]
    return "\n".join(out)
