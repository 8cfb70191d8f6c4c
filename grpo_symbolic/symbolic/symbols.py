r"""The standard symbols of the derivations, with SymPy assumptions and domains.

=================  ==========================  =====================  ==================
symbol             meaning                     SymPy assumptions      sampling domain
=================  ==========================  =====================  ==================
``p``              PoS of the old policy       positive               (0, 1)
``p_prev``         PoS of ``pi_{n-1}``         positive               (0, 1)
``p_ref``          PoS of ``pi_ref``           positive               (0, 1)
``beta``           total KL strength           positive               (0, 10]
``alpha``          weight on KL(pi||pi_ref)    nonnegative            [0, 1]
``eps``            smoothing (inside sqrt)     nonnegative            [0, 1]
``eps_pos``        smoothing where eps > 0     positive               (0, 1]
``L``, ``L_prev``  log-odds                    real                   [-30, 30]
``L_ref``          log-odds of ``p_ref``       real                   [-30, 30]
``clip_eps``       PPO clip parameter          nonnegative            [0, 1]
=================  ==========================  =====================  ==================

SymPy cannot be told ``p < 1``.  Where a route needs ``1 - p > 0`` the step says so
and substitutes the odds ``p = u/(1+u)`` with ``u > 0`` (:data:`ODDS`), or works in
log-odds ``L``; both parametrise ``(0, 1)`` exactly.

The clip parameter is called ``clip_eps`` (the paper prints it as :math:`\epsilon`,
the smoothing as :math:`\varepsilon`: a glyph collision).

Generic symbols used by several derivations: ``omega_plus``, ``omega_minus``
(any positive weights, as in the paper's Thm 8), one generic outcome ``o``
(``x_o`` = pi(o), ``r_o`` = pi_ref(o), ``q_o`` = pi_{n-1}(o), ``A_o`` its
advantage), the Lagrange multiplier ``lam``, and the case-analysis parameters
of the clip lemma.
"""

from __future__ import annotations

import sympy as sp

from .domains import declare, interval, positive_log, prob

# --- probabilities and log-odds ------------------------------------------------
p = declare(sp.Symbol("p", positive=True), prob())
p_prev = declare(sp.Symbol("p_prev", positive=True), prob())
p_ref = declare(sp.Symbol("p_ref", positive=True), prob())
p_star = declare(sp.Symbol("p_star", positive=True), prob())
L = declare(sp.Symbol("L", real=True), interval(-30, 30, (True, True)))
L_prev = declare(sp.Symbol("L_prev", real=True), interval(-30, 30, (True, True)))
L_ref = declare(sp.Symbol("L_ref", real=True), interval(-30, 30, (True, True)))

# --- parameters ------------------------------------------------------------------
beta = declare(sp.Symbol("beta", positive=True), interval(0, 10, (False, True)))
alpha = declare(sp.Symbol("alpha", nonnegative=True), interval(0, 1, (True, True)))
eps = declare(sp.Symbol("eps", nonnegative=True), interval(0, 1, (True, True)))
#: the smoothing where the paper needs it strictly positive (boundary behaviour)
eps_pos = declare(sp.Symbol("eps_pos", positive=True), interval(0, 1, (False, True)))
clip_eps = declare(sp.Symbol("clip_eps", nonnegative=True), interval(0, 1, (True, True)))

# --- generic weights and advantage --------------------------------------------------
omega_plus = declare(sp.Symbol("omega_plus", positive=True), positive_log(1e-2, 30))
omega_minus = declare(sp.Symbol("omega_minus", positive=True), positive_log(1e-2, 30))
#: the value Omega(p*) at a fixed point, kept as an unknown constant
Omega_star = declare(sp.Symbol("Omega_star", positive=True), positive_log(1e-2, 30))

# --- Bernoulli reward and its moments (weights derivation) ------------------------
r = declare(sp.Symbol("r", nonnegative=True), interval(0, 1, (True, True)))
mu = declare(sp.Symbol("mu", real=True), interval(0, 1, (True, True)))
sigma2 = declare(sp.Symbol("sigma2", nonnegative=True), interval(0, 1, (True, True)))

# --- one generic outcome o (optimal policy) -----------------------------------------
x_o = declare(sp.Symbol("x_o", positive=True), prob())
r_o = declare(sp.Symbol("r_o", positive=True), prob())
q_o = declare(sp.Symbol("q_o", positive=True), prob())
A_o = declare(sp.Symbol("A_o", real=True), interval(-10, 10, (True, True)))
lam = declare(sp.Symbol("lambda", real=True), interval(-10, 10, (True, True)))
mu_norm = declare(sp.Symbol("m", positive=True), positive_log(1e-3, 1e3))

