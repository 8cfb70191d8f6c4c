"""``grpo-symbolic derive``: the paper's formulas derived with SymPy, step by checked step.

``grpo-symbolic derive --norm {std,mean} --alpha A [--latex | --json]``
``grpo-symbolic derive --clip``: the clipped-GRPO derivations (the reduction to one variable,
the closed-form maximiser, the fixed points).
``grpo-symbolic derive --general``: the two-KL statements of App. E (Lemmas 2-3, eq. (18),
Thm 9 and its recursion, amplification, Table 1 rows 5-6) on an arbitrary finite outcome
space (class sizes symbolic), exactly the derivations the audit uses.

``A`` is a number in ``[0, 1]`` read exactly (``0.3`` is ``3/10``) or ``symbolic``.
Every step is checked symbolically (with a progress bar on stderr when it is a
terminal); the exit status is 1 if any step fails.
``--json`` prints one object ``{"variant": {...}, "derivations": [...], "ok": ...}``
(``--json FILE`` writes it to FILE and prints the usual report);
``--latex`` prints a LaTeX fragment (``align*`` environments).
"""

from __future__ import annotations

import sys
import time

from ..errors import InputError
from ._common import add_json_argument, emit_json, json_to_stdout, progress_bar

NAME = "derive"
ORDER = 30
HELP = "derive weights, contrastive loss, optimal policy, PoS recurrence and stability with SymPy"


def add_arguments(p) -> None:
    """The variant, the outcome space and the output format."""
    p.add_argument("--norm", default="std", help="std (mean+variance) or mean (mean-only); default std")
    p.add_argument("--alpha", default="1",
                   help="weight on KL(pi||pi_ref) in [0,1] (exact decimal or ratio) or 'symbolic'; default 1")
    p.add_argument("--outcomes", default="4", help="size K of the finite outcome space (2..8); default 4")
    p.add_argument("--success", default="0,1",
                   help="comma-separated success outcomes, a nonempty proper subset of 0..K-1; default 0,1")
    p.add_argument("--clip", action="store_true",
                   help="the clipped-GRPO derivations (surrogate, reduction, closed-form maximiser, fixed points)")
    p.add_argument("--general", action="store_true",
                   help="the App. E statements on an arbitrary finite space (the audit's proofs); "
                        "ignores --norm/--alpha/--outcomes/--success")
    out = p.add_mutually_exclusive_group()
    add_json_argument(out, "one object {variant, derivations, ok}")
    out.add_argument("--latex", action="store_true", help="print a LaTeX fragment")


def parse_alpha(text):
    """``"symbolic"`` or an exact SymPy Rational in ``[0, 1]``; :class:`InputError` otherwise."""
    import sympy as sp

    from ..params import parse_exact

    s = str(text).strip()
    if s.lower() == "symbolic":
        return "symbolic"
    a = parse_exact(s, "alpha")
    if not 0 <= a <= 1:
        raise InputError(f"alpha must lie in [0, 1] or be 'symbolic', got {s}")
    return sp.Rational(a.numerator, a.denominator)


def parse_space(outcomes, success):
    """The :class:`FiniteSpace` of ``--outcomes`` and ``--success``; InputError otherwise."""
    from ..symbolic.finite_space import FiniteSpace
    from ._common import parse_int

    K = parse_int(outcomes, "outcomes", 2, 8)
    try:
        S = [int(x) for x in str(success).split(",") if x.strip()]
    except ValueError:
        raise InputError(f"success must be comma-separated integers, got {success!r}") from None
    try:
        return FiniteSpace(K, S)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def run(args) -> int:
    """Derive and check the variant's formulas, print them; 1 if a step fails."""
    from ..symbolic import variants

    if args.general:
        return _report(args, *_general())
    if args.clip:
        return _report(args, *_clipped())
    norm = str(args.norm).strip()
    if norm not in ("std", "mean"):
        raise InputError(f"norm must be one of std, mean, got {args.norm!r}")
    alpha = parse_alpha(args.alpha)
    fs = parse_space(args.outcomes, args.success)
    return _report(args, variants.variant_info(norm, alpha, fs), variants.derive(norm, alpha, fs))


