"""The atlas on Dask: a real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1
(random free ports, no dashboards), one of them killed mid-run; and a LocalCluster.  Every
result is compared with the plain loop (``--workers 0``, no Dask) on the same grid."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grpo_symbolic.cli import main

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

GRID = ["--norm", "std", "--alpha", "1", "--eps", "1e-5", "--beta", "0.3:6:log:6", "--p-ref", "1e-4:0.9:logit:8"]
CELLS = 48


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("dask scheduler exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dask scheduler did not start")


@pytest.fixture
def dask_cluster(tmp_path):
    """``(address, {name: worker Popen})``; every process started here is stopped by pid."""
    procs = []
    log = open(tmp_path / "dask.log", "wb")
    try:
        port = _free_port()
        addr = f"tcp://127.0.0.1:{port}"
        sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"], stdout=log, stderr=log)
        procs.append(sched)
        _wait_port(port, sched)
        workers = {}
        for name in ("w1", "w2"):
            workers[name] = subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", addr, "--host", "127.0.0.1", "--no-nanny",
                 "--nthreads", "1", "--no-dashboard", "--name", name, "--local-directory", str(tmp_path / name)],
                stdout=log, stderr=log)
            procs.append(workers[name])
        from dask.distributed import Client

        with Client(addr, timeout="30s") as c:
            c.wait_for_workers(2, timeout=90)
        yield addr, workers
    finally:  # workers first, then the scheduler; each by its pid
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("plain") / "plain.parquet"
    assert main(["atlas", *GRID, "--workers", "0", "--no-progress", "--out", str(out)]) == 0
    return pq.read_table(out)


@pytest.mark.slow  # real Dask clusters (a minute): CI runs them with -m slow
def test_scheduler_run_matches_plain_loop_and_survives_a_killed_worker(tmp_path, dask_cluster, reference, capsys):
    addr, workers = dask_cluster
    out = tmp_path / "cluster.parquet"
    assert main(["atlas", *GRID, "--scheduler", addr, "--chunk-size", "2", "--no-progress", "--json",
                 "--out", str(out)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["computed"] == CELLS and s["chunk"] == 2
    assert pq.read_table(out).equals(reference)

    # again, one cell per task; worker w1 is killed (SIGKILL) once a few chunks are written
    out2 = tmp_path / "killed.parquet"
    parts = Path(str(out2) + ".parts")
    rc = {}
    run = threading.Thread(target=lambda: rc.setdefault("rc", main(
        ["atlas", *GRID, "--scheduler", addr, "--chunk-size", "1", "--no-progress", "--out", str(out2)])))
    run.start()
    deadline = time.time() + 120
    while time.time() < deadline and len(list(parts.glob("part-*.parquet"))) < 4 and run.is_alive():
        time.sleep(0.02)
    done_at_kill = len(list(parts.glob("part-*.parquet")))
    os.kill(workers["w1"].pid, signal.SIGKILL)
    workers["w1"].wait()
    run.join(timeout=180)
    assert not run.is_alive() and rc["rc"] == 0
    assert 4 <= done_at_kill < CELLS                          # the kill came mid-run
    assert pq.read_table(out2).equals(reference)             # nothing lost, nothing changed
    assert workers["w2"].poll() is None


@pytest.mark.slow  # real Dask clusters (a minute): CI runs them with -m slow
def test_local_cluster_matches_plain_loop(tmp_path, reference):
    out = tmp_path / "local.parquet"
    assert main(["atlas", *GRID, "--workers", "2", "--chunk-size", "8", "--no-progress", "--out", str(out)]) == 0
    assert pq.read_table(out).equals(reference)


def test_unreachable_scheduler_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("grpo_symbolic.atlas.execute.CONNECT_TIMEOUT", "2s")
    rc = main(["atlas", "--beta", "1", "--p-ref", "0.2", "--scheduler", f"tcp://127.0.0.1:{_free_port()}",
               "--out", str(tmp_path / "a.parquet")])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("grpo-symbolic: error: cannot connect") and err.count("\n") == 1
