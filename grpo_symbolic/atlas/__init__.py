"""The atlas: the orbit of every cell of a ``beta x p_ref`` grid, classified and stored.

* :mod:`.grid` -- the grid spec (``LO:HI:SCALE:N`` axes) and the run's :class:`~.grid.AtlasSpec`;
* :mod:`.cells` -- one chunk of cells, by the certified kernel or the float64 classifier;
* :mod:`.store` -- Parquet part files (one per chunk), integrity checks, resume, the final file;
* :mod:`.execute` -- the chunks run in a plain loop or on Dask (``LocalCluster`` or a scheduler);
* :mod:`.plot` -- the phase diagram of an atlas file.

Nothing here imports Dask or pyarrow at module level (they are the ``[atlas]`` extra and are
imported by the functions that need them).
"""
