r"""Optimality certificates for policies on a finite outcome space (K = 4, S = {0, 1}).

The objective (one prompt) is

.. math:: J(\pi) = \sum_o \pi_o A_o - \beta_{ref}\,KL(\pi\|\pi_{ref}) - \beta_{mir}\,KL(\pi\|\pi_{prev})

over the simplex.  Its maximiser is *derived* once, by
:func:`grpo_symbolic.symbolic.policy.optimal_policy` (what ``grpo-symbolic derive`` prints):
SymPy solves the Lagrange stationarity condition, imposes the normalisation, and shows the
Hessian :math:`\mathrm{diag}(-\beta/\pi_o)` is negative, so J is strictly concave and the
stationary point is the unique maximiser.  A candidate printed in the paper is then
certified by comparing it with the derived maximiser outcome by outcome; no formula of the
paper is used to produce the maximiser, only to state it.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ...verify.checks import identity
from ...verify.domains import positive
from ...verify.verdict import Part, Result, combine
from ._common import V_alpha, V_beta, V_eps, alpha, beta, eps, w_minus, w_plus

K, S = 4, (0, 1)
SPACE = "a finite outcome space with K = 4 outcomes, S = {0, 1}, symbolic probabilities"
F = tuple(o for o in range(K) if o not in S)
ra = sp.symbols("r0:4", positive=True)  # pi_ref weights
qa = sp.symbols("q0:4", positive=True)  # pi_{n-1} weights
REF = [v / sum(ra) for v in ra]
PREV = [v / sum(qa) for v in qa]
P_REF = sum(REF[o] for o in S)
P_PREV = sum(PREV[o] for o in S)
V_SPACE = [positive(v, instance=SPACE) for v in ra + qa]


def advantages(p_prev, kind="std"):
    if kind == "mean":
        wp, wm = 1 - p_prev, p_prev
    else:
        wp, wm = w_plus(p_prev), w_minus(p_prev)
    return [wp if o in S else -wm for o in range(K)], wp, wm


def _split_kl(b_ref, b_mir):
    """(alpha, beta) with b_ref = alpha beta and b_mir = (1 - alpha) beta."""
    if b_mir == 0:
        return sp.Integer(1), b_ref
    if b_ref == 0:
        return sp.Integer(0), b_mir
    return sp.simplify(b_ref / (b_ref + b_mir)), sp.simplify(b_ref + b_mir)


@lru_cache(maxsize=None)
def _maximiser(a_key) -> tuple:
    """The maximiser derived by ``grpo-symbolic derive`` (Lagrangian stationarity solved by
    SymPy, normalisation, strictly negative Hessian) and its verdict."""
    from ...symbolic.policy import optimal_policy
    from ...verify.checks import derivation

    d = optimal_policy("std", "symbolic" if a_key == "alpha" else int(a_key))
    return d, derivation(d, SPACE, statement_step=None)


def _weights_of(law):
    return ra if law is REF else qa if law is PREV else law


def derived_policy(a, b_tot, A, ref=REF, prev=PREV) -> list:
    """The derived maximiser in the audit's symbols: anchors ``ref``/``prev``, mixing ``a``,
    total KL weight ``b_tot``, advantages ``A`` (+w+ on S, -w- on F)."""
    from ...symbolic import symbols as S_
    from ...symbolic.finite_space import FiniteSpace

    key = "alpha" if a not in (0, 1) else str(a)
    d, _ = _maximiser(key)
    fs = FiniteSpace()
    sub = {**dict(zip(fs.a, _weights_of(ref))), **dict(zip(fs.b, _weights_of(prev))),
           S_.omega_plus: A[S[0]], S_.omega_minus: -A[F[0]], S_.alpha: a, S_.beta: b_tot}
    return [e.xreplace(sub) for e in d.result["pi_n"]]


def optimality(candidate, A, b_ref, b_mir, variables, name, ref=REF, prev=PREV) -> Result:
    """Certificate that ``candidate`` maximises J: the maximiser that ``grpo-symbolic derive``
    obtains (stationary point of the Lagrangian, solved by SymPy; J strictly concave) is
    proved on the same finite space, and ``candidate`` equals it outcome by outcome."""
    a, b_tot = _split_kl(b_ref, b_mir)
    _, der = _maximiser("alpha" if a not in (0, 1) else str(a))
    derived = derived_policy(a, b_tot, A, ref, prev)
    parts = [Part("maximiser", "the derived stationary point is the unique maximiser (J strictly concave)", der)]
    parts += [Part(f"outcome {o}", f"pi*_{o} equals the derived maximiser",
                   identity(candidate[o], derived[o], variables, name=f"{name}: pi*_{o} = derived maximiser"))
              for o in range(K)]
    return combine(parts, reading=f"on {SPACE}")


def mixed_candidate(A, a=alpha, ref=REF, prev=PREV):
    """pi ∝ ref^a prev^(1-a) exp(A/beta) (the candidate whose optimality is checked)."""
    w = [ref[o] ** a * prev[o] ** (1 - a) * sp.exp(A[o] / beta) for o in range(K)]
    Z = sum(w)
    return [wo / Z for wo in w]


def success_mass(pi):
    return sum(pi[o] for o in S)


@lru_cache(maxsize=None)
def general_optimum(kind="std", a_key="alpha"):
    """(candidate, optimality Result) for the general objective with weight alpha."""
    A, _, _ = advantages(P_PREV, kind)
    a = {"alpha": alpha, "1": sp.Integer(1), "0": sp.Integer(0)}[a_key]
    cand = mixed_candidate(A, a)
    variables = V_SPACE + [V_beta] + ([V_eps] if kind == "std" else []) + ([V_alpha] if a_key == "alpha" else [])
    res = optimality(cand, A, a * beta, (1 - a) * beta, variables, name=f"optimum ({kind}, alpha={a_key})")
    return cand, res
