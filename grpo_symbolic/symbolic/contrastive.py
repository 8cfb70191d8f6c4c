r"""Derivation 2: GRPO as a weighted contrastive objective (paper §2.2-2.3, eq. (5)).

With ``A(o) = +omega_plus`` on successes and ``-omega_minus`` on failures (any
positive weights; derivation 1 shows both normalisations give positive weights):

* **no clip**:
  ``E_{pi_old}[(pi/pi_old) A] = omega_plus * E_pi[1_S] - omega_minus * E_pi[1_F]``
  ``= Omega * p_pi - omega_minus`` (only ``Omega`` matters for the maximiser);
* **clip**: with ``f_c(x, y) = min(x y, clip(x, 1-c, 1+c) y)`` and ``x > 0``, a case
  analysis over the order of ``x``, ``1-c``, ``1+c`` proves

  .. math:: f_c(x,y) = y\,\min(x, 1+c)\ (y>0),\qquad f_c(x,y) = y\,\max(x, 1-c)\ (y<0),

  and ``f_c(x, y) = x y`` whenever ``c >= |x - 1|`` (the ``c -> infinity`` limit).
  Hence ``E_{pi_old} f_c(pi/pi_old, A) = omega_plus sum_S pi_old min(pi/pi_old, 1+c)
  - omega_minus sum_F pi_old max(pi/pi_old, 1-c)``.  (The paper's text prints
  ``x min(y, 1+c)``; the derived identity has the minimum on the *ratio* ``x``.)

>>> d = contrastive(clip=True, space=None)
>>> d.check().ok
True
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from .derivation import Derivation, Step
from .domains import interval
from .finite_space import FiniteSpace
from .rewrites import CANCEL, DOIT, EXPAND, MINMAX, Rewrite, TOGETHER
from .symbols import clip_eps, omega_minus, omega_plus, s, t, v, x, y, y_pos

__all__ = ["ClipObjective", "contrastive", "CLIP_CASES"]


class ClipObjective(sp.Function):
    r"""``f_c(x, y) = min(x y, clip(x, 1-c, 1+c) y)`` kept unevaluated.

    ``doit()`` (and :meth:`numeric_definition`) expands it into ``Min``/``Max``.
    """

    nargs = 3

    @classmethod
    def eval(cls, x, y, c):
        return None

    def numeric_definition(self):
        x_, y_, c_ = self.args
        return sp.Min(x_ * y_, sp.Min(sp.Max(x_, 1 - c_), 1 + c_) * y_)

    def doit(self, **hints):
        args = [a.doit(**hints) for a in self.args] if hints.get("deep", True) else self.args
        return ClipObjective(*args).numeric_definition()

    def _latex(self, printer):
        x_, y_, c_ = self.args
        return (f"f_{{{printer._print(c_)}}}\\left({printer._print(x_)}, "
                f"{printer._print(y_)}\\right)")


def clip_by_sign(f, x_, y_, low, high):
    """The derived case identity of a clip term ``f = min(x y, clip(x, 1-low, 1+high) y)``:
    ``y min(x, 1+high)`` when SymPy knows ``y > 0``, ``y max(x, 1-low)`` when ``y < 0``,
    else ``f`` unchanged (shared by the symmetric and the asymmetric clip)."""
    if y_.is_positive:
        return y_ * sp.Min(x_, 1 + high)
    if y_.is_negative:
        return y_ * sp.Max(x_, 1 - low)
    return f


def _apply_clip_lemma(expr):
    return expr.replace(lambda e: isinstance(e, ClipObjective),
                        lambda f: clip_by_sign(f, f.args[0], f.args[1], f.args[2], f.args[2]))


#: rewrite that applies the derived case identities (steps ``clip_*``) to every
#: ``f_c(x, y)`` whose ``y`` has a sign known to SymPy
CLIP_CASES = Rewrite("apply the derived clip identities (sign of y known)", _apply_clip_lemma)


def _case_steps():
    """The six cases (sign of y) x (order of x, 1-c, 1+c), plus the no-clip region."""
    f = ClipObjective(x, y_pos, clip_eps)
    g = ClipObjective(x, -v, clip_eps)
    above = {x: 1 + clip_eps + t}                                   # x >= 1+c
    inside_ = {x: 1 + (s - t) / 2, clip_eps: (s + t) / 2}           # 1-c <= x <= 1+c
    below = {x: 1 - clip_eps - t}                                   # x <= 1-c
    pos_rhs = y_pos * sp.Min(x, 1 + clip_eps)
    neg_rhs = -v * sp.Max(x, 1 - clip_eps)
    route = (DOIT, MINMAX, EXPAND, MINMAX, EXPAND)
    region = {"above": ("x = 1+c+t, t >= 0 (x >= 1+c)", above),
              "inside": ("c = (s+t)/2, x = 1+(s-t)/2, s,t >= 0 (1-c <= x <= 1+c)", inside_),
              "below": ("x = 1-c-t, t >= 0 (x <= 1-c)", below)}
    steps = []
    for sign, lhs, rhs, what in (("pos", f, pos_rhs, "y > 0"), ("neg", g, neg_rhs, "y = -v < 0")):
        for rname, (desc, sub) in region.items():
            # below 1-c the lemma's hypothesis x = 1-c-t > 0 is kept by sampling c <= 1/2, t < 1/2
            doms = ({t: interval(0, 0.49, (True, False)), clip_eps: interval(0, 0.5, (True, True))}
                    if rname == "below" else None)
            steps.append(Step(
                f"clip_{sign}_{rname}",
                f"Case {what}, {desc}: expanding f_c and evaluating Min/Max.",
                lhs, rhs, subs=sub, route=route, domains=doms,
                assumptions=(what, desc, "clip_eps >= 0")))
    steps.append(Step(
        "clip_inactive", "If c >= |x-1| the clip is inactive and f_c(x,y) = x y for every real y.",
        ClipObjective(x, y, clip_eps), x * y, subs=inside_, route=route,
        assumptions=("c = (s+t)/2, x = 1+(s-t)/2 with s,t >= 0, i.e. c >= |x-1|", "y real")))
    return steps


def contrastive(clip: bool = False, space: FiniteSpace | None = None) -> Derivation:
    """Derive the contrastive form of the (clipped or unclipped) GRPO objective.

    ``result`` keys: ``objective`` (the left-hand side on the finite space),
    ``contrastive`` (the derived contrastive form), and for ``clip=True``
    ``clip_positive`` (``y min(x,1+c)``), ``clip_negative`` (``y max(x,1-c)``),
    ``conditional`` (the form with conditional expectations).
    """
    fs = space or FiniteSpace()
    return _contrastive(bool(clip), fs.K, fs.S)


@lru_cache(maxsize=None)
def _contrastive(clip: bool, K: int, S: tuple) -> Derivation:
    fs = FiniteSpace(K, S)
    old, pi = fs.prev, fs.pi
    A = fs.advantage(omega_plus, omega_minus)
    hyp = [f"finite outcome space, {fs.describe()}",
           "pi_old = b/sum b, pi = c/sum c (full support)",
           "A = +omega_plus on S, -omega_minus on F, omega_plus, omega_minus > 0 (any weights; "
           "derivation 1 gives them for both normalisations)"]
    if not clip:
        lhs = sum(old[o] * (pi[o] / old[o]) * A[o] for o in range(fs.K))
        mid = sum(pi[o] * A[o] for o in range(fs.K))
        contr = omega_plus * fs.pos(pi, "S") - omega_minus * fs.pos(pi, "F")
        steps = [
            Step("importance_weighting", "The ratio pi/pi_old cancels the sampling law: "
                 "E_{pi_old}[(pi/pi_old) A] = E_pi[A].", lhs, mid, route=(CANCEL,)),
            Step("weighted_contrastive", "Splitting outcomes by reward gives the weighted contrastive "
                 "form omega_plus E_pi[1_S] - omega_minus E_pi[1_F] (eq. (5)).", mid, contr,
                 route=(EXPAND, CANCEL)),
            Step("only_Omega_matters", "Since E_pi[1_F] = 1 - E_pi[1_S], the objective is "
                 "(omega_plus+omega_minus) p_pi - omega_minus.", contr,
                 (omega_plus + omega_minus) * fs.pos(pi, "S") - omega_minus, route=(TOGETHER, CANCEL)),
        ]
        return Derivation("contrastive[no-clip]", "GRPO (no clip) is a weighted contrastive objective",
                          hyp, steps, {"objective": lhs, "contrastive": contr})
    steps = _case_steps()
    ratio = [pi[o] / old[o] for o in range(fs.K)]
    lhs = sum(old[o] * ClipObjective(ratio[o], A[o], clip_eps) for o in range(fs.K))
    contr = (omega_plus * sum(old[o] * sp.Min(ratio[o], 1 + clip_eps) for o in fs.S)
             - omega_minus * sum(old[o] * sp.Max(ratio[o], 1 - clip_eps) for o in fs.F))
    p_old = fs.pos(old)
    cond = (p_old * omega_plus * sum(fs.cond(old, "S")[i] * sp.Min(ratio[o], 1 + clip_eps)
                                     for i, o in enumerate(fs.S))
            - (1 - p_old) * omega_minus * sum(fs.cond(old, "F")[i] * sp.Max(ratio[o], 1 - clip_eps)
                                              for i, o in enumerate(fs.F)))
    steps += [
        Step("clipped_objective", "Applying the case identities termwise (A > 0 on S, A < 0 on F) gives "
             "the clipped contrastive objective.", lhs, contr, route=(CLIP_CASES, EXPAND),
             assumptions=("omega_plus > 0, omega_minus > 0", "clip_eps >= 0")),
        Step("clipped_conditional", "With conditional expectations the weights pick up the PoS: "
             "p_old omega_plus E[min | S] - (1-p_old) omega_minus E[max | F].",
             contr, cond, route=(TOGETHER, CANCEL)),
    ]
    return Derivation("contrastive[clip]", "Clipped GRPO (PPO-style) as a clipped contrastive objective",
                      hyp + ["f_c(x,y) = min(x y, clip(x,1-c,1+c) y), ratio x = pi/pi_old > 0, c = clip_eps"],
                      steps, {"objective": lhs, "contrastive": contr, "conditional": cond,
                              "clip_positive": y_pos * sp.Min(x, 1 + clip_eps),
                              "clip_negative": -v * sp.Max(x, 1 - clip_eps)})
