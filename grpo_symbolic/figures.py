r"""The paper's figures, regenerated from their stated parameters, and the numbers compared.

Every function returns a :class:`FigureResult`: a Matplotlib
:class:`~matplotlib.figure.Figure` (built without ``pyplot``, so nothing is shown or kept
in a global state) and ``data``, a dict of the numbers the figure shows or is compared on.

* :func:`fig1` -- the unsmoothed weights :math:`\sqrt{p/(1-p)}` and :math:`\sqrt{(1-p)/p}`
  (paper Fig. 1), from the package's symbolic derivation of the weights;
* :func:`fig2` -- the twelve curves :math:`h_{\varepsilon,p_{\mathrm{ref}}}` of Fig. 2 with
  the dashed line ``y = p`` and every *certified* fixed point marked;
* :func:`fig4` -- the stability bound :math:`\mathcal B(p^*)` of Fig. 4 on its plotted
  window, and its maximum over ``(0, 1)`` (:func:`fig4_maximum`), which lies outside it;
* :func:`fig5` -- the 6 x 4 panels of Fig. 5 (``p_n`` for ``n = 0..50``), each panel
  titled with what the package computes (the certified fate of the orbit and ``p_50``),
  and the table of computed against printed panel-title values; :func:`fig5_conventions`
  repeats the comparison under other starting conventions, :func:`fig5_start_scan` and
  :func:`fig5_sensitivity` look at the one panel that tells them apart.

Phase diagrams over ``(p_ref, beta)`` (:func:`phase_diagram`, :func:`phase_figure`) use
the float64 helpers of :mod:`grpo_symbolic.numeric.phase` (for pictures, never for a
verdict) and are spot-checked against the certified engine (:func:`phase_spot_check`).
:func:`cobweb` draws a 45-degree diagram and :func:`derivation_markdown` renders a
SymPy derivation (steps, LaTeX, check marks) as MyST markdown for the book.

**The paper's printed data.**  :data:`PAPER_FIG5_PRINTED` holds the panel titles of
Fig. 5 *as printed in the paper* (from ``STATEMENTS.md``, entry ``fig5``).  They are the
claim under test, typed from the paper; nothing in them is computed by this package.
The other ``FIG*`` constants are the parameters the paper states for its figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import mpmath as mp
import numpy as np
from matplotlib.figure import Figure

from . import numeric as nm
from .exact.dynamics import compute_dynamics
from .exact.logit_map import LogitMap
from .numeric.phase import CONVERGES, TO_ONE, UNRESOLVED, classify_orbits, grid_roots
from .params import Params

__all__ = [
    "FigureResult", "PAPER", "PAPER_FIG5_PRINTED", "FIG5_BETAS", "FIG5_P_REFS", "FIG5_EPS", "FIG5_STEPS",
    "FIG5_TEXT_P_REF", "FIG2_BETAS", "FIG2_P_REFS", "FIG2_EPS", "FIG2_COLOURS", "FIG4_EPS", "FIG4_WINDOW",
    "fig1", "fig2", "fig4", "fig4_maximum", "stability_bound", "fig5", "fig5_table", "fig5_conventions",
    "FIG5_CONVENTIONS", "fig5_start_scan", "fig5_sensitivity", "orbit_mp", "phase_diagram", "phase_figure",
    "phase_spot_check", "PhaseDiagram", "FATES", "cobweb", "derivation_markdown", "markdown_table", "fmt4",
    "orbit_fate", "step_latex_lines", "visual_width",
]

#: the paper whose figures are regenerated
PAPER = "arXiv 2503.06639v4"

# ----------------------------------------------------------------------------------------
# The paper's stated parameters and printed values (claims, typed from the paper)
# ----------------------------------------------------------------------------------------

#: Fig. 2: beta values in the paper's legend order, p_ref values, smoothing
FIG2_BETAS = ("1", "5", "0.01", "0.2")
FIG2_P_REFS = ("0.0001", "0.2", "0.8")
FIG2_EPS = "1e-5"
#: Fig. 2 legend colours as the paper states them (beta, p_ref) -> colour
FIG2_COLOURS = {
    ("1", "0.0001"): "blue", ("1", "0.2"): "green", ("1", "0.8"): "red",
    ("5", "0.0001"): "cyan", ("5", "0.2"): "magenta", ("5", "0.8"): "orange",
    ("0.01", "0.0001"): "brown", ("0.01", "0.2"): "purple", ("0.01", "0.8"): "olive",
    ("0.2", "0.0001"): "pink", ("0.2", "0.2"): "grey", ("0.2", "0.8"): "yellow",
}
#: Fig. 4: smoothing and the plotted window of p*
FIG4_EPS = "1e-5"
FIG4_WINDOW = ("0.01", "0.99")
#: Fig. 5: rows (beta), columns (p_ref), smoothing, number of iterations shown
FIG5_BETAS = ("0.01", "0.2", "0.4", "0.8", "1", "5")
FIG5_P_REFS = ("0.0001", "0.2", "0.5", "0.8")
FIG5_EPS = "1e-5"
FIG5_STEPS = 50
#: the p_ref that the paper's text (fig5-text) names for the "divergent" beta = 5 panel
FIG5_TEXT_P_REF = "0.001"

#: PRINTED DATA, NOT RESULTS: the values "p* ≈ ..." of Fig. 5's panel titles as the paper
#: prints them, keyed by (beta, p_ref) as printed.  Source: STATEMENTS.md, entry fig5.
PAPER_FIG5_PRINTED = {
    ("0.01", "0.0001"): "1.0000", ("0.01", "0.2"): "1.0000", ("0.01", "0.5"): "1.0000", ("0.01", "0.8"): "1.0000",
    ("0.2", "0.0001"): "1.0000", ("0.2", "0.2"): "1.0000", ("0.2", "0.5"): "1.0000", ("0.2", "0.8"): "1.0000",
    ("0.4", "0.0001"): "1.0000", ("0.4", "0.2"): "1.0000", ("0.4", "0.5"): "1.0000", ("0.4", "0.8"): "1.0000",
    ("0.8", "0.0001"): "1.0000", ("0.8", "0.2"): "1.0000", ("0.8", "0.5"): "1.0000", ("0.8", "0.8"): "1.0000",
    ("1", "0.0001"): "1.0000", ("1", "0.2"): "0.6813", ("1", "0.5"): "1.0000", ("1", "0.8"): "1.0000",
    ("5", "0.0001"): "0.0442", ("5", "0.2"): "0.2807", ("5", "0.5"): "0.6007", ("5", "0.8"): "0.8813",
}


@dataclass
class FigureResult:
    """A regenerated figure and the numbers it shows (``fig, data = result`` unpacks)."""

    figure: Figure
    data: dict = field(default_factory=dict)

    def __iter__(self):
        return iter((self.figure, self.data))

    def _repr_svg_(self):  # shown as the figure in a notebook: vector, sharp at any size
        import io

        buf = io.StringIO()
        self.figure.savefig(buf, format="svg", dpi=max(150, self.figure.dpi), bbox_inches="tight")
        return buf.getvalue()


def fmt4(x) -> str:
    """``x`` with 4 decimals, the precision of the paper's panel titles (``None`` -> ``"-"``)."""
    if x is None:
        return "-"
    return f"{float(x):.4f}"


