"""``grpo-symbolic dynamics``: fixed points, stability and the orbit of one variant.

With ``--json`` stdout is one JSON object (the contract other tools call; ``--json FILE``
writes it to FILE and prints the usual tables)::

    {"params": {...as given...},
     "fixed_points": [{"logit", "p", "one_minus_p", "slope", "stable", ...}, ...],
     "orbit": {"kind": "converges|cycle|to_one|bounded|unresolved", "period", "logits", "limit_logit", ...},
     ...}

Fixed points are sorted by logit; numbers are decimal strings with ``--digits``
significant digits; ``slope`` is the derivative of the full alpha-mixed map at the
fixed point and ``stable`` is ``|slope| < 1`` (certified with Arb balls).
With ``--clip E [--clip-high EH]`` the map is the clipped one
(:mod:`grpo_symbolic.exact.clipped`), ``params`` gains ``"clip": {"low", "high"}``, and the
orbit may be ``bounded`` (a certified trapping interval, no convergence or cycle certificate).
"""

from __future__ import annotations

from ._common import (add_clip_arguments, add_json_argument, add_variant_arguments, emit_json, json_to_stdout,
                      params_from_args, parse_int)

NAME = "dynamics"
ORDER = 10
HELP = "certified fixed points, stability and orbit of the PoS map"


def add_arguments(p) -> None:
    """The variant, the precision and the orbit budget."""
    add_variant_arguments(p)
    add_clip_arguments(p)
    p.add_argument("--digits", default="30", help="significant digits of every reported number (default 30)")
    p.add_argument("--steps", default="10000", help="orbit step budget (default 10000)")
    add_json_argument(p, "one object {params, fixed_points, orbit, ...}")


def run(args) -> int:
    """Compute the certified dynamics of one variant and report it."""
    from ..exact.dynamics import MAX_DIGITS, compute_dynamics

    params = params_from_args(args)
    digits = parse_int(args.digits, "digits", 1, MAX_DIGITS)
    steps = parse_int(args.steps, "steps", 1, 10_000_000)
    data = compute_dynamics(params, digits=digits, steps=steps).to_json()
    if args.json:
        emit_json(args, data)
    if not json_to_stdout(args):
        _print_rich(data)
    return 0


def _short(s: str, n: int = 12) -> str:
    """A reported decimal string shortened to ``n`` significant digits for display."""
    import mpmath as mp

    if s in ("inf", "-inf", "0", "1"):
        return s
    with mp.workdps(n + 5):
        return mp.nstr(mp.mpf(s), n)


def _p_text(p: str, one_minus_p: str | None, n: int = 12, q_digits: int | None = None) -> str:
    """A PoS for display: ``1 - q`` when ``q = 1 - p < 10^-3`` (so that no rounding of 1 is printed
    as 1), else ``p`` to ``n`` significant digits."""
    import mpmath as mp

    if one_minus_p not in (None, "0") and mp.mpf(one_minus_p) < mp.mpf("1e-3"):
        return "1 - " + _short(one_minus_p, q_digits or n)
    return _short(p, n)


def _print_rich(d: dict) -> None:
    """The fixed-point table and the orbit (every value escaped for rich)."""
    from rich.console import Console
    from rich.markup import escape

    con = Console()
    params = ", ".join(f"{k}={v}" for k, v in d["params"].items())
    con.print(f"[bold]{escape(str(d['variant']))}[/]  ({escape(params)}; {d['digits']} digits)")
    con.print(_fixed_point_table(d))
    iso = d["isolation"]
    if not iso["complete"]:
        con.print(f"[yellow]isolation incomplete: {len(iso['unresolved'])} undecided boxes[/]")
    o = d["orbit"]
    start = d["params"].get("p0", d["params"].get("p_ref"))
    con.print(f"[bold]Orbit from p0 = {escape(str(start))}:[/] {escape(_orbit_text(o))}")
    ev = o["evidence"]
    con.print(f"  [dim]{escape(str(ev.get('certificate') or ev.get('reason', '')))}[/]")


def _fixed_point_table(d: dict):
    """A rich table of the interior and boundary fixed points."""
    from rich.markup import escape
    from rich.table import Table

    t = Table(title="Fixed points of the PoS map (certified, sorted by logit)", title_justify="left")
    for col in ("#", "p*", "1 - p*", "logit p*", "slope h'(p*)", "stable"):
        t.add_column(col, justify="right" if col != "stable" else "center")
    for i, fp in enumerate(d["fixed_points"], 1):
        st = {True: "[green]yes[/]", False: "[red]no[/]", None: "[yellow]?[/]"}[fp["stable"]]
        t.add_row(str(i), escape(_p_text(fp["p"], fp["one_minus_p"], q_digits=6)),
                  *(escape(_short(fp[k])) for k in ("one_minus_p", "logit", "slope")), st)
    for b in d["boundary_fixed_points"]:
        st = {True: "[green]yes[/]", False: "[red]no[/]", None: "[yellow]neutral[/]"}[b["stable"]]
        t.add_row("bd", escape(b["p"]), str(1 - int(b["p"])), escape(b["logit"]), escape(_short(b["slope"])), st)
    if not d["fixed_points"] and not d["boundary_fixed_points"]:
        t.add_row("-", "none", "", "", "", "")
    return t


def _orbit_text(o: dict) -> str:
    """One line saying where the orbit goes."""
    if o["kind"] == "converges":
        p = _p_text(o["p"][0], o["one_minus_p"][0], 20)
        tail = "" if p.startswith("1 - ") else f" (1 - p* = {_short(o['one_minus_p'][0], 20)})"
        return f"converges to p* = {p}{tail}"
    if o["kind"] == "cycle":
        qs = o.get("one_minus_p") or [None] * len(o["p"])
        return (f"attracting cycle of period {o['period']}: p in "
                f"{{{', '.join(_p_text(x, q) for x, q in zip(o['p'], qs))}}}")
    if o["kind"] == "to_one":
        return "p_n -> 1 (log-odds -> +inf)"
    if o["kind"] == "bounded":
        lo, hi = o["evidence"]["trapping_interval"]
        return f"bounded: stays in the trapping interval [{lo}, {hi}] (log-odds) for ever"
    return "unresolved"
