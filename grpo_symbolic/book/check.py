r"""Check the built book the way a reader gets it: offline, typeset, sharp, complete.

``python -m grpo_symbolic.book.check book/_build/html`` (or ``grpo-symbolic book --check``)
runs two checks on a built HTML site and exits non-zero if either finds a problem.

1. **Static scan** (:func:`grpo_symbolic.book.scan.scan_site`): no file of the site
   references a resource on another host.
2. **Browser check** (:func:`check_pages`).  The site is served on ``127.0.0.1`` by a
   thread of this process; the system's Chromium (Debian's ``chromium``; Playwright drives
   it, no browser is downloaded) opens every page at 1280 x 900 CSS px, waits for MathJax's
   typesetting, fonts and images, and the page fails if

   * one of its ``.math`` elements holds no ``mjx-container`` (math left untypeset), or
     MathJax reported an error, or raw TeX (``$$``, ``\(``, ``\alpha``, ...) is left in
     the visible text outside code;
   * a display formula is wider than its column (it would scroll sideways);
   * an ``<img>`` did not load or a web font failed;
   * a raster image is shown below :data:`MIN_DPI` dots per inch (its natural width
     against the CSS width it is displayed at, 96 CSS px to the inch; SVG is exempt);
   * a figure has no caption: every ``<figure>`` needs a non-empty ``<figcaption>`` and
     every image of the article must sit in such a figure;
   * a link to the site itself points to a missing file or to a missing ``#fragment``;
   * any request went to a host other than 127.0.0.1/localhost (such requests are
     aborted, and Chromium's resolver is told to resolve no other name, so nothing can
     leave the machine whatever happens), or a local request failed (HTTP >= 400);
   * a script threw an uncaught exception or wrote an error to the console.

   A full-page screenshot of every chapter, 1280 px wide, goes to ``<site>/_screenshots/``
   with ``report.json`` (what every page showed and why it failed).

Needs the ``playwright`` package (the ``book`` extra) and a ``chromium`` binary.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .scan import count_math, html_ids, is_external, is_local_request, list_pages, refresh_target, scan_site

#: the width of the screen the book is checked (and photographed) at, in CSS px
VIEWPORT = {"width": 1280, "height": 900}
#: CSS px per inch (the CSS reference pixel)
CSS_DPI = 96
#: the least resolution a raster image may be shown at, in dots per inch
MIN_DPI = 150
#: the tallest screenshot (CSS px); a longer page is photographed in tiles
MAX_SHOT_HEIGHT = 16000
#: pages of a Sphinx site that are not chapters (no screenshot)
NOT_CHAPTERS = frozenset({"genindex.html", "search.html", "py-modindex.html", "prf-prf.html"})

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

CHROMIUM_ARGS = (
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--no-default-browser-check", "--disable-default-apps",
    "--disable-breakpad", "--disable-crash-reporter", "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars", "--lang=en-US",
    "--force-device-scale-factor=1",
    # resolve no host name but localhost: nothing can leave the machine
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
)


class BrowserError(RuntimeError):
    """The browser check could not run (no Chromium, no Playwright, Chromium crashed)."""


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


# --------------------------------------------------------------------------------------
# Judging one page
# --------------------------------------------------------------------------------------


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
    broken_links: list[str] = field(default_factory=list)   # filled by :func:`link_problems`
    error: str | None = None                 # navigation / timeout / browser error
    redirect_to: str | None = None
    screenshots: list[str] = field(default_factory=list)
    seconds: float = 0.0


def image_dpi(natural_width: float, displayed_width: float) -> float:
    """Dots per inch of an image ``natural_width`` pixels wide shown ``displayed_width``
    CSS px wide (96 CSS px to the inch).

    >>> image_dpi(1500, 750), image_dpi(800, 800)
    (192.0, 96.0)
    """
    return CSS_DPI * natural_width / displayed_width


def image_problems(img: dict) -> list[str]:
    """An image of the probe that did not load, or is shown below :data:`MIN_DPI`.

    >>> image_problems({"src": "a.png", "ok": True, "width": 800, "shown": 800.0})
    ['image a.png shown at 96 dpi (800 px in 800 CSS px; needs >= 150 dpi)']
    >>> image_problems({"src": "a.svg", "ok": True, "width": 800, "shown": 800.0, "vector": True})
    []
    """
    if not img.get("ok"):
        return [f"image did not load: {img.get('src')}"]
    shown = float(img.get("shown") or 0)
    if img.get("vector") or shown <= 0:       # vector, or not laid out (a closed dropdown)
        return []
    dpi = image_dpi(float(img.get("width") or 0), shown)
    if dpi < MIN_DPI - 0.5:
        return [f"image {img.get('src')} shown at {dpi:.0f} dpi ({img.get('width')} px in "
                f"{shown:.0f} CSS px; needs >= {MIN_DPI} dpi)"]
    return []


def page_problems(r: PageResult) -> list[str]:
    """The reasons a page fails, from what the browser recorded (empty: the page is fine)."""
    if r.redirect_to is not None:
        return [] if r.error is None else [r.error]
    probs = [r.error] if r.error else []
    probs += [f"request to another host: {u}" for u in r.requests if not is_local_request(u)]
    probs += [f"failed request: {m}" for m in r.failed_requests]
    probs += [f"uncaught script error: {m}" for m in r.exceptions]
    probs += [f"console error: {m}" for m in r.console_errors]
    probs += [f"broken link: {m}" for m in r.broken_links]
    p = r.probe
    if p is None:
        return probs + ([] if r.error else ["the in-page probe returned nothing"])
    if p.get("probeError"):
        probs.append(f"probe error: {p['probeError']}")
    probs += _math_problems(r.expected_math, p)
    for img in p.get("images", []) or []:
        probs += image_problems(img)
    probs += [f"web font failed to load: {f}" for f in p.get("fontErrors", []) or []]
    probs += [f"figure without a caption: {s}" for s in p.get("uncaptioned", []) or []]
    return probs


def _math_problems(expected: int, p: dict) -> list[str]:
    """MathJax loaded and typeset every formula, without error, raw TeX or overflow."""
    probs = []
    n_mjx = int(p.get("mjx", 0))
    if expected > 0:
        if not p.get("mathjax"):
            probs.append(f"{expected} formulas but MathJax did not load")
        elif n_mjx == 0:
            probs.append(f"{expected} formulas but MathJax typeset none")
        elif n_mjx < expected:
            probs.append(f"MathJax typeset {n_mjx} of {expected} formulas")
    if p.get("typesetError"):
        probs.append(f"MathJax failed: {p['typesetError']}")
    probs += [f"formula left untypeset: {s!r}" for s in p.get("untypeset", []) or []]
    probs += [f"MathJax error in a formula: {s!r}" for s in p.get("mjxErrors", []) or []]
    probs += [f"raw TeX in the page text: {s!r}" for s in p.get("rawTex", []) or []]
    for o in p.get("overflow", []) or []:
        probs.append(f"display formula {o.get('width')} px wide in a {o.get('column')} px "
                     f"column at {VIEWPORT['width']} px (break it into lines): {o.get('tex')!r}")
    return probs


# --------------------------------------------------------------------------------------
# Links between pages
# --------------------------------------------------------------------------------------


def link_target(href: str, base: str) -> tuple[str, str] | None:
    """``(path, fragment)`` of a link to the site served at ``base``, relative to the
    site root; None for a link elsewhere (another host, ``mailto:``, ``javascript:``).

    >>> link_target("http://127.0.0.1:8000/audit.html#erratum-eq14", "http://127.0.0.1:8000/")
    ('audit.html', 'erratum-eq14')
    >>> link_target("http://127.0.0.1:8000/", "http://127.0.0.1:8000/")
    ('index.html', '')
    >>> link_target("https://arxiv.org/abs/2503.06639", "http://127.0.0.1:8000/") is None
    True
    """
    if not href.startswith(base):
        return None
    parts = urlsplit(href)
    path = unquote(parts.path)[len(urlsplit(base).path):]
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path, unquote(parts.fragment)


def link_problems(root, results: list[PageResult], base: str) -> dict[str, list[str]]:
    """Broken links of every checked page: to a missing file, or to a ``#fragment``
    that the target page does not have (ids as the browser saw them after typesetting,
    else as the HTML file holds them).  ``{page: [problem, ...]}``."""
    root = Path(root)
    ids = {r.page: set((r.probe or {}).get("ids") or []) for r in results if r.probe}
    out: dict[str, list[str]] = {}
    for r in results:
        seen = set()
        for href in (r.probe or {}).get("links") or []:
            tgt = link_target(href, base)
            if tgt is None or tgt in seen:
                continue
            seen.add(tgt)
            path, frag = tgt
            f = root / path
            if not f.is_file():
                out.setdefault(r.page, []).append(f"{path} does not exist")
                continue
            if not frag or f.suffix.lower() not in (".html", ".htm"):
                continue
            if path not in ids:
                ids[path] = html_ids(f.read_text(encoding="utf-8", errors="replace"))
            if frag not in ids[path]:
                out.setdefault(r.page, []).append(f"{path}#{frag}: no such anchor")
    return out


# --------------------------------------------------------------------------------------
# In-page probe: waits for MathJax, images and fonts, then reports what a reader sees
# --------------------------------------------------------------------------------------

PROBE_JS = r"""
(async () => {
  const out = {mathjax: false, mathjaxVersion: null, typesetError: null, probeError: null};
  try {
    const until = (p, ms) => Promise.race([p, new Promise(r => setTimeout(r, ms))]);
    if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)
        && document.querySelector('script[src*="mathjax"]')) {
      // MathJax is deferred: give it the time to start
      for (let i = 0; i < 100 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
        await new Promise(r => setTimeout(r, 100));
    }
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      out.mathjax = true;
      out.mathjaxVersion = MathJax.version || null;
      try {
        await until(MathJax.startup.promise, 30000);
        if (MathJax.typesetPromise) await until(MathJax.typesetPromise(), 30000);
      } catch (e) { out.typesetError = String(e && e.message || e); }
    }
    const imgs = Array.from(document.images);
    for (const img of imgs) { if (img.loading === 'lazy') img.loading = 'eager'; }
    await until(Promise.all(imgs.map(img => img.decode().catch(() => null))), 20000);
    if (document.fonts && document.fonts.ready) await until(document.fonts.ready, 20000);
    out.mjx = document.querySelectorAll('mjx-container').length;
    out.untypeset = Array.from(document.querySelectorAll('.math'))
      .filter(e => !e.querySelector('mjx-container'))
      .map(e => e.textContent.trim().slice(0, 120)).slice(0, 20);
    out.mjxErrors = Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))
      .map(e => (e.getAttribute('data-mjx-error') || e.textContent || '').slice(0, 160)).slice(0, 20);
    const texOf = new Map();
    try { for (const item of MathJax.startup.document.math) texOf.set(item.typesetRoot, item.math); }
    catch (e) { /* no MathJax on this page */ }
    out.overflow = Array.from(document.querySelectorAll('mjx-container[display="true"]'))
      .filter(e => e.getBoundingClientRect().width > 0 && e.scrollWidth > e.clientWidth + 1)
      .map(e => ({width: e.scrollWidth, column: e.clientWidth,
                  tex: (texOf.get(e) || '').trim().slice(0, 100)})).slice(0, 20);
    const article = document.querySelector('article') || document.body;
    const captioned = el => {
      const fig = el.closest('figure');
      const cap = fig && fig.querySelector('figcaption');
      return !!(cap && cap.textContent.trim());
    };
    const isVector = src => /^data:image\/svg/i.test(src) || /\.svg([?#].*)?$/i.test(src);
    out.images = imgs.map(img => {
      const src = img.currentSrc || img.src;
      return {src: src, ok: img.complete && img.naturalWidth > 0, width: img.naturalWidth,
              height: img.naturalHeight, shown: img.getBoundingClientRect().width,
              vector: isVector(src)};
    });
    const uncaptioned = [];
    for (const fig of article.querySelectorAll('figure'))
      if (!captioned(fig.querySelector('figcaption') || fig))
        uncaptioned.push((fig.id ? '#' + fig.id + ' ' : '') + (fig.querySelector('img') || {}).src);
    for (const img of article.querySelectorAll('img'))
      if (!img.closest('figure')) uncaptioned.push(img.currentSrc || img.src);
    out.uncaptioned = uncaptioned.slice(0, 20);
    out.fontErrors = [];
    if (document.fonts)
      document.fonts.forEach(f => { if (f.status === 'error') out.fontErrors.push(f.family); });
    out.links = Array.from(new Set(Array.from(document.querySelectorAll('a[href]')).map(a => a.href)));
    out.ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id)
      .concat(Array.from(document.querySelectorAll('a[name]')).map(e => e.getAttribute('name')));
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
# The browser
# --------------------------------------------------------------------------------------


def _summ(s, n=200) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 3] + "..."