def _std(beta, p_ref, eps, alpha="1", p0=None) -> Params:
    return Params.parse(norm="std", beta=beta, alpha=alpha, eps=eps, p_ref=p_ref, p0=p0)


# ----------------------------------------------------------------------------------------
# Figure 1: the unsmoothed weights
# ----------------------------------------------------------------------------------------


def fig1(points: int = 2000, ymax: float = 10.0) -> FigureResult:
    r"""Fig. 1: :math:`\sqrt{p/(1-p)}` (green) and :math:`\sqrt{(1-p)/p}` (orange) on ``(0, 1)``.

    The curves are the ``eps = 0`` weights of the package's derivation
    (``weights("std").result["omega_minus_eps0"]`` and ``["omega_plus_eps0"]``), turned
    into NumPy functions; ``data`` holds their crossing (solved by SymPy) and where each
    leaves the plotted range ``[0, ymax]``."""
    import sympy as sp

    from .symbolic import weights
    from .symbolic.symbols import p

    res = weights("std").result
    w_plus, w_minus = res["omega_plus_eps0"], res["omega_minus_eps0"]  # sqrt((1-p)/p), sqrt(p/(1-p))
    f_plus = sp.lambdify(p, w_plus, "numpy")
    f_minus = sp.lambdify(p, w_minus, "numpy")
    # the crossing: both sides are positive, so compare the squares (a rational equation)
    cross = [c for c in sp.solve(sp.together(w_plus**2 - w_minus**2), p) if c.is_positive and c < 1]
    p_cross = cross[0]
    value = sp.simplify(w_plus.subs(p, p_cross))
    # where each curve reaches ymax
    Y = sp.Rational(ymax).limit_denominator()
    leave_plus = [c for c in sp.solve(sp.together(w_plus**2 - Y**2), p) if 0 < c < 1][0]
    leave_minus = [c for c in sp.solve(sp.together(w_minus**2 - Y**2), p) if 0 < c < 1][0]

    x = np.linspace(1e-4, 1 - 1e-4, points)
    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(x, f_minus(x), color="green", label=r"$\sqrt{p/(1-p)}$  ($\omega^-$, failure)")
    ax.plot(x, f_plus(x), color="orange", label=r"$\sqrt{(1-p)/p}$  ($\omega^+$, success)")
    ax.plot([float(p_cross)], [float(value)], "ko", ms=4)
    ax.set_ylim(0, ymax)
    ax.set_xlim(0, 1)
    ax.set_xlabel("$p$")
    ax.set_ylabel("Value")
    ax.set_title(r"$\sqrt{\frac{p}{1-p}}$ and $\sqrt{\frac{1-p}{p}}$ for $p\in(0,1)$ (regenerated)")
    ax.legend()
    data = {"omega_plus_eps0": w_plus, "omega_minus_eps0": w_minus,
            "crossing_p": p_cross, "crossing_value": value,
            "omega_plus_reaches_ymax_at": leave_plus, "omega_minus_reaches_ymax_at": leave_minus,
            "ymax": ymax}
    return FigureResult(fig, data)


# ----------------------------------------------------------------------------------------
# Figure 2: the map h and its certified fixed points
# ----------------------------------------------------------------------------------------


def fig2(eps: str = FIG2_EPS, digits: int = 12, points: int = 3000) -> FigureResult:
    r"""Fig. 2: :math:`h_{\varepsilon,p_{\mathrm{ref}}}(p)` for
    ``beta in FIG2_BETAS`` x ``p_ref in FIG2_P_REFS``, the dashed line ``y = p``, and
    every fixed point certified by :func:`grpo_symbolic.exact.dynamics.compute_dynamics`
    (filled: attracting, open: repelling).  ``data["curves"]`` lists, per curve, the
    fixed points (``p``, ``1 - p``, logit, slope, stability) and the certified fate of
    the orbit from ``p_0 = p_ref``."""
    x = np.linspace(0.01, 1.0 - 1e-9, points)
    fig = Figure(figsize=(10.5, 5.6), layout="constrained")
    ax = fig.add_subplot()
    curves = []
    for beta in FIG2_BETAS:
        for p_ref in FIG2_P_REFS:
            P = _std(beta, p_ref, eps)
            lm = LogitMap(P)
            with np.errstate(divide="ignore"):
                y = nm.sigmoid(lm.g_np(nm.logit(x)))
            colour = FIG2_COLOURS[(beta, p_ref)]
            ax.plot(x, y, color=colour, lw=1.4, label=rf"$\beta={beta}$, $p_{{\mathrm{{ref}}}}={p_ref}$")
            rep = compute_dynamics(P, digits=digits)
            fps = []
            for f in rep.fixed:
                pf = float(f.p)
                fps.append({"p": f.p, "one_minus_p": f.one_minus_p, "logit": f.logit, "slope": f.slope,
                            "stable": f.stable})
                ax.plot([pf], [pf], "o", ms=6, mec=colour, mfc=colour if f.stable else "white", mew=1.5,
                        zorder=5)
            curves.append({"beta": beta, "p_ref": p_ref, "colour": colour, "fixed_points": fps,
                           "orbit": orbit_fate(rep)})
    ax.plot([0, 1], [0, 1], "k--", lw=1, label="$y = p$")
    ax.set_xlim(0, 1.01)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("$p$")
    ax.set_ylabel(r"$h_{\varepsilon,p_{\mathrm{ref}}}(p)$")
    ax.set_title(rf"$h_{{\varepsilon,p_{{\mathrm{{ref}}}}}}(p)$, $\varepsilon={eps}$: "
                 "certified fixed points (filled: attracting, open: repelling)", fontsize=10)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return FigureResult(fig, {"eps": eps, "curves": curves})


