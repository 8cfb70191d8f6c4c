r"""Symbolic derivation layer: SymPy derives the paper's formulas, step by checked step.

Each derivation returns a :class:`~.derivation.Derivation` (hypotheses, steps, and a
``result`` dict of derived SymPy objects reused by later code).  Every
:class:`~.derivation.Step` is checked symbolically (:meth:`Step.check`) and
numerically at random points (:meth:`Step.spot_check`, the independent route).

==========================================  =====================================================
:func:`weights(norm) <.weights.weights>`    advantage weights omega_plus, omega_minus, Omega
:func:`contrastive(clip) <.contrastive.contrastive>`  the (clipped) contrastive objective
:func:`optimal_policy(norm, alpha)`         maximiser pi_n of the KL-regularised objective
:func:`recurrence(norm, alpha)`             PoS recurrence (general anchor with Renyi terms,
                                            and from pi_0 = pi_ref)
:func:`stability(norm, alpha)`              derivative of the map, fixed points, slope
:func:`derive(norm, alpha)`                 all of the above for one variant
:mod:`.general_space`                       the two-KL statements of App. E on an arbitrary
                                            finite space (``derive --general``; the audit's proofs)
:mod:`.group_weights`                       exact finite-group weights omega_G (binomial sums,
                                            conventions paper / trl / mean, G -> infinity)
==========================================  =====================================================

>>> all(d.check().ok for d in derive("mean", 1))
True
"""

from .contrastive import ClipObjective, contrastive
from .derivation import CheckResult, Derivation, Step
from .finite_space import FiniteSpace
from .policy import optimal_policy
from .recurrence import recurrence
from .stability import stability
from .variants import VARIANTS, check_all, derive, variant_info
from .weights import NORMS, weights

__all__ = ["Step", "CheckResult", "Derivation", "FiniteSpace", "ClipObjective", "weights",
           "contrastive", "optimal_policy", "recurrence", "stability", "derive", "VARIANTS",
           "variant_info", "check_all", "NORMS"]
