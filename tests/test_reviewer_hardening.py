"""Hostile inputs get one line on stderr and exit 2, quickly: huge exponents and integers in
claim files and on the command line, non-regular files (a FIFO, /dev/zero, a directory)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CLAIM = '[[claim]]\nid = "x"\nnorm = "std"\npredicate = "beta > 0"\n[claim.domain]\nbeta = {beta}\neps = 1e-5\np_ref = {p_ref}\n'


def _run(*args, timeout=60):
    return subprocess.run([sys.executable, "-m", "grpo_symbolic", *args], capture_output=True, text=True,
                          timeout=timeout)


def _one_line_exit_2(r):
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("beta,p_ref", [("1e999999999", "0.2"), ("1", "1e-999999999"), ("9" * 5000, "0.2"),
                                        ("1", "1e-4001")])
def test_huge_numbers_in_a_claim_file(tmp_path, beta, p_ref):
    f = tmp_path / "c.toml"
    f.write_text(CLAIM.format(beta=beta, p_ref=p_ref))
    _one_line_exit_2(_run("check", str(f), timeout=30))


def test_non_regular_files_are_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero", str(tmp_path)):
        _one_line_exit_2(_run("check", path, timeout=30))


@pytest.mark.parametrize("flag,value", [("--beta", "1e-999999"), ("--eps", "1e999999"), ("--p-ref", "1e-5000"),
                                        ("--beta", "1/" + "7" * 5000)])
def test_huge_exponents_on_the_command_line(flag, value):
    _one_line_exit_2(_run("dynamics", flag, value, timeout=30))


def test_counterexample_summaries_keep_exponents():
    from grpo_symbolic.reviewer.checker import _short

    assert _short("1 - [1.0108330213e-13733 +/- 1e-13740]") == "1 - 1.010833021e-13733"
    assert _short("[4.582466590003e-7 +/- 1e-20]") == "4.58246659e-7" and _short("1/2500000") == "4.0e-7"


def test_iterates_are_costed_by_their_index():
    from grpo_symbolic.reviewer.language import compile_predicate

    assert compile_predicate("p_n(10000) > 0").work > 1000 * compile_predicate("p_n(2) > 0").work


def test_an_incomplete_cover_never_reads_100_percent():
    from fractions import Fraction

    from grpo_symbolic.reviewer.checker import _pct

    assert _pct(1 - Fraction(1, 10**9)) == "more than 99.9999% (not all)" and _pct(Fraction(1)) == "100%"
    assert _pct(Fraction(1, 2)) == "50%"
