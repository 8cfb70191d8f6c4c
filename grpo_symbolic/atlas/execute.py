r"""Run atlas chunks: a plain loop in this process, or Dask distributed.

* :func:`run_local` -- each chunk in turn, here (no Dask needed);
* :func:`run_dask` -- every chunk submitted as one task to a Dask cluster: a
  ``LocalCluster`` of ``workers`` single-threaded worker processes, or the scheduler at
  ``address`` (``dask scheduler`` / ``dask worker ADDRESS`` started by the user; the
  workers need ``grpo_symbolic`` installed).  Results are handed to ``on_done`` on the
  client as they complete (``as_completed``), so parts are written while the rest runs.
  A task is retried (``retries``) if it raises, and a task lost with a worker that dies
  is re-run by the scheduler on the surviving workers.

Both call ``on_done(start, stop, columns)`` once per chunk, in completion order.
Dask is imported inside :func:`run_dask` only.
"""

from __future__ import annotations

import hashlib
import logging

from ..errors import InputError
from .cells import evaluate_chunk

#: times a task is re-run after raising
RETRIES = 3
#: how long to try to reach a scheduler given by address
CONNECT_TIMEOUT = "20s"


def run_local(spec, chunks, on_done) -> None:
    """Evaluate ``chunks`` (``[(start, stop)]``) one after the other in this process."""
    key = spec.key()
    for a, b in chunks:
        on_done(a, b, evaluate_chunk(key, a, b))


def _client(workers: int | None, address: str | None):
    """``(client, cluster)``: a client of the scheduler at ``address``, or of a new
    ``LocalCluster`` of ``workers`` processes (``cluster`` None for an external one)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("Dask is not installed: pip install 'grpo_symbolic[atlas]' (or --workers 0 for a "
                         "plain loop)") from None
    if address is not None:
        try:
            return Client(address, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot connect to the Dask scheduler at {address}: {exc}".splitlines()[0]) from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def run_dask(spec, chunks, on_done, workers: int | None = None, address: str | None = None) -> None:
    """Evaluate ``chunks`` as Dask tasks (see module docstring)."""
    from dask.distributed import as_completed

    client, cluster = _client(workers, address)
    try:
        key = spec.key()
        tag = "atlas-" + hashlib.sha1(key.encode()).hexdigest()[:12]
        futures = {client.submit(evaluate_chunk, key, a, b, key=f"{tag}-{a}-{b}", retries=RETRIES, pure=False):
                   (a, b) for a, b in chunks}
        for fut in as_completed(futures):
            a, b = futures[fut]
            on_done(a, b, fut.result())
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
