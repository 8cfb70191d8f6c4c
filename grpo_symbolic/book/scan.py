r"""Static part of the book check: what a built site would fetch from another host.

Every HTML, SVG, CSS and JavaScript file of a built site is read for a resource that a
browser would fetch from another host: ``<script src>``, ``<link href>`` with a fetching
``rel`` (stylesheet, icon, preload, preconnect, ...), ``<img src/srcset>``, ``<iframe>``,
``<source>``, ``<object data>``, a ``<base href>``, CSS ``url()`` and ``@import`` (in
files, ``<style>`` blocks and ``style=`` attributes), and in JavaScript any ``http(s)://``
URL that looks like a resource (a CDN host, a file name ending in ``.js``, ``.css``,
``.woff2``, ``.png``, ... or a ``src=``/``fetch(``/``import(`` context).  Plain hyperlinks
(``<a href>``) are fine.  The vendored MathJax holds three CDN addresses of its speech
engine that a browser with ``document.evaluate`` never uses; :data:`ALLOWED_REMOTE` lists
them, each with its reason, and nothing else is let through.

The module also lists a site's reader-facing pages (:func:`list_pages`) and reads what
the browser check needs from the served HTML (:func:`count_math`, :func:`refresh_target`,
:func:`html_ids`).  Standard library only.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# --------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------

#: hosts that count as "this machine" in the browser check
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

_ABSOLUTE = re.compile(r"^\s*(?:([a-z][a-z0-9+.-]*):)?//", re.IGNORECASE)
_FETCH_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})


def is_external(url: str) -> bool:
    """True if ``url`` names another host: ``http(s)://``, ``ws(s)://``, ``ftp://`` or a
    protocol-relative ``//host/...``.  Relative paths, fragments, ``data:``, ``blob:``,
    ``mailto:`` and ``javascript:`` URLs are not external.

    >>> is_external("https://cdn.example.org/x.js"), is_external("//cdn.example.org/x.js")
    (True, True)
    >>> is_external("_static/x.js"), is_external("data:image/png;base64,AAA")
    (False, False)
    """
    if not url:
        return False
    m = _ABSOLUTE.match(url)
    if not m:
        return False
    scheme = (m.group(1) or "").lower()
    return scheme == "" or scheme in _FETCH_SCHEMES


def is_local_request(url: str) -> bool:
    """True if a request the browser made stays on this machine (the local server,
    ``data:``/``blob:``/``about:`` URLs, DevTools-internal URLs)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("data", "blob", "about", "chrome", "devtools", "chrome-extension"):
        return True
    if scheme in _FETCH_SCHEMES:
        return (parts.hostname or "").lower() in LOCAL_HOSTS
    # file:, or anything unexpected: only a local file is "local"
    return scheme == "file" and not parts.netloc


# --------------------------------------------------------------------------------------
# Static scan
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """An external resource reference found in a built file."""

    path: str       # relative to the site root
    line: int
    kind: str       # e.g. "script src", "css url()", "js resource"
    url: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.url}"


#: (path prefix, URL prefix, reason): external references in vendored code that no
#: page of the book fetches.  Nothing outside this list is let through.
ALLOWED_REMOTE: tuple[tuple[str, str, str], ...] = (
    ("_static/mathjax/", "https://cdn.jsdelivr.net/npm/speech-rule-engine@",
     "speech-rule-engine's default home of its locale files; MathJax's loader "
     "points it at the local [mathjax]/sre/mathmaps instead"),
    ("_static/mathjax/", "https://cdn.jsdelivr.net/npm/sre-mathmaps-ie@",
     "locale bundle that speech-rule-engine loads only in Internet Explorer"),
    ("_static/mathjax/", "https://cdn.jsdelivr.net/npm/wicked-good-xpath@",
     "XPath polyfill that speech-rule-engine loads only where document.evaluate "
     "is missing (Internet Explorer)"),
)

#: <link rel=...> values that make the browser fetch the href
LINK_FETCH_RELS = frozenset({
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed",
    "mask-icon", "preload", "modulepreload", "prefetch", "prerender", "preconnect",
    "dns-prefetch", "manifest", "import",
})

