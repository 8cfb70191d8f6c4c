#!/usr/bin/env bash
# CI entry point for the book: build it with warnings as errors, then check what a reader
# gets (offline assets, typeset math within its column, sharp captioned figures, working
# links, no request off the machine, no console error) in headless Chromium driven by
# Playwright (grpo_symbolic/book/check.py).  Exits non-zero on any failure.
#
# Assumes the package and its book extra are installed in the active environment:
#     pip install '.[book]'
# Installs Chromium with apt-get (Debian package "chromium") if it is missing; Playwright
# drives that binary and never downloads a browser of its own.
# Extra arguments go to `grpo-symbolic book` (e.g. --out DIR, --all).
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)

if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "book/ci.sh: installing chromium (apt-get)"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [ -z "${CHROMIUM:-}" ]; then
    chromium --version 2>/dev/null | head -n 1 || true
fi

python - <<'PY'
import importlib, sys
missing = []
for mod in ("jupyter_book", "myst_nb", "sphinx_proof", "sphinx-mathjax-offline", "playwright", "grpo_symbolic"):
    try:
        importlib.import_module(mod)
    except ImportError:
        missing.append(mod)
if missing:
    sys.exit("book/ci.sh: missing " + ", ".join(missing) + ": pip install '.[book]'")
PY

python -m grpo_symbolic book --check "$@"
echo "book/ci.sh: passed in $(( $(date +%s) - start )) s"
