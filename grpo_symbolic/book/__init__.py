"""Tooling of the package's book (the Jupyter Book in ``book/``; built by ``grpo-symbolic book``).

* :mod:`.scan` -- the static scan of a built site for resources fetched from another host;
* :mod:`.check` -- the reader's check of a built site in headless Chromium (Playwright):
  typeset math, loaded sharp images, captioned figures, working links, no request off
  the machine, no console error, and a screenshot of every chapter;
* :mod:`.findings` -- the audit's findings as the book shows them (verdict counts, the
  errata, one section per erratum), computed from the audit while the book is built.

Nothing here makes a verdict: the findings only read the audit's results.
"""