#: (tag, attribute) pairs whose value is fetched as a resource
RESOURCE_ATTRS = frozenset({
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"),
    ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
    ("track", "src"), ("iframe", "src"), ("frame", "src"), ("embed", "src"),
    ("object", "data"), ("input", "src"), ("image", "href"), ("image", "xlink:href"),
    ("use", "href"), ("use", "xlink:href"), ("feimage", "href"), ("feimage", "xlink:href"),
    ("base", "href"),
})

#: hosts whose every URL in a script counts as a resource
CDN_HOSTS = frozenset({
    "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "ajax.googleapis.com",
    "fonts.googleapis.com", "fonts.gstatic.com", "code.jquery.com", "maxcdn.bootstrapcdn.com",
    "stackpath.bootstrapcdn.com", "use.fontawesome.com", "kit.fontawesome.com",
    "polyfill.io", "cdn.plot.ly", "cdn.bokeh.org", "www.googletagmanager.com",
    "www.google-analytics.com", "plausible.io", "hypothes.is", "utteranc.es",
    "mybinder.org", "api.github.com",
})

_RESOURCE_EXT = re.compile(
    r"\.(?:m?js|css|woff2?|ttf|otf|eot|png|jpe?g|gif|svg|webp|avif|ico|json|wasm|mp4|webm|mp3)$",
    re.IGNORECASE)
