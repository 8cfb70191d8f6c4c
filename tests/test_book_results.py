"""Browser part of the book check (grpo_symbolic.book.check): judging what Chromium recorded
on a page, the links between pages, and (when Playwright and Chromium are installed) a real
run on a tiny synthetic site.  The book itself is built and checked by book/ci.sh, not here."""

from __future__ import annotations

import importlib.util
import struct
import zlib

import pytest

from grpo_symbolic.book import check as bc

BASE = "http://127.0.0.1:8000/"


def _probe(**kw):
    p = {"mathjax": True, "mjx": 3, "untypeset": [], "mjxErrors": [], "rawTex": [],
         "images": [{"src": BASE + "_images/a.png", "ok": True, "width": 1600, "shown": 800.0}],
         "fontErrors": [], "overflow": [], "uncaptioned": [], "typesetError": None, "probeError": None,
         "links": [BASE + "notation.html#sec-x"], "ids": ["sec-x"]}
    p.update(kw)
    return p


def _result(**kw):
    r = bc.PageResult(page="notation.html", expected_math=3, probe=_probe(),
                      requests=[BASE + "notation.html", BASE + "_static/mathjax/tex-chtml.js",
                                "data:image/svg+xml;base64,AA"])
    for k, v in kw.items():
        setattr(r, k, v)
    return r


def test_good_page_has_no_problem():
    assert bc.page_problems(_result()) == []


def test_is_local_request():
    assert bc.is_local_request("http://127.0.0.1:4000/a.js")
    assert bc.is_local_request("http://localhost:4000/a.js")
    assert bc.is_local_request("http://[::1]:4000/a.js")
    assert bc.is_local_request("data:font/woff2;base64,AA")
    assert not bc.is_local_request("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js")
    assert not bc.is_local_request("http://127.0.0.1.example.org/x.js")
    assert not bc.is_local_request("wss://example.org/socket")


@pytest.mark.parametrize("change, expected", [
    (dict(requests=["https://fonts.gstatic.com/s/lato.woff2"]), "request to another host"),
    (dict(failed_requests=["HTTP 404 http://127.0.0.1:8000/_images/b.png"]), "failed request"),
    (dict(exceptions=["ReferenceError: x is not defined"]), "uncaught script error"),
    (dict(console_errors=["Got invalid theme mode"]), "console error"),
    (dict(broken_links=["audit.html#claim-x: no such anchor"]), "broken link"),
    (dict(probe=_probe(mjx=0)), "MathJax typeset none"),
    (dict(probe=_probe(mjx=2)), "typeset 2 of 3"),
    (dict(probe=_probe(mathjax=False, mjx=0)), "MathJax did not load"),
    (dict(probe=_probe(untypeset=["\\(p_n\\)"])), "formula left untypeset"),
    (dict(probe=_probe(mjxErrors=["Undefined control sequence \\foo"])), "MathJax error"),
    (dict(probe=_probe(rawTex=["the penalty is $\\beta_{\\mathrm{ref}}"])), "raw TeX"),
    (dict(probe=_probe(overflow=[{"width": 700, "column": 620, "tex": "\\pi_n = ..."}])), "700 px wide"),
    (dict(probe=_probe(images=[{"src": "x.png", "ok": False, "width": 0}])), "image did not load"),
    (dict(probe=_probe(images=[{"src": "x.png", "ok": True, "width": 800, "shown": 800.0}])), "96 dpi"),
    (dict(probe=_probe(uncaptioned=["_images/x.png"])), "figure without a caption"),
    (dict(probe=_probe(fontErrors=["MJXZERO"])), "web font failed"),
    (dict(probe=_probe(typesetError="TypeError")), "MathJax failed"),
    (dict(probe=None), "probe returned nothing"),
    (dict(error="page did not finish loading within 60 s"), "did not finish loading"),
])
def test_each_failure_is_reported(change, expected):
    probs = bc.page_problems(_result(**change))
    assert probs, change
    assert any(expected in p for p in probs), probs


@pytest.mark.parametrize("natural, shown", [(1563, 1000), (1500, 1000), (800, 800), (300, 100), (2000, 1280)])
def test_image_resolution_threshold(natural, shown):
    # independent route: inches shown = CSS px / 96; dots per inch = pixels / inches
    dpi = natural / (shown / 96)
    probs = bc.image_problems({"src": "a.png", "ok": True, "width": natural, "shown": float(shown)})
    assert (probs == []) == (dpi >= 149.5), (dpi, probs)


