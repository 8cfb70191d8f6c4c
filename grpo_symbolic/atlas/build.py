r"""Build (or resume) an atlas file: the chunks not yet on disk, run where asked, then merged.

>>> import tempfile, os
>>> from grpo_symbolic.atlas.grid import AtlasSpec
>>> spec = AtlasSpec.build(norm="mean", alpha="1", eps="0", beta="1:2:lin:2", p_ref="0.2:0.4:lin:3", engine="float64")
>>> out = os.path.join(tempfile.mkdtemp(), "a.parquet")
>>> s = build_atlas(spec, out, workers=0)
>>> s["cells"], s["computed"], s["kinds"]
(6, 6, {'converges': 6})
>>> build_atlas(spec, out, workers=0)["computed"]              # already complete: nothing to do
0
"""

from __future__ import annotations

import time

from .grid import default_chunk_size
from .store import PartStore, finished_matches, read_atlas


def build_atlas(spec, out, *, workers: int | None = 0, scheduler: str | None = None, chunk: int | None = None,
                tick=None) -> dict:
    """Compute the missing chunks of ``spec`` into ``out`` and return a summary dict.

    ``workers=0`` without ``scheduler``: a plain loop here; else Dask
    (:func:`~grpo_symbolic.atlas.execute.run_dask`).  ``tick(advance=n, completed=k)`` is
    called as cells are done (a progress bar)."""
    tick = tick or (lambda **k: None)
    t0 = time.perf_counter()
    spec.validate()
    n = spec.n_cells
    if finished_matches(out, spec):
        tick(completed=n)
        return _summary(spec, out, computed=0, resumed=n, discarded=[], seconds=time.perf_counter() - t0)
    store = PartStore(out, spec, chunk or default_chunk_size(spec)).open()
    done = store.done()
    todo = [c for c in store.bounds() if c not in done]
    resumed = sum(b - a for a, b in done)
    tick(completed=resumed)

    def on_done(a, b, cols):
        store.write(a, b, cols)
        tick(advance=b - a)

    if todo:
        if scheduler is None and not workers:
            from .execute import run_local

            run_local(spec, todo, on_done)
        else:
            from .execute import run_dask

            run_dask(spec, todo, on_done, workers=workers, address=scheduler)
    store.finish()
    return _summary(spec, out, computed=n - resumed, resumed=resumed, discarded=store.discarded,
                    seconds=time.perf_counter() - t0, chunk=store.chunk)


def _summary(spec, out, computed: int, resumed: int, discarded: list, seconds: float, chunk=None) -> dict:
    import numpy as np

    table, meta = read_atlas(out, columns=["kind", "period"])
    kind = table.column("kind").to_numpy(zero_copy_only=False).astype(str)
    period = table.column("period").to_numpy()
    names, counts = np.unique(kind, return_counts=True)
    ps, pc = np.unique(period[kind == "cycle"], return_counts=True)
    return {"out": str(out), "engine": spec.engine, "shape": list(spec.shape), "cells": spec.n_cells,
            "computed": computed, "resumed": resumed, "discarded_parts": discarded,
            "chunk": chunk or meta.get("chunk"), "seconds": round(seconds, 3),
            "kinds": {str(k): int(v) for k, v in zip(names, counts)},
            "cycle_periods": {str(int(k)): int(v) for k, v in zip(ps, pc)}}
