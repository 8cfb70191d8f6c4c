"""Fast tests of grpo_symbolic.figures: the regenerated figures and the numbers they are
compared on, each against an independent route (probability-form iteration in mpmath,
independent maximisation, direct evaluation of h)."""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from matplotlib.figure import Figure

from grpo_symbolic import figures as F


# ------------------------------------------------------------------ independent routes
def _h_p(p, p_ref, beta, eps):
    """The paper's Theorem 2 form of h, in probability coordinates (not the package's logit map)."""
    return 1 / (1 + (1 - p_ref) / p_ref * mp.exp(-1 / (beta * mp.sqrt(p * (1 - p) + eps))))


def _mpf(text):
    q = Fraction(text)
    return mp.mpf(q.numerator) / q.denominator


def _orbit_p(beta, p_ref, eps, p0, steps):
    b, pr, e, p = _mpf(beta), _mpf(p_ref), _mpf(eps), _mpf(p0)
    out = [p]
    for _ in range(steps):
        p = _h_p(p, pr, b, e)
        out.append(p)
    return out


# ------------------------------------------------------------------------ printed data
def test_printed_data_is_the_full_grid_and_labelled():
    keys = {(b, r) for b in F.FIG5_BETAS for r in F.FIG5_P_REFS}
    assert set(F.PAPER_FIG5_PRINTED) == keys and len(keys) == 24
    assert all(len(v) == 6 and v[1] == "." for v in F.PAPER_FIG5_PRINTED.values())
    assert "PRINTED DATA, NOT RESULTS" in open(F.__file__, encoding="utf-8").read()


# ------------------------------------------------------------------------------ figure 5
@pytest.fixture(scope="module")
def fig5_default():
    return F.fig5()


def test_fig5_returns_24_panels(fig5_default):
    fig, data = fig5_default
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 24
    assert len(data["rows"]) == 24


@pytest.mark.parametrize("start, override", [("p_ref", None), ("0.1", None),
                                             ("p_ref", {("5", "0.0001"): F.FIG5_TEXT_P_REF})])
def test_fig5_table_matches_independent_mpmath_iteration(start, override):
    rows = F.fig5_table(start, override)
    with mp.workdps(70):
        for r in rows:
            p0 = r["p_ref_used"] if start == "p_ref" else start
            orb = _orbit_p(r["beta"], r["p_ref_used"], F.FIG5_EPS, p0, F.FIG5_STEPS)
            # p_50 to 40 digits (the orbit from 0.1 at beta = 5 stretches errors by ~e^18 only)
            assert abs(orb[-1] - r["p_last"]) <= mp.mpf(10) ** -40 * (1 + abs(orb[-1]))
            assert abs(orb[-2] - r["p_prev"]) <= mp.mpf(10) ** -40
            # 1 - p_50 too, where it is tiny (orbit_mp works at 60 digits)
            if r["limit"] is not None:
                assert abs((1 - orb[-1]) - (1 - r["p_last"])) <= mp.mpf(10) ** -30 * max(1 - orb[-1], 1e-60)
            # the certified limit: iterate on and compare
            if r["fate"]["kind"] == "converges":
                p = orb[-1]
                b, pr, e = _mpf(r["beta"]), _mpf(r["p_ref_used"]), _mpf(F.FIG5_EPS)
                for _ in range(400):
                    p = _h_p(p, pr, b, e)
                assert abs(p - r["limit"]) < mp.mpf(10) ** -10
            assert r["match_last"] == (f"{float(orb[-1]):.4f}" == r["printed"])


