r"""Check the built book the way a reader gets it: offline, typeset, complete.

``python -m grpo_symbolic.bookcheck book/_build/html`` (or ``grpo-symbolic book --check``)
runs two checks on a built HTML site and exits non-zero if either finds a problem.

1. **Static scan** (:func:`scan_site`).  Every HTML, SVG, CSS and JavaScript file is read
   for a resource that a browser would fetch from another host: ``<script src>``,
   ``<link href>`` with a fetching ``rel`` (stylesheet, icon, preload, preconnect, ...),
   ``<img src/srcset>``, ``<iframe>``, ``<source>``, ``<object data>``, a ``<base href>``,
   CSS ``url()`` and ``@import`` (in files, ``<style>`` blocks and ``style=``
   attributes), and in JavaScript any ``http(s)://`` URL that looks like a resource (a
   CDN host, a file name ending in ``.js``, ``.css``, ``.woff2``, ``.png``, ... or a
   ``src=``/``fetch(``/``import(`` context).  Plain hyperlinks (``<a href>``) are fine.
   The vendored MathJax holds three CDN addresses of its speech engine that a
   browser with ``document.evaluate`` never uses; :data:`ALLOWED_REMOTE` lists them,
   each with its reason, and nothing else is let through.
2. **Browser check** (:func:`check_pages`).  The site is served on ``127.0.0.1`` by a
   thread of this process; headless Chromium, driven over the DevTools protocol on a
   pipe, opens every page, waits for MathJax's typesetting, fonts and images, and the
   page fails if

   * one of its ``.math`` elements holds no ``mjx-container`` (math left untypeset),
     or MathJax reported an error (``mjx-merror``), or raw TeX (``$$``, ``\(``,
     ``\begin{``, ``\alpha``, ...) is left in the visible text outside code;
   * an ``<img>`` did not load (``naturalWidth == 0``) or a web font failed;
   * any request went to a host other than 127.0.0.1/localhost (every request is seen
     by the DevTools ``Network`` domain; Chromium's resolver is also told to resolve no
     other name, so nothing can leave the machine whatever happens);
   * a request to the local server failed (HTTP status >= 400 or a network error);
   * a script threw an uncaught exception.

   Screenshots (full page, 1280 px wide) of the home page and of one chapter go to
   ``<site>/_screenshots/``, with ``report.json``.

Everything here is the standard library, plus a ``chromium`` binary for step 2.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import functools
import html.parser
import http.server
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
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

    def _add(self, kind, url):
        self.findings.append(Finding(self.path, self.getpos()[0], kind, url.strip()))

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        a = {k.lower(): (v or "") for k, v in attrs}
        if "math" in a.get("class", "").split():
            self.math_count += 1
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


@dataclass
class PageResult:
    """What the browser saw on one page (see :func:`page_problems`)."""

    page: str
    expected_math: int = 0                   # .math elements in the served HTML
    probe: dict | None = None                # the in-page probe's JSON result
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    error: str | None = None                 # navigation / timeout / protocol error
    redirect_to: str | None = None
    seconds: float = 0.0


def page_warnings(r: PageResult) -> list[str]:
    """Things a reader would notice that do not fail the check: display formulas wider
    than the text column (they scroll sideways at 1280 px), console errors."""
    out = []
    for o in ((r.probe or {}).get("overflow") or []):
        out.append(f"display formula {o.get('width')} px wide in a {o.get('column')} px column"
                   f" (break it into lines): {o.get('tex')!r}")
    for msg in r.console_errors:
        out.append(f"console error: {msg}")
    return out


def page_problems(r: PageResult) -> list[str]:
    """The reasons a page fails, from what the browser recorded (empty: the page is fine)."""
    probs = []
    if r.redirect_to is not None:
        return [] if r.error is None else [r.error]
    if r.error:
        probs.append(r.error)
    for url in r.requests:
        if not is_local_request(url):
            probs.append(f"request to another host: {url}")
    for msg in r.failed_requests:
        probs.append(f"failed request: {msg}")
    for msg in r.exceptions:
        probs.append(f"uncaught script error: {msg}")
    p = r.probe
    if p is None:
        if not r.error:
            probs.append("the in-page probe returned nothing")
        return probs
    if p.get("probeError"):
        probs.append(f"probe error: {p['probeError']}")
    n_mjx = int(p.get("mjx", 0))
    if r.expected_math > 0:
        if not p.get("mathjax"):
            probs.append(f"{r.expected_math} formulas but MathJax did not load")
        elif n_mjx == 0:
            probs.append(f"{r.expected_math} formulas but MathJax typeset none")
        elif n_mjx < r.expected_math:
            probs.append(f"MathJax typeset {n_mjx} of {r.expected_math} formulas")
    if p.get("typesetError"):
        probs.append(f"MathJax failed: {p['typesetError']}")
    for s in p.get("untypeset", []) or []:
        probs.append(f"formula left untypeset: {s!r}")
    for s in p.get("mjxErrors", []) or []:
        probs.append(f"MathJax error in a formula: {s!r}")
    for s in p.get("rawTex", []) or []:
        probs.append(f"raw TeX in the page text: {s!r}")
    for img in p.get("images", []) or []:
        if not img.get("ok"):
            probs.append(f"image did not load: {img.get('src')}")
    for font in p.get("fontErrors", []) or []:
        probs.append(f"web font failed to load: {font}")
    return probs


# In-page probe: waits for MathJax, images and fonts, then reports what a reader sees.
PROBE_JS = r"""
(async () => {
  const out = {mathjax: false, mathjaxVersion: null, typesetError: null, probeError: null};
  try {
    const until = (p, ms) => Promise.race([p, new Promise(r => setTimeout(r, ms))]);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      out.mathjax = true;
      out.mathjaxVersion = MathJax.version || null;
      try {
        await until(MathJax.startup.promise, 30000);
        if (MathJax.typesetPromise) await until(MathJax.typesetPromise(), 30000);
      } catch (e) { out.typesetError = String(e && e.message || e); }
    } else if (document.querySelector('script[src*="mathjax"]')) {
      // MathJax is deferred: give it the time to start
      for (let i = 0; i < 100 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
        await new Promise(r => setTimeout(r, 100));
      if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        out.mathjax = true;
        out.mathjaxVersion = MathJax.version || null;
        try { await until(MathJax.startup.promise, 30000); }
        catch (e) { out.typesetError = String(e && e.message || e); }
      }
    }
    const imgs = Array.from(document.images);
    for (const img of imgs) { if (img.loading === 'lazy') img.loading = 'eager'; }
    await until(Promise.all(imgs.map(img => img.decode().catch(() => null))), 20000);
    if (document.fonts && document.fonts.ready) await until(document.fonts.ready, 20000);
    out.mjx = document.querySelectorAll('mjx-container').length;
    out.mathElements = document.querySelectorAll('.math').length;
    out.untypeset = Array.from(document.querySelectorAll('.math'))
      .filter(e => !e.querySelector('mjx-container'))
      .map(e => e.textContent.trim().slice(0, 120)).slice(0, 20);
    out.mjxErrors = Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))
      .map(e => (e.getAttribute('data-mjx-error') || e.textContent || '').slice(0, 160)).slice(0, 20);
    const texOf = new Map();
    try { for (const item of MathJax.startup.document.math) texOf.set(item.typesetRoot, item.math); }
    catch (e) { /* no MathJax on this page */ }
    out.overflow = Array.from(document.querySelectorAll('mjx-container[display="true"]'))
      .filter(e => e.scrollWidth > e.clientWidth + 1)
      .map(e => ({width: e.scrollWidth, column: e.clientWidth,
                  tex: (texOf.get(e) || '').trim().slice(0, 100)})).slice(0, 20);
    out.images = imgs.map(img => ({src: img.currentSrc || img.src,
                                   ok: img.complete && img.naturalWidth > 0,
                                   width: img.naturalWidth, height: img.naturalHeight}));
    out.fontErrors = [];
    if (document.fonts)
      document.fonts.forEach(f => { if (f.status === 'error') out.fontErrors.push(f.family); });
    const skip = new Set(['SCRIPT', 'STYLE', 'PRE', 'CODE', 'TEXTAREA', 'NOSCRIPT', 'TEMPLATE',
                          'MJX-CONTAINER', 'SVG']);
    const rawRe = /\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\[A-Za-z]{2,}|\$[^$\s][^$]*[\\^_{}][^$]*\$/;
    const raw = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode(n) {
        for (let p = n.parentElement; p; p = p.parentElement) {
          if (skip.has(p.tagName.toUpperCase()) || p.classList.contains('highlight'))
            return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      }});
    while (walker.nextNode()) {
      const s = walker.currentNode.nodeValue;
      if (rawRe.test(s)) raw.push(s.trim().slice(0, 160));
    }
    out.rawTex = raw.slice(0, 20);
    out.title = document.title;
    out.textLength = (document.body.innerText || '').length;
    out.width = document.documentElement.scrollWidth;
    out.height = document.documentElement.scrollHeight;
  } catch (e) { out.probeError = String(e && e.stack || e); }
  return out;
})()
"""


# --------------------------------------------------------------------------------------
# Local server
# --------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextlib.contextmanager
def serve(root):
    """Serve ``root`` on 127.0.0.1 (a free port) from a daemon thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        t.join(timeout=5)