# ----------------------------------------------------------------------------------------
# Figure 4: the stability bound B(p*)
# ----------------------------------------------------------------------------------------


def stability_bound(p, eps):
    r""":math:`\mathcal B(p) = p(1-p)|2p-1| / (2 (p(1-p)+\varepsilon)^{3/2})` in float64."""
    p = np.asarray(p, dtype=float)
    s = p * (1 - p)
    return s * np.abs(2 * p - 1) / (2 * (s + float(eps)) ** 1.5)


def fig4_maximum(eps: str = FIG4_EPS, dps: int = 40) -> dict:
    r"""The maximum of :math:`\mathcal B` over ``(0, 1)``, derived with SymPy.

    With ``s = p(1-p)`` in ``(0, 1/4]`` and ``|2p-1| = sqrt(1-4s)``,
    ``B = s sqrt(1-4s) / (2 (s+eps)^(3/2))``; SymPy solves ``d log B / ds = 0`` (one root,
    ``s* = 2 eps/(1 + 12 eps)``), so ``B`` increases in ``s`` below ``s*`` and decreases
    above.  Returns ``s*`` (SymPy), the two maximisers ``p*`` and ``1 - p*`` and
    ``B_max`` at ``dps`` digits, and the maximum over the plotted window, which sits at
    its end points because there ``s > s*``."""
    import sympy as sp

    s = sp.Symbol("s", positive=True)
    e = sp.Symbol("varepsilon", positive=True)
    B = s * sp.sqrt(1 - 4 * s) / (2 * (s + e) ** sp.Rational(3, 2))
    crit = sp.solve(sp.together(sp.diff(sp.log(B), s)), s)
    if len(crit) != 1:
        raise RuntimeError(f"expected one critical point of B(s), got {crit}")
    s_star = sp.simplify(crit[0])
    E = Fraction(eps)
    lo, hi = (Fraction(w) for w in FIG4_WINDOW)
    with mp.workdps(dps):
        em = mp.mpf(E.numerator) / E.denominator
        ss = mp.mpf(sp.N(s_star.subs(e, sp.Rational(E.numerator, E.denominator)), dps + 10))
        p_arg = (1 - mp.sqrt(1 - 4 * ss)) / 2
        B_max = ss * mp.sqrt(1 - 4 * ss) / (2 * (ss + em) ** mp.mpf(1.5))

        def Bm(pv):
            sv = pv * (1 - pv)
            return sv * abs(2 * pv - 1) / (2 * (sv + em) ** mp.mpf(1.5))

        lo_m = mp.mpf(lo.numerator) / lo.denominator
        hi_m = mp.mpf(hi.numerator) / hi.denominator
        s_window_min = min(lo_m * (1 - lo_m), hi_m * (1 - hi_m))
        window_max = max(Bm(lo_m), Bm(hi_m))
    return {"eps": eps, "s_star": s_star, "s_star_value": ss, "B_of_s": B, "p_argmax": p_arg,
            "p_argmax_upper": 1 - p_arg, "B_max": B_max, "window": FIG4_WINDOW, "window_max": window_max,
            "window_s_min": s_window_min, "window_max_at_ends": bool(s_window_min > ss)}


def fig4(eps: str = FIG4_EPS, points: int = 2000) -> FigureResult:
    r"""Fig. 4: :math:`\mathcal B(p^*)` on the paper's window ``[0.01, 0.99]`` (left) and on
    all of ``(0, 1)`` in log-odds (right), where the maximum of :func:`fig4_maximum`
    shows up far outside the window."""
    mx = fig4_maximum(eps)
    lo, hi = (float(w) for w in FIG4_WINDOW)
    x = np.linspace(lo, hi, points)
    fig = Figure(figsize=(10.5, 4.0), layout="constrained")
    a1, a2 = fig.subplots(1, 2)
    a1.plot(x, stability_bound(x, eps), color="C0")
    a1.set_xlabel("$p^*$")
    a1.set_ylabel(r"$\mathcal{B}(p^*)$")
    a1.set_title(rf"paper's window $[{FIG4_WINDOW[0]}, {FIG4_WINDOW[1]}]$, $\varepsilon = {eps}$", fontsize=10)
    L = np.linspace(-25, 25, 4001)
    pL = nm.sigmoid(L)
    a2.plot(L, stability_bound(pL, eps), color="C1")
    a2.axvspan(float(nm.logit(lo)), float(nm.logit(hi)), color="0.85", label="paper's window")
    La = float(mp.log(mx["p_argmax"] / (1 - mx["p_argmax"])))
    a2.plot([La, -La], [float(mx["B_max"])] * 2, "kv", ms=6, label=rf"max $\approx {float(mx['B_max']):.2f}$")
    a2.set_xlabel(r"$\operatorname{logit} p^*$")
    a2.set_ylabel(r"$\mathcal{B}(p^*)$")
    a2.set_title(r"all of $(0,1)$, in log-odds", fontsize=10)
    a2.legend(fontsize=8)
    return FigureResult(fig, mx)


# ----------------------------------------------------------------------------------------
# Figure 5: the orbits p_n, n = 0..50
# ----------------------------------------------------------------------------------------