def test_fig5_finding(fig5_default):
    """Regression test of the book's finding: from p_0 = p_ref, 23 of 24 titles; the panel
    (5, 0.0001) converges next to 1; p_0 = 0.1 reproduces all 24 as 50th iterates, from an
    orbit the certified engine cannot classify; p_ref = 0.001 gives an attracting 2-cycle."""
    rows = fig5_default.data["rows"]
    assert sum(bool(r["match_limit"]) for r in rows) == 23
    key = next(r for r in rows if (r["beta"], r["p_ref"]) == ("5", "0.0001"))
    assert key["fate"]["kind"] == "converges" and 0 < 1 - key["limit"] < mp.mpf(10) ** -20
    rows01 = F.fig5_table("0.1")
    assert all(r["match_last"] for r in rows01)
    key01 = next(r for r in rows01 if (r["beta"], r["p_ref"]) == ("5", "0.0001"))
    assert key01["fate"]["kind"] == "unresolved" and F.fmt4(key01["p_last"]) == "0.0442"
    cyc = F.fig5_table("p_ref", {("5", "0.0001"): F.FIG5_TEXT_P_REF})
    keyc = next(r for r in cyc if (r["beta"], r["p_ref"]) == ("5", "0.0001"))
    assert keyc["fate"]["kind"] == "cycle" and keyc["fate"]["period"] == 2
    assert [F.fmt4(x) for x in keyc["fate"]["points"]] == ["0.0023", "0.0587"]


def test_fig5_start_scan_is_mpmath_orbit():
    scan = F.fig5_start_scan(["0.1", "0.5"])
    with mp.workdps(60):
        for r in scan:
            orb = _orbit_p("5", "0.0001", F.FIG5_EPS, r["p0"], F.FIG5_STEPS)
            assert abs(orb[-1] - r["p_last"]) < mp.mpf(10) ** -30


# ------------------------------------------------------------------------------ figure 4
def test_fig4_maximum_against_independent_maximisation():
    d = F.fig4_maximum(F.FIG4_EPS)
    with mp.workdps(40):
        eps = _mpf(F.FIG4_EPS)
        def B(p):
            s = p * (1 - p)
            return s * abs(2 * p - 1) / (2 * (s + eps) ** mp.mpf(1.5))

        # golden-section search in log10(p) on (1e-12, 1/2): B is unimodal there
        a, b = mp.mpf(-12), mp.log10(mp.mpf(1) / 2)
        gr = (mp.sqrt(5) - 1) / 2
        f = lambda t: B(mp.mpf(10) ** t)  # noqa: E731
        c, dd = b - gr * (b - a), a + gr * (b - a)
        for _ in range(200):
            if f(c) > f(dd):
                b, dd = dd, c
                c = b - gr * (b - a)
            else:
                a, c = c, dd
                dd = a + gr * (b - a)
        p_star = mp.mpf(10) ** ((a + b) / 2)
        assert abs(B(p_star) - d["B_max"]) < mp.mpf(10) ** -25 * d["B_max"]
        assert abs(p_star - d["p_argmax"]) < mp.mpf(10) ** -10 * p_star
        # symmetric maximiser and the window's maximum at its ends
        assert abs(B(d["p_argmax_upper"]) - d["B_max"]) < mp.mpf(10) ** -20
        grid = np.linspace(0.01, 0.99, 9801)
        assert abs(F.stability_bound(grid, 1e-5).max() - float(d["window_max"])) < 1e-9
    assert d["window_max_at_ends"] and float(d["window_max"]) < 5 < float(d["B_max"])


def test_fig4_axes():
    fig, data = F.fig4()
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert float(data["B_max"]) > float(data["window_max"])


# ------------------------------------------------------------------------- figures 1, 2
def test_fig1_crossing_and_axes():
    fig, data = F.fig1()
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    assert data["crossing_p"] == Fraction(1, 2) and data["crossing_value"] == 1
    assert data["omega_plus_reaches_ymax_at"] == Fraction(1, 101)


def test_fig2_fixed_points_are_fixed():
    fig, data = F.fig2(digits=15)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    assert len(data["curves"]) == 12
    with mp.workdps(60):
        for c in data["curves"]:
            assert c["fixed_points"]
            for f in c["fixed_points"]:
                p = f["p"]
                hp = _h_p(p, _mpf(c["p_ref"]), _mpf(c["beta"]), _mpf(F.FIG2_EPS))
                # compare 1 - h with 1 - p (relative), so fixed points next to 1 are tested too
                assert abs((1 - hp) - f["one_minus_p"]) <= mp.mpf(10) ** -10 * f["one_minus_p"] + mp.mpf(10) ** -50