# --------------------------------------------------------------------------------------
# Chromium over the DevTools protocol (pipe transport: no websocket, no port)
# --------------------------------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--no-default-browser-check", "--disable-default-apps", "--disable-extensions",
    "--disable-breakpad", "--disable-crash-reporter", "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars", "--lang=en-US",
    "--force-device-scale-factor=1", "--window-size=1280,900",
    # resolve no host name but localhost: nothing can leave the machine
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
)


class BrowserError(RuntimeError):
    pass


def find_chromium(explicit: str | None = None) -> str | None:
    """The Chromium binary: ``explicit``, ``$CHROMIUM``, or the first on PATH."""
    for cand in (explicit, os.environ.get("CHROMIUM")):
        if cand:
            return shutil.which(cand) or (cand if os.path.isfile(cand) else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (fds 3 and 4)."""

    def __init__(self, binary: str, log_path: Path | None = None):
        self.user_dir = tempfile.mkdtemp(prefix="bookcheck-chromium-")
        cmd_r, cmd_w = os.pipe()      # we write commands -> chromium reads fd 3
        res_r, res_w = os.pipe()      # chromium writes fd 4 -> we read
        self._log = open(log_path, "wb") if log_path else subprocess.DEVNULL

        def child():                  # runs in the child between fork and exec
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(res_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        argv = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.user_dir}",
                "--remote-debugging-pipe", "about:blank"]
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                         stderr=self._log, close_fds=False, preexec_fn=child,
                                         start_new_session=True)
        finally:
            os.close(cmd_r)
            os.close(res_w)
        self._w, self._r = cmd_w, res_r
        self._buf = b""
        self._next_id = 0
        self.events: list[dict] = []

    # -- transport ---------------------------------------------------------------------
    def _read_one(self, deadline: float) -> dict | None:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._r], [], [], min(left, 0.5))
            if not ready:
                if self.proc.poll() is not None:
                    raise BrowserError(f"chromium exited with status {self.proc.returncode}")
                continue
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30.0) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_one(deadline)
            if m is None:
                raise BrowserError(f"{method}: no answer within {timeout:.0f} s")
            if m.get("id") == self._next_id:
                if "error" in m:
                    raise BrowserError(f"{method}: {m['error'].get('message')}")
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def pump(self, seconds: float) -> None:
        """Read events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            m = self._read_one(deadline)
            if m is None:
                return
            if "method" in m:
                self.events.append(m)

    def wait_event(self, pred, timeout: float) -> dict | None:
        for e in self.events:
            if pred(e):
                return e
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_one(deadline)
            if m is None:
                return None
            if "method" in m:
                self.events.append(m)
                if pred(m):
                    return m

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.proc.poll() is None:
                with contextlib.suppress(Exception):
                    self.call("Browser.close", timeout=5)
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=5)
        with contextlib.suppress(Exception):
            # renderer / zygote children of this Chromium (its own process group)
            os.killpg(self.proc.pid, signal.SIGKILL)
        for fd in (self._w, self._r):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self._log is not subprocess.DEVNULL:
            self._log.close()
        shutil.rmtree(self.user_dir, ignore_errors=True)


