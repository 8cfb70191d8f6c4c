"""Static part of the book check: the external-resource scanner (grpo_symbolic.book.scan).

Fast and browser-free; the book itself is built and checked by book/ci.sh.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grpo_symbolic.book import check as book_check
from grpo_symbolic.book import scan as bc

CLEAN_PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<link rel="stylesheet" href="_static/theme.css">
<link rel="canonical" href="https://example.org/book/intro.html">
<link rel="search" href="search.html">
<script src="_static/mathjax/tex-chtml.js" defer></script>
<script>const DOCS = {"URL_ROOT": "./"}; // see https://example.org/docs/guide.html</script>
<style>body { background: url("_static/bg.png"); } /* https://example.org/x.css */</style>
</head><body>
<a href="https://arxiv.org/abs/2503.06639">the paper</a>
<img src="_images/plot.png" srcset="_images/plot.png 1x, _images/plot@2x.png 2x">
<img src="data:image/png;base64,iVBORw0KGgo=">
<svg xmlns="http://www.w3.org/2000/svg"><use href="#icon"/></svg>
<div style="background-image: url(_static/x.svg)"></div>
<span class="math notranslate nohighlight">\\(p_n\\)</span>
<div class="math notranslate nohighlight">\\[L = g(L)\\]</div>
</body></html>
"""


def test_is_external():
    for url in ("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js", "http://x.org/a.css",
                "//fonts.googleapis.com/css", "HTTPS://EXAMPLE.ORG/", "wss://example.org/s"):
        assert bc.is_external(url), url
    for url in ("_static/x.js", "../x.css", "#frag", "data:image/png;base64,AA", "mailto:a@b.c",
                "javascript:void(0)", "blob:abc", "", "search.html?q=1"):
        assert not bc.is_external(url), url


def test_clean_page_passes():
    assert bc.scan_html(CLEAN_PAGE, "intro.html") == []


@pytest.mark.parametrize("snippet, kind", [
    ('<script src="https://cdn.example.org/x.js"></script>', "script src"),
    ('<script src="//cdn.example.org/x.js"></script>', "script src"),
    ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">', "link rel=stylesheet"),
    ('<link rel="preconnect" href="https://fonts.gstatic.com">', "link rel=preconnect"),
    ('<link rel="icon" href="https://example.org/favicon.ico">', "link rel=icon"),
    ('<img src="https://example.org/a.png">', "img src"),
    ('<img src="a.png" srcset="a.png 1x, https://example.org/a2.png 2x">', "img srcset"),
    ('<iframe src="https://example.org/embed"></iframe>', "iframe src"),
    ('<base href="https://example.org/">', "base href"),
    ('<object data="https://example.org/x.svg"></object>', "object data"),
    ('<div style="background: url(https://example.org/bg.png)"></div>', "css url()"),
    ('<style>@import "https://example.org/x.css";</style>', "css @import"),
    ('<script>var s = document.createElement("script"); s.src = "https://unpkg.com/thebe/lib/index.js";</script>',
     "js resource"),
])
def test_planted_external_resource_is_flagged(snippet, kind):
    page = CLEAN_PAGE.replace("</body>", snippet + "\n</body>")
    found = bc.scan_html(page, "notation.html")
    assert len(found) == 1, found
    f = found[0]
    assert f.kind == kind
    assert f.path == "notation.html"
    assert f.line == page[: page.index(snippet)].count("\n") + 1
    assert "example.org" in f.url or "googleapis" in f.url or "gstatic" in f.url or "unpkg" in f.url


def test_css_comments_and_data_urls_are_ignored():
    css = """/* see https://example.org/guide.css and url(https://example.org/in-comment.png) */
    .a { background: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'/>"); }
    .b { background: url(../img/local.png); }
    @font-face { src: url("fonts/x.woff2") format("woff2"); }
    """
    assert bc.scan_css(css, "x.css") == []


def test_css_external_font_and_import_are_flagged():
    css = """.a { color: red; }
@import url("https://fonts.googleapis.com/css2?family=Lato");
@import 'https://example.org/more.css';
@font-face { font-family: X; src: url(https://fonts.gstatic.com/s/x.woff2) format("woff2"); }
"""
    found = bc.scan_css(css, "t.css")
    assert [(f.line, f.kind) for f in found] == [(2, "css url()"), (4, "css url()"), (3, "css @import")]