class _Recorder:
    """Playwright event handlers that file what happens into the current page's result."""

    def __init__(self):
        self.r: PageResult | None = None

    def attach(self, page) -> None:
        page.on("request", self.on_request)
        page.on("response", self.on_response)
        page.on("requestfailed", self.on_failed)
        page.on("pageerror", self.on_pageerror)
        page.on("console", self.on_console)

    def on_request(self, req) -> None:
        if self.r is not None and req.url not in self.r.requests:
            self.r.requests.append(req.url)

    def on_response(self, resp) -> None:
        if self.r is not None and resp.status >= 400 and not resp.url.endswith("/favicon.ico"):
            self.r.failed_requests.append(f"HTTP {resp.status} {resp.url}")

    def on_failed(self, req) -> None:
        url = req.url
        if self.r is None or not is_local_request(url) or url.endswith("/favicon.ico"):
            return                             # off-machine requests are reported as such
        why = req.failure or "failed"
        if "ERR_ABORTED" not in why:           # a navigation away cancels late requests
            self.r.failed_requests.append(f"{why} {url}")

    def on_pageerror(self, exc) -> None:
        if self.r is not None:
            self.r.exceptions.append(_summ(getattr(exc, "stack", None) or exc))

    def on_console(self, msg) -> None:
        if self.r is None or msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if where.endswith("/favicon.ico") or not is_local_request(where or "about:blank"):
            return                             # counted as a failed / off-machine request
        self.r.console_errors.append(_summ(msg.text))


