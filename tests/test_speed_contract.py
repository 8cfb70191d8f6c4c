"""The speed contract: start-up stays light and parallel audits change no byte.

* ``grpo-symbolic dynamics`` never imports SymPy (nor torch, SciPy, dask), and building the
  command line imports no heavy dependency at all;
* ``grpo-symbolic NAME`` imports the module of command NAME alone;
* ``audit --jobs 2`` writes the same JSON, Markdown and table as ``audit --jobs 1`` (each
  run in a fresh interpreter, so no cache is shared between the two);
* the batches of a parallel audit cover every statement once, keep shared work together
  and do not depend on anything but their input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from grpo_symbolic.audit import runner
from grpo_symbolic.audit.statements import audit_ids
from grpo_symbolic.cli import main

HEAVY = ("sympy", "torch", "scipy", "dask", "pandas", "pyarrow", "matplotlib")

#: cheap statements of several kinds: SymPy identities, an engine witness (refuted), prose
IDS = "eq3,eq4,thm5.1,thm5.2c,sec2-clip-range,abstract-convergence,takeaway-memory"


def _loaded_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; the heavy modules it loaded and the exit code."""
    probe = (f"import sys, json\n{code}\n"
             f"print(json.dumps({{'heavy': sorted(m for m in {HEAVY!r} if m in sys.modules), "
             f"'commands': sorted(m for m in sys.modules if m.startswith('grpo_symbolic.commands.'))}}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_dynamics_does_not_import_sympy():
    got = _loaded_after("import grpo_symbolic.cli as c\n"
                        "assert c.main(['dynamics', '--digits', '20', '--beta', '5', '--p-ref', '0.001', "
                        "'--json', '/dev/null']) == 0")
    assert got["heavy"] == []


def test_dynamics_imports_only_its_command_module():
    got = _loaded_after("import grpo_symbolic.cli as c\nc.main(['dynamics', '--digits', '5', '--json', '/dev/null'])")
    assert got["commands"] == ["grpo_symbolic.commands._common", "grpo_symbolic.commands.dynamics"]


def test_full_parser_is_light():
    got = _loaded_after("import grpo_symbolic.cli as c\nc.build_parser()\n"
                        "assert not {'numpy', 'mpmath', 'flint', 'rich'} & set(sys.modules)")
    assert got["heavy"] == []


def _audit_process(tmp_path, jobs: int) -> tuple[bytes, bytes, bytes]:
    js, md = tmp_path / f"a{jobs}.json", tmp_path / f"a{jobs}.md"
    out = subprocess.run([sys.executable, "-m", "grpo_symbolic", "audit", "--no-progress", "--only", IDS,
                          "--jobs", str(jobs), "--json", str(js), "--markdown", str(md)],
                         capture_output=True, timeout=900, env={**os.environ, "COLUMNS": "160"})
    assert out.returncode == 0, out.stderr.decode()
    return js.read_bytes(), md.read_bytes(), out.stdout


def test_parallel_audit_is_byte_identical(tmp_path):
    serial, parallel = _audit_process(tmp_path, 1), _audit_process(tmp_path, 2)
    assert [json.loads(serial[0])["claims"][i]["id"] for i in range(len(IDS.split(",")))] == IDS.split(",")
    assert parallel == serial


def test_worker_failure_falls_back_to_serial(monkeypatch):
    ids = IDS.split(",")[:4]
    serial = [r.to_json() for r in runner.run_audit(ids)]

    def broken(rep):  # runs in the forked worker only: the parent never calls it
        raise RuntimeError("cannot pickle")

    monkeypatch.setattr(runner, "_portable", broken)
    got = runner.run_audit(ids, jobs=2)
    assert [r.id for r in got] == ids
    assert [r.to_json() for r in got] == serial


@pytest.mark.parametrize("jobs", [1, 2, 3, 7])
def test_batches_cover_every_statement_once(jobs):
    ids = audit_ids()
    bs = runner.batches(ids, jobs)
    assert len(bs) == min(jobs, len(ids))
    assert sorted(c for b in bs for c in b) == sorted(ids)
    pos = {c: i for i, c in enumerate(ids)}
    assert all([pos[c] for c in b] == sorted(pos[c] for c in b) for b in bs)  # paper order inside a batch
    assert runner.batches(ids, jobs) == bs  # deterministic


def test_batches_keep_groups_together_and_balance():
    ids = audit_ids()
    bs = runner.batches(ids, 2)
    where = {c: i for i, b in enumerate(bs) for c in b}
    for group in runner.GROUPS:
        assert len({where[c] for c in group if c in where}) <= 1, group
    cost = [sum(runner.COST.get(c, runner.DEFAULT_COST) for c in b) for b in bs]
    heaviest_unit = max(sum(runner.COST.get(c, runner.DEFAULT_COST) for c in u) for u in runner._units(ids))
    assert cost[0] >= cost[1] and cost[0] - cost[1] <= heaviest_unit  # the LPT bound


def test_bad_jobs_is_one_line_exit_2(capsys):
    assert main(["audit", "--only", "eq3", "--jobs", "0", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("grpo-symbolic: error: --jobs") and err.count("\n") == 1
