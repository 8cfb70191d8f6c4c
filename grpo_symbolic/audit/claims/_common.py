"""Shared vocabulary of the claims: symbols, definitions from the paper's notation
section (definitions are not claims), domains, and engine-backed witnesses.

Formulas *claimed* by the paper are transcribed in each claim, next to its id;
the objects they are compared with come from definitions or derivations.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import mpmath as mp
import sympy as sp

from ...exact.dynamics import compute_dynamics
from ...params import Params
from ...verify.domains import interval, positive, prob, real
from ...verify.verdict import Result, certified, refuted, undecided

# --------------------------------------------------------------- symbols
p = sp.Symbol("p", positive=True)  # PoS, in (0,1) (the domain says so)
p_ref = sp.Symbol("p_ref", positive=True)
p_prev = sp.Symbol("p_prev", positive=True)  # p_{n-1}
p_star = sp.Symbol("p_star", positive=True)
beta = sp.Symbol("beta", positive=True)
eps = sp.Symbol("epsilon", positive=True)  # smoothing (the paper's varepsilon)
alpha = sp.Symbol("alpha", positive=True)
L, L_ref, L_prev = sp.symbols("L L_ref L_prev", real=True)
x, y = sp.symbols("x y", positive=True)
clip = sp.Symbol("clip_epsilon", nonnegative=True)  # the paper's clip epsilon
u = sp.Symbol("u", positive=True)  # odds p/(1-p), used to make signs visible

V_p, V_pref, V_pprev, V_pstar = prob(p), prob(p_ref), prob(p_prev), prob(p_star)
V_beta = positive(beta)
V_eps = interval(eps, 0, 1, lo_open=True)  # the paper's (0, 1]
V_alpha = interval(alpha, 0, 1, lo_open=True, hi_open=True)
V_L, V_Lref = real(L), real(L_ref)


# ----------------------------------------------------------- definitions
def sigmoid(z):
    return 1 / (1 + sp.exp(-z))


def logit(q):
    return sp.log(q) - sp.log(1 - q)


def _derived(name: str, q, e):
    """The weight ``name`` as derived from the advantage by ``grpo-symbolic derive``
    (:func:`grpo_symbolic.symbolic.weights.weights`), at PoS ``q`` and smoothing ``e``."""
    from ...symbolic import symbols as S_
    from ...symbolic.weights import weights

    return weights("std").result[name].xreplace({S_.p: q, S_.eps: e})


def w_plus(q, e=eps):
    """omega^+_eps of eq. (4): (1-q)/sqrt(q(1-q)+eps), from the derivation of the weights."""
    return _derived("omega_plus", q, e)


def w_minus(q, e=eps):
    """omega^-_eps of eq. (4): q/sqrt(q(1-q)+eps), from the derivation of the weights."""
    return _derived("omega_minus", q, e)


def Omega(q, e=eps):
    """Omega_eps = omega^+ + omega^- (sum of the definitions, not the paper's closed form)."""
    return w_plus(q, e) + w_minus(q, e)


def odds_sub(expr, q=p):
    """Substitute q = u/(1+u) (u > 0 the odds), so that SymPy sees 1-q = 1/(1+u) > 0."""
    return sp.simplify(expr.subs(q, u / (1 + u)))


# ------------------------------------------------------------- engine
@lru_cache(maxsize=None)
def dyn(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2", p0=None, digits=30, clip=None):
    P = Params.parse(norm=norm, beta=beta, alpha=alpha, eps=eps, p_ref=p_ref, p0=p0, clip=clip)
    return compute_dynamics(P, digits=digits, steps=20000)


def command(norm="std", beta="1", alpha="1", eps="1e-5", p_ref="0.2", p0=None, clip=None) -> str:
    s = f"grpo-symbolic dynamics --norm {norm} --beta {beta} --alpha {alpha} --eps {eps} --p-ref {p_ref}"
    return s + (f" --p0 {p0}" if p0 else "") + (f" --clip {clip}" if clip else "") + " --json"


def engine_evidence(rep, **kw) -> dict:
    js = rep.to_json()
    return {"kind": "engine", "params": js["params"], "command": command(**kw),
            "fixed_points": [{k: f[k] for k in ("p", "one_minus_p", "logit", "slope", "stable")} for f in js["fixed_points"]],
            "isolation_complete": js["isolation"]["complete"],
            "orbit": {k: js["orbit"][k] for k in ("kind", "period", "p", "one_minus_p", "evidence")}}


def witness(summary: str, predicate, refutes: bool = False, **kw) -> Result:
    """A certified engine computation at the parameters ``kw``; ``predicate(report)``
    decides whether it witnesses ``summary``.

    Witnessed: ``certified`` (an existence statement, witnessed at the stated
    parameters) or, with ``refutes``, ``refuted`` (the stated parameters are the
    counterexample; the orbit or fixed points are certified by the engine and
    re-checked by brute-force iteration).  Not witnessed: ``undecided``, never a
    refutation."""
    from ...verify.checks import Spec

    rep = dyn(**kw)
    ev = engine_evidence(rep, **kw)
    point = {k: str(v) for k, v in kw.items()}
    if not predicate(rep):
        res = undecided(f"not witnessed: {summary}", ev)
    elif refutes:
        res = refuted(summary, {"point": point, "certified_by": "Arb engine (isolation, Newton, orbit certificates)",
                                "command": ev["command"]}, ev)
    else:
        res = certified(summary, {"scope": "witness at the stated parameters", "point": point,
                                  "command": ev["command"]}, ev)
    res.spec = Spec("engine", dict(params=kw, report=rep))
    return res


def fmt(x, n=6) -> str:
    return mp.nstr(x, n)


def frac(s) -> Fraction:
    return Fraction(s)


def orbit_balls(n: int, bits: int = 256, **kw):
    """Rigorous Arb enclosures of L_0..L_n (log-odds of p_0..p_n) at the parameters kw."""
    from ...exact.arbutil import arb_prec
    from ...exact.logit_map import LogitMap

    P = Params.parse(**{k: v for k, v in kw.items() if k in ("norm", "beta", "alpha", "eps", "p_ref", "p0")})
    m = LogitMap(P)
    with arb_prec(bits):
        X = m.L_start_arb()
        out = [X]
        for _ in range(n):
            X = m.g_arb_tight(X)
            out.append(X)
    return out


def decreasing_step_witness(n_max: int = 8, **kw) -> Result:
    """Certified p_{n} < p_{n-1} for some n <= n_max (Arb balls of the log-odds), as
    a witness that the orbit is not monotone; ``undecided`` when none is found."""
    balls = orbit_balls(n_max, **kw)
    point = {k: str(v) for k, v in kw.items()}
    for n in range(1, len(balls)):
        if balls[n] < balls[n - 1]:
            return certified(f"p_{n} < p_{n - 1}: L_{n - 1} = {balls[n - 1].str(12)}, L_{n} = {balls[n].str(12)} "
                             "(Arb enclosures from the exact start)",
                             {"scope": "witness at the stated parameters", "point": point, "step": n},
                             {"kind": "engine", "params": point, "command": command(**kw),
                              "step": n, "L_prev": balls[n - 1].str(20), "L_n": balls[n].str(20)})
    return undecided(f"no certified decrease within {n_max} steps", {"kind": "engine", "params": point})
