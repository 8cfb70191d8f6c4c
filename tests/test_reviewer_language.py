"""The predicate language: what it accepts, what it rejects, and that it never runs Python."""

import builtins

import pytest

from grpo_symbolic.errors import InputError
from grpo_symbolic.reviewer.language import MAX_TEXT, PredicateError, compile_predicate

ACCEPTED = [
    "all(fp.p > p_ref for fp in fixed_points)",
    "len(fixed_points) >= 1 and all(fp.p > p_ref for fp in fixed_points)",
    "any(fp.stable for fp in fixed_points)",
    "all(not fp.stable for fp in unstable_fixed_points)",
    "all(abs(fp.slope) < 1 for fp in stable_fixed_points)",
    "all(fp.one_minus_p < 0.5 or fp.logit < 0 for fp in fixed_points if fp.stable)",
    "orbit.kind == 'converges' and orbit.limit > p_ref",
    "orbit.kind != 'cycle' or orbit.period == 2",
    "orbit.kind == \"to_one\"",
    "len(orbit.points) <= 2 and max(orbit.points) < 1",
    "abs(orbit.multiplier) < 1",
    "all(bp.stable for bp in boundary_fixed_points if bp.p == 1)",
    "all(p_n(n) > p_n(n - 1) for n in range(1, 201))",
    "all(L_n(n + 1) - L_n(n) >= 2 / beta for n in range(50))",
    "all(p_n(2 * n) > p_ref for n in range(1, 10))",
    "h(p) > p_ref",
    "0 < h(p) < 1",
    "dh(p) > 0 or p < 0.5",
    "g(logit(p)) - logit(p) > 0",
    "abs(dg(0)) < 10",
    "sigmoid(logit(p_ref) + 1 / beta) == h(0.5) or True",
    "sqrt(p * (1 - p) + eps) ** -1 <= 1 / sqrt(eps + 1e-300)",
    "exp(log(beta)) > 0 and min(beta, alpha, 1) <= 1 and max(p0, p_ref) < 1",
    "p ** 2 <= p and p ** 0.5 >= p and p ** (1/2) >= p",
    "-beta < 0 and +beta > 0",
    "min(fp.p for fp in fixed_points) > p_ref",
    "max(fp.p for fp in stable_fixed_points if fp.p < 0.99) > 0",
    "all(fp.p > q.p or fp.p <= q.p for fp in fixed_points for q in fixed_points)",
    "all(p_n(n) > p_ref for n in count(1))",
    "any(abs(p_n(n + 2) - p_n(n)) < 1e-6 for n in count(0))",
    "all(L_n(n) > L_n(n - 1) or orbit.period == 2 for n in count(3) if p_n(n) < 0.9) or True",
    "all(p_n(n + 1) != p_n(2 + n) for n in count(0))",
    "True",
    "not False",
    "1e-5 < 2.5e-5 and 1.0 > 0.999",
    "p_ref > 0\n  and beta > 0",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepts_documented_language(text):
    pred = compile_predicate(text)
    assert pred.root.type == "bool"
    assert pred.canonical


def test_uses_flags():
    p = compile_predicate("all(fp.p > p_ref for fp in fixed_points)")
    assert p.uses_fixed and not p.uses_orbit and p.uses_engine
    p = compile_predicate("orbit.kind == 'cycle'")
    assert p.uses_orbit and "p0" in p.depends_on()
    p = compile_predicate("all(p_n(n) > p_ref for n in range(1, 7))")
    assert not p.uses_engine and p.max_index == 6 and p.uses_iterates
    p = compile_predicate("all(p_n(n + 1) > p_n(n) for n in count(2))")
    assert p.uses_count and p.uses_orbit and p.root.bounds == (0, 1)
    p = compile_predicate("beta > 0")
    assert p.depends_on() == {"beta"}
    p = compile_predicate("h(p) > p_ref")
    assert {"p", "beta", "alpha", "eps", "p_ref", "norm"} <= p.depends_on() and "p0" not in p.depends_on()


MALICIOUS = [
    ("__import__('os').system('true')", "'__import__' is not allowed"),
    ("__import__('os') == 1", "'__import__' is not allowed"),
    ("h(p).conjugate() > 0", "only the listed functions can be called"),
    ("fixed_points.__class__", "attribute '__class__' is not allowed"),
    ("fixed_points.__class__.__bases__[0].__subclasses__()", "not allowed"),
    ("orbit.__dict__ == 1", "not allowed"),
    ("(lambda: 1)() > 0", "only the listed functions"),
    ("lambda: 1", "lambda"),
    ("10**10**10 > 1", "exponent of ** must be a numeric constant"),
    ("beta ** 1000 > 1", "too large"),
    ("2 ** 99 > 1", "too large"),
    ("all(p_n(n) > 0 for n in range(0, 100000))", "range(...) too long"),
    ("all(p_n(n) > 0 for n in range(99990, 100000))", "reaches"),
    ("all(all(p_n(n) > 0 for m in range(5000)) for n in range(5000))", "too expensive"),
    ("(" * 300 + "beta" + ")" * 300 + " > 0", "syntax error"),
    ("-" * 3000 + "beta > 0", "nested too deeply"),
    ("not " * 200 + "True", "nested too deeply"),
    ("+".join(["beta"] * 300) + " > 0", "nested too deeply"),
    (" and ".join(["beta > 0"] * 150), "too large"),
    ("eval('1') > 0", "unknown function 'eval'"),
    ("exec('x') == 1", "unknown function 'exec'"),
    ("open('/etc/passwd') == 1", "unknown function 'open'"),
    ("getattr(orbit, 'kind') == 'cycle'", "unknown function"),
    ("beta.real > 0", "attribute access is allowed only"),
    ("fp.p > 0", "unknown name 'fp'"),
    ("os > 0", "unknown name 'os'"),
    ("_x > 0", "names starting with '_'"),
    ("p_ref[0] > 0", "subscript"),
    ("[fp for fp in fixed_points] == 1", "list comprehension"),
    ("all([True])", "takes a generator"),
    ("all(x for x in [1, 2])", "list"),
    ("all(x > 0 for x in beta)", "a generator can run over"),
    ("all(n > 0 for n in range(beta))", "integer constants"),
    ("f'{beta}' == 'cycle'", "f-string"),
    ("(x := 1) > 0", "assignment"),
    ("beta if True else 0", "conditional expression"),
    ("{1: 2} == 1", "dict"),
    ("'abc' == orbit.kind", "not an orbit kind"),
    ("orbit.kind == 'unresolved'", "not a property of the orbit"),
    ("orbit.kind < 'cycle'", "only be compared with == or !="),
    ("orbit.kind == 1", "cannot compare"),
    ("fp_count > 0", "unknown name"),
    ("b'x' == 1", "constant"),
    ("1j > 0", "not allowed"),
    ("0x10 > beta", "unsupported numeric literal"),
    ("1_000 > beta", "unsupported numeric literal"),
    ("1e99999 > beta", "out of range"),
    ("1" * 201 + " > beta", "too long"),
    ("beta in fixed_points", "comparison 'in'"),
    ("beta is None", "not allowed"),
    ("beta is 1", "comparison 'is'"),
    ("h(p_ref)", "must be a condition"),
    ("h(p_ref, 1) > 0", "takes 1 argument"),
    ("h(x=1) > 0", "keyword arguments"),
    ("h(*p) > 0", "starred"),
    ("p_n(len(fixed_points)) > 0", "index of p_n"),
    ("all(p_n(n - 1) > 0 for n in range(0, 5))", "can be negative"),
    ("p_n(0.5) > 0", "index of p_n"),
    ("all(fp > 0 for fp in fixed_points)", "cannot compare"),
    ("all(fp for fp in fixed_points)", "expected a condition"),
    ("all(h(p) > 0 for h in range(3))", "not allowed"),
    ("all(fp.p > 0 for fp in fixed_points for fp in fixed_points)", "not allowed"),
    ("len(beta) > 0", "takes a collection"),
    ("min(fixed_points) > 0", "write min(fp.p"),
    ("fixed_points > 0", "cannot compare"),
    ("orbit > 0", "cannot compare"),
    ("fp.stable == True for fp in fixed_points", "syntax error"),
    ("all(fp.stable == True for fp in fixed_points)", "cannot compare"),
    ("beta > 0 and", "syntax error"),
    ("beta > 0; import os", "syntax error"),
    ("import os", "syntax error"),
    ("", "empty predicate"),
    ("   \n ", "empty predicate"),
    ("a\x00", "NUL"),
    ("beta > 0 " * 1000, "too long"),
    ("await beta", "await"),
    ("yield beta", "syntax error"),
    ("beta @ beta > 0", "not allowed"),
    ("beta // 2 > 0", "not allowed"),
    ("beta % 2 > 0", "not allowed"),
    ("~beta > 0", "not allowed"),
    ("range(3) == 1", "only as the source"),
    ("count(3) == 1", "only as the source"),
    ("all(fixed_points[n].p > 3 for n in count(1))", "integer constant"),
    ("all(p_n(n) > 0 for n in count(1)) and n > 0", "unknown name"),
    ("fixed_points[0:1] == 1", "slices"),
    ("fixed_points[0] > 0", "cannot compare"),
    ("orbit.points[10001] > 0", "out of range"),
    ("1" + "0" * 200 + " > beta", "too long"),
    ("1e-4001 < beta", "out of range"),
    ("all(p_n(2 * n) > 0 for n in count(1))", "must be n + c"),
    ("all(p_n(n - 2) > 0 for n in count(1))", "can be negative"),
    ("all(p_n(n) > 0 for n in count(beta))", "count takes one integer constant"),
    ("all(p_n(n) > 0 for n in count(-1))", "count(a) needs an integer constant"),
    ("min(p_n(n) for n in count(1)) > 0", "single generator of all"),
    ("all(p_n(n) > p_n(m) for n in count(1) for m in range(3))", "single generator"),
    ("all(all(p_n(n) > p_n(m) for m in count(1)) for n in count(1))", "at most one count"),
    ("all(n > 0 for n in range(-5, 3))", "start at 0"),
]


@pytest.mark.parametrize("text,fragment", MALICIOUS)
def test_rejects_with_one_line(text, fragment):
    with pytest.raises(PredicateError) as info:
        compile_predicate(text)
    msg = str(info.value)
    assert "\n" not in msg
    assert fragment.lower() in msg.lower(), msg
    assert isinstance(info.value, InputError)
    assert info.value.line >= 1


def test_error_names_the_line_inside_a_multiline_predicate():
    with pytest.raises(PredicateError) as info:
        compile_predicate("beta > 0 and\n  p_ref > 0 and\n  os.system('x')")
    assert info.value.line == 3


def test_never_calls_python_eval(monkeypatch):
    """Checking a claims file never reaches eval/exec, and compile only through
    ast.parse (flag PyCF_ONLY_AST: a syntax tree, no code object)."""
    import ast

    from grpo_symbolic.reviewer import check_text

    text = """
[[claim]]
id = "a"
norm = "std"
predicate = "all(fp.p > p_ref for fp in fixed_points) and all(p_n(n) > 0 for n in range(3)) and h(0.5) > 0"
[claim.domain]
beta = 1
eps = "1e-5"
p_ref = 0.2
"""
    check_text(text)  # warm up lazy imports
    calls = []
    for name in ("eval", "exec", "compile"):
        real = getattr(builtins, name)

        def spy(*a, _real=real, _name=name, **k):
            flags = a[3] if len(a) > 3 else k.get("flags", 0)
            if not (_name == "compile" and flags & ast.PyCF_ONLY_AST):
                calls.append(_name)
            return _real(*a, **k)
        monkeypatch.setattr(builtins, name, spy)
    res = check_text(text.replace('"a"', '"b"'))
    assert res[0].verdict == "certified"
    assert calls == []


def test_limits_are_stated_in_the_module_docstring():
    import grpo_symbolic.reviewer.language as L

    assert str(MAX_TEXT) in L.__doc__ and "10000" in L.__doc__