def _general() -> tuple[dict, list]:
    """The general-space derivations and a description of their space."""
    from ..symbolic.general_space import general_derivations

    info = {"norm": "any", "alpha": "alpha", "K": "n_S + n_F (symbolic)", "success": ("1..n_S",)}
    return info, list(general_derivations().values())


def _clipped() -> tuple[dict, list]:
    """The clipped-GRPO derivations (:mod:`grpo_symbolic.symbolic.clipped`)."""
    from ..symbolic.clipped import clipped_derivations

    info = {"norm": "std and mean", "alpha": "alpha", "K": "5 and general", "success": ("0", "1")}
    return info, list(clipped_derivations().values())


def _report(args, info, derivations) -> int:
    """Check, then print or write the derivations; 1 if a step fails."""
    ok, seconds = check_steps(args, derivations)
    if args.json:
        emit_json(args, {"variant": info, "derivations": [d.to_json() for d in derivations], "ok": ok,
                         "check_seconds": round(seconds, 3)})
    if args.latex:
        sys.stdout.write(_latex(info, derivations, ok) + "\n")
    elif not json_to_stdout(args):
        _print_rich(info, derivations, ok, seconds)
    return 0 if ok else 1


def check_steps(args, derivations) -> tuple[bool, float]:
    """Check every step (cached on the step), with a progress bar; ``(all ok, seconds)``."""
    t0 = time.perf_counter()
    steps = [s for d in derivations for s in d.steps]
    with progress_bar(args, "deriving", len(steps)) as tick:
        for s in steps:
            tick(s.name, advance=0)
            s.check()
            tick(s.name)
    ok = all(d.check().ok for d in derivations)
    return ok, time.perf_counter() - t0


def _latex(info, derivations, ok) -> str:
    """The LaTeX fragment of all derivations."""
    head = (f"% grpo-symbolic derive --norm {info['norm']} --alpha {info['alpha']} "
            f"(K={info['K']}, S={info['success']}); all steps checked: {ok}\n"
            f"% needs amsmath and amssymb\n"
            f"\\section*{{Derivations: norm={info['norm']}, $\\alpha={info['alpha']}$}}")
    return "\n\n".join([head] + [d.to_latex() for d in derivations])


def _short(s: str, n: int = 400) -> str:
    """``s`` cut to ``n`` characters."""
    return s if len(s) <= n else s[: n - 1] + "…"


def _print_rich(info, derivations, ok, seconds) -> None:
    """The derivations step by step, with check marks (all text escaped for rich)."""
    from rich.console import Console
    from rich.markup import escape

    con = Console(highlight=False)
    con.print(f"[bold]grpo-symbolic derive[/]  norm={escape(str(info['norm']))}  alpha={escape(str(info['alpha']))}  "
              f"(finite space K={info['K']}, S={escape(str(set(info['success'])))})")
    n_steps = n_fail = 0
    for d in derivations:
        con.print(f"\n[bold underline]{escape(d.title)}[/]")
        for h in d.hypotheses:
            con.print(f"  [dim]• {escape(h)}[/]")
        for s in d.steps:
            res = s.check()
            n_steps += 1
            mark = "[green]✓[/]" if res.ok else "[bold red]FAIL[/]"
            n_fail += not res.ok
            con.print(f"  {mark} [bold]{escape(s.name)}[/]: {escape(s.text)}")
            con.print(f"      {escape(_short(s.equation_str()))}")
            con.print(f"      [dim]method: {escape(s.method)}[/]")
            if not res.ok:
                why = res.error or f"residual {_short(str(res.residual), 200)}"
                con.print(f"      [red]{escape(why)}[/]")
    if ok:
        con.print(f"\n[green]All {n_steps} steps checked symbolically[/] ({seconds:.2f} s).")
    else:
        con.print(f"\n[bold red]FAIL: {n_fail} of {n_steps} steps did not check.[/]")