def orbit_mp(params: Params, steps: int = FIG5_STEPS, dps: int = 60) -> list:
    """``[p_0, ..., p_steps]`` (mpmath numbers) of the orbit from ``params.start``, computed
    in log-odds at ``dps`` digits from the exact start (enough for 50 steps of even a
    chaotic orbit: the tests compare it with an independent iteration)."""
    lm = LogitMap(params)
    with mp.workdps(dps):
        L = lm.L_start_mp()
        out = []
        for n in range(steps + 1):
            out.append(1 / (1 + mp.exp(-L)))
            if n < steps:
                L = lm.g_mp(L)
        return [+x for x in out]


def orbit_fate(rep) -> dict:
    """The certified fate of a :class:`~grpo_symbolic.exact.dynamics.DynamicsReport`'s orbit:
    ``kind``, ``period``, ``points`` (PoS values), a one-line ``text`` and the ``evidence``."""
    o = rep.orbit
    with mp.workdps(rep.digits + 20):
        pts = [1 / (1 + mp.exp(-x)) for x in o.points]
    if o.kind == "converges":
        text = f"converges to p* = {fmt4(pts[0])}"
    elif o.kind == "cycle":
        text = f"attracting {o.period}-cycle {{{', '.join(fmt4(x) for x in pts)}}}"
    elif o.kind == "to_one":
        text = "p_n -> 1"
    else:
        text = "unresolved (no limit, no cycle of period <= 64 found)"
    return {"kind": o.kind, "period": o.period, "points": pts, "text": text, "evidence": o.evidence}


def _start_of(start):
    if start in (None, "p_ref"):
        return None
    return str(start)


def fig5_table(start="p_ref", p_ref_override: dict | None = None, eps: str = FIG5_EPS,
               steps: int = FIG5_STEPS, orbit_steps: int = 2000, digits: int = 12) -> list:
    """One row per panel of Fig. 5 (no plotting): the printed title value against the
    certified fate of the orbit and the ``steps``-th iterate.

    ``start``: ``"p_ref"`` (the paper's text: ``p_0 = p_ref``) or a PoS used as ``p_0`` in
    every panel.  ``p_ref_override`` maps a panel ``(beta, p_ref)`` to the ``p_ref`` really
    used (e.g. ``{("5", "0.0001"): FIG5_TEXT_P_REF}``).  The certified engine classifies
    the orbit with a budget of ``orbit_steps`` steps.

    Row keys: ``beta``, ``p_ref`` (as titled), ``p_ref_used``, ``p0``, ``printed``,
    ``fate`` (dict: ``kind``, ``period``, ``points``, ``text``), ``limit`` (the certified
    limit, or ``None`` when the orbit has none), ``p_last`` (the ``steps``-th iterate),
    ``p_prev`` (the one before), ``match_limit`` (``fmt4(limit) == printed``; ``None``
    without a limit), ``match_last`` (``fmt4(p_last) == printed``), ``orbit`` (floats)."""
    override = dict(p_ref_override or {})
    rows = []
    for beta in FIG5_BETAS:
        for p_ref in FIG5_P_REFS:
            used = override.get((beta, p_ref), p_ref)
            p0 = _start_of(start)
            P = _std(beta, used, eps, p0=p0)
            orb = orbit_mp(P, steps)
            rep = compute_dynamics(P, digits=digits, steps=orbit_steps)
            fate = orbit_fate(rep)
            limit = fate["points"][0] if fate["kind"] == "converges" else None
            printed = PAPER_FIG5_PRINTED[(beta, p_ref)]
            rows.append({
                "beta": beta, "p_ref": p_ref, "p_ref_used": used, "p0": used if p0 is None else p0,
                "p0_rule": "p_ref" if p0 is None else "fixed", "printed": printed, "fate": fate,
                "limit": limit, "p_last": orb[-1], "p_prev": orb[-2],
                "match_limit": None if limit is None else fmt4(limit) == printed,
                "match_last": fmt4(orb[-1]) == printed,
                "orbit": [float(x) for x in orb],
            })
    return rows


def fig5(start="p_ref", p_ref_override: dict | None = None, eps: str = FIG5_EPS, steps: int = FIG5_STEPS,
         orbit_steps: int = 2000, digits: int = 12) -> FigureResult:
    r"""Fig. 5 regenerated: 6 x 4 panels of ``p_n`` against ``n = 0..steps``.

    Each panel title gives the paper's ``beta`` and ``p_ref``, then what the package
    computes: the certified limit of the orbit (``lim``), or the cycle, or
    "no limit", and the last iterate ``p_50``; the value printed in the paper's title
    is written inside the panel (red when neither computed value matches it to 4
    decimals).  ``data["rows"]`` is :func:`fig5_table`."""
    rows = fig5_table(start, p_ref_override, eps, steps, orbit_steps, digits)
    fig = Figure(figsize=(12.5, 15.5), layout="constrained")
    axes = fig.subplots(len(FIG5_BETAS), len(FIG5_P_REFS), sharex=True)
    n = np.arange(steps + 1)
    for ax, r in zip(axes.flat, rows):
        ax.plot(n, r["orbit"], "-o", ms=2, lw=0.9, color="C0")
        ax.set_ylim(-0.04, 1.04)
        f = r["fate"]
        if f["kind"] == "converges":
            what = f"lim = {fmt4(r['limit'])}"
        elif f["kind"] == "cycle":
            what = f"{f['period']}-cycle " + "/".join(fmt4(x) for x in f["points"])
        elif f["kind"] == "to_one":
            what = "p_n -> 1"
        else:
            what = "no limit found"
        pr = r["p_ref"] if r["p_ref_used"] == r["p_ref"] else f"{r['p_ref']} (used {r['p_ref_used']})"
        ax.set_title(f"β={r['beta']}, p_ref={pr}\n{what}, p_{steps}={fmt4(r['p_last'])}", fontsize=8)
        ok = bool(r["match_limit"]) or r["match_last"]
        ax.text(0.97, 0.06 if r["orbit"][-1] > 0.5 else 0.86, f"paper: p* ≈ {r['printed']}",
                transform=ax.transAxes, ha="right", fontsize=7.5, color="black" if ok else "red",
                bbox={"boxstyle": "round", "fc": "white", "ec": "black" if ok else "red", "lw": 0.8})
    for ax in axes[-1]:
        ax.set_xlabel("Iteration n")
    for ax in axes[:, 0]:
        ax.set_ylabel("$p_n$")
    p0 = "p_0 = p_ref" if start in (None, "p_ref") else f"p_0 = {start}"
    fig.suptitle(f"Iteration of p_(n+1) = h(p_n), eps = {eps}, {p0}", fontsize=11)
    return FigureResult(fig, {"rows": rows, "start": start, "p_ref_override": p_ref_override or {}})