# ---------------------------------------------------------------------- phase diagrams
def test_phase_diagram_and_spot_check():
    p_refs = np.logspace(-5, np.log10(0.9), 8)
    betas = np.logspace(-2, 1, 8)
    d = F.phase_diagram(1e-3, p_refs, betas, steps=800, grid=2000)
    assert d.n_fixed.shape == (8, 8) and set(np.unique(d.n_fixed)) <= {1, 3}
    fig, _ = F.phase_figure([d])
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_title()]) == 3
    rows = F.phase_spot_check(d, [(0, 0), (7, 0), (7, 7), (4, 3)])
    assert all(r["agree"] for r in rows), rows


# --------------------------------------------------------------------------- rendering
def test_derivation_markdown_and_line_breaking():
    from grpo_symbolic.symbolic import contrastive

    d = contrastive(False)
    md = F.derivation_markdown(d)
    assert md.count("✓ checked") == len(d.steps)
    assert md.count("$$") % 2 == 0
    for st in d.steps:
        lines = F.step_latex_lines(st)
        assert all(F.visual_width(ln) < 58 for ln in lines)
    assert F.visual_width(r"\frac{a}{b + c}") == pytest.approx(4.7)


def test_markdown_table():
    t = F.markdown_table(["a", "b"], [[1, "x|y"]], "lr")
    assert t.splitlines() == ["| a | b |", "|:--|--:|", "| 1 | x\\|y |"]


def test_figure_result_is_offline_svg():
    from grpo_symbolic.book.scan import scan_html

    svg = F.fig1(points=50)._repr_svg_()
    assert "<svg" in svg[:2000] and svg.rstrip().endswith("</svg>")
    assert scan_html(svg, "fig1.svg") == []          # nothing a browser would fetch elsewhere


def test_cobweb_window_and_legend():
    from grpo_symbolic.params import Params

    P = Params.parse(norm="std", beta="5", eps="1e-5", p_ref="0.001")
    fig = Figure()
    ax = fig.add_subplot()
    out = F.cobweb(ax, P, steps=10, points=200, window=(0, 0.1))
    assert ax.get_xlim() == (0, 0.1) and ax.get_ylim() == (0, 0.1)
    # the 2-cycle of this map (independent route: the paper's probability form of h) lies in the window
    p = _mpf("0.001")
    for _ in range(400):
        p = _h_p(p, _mpf("0.001"), _mpf("5"), _mpf("1e-5"))
    assert 0 < p < 0.1 and 0 < _h_p(p, _mpf("0.001"), _mpf("5"), _mpf("1e-5")) < 0.1
    labels = ax.get_legend_handles_labels()[1]
    kinds = {"attracting fixed point" if f.stable else "repelling fixed point" for f in out["report"].fixed}
    assert set(labels) == {"map $h(p)$", "diagonal $y = p$", "orbit from $p_0$"} | kinds


def test_fitted_block_doctest_and_shrinking():
    import doctest

    doctest.run_docstring_examples(F.fitted_block, vars(F), verbose=False)
    res = doctest.DocTestRunner().run(doctest.DocTestFinder().find(F.fitted_block, "fitted_block", globs=vars(F))[0])
    assert res.failed == 0 and res.attempted == 3
    # independent route: the chosen size is the first whose scale brings the width under the limit
    line = "& " + "x + " * 18 + "y"
    w = F.visual_width(line)
    block = F.fitted_block([line], 50)
    expected = next(cmd for cmd, s in F._TEX_SIZES if w * s <= 50) if w > 50 else ""
    assert block.startswith("$$\n" + (expected + " " if expected else "") + "\\begin{aligned}")
