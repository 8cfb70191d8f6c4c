r"""Parquet storage of an atlas: one part file per chunk while running, one file at the end.

While a run is under way ``OUT.parts/`` holds ``atlas.json`` (the spec and the chunk size)
and ``part-START-STOP.parquet``, one per finished chunk, each written to a temporary name
and renamed (so a killed run never leaves half a part under a final name).  A run started
again with the same spec and ``--out`` checks every part (it opens as Parquet, has the
columns of :data:`~grpo_symbolic.atlas.cells.COLUMNS`, exactly the cells ``START..STOP-1``
in order) -- a bad part is deleted and its chunk computed again -- and computes only the
chunks that are missing.  When every chunk is there the parts are concatenated in cell
order into ``OUT`` (the spec in the file's metadata, key ``grpo_symbolic.atlas``) and
``OUT.parts/`` is removed.

pyarrow is imported by the functions that need it (the ``[atlas]`` extra).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..errors import InputError
from .cells import COLUMNS

META_KEY = b"grpo_symbolic.atlas"
MANIFEST = "atlas.json"
_PART = re.compile(r"^part-(\d{10})-(\d{10})\.parquet$")


def pyarrow_modules():
    """``(pyarrow, pyarrow.parquet)``; :class:`InputError` when the extra is missing."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("the atlas needs pyarrow: pip install 'grpo_symbolic[atlas]'") from None
    return pa, pq


def schema():
    """The Arrow schema of an atlas table (every column nullable)."""
    pa, _ = pyarrow_modules()
    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_()}
    return pa.schema([(k, types[t]) for k, t in COLUMNS.items()])


def to_table(cols: dict):
    """An Arrow table of the columns returned by :func:`~grpo_symbolic.atlas.cells.evaluate_chunk`
    (lists with None, NumPy arrays, masked arrays, or None for a column of nulls)."""
    import numpy as np

    pa, _ = pyarrow_modules()
    sch = schema()
    n = len(cols["cell"])
    arrays = []
    for f in sch:
        v = cols[f.name]
        if v is None:
            arrays.append(pa.nulls(n, f.type))
        elif isinstance(v, np.ma.MaskedArray):
            arrays.append(pa.array(np.ma.getdata(v), type=f.type, mask=np.ma.getmaskarray(v)))
        else:
            arrays.append(pa.array(v, type=f.type))
    return pa.Table.from_arrays(arrays, schema=sch)


def part_name(start: int, stop: int) -> str:
    return f"part-{start:010d}-{stop:010d}.parquet"