#: the starting conventions compared by :func:`fig5_conventions` (name, start, p_ref override)
FIG5_CONVENTIONS = (
    ("p_0 = p_ref (the paper's text)", "p_ref", None),
    ("p_0 = 0.5 in every panel", "0.5", None),
    ("p_0 = 1e-4 in every panel", "0.0001", None),
    ("p_ref = 0.001 in the (5, 1e-4) panel, as fig5-text says; p_0 = p_ref", "p_ref",
     {("5", "0.0001"): FIG5_TEXT_P_REF}),
    ("p_0 = 0.1 in every panel", "0.1", None),
    ("p_0 = 0.9 in every panel", "0.9", None),
)


def fig5_conventions(conventions=FIG5_CONVENTIONS, **kw) -> list:
    """For each starting convention: how many of the 24 printed titles the certified limit
    and the 50th iterate reproduce (to 4 decimals), and the values in the panel
    ``(beta, p_ref) = (5, 0.0001)``, the only one where the conventions differ."""
    out = []
    for name, start, override in conventions:
        rows = fig5_table(start, override, **kw)
        key = next(r for r in rows if (r["beta"], r["p_ref"]) == ("5", "0.0001"))
        out.append({
            "convention": name, "start": start, "override": override or {},
            "limit_matches": sum(bool(r["match_limit"]) for r in rows),
            "last_matches": sum(r["match_last"] for r in rows),
            "panels": len(rows),
            "key_fate": key["fate"]["text"], "key_limit": key["limit"], "key_last": key["p_last"],
            "key_prev": key["p_prev"], "key_printed": key["printed"],
            "key_match_last": key["match_last"], "key_match_limit": key["match_limit"],
            "mismatches_last": [(r["beta"], r["p_ref"]) for r in rows if not r["match_last"]],
            "rows": rows,
        })
    return out


def fig5_start_scan(starts, beta: str = "5", p_ref: str = "0.0001", eps: str = FIG5_EPS,
                    steps: int = FIG5_STEPS) -> list:
    """``p_steps`` from each start in ``starts`` (exact decimals), in mpmath, for one panel."""
    rows = []
    for s in starts:
        orb = orbit_mp(_std(beta, p_ref, eps, p0=s), steps)
        rows.append({"p0": s, "p_last": orb[-1], "p_prev": orb[-2], "last4": fmt4(orb[-1])})
    return rows


def fig5_sensitivity(beta: str = "5", p_ref: str = "0.0001", eps: str = FIG5_EPS, steps: int = FIG5_STEPS,
                     grid: int = 200_001, target: str | None = None, lyapunov_from: str = "0.1",
                     lyapunov_steps: int = 2000) -> FigureResult:
    """How ``p_steps`` depends on ``p_0`` in one panel (float64, a picture and an estimate):
    ``p_steps`` over a uniform grid of ``p_0`` in ``(0, 1)``, the fraction of starts whose
    ``p_steps`` rounds (4 decimals) to ``target`` (default: the printed title value), and a
    float64 estimate of the Lyapunov exponent (mean of ``log |g'|`` along the orbit from
    ``lyapunov_from``) with the total stretching over the first ``steps`` steps."""
    target = PAPER_FIG5_PRINTED[(beta, p_ref)] if target is None else target
    Lr = float(nm.logit(float(Fraction(p_ref))))
    b, e = float(Fraction(beta)), float(Fraction(eps))
    p0 = np.linspace(0, 1, grid)[1:-1]
    L = nm.iterate(nm.logit(p0), Lr, 1.0, b, "std", e, steps)
    last = nm.sigmoid(L[-1])
    hit = np.round(last, 4) == float(target)
    orb = nm.iterate(nm.logit(float(Fraction(lyapunov_from))), Lr, 1.0, b, "std", e, lyapunov_steps).reshape(-1)
    d = np.abs(nm.dg(orb[:-1], Lr, 1.0, b, "std", e))
    lyap = float(np.mean(np.log(d[steps:])))
    stretch = float(np.sum(np.log(d[:steps])))
    fig = Figure(figsize=(10.5, 3.8), layout="constrained")
    a1, a2 = fig.subplots(1, 2, width_ratios=(2, 1))
    a1.plot(p0, last, ",", color="C0", alpha=0.5)
    a1.plot(p0[hit], last[hit], "o", ms=3, color="C3", label=f"p_{steps} rounds to {target}")
    a1.set_xlabel("$p_0$")
    a1.set_ylabel(f"$p_{{{steps}}}$")
    a1.set_yscale("log")
    a1.set_title(f"β={beta}, p_ref={p_ref}, ε={eps}: p_{steps} against the start p_0 (float64)", fontsize=9)
    a1.legend(fontsize=8, loc="lower right")
    a2.hist(np.log10(last), bins=80, color="C0")
    a2.axvline(np.log10(float(target)), color="C3", lw=1)
    a2.set_xlabel(f"$\\log_{{10}} p_{{{steps}}}$")
    a2.set_ylabel("starts")
    a2.set_title("distribution over starts", fontsize=9)
    return FigureResult(fig, {"grid": int(p0.size), "hit_fraction": float(hit.mean()), "hits": int(hit.sum()),
                              "target": target, "lyapunov": lyap, "stretch_first_steps": stretch,
                              "lyapunov_from": lyapunov_from, "near_one_fraction": float(np.mean(last > 0.999))})


# ----------------------------------------------------------------------------------------
# Phase diagrams over (p_ref, beta)
# ----------------------------------------------------------------------------------------

