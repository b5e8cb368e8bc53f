"""Data held in chunks: the small interface `fit` needs to run EM on more rows than fit in memory.

EM's M-step needs only per-component sums of responsibilities, r x and r x x' (and the E-step's
log-likelihood), which add up over chunks of rows.  So `fit` accepts, besides arrays, any object
with this interface (duck-typed, no base class needed):

    shape : (n_samples, n_features)
    dtype : a NumPy dtype
    map_reduce(function, combine) : apply function(chunk, start) to every chunk, where chunk is an
        ndarray of shape (rows, n_features) holding rows start .. start + rows - 1, and reduce the
        results pairwise with combine(a, b) (associative); returns the single reduced result
    take(rows) : ndarray of shape (len(rows), n_features), the rows at the sorted indices `rows`

`InMemoryChunks` implements it over a NumPy array (for tests and as the reference); the separate
package `gmm_dask` implements it with dask.array, so that its reductions run on whatever Dask
scheduler is active.  `fit` wraps a Dask array in that adapter itself, by name, only when it is
given one: gmm_core never imports Dask.

Every pass computes its statistics about the current means of the components (not the data's
mean), so that components far from the origin keep the in-memory engine's accuracy; results equal
an in-memory fit of the same rows to rounding (1e-9 is tested).  Initial means (k-means++,
k-means, random points) are chosen on a uniform sample of at most SAMPLE_ROWS rows, which is all
the rows for smaller data, so that a chunked fit of such data is the in-memory fit.
"""

from __future__ import annotations

import importlib
from functools import reduce

import numpy as np

# Rows on which initial means are chosen (k-means++ and Lloyd's iterations hold these in memory).
SAMPLE_ROWS = 100_000
# InMemoryChunks' default chunk: a few MB of features per chunk.
DEFAULT_CHUNK_ROWS = 1 << 16


def is_chunked(X) -> bool:
    """Whether X implements the chunked interface (see the module doc)."""
    return all(hasattr(X, name) for name in ("shape", "dtype", "map_reduce", "take"))


def as_chunked(X):
    """X itself if it is chunked, a Dask array wrapped by gmm_dask, or None for anything read whole."""
    if is_chunked(X):
        return X
    if hasattr(X, "__dask_graph__"):  # a Dask collection: Dask is already loaded, so its adapter may be too
        try:
            adapter = importlib.import_module("gmm_dask")
        except ImportError:
            raise ValueError(
                "X is a Dask collection, and fitting one needs the gmm_dask adapter (and dask[array]); "
                "put gmm_dask on the Python path, or pass X.compute() if the data fits in memory."
            ) from None
        return adapter.DaskChunks(X)
    return None


class InMemoryChunks:
    """The chunked interface over an in-memory array, chunk by chunk in row order.

    X : array-like of shape (n_samples,) or (n_samples, n_features)
    chunk_rows : rows per chunk (the last chunk may be shorter)
    """

    def __init__(self, X, chunk_rows: int = DEFAULT_CHUNK_ROWS):
        array = np.asarray(X)
        self.array = array.reshape(-1, 1) if array.ndim == 1 else array
        if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) or chunk_rows < 1:
            raise ValueError(f"chunk_rows must be a whole number of at least 1, not {chunk_rows!r}.")
        self.chunk_rows = int(chunk_rows)
        self.shape, self.dtype = self.array.shape, self.array.dtype

    def map_reduce(self, function, combine):
        starts = range(0, max(len(self.array), 1), self.chunk_rows)
        return reduce(combine, (function(self.array[start : start + self.chunk_rows], start) for start in starts))

    def take(self, rows) -> np.ndarray:
        return self.array[np.asarray(rows, dtype=np.intp)]
