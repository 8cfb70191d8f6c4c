r"""Numeric cross-checks of the derivations (NumPy, float64), independent of SymPy.

Everything here is computed from the *definitions* only:

* :func:`advantages` computes ``A(o) = (r(o) - mu)/sqrt(sigma^2 + eps)`` (or ``r - mu``)
  from the reward moments of ``pi_{n-1}``;
* :func:`objective` is ``E_pi A - alpha beta KL(pi||pi_ref) - (1-alpha) beta KL(pi||pi_{n-1})``;
* :func:`maximise` maximises it over the simplex from a random start by
  exponentiated-gradient (mirror) ascent or plain gradient ascent on the softmax
  logits, with backtracking, stopping when the tangent gradient vanishes;
* :func:`renyi` is ``log(sum P^a Q^(1-a))/(a-1)`` on arrays.

>>> rng = np.random.default_rng(0)
>>> ref, prev = random_distribution(4, rng), random_distribution(4, rng)
>>> S = np.array([1, 1, 0, 0], bool)
>>> A = advantages(prev, S, "std", 0.1)
>>> pi = maximise(ref, prev, A, beta=1.0, alpha=0.5)
>>> bool(objective(pi, ref, prev, A, 1.0, 0.5) >= objective(ref, ref, prev, A, 1.0, 0.5))
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["random_distribution", "advantages", "objective", "gradient", "maximise", "renyi", "pos"]


def random_distribution(K: int, rng, spread: float = 2.0) -> np.ndarray:
    """A random full-support distribution on ``K`` outcomes (log-normal weights)."""
    w = np.exp(spread * rng.standard_normal(K))
    return w / w.sum()


def pos(dist, S) -> float:
    """``sum_S dist``."""
    return float(np.asarray(dist)[np.asarray(S, bool)].sum())


def advantages(prev, S, norm: str, eps: float) -> np.ndarray:
    """``A(o)`` from the reward mean and variance under ``prev`` (population statistics)."""
    r = np.asarray(S, float)
    mu = float(np.dot(prev, r))
    var = float(np.dot(prev, (r - mu) ** 2))
    if norm == "std":
        return (r - mu) / np.sqrt(var + eps)
    if norm == "mean":
        return r - mu
    raise ValueError(norm)


def _normalise_log(th):
    m = th.max()
    return th - (m + np.log(np.sum(np.exp(th - m))))


def _objective_log(lp, ref, prev, A, beta, alpha):
    pi = np.exp(lp)
    return float(np.dot(pi, A) - alpha * beta * np.dot(pi, lp - np.log(ref))
                 - (1 - alpha) * beta * np.dot(pi, lp - np.log(prev)))


def objective(pi, ref, prev, A, beta: float, alpha: float) -> float:
    """``E_pi A - alpha beta KL(pi||ref) - (1-alpha) beta KL(pi||prev)``."""
    return _objective_log(np.log(np.asarray(pi, float)), ref, prev, A, beta, alpha)


def gradient(pi, ref, prev, A, beta: float, alpha: float) -> np.ndarray:
    """``dJ/dpi(o)`` (unconstrained partial derivatives)."""
    lp = np.log(np.asarray(pi, float))
    return (A - alpha * beta * (lp - np.log(ref) + 1) - (1 - alpha) * beta * (lp - np.log(prev) + 1))


def maximise(ref, prev, A, beta: float, alpha: float, *, method: str = "mirror", rng=None,
             tol: float = 1e-10, max_iter: int = 100000) -> np.ndarray:
    """Maximise :func:`objective` over the open simplex (see module docstring).

    ``method="mirror"``: exponentiated-gradient steps ``log pi += eta (g - <pi, g>)``
    with the fixed step ``eta = 0.4/beta`` (so it never lands on the stationary point in
    one step; each step contracts the distance to it by ``0.6``);
    ``method="euclid"``: plain gradient ascent on the softmax logits with backtracking.
    Both stop when the tangent gradient ``g - <pi, g>`` is below ``tol``.
    """
    rng = rng or np.random.default_rng(12345)
    lp = _normalise_log(2 * rng.standard_normal(len(ref)))
    lr, lq = np.log(ref), np.log(prev)
    J = _objective_log(lp, ref, prev, A, beta, alpha)
    eta = 0.4 / beta if method == "mirror" else 1.0
    for _ in range(max_iter):
        g = A - alpha * beta * (lp - lr + 1) - (1 - alpha) * beta * (lp - lq + 1)
        pi = np.exp(lp)
        gc = g - np.dot(pi, g)                      # tangent gradient on the simplex
        if np.max(np.abs(gc)) < tol:
            break
        if method == "mirror":
            lp = _normalise_log(lp + eta * gc)
            continue
        step = eta
        while step > 1e-16:
            new = _normalise_log(lp + step * pi * gc)
            Jn = _objective_log(new, ref, prev, A, beta, alpha)
            if Jn > J:
                break
            step /= 2
        else:
            break                                   # no ascent possible at float precision
        lp, J = new, Jn
        eta = step * 2
    return np.exp(lp)


def renyi(P, Q, a: float) -> float:
    """Rényi divergence of order ``a != 1``."""
    P, Q = np.asarray(P, float), np.asarray(Q, float)
    return float(np.log(np.sum(P ** a * Q ** (1 - a))) / (a - 1))
