"""§6 Discussion and the "Practical Takeaways" box."""

from __future__ import annotations

import sympy as sp

from ...verify.checks import identity, inequality, not_checkable
from ...verify.domains import positive
from ..registry import claim
from ...verify.domains import interval
from ...verify.verdict import Part, Repaired, argued, combine, if_refuted
from ._common import V_beta, V_eps, V_p, beta, decreasing_step_witness, eps, p, w_minus, w_plus
from ._mixed import lemma3_result, tilt_induction
from ._policy import S, advantages, mixed_candidate, success_mass
from .sec4_5_mirror import (NONMONO, _beta_eff_equivalence, _cycle_witness, _increment_bounded_below,
                            _increment_positive, _interior_fixed_point_exists, _zero_mass_stays_zero, vacuous_renyi)


@claim("takeaway-disc-weighting")
def _disc_weighting():
    d2 = sp.diff(w_plus(p), p, 2).subs({p: sp.Rational(1, 4)})
    nonlinear = inequality(d2, "!=" if False else ">", [V_eps], name="w+_eps'' at p = 1/4 > 0")
    lin = identity(sp.diff(1 - p, p, 2) + sp.diff(p, p, 2), 0, [V_p], name="mean-only weights are affine")
    return combine([Part("mean+var", "omega^pm_eps are non-linear in p (second derivative nonzero at p = 1/4)",
                         nonlinear),
                    Part("mean-only", "1 - p and p are linear in p", lin)])


@claim("takeaway-disc-clipping")
def _disc_clipping():
    a = sp.Symbol("alpha", positive=True)
    overlap = inequality(a, "<=", [interval(a, 1, 1)],
                         name="disjoint classes: the no-clip alpha = 1 is not two-KL (alpha > 0 as printed)")
    overlap.erratum = "typo"
    rep = argued("with two-KL := 0 < alpha < 1 the classes alpha = 1, alpha = 0, 0 < alpha < 1 partition [0,1]",
                 "definitional: {1}, {0} and (0,1) are disjoint and their union is [0,1]")
    overlap.repaired = Repaired("two-KL means 0 < alpha < 1 (as in Table 1)", rep)
    return combine([Part("hard", "analysing PPO-style clipping is hard",
                         not_checkable("an opinion about difficulty; the clipped dynamics are derived and certified "
                                       "here: new-clip-reduction, new-clip-closed-form, new-clip-fixed-points, "
                                       "new-clip-bounded, new-clip-mirror-rate", "opinion")),
                    Part("citation", "mirror descent reported more stable (Apple report)",
                         not_checkable("citation of an external report", "citation")),
                    Part("classification", "no-clip = pi_ref only, mirror = alpha 0, two-KL = alpha > 0", overlap)])


@claim("takeaway-disc-monotone")
def _disc_monotone():
    return combine([Part("alpha = 0", "monotone improvement (mirror)", _increment_positive()),
                    Part("mixing", "mixing does not guarantee monotone improvement",
                         decreasing_step_witness(**NONMONO)),
                    Part("Renyi", "the mixed iteration depends on the success/failure mismatch (Renyi correction)",
                         vacuous_renyi(lemma3_result(), tilt_induction("std")))])


@claim("takeaway-normalization")
def _normalization():
    sigma = sp.sqrt(p * (1 - p))
    printed = _beta_eff_equivalence(beta * sigma)
    printed.reading = "sigma(q) = reward standard deviation sqrt(p(1-p)); the takeaway is about the paper's eps > 0 setting"
    printed.repaired = Repaired("beta_eff = beta sqrt(sigma^2(q) + eps) (as in §5): mean-only with this KL weight "
                                "gives exactly the mean+variance policy",
                                _beta_eff_equivalence(beta * sp.sqrt(p * (1 - p) + eps)))
    return if_refuted(printed, "substantive", ("beta_eff = beta sigma(q) drops eps: with eps > 0 the two "
                                               "normalisations differ "
                                        "(exact only at eps = 0); beta_eff = beta sqrt(sigma^2 + eps) is exact"))


@claim("takeaway-constant-increments")
def _const_increments():
    from .sec4_5_mirror import _sec5_mirror

    return combine([Part("mean-only", "fixed beta: constant log-odds increments 1/beta", _sec5_mirror()),
                    Part("adaptive", "mean-only with beta_eff = beta sqrt(sigma^2+eps) = mean+variance increments",
                         _beta_eff_equivalence(beta * sp.sqrt(p * (1 - p) + eps)))],
                   reading="'increments' = what one step adds to the anchor's log-odds (1/beta, resp. Omega/beta); "
                           "beta_eff read with eps as in §5")


@claim("takeaway-mirror-monotone")
def _mirror_monotone():
    return combine([Part("monotone", "mirror: p_n increases (both normalisations)",
                         combine([Part("std", "Omega/beta > 0", _increment_positive("std")),
                                  Part("mean", "1/beta > 0", _increment_positive("mean"))])),
                    Part("to one", "p_n -> 1 for p_ref in (0,1)", _increment_bounded_below())])


@claim("takeaway-mirror-best")
def _mirror_best():
    from .sec3_dynamics import _p1_fixed

    only = combine([Part("mirror -> 1", "mirror PoS -> 1", _increment_bounded_below()),
                    Part("reference < 1", "every reference-only fixed point is <= h(1) < 1", _p1_fixed().repaired.result),
                    Part("two-KL < 1", "two-KL fixed points are interior (finite log-odds)", _interior_fixed_point_exists())])
    return combine([Part("theory", "among the variants only mirror guarantees p_n -> 1", only),
                    Part("best", "best theoretical and practical guarantees",
                         not_checkable("'best' and 'practical' are judgements", "opinion"))],
                   reading="the checkable content: mirror is the only variant whose PoS provably tends to 1")


@claim("takeaway-ref-mixing")
def _ref_mixing():
    return combine([Part("interior", "adding pi_ref to mirror gives an interior fixed point",
                         _interior_fixed_point_exists()),
                    Part("monotone lost", "monotonic improvement is no longer guaranteed", decreasing_step_witness(**NONMONO))])


@claim("takeaway-memory")
def _memory():
    return not_checkable("engineering claim about memory bandwidth and latency", "engineering, not mathematics")


@claim("takeaway-coverage")
def _coverage():
    parts = []
    a_sym = sp.Symbol("alpha", positive=True)
    for name, a in [("alpha = 1", sp.Integer(1)), ("alpha = 0", sp.Integer(0)), ("0 < alpha < 1", sp.Rational(1, 2))]:
        parts.append(Part(name, f"p_ref = 0 (hence p_{{n-1}} = 0) gives p_n = 0 ({name})", _zero_mass_stays_zero(a)[0]))
    return combine(parts, reading="with pi_0 = pi_ref and p_ref = 0, no iterate puts mass on successes "
                                  "(checked for alpha = 1, 0, 1/2; the argument pi_n ∝ pi_ref^alpha pi_{n-1}^(1-alpha) "
                                  "e^{A/beta} is the same for every alpha)")


@claim("takeaway-exploration")
def _exploration():
    return not_checkable("practical advice (temperature, entropy bonus, data mixing); its premise is takeaway-coverage",
                         "advice")
