r"""Brute-force maximiser of one clipped GRPO iteration on a finite outcome space.

An *independent* numeric route for :mod:`grpo_symbolic.symbolic.clipped`: it maximises the
clipped objective directly over the simplex of a finite outcome space, for *any* ``pi_ref``
and any ``pi_{n-1}`` of full support (not only tilts), and never uses the closed form
``q* = max(min(p_a, t1), min(p_b, t2), p_c)``.

**Objective.**  For outcomes ``o = 0..K-1``, success set ``S``, ``A(o) = +w_plus`` on ``S`` and
``-w_minus`` on ``F``, clip bounds ``1 - eps_low``, ``1 + eps_high``:

.. math:: \Phi(\pi) = \sum_{o} \pi_{n-1}(o)\, f\Big(\frac{\pi(o)}{\pi_{n-1}(o)}, A(o)\Big)
          - \beta\Big[\alpha\,\mathrm{KL}(\pi\|\pi_{\mathrm{ref}}) + (1-\alpha)\,\mathrm{KL}(\pi\|\pi_{n-1})\Big],

``f(x, y) = min(x y, clip(x, 1-eps_low, 1+eps_high) y)`` evaluated literally (no identity used)
by :func:`clipped_objective`.

**Maximiser (method).**  ``Phi`` is a sum of one-dimensional concave terms
``phi_o(x) = g_o(x) - beta x log(x/m_o)``, ``m_o = pi_ref(o)^alpha pi_{n-1}(o)^(1-alpha)``, where
``g_o`` is piecewise linear with one kink ``k_o`` (``(1+eps_high) pi_{n-1}(o)`` on S with slopes
``w_plus, 0``; ``(1-eps_low) pi_{n-1}(o)`` on F with slopes ``0, -w_minus``).  For a multiplier
``lambda`` each ``phi_o(x) - lambda x`` has a unique maximiser in closed form (the stationary point
``m_o exp((slope - lambda)/beta - 1)`` of the piece it falls in, or the kink), decreasing in
``lambda``; the multiplier with ``sum_o x_o(lambda) = 1`` is found by bisection in mpmath.  This is
exact KKT for the concave problem on the open simplex (not a grid search): the result is the
unique maximiser up to the bisection tolerance (about ``10^-(dps-5)`` relative).

>>> import numpy as np
>>> ref = np.array([0.1, 0.2, 0.3, 0.25, 0.15]); S = [0, 1]
>>> pi, lam = maximise_clipped(ref, ref, S, beta=2, alpha=1, w_plus=0.7, w_minus=0.3,
...                            eps_low=0.2, eps_high=0.2)
>>> round(float(sum(pi[o] for o in S)), 12)       # the success clip binds: (1 + 0.2) * 0.3
0.36
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import numpy as np

__all__ = ["clipped_objective", "maximise_clipped", "weights_at", "brute_force_step", "kkt_residual",
           "tilt", "conditional_laws"]


def _mpf(x):
    if isinstance(x, Fraction):
        return mp.mpf(x.numerator) / x.denominator
    return x if isinstance(x, mp.mpf) else mp.mpf(x)


def _vec(a):
    """A sequence (list, tuple, numpy array; floats, strings, Fractions, mpf) as a list of mpf."""
    return [_mpf(x) for x in (a.tolist() if isinstance(a, np.ndarray) else a)]


def _law(a):
    """``a`` as a list of mpf normalised to sum 1 at the working precision (float inputs are
    rarely normalised to more than 1e-16)."""
    v = _vec(a)
    z = mp.fsum(v)
    return [x / z for x in v]


def _check(pi_ref, pi_prev, S, beta, alpha, eps_low, eps_high):
    K = len(pi_ref)
    if len(pi_prev) != K or K < 2:
        raise ValueError("pi_ref and pi_prev must have the same length K >= 2")
    if any(x <= 0 for x in pi_ref) or any(x <= 0 for x in pi_prev):
        raise ValueError("pi_ref and pi_prev must have full support")
    if not S or len(set(S)) >= K or min(S) < 0 or max(S) >= K:
        raise ValueError("S must be a nonempty proper subset of 0..K-1")
    if not beta > 0 or not 0 <= alpha <= 1 or not 0 <= eps_low < 1 or not eps_high >= 0:
        raise ValueError("need beta > 0, 0 <= alpha <= 1, 0 <= eps_low < 1, eps_high >= 0")


def clipped_objective(pi, pi_ref, pi_prev, S, *, beta, alpha, w_plus, w_minus, eps_low, eps_high):
    """``Phi(pi)`` evaluated literally (``f`` with ``min`` and ``clip``; ``KL`` as sums); mpmath.
    ``pi_ref`` and ``pi_prev`` are normalised first; ``pi`` is taken as given."""
    pi, ref, prev = _vec(pi), _law(pi_ref), _law(pi_prev)
    beta, alpha, w_plus, w_minus = (_mpf(z) for z in (beta, alpha, w_plus, w_minus))
    lo, hi = 1 - _mpf(eps_low), 1 + _mpf(eps_high)
    Sset = set(S)
    surr = mp.mpf(0)
    for o, (x, b) in enumerate(zip(pi, prev)):
        ratio = x / b
        A = w_plus if o in Sset else -w_minus
        surr += b * min(ratio * A, min(max(ratio, lo), hi) * A)
    kl_ref = mp.fsum(x * mp.log(x / r) for x, r in zip(pi, ref))
    kl_prev = mp.fsum(x * mp.log(x / b) for x, b in zip(pi, prev))
    return surr - beta * (alpha * kl_ref + (1 - alpha) * kl_prev)


def _pieces(ref, prev, S, beta, alpha, w_plus, w_minus, eps_low, eps_high):
    """Per outcome: (log m_o, kink k_o, slope before, slope after) (laws already normalised)."""
    out = []
    Sset = set(S)
    for o, (r, b) in enumerate(zip(ref, prev)):
        logm = alpha * mp.log(r) + (1 - alpha) * mp.log(b)
        if o in Sset:
            out.append((logm, (1 + eps_high) * b, w_plus, mp.mpf(0)))
        else:
            out.append((logm, (1 - eps_low) * b, mp.mpf(0), -w_minus))
    return out


def _x_of_lambda(piece, lam, beta):
    """Unique maximiser of ``phi_o(x) - lam x`` (concave, one kink)."""
    logm, k, s_hi, s_lo = piece
    x_hi = mp.exp(logm + (s_hi - lam) / beta - 1)
    if x_hi < k:
        return x_hi
    x_lo = mp.exp(logm + (s_lo - lam) / beta - 1)
    if x_lo > k:
        return x_lo
    return k


def maximise_clipped(pi_ref, pi_prev, S, *, beta, alpha, w_plus, w_minus, eps_low, eps_high, dps: int = 40,
                     max_iter: int = 2000):
    """The maximiser of :func:`clipped_objective` over the simplex (see module docstring).

    Returns ``(pi, lam)``: the maximiser as a list of mpf (at ``dps`` digits) and the multiplier.
    """
    with mp.workdps(dps):
        beta, alpha, w_plus, w_minus = (_mpf(z) for z in (beta, alpha, w_plus, w_minus))
        eps_low, eps_high = _mpf(eps_low), _mpf(eps_high)
        _check(_vec(pi_ref), _vec(pi_prev), list(S), beta, alpha, eps_low, eps_high)
        ref, prev = _law(pi_ref), _law(pi_prev)
        pieces = _pieces(ref, prev, S, beta, alpha, w_plus, w_minus, eps_low, eps_high)

        def total(lam):
            return mp.fsum(_x_of_lambda(pc, lam, beta) for pc in pieces)

        lo, hi = mp.mpf(-1), mp.mpf(1)
        while total(lo) < 1:
            lo *= 2
        while total(hi) > 1:
            hi *= 2
        tol = mp.mpf(10) ** (-(dps - 5))
        for _ in range(max_iter):
            mid = (lo + hi) / 2
            if total(mid) > 1:
                lo = mid
            else:
                hi = mid
            if hi - lo <= tol * (1 + abs(mid)):
                break
        lam = (lo + hi) / 2
        x = [_x_of_lambda(pc, lam, beta) for pc in pieces]
        Z = mp.fsum(x)
        return [xi / Z for xi in x], lam


def kkt_residual(pi, lam, pi_ref, pi_prev, S, *, beta, alpha, w_plus, w_minus, eps_low, eps_high):
    """``max_o dist(lam, [right derivative, left derivative] of phi_o at pi(o))``: 0 at the maximiser."""
    ref, prev, pi = _law(pi_ref), _law(pi_prev), _vec(pi)
    beta, alpha, w_plus, w_minus = (_mpf(z) for z in (beta, alpha, w_plus, w_minus))
    pieces = _pieces(ref, prev, S, beta, alpha, w_plus, w_minus, _mpf(eps_low), _mpf(eps_high))
    worst = mp.mpf(0)
    for (logm, k, s_hi, s_lo), x in zip(pieces, pi):
        smooth = -beta * (mp.log(x) - logm + 1)
        right = (s_hi if x < k else s_lo) + smooth
        left = (s_hi if x <= k else s_lo) + smooth
        worst = max(worst, max(right - lam, 0) + max(lam - left, 0))
    return worst


def weights_at(p, norm: str = "std", eps=0):
    """The paper's ``(w_plus, w_minus)`` at the PoS ``p`` of ``pi_{n-1}`` (std: ``((1-p), p)/sqrt(p(1-p)+eps)``;
    mean: ``(1-p, p)``); mpmath, computed here independently of the symbolic layer."""
    p = _mpf(p)
    if norm == "mean":
        return 1 - p, p
    if norm != "std":
        raise ValueError(f"norm must be 'std' or 'mean', got {norm!r}")
    Om = 1 / mp.sqrt(p * (1 - p) + _mpf(eps))
    return (1 - p) * Om, p * Om


def brute_force_step(pi_ref, pi_prev, S, *, beta, alpha, norm="std", eps=0, eps_low=0.2, eps_high=0.2, dps=40):
    """One clipped iteration by brute force: weights from ``p_{n-1} = sum_S pi_{n-1}``, then
    :func:`maximise_clipped`.  Returns ``(pi_n, p_n)``."""
    with mp.workdps(dps):
        prev = _law(pi_prev)
        p_prev = mp.fsum(prev[o] for o in S)
        wp, wm = weights_at(p_prev, norm, eps)
        pi, _ = maximise_clipped(pi_ref, prev, S, beta=beta, alpha=alpha, w_plus=wp, w_minus=wm, eps_low=eps_low,
                                 eps_high=eps_high, dps=dps)
        return pi, mp.fsum(pi[o] for o in S)


def tilt(pi_ref, S, p):
    """The reward-only tilt of ``pi_ref`` (normalised first) with PoS ``p`` (mpmath list)."""
    ref = _law(pi_ref)
    p = _mpf(p)
    pS = mp.fsum(ref[o] for o in S)
    Sset = set(S)
    return [r * (p / pS if o in Sset else (1 - p) / (1 - pS)) for o, r in enumerate(ref)]


def conditional_laws(pi, S):
    """``(law on S, law on F)`` of ``pi`` (lists of mpf, in the order of the outcomes)."""
    pi = _vec(pi)
    Sset = set(S)
    s_ = [x for o, x in enumerate(pi) if o in Sset]
    f_ = [x for o, x in enumerate(pi) if o not in Sset]
    zs, zf = mp.fsum(s_), mp.fsum(f_)
    return [x / zs for x in s_], [x / zf for x in f_]