_JS_URL = re.compile(r"""https?://[^\s"'`()<>\\,;{}\[\]|^]+""", re.IGNORECASE)
_JS_FETCH_CONTEXT = re.compile(
    r"""(?:\bsrc\s*[:=]|\bimport\s*\(?|\bimportScripts\s*\(|\bfetch\s*\(|\.open\s*\(\s*["'][A-Z]+["']\s*,"""
    r"""|\bnew\s+(?:Worker|SharedWorker|EventSource|WebSocket|Audio)\s*\(|\bsendBeacon\s*\("""
    r"""|\burl\s*\(|@import|\bsetAttribute\s*\(\s*["'](?:src|href)["']\s*,)\s*["'`]?\s*$""",
    re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def scan_css(text: str, path: str = "<css>", line0: int = 1) -> list[Finding]:
    """External ``url()`` and ``@import`` references in CSS (comments ignored)."""
    # blank comments out but keep line numbers
    clean = _CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    out = []
    for rx, kind in ((_CSS_URL, "css url()"), (_CSS_IMPORT, "css @import")):
        for m in rx.finditer(clean):
            url = next(g for g in m.groups() if g is not None)
            if is_external(url):
                out.append(Finding(path, line0 + _line_of(clean, m.start()) - 1, kind, url))
    return out


def _js_url_is_resource(text: str, m: re.Match) -> bool:
    url = m.group(0)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in CDN_HOSTS:
        return True
    if _RESOURCE_EXT.search(unquote(parts.path)):
        return True
    before = text[max(0, m.start() - 60):m.start()]
    return bool(_JS_FETCH_CONTEXT.search(before))


def scan_js(text: str, path: str = "<js>", line0: int = 1) -> list[Finding]:
    """``http(s)://`` URLs in JavaScript that look like fetched resources."""
    out = []
    for m in _JS_URL.finditer(text):
        if _js_url_is_resource(text, m):
            out.append(Finding(path, line0 + _line_of(text, m.start()) - 1, "js resource",
                               m.group(0)))
    return out


class _HTMLScanner(html.parser.HTMLParser):
    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.findings: list[Finding] = []
        self._in: str | None = None      # "script" / "style" while inside one
        self._script_type = ""
        self._buf: list[str] = []
        self._buf_line = 1
        self.math_count = 0
        self.refresh_target: str | None = None
        self.ids: set[str] = set()

    def _add(self, kind, url):
        self.findings.append(Finding(self.path, self.getpos()[0], kind, url.strip()))

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        a = {k.lower(): (v or "") for k, v in attrs}
        if "math" in a.get("class", "").split():
            self.math_count += 1
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = re.search(r"url\s*=\s*['\"]?([^'\";]+)", a.get("content", ""), re.IGNORECASE)
            if m:
                self.refresh_target = m.group(1).strip()
        for name, value in a.items():
            if (tag, name) in RESOURCE_ATTRS:
                urls = [u.strip().split()[0] for u in value.split(",") if u.strip()] \
                    if name == "srcset" else [value]
                for u in urls:
                    if is_external(u):
                        self._add(f"{tag} {name}", u)
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if rels & LINK_FETCH_RELS and is_external(a.get("href", "")):
                self._add(f"link rel={'/'.join(sorted(rels))}", a["href"])
        if "style" in a:
            for f in scan_css(a["style"], self.path, self.getpos()[0]):
                self.findings.append(f)
        if tag in ("script", "style"):
            self._in = tag
            self._script_type = a.get("type", "").lower()
            self._buf = []
            self._buf_line = self.getpos()[0]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() in ("script", "style"):
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self._in and tag == self._in:
            body = "".join(self._buf)
            if tag == "style":
                self.findings.extend(scan_css(body, self.path, self._buf_line))
            elif self._script_type in ("", "text/javascript", "module", "application/javascript"):
                self.findings.extend(scan_js(body, self.path, self._buf_line))
            self._in = None


def scan_html(text: str, path: str = "<html>") -> list[Finding]:
    """External resource references in an HTML (or SVG) document."""
    p = _HTMLScanner(path)
    p.feed(text)
    p.close()
    return p.findings


def count_math(text: str) -> int:
    """Number of elements with class ``math`` (Sphinx's wrapper of each formula)."""
    p = _HTMLScanner("<html>")
    p.feed(text)
    p.close()
    return p.math_count


def html_ids(text: str) -> set[str]:
    """The fragment targets of an HTML document: every ``id``, and ``<a name>``.

    >>> sorted(html_ids('<h2 id="x">X</h2><a name="y"></a><p class="z">'))
    ['x', 'y']
    """
    p = _HTMLScanner("<html>")
    p.feed(text)
    p.close()
    return p.ids


def refresh_target(text: str) -> str | None:
    """The target of a ``<meta http-equiv="refresh">`` redirect page, else None."""
    p = _HTMLScanner("<html>")
    p.feed(text)
    p.close()
    return p.refresh_target


def allowed(f: Finding) -> str | None:
    """The reason a finding is let through (see :data:`ALLOWED_REMOTE`), else None."""
    for prefix, url_prefix, reason in ALLOWED_REMOTE:
        if f.path.startswith(prefix) and f.url.startswith(url_prefix):
            return reason
    return None


def scan_file(path: Path, rel: str) -> list[Finding]:
    text = path.read_text(encoding="utf-8", errors="replace")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".svg", ".xhtml"):
        return scan_html(text, rel)
    if suffix == ".css":
        return scan_css(text, rel)
    if suffix in (".js", ".mjs"):
        return scan_js(text, rel)
    return []


SCANNED_SUFFIXES = (".html", ".htm", ".xhtml", ".svg", ".css", ".js", ".mjs")


def scan_site(root) -> tuple[list[Finding], list[tuple[Finding, str]], int]:
    """Scan every HTML/SVG/CSS/JS file under ``root``.

    Returns ``(bad, allowed, n_files)``: the findings that fail the check, those let
    through with their reason, and the number of files read.
    """
    root = Path(root)
    bad, ok, n = [], [], 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SCANNED_SUFFIXES:
            continue
        rel = path.relative_to(root).as_posix()
        n += 1
        for f in scan_file(path, rel):
            reason = allowed(f)
            (ok.append((f, reason)) if reason else bad.append(f))
    return bad, ok, n


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------

#: folders of a Sphinx site that hold no reader-facing page
NON_PAGE_DIRS = ("_static", "_sources", "_images", "_screenshots", "_downloads", ".doctrees")


def list_pages(root) -> list[str]:
    """Reader-facing HTML pages of a built site, relative to ``root``."""
    root = Path(root)
    pages = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in NON_PAGE_DIRS:
            continue
        pages.append(rel)
    return pages