def _summ(s, n=200) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 3] + "..."


def _visit(b: Browser, sid: str, base: str, root: Path, page: str, page_timeout: float,
           shot: Path | None) -> PageResult:
    t0 = time.monotonic()
    text = (root / page).read_text(encoding="utf-8", errors="replace")
    r = PageResult(page=page, expected_math=count_math(text))
    target = refresh_target(text)
    if target is not None:
        r.redirect_to = target
        dest = (root / page).parent / target.split("#")[0].split("?")[0]
        if is_external(target) or not dest.is_file():
            r.error = f"redirects to a missing page: {target}"
        return r
    b.events.clear()
    url = base + page
    nav = b.call("Page.navigate", {"url": url}, sid, timeout=page_timeout)
    if nav.get("errorText"):
        r.error = f"navigation failed: {nav['errorText']}"
        return r
    loaded = b.wait_event(lambda e: e.get("sessionId") == sid and e["method"] == "Page.loadEventFired",
                          page_timeout)
    if loaded is None:
        r.error = f"page did not finish loading within {page_timeout:.0f} s"
    left = max(5.0, page_timeout - (time.monotonic() - t0))
    try:
        res = b.call("Runtime.evaluate", {"expression": PROBE_JS, "awaitPromise": True,
                                          "returnByValue": True}, sid, timeout=left)
        if "exceptionDetails" in res:
            r.error = "probe failed: " + _summ(res["exceptionDetails"].get("text"))
        else:
            r.probe = res.get("result", {}).get("value")
    except BrowserError as exc:
        r.error = f"probe: {exc}"
    # let late requests (fonts, lazy components) finish: quiet for 0.3 s, at most 5 s
    inflight: set[str] = set()
    quiet_since, stop = time.monotonic(), time.monotonic() + 5
    seen = 0
    while time.monotonic() < stop:
        for e in b.events[seen:]:
            meth, prm = e["method"], e.get("params", {})
            if meth == "Network.requestWillBeSent":
                inflight.add(prm.get("requestId"))
            elif meth in ("Network.loadingFinished", "Network.loadingFailed"):
                inflight.discard(prm.get("requestId"))
        if len(b.events) > seen:
            quiet_since = time.monotonic()
        seen = len(b.events)
        if not inflight and time.monotonic() - quiet_since > 0.3:
            break
        b.pump(0.1)
    # what happened on the network and in the scripts
    urls = {}
    for e in b.events:
        if e.get("sessionId") not in (sid, None):
            continue
        meth, prm = e["method"], e.get("params", {})
        if meth == "Network.requestWillBeSent":
            req_url = prm.get("request", {}).get("url", "")
            urls[prm.get("requestId")] = req_url
            if req_url not in r.requests:
                r.requests.append(req_url)
        elif meth == "Network.responseReceived":
            resp = prm.get("response", {})
            status = int(resp.get("status", 0) or 0)
            if status >= 400 and not resp.get("url", "").endswith("/favicon.ico"):
                r.failed_requests.append(f"HTTP {status} {resp.get('url')}")
        elif meth == "Network.loadingFailed":
            if not prm.get("canceled"):
                u = urls.get(prm.get("requestId"), "?")
                if is_local_request(u) and not u.endswith("/favicon.ico"):
                    r.failed_requests.append(f"{prm.get('errorText')} {u}")
        elif meth == "Runtime.exceptionThrown":
            d = prm.get("exceptionDetails", {})
            desc = (d.get("exception") or {}).get("description") or d.get("text")
            r.exceptions.append(_summ(desc))
        elif meth == "Runtime.consoleAPICalled" and prm.get("type") == "error":
            r.console_errors.append(_summ(" ".join(
                str(a.get("value", a.get("description", ""))) for a in prm.get("args", []))))
    if shot is not None and r.probe is not None:
        try:
            _screenshot(b, sid, shot)
        except (BrowserError, KeyError) as exc:
            r.error = (r.error + "; " if r.error else "") + f"screenshot failed: {exc}"
    r.seconds = time.monotonic() - t0
    return r