#: orbit fates of :func:`phase_diagram`, code -> label
FATES = {0: "unresolved (no period <= 16)", 1: "converges to the top fixed point",
         2: "converges to a lower fixed point", 3: "attracting cycle (period >= 2)", 4: "p_n -> 1 (L -> inf)"}


@dataclass
class PhaseDiagram:
    """Float64 phase diagram on a ``(beta, p_ref)`` grid (rows: ``betas``, columns: ``p_refs``)."""

    eps: float
    alpha: float
    norm: str
    p_refs: np.ndarray
    betas: np.ndarray
    n_fixed: np.ndarray      # number of fixed points in (0, 1)
    n_stable: np.ndarray     # how many of them are attracting (|g'| < 1 at the root)
    fate: np.ndarray         # codes of FATES for the orbit from p_0 = p_ref
    period: np.ndarray       # 1 for a fixed point, k for a k-cycle, 0 otherwise
    limit: np.ndarray        # last iterate (log-odds)
    steps: int

    def counts(self) -> dict:
        """How many grid points have each fate."""
        return {FATES[k]: int((self.fate == k).sum()) for k in FATES}


def phase_diagram(eps, p_refs, betas, alpha: float = 1.0, norm: str = "std", steps: int = 1500,
                  grid: int = 3000) -> PhaseDiagram:
    """Number of fixed points, how many are attracting, and the fate of the orbit from
    ``p_0 = p_ref``, on the grid ``betas`` x ``p_refs`` (float64; for figures).

    Fixed points are sign changes of ``G = g - id`` (:func:`numeric.phase.count_fixed_points`'
    grid), stability is ``|g'| < 1`` at the interpolated root, and the orbit is labelled by
    :func:`numeric.phase.classify_orbits`; a converging orbit is assigned to the nearest
    root ("top" when it is the largest one)."""
    p_refs = np.asarray(p_refs, float)
    betas = np.asarray(betas, float)
    shape = (betas.size, p_refs.size)
    n_fixed = np.zeros(shape, int)
    n_stable = np.zeros(shape, int)
    fate = np.zeros(shape, int)
    period = np.zeros(shape, int)
    limit = np.zeros(shape)
    Lr_row = nm.logit(p_refs)
    for i, b in enumerate(betas):
        Bv = np.full(p_refs.shape, b)
        if alpha > 0:
            root, slope, change = grid_roots(Lr_row, alpha, Bv, norm, eps, grid)
            n_fixed[i] = change.sum(axis=-1)
            n_stable[i] = (change & (np.abs(slope) < 1)).sum(axis=-1)
        else:
            root = np.full(p_refs.shape + (1,), np.nan)
        kind, per, last = classify_orbits(Lr_row, Lr_row, alpha, Bv, norm, eps, steps=steps)
        period[i] = per
        limit[i] = last
        f = np.zeros(p_refs.shape, int)
        f[kind == TO_ONE] = 4
        cyc = (kind == CONVERGES) & (per >= 2)
        f[cyc] = 3
        fix = (kind == CONVERGES) & (per == 1)
        if fix.any():
            with np.errstate(invalid="ignore"):
                dist = np.abs(root - last[:, None])
            dist = np.where(np.isnan(dist), np.inf, dist)
            nearest = np.argmin(dist, axis=-1)
            top = np.nanargmax(np.where(np.isnan(root), -np.inf, root), axis=-1) if alpha > 0 else nearest
            f[fix & (nearest == top)] = 1
            f[fix & (nearest != top)] = 2
        f[kind == UNRESOLVED] = 0
        fate[i] = f
    return PhaseDiagram(float(eps), float(alpha), norm, p_refs, betas, n_fixed, n_stable, fate, period, limit,
                        steps)


def phase_figure(diagrams) -> FigureResult:
    """One row per diagram: number of fixed points, number of attracting ones, orbit fate
    (log axes: ``p_ref`` horizontally, ``beta`` vertically)."""
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    diagrams = list(diagrams)
    fig = Figure(figsize=(12.5, 3.4 * len(diagrams) + 0.6), layout="constrained")
    axes = np.atleast_2d(fig.subplots(len(diagrams), 3, sharex=True, sharey=True))
    count_cmap = ListedColormap(["#f7f7f7", "#bdd7e7", "#6baed6", "#2171b5", "#08306b", "#000000"])
    count_norm = BoundaryNorm(np.arange(-0.5, 6.5), count_cmap.N)
    fate_colours = {0: "#e41a1c", 1: "#4daf4a", 2: "#377eb8", 3: "#ff7f00", 4: "#984ea3"}
    fate_cmap = ListedColormap([fate_colours[k] for k in range(5)])
    fate_norm = BoundaryNorm(np.arange(-0.5, 5.5), 5)
    for row, d in zip(axes, diagrams):
        X, Y = d.p_refs, d.betas
        for ax, Z, cm, nr, title in (
                (row[0], d.n_fixed, count_cmap, count_norm, "fixed points in (0,1)"),
                (row[1], d.n_stable, count_cmap, count_norm, "attracting fixed points"),
                (row[2], d.fate, fate_cmap, fate_norm, "orbit from $p_0 = p_{ref}$")):
            ax.pcolormesh(X, Y, Z, cmap=cm, norm=nr, shading="nearest", rasterized=True)
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_title(f"ε = {d.eps:g}: {title}", fontsize=9)
        row[0].set_ylabel(r"$\beta$")
    for ax in axes[-1]:
        ax.set_xlabel(r"$p_{\mathrm{ref}}$")
    present = sorted({int(v) for d in diagrams for v in np.unique(d.n_fixed)} |
                     {int(v) for d in diagrams for v in np.unique(d.n_stable)})
    h1 = [Patch(color=count_cmap(k), label=f"{k}") for k in present]
    fates = sorted({int(v) for d in diagrams for v in np.unique(d.fate)})
    h2 = [Patch(color=fate_colours[k], label=FATES[k]) for k in fates]
    fig.legend(handles=h1, title="count", loc="outside lower left", ncol=len(h1), fontsize=8)
    fig.legend(handles=h2, loc="outside lower right", ncol=2, fontsize=8)
    return FigureResult(fig, {"diagrams": diagrams})


