"""Abstract and §1: the paper's headline claims."""

from __future__ import annotations

import sympy as sp

from ...verify.checks import identity, inequality, not_checkable
from ..registry import claim
from ...verify.verdict import Part, Repaired, combine
from ._common import V_alpha, V_beta, V_eps, V_p, alpha, beta, decreasing_step_witness, eps, p, witness
from ._policy import general_optimum
from .sec3_dynamics import _thm3
from .sec4_5_mirror import NONMONO, _increment_bounded_below, _increment_positive, _interior_fixed_point_exists

Om = (p * (1 - p) + eps) ** sp.Rational(-1, 2)


@claim("abstract-closed-form")
def _closed_form():
    parts = []
    for kind in ("std", "mean"):
        for key, name in (("1", "KL to pi_ref"), ("0", "mirror"), ("alpha", "both (two-KL)")):
            cand, cert = general_optimum(kind, key)
            parts.append(Part(f"{kind}, {name}", f"pi_n ∝ pi_ref^alpha pi_(n-1)^(1-alpha) exp(A/beta) is the optimum "
                                                 f"({'mean+variance' if kind == 'std' else 'mean-only'}, {name})", cert))
    return combine(parts, reading="explicit form: pi_n = pi_ref^alpha pi_{n-1}^(1-alpha) exp(A(p_{n-1})/beta) / Z, a "
                                  "function of the binary reward, p_{n-1} (through the weights), pi_{n-1} and pi_ref; "
                                  "certified optimal (stationary + strictly concave) for all six variants")


CYCLE_REF = dict(beta="5", p_ref="0.001", eps="1e-5")


@claim("abstract-convergence")
def _convergence():
    cycle = witness("reference-only mean+variance GRPO at beta=5, p_ref=0.001, eps=1e-5: the orbit from p_ref is an "
                    "attracting 2-cycle (certified), so it does not converge",
                    lambda r: r.orbit.kind == "cycle", refutes=True, **CYCLE_REF)
    cycle.erratum = "substantive"
    res = combine([Part("mean+var, KL to pi_ref", "the recurrence converges to a fixed point", cycle),
                   Part("mirror", "mirror variants converge to 1 from every p_ref in (0,1), whatever beta: the limit is "
                                  "not determined by p_ref and beta", _increment_bounded_below())],
                  reading="for every variant listed in the abstract, the PoS recurrence converges to a fixed point "
                          "that depends on p_ref and beta")
    Lv = sp.Symbol("L", real=True)
    mean = identity(sp.diff(alpha * sp.Symbol("L_ref", real=True) + (1 - alpha) * Lv + 1 / beta, Lv), 1 - alpha,
                    [V_alpha, V_beta], name="mean-only two-KL slope: d/dL [alpha L_ref + (1-alpha) L + 1/beta] = 1 - alpha")
    res.repaired = Repaired("mean-only normalisation with alpha in (0,1] converges (affine contraction, rate 1-alpha) "
                            "to sigmoid(logit p_ref + 1/(alpha beta)); mirror variants tend to 1; mean+variance variants "
                            "converge only for suitable (beta, p_ref, eps) — cycles occur",
                            combine([Part("mean-only", "affine contraction with rate 1 - alpha", mean),
                                     Part("mirror", "p_n -> 1", _increment_bounded_below())]))
    return res


@claim("abstract-amplification")
def _amplification():
    ref = _thm3()
    mixed = _increment_positive()
    return combine([Part("KL to pi_ref", "every fixed point exceeds p_ref (Thm 3)", ref),
                    Part("two-KL", "a fixed point satisfies L* = L_ref + Omega(L*)/(alpha beta) > L_ref "
                                   "(Omega/beta > 0)", mixed),
                    Part("mirror", "the limit 1 exceeds p_ref", _increment_bounded_below())],
                   reading="every fixed point (and the mirror limit) exceeds p_ref, for every variant")


@claim("intro-contrib3")
def _contrib3():
    from .sec3_dynamics import _prop11

    admits = combine([Part("reference", "a fixed point exists (prop1.1)", _prop11()),
                      Part("two-KL", "a fixed point exists", _interior_fixed_point_exists())])
    return combine([Part("fixed point", "the recursion admits a fixed point p*", admits),
                    Part("amplification", "the limit, when it exists, is >= p_ref", _amplification()),
                    Part("monotonicity", "monotonicity depends on the variant: mirror monotone, two-KL not",
                         combine([Part("mirror", "monotone", _increment_positive()),
                                  Part("two-KL", "non-monotone example", decreasing_step_witness(**NONMONO))])),
                    Part("empirical", "checked empirically in App. A",
                         not_checkable("the experiment cannot be rerun offline", "experiment"))],
                   reading="'under mild assumptions p_n -> p*' is read as: whenever the orbit converges, its limit is "
                           "a fixed point >= p_ref (convergence itself can fail: see abstract-convergence)")