VIEWPORT = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}


def _screenshot(b: Browser, sid: str, shot: Path) -> None:
    """Full-page PNG: the viewport is stretched to the page's height (capturing beyond
    the viewport instead shifts this theme's layout), then put back."""
    m = b.call("Page.getLayoutMetrics", {}, sid)
    size = m.get("cssContentSize") or m.get("contentSize")
    h = int(min(max(VIEWPORT["height"], size["height"]), 16000))
    b.call("Emulation.setDeviceMetricsOverride", dict(VIEWPORT, height=h), sid)
    try:
        b.pump(0.5)                       # let the page lay itself out again
        data = b.call("Page.captureScreenshot", {"format": "png"}, sid, timeout=60)["data"]
    finally:
        b.call("Emulation.setDeviceMetricsOverride", VIEWPORT, sid)
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.write_bytes(base64.b64decode(data))


def check_pages(root, pages=None, screenshots=None, *, chromium=None, timeout=300.0,
                page_timeout=60.0, log=print) -> list[PageResult]:
    """Open every page of the site at ``root`` in headless Chromium (see module doc).

    ``screenshots`` maps a page (relative path) to the PNG file to write.  The whole
    run is bounded by ``timeout`` seconds; Chromium and the server are stopped at the
    end whatever happens.
    """
    root = Path(root)
    pages = list_pages(root) if pages is None else list(pages)
    screenshots = dict(screenshots or {})
    binary = find_chromium(chromium)
    if binary is None:
        raise BrowserError("Chromium not found (apt-get install chromium, or set $CHROMIUM)")
    results: list[PageResult] = []
    t_end = time.monotonic() + timeout
    shot_dir = root / "_screenshots"
    shot_dir.mkdir(exist_ok=True)
    b = Browser(binary, log_path=shot_dir / "chromium.log")
    try:
        tgt = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = b.call("Target.attachToTarget", {"targetId": tgt, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Network.enable", "Runtime.enable"):
            b.call(method, {}, sid)
        b.call("Network.setCacheDisabled", {"cacheDisabled": True}, sid)
        b.call("Emulation.setDeviceMetricsOverride", VIEWPORT, sid)
        with serve(root) as base:
            for page in pages:
                left = t_end - time.monotonic()
                if left <= 5:
                    r = PageResult(page=page, error=f"not checked: the {timeout:.0f} s budget ran out")
                else:
                    try:
                        r = _visit(b, sid, base, root, page, min(page_timeout, left),
                                   screenshots.get(page))
                    except BrowserError as exc:
                        r = PageResult(page=page, error=f"browser: {exc}")
                results.append(r)
                probs = page_problems(r)
                log(_page_line(r, probs))
                for pr in probs[:12]:
                    log(f"      - {pr}")
                if len(probs) > 12:
                    log(f"      - ... and {len(probs) - 12} more")
                for w in page_warnings(r)[:12]:
                    log(f"      ~ warning: {w}")
                if r.error and r.error.startswith("browser:"):
                    break
    finally:
        b.close()
    return results


def _page_line(r: PageResult, probs) -> str:
    tag = "FAIL" if probs else "ok  "
    if r.redirect_to is not None:
        return f"{tag} {r.page}  (redirect to {r.redirect_to})"
    p = r.probe or {}
    n_img = len(p.get("images", []) or [])
    ext = sum(not is_local_request(u) for u in r.requests)
    return (f"{tag} {r.page}  math {p.get('mjx', 0)} typeset / {r.expected_math} in HTML, "
            f"{n_img} image(s), {len(r.requests)} request(s), {ext} external, {r.seconds:.1f} s")


def default_screenshots(root, pages) -> dict[str, Path]:
    """Home page -> ``home.png``; the first chapter -> ``<chapter>.png``."""
    root = Path(root)
    shots = {}
    home = None
    if (root / "index.html").is_file():
        tgt = refresh_target((root / "index.html").read_text(encoding="utf-8", errors="replace"))
        home = tgt.split("#")[0] if tgt and not is_external(tgt) else "index.html"
    if home not in pages:
        home = pages[0] if pages else None
    if home:
        shots[home] = root / "_screenshots" / "home.png"
    skip = {home, "index.html", "genindex.html", "search.html", "prf-prf.html", "py-modindex.html"}
    preferred = "notation.html"
    chapter = preferred if preferred in pages else next((p for p in pages if p not in skip), None)
    if chapter:
        shots[chapter] = root / "_screenshots" / (Path(chapter).stem + ".png")
    return shots


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def run_checks(root, *, browser=True, chromium=None, timeout=300.0, log=print) -> int:
    """Static scan, then (if ``browser``) the Chromium check.  Returns 0 if all pass."""
    root = Path(root)
    if not (root / "index.html").is_file() and not list(root.glob("*.html")):
        log(f"bookcheck: no built site in {root} (build it first: grpo-symbolic book)")
        return 2
    t0 = time.monotonic()
    bad, ok, n = scan_site(root)
    log(f"static scan: {n} HTML/SVG/CSS/JS files, {len(bad)} external resource reference(s)"
        f", {len(ok)} allowed in vendored code")
    for f in bad[:50]:
        log(f"  FAIL {f}")
    report = {"site": str(root), "static": {"files": n, "bad": [asdict(f) for f in bad],
                                            "allowed": [dict(asdict(f), reason=why) for f, why in ok]}}
    failed = bool(bad)
    if browser:
        pages = list_pages(root)
        shots = default_screenshots(root, pages)
        log(f"browser check: {len(pages)} page(s) in headless Chromium")
        try:
            results = check_pages(root, pages, shots, chromium=chromium, timeout=timeout, log=log)
        except (BrowserError, OSError) as exc:
            log(f"bookcheck: browser check could not run: {exc}")
            return 2
        n_bad = sum(bool(page_problems(r)) for r in results)
        failed = failed or n_bad > 0 or len(results) < len(pages)
        report["pages"] = [dict(asdict(r), problems=page_problems(r), warnings=page_warnings(r))
                           for r in results]
        report["screenshots"] = {p: str(s) for p, s in shots.items() if s.is_file()}
        for p, s in shots.items():
            log(f"screenshot {p} -> {s}" + ("" if s.is_file() else " (MISSING)"))
            failed = failed or not s.is_file()
        (root / "_screenshots").mkdir(exist_ok=True)
        (root / "_screenshots" / "report.json").write_text(json.dumps(report, indent=1))
    log(f"bookcheck: {'FAILED' if failed else 'passed'} in {time.monotonic() - t0:.1f} s")
    return 1 if failed else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m grpo_symbolic.bookcheck",
                                 description="Check a built book: offline assets, typeset math, "
                                             "images, no external request (headless Chromium).")
    ap.add_argument("site", nargs="?", default="book/_build/html", help="built HTML folder")
    ap.add_argument("--static-only", action="store_true", help="only the static scan, no browser")
    ap.add_argument("--chromium", help="Chromium binary (default: $CHROMIUM or chromium on PATH)")
    ap.add_argument("--timeout", type=float, default=300.0,
                    help="time limit of the browser check in seconds (default 300)")
    a = ap.parse_args(argv)
    return run_checks(a.site, browser=not a.static_only, chromium=a.chromium, timeout=a.timeout)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
