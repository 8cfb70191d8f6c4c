"""Sphinx extension of the grpo_symbolic book: keep the built site offline.

* Any script or stylesheet that a page would load from another host (``http://``,
  ``https://`` or protocol-relative ``//``) is a build warning, hence a build error
  under ``-W``.  The same holds for a remote ``mathjax_path``.
* After the build, MathJax must lie in ``_static/mathjax`` (copied there by the pip
  package ``sphinx-mathjax-offline``); its ``latest.js``, a loader that looks up the
  newest MathJax on a CDN and that no page uses, is removed from the output.

The full check of what a reader gets is ``python -m grpo_symbolic.book.check``.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)

#: MathJax entry point the book uses, relative to ``_static``.
MATHJAX_ENTRY = "mathjax/tex-chtml.js"
#: files of the vendored MathJax that no page loads and that would reach a CDN.
MATHJAX_UNUSED = ("mathjax/latest.js",)


def _is_remote(url) -> bool:
    return bool(url) and bool(_REMOTE.match(str(url)))


def _asset_url(asset) -> str:
    # Sphinx 7 wraps html_js_files / html_css_files entries in _JavaScript / _CascadingStyleSheet
    return str(getattr(asset, "filename", asset) or "")


def _check_config(app, config) -> None:
    if _is_remote(config.mathjax_path):
        logger.warning("mathjax_path %r is remote; the book must serve MathJax itself",
                       config.mathjax_path, type="offline_book", subtype="remote")
    for entry in list(config.html_js_files) + list(config.html_css_files):
        url = entry[0] if isinstance(entry, (tuple, list)) else entry
        if _is_remote(url):
            logger.warning("remote asset %r in html_js_files/html_css_files", url,
                           type="offline_book", subtype="remote")


def _check_page(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        for asset in context.get(key, []) or []:
            url = _asset_url(asset)
            if _is_remote(url):
                logger.warning("page %s would load the remote %s %s", pagename,
                               "script" if key == "script_files" else "stylesheet", url,
                               type="offline_book", subtype="remote")


def _finish(app, exc) -> None:
    if exc is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    if not (static / MATHJAX_ENTRY).is_file():
        raise ExtensionError(f"MathJax is missing from the build ({static / MATHJAX_ENTRY}); "
                             "is sphinx-mathjax-offline installed?  pip install '.[book]'")
    for rel in MATHJAX_UNUSED:
        (static / rel).unlink(missing_ok=True)


def setup(app):
    # Jupyter Book always passes ``comments_config`` (for sphinx-comments, which this
    # book leaves out because it loads remote scripts); accept and ignore it.
    if "comments_config" not in app.config:
        app.add_config_value("comments_config", {}, "html")
    app.connect("config-inited", _check_config)
    app.connect("html-page-context", _check_page)
    # after sphinx-mathjax-offline's own build-finished handler (priority 500) copied MathJax
    app.connect("build-finished", _finish, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
