"""``grpo-symbolic book``: build the Jupyter Book of the package, and check it.

The book's sources are the MyST markdown files in ``book/`` of the repository.  The
build is ``jupyter-book build -W -n --keep-going book/`` (warnings are errors, missing
cross-reference targets too); executed pages are cached in ``_build/.jupyter_cache``.
``--check`` then runs :mod:`grpo_symbolic.book.check` on the built site, in headless
Chromium driven by Playwright: no external resource, every formula typeset and within
its column, every image loaded and sharp, every figure captioned, every internal link
working, no request off the machine, no console error; a screenshot of every chapter in
``_build/html/_screenshots/``.

Needs the ``book`` extra (``pip install '.[book]'``) and, for ``--check``, Chromium
(Debian's ``chromium``; no browser is downloaded).
"""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from ..errors import InputError

NAME = "book"
HELP = "build the book (book/, Jupyter Book) and check it in headless Chromium"
DESCRIPTION = (
    "Build the package's Jupyter Book with warnings as errors "
    "(jupyter-book build -W -n --keep-going book/); with --check, also check the built "
    "site the way a reader gets it: served locally, opened in headless Chromium, every "
    "formula typeset and within its column, every image loaded and sharp, every figure "
    "captioned, every internal link working, no request to another host, no console error."
)
ORDER = 90


def add_arguments(parser) -> None:
    """The build and check options."""
    parser.add_argument("--check", action="store_true",
                        help="after building, run the offline/rendering check (needs chromium)")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (jupyter-book --path-output): the site goes to "
                             "DIR/_build/html (default: the book folder, book/_build/html)")
    parser.add_argument("--book", metavar="DIR",
                        help="the book's source folder (default: ./book, else the book/ "
                             "folder next to the package)")
    parser.add_argument("--no-build", action="store_true",
                        help="do not build; only check the existing site (with --check)")
    parser.add_argument("--all", action="store_true",
                        help="re-write every page (jupyter-book --all); executed cells stay cached")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="SECONDS",
                        help="time limit of the browser check (default 600)")


def find_book(arg: str | None) -> Path:
    """The book folder: ``arg``, else ``./book``, else ``book/`` beside the package
    (an editable install or a source checkout)."""
    candidates = [Path(arg)] if arg else [
        Path.cwd() / "book",
        Path(__file__).resolve().parents[2] / "book",
    ]
    for c in candidates:
        if (c / "_config.yml").is_file() and (c / "_toc.yml").is_file():
            return c.resolve()
    where = arg if arg else "./book"
    raise InputError(f"no Jupyter Book found at {where} (a folder with _config.yml and _toc.yml)")


def build_command(book: Path, out: Path | None, all_pages: bool = False) -> list[str]:
    """The ``jupyter-book build`` command line this sub-command runs."""
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
           "build", str(book), "-W", "-n", "--keep-going"]
    if out is not None:
        cmd += ["--path-output", str(out)]
    if all_pages:
        cmd.append("--all")
    return cmd


def run(args) -> int:
    """Build the book (unless ``--no-build``), then check the site (with ``--check``)."""
    book = find_book(args.book)
    out = Path(args.out).resolve() if args.out else None
    html = (out if out is not None else book) / "_build" / "html"
    if args.no_build and not args.check:
        raise InputError("--no-build only makes sense with --check")
    if not math.isfinite(args.timeout) or args.timeout <= 0:
        raise InputError(f"--timeout must be a positive number of seconds, got {args.timeout:g}")
    if not args.no_build and _build(book, out, html, args.all):
        return 1
    if args.check:
        from ..book import check

        require_site(html)
        return check.run_checks(html, timeout=args.timeout, log=lambda line: print(line, flush=True))
    return 0


def require_site(html: Path) -> None:
    """:class:`InputError` (one line on stderr, exit 2) when ``html`` holds no built site."""
    if not (html / "index.html").is_file() and not list(html.glob("*.html")):
        raise InputError(f"no built site in {html} (build it first: grpo-symbolic book)")


def _build(book: Path, out: Path | None, html: Path, all_pages: bool) -> int:
    """Run ``jupyter-book build``; its exit status."""
    if importlib.util.find_spec("jupyter_book") is None:
        raise InputError("jupyter-book is not installed: pip install '.[book]'")
    cmd = build_command(book, out, all_pages)
    print("book: " + " ".join(["jupyter-book", *cmd[3:]]), flush=True)
    t0 = time.monotonic()
    env = dict(os.environ)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")   # quiet kernel start-up
    # Build matplotlib's font cache now: on a fresh machine its one-time notice would
    # otherwise land in the first executed cell's output (and in the cache).
    subprocess.call([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rc = subprocess.call(cmd, env=env)
    print(f"book: build {'failed' if rc else 'done'} in {time.monotonic() - t0:.1f} s"
          f" -> {html}", flush=True)
    return rc
