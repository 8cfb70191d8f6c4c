"""Browser part of the book check: judging what Chromium recorded on a page, and (when
Chromium is installed) a real run on a tiny synthetic site.  The book itself is built
and checked by book/ci.sh, not here."""

from __future__ import annotations

import struct
import zlib

import pytest

from grpo_symbolic import bookcheck as bc


def _probe(**kw):
    p = {"mathjax": True, "mjx": 3, "untypeset": [], "mjxErrors": [], "rawTex": [],
         "images": [{"src": "http://127.0.0.1:8000/_images/a.png", "ok": True, "width": 10}],
         "fontErrors": [], "overflow": [], "typesetError": None, "probeError": None}
    p.update(kw)
    return p


def _result(**kw):
    r = bc.PageResult(page="notation.html", expected_math=3, probe=_probe(),
                      requests=["http://127.0.0.1:8000/notation.html",
                                "http://127.0.0.1:8000/_static/mathjax/tex-chtml.js",
                                "data:image/svg+xml;base64,AA"])
    for k, v in kw.items():
        setattr(r, k, v)
    return r


def test_good_page_has_no_problem():
    assert bc.page_problems(_result()) == []
    assert bc.page_warnings(_result()) == []


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
    (dict(probe=_probe(mjx=0)), "MathJax typeset none"),
    (dict(probe=_probe(mjx=2)), "typeset 2 of 3"),
    (dict(probe=_probe(mathjax=False, mjx=0)), "MathJax did not load"),
    (dict(probe=_probe(untypeset=["\\(p_n\\)"])), "formula left untypeset"),
    (dict(probe=_probe(mjxErrors=["Undefined control sequence \\foo"])), "MathJax error"),
    (dict(probe=_probe(rawTex=["the penalty is $\\beta_{\\mathrm{ref}}"])), "raw TeX"),
    (dict(probe=_probe(images=[{"src": "x.png", "ok": False, "width": 0}])), "image did not load"),
    (dict(probe=_probe(fontErrors=["MJXZERO"])), "web font failed"),
    (dict(probe=_probe(typesetError="TypeError")), "MathJax failed"),
    (dict(probe=None), "probe returned nothing"),
    (dict(error="page did not finish loading within 60 s"), "did not finish loading"),
])
def test_each_failure_is_reported(change, expected):
    probs = bc.page_problems(_result(**change))
    assert probs, change
    assert any(expected in p for p in probs), probs


def test_page_without_math_needs_no_mathjax():
    r = _result(expected_math=0, probe=_probe(mathjax=False, mjx=0))
    assert bc.page_problems(r) == []


def test_redirect_pages():
    assert bc.page_problems(bc.PageResult(page="index.html", redirect_to="intro.html")) == []
    r = bc.PageResult(page="index.html", redirect_to="gone.html",
                      error="redirects to a missing page: gone.html")
    assert bc.page_problems(r) == ["redirects to a missing page: gone.html"]


def test_warnings_do_not_fail():
    r = _result(probe=_probe(overflow=[{"width": 700, "column": 620, "tex": "\\pi_n = ..."}]),
                console_errors=["Got invalid theme mode"])
    assert bc.page_problems(r) == []
    w = bc.page_warnings(r)
    assert len(w) == 2 and "700 px wide" in w[0] and "console error" in w[1]


# ---------------------------------------------------------------- real browser, tiny site

def _png(width=4, height=3):
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.skipif(bc.find_chromium() is None, reason="chromium is not installed")
def test_browser_check_on_tiny_site(tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / "a.png").write_bytes(_png())
    (tmp_path / "good.html").write_text(
        "<html><body><h1>Good</h1><img src='_images/a.png'></body></html>")
    (tmp_path / "bad.html").write_text(
        "<html><head><script src='https://cdn.example.org/x.js'></script></head><body>"
        "<img src='_images/missing.png'><p>left over \\alpha_{1}</p>"
        "<script>throw new Error('boom')</script></body></html>")
    shots = {"good.html": tmp_path / "_screenshots" / "good.png"}
    results = bc.check_pages(tmp_path, ["good.html", "bad.html"], shots, timeout=120,
                             log=lambda *_: None)
    good, bad = results
    assert bc.page_problems(good) == [], good
    assert good.probe["images"][0]["width"] == 4
    assert shots["good.html"].read_bytes().startswith(b"\x89PNG")
    probs = "\n".join(bc.page_problems(bad))
    assert "request to another host: https://cdn.example.org/x.js" in probs
    assert "HTTP 404" in probs and "image did not load" in probs
    assert "raw TeX" in probs and "boom" in probs
