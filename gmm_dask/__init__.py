"""gmm_dask: gmm_core's chunked interface (gmm_core/chunked.py) over a dask.array.

    import dask.array as da, gmm_core
    X = da.from_zarr("points.zarr")            # or da.from_array(h5py_dataset, chunks=(1_000_000, -1))
    result = gmm_core.fit(X, n_components=3)   # gmm_core wraps X in DaskChunks itself

Every EM iteration is one pass over the chunks: each chunk's E-step and sufficient statistics are
a task, and the partial sums are added pairwise in a tree of tasks, computed with `dask.compute`
on whatever scheduler is active (threads by default, processes, or a `distributed` Client).  Only
the small sums (k x d x d numbers per chunk) come back to the driver; the data are read, or
generated, chunk by chunk on the workers and never gathered.  Initial means are chosen by
k-means++ (or k-means) on a uniform sample of at most gmm_core.chunked.SAMPLE_ROWS (100,000) rows,
gathered with one `take`; the rest of the fit sees every row.
"""

from __future__ import annotations

import dask
import dask.array as da
import numpy as np

# Partial results added per task of the reduction tree (as dask.array's own reductions do).
SPLIT_EVERY = 8


class DaskChunks:
    """gmm_core's chunked interface over a 1-D or 2-D dask array (rows may be chunked any way).

    array : dask.array.Array of shape (n_samples,) or (n_samples, n_features)
    """

    def __init__(self, array):
        array = da.asarray(array)
        if array.ndim == 1:
            array = array[:, None]
        self.array = array.rechunk({1: -1}) if array.ndim == 2 else array  # whole rows in every chunk
        self.shape, self.dtype = self.array.shape, self.array.dtype

    def map_reduce(self, function, combine):
        """function(chunk, start) on every row chunk as a task, reduced pairwise by a tree of combine tasks."""
        blocks = self.array.to_delayed().ravel()
        starts = np.concatenate([[0], np.cumsum(self.array.chunks[0])[:-1]])
        mapped = dask.delayed(function, pure=True)
        parts = [mapped(block, int(start)) for block, start in zip(blocks, starts)]
        combined = dask.delayed(_combine_all, pure=True)
        while len(parts) > 1:
            parts = [combined(combine, *parts[i : i + SPLIT_EVERY]) for i in range(0, len(parts), SPLIT_EVERY)]
        (result,) = dask.compute(parts[0])
        return result

    def take(self, rows) -> np.ndarray:
        """The rows at sorted indices `rows`, gathered from their chunks."""
        return np.asarray(self.array[np.asarray(rows, dtype=np.intp)].compute())


def _combine_all(combine, *parts):
    result = parts[0]
    for part in parts[1:]:
        result = combine(result, part)
    return result


__all__ = ["DaskChunks", "SPLIT_EVERY"]
