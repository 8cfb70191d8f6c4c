r"""What the theory predicts for a training run, and the statistical bands.

Predictions (per prompt ``q``, from ``p_0(q) = p_ref(q)``, the exact PoS of ``pi_ref``):

* **population**: ``L_n = alpha L_ref + (1-alpha) L_{n-1} + Omega(p_{n-1})/beta`` with the
  package's :class:`~grpo_symbolic.exact.logit_map.LogitMap` and the paper's weights
  (``Omega = (p(1-p)+eps)^(-1/2)`` for norm ``std``, ``1`` for ``mean``);
* **group**: the same map with the finite-group weights ``Omega_G`` of the chosen
  convention (:class:`grpo_symbolic.exact.group_weights.GroupWeights`).

Both are iterated in mpmath at 30 significant digits and rounded to float64.

Effective predictions (:func:`effective_pos`: the exact maximiser of the expected objective
that training really optimises, when it is not the paper's), by the variant's ``kl``:

* **exact KL** (clipped or not): the kernel's closed forms, nothing numeric --
  :class:`~grpo_symbolic.exact.logit_map.LogitMap` without ``params.clip``, and the clipped
  map :class:`~grpo_symbolic.exact.clipped.ClippedMap` (ratio clipped to
  ``[1 - params.clip, 1 + params.clip_high]``) with it, with the weights of ``statistics``
  (population, or the finite-group weights ``Omega_G`` of the convention: the clipped map
  only needs ``omega^+ = (1-p) Omega`` and ``omega^- = p Omega``, which hold for every
  convention because group advantages are centred, so ``p omega^+ = (1-p) omega^-``);
* **k3 estimator** (clipped or not): no closed form; the two-class reduced objective
  :func:`reduced_objective` is maximised numerically by :func:`reduced_step` (grid in
  log-odds + golden section).  That numeric route also accepts ``kl="exact"``, where it is
  an independent check of the closed forms (tests only; predictions never take it).

Bands.  In sample mode the per-prompt parameters of the tabular family are disjoint
and each prompt draws its own group, so the per-prompt deviations
``D(q) = p~_n(q) - p_n(q)`` are independent across prompts.  Under the null hypothesis
"real training is unbiased for the recurrence", ``E D(q) = 0`` and by the CLT

.. math::  |\bar D| \le z\, s_D/\sqrt N,

with ``s_D`` the sample standard deviation of ``D`` over prompts and
``z = Phi^{-1}(1 - level/(2M))`` (two-sided, Bonferroni over the ``M`` iterations,
family-wise ``level``, default 1%).  The same ``z`` gives the binomial band of the
group success rate: ``E[k/G] = p_old(q)`` exactly and
``|mean_q(k/G - p_old)| <= z sqrt(sum_q p_old(1-p_old)/G)/N``.  For the transformer the
prompts share parameters, so the CLT band is indicative only.
"""

from __future__ import annotations

import math
from fractions import Fraction
from statistics import NormalDist

import mpmath as mp
import numpy as np

from ..exact.clipped import ClippedMap
from ..exact.group_weights import GroupWeights
from ..exact.logit_map import LogitMap, sigmoid_mp
from ..exact.weights import Weights, weights_for
from ..params import Params


# ------------------------------------------------------------------------ weights
def statistics_params(params: Params, statistics: str) -> Params:
    """``params`` whose kernel weights are those of ``statistics``: ``"group"`` (finite group
    size ``params.group_size``, kept) or ``"population"`` (group size and convention dropped)."""
    if statistics == "group":
        if not params.group_size:
            raise ValueError("statistics='group' needs params.group_size")
        return params
    if statistics == "population":
        return params.with_(group_size=None, convention=None)
    raise ValueError("statistics must be population or group")


def statistics_weights(params: Params, statistics: str) -> Weights:
    """The kernel's weights of ``params`` for ``statistics`` (:func:`statistics_params`)."""
    return weights_for(statistics_params(params, statistics))


def group_weights(G: int, convention: str, eps):
    """``(weights, source)``: the kernel's finite-group weights and their name for reports."""
    return GroupWeights(G, convention, Fraction(eps)), "grpo_symbolic.exact.group_weights.GroupWeights"


