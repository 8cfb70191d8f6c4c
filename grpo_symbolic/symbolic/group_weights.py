r"""SymPy derivation of the exact finite-group GRPO weights (new beyond the paper).

Setting (STATEMENTS.md §0 and §2).  One prompt, PoS ``p`` under :math:`\pi_{n-1}`; a group of
``G`` outputs :math:`o_1..o_G \sim \pi_{n-1}` i.i.d., rewards :math:`r_i\in\{0,1\}` i.i.d.
Bernoulli(``p``), ``K`` successes, :math:`\hat p = K/G`.  Advantage of a sample with reward ``r``
in a group with ``K = k`` (``1 <= k <= G-1``):  :math:`A = (r - k/G)/D_k` with

* ``"paper"``: :math:`D_k = \sqrt{\hat p(1-\hat p)+\varepsilon}` (eq. (4), ``p`` replaced by :math:`\hat p`);
* ``"trl"``:   :math:`D_k = \sqrt{\tfrac{G}{G-1}\hat p(1-\hat p)}+\varepsilon` (TRL ``scale_rewards="group"``:
  Bessel-corrected std, eps outside the root; TRL's default eps is ``1e-4``);
* ``"mean"``:  :math:`D_k = 1` (``scale_rewards="none"``, Dr. GRPO).

Degenerate groups (``k in {0, G}``) have :math:`r_i = \hat p` for all ``i``: advantage 0 in every
convention.  For "paper"/"trl" with ``eps = 0`` this is ``0/0``, *defined* as 0 (as TRL/verl do,
TRL reports them as ``frac_reward_zero_std``); with ``eps > 0`` it is ``0/sqrt(eps)`` resp. ``0/eps``.

Derivation (each item is a :class:`~grpo_symbolic.symbolic.derivation.Step`)
----------------------------------------------------------------------------
S1 (conditional expectation).  With ratios :math:`\rho_i = \pi(o_i)/\pi_{n-1}(o_i)`,
    :math:`\mathbb E[\tfrac1G\sum_i\rho_iA_i] = \sum_o\pi(o)\,\mathbb E[A_1\mid r_1=r(o)]
    = \omega^+_G\,\pi(S)-\omega^-_G\,\pi(F)`, :math:`\omega^+_G = \mathbb E[A_1\mid r_1=1]`,
    :math:`\omega^-_G=-\mathbb E[A_1\mid r_1=0]`.  Checked by brute force over all :math:`2^G`
    reward vectors (``E[rho | r] = pi(S)/p`` or ``pi(F)/(1-p)``) and over all :math:`3^G` output
    tuples of a toy output space (two successes, one failure; both policies symbolic, no
    conditioning argument used).
S2 (binomial sums).  Given :math:`r_1`, the other ``G-1`` rewards have ``j ~ Bin(G-1, p)``
    successes; ``k = j+1`` for a success, ``k = j`` for a failure:
    :math:`\omega^+_G=\sum_j\binom{G-1}{j}p^jq^{G-1-j}\frac{1-(j+1)/G}{D_{j+1}}`,
    :math:`\omega^-_G=\sum_j\binom{G-1}{j}p^jq^{G-1-j}\frac{j/G}{D_j}` (``q = 1-p``).
S3 (reduction).  Termwise :math:`(G-k)\binom{G-1}{k-1} = k\binom{G-1}{k} = (G-1)\binom{G-2}{k-1}`,
    hence :math:`\omega^+_G = (1-p)\,\Omega_G`, :math:`\omega^-_G = p\,\Omega_G` (the population split)
    and :math:`\Omega_G = \tfrac{G-1}{G}\sum_{m=0}^{G-2}\binom{G-2}{m}p^mq^{G-2-m}/D_{m+1}`, a Bernstein
    polynomial of degree ``G-2`` (general ``G``: :func:`Omega_general`).  Equivalently: the
    advantages of a group sum to 0, so :math:`p\,\omega^+_G = (1-p)\,\omega^-_G`.
S4 (mean convention).  With the pgf :math:`(px+q)^{n}` at ``x = 1``: :math:`\Omega_G = (G-1)/G`,
    :math:`\omega^+_G = (1-p)(G-1)/G`, :math:`\omega^-_G = p(G-1)/G`; also directly
    :math:`\omega^+_G = 1-(1+\mathbb E j)/G` with :math:`\mathbb E j=(G-1)p` (pgf derivative).
S5 (small groups).  ``G = 2``: :math:`\Omega_2 = \tfrac12/D_1`; ``G = 3``: degree 1 with
    ``b_0 = b_1``, so :math:`\Omega_3 = \tfrac23/D_1` is constant too.  Paper, eps = 0:
    :math:`\Omega_2 = 1`, :math:`\Omega_3=\sqrt2`.
S6 (ends).  Since ``D_k = D_{G-k}``: :math:`\Omega_G(1-p)=\Omega_G(p)` and
    :math:`\Omega_G(0) = \Omega_G(1) = \tfrac{G-1}{G D_1}` (finite, positive):
    ``sqrt(G-1)`` for paper with eps = 0, ``(G-1)/sqrt(G-1+G^2 eps)`` for paper,
    ``(G-1)/(sqrt(G)(1+sqrt(G) eps))`` for trl, ``(G-1)/G`` for mean.
S7 (trl vs paper at eps = 0).  :math:`\Omega^{trl}_G = \sqrt{(G-1)/G}\;\Omega^{paper}_G`.
S8 (``G -> infinity``).  :math:`\Omega_G = \tfrac{G-1}{G}\mathbb E f_G(X)`, :math:`X = (M+1)/G`,
    ``M ~ Bin(G-2, p)``, :math:`\mathbb E X = p + (1-2p)/G`, :math:`\mathrm{Var}X=(G-2)pq/G^2`; a
    second-order Taylor expansion gives :math:`\Omega_G = f(p) + c_1(p)/G + O(G^{-2})` with
    :math:`c_1 = -f + (1-2p)f' + \tfrac12 pq f'' + \partial_h f_G|_{h=0}` (``h = 1/G``): limits
    :math:`(pq+\varepsilon)^{-1/2}` (paper: the population :math:`\Omega_\varepsilon` of eq. (4)),
    :math:`1/(\sqrt{pq}+\varepsilon)` (trl), ``1`` (mean; exactly ``1 - 1/G``).  For paper with
    eps > 0 a rigorous *uniform* bound :math:`|\Omega_G-\Omega_\varepsilon|\le B_G(p)=O(1/G)`
    (:func:`paper_uniform_bound`).
Convexity.  ``1/D`` is convex on (0, 1) for paper and trl (:func:`inverse_D_convexity`), so
    the Bernstein coefficients are convex, :math:`\Omega_G` is convex in ``p``, symmetric, minimal
    at ``p = 1/2`` and increasing in ``|L|`` (used by the Arb enclosures of
    :class:`~grpo_symbolic.exact.group_weights.GroupWeights`).

Derivations: :func:`group_weights` (concrete ``G``, generic denominators ``D_1..D_{G-1}``, then
conventions), :func:`group_general` (general ``G``: termwise identities, the mean convention,
convexity), :func:`group_large_G` (``G -> infinity``).  :func:`checks` runs them all.

>>> d = group_weights(3)
>>> d.check().ok
True
>>> d.result["Omega_G"]
2*p/(3*D_2) + 2*(1 - p)/(3*D_1)
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import sympy as sp

from .derivation import Derivation, Step
from .domains import declare, interval, positive_log, prob
from .rewrites import CANCEL, EXPAND, RADSIMP, TOGETHER, Rewrite
from .symbols import eps, p

__all__ = [
    "CONVENTIONS", "D_sym", "advantage", "denominator", "denominator_x", "omega_plus_sum",
    "omega_minus_sum", "Omega_sum", "Omega_bernstein", "bernstein_coefficients", "Omega_general",
    "omega_plus_general", "omega_minus_general", "Omega_general_convention", "brute_force_surrogate",
    "brute_force_outputs", "population_limit", "large_G_expansion", "paper_uniform_bound",
    "inverse_D_convexity", "group_weights", "group_general", "group_large_G", "derivations", "checks",
    "failed_checks",
]

CONVENTIONS = ("paper", "trl", "mean")

#: general group size and summation indices (for the general-G Sum forms)
Gs = sp.Symbol("G", integer=True, positive=True)
m_ = sp.Symbol("m", integer=True, nonnegative=True)
j_ = sp.Symbol("j", integer=True, nonnegative=True)
#: real stand-ins for G and k in the termwise gamma-function identities (spot-checkable)
G_real = declare(sp.Symbol("G_real", positive=True), interval(3, 60))
k_real = declare(sp.Symbol("k_real", positive=True), interval(1, 2))
#: pi(S), pi(F) of the new policy (any nonnegative numbers: the identity is linear)
piS = declare(sp.Symbol("pi_S", positive=True), prob())
piF = declare(sp.Symbol("pi_F", positive=True), prob())
#: toy output space {s1, s2, f}: pi_{n-1} = (p a, p (1-a), 1-p), new pi = (y1, y2, y3)
a_split = declare(sp.Symbol("a_split", positive=True), prob())
pi_o = tuple(declare(sp.Symbol(f"pi_o{i}", positive=True), positive_log(1e-2, 1e2)) for i in (1, 2, 3))
#: convexity: x = p-hat in (0, 1); c = sqrt(G/(G-1)) in (1, sqrt(2)]
x_hat = declare(sp.Symbol("x_hat", positive=True), prob())
c_bessel = declare(sp.Symbol("c_bessel", positive=True), interval(1, 1.5))
#: h = 1/G in the large-G expansion
h_G = declare(sp.Symbol("h_G", positive=True), interval(0, 0.5, (False, True)))

_D_DOMAIN = positive_log(1e-1, 1e1)
COMBSIMP = Rewrite("combsimp", sp.combsimp)


@lru_cache(maxsize=None)
def D_sym(k: int) -> sp.Symbol:
    """The generic group-std denominator ``D_k > 0`` of a group with ``k`` successes."""
    return declare(sp.Symbol(f"D_{k}", positive=True), _D_DOMAIN)


# ---------------------------------------------------------------------- advantages
def _check_conv(convention):
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")


def denominator_x(x, convention, G=Gs, eps=eps):
    """``D`` as a function of ``x = p̂`` (the group's success fraction)."""
    _check_conv(convention)
    G = sp.sympify(G)  # never let a Python int turn G/(G-1) into a float
    if convention == "paper":
        return sp.sqrt(x * (1 - x) + eps)
    if convention == "trl":
        return sp.sqrt(G / (G - 1) * x * (1 - x)) + eps
    return sp.Integer(1)


def denominator(k, G, convention=None, eps=eps):
    """``D_k`` for a group of ``G`` with ``k`` successes (``1 <= k <= G-1``); ``convention=None``
    gives the generic symbol ``D_k``."""
    if convention is None:
        return D_sym(k)
    x = sp.Rational(k, G) if isinstance(k, int) and isinstance(G, int) else k / G
    return denominator_x(x, convention, G, eps)


def convention_subs(G: int, convention, eps=eps) -> dict:
    """``{D_k: convention's D_k}`` for ``k = 1..G-1``."""
    return {D_sym(k): denominator(k, G, convention, eps) for k in range(1, G)}


def advantage(r, k, G, convention=None, eps=eps):
    """Advantage of a sample with reward ``r`` in a group with ``k`` successes; 0 for
    degenerate groups (``k = 0`` or ``k = G``; for eps = 0 this is the convention 0/0 := 0)."""
    if k == 0 or k == G:
        return sp.Integer(0)
    return (sp.Integer(r) - sp.Rational(k, G)) / denominator(k, G, convention, eps)


# --------------------------------------------------------------- S2: binomial sums
def omega_plus_sum(G: int, convention=None, p=p, eps=eps):
    """``E[A_1 | r_1 = 1]``: sum over ``j ~ Bin(G-1, p)`` successes among the others."""
    return sp.Add(*[sp.binomial(G - 1, j) * p**j * (1 - p) ** (G - 1 - j) * advantage(1, j + 1, G, convention, eps)
                    for j in range(G)])


def omega_minus_sum(G: int, convention=None, p=p, eps=eps):
    """``-E[A_1 | r_1 = 0]``."""
    return sp.Add(*[-sp.binomial(G - 1, j) * p**j * (1 - p) ** (G - 1 - j) * advantage(0, j, G, convention, eps)
                    for j in range(G)])


def Omega_sum(G: int, convention=None, p=p, eps=eps):
    """``Omega_G = omega_plus_G + omega_minus_G`` (exact binomial sums)."""
    return omega_plus_sum(G, convention, p, eps) + omega_minus_sum(G, convention, p, eps)


def Omega_bernstein(G: int, convention=None, p=p, eps=eps):
    """``Omega_G = (G-1)/G sum_{m=0}^{G-2} C(G-2,m) p^m (1-p)^(G-2-m) / D_{m+1}`` (S3)."""
    return sp.Rational(G - 1, G) * sp.Add(*[
        sp.binomial(G - 2, m) * p**m * (1 - p) ** (G - 2 - m) / denominator(m + 1, G, convention, eps)
        for m in range(G - 1)])


def bernstein_coefficients(G: int, convention=None, eps=eps):
    """``[b_0, ..., b_{G-2}]``, ``b_m = (G-1)/(G D_{m+1})``."""
    return [sp.Rational(G - 1, G) / denominator(m + 1, G, convention, eps) for m in range(G - 1)]


def _symmetric(expr, G: int):
    """Impose ``D_k = D_{G-k}`` (true for every convention)."""
    return expr.xreplace({D_sym(k): D_sym(G - k) for k in range(1, G) if k > G - k})


# ---------------------------------------------------------- general-G Sum forms
def _Dgen(x, convention):
    """Generic ``D`` at the count ``x*G`` (an undefined function) or the convention's."""
    if convention is None:
        return sp.Function("D")(x * Gs)
    return denominator_x(x, convention, Gs, eps)


def omega_plus_general(convention=None, p=p):
    """``omega_plus_G`` for symbolic ``G`` (the ``j = G-1`` term is degenerate, hence 0)."""
    G, j = Gs, j_
    return sp.Sum(sp.binomial(G - 1, j) * p**j * (1 - p) ** (G - 1 - j) * (1 - (j + 1) / G)
                  / _Dgen((j + 1) / G, convention), (j, 0, G - 2))


def omega_minus_general(convention=None, p=p):
    """``omega_minus_G`` for symbolic ``G`` (the ``j = 0`` term is degenerate, hence 0)."""
    G, j = Gs, j_
    return sp.Sum(sp.binomial(G - 1, j) * p**j * (1 - p) ** (G - 1 - j) * (j / G) / _Dgen(j / G, convention),
                  (j, 1, G - 1))


def Omega_general(convention=None, p=p):
    """``Omega_G`` for symbolic ``G`` as a Bernstein ``Sum`` (S3)."""
    G, m = Gs, m_
    return (G - 1) / G * sp.Sum(sp.binomial(G - 2, m) * p**m * (1 - p) ** (G - 2 - m)
                                / _Dgen((m + 1) / G, convention), (m, 0, G - 2))


def Omega_general_convention(convention, p=p):
    """:func:`Omega_general` with the convention's ``D`` written out (symbolic ``G``, ``eps``)."""
    return Omega_general(convention, p)


def _general_at(expr, G: int):
    """A general-G Sum at a concrete ``G``, generic ``D(k)`` mapped to the symbols ``D_k``."""
    out = expr.subs(Gs, G).doit()
    return out.replace(lambda e: isinstance(e, sp.core.function.AppliedUndef) and e.func.__name__ == "D",
                       lambda e: D_sym(int(e.args[0])))


# ---------------------------------------------------------- S1: brute force
def brute_force_surrogate(G: int, convention=None, p=p, eps=eps):
    """``E[(1/G) sum_i rho_i A_i]`` summed over all ``2^G`` reward vectors, with
    ``E[rho_i | r_i] = pi(S)/p`` or ``pi(F)/(1-p)``.  Returns ``(expression, piS, piF)``."""
    rho = {1: piS / p, 0: piF / (1 - p)}
    total = sp.Integer(0)
    for r in itertools.product((0, 1), repeat=G):
        k = sum(r)
        prob_r = p**k * (1 - p) ** (G - k)
        total += prob_r * sp.Add(*[rho[ri] * advantage(ri, k, G, convention, eps) for ri in r]) / G
    return total, piS, piF


def brute_force_outputs(G: int, convention=None, p=p, eps=eps):
    """The same surrogate over all ``3^G`` output tuples of a toy output space ``{s1, s2, f}``:
    ``pi_{n-1} = (p a, p(1-a), 1-p)``, arbitrary new ``pi = (pi_o1, pi_o2, pi_o3)``; no
    conditioning argument is used.  Returns ``(expression, pi(S), pi(F))``."""
    outs = [(1, p * a_split, pi_o[0]), (1, p * (1 - a_split), pi_o[1]), (0, 1 - p, pi_o[2])]
    total = sp.Integer(0)
    for tup in itertools.product(outs, repeat=G):
        k = sum(o[0] for o in tup)
        prob_t = sp.Mul(*[o[1] for o in tup])
        total += prob_t * sp.Add(*[(o[2] / o[1]) * advantage(o[0], k, G, convention, eps) for o in tup]) / G
    return total, pi_o[0] + pi_o[1], pi_o[2]


# ---------------------------------------------------------------- S8: G -> inf
def population_limit(convention, p=p, eps=eps):
    """The ``G -> infinity`` limit of ``Omega_G`` (leading term of the expansion)."""
    _check_conv(convention)
    if convention == "paper":
        return 1 / sp.sqrt(p * (1 - p) + eps)
    if convention == "trl":
        return 1 / (sp.sqrt(p * (1 - p)) + eps)
    return sp.Integer(1)


def _f_h(convention):
    """``1/D`` as a function of ``x_hat`` and ``h = 1/G``."""
    x = x_hat
    if convention == "trl":
        return 1 / (sp.sqrt(x * (1 - x) / (1 - h_G)) + eps)  # G/(G-1) = 1/(1-h)
    return 1 / denominator_x(x, convention, Gs, eps)


@lru_cache(maxsize=None)
def large_G_expansion(convention):
    r"""``(f, c1)``: :math:`\Omega_G(p) = f(p) + c_1(p)/G + O(G^{-2})` for fixed ``p`` in (0, 1).

    :math:`\Omega_G = (1-h)\,\mathbb E f_h(X)` with ``h = 1/G``, ``X = (M+1)/G``, ``M ~ Bin(G-2,p)``;
    :math:`\mathbb E X - p = (1-2p)h`, :math:`\mathbb E(X-p)^2 = pq h + O(h^2)`, higher central
    moments :math:`O(h^2)`, so :math:`\mathbb E f_h(X) = f_h(p) + f_h'(p)(1-2p)h + \tfrac12 f_h''(p) pq h + O(h^2)`."""
    x, h = x_hat, h_G
    fh = _f_h(convention)
    f0 = fh.subs(h, 0)
    expansion = (1 - h) * (fh + sp.diff(fh, x) * (1 - 2 * x) * h + sp.diff(fh, x, 2) * x * (1 - x) * h / 2)
    c1 = sp.diff(expansion, h).subs(h, 0)
    return f0.subs(x, p), sp.factor(sp.together(c1.subs(x, p)))


def paper_uniform_bound(G, p=p, eps=eps):
    r"""Rigorous bound for "paper", ``eps > 0``, every ``p`` in [0, 1] and ``G >= 2``:

    .. math:: |\Omega_G(p)-\Omega_\varepsilon(p)| \le \frac1G\Big(\varepsilon^{-1/2} + |f'(p)(1-2p)|
              + \tfrac{M_2}{2}\big(pq+\tfrac1G\big)\Big),\quad M_2 = \tfrac34\varepsilon^{-5/2}+\varepsilon^{-3/2},

    from :math:`\Omega_G - f = (\mathbb E f(X) - f(p)) - \mathbb E f(X)/G`, :math:`0< f\le\varepsilon^{-1/2}`,
    Taylor's theorem with :math:`|f''|\le M_2` (``f'' = (3/4) u^{-5/2}(1-2x)^2 + u^{-3/2}``,
    ``u = x(1-x)+eps >= eps``, see :func:`inverse_D_convexity`) and
    :math:`\mathbb E(X-p)^2 = (G-2)pq/G^2 + (1-2p)^2/G^2 \le (pq+1/G)/G`."""
    x = x_hat
    f = 1 / sp.sqrt(x * (1 - x) + eps)
    fp = sp.diff(f, x).subs(x, p)
    M2 = sp.Rational(3, 4) * eps ** sp.Rational(-5, 2) + eps ** sp.Rational(-3, 2)
    return (eps ** sp.Rational(-1, 2) + sp.Abs(fp * (1 - 2 * p)) + M2 / 2 * (p * (1 - p) + sp.Integer(1) / G)) / G


def inverse_D_convexity(convention):
    """``(second derivative of 1/D(x), a manifestly positive form)`` on ``0 < x < 1``."""
    x, c = x_hat, c_bessel
    if convention == "paper":
        u = x * (1 - x) + eps
        return sp.diff(1 / sp.sqrt(u), x, 2), (sp.Rational(3, 4) * u ** sp.Rational(-5, 2) * (1 - 2 * x) ** 2
                                                + u ** sp.Rational(-3, 2))
    if convention == "trl":
        s = x * (1 - x)
        g = c * sp.sqrt(s) + eps
        # (1/g)'' = 2 g'^2/g^3 - g''/g^2 with g'' = -c/(4 s^(3/2)) < 0
        return sp.diff(1 / g, x, 2), 2 * sp.diff(g, x) ** 2 / g**3 + c / (4 * s ** sp.Rational(3, 2)) / g**2
    return sp.Integer(0), sp.Integer(0)


# -------------------------------------------------------------------- derivations
_HYP = [
    "G >= 2 samples per prompt, i.i.d. from pi_{n-1}; binary rewards, P(r=1) = p",
    "advantage (r - k/G)/D_k in a group with k successes, 1 <= k <= G-1, any D_k > 0",
    "degenerate groups (k = 0 or G) get advantage 0 (0/0 := 0 when eps = 0)",
]
_ODDS_NOTE = "polynomial identity in p, pi(S), pi(F) and 1/D_k: holds for all p, not only p in (0,1)"


@lru_cache(maxsize=None)
def group_weights(G: int) -> Derivation:
    """Derivation of ``omega_plus_G``, ``omega_minus_G``, ``Omega_G`` for a concrete ``G``.

    ``result``: ``omega_plus``, ``omega_minus`` (binomial sums, generic ``D_k``), ``Omega_G``
    (Bernstein form), and ``Omega_G[conv]`` for each convention (symbolic ``p``, ``eps``)."""
    if isinstance(G, bool) or not isinstance(G, int) or G < 2:
        raise ValueError("G must be an integer >= 2")
    wp, wm = omega_plus_sum(G), omega_minus_sum(G)
    Om = Omega_bernstein(G)
    surr, _, _ = brute_force_surrogate(G)
    Oms = _symmetric(Om, G)
    steps = [
        Step("S1_reward_vectors",
             f"Expected surrogate over all 2^{G} reward vectors = omega_plus pi(S) - omega_minus pi(F).",
             surr, wp * piS - wm * piF, route=(EXPAND, TOGETHER, CANCEL), assumptions=(_ODDS_NOTE,)),
    ]
    if G <= 4:
        outs, pS, pF = brute_force_outputs(G)
        steps.append(Step("S1_output_tuples",
                          f"The same over all 3^{G} output tuples of a toy space (no conditioning used).",
                          outs, wp * pS - wm * pF, route=(EXPAND, TOGETHER, CANCEL)))
    steps += [
        Step("S2_general_plus", "The general-G Sum for omega_plus at this G equals the binomial sum.",
             _general_at(omega_plus_general(), G), wp, route=(EXPAND,)),
        Step("S2_general_minus", "The general-G Sum for omega_minus at this G equals the binomial sum.",
             _general_at(omega_minus_general(), G), wm, route=(EXPAND,)),
        Step("S3_zero_sum", "Group advantages sum to 0: p omega_plus = (1-p) omega_minus.",
             p * wp, (1 - p) * wm, route=(EXPAND,)),
        Step("S3_omega_plus", "omega_plus_G = (1-p) Omega_G (Bernstein form).", wp, (1 - p) * Om, route=(EXPAND,)),
        Step("S3_omega_minus", "omega_minus_G = p Omega_G.", wm, p * Om, route=(EXPAND,)),
        Step("S3_general_Omega", "The general-G Bernstein Sum at this G.", _general_at(Omega_general(), G), Om,
             route=(EXPAND,)),
        Step("S6_symmetry", "With D_k = D_(G-k): Omega_G(1-p) = Omega_G(p).", Oms.subs(p, 1 - p), Oms,
             route=(EXPAND,), assumptions=("D_k = D_(G-k)",)),
        Step("S6_end_0", "Omega_G(0) = (G-1)/(G D_1).", Oms.subs(p, 0), sp.Rational(G - 1, G) / D_sym(1),
             route=(EXPAND,)),
        Step("S6_end_1", "Omega_G(1) = (G-1)/(G D_1) (D_(G-1) = D_1).", Oms.subs(p, 1),
             sp.Rational(G - 1, G) / D_sym(1), route=(EXPAND,), assumptions=("D_k = D_(G-k)",)),
    ]
    if G <= 3:
        steps.append(Step("S5_constant", f"G = {G}: Omega_G does not depend on p.", sp.diff(Oms, p), 0,
                          route=(EXPAND,), assumptions=("D_k = D_(G-k)",)))
    for conv in CONVENTIONS:
        steps.append(Step(f"S6_D_symmetric[{conv}]", f"{conv}: D_k = D_(G-k) for k = 1..G-1.",
                          sp.Matrix([denominator(k, G, conv) for k in range(1, G)]),
                          sp.Matrix([denominator(G - k, G, conv) for k in range(1, G)]), route=(EXPAND,)))
    cm = convention_subs(G, "mean")
    steps += [
        Step("S4_mean_plus", "mean convention: omega_plus_G = (1-p)(G-1)/G.", wp.xreplace(cm),
             (1 - p) * sp.Rational(G - 1, G), route=(EXPAND,)),
        Step("S4_mean_minus", "mean convention: omega_minus_G = p(G-1)/G.", wm.xreplace(cm),
             p * sp.Rational(G - 1, G), route=(EXPAND,)),
        Step("S7_trl_vs_paper", "eps = 0: Omega_G[trl] = sqrt((G-1)/G) Omega_G[paper].",
             Om.xreplace(convention_subs(G, "trl", 0)),
             sp.sqrt(sp.Rational(G - 1, G)) * Om.xreplace(convention_subs(G, "paper", 0)), route=(EXPAND, RADSIMP, EXPAND)),
    ]
    if G in (2, 3):
        val = {2: sp.Integer(1), 3: sp.sqrt(2)}[G]
        steps.append(Step("S5_paper_value", f"paper, eps = 0: Omega_{G} = {val}.",
                          Om.xreplace(convention_subs(G, "paper", 0)), val, route=(EXPAND,)))
    result = {"omega_plus": wp, "omega_minus": wm, "Omega_G": Om}
    for conv in CONVENTIONS:
        result[f"Omega_G[{conv}]"] = Om.xreplace(convention_subs(G, conv))
    return Derivation(f"group_weights[G={G}]", f"Exact finite-group weights, G = {G}", list(_HYP), steps, result)


@lru_cache(maxsize=None)
def group_general() -> Derivation:
    """General-``G`` facts: the termwise binomial identities of S3, the mean convention (S4) via
    the pgf, and the convexity of ``1/D`` (paper, trl)."""
    G, k = G_real, k_real
    xs = sp.Symbol("x_pgf")
    pgf = lambda n: (p * xs + 1 - p) ** n  # noqa: E731  E[x^J], J ~ Bin(n, p)
    Gi = Gs
    Ej = sp.diff(pgf(Gi - 1), xs).subs(xs, 1)
    Om_mean = (Gi - 1) / Gi * pgf(Gi - 2).subs(xs, 1)
    dom = {G: interval(3, 60), k: interval(1, 2)}
    steps = [
        Step("S3_binomial_plus", "(G-k) C(G-1,k-1) = (G-1) C(G-2,k-1) (gamma-function identity).",
             (G - k) * sp.binomial(G - 1, k - 1), (G - 1) * sp.binomial(G - 2, k - 1), route=(COMBSIMP, EXPAND),
             domains=dom),
        Step("S3_binomial_minus", "k C(G-1,k) = (G-1) C(G-2,k-1).",
             k * sp.binomial(G - 1, k), (G - 1) * sp.binomial(G - 2, k - 1), route=(COMBSIMP, EXPAND), domains=dom),
        Step("S4_pgf_one", "Bernstein weights sum to 1: (p x + 1 - p)^(G-2) at x = 1.", Om_mean, (Gi - 1) / Gi,
             route=(EXPAND,), domains={Gi: interval(2, 60)}),
        Step("S4_mean_Ej", "E j = (G-1) p for j ~ Bin(G-1, p) (pgf derivative at 1).", Ej, (Gi - 1) * p,
             route=(EXPAND,), domains={Gi: interval(2, 60)}),
        Step("S4_mean_plus_direct", "mean: omega_plus = E[1 - (j+1)/G] = (1-p)(G-1)/G.", 1 - (1 + Ej) / Gi,
             (1 - p) * (Gi - 1) / Gi, route=(EXPAND,), domains={Gi: interval(2, 60)}),
        Step("S4_mean_minus_direct", "mean: omega_minus = E[j/G] = p(G-1)/G.", Ej / Gi, p * (Gi - 1) / Gi,
             route=(EXPAND,), domains={Gi: interval(2, 60)}),
    ]
    for conv in ("paper", "trl"):
        d2, form = inverse_D_convexity(conv)
        steps.append(Step(f"convexity[{conv}]", f"{conv}: (1/D)'' = a sum of positive terms on (0,1).", d2, form,
                          route=(TOGETHER, CANCEL, EXPAND), assumptions=("0 < x_hat < 1",)))
    result = {"Omega_G": Omega_general(), "omega_plus_G": omega_plus_general(),
              "omega_minus_G": omega_minus_general(), "Omega_G[mean]": (Gi - 1) / Gi}
    return Derivation("group_general", "Finite-group weights for general G",
                      list(_HYP), steps, result)


@lru_cache(maxsize=None)
def group_large_G(convention: str) -> Derivation:
    """``G -> infinity``: the limit of ``Omega_G`` and the ``1/G`` coefficient (S8)."""
    _check_conv(convention)
    f, c1 = large_G_expansion(convention)
    steps = []
    if convention == "paper":
        pop = (1 - p) / sp.sqrt(p * (1 - p) + eps) + p / sp.sqrt(p * (1 - p) + eps)  # eq. (4) sum
        steps.append(Step("S8_limit", "The limit is the paper's population weight Omega_eps (eq. (4)).",
                          f, pop, route=(TOGETHER, CANCEL)))
        steps.append(Step("S8_c1_eps0", "eps = 0: c1 = -(p(1-p))^(-3/2)/8 (Omega_G < Omega for large G).",
                          c1.subs(eps, 0), -(p * (1 - p)) ** sp.Rational(-3, 2) / 8, route=(TOGETHER, CANCEL)))
    elif convention == "trl":
        steps.append(Step("S8_limit", "The limit is 1/(sqrt(p(1-p)) + eps) (eps stays outside the root).",
                          f, population_limit("trl"), route=(TOGETHER, CANCEL)))
    else:
        steps.append(Step("S8_limit", "mean: f = 1.", f, 1))
        steps.append(Step("S8_c1", "mean: c1 = -1 (Omega_G = 1 - 1/G exactly, S4).", c1, -1))
    return Derivation(f"group_large_G[{convention}]", f"Group size to infinity, {convention} convention",
                      list(_HYP), steps, {"limit": f, "c1": c1})


def derivations(G_values=(2, 3, 4, 5, 6, 7)):
    """All group derivations: :func:`group_weights` for each ``G``, :func:`group_general`,
    :func:`group_large_G` for each convention."""
    return ([group_weights(G) for G in G_values] + [group_general()]
            + [group_large_G(c) for c in CONVENTIONS])


def checks(G_values=(2, 3, 4, 5, 6, 7)):
    """Every step's symbolic check, as a list of ``(derivation:step, ok)``."""
    return [(f"{d.name}:{name}", res.ok) for d in derivations(G_values) for name, res in d.check().results]


def failed_checks(**kw):
    return [name for name, ok in checks(**kw) if not ok]