def phase_spot_check(diagram: PhaseDiagram, points, digits: int = 12, steps: int = 4000) -> list:
    """Compare grid points ``(i, j)`` of a float64 diagram with the certified engine run
    on the *same* (binary) parameter values: number of fixed points, number of attracting
    ones, and the orbit's fate (kind, period, limit)."""
    rows = []
    for i, j in points:
        b, pr = float(diagram.betas[i]), float(diagram.p_refs[j])
        P = Params.parse(norm=diagram.norm, beta=b, alpha=Fraction(diagram.alpha).limit_denominator(10**6),
                         eps=diagram.eps, p_ref=pr)
        rep = compute_dynamics(P, digits=digits, steps=steps)
        o = rep.orbit
        nf, ns = len(rep.fixed), sum(bool(f.stable) for f in rep.fixed)
        code = int(diagram.fate[i, j])
        if o.kind == "converges":
            top = max(rep.fixed, key=lambda f: f.logit)
            exact_code = 1 if abs(o.points[0] - top.logit) < mp.mpf(10) ** -8 else 2
            lim_ok = abs(float(o.points[0]) - diagram.limit[i, j]) <= 1e-6 * (1 + abs(float(o.points[0])))
        elif o.kind == "cycle":
            exact_code, lim_ok = 3, int(diagram.period[i, j]) == o.period
        elif o.kind == "to_one":
            exact_code, lim_ok = 4, True
        else:
            exact_code, lim_ok = 0, True
        rows.append({"i": i, "j": j, "beta": b, "p_ref": pr, "n_fixed_float": int(diagram.n_fixed[i, j]),
                     "n_fixed_exact": nf, "n_stable_float": int(diagram.n_stable[i, j]), "n_stable_exact": ns,
                     "fate_float": FATES[code], "fate_exact": orbit_fate(rep)["text"],
                     "agree": (nf == diagram.n_fixed[i, j] and ns == diagram.n_stable[i, j]
                               and code == exact_code and bool(lim_ok))})
    return rows


# ----------------------------------------------------------------------------------------
# Cobweb diagram
# ----------------------------------------------------------------------------------------


def cobweb(ax, params: Params, steps: int = 30, points: int = 2000, label: str | None = None,
           fixed_digits: int = 10, window: tuple[float, float] = (0.0, 1.0)) -> dict:
    """45-degree (cobweb) diagram of ``p -> h(p)`` on ``ax`` in PoS coordinates: the map,
    the diagonal, the staircase of the orbit from ``params.start`` and the certified fixed
    points (filled: attracting), on the square ``window`` (zoom on an orbit near 0 with
    ``(0, 0.1)``).  Every artist is labelled for a legend.  Returns the orbit (floats)
    and the certified report."""
    lo, hi = window
    lm = LogitMap(params)
    x = np.linspace(max(lo, 1e-6), min(hi, 1 - 1e-6), points)
    ax.plot(x, nm.sigmoid(lm.g_np(nm.logit(x))), color="C0", lw=1.6, label=label or "map $h(p)$")
    ax.plot([lo, hi], [lo, hi], "--", color="0.4", lw=1, label="diagonal $y = p$")
    orb = [float(v) for v in orbit_mp(params, steps, dps=30)]
    xs, ys = [orb[0]], [lo]
    for a, b in zip(orb[:-1], orb[1:]):
        xs += [a, b]
        ys += [b, b]
    ax.plot(xs, ys, color="C3", lw=0.8, label="orbit from $p_0$")
    ax.plot([orb[0]], [lo], "o", color="C3", ms=4, label="_nolegend_")
    rep = compute_dynamics(params, digits=fixed_digits)
    seen = set()
    for f in rep.fixed:
        pf = float(f.p)
        kind = "attracting fixed point" if f.stable else "repelling fixed point"
        ax.plot([pf], [pf], "o", ms=6, mec="k", mfc="k" if f.stable else "white", zorder=5,
                label="_nolegend_" if kind in seen else kind)
        seen.add(kind)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("$p_{n}$")
    ax.set_ylabel("$p_{n+1}$")
    return {"orbit": orb, "report": rep, "fate": orbit_fate(rep)}


# ----------------------------------------------------------------------------------------
# Rendering a derivation for the book
# ----------------------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_{}[]<>#+-!|$~")


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def _terms_tex(expr) -> list:
    """LaTeX of the top-level terms of ``expr`` with their signs (``["a", "- b", "+ c"]``)."""
    import sympy as sp

    from .symbolic.derivation import tex

    if not isinstance(expr, sp.Add):
        return [tex(expr)]
    out = []
    for k, t in enumerate(sp.Add.make_args(expr)):
        neg = t.could_extract_minus_sign()
        body = tex(-t if neg else t)
        if isinstance(-t if neg else t, sp.Add):
            body = r"\left(" + body + r"\right)"
        out.append(("- " if neg else ("" if k == 0 else "+ ")) + body)
    return out


def _group(s: str, i: int):
    """``(content, end)`` of the brace group starting at ``s[i] == "{"``."""
    depth, j = 0, i
    while j < len(s):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
        j += 1
    return s[i + 1:], len(s)


_NO_WIDTH = ("left", "right", "mathrm", "operatorname", "quad", "qquad", "mathsf", "mathbb", "big", "Big")


def visual_width(tex: str) -> float:
    """A rough width of typeset LaTeX in character units: a fraction is as wide as the wider of
    its numerator and denominator, scripts count 0.7, ``\\left``/``\\right`` and braces nothing,
    binary operators and relations 2.2 (their spacing), every other command or character 1
    (used to break long formulas into lines; about 12 px per unit in the book's MathJax)."""
    w, i = 0.0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            j = i + 1
            while j < len(tex) and tex[j].isalpha():
                j += 1
            name = tex[i + 1:j] or tex[j:j + 1]
            j = max(j, i + 2)
            if name in ("frac", "dfrac", "tfrac") and j < len(tex) and tex[j] == "{":
                num, j = _group(tex, j)
                den, j = _group(tex, j) if j < len(tex) and tex[j] == "{" else ("", j)
                w += max(visual_width(num), visual_width(den)) + 0.5
            elif name == "sqrt":
                w += 1
            elif name not in _NO_WIDTH:
                w += 1
            i = j
        elif c in "^_":
            if i + 1 < len(tex) and tex[i + 1] == "{":
                g, j = _group(tex, i + 1)
                w += 0.7 * visual_width(g)
                i = j
            else:
                w += 0.7
                i += 2
        elif c in "{} ":
            i += 1
        elif c in "+-=<>":  # binary operators and relations come with space around them
            w += 2.2
            i += 1
        else:
            w += 1
            i += 1
    return w