# ------------------------------------------------------------------- predictions
def predict_pos(params: Params, p_ref, iterations: int, *, statistics: str = "population",
                dps: int = 30) -> np.ndarray:
    """Predicted PoS trajectories ``(iterations+1, N)`` for per-prompt ``p_ref`` (floats).

    ``params`` fixes norm, beta, alpha, eps (and ``group_size``/``convention`` for
    ``statistics="group"``); its ``p_ref`` is replaced per prompt by the exact binary
    value of each float.  Identical ``p_ref`` values are computed once.
    """
    base = Params.parse(norm=params.norm, beta=params.beta, alpha=params.alpha, eps=params.eps, p_ref="1/2")
    w = statistics_weights(params, statistics)
    return _trajectories(lambda pr: LogitMap(base.with_(p_ref=pr), weights=w), p_ref, iterations, dps)


def _trajectories(make_map, p_ref, iterations: int, dps: int) -> np.ndarray:
    """PoS trajectories ``(iterations+1, N)`` of ``make_map(p_ref)`` (a map with ``L_ref_mp`` and
    ``g_mp``) from ``p_0 = p_ref`` per prompt, each float read at its exact binary value;
    iterated in mpmath at ``dps`` digits, rounded to float64; equal ``p_ref`` computed once."""
    p_ref = np.asarray(p_ref, dtype=float).reshape(-1)
    out = np.empty((iterations + 1, p_ref.size))
    cache: dict[float, list[float]] = {}
    with mp.workdps(dps):
        for i, pr in enumerate(p_ref):
            if pr not in cache:
                m = make_map(Fraction(float(pr)))
                L = m.L_ref_mp()
                traj = [float(pr)]
                for _ in range(iterations):
                    L = m.g_mp(L)
                    traj.append(float(sigmoid_mp(L)))
                cache[pr] = traj
            out[:, i] = cache[pr]
    return out


# ------------------------------------------------------------------------- bands
def bonferroni_z(iterations: int, level: float = 0.01) -> float:
    """Two-sided normal quantile with Bonferroni correction over ``iterations`` tests."""
    return NormalDist().inv_cdf(1 - level / (2 * max(1, iterations)))


def clt_band(dev, z: float) -> tuple[float, float]:
    """``(mean deviation, half-width z*s/sqrt(N))`` over prompts (``s``: sample std, ddof=1)."""
    dev = np.asarray(dev, dtype=float).reshape(-1)
    n = dev.size
    s = float(dev.std(ddof=1)) if n > 1 else math.inf
    return float(dev.mean()), z * s / math.sqrt(n)


def binomial_band(p_old, G: int, z: float) -> float:
    """Half-width of the band for ``mean_q(k_q/G) - mean_q p_old(q)``: ``z sqrt(sum p(1-p)/G)/N``."""
    p = np.asarray(p_old, dtype=float).reshape(-1)
    return z * math.sqrt(float((p * (1 - p)).sum()) / G) / p.size


# ------------------------------------------------- effective recurrence (clip, k3)
def clipped_pos(params: Params, p_ref, iterations: int, *, statistics: str = "group",
                dps: int = 30) -> np.ndarray:
    """PoS trajectories ``(iterations+1, N)`` of the clipped map
    :class:`~grpo_symbolic.exact.clipped.ClippedMap` (closed form of the exact maximiser of the
    clipped objective with exact KL, ratio range ``[1 - params.clip, 1 + params.clip_high]``),
    with the weights of ``statistics``, from ``p_0 = p_ref`` per prompt (floats, read at their
    exact binary value); iterated in mpmath at ``dps`` digits, rounded to float64."""
    if params.clip is None:
        raise ValueError("clipped_pos needs params.clip")
    sp = statistics_params(params, statistics).with_(p0=None)
    return _trajectories(lambda pr: ClippedMap(sp.with_(p_ref=pr)), p_ref, iterations, dps)  # keeps the clip


