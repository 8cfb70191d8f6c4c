"""Sphinx extension of the grpo_symbolic book: re-execute pages when the package changes.

myst-nb's execution cache (``execute_notebooks: cache``) is keyed on a page's code
cells only, so after a change to ``grpo_symbolic`` itself a page would keep showing the
numbers of the old code.  This extension hashes the package's source files (as the
build's Python imports it, which is also the kernel's), and when the hash differs from
the one stored with the cache it empties the cache and has Sphinx re-read every page,
so that every page runs again.  The new hash is stored only after a successful build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

STAMP_NAME = "grpo_symbolic.sha256"


def package_hash() -> str | None:
    """SHA-256 over the relative paths and bytes of the package's ``.py`` files
    (:func:`grpo_symbolic.book.findings.package_hash`); None without the package."""
    try:
        from grpo_symbolic.book.findings import package_hash as _hash
    except ImportError:
        return None
    return _hash()


def _cache_dir(app) -> Path | None:
    cfg = getattr(app.env, "mystnb_config", None)
    path = getattr(cfg, "execution_cache_path", None)
    return Path(path) if path else None


def _outdated(app, env, added, changed, removed):
    app._grpo_hash = package_hash()
    cache = _cache_dir(app)
    if app._grpo_hash is None or cache is None:
        return []
    stamp = cache / STAMP_NAME
    old = stamp.read_text().strip() if stamp.is_file() else None
    if old == app._grpo_hash:
        return []
    if cache.exists():
        logger.info("grpo_symbolic changed since the pages were executed: "
                    "emptying the execution cache %s", cache)
        shutil.rmtree(cache)
    return sorted(set(env.found_docs) - set(added) - set(changed))


def _finished(app, exc):
    cache = _cache_dir(app)
    if exc is None and cache is not None and getattr(app, "_grpo_hash", None):
        cache.mkdir(parents=True, exist_ok=True)
        (cache / STAMP_NAME).write_text(app._grpo_hash + "\n")


def setup(app):
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
