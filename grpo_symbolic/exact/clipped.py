r"""The clipped PoS map (GRPO-Clip), in log-odds, and its certified dynamics.

With binary rewards and :math:`\pi_{old} = \pi_{n-1}`, the exact maximiser of the clipped
surrogate :math:`E_{\pi_{n-1}} f(\pi/\pi_{n-1}, A) - \beta[\alpha KL(\pi\|\pi_{ref}) + (1-\alpha)
KL(\pi\|\pi_{n-1})]`, :math:`f(x, y) = \min(xy, \mathrm{clip}(x, 1-\epsilon_l, 1+\epsilon_h) y)`,
keeps :math:`\pi_{ref}`'s conditional laws from :math:`\pi_0 = \pi_{ref}` (derived in
:mod:`grpo_symbolic.symbolic.clipped`), and its PoS obeys :math:`L_n = g_c(L_{n-1})` with

.. math:: g_c(L) = \max\big(\min(L_a, T_S, T_F),\ \min(A + \omega^+/\beta, T_S),\
                          \min(A + \omega^-/\beta, T_F),\ A\big),

where :math:`A = \alpha L_{ref} + (1-\alpha) L`, :math:`L_a = A + \Omega/\beta` (the unclipped
map), :math:`\omega^+ = (1-p)\Omega`, :math:`\omega^- = p\Omega`, and the clip thresholds of the
success and failure ratios are, in log-odds,

.. math:: T_S = L + \log(1+\epsilon_h) - \log(1 - \epsilon_h e^L)\ (+\infty \text{ once }
          \epsilon_h e^L \ge 1),\qquad T_F = \log(e^L + \epsilon_l) - \log(1 - \epsilon_l).

(The maximiser of the concave reduced objective is the point where its superdifferential
contains 0; the four terms are the branches "nothing clipped", "successes clipped",
"failures clipped", "both clipped".)  When ``eps_low, eps_high > 0`` both thresholds
exceed ``L``, so ``g_c(L) - L`` has the sign of ``g(L) - L``: the clipped map has exactly
the fixed points of the unclipped one, and near each of them the unclipped branch is
active, so slopes and stability agree too.  Far from the fixed points clipping limits the
step: for mirror GRPO near ``p = 1`` the failure mass shrinks by at most ``1 - eps_low``.

``g_c`` is Lipschitz with constant at most the largest ``|derivative|`` of its branches, so a
short interval ``J`` with ``g_c(J) ⊂ J`` and that bound below 1 is a certified contraction
trap; the same with ``g_c^k`` certifies an attracting ``k``-cycle; ``g_c(J) ⊂ J`` alone is a
trapping set (orbit kind ``bounded``).

>>> from grpo_symbolic.params import Params
>>> import mpmath as mp
>>> cm = ClippedMap(Params.parse(norm="mean", beta="1", alpha="0", p_ref="0.5", clip="0.2"))
>>> mp.nstr(cm.g_mp(mp.mpf(0)), 12)   # mirror, p = 1/2: the failure clip binds, T_F = log(1.2/0.8)
'0.405465108108'
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
from flint import arb

from ..params import Params
from .arbutil import arb_prec, to_arb
from .logit_map import LogitMap


class Undecidable(ArithmeticError):
    """An Arb ball straddles the point where the success clip stops binding."""


class ClippedMap:
    """The clipped map of one variant (``params.clip``, ``params.clip_high``)."""

    def __init__(self, params: Params):
        if params.clip is None:
            raise ValueError("ClippedMap needs params.clip")
        self.params = params
        self.base = LogitMap(params.with_(clip=None))
        self.weights = self.base.weights
        self.eps_low = Fraction(params.clip)
        self.eps_high = Fraction(params.clip_high)

    @property
    def alpha(self) -> Fraction:
        return self.base.alpha

    def L_ref_mp(self):
        """``logit(p_ref)`` in mpmath (the start of the paper's orbit)."""
        return self.base.L_ref_mp()

    # ------------------------------------------------------------- branches
    def _branches_mp(self, L):
        Om = self.weights.omega_mp(L)
        a = mp.mpf(self.alpha.numerator) / self.alpha.denominator
        A = a * self.base.L_ref_mp() + (mp.mpf((1 - self.alpha).numerator) / (1 - self.alpha).denominator) * L
        inv_b = mp.mpf(self.base.beta.denominator) / self.base.beta.numerator
        e_l, e_h = (mp.mpf(x.numerator) / x.denominator for x in (self.eps_low, self.eps_high))
        wp, wm = Om / (1 + mp.exp(L)), Om / (1 + mp.exp(-L))
        t = e_h * mp.exp(L)
        TS = mp.inf if t >= 1 else L + mp.log1p(e_h) - mp.log1p(-t)
        TF = mp.log(mp.exp(L) + e_l) - mp.log1p(-e_l)
        return A, A + Om * inv_b, A + wp * inv_b, A + wm * inv_b, TS, TF

    def g_mp(self, L):
        """``g_c(L)`` in mpmath at the working precision."""
        A, La, Ls, Lf, TS, TF = self._branches_mp(L)
        return max(min(La, TS, TF), min(Ls, TS), min(Lf, TF), A)

    def _branches_arb(self, X: arb):
        b = self.base
        Om = self.weights.omega_arb(X)
        A = to_arb(b.alpha) * b.L_ref_arb() + to_arb(1 - b.alpha) * X
        inv_b = 1 / to_arb(b.beta)
        e_l, e_h = to_arb(self.eps_low), to_arb(self.eps_high)
        eX, emX = X.exp(), (-X).exp()
        wp, wm = Om / (1 + eX), Om / (1 + emX)
        TF = (eX + e_l).log() - (1 - e_l).log()
        t = e_h * eX
        if t < 1:
            TS = X + (1 + e_h).log() - (1 - t).log()
        elif t >= 1:
            TS = None
        else:
            raise Undecidable("the success clip threshold straddles p = 1/(1 + eps_high)")
        return A, A + Om * inv_b, A + wp * inv_b, A + wm * inv_b, TS, TF

    def g_arb(self, X: arb) -> arb:
        """An Arb enclosure of ``g_c(X)`` (min and max of balls are enclosures)."""
        A, La, Ls, Lf, TS, TF = self._branches_arb(X)
        first = La.min(TF) if TS is None else La.min(TS).min(TF)
        second = Ls if TS is None else Ls.min(TS)
        return first.max(second).max(Lf.min(TF)).max(A)

    def unclipped_on(self, X: arb, depth: int = 8) -> bool:
        """Certified: on the ball ``X`` the unclipped branch is active (``L_a < T_S, T_F``),
        so there ``g_c = g`` (``X`` is bisected where it straddles the point where the
        success clip stops binding)."""
        try:
            A, La, Ls, Lf, TS, TF = self._branches_arb(X)
        except Undecidable:
            if depth == 0:
                return False
            lo, hi, mid = X.lower(), X.upper(), X.mid()
            return self.unclipped_on(lo.union(mid), depth - 1) and self.unclipped_on(mid.union(hi), depth - 1)
        return bool(La < TF) and (TS is None or bool(La < TS))

    def _derivatives_arb(self, J: arb) -> dict:
        """Enclosures over ``J`` of the derivatives of the branches ``A, L_a, L_s, L_f, T_S, T_F``."""
        b = self.base
        Om, dOm = self.weights.omega_arb(J), self.weights.domega_arb(J)
        one_a, inv_b = to_arb(1 - b.alpha), 1 / to_arb(b.beta)
        s, sm = 1 / (1 + (-J).exp()), 1 / (1 + J.exp())  # sigma(L), sigma(-L)
        d = {"A": one_a, "La": one_a + dOm * inv_b, "Ls": one_a + (dOm * sm - Om * s * sm) * inv_b,
             "Lf": one_a + (dOm * s + Om * s * sm) * inv_b,
             "TF": 1 / (1 + to_arb(self.eps_low) * (-J).exp())}
        t = to_arb(self.eps_high) * J.exp()
        if t < 1:
            d["TS"] = 1 / (1 - t)
        return d

    def active_branches(self, J: arb) -> set:
        """The branches that can give ``g_c`` somewhere on ``J``: in each ``min`` drop an entry
        certified above another, in the ``max`` drop a term certified below another."""
        A, La, Ls, Lf, TS, TF = self._branches_arb(J)
        val = {"A": A, "La": La, "Ls": Ls, "Lf": Lf, "TF": TF, **({} if TS is None else {"TS": TS})}
        terms = [["La", "TS", "TF"], ["Ls", "TS"], ["Lf", "TF"], ["A"]]
        terms = [[n for n in t if n in val] for t in terms]
        lows = []
        for t in terms:
            keep = [n for n in t if not any(val[n] > val[m] for m in t if m != n)]
            v = val[keep[0]]
            for n in keep[1:]:
                v = v.min(val[n])
            lows.append((keep, v))
        active = set()
        for keep, v in lows:
            if not any(v < w for _, w in lows):
                active |= set(keep)
        return active

    def lipschitz_arb(self, J: arb) -> arb:
        """An upper bound of ``|g_c'|`` on the interval ``J``: the largest ``|derivative|`` of
        the branches that can be active there (a continuous map made of finitely many C^1
        pieces keeps the largest of their Lipschitz constants)."""
        d = self._derivatives_arb(J)
        active = self.active_branches(J)
        if "TS" in active and "TS" not in d:
            raise Undecidable("the success clip threshold straddles the interval")
        bound = arb(0)
        for name in active:
            bound = bound.max(abs(d[name]))
        return bound


def branches_float(cm: ClippedMap, L: float) -> float:
    """``g_c(L)`` in float64 (for plots)."""
    with mp.workdps(20):
        return float(cm.g_mp(mp.mpf(L)))


def start_arb(cm: ClippedMap, bits: int = 128) -> arb:
    with arb_prec(bits):
        return cm.base.L_start_arb()


# ------------------------------------------------------------------ fixed points
def clipped_fixed_points(cm: ClippedMap, digits: int = 30):
    """The fixed points of ``g_c`` with their isolation record.

    With ``eps_low, eps_high > 0``, ``T_S, T_F > L`` gives ``sign(g_c(L) - L) = sign(g(L) - L)``
    at every ``L`` (``L_a > L`` makes the first branch exceed ``L``; ``L_a < L`` bounds every
    branch by ``L_a``), so the certified isolation of the unclipped map is that of ``g_c``; on
    each isolating box Arb then certifies that the unclipped branch is active, so ``g_c = g``
    there and the slopes agree.  A zero clip range can make whole intervals fixed: the
    isolation is then reported incomplete."""
    from .fixed_points import Isolation, fixed_points

    fixed, iso = fixed_points(cm.base, digits=digits)
    unresolved = list(iso.unresolved)
    reason = iso.reason + ("; clipped map: sign(g_c - id) = sign(g - id) since T_S, T_F > L "
                           "(eps_low, eps_high > 0), and each isolating box lies on the unclipped branch")
    if cm.eps_low == 0 or cm.eps_high == 0:
        reason = iso.reason + "; clipped map with a zero clip range: intervals of fixed points may exist"
        unresolved = unresolved or [iso.domain or (Fraction(-1), Fraction(1))]
    with arb_prec(max(256, int(3.5 * digits) + 64)):
        for f in fixed:  # a neighbourhood of the refined fixed point
            c = Fraction(mp.nstr(f.logit, digits + 5))
            r = abs(Fraction(mp.nstr(f.radius, 5))) + abs(c) * Fraction(1, 10 ** (digits - 2)) + Fraction(1, 10**60)
            if not cm.unclipped_on(_ball(c - r, c + r)):
                unresolved.append(f.box)
    return fixed, Isolation(iso.boxes, unresolved, iso.domain, iso.examined, reason)


# ------------------------------------------------------------------------ orbit
def _ball(lo, hi) -> arb:
    return to_arb(lo).union(to_arb(hi))


def _image_chain(cm: ClippedMap, J: arb, k: int):
    """``J, g_c(J), ..., g_c^k(J)`` and the product of the Lipschitz bounds along them."""
    chain, q = [J], arb(1)
    for _ in range(k):
        q *= cm.lipschitz_arb(chain[-1])
        chain.append(cm.g_arb(chain[-1]))
    return chain, q


def _contained(inner: arb, outer: arb) -> bool:
    return bool(inner.lower() > outer.lower()) and bool(inner.upper() < outer.upper())


def cycle_trap(cm: ClippedMap, center, k: int, radius) -> dict | None:
    """A certificate that ``g_c^k`` maps ``J0 = [center - radius, center + radius]`` into
    itself with Lipschitz constant ``q < 1`` (so one attracting point of period dividing
    ``k`` lies in ``J0``, by Banach), and, for ``k > 1``, that ``J0, ..., J_{k-1}`` are
    pairwise disjoint (so the period is exactly ``k``)."""
    c, r = Fraction(center), Fraction(radius)
    J0 = _ball(c - r, c + r)
    try:
        chain, q = _image_chain(cm, J0, k)
    except Undecidable:
        return None
    if not (_contained(chain[-1], J0) and q < 1):
        return None
    pieces = chain[:k]
    if any(a.overlaps(b) for i, a in enumerate(pieces) for b in pieces[i + 1:]):
        return None
    return {"J": (c - r, c + r), "pieces": pieces, "q": q}


def refine_pieces(cm: ClippedMap, pieces: list, k: int, bits: int, rounds: int = 400) -> list:
    """Shrink each certified piece by iterating ``g_c^k`` on it (the attracting cycle point
    stays inside every image), at ``bits`` of precision."""
    with arb_prec(bits):
        out = []
        for J in pieces:
            for _ in range(rounds):
                nxt = J
                for _ in range(k):
                    nxt = cm.g_arb(nxt)
                nxt = nxt.intersection(J)
                if not nxt.rad() < J.rad() * arb("0.999"):
                    J = nxt
                    break
                J = nxt
            out.append(J)
        return out


def _mirror_to_one(cm: ClippedMap):
    """For ``alpha = 0`` with both clip ranges positive, every branch of ``g_c(L) - L`` is
    bounded below by ``c = min(inf Omega / beta, -log(1 - eps_low), log(1 + eps_high)) > 0``."""
    inf = cm.weights.inf_arb() / to_arb(cm.base.beta)
    c = inf.min(-(1 - to_arb(cm.eps_low)).log()).min((1 + to_arb(cm.eps_high)).log())
    if not c > 0:
        return None
    return {"certificate": ("clipped mirror map: g_c(L) - L >= min(inf Omega/beta, -log(1 - eps_low), "
                            f"log(1 + eps_high)) = {c.lower().str(6, radius=False)} > 0 for every L, so "
                            "L_n >= L_0 + n c -> inf")}


def _walk(cm: ClippedMap, steps: int):
    """The Arb orbit ``L_0, L_1, ...`` (restarting at twice the precision when a ball grows)."""
    from .orbit import LOSS

    bits = 128
    while bits <= 4096:
        with arb_prec(bits):
            X, out, ok = cm.base.L_start_arb(), [], True
            for _ in range(steps + 1):
                out.append(X)
                if not X.rad() < to_arb(LOSS) * (1 + abs(X.mid())):
                    ok = False
                    break
                try:
                    X = cm.g_arb(X)
                except Undecidable:
                    ok = False
                    break
            if ok:
                return out, bits
        bits *= 2
    return out, bits // 2


def _enters(orbit: list, lo: Fraction, hi: Fraction):
    J = _ball(lo, hi)
    return next((n for n, X in enumerate(orbit) if _contained(X, J)), None)


def classify_clipped(cm: ClippedMap, fixed: list, digits: int = 30, steps: int = 2000, max_period: int = 32):
    """The orbit of ``logit(p0)`` under ``g_c``: ``to_one`` (clipped mirror), ``converges`` or
    ``cycle`` (a contraction trap of ``g_c^k`` that the orbit enters, minimal period by
    disjoint pieces), ``bounded`` (a trapping interval ``g_c(J) ⊂ J`` holding the orbit,
    without a convergence or cycle certificate), else ``unresolved``."""
    from .orbit import Orbit, _find_period, _unresolved

    orbit, bits = _walk(cm, steps)
    trace = [X.mid().str(17, radius=False) for X in orbit[:13]]
    if cm.alpha == 0 and (ev := _mirror_to_one(cm)):
        return Orbit("to_one", None, [], [], None, True, 0, ev, trace)
    mids = [float(X.mid()) for X in orbit]
    k = _find_period(mids, max_period)
    if k is not None:
        res = _certify_tail(cm, orbit, mids, k, fixed, digits, bits, trace)
        if res is not None:
            return res
    return _bounded(cm, orbit, mids, trace) or _unresolved(
        f"no certificate after {len(orbit) - 1} steps of the clipped map", len(orbit) - 1, trace)


def _certify_tail(cm, orbit, mids, k, fixed, digits, bits, trace):
    from .orbit import Orbit

    c = Fraction(mids[-1])
    spread = max(abs(mids[-1 - j] - mids[-1 - j - k]) for j in range(min(k, 3) + 1))
    for r in (Fraction(spread * 64 + 1e-12).limit_denominator(10**15) * 10**e for e in range(0, 6)):
        with arb_prec(max(bits, 192)):
            cert = cycle_trap(cm, c, k, r)
        if cert is None:
            continue
        n = _enters(orbit, *cert["J"])
        if n is None:
            continue
        pieces = refine_pieces(cm, cert["pieces"], k, bits=max(256, int(3.5 * digits) + 64))
        with mp.workdps(digits + 10):
            pts = sorted(((mp.mpf(P.mid().str(digits + 8, radius=False)), mp.mpf(P.rad().str(5, radius=False)))
                          for P in pieces), key=lambda t: t[0])
        ev = {"certificate": (f"the Arb orbit ball at step {n} lies in J = [{float(cert['J'][0]):.17g}, "
                              f"{float(cert['J'][1]):.17g}] where g_c^{k}(J) ⊂ J with Lipschitz constant "
                              f"q <= {cert['q'].upper().str(6, radius=False)} < 1 (Arb; the bound of g_c is the "
                              "largest |derivative| of its branches)" + ("" if k == 1 else
                              f"; J, g_c(J), ..., g_c^{k - 1}(J) are disjoint, so the period is exactly {k}")),
              "entered_at_step": n, "trap": [str(float(x)) for x in cert["J"]], "contraction": float(cert["q"].upper())}
        if k == 1:
            lo, hi = cert["J"]  # the unique fixed point of g_c in J is one of the certified ones
            fp = next((f for f in fixed if lo <= Fraction(mp.nstr(f.logit, 30)) <= hi), None)
            if fp is None:
                return None
            return Orbit("converges", 1, [fp.logit], [fp.radius], fp.slope, fp.stable, n, ev, trace, fp.slope_ball)
        return Orbit("cycle", k, [p for p, _ in pts], [r_ for _, r_ in pts], None, True, n, ev, trace)
    return None


def image_hull(cm: ClippedMap, a: Fraction, b: Fraction, pieces: int = 256):
    """An enclosure of ``g_c([a, b])``: the hull of the Arb images of ``pieces`` equal
    subintervals (``g_c`` is continuous, so the image is their union); None if undecidable."""
    hull = None
    for i in range(pieces):
        lo, hi = a + (b - a) * i / pieces, a + (b - a) * (i + 1) / pieces
        try:
            img = cm.g_arb(_ball(lo, hi))
        except Undecidable:
            return None
        hull = img if hull is None else hull.union(img)
    return hull


def _upper(x: arb) -> Fraction:
    return Fraction(x.upper().mid().str(40, radius=False))


def _lower(x: arb) -> Fraction:
    return Fraction(x.lower().mid().str(40, radius=False))


def trapping_interval(cm: ClippedMap, lo: float, hi: float, rounds: int = 12, pieces: int = 512):
    """An interval ``J`` with ``g_c(J) ⊂ J`` (certified by :func:`image_hull`) near ``[lo, hi]``:
    ``J`` is replaced by its image padded outwards (more below than above, so that an end
    point mapped across the interval by an expanding branch still lands inside) until the
    image falls strictly inside; None if that fails."""
    width = Fraction(hi) - Fraction(lo) + Fraction(1, 10**9)
    for ratio in (1, 8, 64):
        for down, up in ((ratio, 1), (1, ratio)):
            a, b = Fraction(lo), Fraction(hi)
            with arb_prec(256):
                for _ in range(rounds):
                    image = image_hull(cm, a, b, pieces)
                    if image is None:
                        return None
                    if _contained(image, _ball(a, b)):
                        return a, b
                    d = width / 10**5
                    a, b = _lower(image) - down * d, _upper(image) + up * d
    return None


def _bounded(cm, orbit, mids, trace):
    """A trapping interval ``J`` around the orbit's last half, ``g_c(J) ⊂ J``, that it enters."""
    from .orbit import Orbit

    tail = mids[len(mids) // 2:]
    found = trapping_interval(cm, min(tail), max(tail))
    n = None if found is None else _enters(orbit, *found)
    if n is None:
        return None
    a, b = found
    ev = {"certificate": (f"the Arb orbit ball at step {n} lies in J = [{float(a):.17g}, {float(b):.17g}] and "
                          "g_c(J) ⊂ J (Arb, on subintervals): the orbit stays in J forever; no convergence or "
                          "cycle certificate was found"),
          "entered_at_step": n, "trapping_interval": [str(float(a)), str(float(b))]}
    return Orbit("bounded", None, [], [], None, None, n, ev, trace)


def clipped_dynamics(params: Params, digits: int = 30, steps: int = 2000):
    """Everything ``dynamics --clip`` reports (see :func:`grpo_symbolic.exact.dynamics.compute_dynamics`)."""
    from .dynamics import DynamicsReport

    cm = ClippedMap(params)
    fixed, iso = clipped_fixed_points(cm, digits)
    orbit = classify_clipped(cm, fixed, digits, steps)
    return DynamicsReport(params, digits, steps, fixed, iso, [], orbit)


# ------------------------------------------------------------------ float64, vectorised
def g_np(cm: ClippedMap, L, *, beta=None, L_ref=None):
    """``g_c(L)`` in float64, vectorised over ``L`` (for figures and phase diagrams; not certified).

    The branches of :meth:`ClippedMap.g_mp` in NumPy, written so that nothing overflows for
    large ``|L|`` (``T_S = +inf`` once ``eps_high e^L >= 1``; ``T_F`` is computed as
    ``L + log1p(eps_low e^{-L}) - log1p(-eps_low)`` for ``L > 0``).  ``beta`` and ``L_ref``
    (log-odds of ``p_ref``) default to those of ``cm``; arrays given here broadcast against
    ``L`` (one variant per cell of a phase diagram, sharing ``cm``'s weights, ``alpha`` and
    clip range).

    >>> import numpy as np
    >>> from grpo_symbolic.params import Params
    >>> cm = ClippedMap(Params.parse(norm="mean", beta="1", alpha="0", p_ref="0.5", clip="0.2"))
    >>> [round(float(x), 12) for x in g_np(cm, np.array([0.0, 40.0]))]   # mirror: the failure clip binds
    [0.405465108108, 40.223143551314]
    """
    import numpy as np

    with np.errstate(all="ignore"):
        L = np.asarray(L, dtype=float)
        b = float(cm.base.beta) if beta is None else np.asarray(beta, dtype=float)
        Lr = float(cm.base.L_ref_mp()) if L_ref is None else np.asarray(L_ref, dtype=float)
        a, e_l, e_h = float(cm.alpha), float(cm.eps_low), float(cm.eps_high)
        wp, wm = cm.weights.omega_pm_np(L)
        A = a * Lr + (1 - a) * L
        La, Ls, Lf = A + (wp + wm) / b, A + wp / b, A + wm / b
        t = e_h * np.exp(L)
        TS = np.where(t >= 1, np.inf, L + np.log1p(e_h) - np.log1p(-t))
        TF = np.where(L > 0, L + np.log1p(e_l * np.exp(-np.abs(L))), np.log(np.exp(np.minimum(L, 0)) + e_l)) \
            - np.log1p(-e_l)
        first = np.minimum(np.minimum(La, TS), TF)
        return np.maximum(np.maximum(first, np.minimum(Ls, TS)), np.maximum(np.minimum(Lf, TF), A))