# --- reparametrisations ---------------------------------------------------------------
#: odds u = p/(1-p) > 0; ``p = u/(1+u)`` makes ``1 - p = 1/(1+u)`` visibly positive
u = declare(sp.Symbol("u", positive=True), positive_log(1e-6, 1e6))
ODDS = {p: u / (1 + u)}
u_prev = declare(sp.Symbol("u_prev", positive=True), positive_log(1e-6, 1e6))
u_ref = declare(sp.Symbol("u_ref", positive=True), positive_log(1e-6, 1e6))
#: odds parametrisations of p_{n-1} and p_ref
ODDS_PREV = {p_prev: u_prev / (1 + u_prev)}
ODDS_REF = {p_ref: u_ref / (1 + u_ref)}
#: E = exp(L/2) > 0 (log-odds routes)
E = declare(sp.Symbol("E", positive=True), positive_log(1e-6, 1e6))
#: value h of a PoS map at a point (fixed-point substitution h = p)
h = declare(sp.Symbol("h", positive=True), prob())

# --- clip lemma: x > 0 ratio, y advantage, case parameters ---------------------------
x = declare(sp.Symbol("x", positive=True), positive_log(1e-2, 10))
y = declare(sp.Symbol("y", real=True), interval(-10, 10, (True, True)))
y_pos = declare(sp.Symbol("y_pos", positive=True), positive_log(1e-2, 10))
v = declare(sp.Symbol("v", positive=True), positive_log(1e-2, 10))
t = declare(sp.Symbol("t", nonnegative=True), interval(0, 3, (True, True)))
s = declare(sp.Symbol("s", nonnegative=True), interval(0, 3, (True, True)))

# --- success-tilt parameters (induction from pi_0 = pi_ref) -----------------------------
tau_S = declare(sp.Symbol("tau_S", positive=True), positive_log(1e-2, 1e2))
tau_F = declare(sp.Symbol("tau_F", positive=True), positive_log(1e-2, 1e2))

# --- display symbols defined through ``Step.defs`` (never sampled) --------------------
Z = sp.Symbol("Z", positive=True)
p_n = sp.Symbol("p_n", positive=True)
D_S = sp.Symbol("D_S", real=True)
D_F = sp.Symbol("D_F", real=True)
B_S = sp.Symbol("B_S", positive=True)
B_F = sp.Symbol("B_F", positive=True)

#: LaTeX names used by every rendering
LATEX_NAMES = {
    p: "p", p_prev: r"p_{n-1}", p_ref: r"p_{\mathrm{ref}}", p_star: "p^{*}",
    L: "L", L_prev: r"L_{n-1}", L_ref: r"L_{\mathrm{ref}}",
    beta: r"\beta", alpha: r"\alpha", eps: r"\varepsilon", eps_pos: r"\varepsilon",
    clip_eps: r"\epsilon_{\mathrm{clip}}",
    omega_plus: r"\omega^{+}", omega_minus: r"\omega^{-}", Omega_star: r"\Omega^{*}",
    r: "r", mu: r"\mu", sigma2: r"\sigma^{2}",
    x_o: r"\pi(o)", r_o: r"\pi_{\mathrm{ref}}(o)", q_o: r"\pi_{n-1}(o)", A_o: "A(o)",
    lam: r"\lambda", mu_norm: "m", u: "u", u_prev: r"u_{n-1}", u_ref: r"u_{\mathrm{ref}}", E: "E", h: "h",
    x: "x", y: "y", y_pos: "y", v: "v", t: "t", s: "s",
    tau_S: r"\tau_S", tau_F: r"\tau_F", Z: "Z", p_n: "p_n",
    D_S: "D_S", D_F: "D_F", B_S: "B_S", B_F: "B_F",
}


def logit(z):
    """``log(z) - log(1 - z)`` (the log-odds, written as a difference of logs)."""
    return sp.log(z) - sp.log(1 - z)


def sigmoid(z):
    """``1/(1 + exp(-z))``."""
    return 1 / (1 + sp.exp(-z))


def as_alpha(value):
    """Normalise a KL mixing weight: a number in ``[0, 1]`` becomes an exact SymPy
    Rational; ``"symbolic"`` (or the symbol itself) gives the symbol ``alpha``.

    >>> as_alpha("symbolic"), as_alpha(sp.Rational(1, 2)), as_alpha(1)
    (alpha, 1/2, 1)
    """
    if value is alpha or (isinstance(value, str) and value == "symbolic"):
        return alpha
    if isinstance(value, float):
        raise ValueError("alpha must be exact (a Rational or int), not a float")
    a = sp.Rational(value)
    if not 0 <= a <= 1:
        raise ValueError(f"alpha must lie in [0, 1], got {a}")
    return a


def alpha_label(a) -> str:
    return "symbolic" if a is alpha else str(a)