def _fill(terms, width):
    """Greedy line filling of signed terms, each line at most ``width`` (visual units) when possible."""
    lines, cur = [], ""
    for t in terms:
        if cur and visual_width(cur) + visual_width(t) + 1 > width:
            lines.append(cur)
            cur = t
        else:
            cur = (cur + " " + t) if cur else t
    if cur:
        lines.append(cur)
    return lines


def step_latex_lines(step, width: float = 48) -> list:
    """The step as lines for an ``aligned`` block: ``lhs`` and ``rhs`` broken at their top-level
    ``+``/``-`` so that each line is about ``width`` characters wide once typeset
    (:func:`visual_width`; a single long term stays on its own line).  Matrices and ``solve``
    steps are one line (:meth:`Step.latex`)."""
    import sympy as sp

    from .symbolic.derivation import _TEX_REL

    full = step.latex()
    if visual_width(full) <= width or step.relation == "solve" or isinstance(step.lhs, sp.MatrixBase) \
            or isinstance(step.rhs, sp.MatrixBase):
        return [full]
    left = _fill(_terms_tex(step.lhs), width)
    right = _fill(_terms_tex(step.rhs), width)
    rel = _TEX_REL[step.relation]
    if len(left) == 1 and visual_width(left[0]) + visual_width(right[0]) <= width:
        lines = [left[0] + " &" + rel + " " + right[0]]
    else:  # every line in the second (left-aligned) column
        lines = ["& " + left[0]] + [r"& \quad " + ln for ln in left[1:]] + ["&" + rel + " " + right[0]]
    lines += [r"& \quad " + ln for ln in right[1:]]
    return lines


#: MathJax size commands and their scale, gentlest first (to fit a wide formula)
_TEX_SIZES = ((r"\small", 0.85), (r"\footnotesize", 0.8), (r"\scriptsize", 0.7))


def fitted_block(lines, width: float = 50) -> str | None:
    r"""A display block (``$$ \begin{aligned} ... $$``) of ``lines`` that fits ``width``
    units of :func:`visual_width` (about 12 px each; the book's column is about 53),
    shrunk with the gentlest size command that makes it fit; None when even
    ``\scriptsize`` does not.

    >>> print(fitted_block(["& a = b"]))
    $$
    \begin{aligned}
    & a = b
    \end{aligned}
    $$
    >>> fitted_block(["& " + "x + " * 20 + "y"], width=50)[:16]
    '$$\n\\scriptsize \\'
    >>> fitted_block(["& " + "x + " * 60 + "y"], width=50) is None
    True
    """
    widest = max(visual_width(ln) for ln in lines)
    size = ""
    if widest > width:
        size = next((cmd + " " for cmd, scale in _TEX_SIZES if widest * scale <= width), None)
        if size is None:
            return None
    return "$$\n" + size + "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}\n$$"


def derivation_markdown(derivation, steps=None, max_latex: int = 1200, max_line: float = 46,
                        show_method: bool = True, hypotheses: bool = True, numbered: bool = True) -> str:
    """MyST markdown for a :class:`~grpo_symbolic.symbolic.derivation.Derivation`: its
    hypotheses, then each step (name, text, the SymPy check: ✓ or ✗, the route used) with
    its LaTeX as a display formula, broken at top-level sums (:func:`step_latex_lines`) and
    shrunk to fit ``max_line`` units (:func:`fitted_block`; the book's column at 1280 px).
    Formulas longer than ``max_latex`` characters of LaTeX go into a collapsed dropdown;
    one that does not fit the column even shrunk (the finite-space sums) is given there as
    its LaTeX source.  ``steps``: names of the steps to show (default all).  Needs
    ``nb_render_markdown_format: myst`` in the book's configuration."""
    out = []
    if hypotheses and derivation.hypotheses:
        out.append("**Hypotheses.** " + "; ".join(_md_escape(h) for h in derivation.hypotheses) + ".")
        out.append("")
    chosen = derivation.steps if steps is None else [derivation.step(s) for s in steps]
    for k, st in enumerate(chosen, 1):
        ok = st.check().ok
        mark = "✓ checked" if ok else "✗ NOT checked"
        head = f"Step {k}: " if numbered else ""
        line = f"**{head}{_md_escape(st.name)}** ({mark}). {_md_escape(st.text)}"
        if show_method:
            line += f" *Route: {_md_escape(st.method)}.*"
        out.append(line)
        out.append("")
        lines = step_latex_lines(st, width=min(48, max_line - 4))
        block = fitted_block(lines, max_line)
        total = sum(len(ln) for ln in lines)
        if block is None:
            source = "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"
            out.append(f":::{{dropdown}} The formula ({total} characters of LaTeX, too wide to typeset "
                       "in this column): its source")
            out += ["```latex", source, "```", ":::"]
        elif total > max_latex:
            out.append(":::{dropdown} The formula (" + f"{total}" + " characters of LaTeX)")
            out.append(block)
            out.append(":::")
        else:
            out.append(block)
        out.append("")
    return "\n".join(out)


def markdown_table(header, rows, align=None) -> str:
    """A Markdown (GFM) table: ``header`` is a list of column titles, ``rows`` a list of
    lists of cells (converted with ``str``; cells are Markdown, ``|`` is escaped).
    ``align``: a string of ``l``/``r``/``c`` per column (default: left)."""
    def cell(v):
        return str(v).replace("|", "\\|").replace("\n", " ")

    align = align or "l" * len(header)
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    out = ["| " + " | ".join(cell(h) for h in header) + " |",
           "|" + "|".join(rule[a] for a in align) + "|"]
    out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(out)
