"""The audit's findings as the book shows them (grpo_symbolic.book.findings, .tex) and the
book's Sphinx extension that puts them on its pages (book/_ext/audit_findings.py)."""

from __future__ import annotations

import doctest
import importlib.util
import re
from pathlib import Path

import pytest

from grpo_symbolic.audit.golden import pinned
from grpo_symbolic.audit.statements import statements
from grpo_symbolic.book import findings as F
from grpo_symbolic.book import tex as T
from grpo_symbolic.figures import visual_width

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


@pytest.fixture(scope="module")
def doc():
    # three cheap claims: a misprint with a counterexample point, a substantive erratum with an
    # exact sequence as counterexample, and a proved statement
    return F.compute_document(["sec2.2-clip-fx", "thm10", "eq3"])


@pytest.mark.parametrize("mod", [F, T])
def test_doctests(mod):
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0


def test_every_pinned_erratum_has_its_proof_script():
    errata = [cid for cid, p in pinned().items() if p.verdict in ("refuted", "not-reproduced")]
    assert errata
    for cid in errata:
        audit, script = F.reproduce_lines(cid)
        assert audit == f"grpo-symbolic audit --only {cid}"
        assert (ROOT / script.split()[1]).is_file(), script


def test_errata_order_follows_the_pinned_classes():
    pins = pinned()
    doc = {"claims": [{"id": c, "verdict": p.verdict, "erratum": p.erratum} for c, p in pins.items()]}
    got = [c["id"] for c in F.errata(doc)]
    # independent route: the golden file's classes, sorted by hand
    subst = [c for c, p in pins.items() if p.verdict == "refuted" and p.erratum == "substantive"]
    typo = [c for c, p in pins.items() if p.verdict == "refuted" and p.erratum == "typo"]
    fig = [c for c, p in pins.items() if p.verdict == "not-reproduced"]
    assert got == subst + typo + fig
    assert sum(F.counts(doc).values()) == len(pins)


def test_document_carries_what_the_pages_need(doc):
    by_id = {c["id"]: c for c in doc["claims"]}
    assert [c["id"] for c in doc["claims"]] == ["sec2.2-clip-fx", "thm10", "eq3"]
    assert by_id["sec2.2-clip-fx"]["printed"] == statements()["sec2.2-clip-fx"].text
    assert by_id["thm10"]["counterexample"] and by_id["eq3"]["counterexample"] is None


def test_erratum_section(doc):
    claim = next(c for c in doc["claims"] if c["id"] == "sec2.2-clip-fx")
    md = F.erratum_section(claim)
    assert md.startswith(f"({F.erratum_anchor('sec2.2-clip-fx')})=\n### `sec2.2-clip-fx`")
    for part in ("**As printed.**", "**Counterexample.**", "**Repaired statement** — **proved**",
                 "grpo-symbolic audit --only sec2.2-clip-fx", "python proofs/proof_sec2_2_clip_fx.py"):
        assert part in md, part
    # every coordinate of the certified point is in the table, with its exact value
    point = claim["evidence"]["certificate"]["point"]
    for name, value in point.items():
        assert f"| {F.tex_name(name)} | {F.exact_value(value)} |" in md
    assert claim["printed"].split("(", 1)[0] not in md.split("**As printed.**")[1][:40]


def test_sequence_counterexample_is_a_table(doc):
    claim = next(c for c in doc["claims"] if c["id"] == "thm10")
    table = F.counterexample_table(claim)
    rows = claim["evidence"]["rows"]
    assert len([ln for ln in table.splitlines() if re.match(r"\| \d+ \|", ln)]) == len(rows)


def test_statement_table_anchors_every_claim(doc):
    table = F.statements_table(doc)
    for c in doc["claims"]:
        assert f'<span id="{F.claim_anchor(c["id"])}"></span>' in table
    assert "{claim}`sec2.2-clip-fx`" in table and "{claim}`eq3`" not in table


def test_exact_or_near_one_never_rounds_to_the_ends():
    for x in (1 - 1e-5, 1 - 3e-9, 2e-7, 4e-4):
        s = F.exact_or_near_one(x)
        assert s not in ("1.0000", "0.0000"), s
        value = 1 - float(s.split("−")[1]) if "−" in s else float(s)
        assert abs(value - x) <= 0.05 * min(x, 1 - x), (x, s)


def _displays():
    for st in statements().values():
        for m in re.finditer(r"\$\$(.+?)\$\$", st.text, re.DOTALL):
            yield st.id, m.group(1)


def _tokens(tex):
    """The TeX without the layout fit_display may add, and without spaces."""
    tex = re.sub(r"\\(begin|end)\{aligned\}|\\(small|footnotesize|scriptsize)\b|\\quad|\\qquad|&|\\\\", "", tex)
    return re.sub(r"\s+", "", tex)


@pytest.mark.parametrize("width", [40, 54])
def test_fit_display_keeps_the_tex_and_fits(width):
    n = 0
    for cid, tex in _displays():
        out = T.fit_display(tex, width)
        assert _tokens(out) == _tokens(tex), cid
        size = out.split()[0]
        scale = dict(T._SIZES).get(size, 1.0)
        body = out[len(size):] if size in dict(T._SIZES) else out
        lines = re.sub(r"\\(begin|end)\{aligned\}", "", body).split("\\\\")
        widest = max(visual_width(ln.replace("&", "").strip()) for ln in lines)
        # a line may stay too wide only if it is one unbreakable piece, shrunk as far as it goes
        if widest * scale > width:
            assert out.startswith(T._SIZES[-1][0]), (cid, out)
        n += 1
    assert n > 10


# ---------------------------------------------------------------- the Sphinx extension

def _ext():
    pytest.importorskip("sphinx")
    spec = importlib.util.spec_from_file_location("_book_ext_audit_findings", BOOK / "_ext" / "audit_findings.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _App:
    def __init__(self, doc):
        self._grpo_audit = doc


def test_extension_blocks_and_substitutions(doc):
    ext = _ext()
    app = _App(doc)
    src = ["# Home\n\n<!-- findings: errata-list -->\n\ntext\n"]
    ext._source_read(app, "intro", src)
    assert "{claim}`sec2.2-clip-fx`" in src[0] and "{claim}`thm10`" in src[0] and "<!--" not in src[0]
    with pytest.raises(Exception, match="unknown findings block"):
        ext._source_read(app, "intro", ["<!-- findings: nonsense -->\n"])

    class Cfg:
        myst_substitutions = {"keep": "me"}

    ext._substitutions(app, Cfg)
    subs = Cfg.myst_substitutions
    assert subs["keep"] == "me" and subs["n_total"] == "3" and subs["n_refuted"] == "2"
    assert subs["n_proved"] == "1" and subs["n_errata"] == "2"
    assert int(subs["n_substantive"]) + int(subs["n_typo"]) == 2


def test_every_marker_in_the_book_is_known():
    ext = _ext()
    for md in BOOK.glob("*.md"):
        for name in ext.MARKER.findall(md.read_text(encoding="utf-8")):
            assert name in ext.BLOCKS, (md.name, name)
