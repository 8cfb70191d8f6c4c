r"""Optimality certificates for policies on a finite outcome space.

The objective (one prompt) is

.. math:: J(\pi) = \sum_o \pi_o A_o - \beta_{ref}\,KL(\pi\|\pi_{ref}) - \beta_{mir}\,KL(\pi\|\pi_{prev})

over the simplex.  A candidate :math:`\pi^*` is *the* maximiser iff it is a
probability vector, the partial derivatives :math:`\partial J/\partial\pi_o` are
equal for all outcomes at :math:`\pi^*` (Lagrange stationarity; all
:math:`\pi^*_o > 0`, so no inequality constraint is active), and J is strictly
concave: its Hessian is :math:`\mathrm{diag}(-(\beta_{ref}+\beta_{mir})/\pi_o)`.
SymPy checks each of these; no formula of the paper is used to produce the
candidate's value, only to state it.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ...verify.checks import identity
from ...verify.domains import positive
from ...verify.verdict import Part, Result, combine, symbolic
from ._common import V_alpha, V_beta, V_eps, alpha, beta, eps, w_minus, w_plus

K, S = 4, (0, 1)
F = tuple(o for o in range(K) if o not in S)
ra = sp.symbols("r0:4", positive=True)  # pi_ref weights
qa = sp.symbols("q0:4", positive=True)  # pi_{n-1} weights
REF = [v / sum(ra) for v in ra]
PREV = [v / sum(qa) for v in qa]
P_REF = sum(REF[o] for o in S)
P_PREV = sum(PREV[o] for o in S)
V_SPACE = [positive(v) for v in ra + qa]
z = sp.symbols("z0:4", positive=True)  # generic policy variables


def advantages(p_prev, kind="std"):
    if kind == "mean":
        wp, wm = 1 - p_prev, p_prev
    else:
        wp, wm = w_plus(p_prev), w_minus(p_prev)
    return [wp if o in S else -wm for o in range(K)], wp, wm


def objective(pi, A, b_ref, b_mir, ref=REF, prev=PREV):
    return sum(pi[o] * A[o] - b_ref * pi[o] * sp.log(pi[o] / ref[o]) - b_mir * pi[o] * sp.log(pi[o] / prev[o])
               for o in range(K))


def optimality(candidate, A, b_ref, b_mir, variables, name, ref=REF, prev=PREV) -> Result:
    """Certificate that ``candidate`` maximises J (see module docstring)."""
    J = objective(list(z), A, b_ref, b_mir, ref, prev)
    grad = [sp.diff(J, z[o]) for o in range(K)]
    at = {z[o]: candidate[o] for o in range(K)}
    parts = [Part("normalised", "sum_o pi*_o = 1", identity(sum(candidate), 1, variables, name=f"{name}: normalised"))]
    g0 = sp.expand_log(grad[0].subs(at), force=False)
    for o in range(1, K):
        go = sp.expand_log(grad[o].subs(at), force=False)
        parts.append(Part(f"stationary {o}", f"dJ/dpi_{o} = dJ/dpi_0 at pi*",
                          identity(go, g0, variables, name=f"{name}: stationarity {o}",
                                   strategies=(("expand_log(force) + expand (every base is a positive weight)",
                                                lambda e: sp.expand(sp.expand_log(e, force=True))),
                                               ("expand_log + cancel", lambda e: sp.cancel(sp.expand_log(e, force=True))),
                                               ("simplify", sp.simplify)))))
    H = sp.hessian(J, z)
    diag_ok = all(sp.simplify(H[i, j]) == 0 for i in range(K) for j in range(K) if i != j)
    diag = [sp.simplify(H[i, i] + (b_ref + b_mir) / z[i]) == 0 for i in range(K)]
    conc = symbolic(diag_ok and all(diag), "Hessian = diag(-(beta_ref + beta_mir)/pi_o): strictly concave on the open "
                    "simplex", {"method": "sympy.hessian, simplify of each entry",
                                "hessian_diagonal": [str(H[i, i]) for i in range(K)],
                                "statement": "H == diag(-(beta_ref + beta_mir)/pi_o)"})
    parts.append(Part("concave", "J strictly concave", conc))
    return combine(parts)


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