def _visit(page, rec: _Recorder, base: str, root: Path, name: str, page_timeout: float,
           shot: Path | None) -> PageResult:
    from playwright.sync_api import Error as PWError

    t0 = time.monotonic()
    text = (root / name).read_text(encoding="utf-8", errors="replace")
    r = PageResult(page=name, expected_math=count_math(text))
    target = refresh_target(text)
    if target is not None:
        r.redirect_to = target
        dest = (root / name).parent / target.split("#")[0].split("?")[0]
        if is_external(target) or not dest.is_file():
            r.error = f"redirects to a missing page: {target}"
        return r
    rec.r = r
    try:
        page.goto(base + name, wait_until="load", timeout=page_timeout * 1000)
        r.probe = page.evaluate(PROBE_JS)
        with contextlib.suppress(PWError):   # late requests (fonts, lazy parts): at most 5 s
            page.wait_for_load_state("networkidle", timeout=5000)
        if shot is not None and r.probe is not None:
            r.screenshots = _screenshot(page, shot, int(r.probe.get("height") or VIEWPORT["height"]))
    except PWError as exc:
        r.error = f"browser: {_summ(exc)}"
    finally:
        rec.r = None
    r.seconds = time.monotonic() - t0
    return r


def _screenshot(page, shot: Path, height: int) -> list[str]:
    """Full-page PNGs at 1280 px: the viewport is stretched to the page's height (capturing
    beyond the viewport shifts this theme's layout), then put back.  A page taller than
    :data:`MAX_SHOT_HEIGHT` is photographed in tiles, ``NAME.png``, ``NAME-2.png``, ..."""
    h = int(min(max(VIEWPORT["height"], height), MAX_SHOT_HEIGHT))
    tiles = -(-max(height, 1) // h)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": h})
    written = []
    try:
        page.wait_for_timeout(400)            # let the page lay itself out again
        shot.parent.mkdir(parents=True, exist_ok=True)
        for k in range(tiles):
            path = shot if k == 0 else shot.with_name(f"{shot.stem}-{k + 1}{shot.suffix}")
            page.evaluate(f"window.scrollTo(0, {k * h})")
            page.wait_for_timeout(150)
            page.screenshot(path=str(path), timeout=60000)
            written.append(str(path))
        page.evaluate("window.scrollTo(0, 0)")
    finally:
        page.set_viewport_size(VIEWPORT)
    return written


def check_pages(root, pages=None, screenshots=None, *, chromium=None, timeout=600.0,
                page_timeout=60.0, log=print) -> list[PageResult]:
    """Open every page of the site at ``root`` in headless Chromium (see module doc).

    ``screenshots`` maps a page (relative path) to the PNG file to write.  The whole run
    is bounded by ``timeout`` seconds; Chromium and the server are stopped at the end
    whatever happens.  Broken links are filled in after every page has been seen.
    """
    try:
        from playwright.sync_api import Error as PWError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserError("playwright is not installed: pip install '.[book]'") from exc
    root = Path(root)
    pages = list_pages(root) if pages is None else list(pages)
    screenshots = dict(screenshots or {})
    binary = find_chromium(chromium)
    if binary is None:
        raise BrowserError("Chromium not found (apt-get install chromium, or set $CHROMIUM)")
    results: list[PageResult] = []
    t_end = time.monotonic() + timeout
    try:
        with sync_playwright() as pw, serve(root) as base:
            browser = pw.chromium.launch(executable_path=binary, headless=True, args=list(CHROMIUM_ARGS))
            try:
                ctx = browser.new_context(viewport=VIEWPORT, device_scale_factor=1,
                                          service_workers="block", java_script_enabled=True)
                # anything for another host is aborted before it leaves (IP literals too)
                ctx.route(lambda url: not is_local_request(url), lambda route: route.abort("blockedbyclient"))
                page = ctx.new_page()
                rec = _Recorder()
                rec.attach(page)
                for name in pages:
                    left = t_end - time.monotonic()
                    if left <= 5:
                        r = PageResult(page=name, error=f"not checked: the {timeout:.0f} s budget ran out")
                    else:
                        r = _visit(page, rec, base, root, name, min(page_timeout, left), screenshots.get(name))
                    results.append(r)
                    _log_page(r, log)
                    if r.error and "Target closed" in r.error:
                        break
            finally:
                browser.close()
            for name, probs in link_problems(root, results, base).items():
                r = next(x for x in results if x.page == name)
                r.broken_links = probs
                log(f"FAIL {name}: {len(probs)} broken link(s)")
                for pr in probs[:12]:
                    log(f"      - {pr}")
    except PWError as exc:
        raise BrowserError(_summ(exc, 400)) from exc
    return results


def _log_page(r: PageResult, log) -> None:
    probs = page_problems(r)
    tag = "FAIL" if probs else "ok  "
    if r.redirect_to is not None:
        log(f"{tag} {r.page}  (redirect to {r.redirect_to})")
    else:
        p = r.probe or {}
        ext = sum(not is_local_request(u) for u in r.requests)
        log(f"{tag} {r.page}  math {p.get('mjx', 0)} typeset / {r.expected_math} in HTML, "
            f"{len(p.get('images') or [])} image(s), {len(p.get('links') or [])} link(s), "
            f"{len(r.requests)} request(s), {ext} external, {r.seconds:.1f} s")
    for pr in probs[:12]:
        log(f"      - {pr}")
    if len(probs) > 12:
        log(f"      - ... and {len(probs) - 12} more")


def default_screenshots(root, pages) -> dict[str, Path]:
    """Every chapter (every page but a redirect and Sphinx's index/search pages) ->
    ``<root>/_screenshots/<page>.png`` (the home page is ``intro.png``)."""
    root = Path(root)
    shots = {}
    for p in pages:
        if p in NOT_CHAPTERS:
            continue
        text = (root / p).read_text(encoding="utf-8", errors="replace")
        if refresh_target(text) is None:
            shots[p] = root / "_screenshots" / (p[:-len(".html")].replace("/", "__") + ".png")
    return shots


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def run_checks(root, *, browser=True, chromium=None, timeout=600.0, log=print) -> int:
    """Static scan, then (if ``browser``) the Chromium check.  Returns 0 if all pass,
    1 if something failed, 2 if the check could not run."""
    root = Path(root)
    if not (root / "index.html").is_file() and not list(root.glob("*.html")):
        log(f"book check: no built site in {root} (build it first: grpo-symbolic book)")
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
        for old in (root / "_screenshots").glob("*.png"):
            old.unlink()
        log(f"browser check: {len(pages)} page(s) in headless Chromium at {VIEWPORT['width']} px")
        try:
            results = check_pages(root, pages, shots, chromium=chromium, timeout=timeout, log=log)
        except (BrowserError, OSError) as exc:
            log(f"book check: the browser check could not run: {exc}")
            return 2
        n_bad = sum(bool(page_problems(r)) for r in results)
        failed = failed or n_bad > 0 or len(results) < len(pages)
        report["pages"] = [dict(asdict(r), problems=page_problems(r)) for r in results]
        report["screenshots"] = {r.page: r.screenshots for r in results if r.screenshots}
        for p, s in shots.items():
            tiles = next((r.screenshots for r in results if r.page == p), [])
            log(f"screenshot {p} -> {', '.join(tiles) if tiles else str(s) + ' (MISSING)'}")
            failed = failed or not s.is_file()
        (root / "_screenshots").mkdir(exist_ok=True)
        (root / "_screenshots" / "report.json").write_text(json.dumps(report, indent=1))
        log(f"pages: {len(results) - n_bad} passed, {n_bad} failed")
    log(f"book check: {'FAILED' if failed else 'passed'} in {time.monotonic() - t0:.1f} s")
    return 1 if failed else 0


def main(argv=None) -> int:
    """``python -m grpo_symbolic.book.check [SITE]``."""
    ap = argparse.ArgumentParser(prog="python -m grpo_symbolic.book.check",
                                 description="Check a built book: offline assets, typeset math, sharp "
                                             "captioned figures, working links, no external request "
                                             "(headless Chromium).")
    ap.add_argument("site", nargs="?", default="book/_build/html", help="built HTML folder")
    ap.add_argument("--static-only", action="store_true", help="only the static scan, no browser")
    ap.add_argument("--chromium", help="Chromium binary (default: $CHROMIUM or chromium on PATH)")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="time limit of the browser check in seconds (default 600)")
    a = ap.parse_args(argv)
    return run_checks(a.site, browser=not a.static_only, chromium=a.chromium, timeout=a.timeout)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
