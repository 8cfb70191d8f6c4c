r"""Derivation 6: the two-KL statements (App. E) on an ARBITRARY finite outcome space.

The derivations of :mod:`.recurrence` work on a concrete :class:`~.finite_space.FiniteSpace`
(``K = 4``).  Here every statement is proved for *every* size at once: the success
outcomes are ``o = 1..n_S`` and the failure outcomes ``o = 1..n_F`` with ``n_S, n_F``
positive integer SymPy symbols, and every class sum is a SymPy ``Sum`` over a symbolic
range.  The last step of each derivation (always named ``"statement"``) is the
statement itself, and its check reduces ``lhs - rhs`` to ``0`` (or proves its sign)
on this general space.

**Parametrisation (documented choice).**  As in :mod:`.finite_space`, every policy is
given by *positive indexed weights divided by their total*:

.. math:: \pi_{\mathrm{ref}}(o) = \frac{r_S[o]}{R},\ o\in S,\qquad
          \pi_{\mathrm{ref}}(o) = \frac{r_F[o]}{R},\ o\in F,\qquad
          R = \sum_{o=1}^{n_S} r_S[o] + \sum_{o=1}^{n_F} r_F[o],

with ``r_S, r_F`` SymPy ``IndexedBase`` objects declared ``positive=True``; likewise
``q_S, q_F`` for :math:`\pi_{n-1}` and ``x_S, x_F`` for a generic policy :math:`\pi`.
This covers every law of full support on every finite space, keeps every probability
visibly positive, and makes the normalisation :math:`\sum\pi = 1` a *theorem*
(SymPy proves it: see the step ``normalisation`` of :func:`lemma2`), not a hypothesis.
The PoS is :math:`p = \sum_S \pi`, the conditional laws are
:math:`\pi(o)/p` on ``S`` and :math:`\pi(o)/(1-p)` on ``F``, and
:math:`D_\alpha(P\|Q) = \log(\sum P^\alpha Q^{1-\alpha})/(\alpha-1)` on them.

**What SymPy is asked to know about ``Sum``.**  These facts are all *carried out by SymPy's
own rewriting* inside the routes (no Sum fact is assumed or hand-coded):

* linearity ``Sum(f + g) = Sum(f) + Sum(g)``: ``sympy.expand`` (route name
  ``expand (Sum linearity)``, :data:`SUM_LINEAR`);
* index-free factors leave the sum, ``Sum(c f(o)) = c Sum(f(o))``:
  ``sympy.factor_terms`` applied to every ``Sum`` (:data:`SUM_CONST`);
* ``P^a P^(1-a) = P`` under the sum: ``powsimp(combine="exp")`` on every summand
  (:data:`SUM_POWSIMP`);
* ``(r[o]/R)^alpha = r[o]^alpha R^(-alpha)`` for positive bases:
  ``expand_power_base(force)``, valid because every base is positive
  (listed in each step's ``assumptions``).

A normalisation such as :math:`\sum_S r_S[o]/R + \sum_F r_F[o]/R = 1` then follows from
pulling ``1/R`` out and cancelling, with the sums treated as atoms.  The only inputs that
are *hypotheses* (substituted, not proved) are those of the statements themselves:
``D_S <= D_F`` and ``L_{n-1} >= L_ref`` in :func:`thm9_amplification` (each written as an
explicit substitution with a nonnegative symbol, see there).

**Numeric second route.**  :class:`GeneralStep` (a :class:`~.derivation.Step`) replaces
``n_S, n_F`` by concrete sizes (default ``2, 3``), expands the sums, replaces every
indexed weight by its own positive symbol and evaluates both sides with mpmath at random
points (:mod:`.spot`).  This is a consistency check, not a proof.

>>> d = lemma3()
>>> d.check().ok, d.steps[-1].name
(True, 'statement')
>>> d.steps[-1].spot_check(n=3, dps=30).ok
True
>>> sorted(general_derivations())[:3]
['eq18', 'lemma2', 'lemma3']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .derivation import Derivation, Step
from .domains import declare, interval, positive_log
from .rewrites import (CANCEL, DOIT, EXPAND, EXPAND_LOG, EXPAND_POWER_BASE, FACTOR, POWSIMP, TOGETHER, Rewrite,
                       inside)
from .spot import SpotResult, spot_check_exprs
from .symbols import (B_F, B_S, D_F, D_S, L, L_prev, L_ref, alpha, beta, eps, logit, omega_minus, omega_plus,
                      p_n, p_prev, p_ref, tau_F, tau_S)

__all__ = [
    "GeneralStep", "Law", "SUM_CONST", "SUM_POWSIMP", "SUM_LINEAR", "n_S", "n_F", "o", "j", "k", "r_S", "r_F",
    "q_S", "q_F", "x_S", "x_F", "A_S", "A_F", "REF", "PREV", "PI", "ssum", "fsum", "normalised", "pos", "kl",
    "renyi", "renyi_sum", "geometric", "tilt", "exp_tilt", "concretise", "lemma2", "eq18", "lemma3", "thm9",
    "thm9_recursion", "thm9_amplification", "row6_contraction", "general_derivations", "STATEMENT_IDS",
]

# ----------------------------------------------------------------------------- space
#: sizes of the success and failure classes (any positive integers)
n_S = sp.Symbol("n_S", integer=True, positive=True)
n_F = sp.Symbol("n_F", integer=True, positive=True)
#: the bound summation index of every class sum
o = sp.Symbol("o", integer=True, positive=True)
#: a generic success outcome (1..n_S) and a generic failure outcome (1..n_F), left free
j = sp.Symbol("j", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)

#: unnormalised positive weights of pi_ref, pi_{n-1} and a generic pi on S and on F
r_S, r_F = sp.IndexedBase("r_S", positive=True), sp.IndexedBase("r_F", positive=True)
q_S, q_F = sp.IndexedBase("q_S", positive=True), sp.IndexedBase("q_F", positive=True)
x_S, x_F = sp.IndexedBase("x_S", positive=True), sp.IndexedBase("x_F", positive=True)
#: an arbitrary real advantage A(o) (eq. (18) holds for any A, in particular A = +w+ on S, -w- on F)
A_S, A_F = sp.IndexedBase("A_S", real=True), sp.IndexedBase("A_F", real=True)

# --- display symbols (replaced through Step.defs, never sampled) -------------------------
p_tilde = sp.Symbol("p_tilde", positive=True)
L_n = sp.Symbol("L_n", real=True)
L_0 = sp.Symbol("L_0", real=True)
KL_ref = sp.Symbol("KL_ref", real=True)
KL_prev = sp.Symbol("KL_prev", real=True)
KL_bar = sp.Symbol("KL_bar", real=True)
C = sp.Symbol("C", real=True)
J_two = sp.Symbol("J_two", real=True)
J_one = sp.Symbol("J_one", real=True)
K_const = sp.Symbol("K", real=True)
Delta_R = sp.Symbol("Delta_R", real=True)
W_S = sp.Symbol("W_S", positive=True)
W_F = sp.Symbol("W_F", positive=True)

# --- parameters of the hypotheses and of the contraction (sampled) ----------------------
#: delta = D_F - D_S >= 0 (hypothesis of the amplification argument)
delta = declare(sp.Symbol("delta", nonnegative=True), interval(0, 5, (True, True)))
#: eta = L_{n-1} - L_ref >= 0 (induction hypothesis)
eta = declare(sp.Symbol("eta", nonnegative=True), interval(0, 5, (True, True)))
#: kappa = 1 - alpha, in (0, 1) for alpha in (0, 1)
kappa = declare(sp.Symbol("kappa", positive=True), interval(0, 1, (False, False)))
#: kappa0 = 1 - alpha in [0, 1) for alpha in (0, 1]
kappa0 = declare(sp.Symbol("kappa0", nonnegative=True), interval(0, 1, (True, False)))
#: alpha restricted to (0, 1] (the contraction rate 1 - alpha < 1 needs alpha > 0)
alpha_pos = declare(sp.Symbol("alpha_pos", positive=True), interval(0, 1, (False, True)))
#: e_{n-1} = L_{n-1} - L_ref >= 0 (scalar form of the induction hypothesis)
e_prev = declare(sp.Symbol("e_prev", nonnegative=True), interval(0, 5, (True, True)))
#: a second log-odds point for the contraction
L_prime = declare(sp.Symbol("L_prime", real=True), interval(-30, 30, (True, True)))

_ALPHA01 = {alpha: interval(0, 1, (False, False))}
_POS = "all weights r, q, x, tau, omega, beta positive (force-expansion of logs/powers is valid)"
_SUMS = ("Sum facts by SymPy's own rewriting in the route: linearity (expand), index-free factors out of "
         "each Sum (factor_terms), P^a P^(1-a) = P under a Sum (powsimp); no normalisation is assumed")
_A01 = "0 < alpha < 1 (alpha - 1 != 0 cancels in (alpha - 1) D)"


# ------------------------------------------------------------------------ rewrites
def _sum_const(expr):
    """Pull the index-free factors out of every ``Sum`` (SymPy's ``factor_terms``)."""
    return expr.replace(lambda z: isinstance(z, sp.Sum), sp.factor_terms)


#: ``Sum(c f(o)) -> c Sum(f(o))`` for every Sum, by ``sympy.factor_terms``
SUM_CONST = Rewrite("factor_terms on every Sum (index-free factors out)", _sum_const)
#: ``powsimp(combine="exp")`` on the summand of every Sum (``P^a P^(1-a) = P``)
SUM_POWSIMP = Rewrite("powsimp(combine=exp) inside every Sum",
                      lambda e: e.replace(lambda z: isinstance(z, sp.Sum),
                                          lambda z: sp.Sum(sp.powsimp(z.function, combine="exp"), *z.limits)))
#: ``sympy.expand``; it splits ``Sum(f + g)`` into ``Sum(f) + Sum(g)``
SUM_LINEAR = Rewrite("expand (Sum linearity)", sp.expand)

#: logit identities on the general space (class sums as atoms)
_LOGIT = (SUM_CONST, EXPAND_POWER_BASE, SUM_CONST, EXPAND_LOG, inside(TOGETHER, "log"), EXPAND_LOG, EXPAND,
          TOGETHER, CANCEL)
#: KL identities: split the logs, distribute over the sums, pull constants, cancel
_KL = (EXPAND_LOG, SUM_LINEAR, SUM_CONST, EXPAND, TOGETHER, CANCEL)
#: rational identities between class sums (normalisations, conditional laws, class sums)
_RATIO = (SUM_CONST, EXPAND_POWER_BASE, SUM_CONST, POWSIMP, TOGETHER, CANCEL)
#: tilts: also combine P^a P^(1-a) inside the sums and split powers of sums of tilted masses
_TILT = (SUM_CONST, EXPAND_POWER_BASE, SUM_POWSIMP, SUM_CONST, inside(TOGETHER, "pow"), EXPAND_POWER_BASE,
         TOGETHER, CANCEL)


# --------------------------------------------------------------------- laws
def ssum(f):
    """``Sum_{o=1}^{n_S} f`` (a sum over the success outcomes)."""
    return sp.Sum(f, (o, 1, n_S))


def fsum(f):
    """``Sum_{o=1}^{n_F} f`` (a sum over the failure outcomes)."""
    return sp.Sum(f, (o, 1, n_F))


def csum(f, c: str):
    return ssum(f) if c == "S" else fsum(f)


@dataclass(frozen=True)
class Law:
    """A function of the outcome given on each class as an expression in ``o``."""

    S: sp.Expr
    F: sp.Expr

    def part(self, c: str):
        return self.S if c == "S" else self.F

    def mass(self, c: str):
        """``Sum_{o in c} law(o)``."""
        return csum(self.part(c), c)

    def at(self, c: str, idx):
        """The value at outcome ``idx`` of class ``c``."""
        return self.part(c).subs(o, idx)  # subs leaves the bound o of inner sums alone

    def cond(self, c: str):
        """The conditional law on class ``c`` (an expression in ``o``)."""
        return self.part(c) / self.mass(c)

    def times(self, fS, fF) -> "Law":
        return Law(self.S * fS, self.F * fF)

    def vector(self):
        """``(law(j), law(k))``: a generic success and a generic failure outcome."""
        return sp.ImmutableMatrix([self.at("S", j), self.at("F", k)])


def normalised(wS, wF) -> Law:
    """The law ``w(o) / (Sum_S w + Sum_F w)``."""
    tot = ssum(wS) + fsum(wF)
    return Law(wS / tot, wF / tot)


#: pi_ref, pi_{n-1} and a generic policy pi
REF = normalised(r_S[o], r_F[o])
PREV = normalised(q_S[o], q_F[o])
PI = normalised(x_S[o], x_F[o])


def pos(law: Law):
    """The PoS ``Sum_S law``."""
    return law.mass("S")


def kl(P: Law, Q: Law):
    """``KL(P||Q) = Sum_S P log(P/Q) + Sum_F P log(P/Q)``."""
    return ssum(P.S * sp.log(P.S / Q.S)) + fsum(P.F * sp.log(P.F / Q.F))


def renyi_sum(P: Law, Q: Law, c: str, a=alpha):
    """``Sum_c P_c^a Q_c^(1-a)`` of the conditional laws on class ``c``."""
    return csum(P.cond(c) ** a * Q.cond(c) ** (1 - a), c)


def renyi(P: Law, Q: Law, c: str, a=alpha):
    """``D_a(P_c || Q_c) = log(Sum_c P_c^a Q_c^(1-a)) / (a - 1)``."""
    return sp.log(renyi_sum(P, Q, c, a)) / (a - 1)


def geometric(P: Law, Q: Law, a=alpha) -> Law:
    """``P^a Q^(1-a)`` normalised (the geometric-mean anchor pi~)."""
    return normalised(P.S ** a * Q.S ** (1 - a), P.F ** a * Q.F ** (1 - a))


def tilt(P: Law, tS, tF) -> Law:
    """``P(o) tau_{r(o)} / Sum P tau`` (a reward-only tilt of ``P``)."""
    return normalised(P.S * tS, P.F * tF)


def exp_tilt(P: Law, w_plus=omega_plus, w_minus=omega_minus) -> Law:
    """``P(o) exp(A(o)/beta)`` normalised, ``A = +w_plus`` on S, ``-w_minus`` on F (Thm 8)."""
    return normalised(P.S * sp.exp(w_plus / beta), P.F * sp.exp(-w_minus / beta))


def _closure(defs: dict) -> dict:
    """Substitute the definitions into each other until no display symbol is left."""
    out = dict(defs)
    for _ in range(len(out) + 1):
        new = {key: val.xreplace(out) for key, val in out.items()}
        if new == out:
            return out
        out = new
    raise ValueError("circular definitions")


def _standard_defs(prev: Law = PREV) -> dict:
    """Display symbols of the PoS and Renyi terms, defined on the general space."""
    return {p_ref: pos(REF), p_prev: pos(prev), L_ref: logit(p_ref), L_prev: logit(p_prev),
            D_S: renyi(REF, prev, "S"), D_F: renyi(REF, prev, "F")}


# ------------------------------------------------------------------ numeric route
_W = positive_log(1e-2, 1e2)
_A = interval(-10, 10, (True, True))


def _concrete_symbol(ix: sp.Indexed) -> tuple:
    base = ix.base
    name = f"{base.label}{ix.indices[0]}"
    if base.label.is_positive:
        return sp.Symbol(name, positive=True), _W
    return sp.Symbol(name, real=True), _A


def concretise(lhs, rhs, sizes=(2, 3)):
    """``(lhs, rhs, domains)`` with ``n_S, n_F = sizes``, the sums expanded, each free
    outcome index ``j`` (``k``) run over ``1..n_S`` (``1..n_F``), and every indexed weight
    replaced by a plain symbol (``r_S1``, ...) with its sampling domain."""
    ns, nf = sizes
    pairs = []
    frees = [(j, range(1, ns + 1)), (k, range(1, nf + 1))]
    used = [(s, rng) for s, rng in frees if s in lhs.free_symbols | rhs.free_symbols]
    combos = list(itertools.product(*[rng for _, rng in used])) or [()]
    for vals in combos:
        sub = {n_S: ns, n_F: nf, **{s: v for (s, _), v in zip(used, vals)}}
        pairs.append((_expand_sums(lhs, sub), _expand_sums(rhs, sub)))
    doms: dict = {}

    def sym(ix):
        s, d = _concrete_symbol(ix)
        doms[s] = d
        return s

    def plain(e):
        return e.replace(lambda z: isinstance(z, sp.Indexed), sym)

    if len(pairs) == 1 and not isinstance(lhs, sp.MatrixBase):
        L_, R_ = plain(pairs[0][0]), plain(pairs[0][1])
    else:
        L_ = sp.ImmutableMatrix([plain(x) for a, _ in pairs for x in _entries(a)])
        R_ = sp.ImmutableMatrix([plain(x) for _, b in pairs for x in _entries(b)])
    for e in (L_, R_):
        if e.has(sp.Sum, sp.Indexed, sp.Derivative) or e.free_symbols & {n_S, n_F, j, k, o}:
            raise ValueError(f"could not make the space concrete: {e}")
    return L_, R_, doms


def _entries(e):
    return list(e) if isinstance(e, sp.MatrixBase) else [e]


def _expand_sums(e, sub):
    """Sizes and free indices substituted, then every Sum (and Derivative) evaluated."""
    e = e.xreplace(sub)
    return e.applyfunc(lambda z: z.doit()) if isinstance(e, sp.MatrixBase) else e.doit()


class GeneralStep(Step):
    """A :class:`~.derivation.Step` on the general space; its numeric route first makes
    the space concrete (see :func:`concretise`)."""

    def spot_check(self, n: int = 20, dps: int = 50, seed: int = 0, sizes=(2, 3)) -> SpotResult:
        lhs, rhs = self.prepared()
        L_, R_, doms = concretise(lhs, rhs, sizes)
        return spot_check_exprs(L_, R_, self.relation, overrides={**doms, **(self.domains or {})},
                                n=n, dps=dps, seed=seed)


def _step(name, text, lhs, rhs, relation="==", route=(), defs=None, subs=None, domains=None, assumptions=()):
    return GeneralStep(name, text, lhs, rhs, relation, route=tuple(route), assumptions=tuple(assumptions),
                       defs=_closure(defs) if defs else None, subs=subs, domains=domains)


_HYP_SPACE = ("arbitrary finite outcome space: successes o = 1..n_S, failures o = 1..n_F, n_S, n_F "
              "positive integer symbols")
_HYP_WEIGHTS = ("every law = positive indexed weights / their total (pi_ref: r_S, r_F; pi_{n-1}: q_S, q_F; "
                "pi: x_S, x_F), i.e. any law of full support")


# ----------------------------------------------------------------------- Lemma 2
@lru_cache(maxsize=None)
def lemma2() -> Derivation:
    r"""Lemma 2 (geometric mean of two KLs), on an arbitrary finite space.

    .. math:: \alpha\,\mathrm{KL}(\pi\|\pi_{\mathrm{ref}}) + (1-\alpha)\,\mathrm{KL}(\pi\|\pi^\circ)
              = \mathrm{KL}(\pi\|\bar\pi) + C,\qquad
              \bar\pi = \frac{\pi_{\mathrm{ref}}^\alpha\pi^{\circ\,1-\alpha}}{Z},\quad
              C = -\log Z,\quad Z = \sum_o \pi_{\mathrm{ref}}^\alpha\pi^{\circ\,1-\alpha},

    for every real ``alpha`` (here the package's ``alpha >= 0``), with
    ``pi° = pi_{n-1}`` (weights ``q``).  ``C`` contains no weight of ``pi``: its
    derivatives in ``x_S[j]`` and ``x_F[k]`` vanish.  The normalisation
    ``sum pi = 1`` used in the last step is itself proved (step ``normalisation``).

    ``result``: ``C`` (the constant, a function of the weights of pi_ref and pi°
    only), ``Z``, ``anchor`` (the law pi-bar).
    """
    bar = geometric(REF, PREV)
    Z = ssum(REF.S ** alpha * PREV.S ** (1 - alpha)) + fsum(REF.F ** alpha * PREV.F ** (1 - alpha))
    Cval = -sp.log(Z)
    defs = {KL_ref: kl(PI, REF), KL_prev: kl(PI, PREV), KL_bar: kl(PI, bar), C: Cval}
    per_outcome = (alpha * sp.log(PI.at("S", j) / REF.at("S", j))
                   + (1 - alpha) * sp.log(PI.at("S", j) / PREV.at("S", j)))
    steps = [
        _step("normalisation", "sum_S pi + sum_F pi = 1 for the weights-over-total parametrisation: "
              "SymPy pulls 1/(total) out of both sums and cancels (proved, not assumed).",
              pos(PI) + PI.mass("F"), 1, route=(SUM_CONST, TOGETHER, CANCEL), assumptions=(_SUMS,)),
        _step("per_outcome", "For one outcome j in S: alpha log(pi/pi_ref) + (1-alpha) log(pi/pi°) = "
              "log(pi/pi_bar) - log Z (the same on F).", per_outcome,
              sp.log(PI.at("S", j) / bar.at("S", j)) - sp.log(Z), route=_KL, assumptions=(_POS, _SUMS)),
        _step("C_constant", "C = -log Z is constant in pi: its derivatives with respect to the weights "
              "x_S[j], x_F[k] of pi vanish.",
              sp.ImmutableMatrix([sp.Derivative(Cval, x_S[j]), sp.Derivative(Cval, x_F[k])]),
              sp.ImmutableMatrix([0, 0]), route=(DOIT,)),
        _step("statement", "Lemma 2: alpha KL(pi||pi_ref) + (1-alpha) KL(pi||pi°) = KL(pi||pi_bar) + C, "
              "C = -log sum pi_ref^alpha pi°^(1-alpha); SymPy reduces lhs - rhs to 0 on the general space "
              "(Sum linearity and factor extraction by SymPy; sum pi = 1 as in step normalisation).",
              alpha * KL_ref + (1 - alpha) * KL_prev, KL_bar + C, defs=defs, route=_KL,
              assumptions=(_POS, _SUMS, "alpha real (the package's alpha >= 0)")),
    ]
    hyp = [_HYP_SPACE, _HYP_WEIGHTS, "pi° = pi_{n-1} (any law of full support), alpha real"]
    return Derivation("general[lemma2]", "Lemma 2 on an arbitrary finite space", hyp, steps,
                      {"C": Cval, "Z": Z, "anchor": bar.vector()})


# ----------------------------------------------------------------------- eq. (18)
@lru_cache(maxsize=None)
def eq18() -> Derivation:
    r"""Eq. (18): the two-KL objective is the single-KL objective plus a constant.

    With an arbitrary real advantage ``A`` (indexed ``A_S``, ``A_F``; the paper's
    ``A = +omega_plus`` on S and ``-omega_minus`` on F is a special case),

    .. math:: J_2(\pi) = \mathbb E_\pi A - \beta\big[\alpha\,\mathrm{KL}(\pi\|\pi_{\mathrm{ref}})
              + (1-\alpha)\,\mathrm{KL}(\pi\|\pi_{n-1})\big]
              = J_1(\pi) + K,\qquad J_1(\pi) = \mathbb E_\pi A - \beta\,\mathrm{KL}(\pi\|\tilde\pi),

    with :math:`\tilde\pi\propto\pi_{\mathrm{ref}}^\alpha\pi_{n-1}^{1-\alpha}` and
    ``K = beta log Z = -beta C`` free of pi (its derivatives in the weights of pi
    vanish), so ``J_2`` and ``J_1`` have the same maximisers (logic: adding a constant
    does not move an argmax).  ``result``: ``K``.
    """
    bar = geometric(REF, PREV)
    Z = ssum(REF.S ** alpha * PREV.S ** (1 - alpha)) + fsum(REF.F ** alpha * PREV.F ** (1 - alpha))
    EA = ssum(PI.S * A_S[o]) + fsum(PI.F * A_F[o])
    Kval = beta * sp.log(Z)
    defs = {J_two: EA - beta * (alpha * kl(PI, REF) + (1 - alpha) * kl(PI, PREV)),
            J_one: EA - beta * kl(PI, bar), K_const: Kval}
    steps = [
        _step("K_constant", "K = beta log Z does not depend on pi: derivatives in x_S[j], x_F[k] vanish.",
              sp.ImmutableMatrix([sp.Derivative(Kval, x_S[j]), sp.Derivative(Kval, x_F[k])]),
              sp.ImmutableMatrix([0, 0]), route=(DOIT,)),
        _step("statement", "Eq. (18): J_two(pi) = J_one(pi) + K with K = beta log sum pi_ref^alpha "
              "pi_{n-1}^(1-alpha) free of pi, so both objectives have the same argmax; SymPy reduces "
              "J_two - J_one - K to 0 on the general space.",
              J_two, J_one + K_const, defs=defs, route=_KL, assumptions=(_POS, _SUMS, "A real, beta > 0")),
    ]
    hyp = [_HYP_SPACE, _HYP_WEIGHTS, "arbitrary real advantage A(o); alpha real, beta > 0"]
    return Derivation("general[eq18]", "Eq. (18) on an arbitrary finite space", hyp, steps,
                      {"K": Kval, "anchor": bar.vector()})


# ----------------------------------------------------------------------- Lemma 3
def _class_sum_steps(prev: Law, suffix=""):
    """``Sum_c pi_ref^a pi_{n-1}^(1-a) = m_ref^a m_prev^(1-a) B_c`` on each class."""
    wS = ssum(REF.S ** alpha * prev.S ** (1 - alpha))
    wF = fsum(REF.F ** alpha * prev.F ** (1 - alpha))
    d = {p_ref: pos(REF), p_prev: pos(prev), B_S: renyi_sum(REF, prev, "S"), B_F: renyi_sum(REF, prev, "F")}
    return [
        _step("success_class_sum" + suffix, "Factoring the class masses out of the success sum leaves the "
              "Renyi sum of the success-conditional laws: W_S = p_ref^alpha p_{n-1}^(1-alpha) B_S.",
              wS, p_ref ** alpha * p_prev ** (1 - alpha) * B_S, defs=d, route=_RATIO, assumptions=(_POS, _SUMS)),
        _step("failure_class_sum" + suffix, "Likewise W_F = (1-p_ref)^alpha (1-p_{n-1})^(1-alpha) B_F "
              "(1 - p is the failure mass; SymPy sees 1 - sum_S/total = sum_F/total).",
              wF, (1 - p_ref) ** alpha * (1 - p_prev) ** (1 - alpha) * B_F, defs=d,
              route=(inside(TOGETHER, "pow"),) + _RATIO, assumptions=(_POS, _SUMS)),
    ], wS, wF


@lru_cache(maxsize=None)
def lemma3() -> Derivation:
    r"""Lemma 3 (PoS of the geometric mean), for arbitrary :math:`\pi_{n-1}` of full support.

    .. math:: \operatorname{logit}\tilde p = \alpha\operatorname{logit}p_{\mathrm{ref}}
              + (1-\alpha)\operatorname{logit}p_{n-1}
              + (\alpha-1)\big(D_\alpha(p_{\mathrm{ref},S}\|p_{n-1,S})
              - D_\alpha(p_{\mathrm{ref},F}\|p_{n-1,F})\big),

    :math:`\tilde p = \sum_S\tilde\pi`, :math:`\tilde\pi\propto\pi_{\mathrm{ref}}^\alpha\pi_{n-1}^{1-\alpha}`,
    ``0 < alpha < 1``.  Route: class sums factor as ``W_c = m_ref^a m_prev^(1-a) B_c``
    (``B_c = e^{(a-1) D_c}``), and ``logit p~ = log W_S - log W_F``.
    ``result``: ``logit_p_tilde`` (the right-hand side).
    """
    bar = geometric(REF, PREV)
    cls, wS, wF = _class_sum_steps(PREV)
    rhs = alpha * logit(p_ref) + (1 - alpha) * logit(p_prev) + (alpha - 1) * (D_S - D_F)
    defs = {p_tilde: pos(bar), **_standard_defs()}
    steps = [
        _step("pos_class_sums", "The PoS of pi~ is p~ = W_S/(W_S + W_F): the normaliser of pi~ cancels.",
              pos(bar), W_S / (W_S + W_F), defs={W_S: wS, W_F: wF}, route=(SUM_CONST, TOGETHER, CANCEL),
              assumptions=(_SUMS,)),
        *cls,
        _step("statement", "Lemma 3: logit p~ = alpha logit p_ref + (1-alpha) logit p_{n-1} + (alpha-1)(D_S - D_F), "
              "D_c the Renyi divergence of order alpha of the class-conditional laws; SymPy reduces lhs - rhs "
              "to 0 on the general space.", logit(p_tilde), rhs, defs=defs, route=_LOGIT, domains=_ALPHA01,
              assumptions=(_POS, _SUMS, _A01)),
    ]
    hyp = [_HYP_SPACE, _HYP_WEIGHTS, "pi_{n-1} arbitrary of full support; 0 < alpha < 1"]
    return Derivation("general[lemma3]", "Lemma 3 on an arbitrary finite space", hyp, steps,
                      {"logit_p_tilde": rhs, "anchor": bar.vector()})


# ----------------------------------------------------------------------- Theorem 9
def _weights(norm: str):
    """``(omega_plus, omega_minus, Omega)`` at ``p_prev``; ``generic`` keeps the symbols."""
    if norm == "generic":
        return omega_plus, omega_minus, omega_plus + omega_minus
    if norm == "std":
        Om = (p_prev * (1 - p_prev) + eps) ** sp.Rational(-1, 2)
        return (1 - p_prev) * Om, p_prev * Om, Om
    if norm == "mean":
        return 1 - p_prev, p_prev, sp.Integer(1)
    raise ValueError(f"norm must be 'generic', 'std' or 'mean', got {norm!r}")


_STATEMENT_ID = {"generic": "thm9", "std": "table1-row5-recurrence", "mean": "table1-row6-recurrence"}


@lru_cache(maxsize=None)
def thm9(norm: str = "generic") -> Derivation:
    r"""Theorem 9 (eq. (23)) and the Table 1 rows 5-6 recurrences, for arbitrary :math:`\pi_{n-1}`.

    :math:`\pi_n \propto \tilde\pi\,e^{A/\beta}`, ``A = +omega_plus`` on S and ``-omega_minus``
    on F, :math:`\tilde\pi\propto\pi_{\mathrm{ref}}^\alpha\pi_{n-1}^{1-\alpha}`, ``0 < alpha < 1``:

    .. math:: \operatorname{logit}p_n = \alpha\operatorname{logit}p_{\mathrm{ref}}
              + (1-\alpha)\operatorname{logit}p_{n-1} + \underbrace{(1-\alpha)(D_F - D_S)}_{\Delta_R}
              + \frac{\Omega}{\beta}.

    ``norm``: ``"generic"`` (any positive ``omega_plus, omega_minus``, ``Omega = omega_plus +
    omega_minus``; statement ``thm9``), ``"std"`` (``omega_plus = (1-p)Omega_eps(p)``,
    ``omega_minus = p Omega_eps(p)`` at ``p = p_{n-1}``, ``Omega_eps = (p(1-p)+eps)^(-1/2)``;
    ``table1-row5-recurrence``) or ``"mean"`` (``omega_plus = 1-p``, ``omega_minus = p``,
    ``Omega = 1``; ``table1-row6-recurrence``).  In the two normalised variants ``p_{n-1}``
    inside the weights is the same PoS ``sum_S pi_{n-1}`` (one definition).
    ``result``: ``logit_recurrence``, ``Omega``.
    """
    wp, wm, Om = _weights(norm)
    bar = geometric(REF, PREV)
    new = exp_tilt(bar, wp, wm)
    std = _standard_defs()
    shift = _step("tilt_shift", "Thm 8 with anchor pi~: tilting S by exp(omega_plus/beta) and F by "
                  "exp(-omega_minus/beta) adds (omega_plus + omega_minus)/beta to the log-odds.",
                  logit(p_n), logit(p_tilde) + (wp + wm) / beta, defs={p_n: pos(new), p_tilde: pos(bar), **std},
                  route=_LOGIT, assumptions=(_POS, _SUMS))
    steps = [shift]
    if norm != "generic":
        steps.append(_step("weights_sum", f"For the {norm} weights omega_plus + omega_minus = Omega(p_(n-1)).",
                           wp + wm, Om, route=(EXPAND, TOGETHER, CANCEL)))
    rec = alpha * logit(p_ref) + (1 - alpha) * logit(p_prev) + Delta_R + Om / beta
    defs = {p_n: pos(new), Delta_R: (1 - alpha) * (D_F - D_S), **std}
    label = {"generic": "Omega = omega_plus + omega_minus", "std": "Omega_eps(p_(n-1))",
             "mean": "Omega = 1"}[norm]
    steps.append(_step("statement", f"Theorem 9 ({_STATEMENT_ID[norm]}): logit p_n = alpha logit p_ref + (1-alpha) "
                       f"logit p_(n-1) + Delta_R + Omega/beta with Delta_R = (1-alpha)(D_F - D_S), {label}; "
                       "SymPy reduces lhs - rhs to 0 on the general space for arbitrary pi_(n-1).",
                       logit(p_n), rec, defs=defs, route=_LOGIT, domains=_ALPHA01,
                       assumptions=(_POS, _SUMS, _A01, "beta > 0") + (("eps >= 0",) if norm == "std" else ())))
    hyp = [_HYP_SPACE, _HYP_WEIGHTS, "pi_{n-1} arbitrary of full support; 0 < alpha < 1; beta > 0",
           f"pi_n = pi~ exp(A/beta)/Z (Thm 8 with the anchor pi~ of eq. (18)); weights: {norm}"]
    return Derivation(f"general[{_STATEMENT_ID[norm]}]", f"Theorem 9 on an arbitrary finite space ({norm} weights)",
                      hyp, steps, {"logit_recurrence": rec.xreplace({Delta_R: (1 - alpha) * (D_F - D_S)}),
                                   "Omega": Om})


# -------------------------------------------------------------- recursion from pi_ref
@lru_cache(maxsize=None)
def thm9_recursion() -> Derivation:
    r"""The display after Theorem 9 (repaired), along the iteration from :math:`\pi_0 = \pi_{\mathrm{ref}}`.

    Induction hypothesis: :math:`\pi_{n-1}(o) = \pi_{\mathrm{ref}}(o)\tau_{r(o)}/N` (a reward-only
    tilt, ``tau_S, tau_F > 0`` free, ``N = sum pi_ref tau``); at ``n - 1 = 0`` it holds with
    ``tau = 1`` (step ``base_case``).  Then the conditional laws of :math:`\pi_{n-1}` are
    those of :math:`\pi_{\mathrm{ref}}`, ``D_S = D_F = 0`` (``sum P^a P^(1-a) = sum P = 1``),
    and the next iterate :math:`\pi_n\propto\pi_{\mathrm{ref}}^\alpha\pi_{n-1}^{1-\alpha}e^{A/\beta}`
    is again a tilt, with ``tau'_S = tau_S^(1-a) e^{omega_plus/beta}``, ``tau'_F =
    tau_F^(1-a) e^{-omega_minus/beta}`` (step ``inductive_step``).  Last step:

    .. math:: L_n - L_{\mathrm{ref}} = (1-\alpha)(L_{n-1} - L_{\mathrm{ref}}) + \Omega(p_{n-1})/\beta,

    ``Omega = omega_plus + omega_minus`` for any positive weights (constant in ``o``; the std
    and mean weights evaluated at ``p_{n-1}`` are special cases).  The step ``general_display``
    is the audit's repaired display for arbitrary ``pi_{n-1}`` (with the Renyi term).
    """
    prev = tilt(REF, tau_S, tau_F)
    ref_again = tilt(REF, sp.Integer(1), sp.Integer(1))
    W = Law(REF.S ** alpha * prev.S ** (1 - alpha) * sp.exp(omega_plus / beta),
            REF.F ** alpha * prev.F ** (1 - alpha) * sp.exp(-omega_minus / beta))
    new = normalised(W.S, W.F)
    tS_next = tau_S ** (1 - alpha) * sp.exp(omega_plus / beta)
    tF_next = tau_F ** (1 - alpha) * sp.exp(-omega_minus / beta)
    nxt = tilt(REF, tS_next, tF_next)
    Om = omega_plus + omega_minus
    arb_new = exp_tilt(geometric(REF, PREV))
    renyi_route = (SUM_CONST, SUM_POWSIMP, SUM_CONST, inside(TOGETHER, "log"), CANCEL)
    steps = [
        _step("base_case", "n - 1 = 0: pi_0 = pi_ref is the tilt with tau_S = tau_F = 1 (uses sum pi_ref = 1, "
              "proved by SymPy).", ref_again.vector(), REF.vector(), route=_RATIO, assumptions=(_SUMS,)),
        _step("conditional_laws", "A tilt keeps pi_ref's conditional laws: pi_{n-1}(j)/p_{n-1} = "
              "pi_ref(j)/p_ref on S, and the same on F.",
              sp.ImmutableMatrix([prev.cond("S").subs(o, j), prev.cond("F").subs(o, k)]),
              sp.ImmutableMatrix([REF.cond("S").subs(o, j), REF.cond("F").subs(o, k)]),
              route=_RATIO, assumptions=(_POS, _SUMS)),
        _step("renyi_vanishes", "Hence D_S = D_F = 0: D_alpha(P||P) = log(sum P^alpha P^(1-alpha))/(alpha-1) = "
              "log(sum P)/(alpha-1) = 0.", sp.ImmutableMatrix([renyi(REF, prev, "S"), renyi(REF, prev, "F")]),
              sp.ImmutableMatrix([0, 0]), route=renyi_route, domains=_ALPHA01, assumptions=(_POS, _SUMS, _A01)),
        _step("inductive_step", "Inductive step: pi_n = pi_ref^alpha pi_{n-1}^(1-alpha) e^(A/beta) / Z is again a "
              "reward-only tilt of pi_ref, with tau'_S = tau_S^(1-alpha) e^(omega_plus/beta), tau'_F = "
              "tau_F^(1-alpha) e^(-omega_minus/beta).", new.vector(), nxt.vector(), route=_TILT,
              assumptions=(_POS, _SUMS)),
        _step("general_display", "For arbitrary pi_{n-1} (audit's repaired display): L_n - L_ref = (1-alpha)"
              "(L_{n-1} - L_ref) + (1-alpha)(D_F - D_S) + (omega_plus + omega_minus)/beta.",
              L_n - L_ref, (1 - alpha) * (L_prev - L_ref) + (1 - alpha) * (D_F - D_S) + Om / beta,
              defs={L_n: logit(pos(arb_new)), **_standard_defs()}, route=_LOGIT, domains=_ALPHA01,
              assumptions=(_POS, _SUMS, _A01)),
        _step("statement", "Repaired display after Thm 9, along the iteration (pi_{n-1} a tilt of pi_ref, so "
              "D_S = D_F = 0): L_n - L_ref = (1-alpha)(L_{n-1} - L_ref) + Omega(p_{n-1})/beta; SymPy reduces "
              "lhs - rhs to 0 on the general space with tau_S, tau_F free.",
              L_n - L_ref, (1 - alpha) * (L_prev - L_ref) + Om / beta,
              defs={L_n: logit(pos(new)), L_prev: logit(pos(prev)), L_ref: logit(pos(REF))}, route=_LOGIT,
              assumptions=(_POS, _SUMS, "alpha real, beta > 0")),
    ]
    hyp = [_HYP_SPACE, _HYP_WEIGHTS, "pi_0 = pi_ref; pi_{n-1} = pi_ref tau_{r(o)} / N (induction hypothesis)",
           "pi_n proportional to pi_ref^alpha pi_{n-1}^(1-alpha) exp(A/beta), A = +omega_plus on S, -omega_minus on F",
           "the induction principle itself is logic; base case and inductive step are SymPy-checked"]
    return Derivation("general[thm9-recursion]", "Recursion after Theorem 9 (repaired) on an arbitrary finite space",
                      hyp, steps, {"logit_recurrence": alpha * L_ref + (1 - alpha) * L_prev + Om / beta,
                                   "tilt": sp.ImmutableMatrix([tS_next, tF_next])})


# ----------------------------------------------------------------- amplification
def _consistent(subs: dict) -> dict:
    """Apply the substitutions to each other's values (so one ``xreplace`` is consistent)."""
    out = dict(subs)
    for key in list(out):
        rest = {k2: v for k2, v in out.items() if k2 != key}
        out[key] = out[key].xreplace(rest)
    return out


@lru_cache(maxsize=None)
def thm9_amplification() -> Derivation:
    r"""The amplification argument closing App. E, for arbitrary :math:`\pi_{n-1}`.

    Hypotheses (the paper's): ``D_S <= D_F``, written ``D_F = D_S + delta`` with ``delta >= 0``
    a nonnegative symbol; positive weights (so ``Omega = omega_plus + omega_minus > 0``);
    ``0 < alpha < 1``, written ``alpha = 1 - kappa`` with ``kappa > 0``.

    * ``one_step_bound``: :math:`L_n - L_{\mathrm{ref}} \ge (1-\alpha)(L_{n-1} - L_{\mathrm{ref}})`;
      SymPy reduces the difference to ``kappa delta + Omega/beta`` and its assumption system
      proves it nonnegative.
    * ``base_case``: :math:`e_0 = L_0 - L_{\mathrm{ref}} = 0` (``pi_0 = pi_ref``).
    * ``statement`` (inductive step): if :math:`e_{n-1} = L_{n-1} - L_{\mathrm{ref}} = \eta \ge 0`
      then :math:`e_n = L_n - L_{\mathrm{ref}} \ge 0` (the difference reduces to
      ``kappa (eta + delta) + Omega/beta``).  Base and step are SymPy; the induction
      principle that turns them into ``e_n >= 0`` for all ``n`` is logic.

    Here ``p_n = sum_S pi_n`` with ``pi_n = W / sum W``, ``W = pi_ref^alpha pi_{n-1}^(1-alpha)
    e^{A/beta}`` (the same law as ``pi~ e^{A/beta}/Z_n``: step ``anchor_cancels``).

    **Hypotheses substituted (not proved).**  The hypothesis ``D_F = D_S + delta`` enters as the
    substitution of the failure class sum ``sum_F W = e^{-omega_minus/beta} sum_F pi_ref^alpha
    pi_{n-1}^(1-alpha)`` by ``e^{-omega_minus/beta} (1-p_ref)^alpha (1-p_{n-1})^(1-alpha) B_S
    e^{(alpha-1) delta}`` (``B_S = e^{(alpha-1) D_S}``); this is ``sum_F pi_ref^alpha pi_{n-1}^(1-alpha) =
    (1-p_ref)^alpha (1-p_{n-1})^(1-alpha) e^{(alpha-1) D_F}`` (step ``failure_class_sum``, proved)
    with ``D_F = D_S + delta``.  The induction hypothesis
    ``L_{n-1} - L_ref = eta`` enters as a parametrisation of the laws that satisfy it: the success
    weights of pi_{n-1} are rescaled, ``q_S[o] -> q_S[o] e^eta R_S Q_F / (R_F Q_S)`` (``R_c``,
    ``Q_c`` the class sums of the weights of pi_ref and pi_{n-1}); the factor is constant in
    ``o``, so the conditional laws (and the Renyi terms) are unchanged, and the new success odds
    are ``e^eta R_S/R_F``, i.e. ``logit p_{n-1} = logit p_ref + eta``.  Every law with
    ``L_{n-1} - L_ref = eta`` is of this form.
    """
    ep, em = sp.exp(omega_plus / beta), sp.exp(-omega_minus / beta)
    # pi_n = W / sum W with W = pi_ref^alpha pi_{n-1}^(1-alpha) e^(A/beta) (pi~'s normaliser cancels)
    W = Law(REF.S ** alpha * PREV.S ** (1 - alpha) * ep, REF.F ** alpha * PREV.F ** (1 - alpha) * em)
    new = normalised(W.S, W.F)
    std = _standard_defs()
    Om = omega_plus + omega_minus
    cls, _, _ = _class_sum_steps(PREV)
    # hypothesis D_F = D_S + delta, as a substitution of the failure class sum of W
    WF_ = W.mass("F")
    mF_ref, mF_prev = REF.mass("F"), PREV.mass("F")
    WF_hyp = em * mF_ref ** alpha * mF_prev ** (1 - alpha) * renyi_sum(REF, PREV, "S") * sp.exp((alpha - 1) * delta)
    hyp_delta = {WF_: WF_hyp}
    RS, RF = ssum(r_S[o]), fsum(r_F[o])
    QS, QF = ssum(q_S[o]), fsum(q_F[o])
    hyp_eta = {q_S[o]: q_S[o] * sp.exp(eta) * RS * QF / (RF * QS)}
    to_kappa = {alpha: 1 - kappa}
    sub1 = _consistent({**hyp_delta, **to_kappa})
    sub2 = _consistent({**hyp_delta, **hyp_eta, **to_kappa})
    dom = {kappa: interval(0, 1, (False, False))}
    Lmap = {L_n: logit(pos(new)), **std}
    steps = [
        _step("anchor_cancels", "pi_n = pi~ e^(A/beta) / Z_n is the normalised W = pi_ref^alpha pi_{n-1}^(1-alpha) "
              "e^(A/beta): the normaliser of pi~ cancels (checked at a generic success j and failure k).",
              exp_tilt(geometric(REF, PREV)).vector(), new.vector(), route=_RATIO, assumptions=(_POS, _SUMS)),
        *cls,
        _step("identity", "Thm 9 rearranged: L_n - L_ref - (1-alpha)(L_{n-1} - L_ref) = (1-alpha)(D_F - D_S) + "
              "Omega/beta, Omega = omega_plus + omega_minus.", L_n - L_ref - (1 - alpha) * (L_prev - L_ref),
              (1 - alpha) * (D_F - D_S) + Om / beta, defs=Lmap, route=_LOGIT, domains=_ALPHA01,
              assumptions=(_POS, _SUMS, _A01)),
        _step("one_step_bound", "Under D_F = D_S + delta (delta >= 0, hypothesis substituted into sum_F W) and "
              "alpha = 1 - kappa: L_n - L_ref >= (1-alpha)(L_{n-1} - L_ref); the difference reduces to "
              "kappa delta + Omega/beta, nonnegative by SymPy's assumptions.",
              L_n - L_ref, (1 - alpha) * (L_prev - L_ref), ">=", defs=Lmap, subs=sub1, route=_LOGIT, domains=dom,
              assumptions=(_POS, _SUMS, "hypothesis D_S <= D_F: sum_F W = e^(-omega_minus/beta) (1-p_ref)^alpha "
                           "(1-p_{n-1})^(1-alpha) B_S e^((alpha-1) delta), delta >= 0 (step failure_class_sum "
                           "times e^(-omega_minus/beta), with D_F = D_S + delta)",
                           "0 < alpha < 1 as alpha = 1 - kappa, kappa > 0", "omega_plus, omega_minus, beta > 0")),
        _step("base_case", "Base: pi_0 = pi_ref, so e_0 = L_0 - L_ref = 0.", L_0 - L_ref, 0,
              defs={L_0: logit(pos(REF)), L_ref: logit(p_ref), p_ref: pos(REF)}, route=(TOGETHER, CANCEL)),
        _step("propagation", "Scalar form of the step: e_{n-1} >= 0 and 1 - alpha = kappa > 0 give "
              "(1-alpha) e_{n-1} >= 0.", (1 - alpha) * e_prev, 0, ">=", subs=to_kappa, route=(EXPAND,),
              domains=dom, assumptions=("e_{n-1} >= 0", "kappa = 1 - alpha > 0")),
        _step("statement", "Inductive step on the general space: if e_{n-1} = L_{n-1} - L_ref = eta >= 0 and "
              "D_F - D_S = delta >= 0, then e_n = L_n - L_ref >= (1-alpha) e_{n-1} >= 0 (the difference "
              "reduces to kappa(eta + delta) + Omega/beta). With base_case, the induction principle (logic, "
              "not SymPy) gives L_n >= L_ref for all n: the PoS is amplified.",
              L_n - L_ref, 0, ">=", defs=Lmap, subs=sub2, route=_LOGIT, domains=dom,
              assumptions=(_POS, _SUMS, "hypothesis D_S <= D_F as in one_step_bound",
                           "induction hypothesis e_{n-1} = eta >= 0: q_S[o] -> q_S[o] e^eta R_S Q_F/(R_F Q_S)",
                           "0 < alpha < 1 as alpha = 1 - kappa, kappa > 0")),
    ]
    hyp = [_HYP_SPACE, _HYP_WEIGHTS, "pi_{n-1} arbitrary of full support with D_S <= D_F (delta = D_F - D_S >= 0)",
           "0 < alpha < 1 (alpha = 1 - kappa), beta > 0, omega_plus, omega_minus > 0 (Omega > 0)",
           "pi_0 = pi_ref; the induction principle is logic"]
    return Derivation("general[thm9-amplification]", "Amplification argument after Theorem 9, arbitrary finite space",
                      hyp, steps, {"gap": kappa * delta + Om / beta,
                                   "gap_induction": kappa * (eta + delta) + Om / beta,
                                   "hypothesis_delta": sp.Tuple(WF_, WF_hyp),
                                   "hypothesis_eta": sp.Tuple(q_S[o], hyp_eta[q_S[o]])})


# ------------------------------------------------------------------- row-6 contraction
@lru_cache(maxsize=None)
def row6_contraction() -> Derivation:
    r"""Table 1 row 6: the mean-only two-KL map is a contraction in log-odds with rate ``1 - alpha``.

    Along the iteration from ``pi_0 = pi_ref`` (:func:`thm9_recursion`: ``D_S = D_F = 0``), with the
    mean-only weights ``omega_plus = 1 - p_{n-1}``, ``omega_minus = p_{n-1}`` (``Omega = 1``),
    ``logit p_n = g(L_{n-1})`` with

    .. math:: g(L) = \alpha L_{\mathrm{ref}} + (1-\alpha) L + 1/\beta,\qquad
              g(L) - g(L') - (1-\alpha)(L - L') = 0,

    so ``|g(L) - g(L')| = (1-alpha)|L - L'|`` with ``1 - alpha < 1`` for ``alpha in (0, 1]``.
    """
    prev = tilt(REF, tau_S, tau_F)
    wp, wm = 1 - p_prev, p_prev
    W = Law(REF.S ** alpha * prev.S ** (1 - alpha) * sp.exp(wp / beta),
            REF.F ** alpha * prev.F ** (1 - alpha) * sp.exp(-wm / beta))
    new = normalised(W.S, W.F)

    def g(x):
        return alpha * L_ref + (1 - alpha) * x + 1 / beta

    steps = [
        _step("row6_map", "Along the iteration (pi_{n-1} a tilt of pi_ref, D_S = D_F = 0) with the mean-only "
              "weights at p_{n-1}: logit p_n = g(L_{n-1}) = alpha L_ref + (1-alpha) L_{n-1} + 1/beta.",
              logit(p_n), g(L_prev), defs={p_n: pos(new), p_prev: pos(prev), L_prev: logit(p_prev),
                                           L_ref: logit(pos(REF))},
              route=_LOGIT, assumptions=(_POS, _SUMS, "beta > 0")),
        _step("lipschitz", "|g(L) - g(L')| = (1-alpha)|L - L'| for alpha in (0, 1] (alpha = 1 - kappa0, "
              "kappa0 >= 0).", sp.Abs(g(L) - g(L_prime)), (1 - alpha) * sp.Abs(L - L_prime),
              subs={alpha: 1 - kappa0}, route=(inside(FACTOR, "abs"), EXPAND),
              assumptions=("alpha in (0, 1] as alpha = 1 - kappa0, kappa0 >= 0",)),
        _step("rate_below_one", "The rate 1 - alpha is < 1 for alpha > 0.", 1 - alpha, 1, "<",
              subs={alpha: alpha_pos}, route=(EXPAND,), assumptions=("alpha > 0",)),
        _step("statement", "Table 1 row 6: g(L) - g(L') - (1-alpha)(L - L') = 0, a contraction in log-odds with "
              "rate 1 - alpha (alpha in (0, 1]).", g(L) - g(L_prime), (1 - alpha) * (L - L_prime),
              route=(EXPAND,)),
    ]
    hyp = [_HYP_SPACE, _HYP_WEIGHTS, "pi_0 = pi_ref, mean-only weights (row 6), D_S = D_F = 0 along the iteration "
           "(thm9-recursion)", "alpha in (0, 1], beta > 0"]
    return Derivation("general[table1-row6-contraction]", "Row 6: contraction of the mean-only two-KL map",
                      hyp, steps, {"g": g(L), "rate": 1 - alpha})


# ---------------------------------------------------------------------------- index
#: the statement ids of STATEMENTS.md covered here, in the order of :func:`general_derivations`
STATEMENT_IDS = ("lemma2", "eq18", "lemma3", "thm9", "table1-row5-recurrence", "table1-row6-recurrence",
                 "thm9-recursion", "thm9-amplification", "table1-row6-contraction")


def general_derivations() -> dict:
    """Statement id -> derivation (each derivation's last step, ``statement``, is the statement)."""
    return {
        "lemma2": lemma2(),
        "eq18": eq18(),
        "lemma3": lemma3(),
        "thm9": thm9("generic"),
        "table1-row5-recurrence": thm9("std"),
        "table1-row6-recurrence": thm9("mean"),
        "thm9-recursion": thm9_recursion(),
        "thm9-amplification": thm9_amplification(),
        "table1-row6-contraction": row6_contraction(),
    }
