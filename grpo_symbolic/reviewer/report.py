"""Output of ``grpo-symbolic check``: a rich table, or deterministic JSON."""

from __future__ import annotations

from collections import Counter

from ..audit.report import STYLE


def claims_json(results) -> dict:
    """``{"claims": [...]}``: one object per claim, ``{"id", "source", "verdict",
    "summary", "evidence", "reading"}`` (no timings: two runs give the same text)."""
    return {"claims": [r.to_json() for r in results]}


def _one_line(s: str, n: int) -> str:
    """``s`` on one line, cut to ``n`` characters."""
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def print_table(results, console=None, title: str | None = None) -> None:
    """Print the claims' verdicts as a rich table (ids, sources, findings and title escaped)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    con = console or Console()
    wide = con.width >= 120
    t = Table(title=escape(title or "Reviewer claims"), title_justify="left")
    t.add_column("id", no_wrap=True)
    if wide:
        t.add_column("where", no_wrap=True)
    t.add_column("verdict", no_wrap=True)
    t.add_column("finding", overflow="fold", min_width=30)
    for r in results:
        v = r.verdict
        mark = ""
        exp = r.result.evidence.get("expected")
        if exp and exp != v:
            mark = f" [yellow](expected {escape(str(exp))})[/]"
        cells = [escape(r.id)] + ([escape(r.claim.source)] if wide else []) + \
            [f"[{STYLE[v]}]{escape(v)}[/]{mark}", escape(_one_line(r.result.summary, 220 if wide else 140))]
        t.add_row(*cells)
    con.print(t)
    c = Counter(r.verdict for r in results)
    con.print("  ".join(f"[{STYLE[v]}]{v}: {c[v]}[/]" for v in STYLE if c[v]))