def test_js_scanner_flags_resources_not_links():
    js = """
    // documentation: https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide
    const NS = "http://www.w3.org/2000/svg";
    const help = "https://pydata-sphinx-theme.readthedocs.io/en/stable/user_guide/version-dropdown.html";
    el.setAttributeNS("http://www.w3.org/1999/xlink", "href", "#x");
    """
    assert bc.scan_js(js, "a.js") == []
    bad = """
    loadScript("https://cdn.jsdelivr.net/npm/thing@1/dist/thing.min.js");
    fetch("https://api.example.org/data");
    const f = "https://example.org/fonts/Lato.woff2";
    img.src = "https://example.org/pixel";
    """
    found = bc.scan_js(bad, "b.js")
    assert [f.line for f in found] == [2, 3, 4, 5]
    assert all(f.kind == "js resource" for f in found)


def test_allowlist_is_narrow():
    sre = "https://cdn.jsdelivr.net/npm/speech-rule-engine@4.0.6/lib/mathmaps"
    assert bc.allowed(bc.Finding("_static/mathjax/tex-chtml.js", 1, "js resource", sre))
    # the same URL anywhere else is not allowed
    assert bc.allowed(bc.Finding("_static/theme.js", 1, "js resource", sre)) is None
    # nor is another CDN file inside the MathJax folder
    other = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"
    assert bc.allowed(bc.Finding("_static/mathjax/tex-chtml.js", 1, "js resource", other)) is None
    for prefix, url_prefix, reason in bc.ALLOWED_REMOTE:
        assert prefix.startswith("_static/mathjax/") and url_prefix.startswith("https://") and reason


def _site(tmp_path: Path) -> Path:
    (tmp_path / "_static" / "mathjax").mkdir(parents=True)
    (tmp_path / "_sources").mkdir()
    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=intro.html" />')
    (tmp_path / "intro.html").write_text(CLEAN_PAGE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ch.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "_static" / "theme.css").write_text("body { color: black; }")
    (tmp_path / "_static" / "mathjax" / "tex-chtml.js").write_text(
        'r.url="https://cdn.jsdelivr.net/npm/speech-rule-engine@"+r.VERSION+"/lib/mathmaps";')
    (tmp_path / "_static" / "webpack-macros.html").write_text("{% macro x() %}{% endmacro %}")
    (tmp_path / "_sources" / "intro.md").write_text("# not scanned: <script src='https://x.org/a.js'>")
    return tmp_path


def test_scan_site_clean_with_allowed_vendored_url(tmp_path):
    root = _site(tmp_path)
    bad, ok, n = bc.scan_site(root)
    assert bad == []
    assert [f.path for f, _ in ok] == ["_static/mathjax/tex-chtml.js"]
    assert n == 6   # 4 html, 1 css, 1 js; the .md source is not a served resource


def test_scan_site_flags_planted_tag(tmp_path):
    root = _site(tmp_path)
    (root / "sub" / "ch.html").write_text(
        '<html><head>\n<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js">'
        '</script></head><body></body></html>')
    bad, _, _ = bc.scan_site(root)
    assert [str(f) for f in bad] == [
        "sub/ch.html:2: script src: https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"]


def test_list_pages_and_math_count(tmp_path):
    root = _site(tmp_path)
    assert bc.list_pages(root) == ["index.html", "intro.html", "sub/ch.html"]
    assert bc.count_math(CLEAN_PAGE) == 2
    assert bc.count_math("<p class='mathematics'>x</p>") == 0
    assert bc.refresh_target((root / "index.html").read_text()) == "intro.html"
    assert bc.refresh_target(CLEAN_PAGE) is None


def test_default_screenshots_cover_every_chapter(tmp_path):
    root = _site(tmp_path)
    for name in ("notation.html", "genindex.html", "search.html"):
        (root / name).write_text("<html></html>")
    shots = book_check.default_screenshots(root, bc.list_pages(root))
    assert shots == {p: root / "_screenshots" / f"{stem}.png" for p, stem in
                     [("intro.html", "intro"), ("notation.html", "notation"), ("sub/ch.html", "sub__ch")]}


def test_html_ids(tmp_path):
    ids = bc.html_ids('<section id="erratum-eq14"><h2 id="x">X</h2></section><a name="old"></a>')
    assert ids == {"erratum-eq14", "x", "old"}


def test_scan_doctests():
    import doctest

    res = doctest.testmod(bc, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0