class PartStore:
    """The part files of one atlas run (see module docstring)."""

    def __init__(self, out, spec, chunk: int):
        self.out = Path(out)
        self.dir = Path(str(out) + ".parts")
        self.spec = spec
        self.chunk = chunk
        self.discarded: list[str] = []

    # ------------------------------------------------------------- open
    def open(self) -> "PartStore":
        """Create the parts directory, or reopen it (its spec must be ours; its chunk size is kept)."""
        manifest = self.dir / MANIFEST
        if self.dir.exists():
            if not self.dir.is_dir():
                raise InputError(f"{self.dir} exists and is not a directory")
            try:
                d = json.loads(manifest.read_text(encoding="utf-8"))
                spec, chunk = d["spec"], int(d["chunk"])
            except (OSError, ValueError, KeyError, TypeError):
                raise InputError(f"{manifest} is missing or unreadable: remove {self.dir} to start again") from None
            if json.dumps(spec, sort_keys=True) != self.spec.key():
                raise InputError(f"{self.dir} holds parts of a different atlas (remove it, or choose another --out)")
            if chunk < 1:
                raise InputError(f"{manifest}: bad chunk size {chunk}")
            self.chunk = chunk
            return self
        try:
            self.dir.mkdir()
            _write_atomic(manifest, json.dumps({"spec": self.spec.to_dict(), "chunk": self.chunk}, indent=1).encode())
        except OSError as exc:
            raise InputError(f"cannot create {self.dir}: {exc.strerror or exc}") from None
        return self

    # ------------------------------------------------------------- parts
    def bounds(self) -> list[tuple[int, int]]:
        from .grid import chunk_bounds

        return chunk_bounds(self.spec.n_cells, self.chunk)

    def _check_part(self, path: Path, start: int, stop: int) -> bool:
        """The part opens, has our columns and holds exactly cells ``start..stop-1`` in order."""
        _, pq = pyarrow_modules()
        try:
            t = pq.read_table(path)
        except Exception:
            return False
        if t.schema != schema() or t.num_rows != stop - start:
            return False
        return _cells_are(t, start, stop)

    def done(self) -> set[tuple[int, int]]:
        """The chunks whose part is present and sound; other part files (bad, stray or
        left-over temporaries) are deleted and named in :attr:`discarded`."""
        want = set(self.bounds())
        good = set()
        for path in sorted(self.dir.iterdir()):
            if path.name == MANIFEST:
                continue
            m = _PART.match(path.name)
            key = (int(m.group(1)), int(m.group(2))) if m else None
            if key in want and path.is_file() and self._check_part(path, *key):
                good.add(key)
            elif path.is_file() and (m or path.name.endswith(".tmp")):
                path.unlink()
                self.discarded.append(path.name)
        return good

    def write(self, start: int, stop: int, cols: dict) -> None:
        """Write the part of chunk ``[start, stop)`` (temporary name, then rename)."""
        _, pq = pyarrow_modules()
        table = to_table(cols)
        if not _cells_are(table, start, stop):
            raise RuntimeError(f"chunk {start}..{stop}: the worker returned other cells")
        tmp = self.dir / (part_name(start, stop) + ".tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, self.dir / part_name(start, stop))

    # ------------------------------------------------------------- final
    def finish(self) -> int:
        """Concatenate every part in cell order into ``out`` (with the spec in its metadata)
        and remove the parts; returns the number of rows."""
        pa, pq = pyarrow_modules()
        tables = [pq.read_table(self.dir / part_name(a, b)) for a, b in self.bounds()]
        table = pa.concat_tables(tables) if tables else schema().empty_table()
        meta = {META_KEY: json.dumps({"spec": self.spec.to_dict(), "chunk": self.chunk}).encode()}
        table = table.replace_schema_metadata(meta)
        tmp = Path(str(self.out) + ".tmp")
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, self.out)
        except OSError as exc:
            raise InputError(f"cannot write {self.out}: {exc.strerror or exc}") from None
        for a, b in self.bounds():
            (self.dir / part_name(a, b)).unlink()
        (self.dir / MANIFEST).unlink()
        try:
            self.dir.rmdir()
        except OSError:  # something else was put there: leave it
            pass
        return table.num_rows


def _cells_are(table, start: int, stop: int) -> bool:
    """The table's ``cell`` column is exactly ``start, ..., stop - 1`` (no nulls)."""
    import numpy as np

    col = table.column("cell")
    return col.null_count == 0 and np.array_equal(col.to_numpy(), np.arange(start, stop))


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_atlas(path, columns=None):
    """``(table, meta)`` of a finished atlas file (only ``columns`` if given);
    :class:`InputError` if it is not one."""
    _, pq = pyarrow_modules()
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path} is not a regular file")
    try:
        sch = pq.read_schema(p)
        meta = json.loads((sch.metadata or {})[META_KEY])
    except Exception:
        raise InputError(f"{path} is not an atlas file (Parquet written by grpo-symbolic atlas)") from None
    if sch.remove_metadata() != schema():
        raise InputError(f"{path}: unexpected columns (not an atlas of this version)")
    try:
        return pq.read_table(p, columns=columns), meta
    except Exception as exc:
        raise InputError(f"{path}: unreadable atlas file ({type(exc).__name__})") from None


def finished_matches(out, spec) -> bool:
    """True when ``out`` is a finished atlas of ``spec``; False when ``out`` does not exist;
    :class:`InputError` when it exists and is something else."""
    p = Path(out)
    if not os.path.lexists(p):
        return False
    table, meta = read_atlas(p, columns=["cell"])
    if json.dumps(meta.get("spec"), sort_keys=True) != spec.key():
        raise InputError(f"{out} holds a different atlas (remove it, or choose another --out)")
    if table.num_rows != spec.n_cells or not _cells_are(table, 0, spec.n_cells):
        raise InputError(f"{out} is incomplete or damaged (remove it to compute it again)")
    return True