def test_vector_and_hidden_images_are_exempt():
    assert bc.image_problems({"src": "a.svg", "ok": True, "width": 10, "shown": 900.0, "vector": True}) == []
    assert bc.image_problems({"src": "a.png", "ok": True, "width": 10, "shown": 0.0}) == []


def test_page_without_math_needs_no_mathjax():
    r = _result(expected_math=0, probe=_probe(mathjax=False, mjx=0))
    assert bc.page_problems(r) == []


def test_redirect_pages():
    assert bc.page_problems(bc.PageResult(page="index.html", redirect_to="intro.html")) == []
    r = bc.PageResult(page="index.html", redirect_to="gone.html",
                      error="redirects to a missing page: gone.html")
    assert bc.page_problems(r) == ["redirects to a missing page: gone.html"]


def test_link_target():
    assert bc.link_target(BASE + "sub/a%20b.html#x%2Dy", BASE) == ("sub/a b.html", "x-y")
    assert bc.link_target(BASE + "sub/", BASE) == ("sub/index.html", "")
    assert bc.link_target("mailto:a@b.org", BASE) is None
    assert bc.link_target("http://127.0.0.1:9999/a.html", BASE) is None


def test_link_problems(tmp_path):
    (tmp_path / "a.html").write_text("<p id='top'>a</p>")
    (tmp_path / "b.html").write_text("<h2 id='static-only'>b</h2>")   # not visited: ids read from the file
    (tmp_path / "_sources").mkdir()
    (tmp_path / "_sources" / "a.md").write_text("# a")
    links = [BASE + "a.html#top", BASE + "a.html#gone", BASE + "b.html#static-only", BASE + "b.html#nope",
             BASE + "c.html", BASE + "_sources/a.md", BASE + "a.html", "https://arxiv.org/abs/1"]
    results = [bc.PageResult(page="a.html", probe={"links": links, "ids": ["top", "live-only"]})]
    assert bc.link_problems(tmp_path, results, BASE) == {
        "a.html": ["a.html#gone: no such anchor", "b.html#nope: no such anchor", "c.html does not exist"]}


def test_check_doctests():
    import doctest

    res = doctest.testmod(bc, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0


# ---------------------------------------------------------------- real browser, tiny site

def _png(width=4, height=3):
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.skipif(bc.find_chromium() is None or importlib.util.find_spec("playwright") is None,
                    reason="chromium or playwright is not installed")
def test_browser_check_on_tiny_site(tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.png").write_bytes(_png(400, 300))
    (tmp_path / "good.html").write_text(
        "<html><body><article><h1 id='top'>Good</h1>"
        "<figure><img src='_images/a.png' style='width:200px'><figcaption>A caption.</figcaption></figure>"
        "<a href='bad.html#here'>there</a> <a href='#top'>up</a> <a href='https://arxiv.org/'>out</a>"
        "</article></body></html>")
    (tmp_path / "bad.html").write_text(
        "<html><head><script src='https://cdn.example.org/x.js'></script>"
        # an address literal skips the resolver: the route blocks it (127.0.0.2 is still loopback)
        "<script src='http://127.0.0.2:9/y.js'></script></head><body><article>"
        "<p id='here'>here</p><img src='_images/missing.png'><p>left over \\alpha_{1}</p>"
        "<figure><img src='_images/a.png' style='width:400px'></figure>"
        "<a href='good.html#nowhere'>x</a> <a href='gone.html'>y</a>"
        "<script>console.error('shown to nobody')</script>"
        "<script>throw new Error('boom')</script></article></body></html>")
    shots = {"good.html": tmp_path / "_screenshots" / "good.png"}
    results = bc.check_pages(tmp_path, ["good.html", "bad.html"], shots, timeout=120, log=lambda *_: None)
    good, bad = results
    assert bc.page_problems(good) == [], good
    assert good.probe["images"][0]["width"] == 400 and good.probe["images"][0]["shown"] == 200
    assert shots["good.html"].read_bytes().startswith(b"\x89PNG")
    assert good.screenshots == [str(shots["good.html"])]
    probs = "\n".join(bc.page_problems(bad))
    assert "request to another host: https://cdn.example.org/x.js" in probs
    assert "request to another host: http://127.0.0.2:9/y.js" in probs
    assert "HTTP 404" in probs and "image did not load" in probs
    assert "raw TeX" in probs and "boom" in probs and "console error: shown to nobody" in probs
    assert "shown at 96 dpi" in probs
    assert probs.count("figure without a caption") == 2      # a bare <img>, a <figure> without caption
    assert "good.html#nowhere: no such anchor" in probs and "gone.html does not exist" in probs
