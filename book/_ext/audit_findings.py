"""Sphinx extension of the grpo_symbolic book: pages made from the audit, and the ``{claim}`` role.

* The audit is run once per version of the package while the book is built
  (:func:`grpo_symbolic.book.findings.audit_document`, cached in ``_build/.audit_cache``,
  or in ``$GRPO_BOOK_AUDIT_CACHE``; ``$GRPO_BOOK_AUDIT_JSON`` names a document to use as is).
* Its verdict counts are MyST substitutions that any page may use: ``{{ n_total }}``,
  ``{{ n_proved }}``, ``{{ n_refuted }}``, ``{{ n_not_reproduced }}``, ...,
  ``{{ n_errata }}``, ``{{ n_substantive }}``, ``{{ n_typo }}``.
* A line ``<!-- findings: NAME -->`` of a page is replaced, before the page is parsed, by
  the generated MyST of :data:`BLOCKS` (the errata list, one section per erratum, the
  statement table, the verdict table).  An unknown NAME stops the build.
* ``{claim}`ID``` links a statement id to its section in the errata chapter when the
  statement is an erratum, else to its row in the audit chapter's table.  An unknown id
  is a build warning (an error with ``-W``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from grpo_symbolic.book import findings as F

logger = logging.getLogger(__name__)

#: a file holding the document of :func:`grpo_symbolic.book.findings.compute_document`
#: to use instead of running the audit (to iterate on the pages' layout quickly)
JSON_ENV = "GRPO_BOOK_AUDIT_JSON"

MARKER = re.compile(r"^<!--\s*findings:\s*([a-z-]+)\s*-->[ \t]*$", re.MULTILINE)

BLOCKS = {
    "verdict-table": F.verdict_table,
    "errata-list": F.errata_list,
    "errata-sections": F.errata_sections,
    "statements-table": F.statements_table,
}


def _document(app) -> dict:
    if getattr(app, "_grpo_audit", None) is None:
        given = os.environ.get(JSON_ENV)
        if given:   # a document written before (a development aid: no audit run)
            app._grpo_audit = json.loads(Path(given).read_text(encoding="utf-8"))
        else:
            cache = os.environ.get(F.CACHE_ENV) or Path(app.outdir).parent / ".audit_cache"
            app._grpo_audit = F.audit_document(cache, log=logger.info)
    return app._grpo_audit


def _substitutions(app, config) -> None:
    doc = _document(app)
    c = F.counts(doc)
    subs = dict(config.myst_substitutions or {})
    for v in F.VERDICT_ORDER:
        subs["n_" + v.replace("-", "_")] = str(c[v])
    errata = F.errata(doc)
    subs["n_total"] = str(len(doc["claims"]))
    subs["n_errata"] = str(len(errata))
    for key, _, _ in F.SEVERITIES:
        subs["n_" + key.replace("-", "_")] = str(sum(F.severity(e) == key for e in errata))
    config.myst_substitutions = subs


def _source_read(app, docname, source) -> None:
    def block(m):
        name = m.group(1)
        if name not in BLOCKS:
            raise ExtensionError(f"{docname}: unknown findings block {name!r} (known: {', '.join(BLOCKS)})")
        return BLOCKS[name](_document(app))

    source[0] = MARKER.sub(block, source[0])


class claim_ref(nodes.Inline, nodes.TextElement):
    """A statement id, resolved to a link once every page is read."""


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    cid = text.strip()
    node = claim_ref(rawtext, "", nodes.literal(cid, cid), claim=cid)
    node.line = lineno
    return [node], []


def _resolve(app, doctree, docname) -> None:
    claims = {c["id"]: c for c in _document(app)["claims"]}
    for node in list(doctree.findall(claim_ref)):
        cid = node["claim"]
        claim = claims.get(cid)
        if claim is None:
            logger.warning(f"unknown statement id in {{claim}}: {cid!r}", location=node)
            node.replace_self(nodes.literal(cid, cid))
            continue
        if F.severity(claim):
            target, anchor = F.ERRATA_DOC, F.erratum_anchor(cid)
        else:
            target, anchor = F.AUDIT_DOC, F.claim_anchor(cid)
        uri = "" if target == docname else app.builder.get_relative_uri(docname, target)
        ref = nodes.reference("", "", internal=True, refuri=f"{uri}#{anchor}",
                              reftitle=f"{cid}: {claim['verdict']}", classes=["claim-ref"])
        ref += nodes.literal(cid, cid)
        node.replace_self(ref)


def setup(app):
    app.connect("config-inited", _substitutions)
    app.connect("source-read", _source_read)
    app.connect("doctree-resolved", _resolve)
    app.add_node(claim_ref)
    app.add_role("claim", claim_role)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