def _bern_kl(a, b):
    """Bernoulli ``KL(a||b)`` (vectorised in ``a``)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * (np.log(a) - math.log(b)), 0.0)
        t2 = np.where(a < 1, (1 - a) * (np.log1p(-a) - math.log1p(-b)), 0.0)
    return t1 + t2


def _k3_of_ratio(x):
    """``k3`` as a function of ``x = nu(o)/pi(o)``: ``x - log x - 1``."""
    return x - np.log(x) - 1


def _f_clip(rho, adv, clip, clip_high=None):
    """``min(rho A, clip(rho, 1 - clip, 1 + clip_high) A)`` (``clip_high`` defaults to ``clip``)."""
    if clip is None:
        return rho * adv
    hi = clip if clip_high is None else clip_high
    return np.minimum(rho * adv, np.clip(rho, 1 - clip, 1 + hi) * adv)


def reduced_objective(p_new, *, p_old: float, p_ref: float, w_plus: float, w_minus: float,
                      beta: float, alpha: float, clip: float | None, kl: str, clip_high: float | None = None):
    r"""Expected GRPO objective as a function of the new PoS ``p_new`` in the two-class model.

    When ``pi_old`` has ``pi_ref``'s conditional laws on S and F, every term of the
    expected objective depends on an output only through its class and its ratio
    ``rho = pi/pi_old``; where the objective is concave in ``rho`` for each output, the
    maximiser keeps the conditional laws and is fixed by ``p_new``
    (``rho_S = p_new/p_old``, ``rho_F = (1-p_new)/(1-p_old)``).  This holds for the exact
    KL, clipped or not.  For k3 it fails once ``pi(o) > 2 pi_ref(o)`` (the k3 term is
    convex there, :mod:`.k3`): the model is then a restricted maximiser, not the true one.

    The terms:

    * surrogate ``p_old f(rho_S, +w_plus) + (1-p_old) f(rho_F, -w_minus)``, clipped to
      ``[1 - clip, 1 + clip_high]`` (``clip_high`` defaults to ``clip``) or not;
    * exact KL: ``KL(pi||pi_ref) = kl_B(p_new||p_ref)``, ``KL(pi||pi_old) = kl_B(p_new||p_old)``;
    * k3 under ``pi_old`` (what sampling ``o ~ pi_old`` estimates):
      ``sum_c P_old(c) k3(pi_ref/pi)`` with ``pi_ref/pi = 1/(rho_c y_c)``, ``y_S = p_old/p_ref``,
      ``y_F = (1-p_old)/(1-p_ref)``, and ``sum_c P_old(c) k3(1/rho_c)`` for ``pi_old``.

    Predictions use it for ``kl="k3"`` only; with ``kl="exact"`` its maximiser has the closed
    forms ``LogitMap``/``ClippedMap`` (module docstring), and this is their independent check.
    """
    p_new = np.asarray(p_new, dtype=float)
    rS, rF = p_new / p_old, (1 - p_new) / (1 - p_old)
    surr = p_old * _f_clip(rS, w_plus, clip, clip_high) + (1 - p_old) * _f_clip(rF, -w_minus, clip, clip_high)
    if kl == "exact":
        kref, kprev = _bern_kl(p_new, p_ref), _bern_kl(p_new, p_old)
    elif kl == "k3":
        yS, yF = p_old / p_ref, (1 - p_old) / (1 - p_ref)
        with np.errstate(divide="ignore", invalid="ignore"):
            kref = p_old * _k3_of_ratio(1 / (rS * yS)) + (1 - p_old) * _k3_of_ratio(1 / (rF * yF))
            kprev = p_old * _k3_of_ratio(1 / rS) + (1 - p_old) * _k3_of_ratio(1 / rF)
    else:
        raise ValueError(f"kl must be exact or k3, got {kl!r}")
    pen = (alpha * kref if alpha > 0 else 0.0) + ((1 - alpha) * kprev if alpha < 1 else 0.0)
    return surr - beta * pen


def reduced_step(*, p_old: float, p_ref: float, w_plus: float, w_minus: float, beta: float,
                 alpha: float, clip: float | None, kl: str, clip_high: float | None = None) -> float:
    """The PoS maximising :func:`reduced_objective`: a grid in ``logit(p_new)`` (4001 points
    over ``logit p_old +- 40``) followed by golden-section refinement (bracket ``1e-13`` in logit;
    the maximiser of a float64 objective is resolved to about ``1e-8``)."""
    kw = dict(p_old=p_old, p_ref=p_ref, w_plus=w_plus, w_minus=w_minus, beta=beta, alpha=alpha,
              clip=clip, clip_high=clip_high, kl=kl)
    L0 = math.log(p_old) - math.log1p(-p_old)
    sig = lambda u: 1 / (1 + np.exp(-u))  # noqa: E731
    grid = L0 + np.linspace(-40, 40, 4001)
    J = reduced_objective(sig(grid), **kw)
    J = np.where(np.isfinite(J), J, -np.inf)
    i = int(np.argmax(J))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    gr = (math.sqrt(5) - 1) / 2
    c, d = b - gr * (b - a), a + gr * (b - a)
    fc, fd = float(reduced_objective(sig(c), **kw)), float(reduced_objective(sig(d), **kw))
    # the bracket is relative: at |logit| ~ 500 float64 cannot resolve 1e-13 (it would loop
    # forever); 200 golden-section steps shrink any bracket by 0.618^200 ~ 1e-42
    for _ in range(200):
        if b - a <= 1e-13 * max(1.0, abs(a), abs(b)):
            break
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - gr * (b - a)
            fc = float(reduced_objective(sig(c), **kw))
        else:
            a, c, fc = c, d, fd
            d = a + gr * (b - a)
            fd = float(reduced_objective(sig(d), **kw))
    return float(sig((a + b) / 2))


def _k3_pos(params: Params, p_ref, iterations: int, statistics: str) -> np.ndarray:
    """:func:`effective_pos` for ``kl="k3"``: :func:`reduced_step` iterated per prompt."""
    p_ref = np.asarray(p_ref, dtype=float).reshape(-1)
    w = statistics_weights(params, statistics)
    beta, alpha = float(params.beta), float(params.alpha)
    clip = None if params.clip is None else float(params.clip)
    clip_high = None if params.clip is None else float(params.clip_high)
    out = np.empty((iterations + 1, p_ref.size))
    cache: dict[float, list[float]] = {}
    with mp.workdps(30):
        for i, pr in enumerate(p_ref):
            if pr not in cache:
                traj = [float(pr)]
                p = float(pr)
                for _ in range(iterations):
                    L = mp.log(p) - mp.log1p(-p)
                    wp, wm = (float(x) for x in w.omega_pm_mp(L))
                    p = reduced_step(p_old=p, p_ref=float(pr), w_plus=wp, w_minus=wm, beta=beta,
                                     alpha=alpha, clip=clip, clip_high=clip_high, kl="k3")
                    traj.append(p)
                cache[pr] = traj
            out[:, i] = cache[pr]
    return out


#: what :func:`effective_pos` uses, by ``kl`` and whether ``params.clip`` is set (for reports)
EFFECTIVE_ROUTES = {
    ("exact", False): "grpo_symbolic.exact.logit_map.LogitMap (closed form: the paper's recurrence)",
    ("exact", True): "grpo_symbolic.exact.clipped.ClippedMap (closed form of the clipped maximiser)",
    ("k3", False): ("two-class reduced objective, grid + golden section "
                    "(grpo_symbolic.training.theory.reduced_step)"),
    ("k3", True): ("two-class reduced objective with clipping, grid + golden section "
                   "(grpo_symbolic.training.theory.reduced_step)"),
}


def effective_route(params: Params, kl: str = "exact") -> str:
    """The name of the route :func:`effective_pos` takes for ``params`` and ``kl``."""
    if kl not in ("exact", "k3"):
        raise ValueError(f"kl must be exact or k3, got {kl!r}")
    return EFFECTIVE_ROUTES[(kl, params.clip is not None)]


def effective_pos(params: Params, p_ref, iterations: int, *, statistics: str = "group",
                  kl: str = "exact") -> np.ndarray:
    """PoS trajectories ``(iterations+1, N)`` of the exact maximiser of the *expected*
    objective actually optimised by the variant ``params`` (its clipping ``params.clip``,
    ``params.clip_high``) with the KL estimator ``kl``, weights of ``statistics``:

    * ``kl="exact"``: closed forms -- :func:`predict_pos` (no clip; the recurrence itself) or
      :func:`clipped_pos` (:class:`~grpo_symbolic.exact.clipped.ClippedMap`);
    * ``kl="k3"``: the two-class model maximised numerically (:func:`reduced_step`), with
      clipping when ``params.clip`` is set.
    """
    effective_route(params, kl)  # checks kl
    if kl == "k3":
        return _k3_pos(params, p_ref, iterations, statistics)
    if params.clip is None:
        return predict_pos(params, p_ref, iterations, statistics=statistics)
    return clipped_pos(params, p_ref, iterations, statistics=statistics)
