r"""Two-KL (alpha-mixed) statements: the geometric anchor, Renyi terms, the tilt family.

The general statements (Lemma 3, Thm 9 with either weights, the recursion along the
iteration from pi_0 = pi_ref) are proved by the derivations of
:mod:`grpo_symbolic.symbolic.general_space`, on an arbitrary finite outcome space (class
sizes n_S, n_F symbolic, class sums as SymPy ``Sum``): the last step of each is the
statement itself.  The termwise chain :func:`anchor_logit_chain` and the concrete
4-outcome space :func:`concrete_space` remain for the checks of the paper's printed
proofs (lemma3-proof, appe-defs, the printed display after Thm 9).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ...symbolic import general_space as gs
from ...symbolic.derivation import Derivation
from ...verify.checks import chain, derivation, identity
from ...verify.domains import positive, prob
from ...verify.verdict import Result, fresh
from ._common import V_alpha, alpha, logit, p_prev, p_ref
from ._policy import F, S

A_o, C_o = sp.symbols("a_o c_o", positive=True)  # conditional probabilities of one outcome
m_ref, m_prev = sp.symbols("m_ref m_prev", positive=True)  # class masses (p or 1 - p)
W_S, W_F, X_S, X_F = sp.symbols("W_S W_F X_S X_F", positive=True)
q_ref, q_prev = sp.symbols("q_ref q_prev", positive=True)  # 1 - p_ref, 1 - p_prev

V_GEN = [prob(A_o), prob(C_o), prob(m_ref), prob(m_prev), V_alpha]


def renyi(P, Q, a=alpha):
    """D_a(P||Q) = 1/(a-1) log sum P^a Q^(1-a)."""
    return sp.log(sum(pp ** a * qq ** (1 - a) for pp, qq in zip(P, Q))) / (a - 1)


@lru_cache(maxsize=None)
def anchor_logit_chain() -> Result:
    """logit p~ = alpha L_ref + (1-alpha) L_prev + (alpha-1)(D_S - D_F), p~ the PoS of
    pi~ ∝ pi_ref^alpha pi_{n-1}^(1-alpha), for arbitrary pi_{n-1}."""
    Vs = [positive(W_S), positive(W_F), positive(X_S), positive(X_F), prob(p_ref), prob(p_prev), V_alpha]
    steps = [
        ("termwise split of the powers on a class",
         (m_ref * A_o) ** alpha * (m_prev * C_o) ** (1 - alpha),
         m_ref ** alpha * m_prev ** (1 - alpha) * A_o ** alpha * C_o ** (1 - alpha)),
        ("odds of the anchor = W_S / W_F", (W_S / (W_S + W_F)) / (1 - W_S / (W_S + W_F)), W_S / W_F),
        ("log of the class sums",
         sp.log((p_ref ** alpha * p_prev ** (1 - alpha) * X_S) / ((1 - p_ref) ** alpha * (1 - p_prev) ** (1 - alpha) * X_F)),
         alpha * logit(p_ref) + (1 - alpha) * logit(p_prev) + sp.log(X_S) - sp.log(X_F)),
        ("definition of the Renyi divergence", sp.log(X_S), (alpha - 1) * (sp.log(X_S) / (alpha - 1))),
    ]
    return chain(steps, V_GEN + Vs, name="Lemma 3 chain")


@lru_cache(maxsize=None)
def concrete_space():
    """A concrete space (4 outcomes, S = {0, 1}) with class masses and conditional laws."""
    a = sp.symbols("ka0:2", positive=True)
    b = sp.symbols("kb0:2", positive=True)
    c = sp.symbols("kc0:2", positive=True)
    d = sp.symbols("kd0:2", positive=True)
    ref = [p_ref * a[0] / sum(a), p_ref * a[1] / sum(a), (1 - p_ref) * b[0] / sum(b), (1 - p_ref) * b[1] / sum(b)]
    prev = [p_prev * c[0] / sum(c), p_prev * c[1] / sum(c), (1 - p_prev) * d[0] / sum(d), (1 - p_prev) * d[1] / sum(d)]
    cond = lambda x, idx: [x[o] / sum(x[i] for i in idx) for o in idx]  # noqa: E731
    DS = renyi(cond(ref, S), cond(prev, S))
    DF = renyi(cond(ref, F), cond(prev, F))
    V = [positive(s, instance="a 4-outcome space, S = {0, 1}, with class masses and conditional laws") for s in a + b + c + d] + \
        [prob(p_ref), prob(p_prev), V_alpha]
    return ref, prev, DS, DF, V


GENERAL = "any finite outcome space: n_S success and n_F failure outcomes, n_S and n_F symbolic"
_ALONG = "; pi_(n-1) a reward-only tilt of pi_ref (every iterate from pi_0 = pi_ref, by induction)"


@lru_cache(maxsize=None)
def lemma3_result() -> Result:
    """Lemma 3 proved on an arbitrary finite space (:func:`~grpo_symbolic.symbolic.general_space.lemma3`)."""
    return derivation(gs.lemma3(), GENERAL)


@lru_cache(maxsize=None)
def thm9_result(kind="std") -> Result:
    """Thm 9 (eq. (23)) with the ``kind`` weights, proved on an arbitrary finite space."""
    return derivation(gs.thm9(kind), f"{GENERAL}; {kind} weights")


@lru_cache(maxsize=None)
def tilt_induction(kind="std") -> Result:
    """From pi_0 = pi_ref every iterate is a reward-only tilt of pi_ref, so D_S = D_F = 0 and
    L_n - L_ref = (1-alpha)(L_(n-1) - L_ref) + Omega(p_(n-1))/beta (any positive weights, so
    both normalisations: ``kind`` is kept for the callers' readability)."""
    out = derivation(gs.thm9_recursion(), GENERAL + _ALONG)
    return fresh(out, summary="from pi_0 = pi_ref every iterate is pi_ref tilted on S and on F, so the Renyi "
                              "correction vanishes: L_n = alpha L_ref + (1-alpha) L_{n-1} + Omega(p_{n-1})/beta "
                              f"({kind} weights; proved on an arbitrary finite space)")


@lru_cache(maxsize=None)
def general_display_result() -> Result:
    """The repaired display after Thm 9 for arbitrary pi_(n-1) (with the Renyi term): the
    derivation of :func:`~grpo_symbolic.symbolic.general_space.thm9_recursion` up to its
    step ``general_display``, which is then the last step."""
    d = gs.thm9_recursion()
    upto = [s for s in d.steps[: [s.name for s in d.steps].index("general_display") + 1]]
    sub = Derivation(d.name + "[general_display]", "Repaired display after Theorem 9, arbitrary pi_(n-1)",
                     d.hypotheses, upto, {})
    return derivation(sub, GENERAL, statement_step="general_display")
