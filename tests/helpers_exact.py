"""Independent reference computations for the exact-engine tests (plain mpmath,
no Arb, no code shared with grpo_symbolic.exact)."""

import mpmath as mp


def _mp(x):
    """An exact rational (Fraction, int or decimal text) at the working precision."""
    from fractions import Fraction

    x = Fraction(x)
    return mp.mpf(x.numerator) / x.denominator


def ref_G(L, *, norm, beta, alpha, eps, p_ref):
    """G(L) = alpha (logit p_ref - L) + Omega(sigmoid L)/beta, straight from the
    p-space formulas: Omega = 1/sqrt(p(1-p) + eps) (std) or 1 (mean).
    Parameters are exact rationals (converted at the working precision)."""
    beta, alpha, eps, p_ref = _mp(beta), _mp(alpha), _mp(eps), _mp(p_ref)
    p = 1 / (1 + mp.exp(-L))
    q = 1 / (1 + mp.exp(L))  # 1 - p without cancellation
    om = mp.mpf(1) if norm == "mean" else 1 / mp.sqrt(p * q + eps)
    Lref = mp.log(p_ref) - mp.log(1 - p_ref)
    return alpha * (Lref - L) + om / beta


def ref_g(L, **kw):
    return L + ref_G(L, **kw)


def scan_zeros(f, lo, hi, n=4000):
    """Brackets of sign changes of f on a grid uniform in asinh(L) over [lo, hi]."""
    a, b = mp.asinh(lo), mp.asinh(hi)
    xs = [mp.sinh(a + (b - a) * i / n) for i in range(n + 1)]
    fs = [f(x) for x in xs]
    return [(xs[i], xs[i + 1]) for i in range(n) if fs[i] == 0 or (fs[i] > 0) != (fs[i + 1] > 0)]
