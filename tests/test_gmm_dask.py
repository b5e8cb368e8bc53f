"""gmm_dask: gmm_core.fit on a Dask array equals the in-memory fit of the same rows (to 1e-9), on
Dask's threads and on a `distributed` cluster of worker processes."""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from tests.engine_oracles import blobs
from tests.test_engine_chunked import assert_same_fit

da = pytest.importorskip("dask.array", reason="dask[array] is a test requirement (requirements-dev.txt)")


def uneven_chunks(X):
    """A Dask array over X with rows in uneven chunks (and columns split, as from_zarr may give them)."""
    sizes = (130, 1, 170, len(X) - 301)
    return da.from_array(X, chunks=(sizes, 1))


@pytest.mark.parametrize("covariance_type", gmm_core.COVARIANCE_TYPES)
@pytest.mark.parametrize("algorithm", gmm_core.ALGORITHMS)
def test_a_dask_array_fits_as_the_same_rows_in_memory(covariance_type, algorithm):
    X, _ = blobs(seed=6, n_per_blob=300)
    options = dict(n_components=3, covariance_type=covariance_type, algorithm=algorithm, n_init=2, seed=11)
    memory = gmm_core.fit(X, **options)
    result = gmm_core.fit(uneven_chunks(X), **options)
    assert_same_fit(result, memory)
    assert result.n_samples == len(X)


def test_a_one_dimensional_dask_array_is_one_feature():
    x = np.concatenate([np.random.default_rng(2).normal(m, 1, 400) for m in (0, 6, 12)])
    assert_same_fit(gmm_core.fit(da.from_array(x, chunks=250), 3, "spherical"), gmm_core.fit(x, 3, "spherical"))


def test_bad_values_in_a_dask_array_get_a_sentence():
    X, _ = blobs(seed=0)
    X[5, 1] = np.inf
    with pytest.raises(ValueError, match="X has 1 row with missing"):
        gmm_core.fit(da.from_array(X, chunks=100), 3)


def test_on_a_distributed_cluster_of_processes():
    """Each chunk's statistics computed in worker processes (the functions pickled to them)."""
    distributed = pytest.importorskip("distributed")
    X, _ = blobs(seed=8, n_per_blob=200)
    options = dict(n_components=3, covariance_type="full", n_init=2, seed=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        result = gmm_core.fit(da.from_array(X, chunks=(150, 2)), **options)
    assert_same_fit(result, gmm_core.fit(X, **options))


def test_on_dasks_process_pool():
    import dask

    X, _ = blobs(seed=9, n_per_blob=150)
    with dask.config.set(scheduler="processes", num_workers=2):
        result = gmm_core.fit(da.from_array(X, chunks=(100, 2)), 3, "diag", seed=3)
    assert_same_fit(result, gmm_core.fit(X, 3, "diag", seed=3))


def test_the_whole_array_is_never_turned_into_one_numpy_array(monkeypatch):
    """Only chunks (inside tasks) and the initialisation sample are ever computed: never np.asarray(X)."""
    X, _ = blobs(seed=10, n_per_blob=200)

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"the Dask array of shape {self.shape} was turned into one NumPy array")

    monkeypatch.setattr(da.Array, "__array__", refuse)
    monkeypatch.setattr("gmm_core._chunked_source.SAMPLE_ROWS", 100)  # a sample smaller than the data
    computed = []
    real_compute = da.Array.compute
    monkeypatch.setattr(da.Array, "compute", lambda self, **kw: computed.append(self.shape) or real_compute(self, **kw))
    gmm_core.fit(da.from_array(X, chunks=(150, 2)), 3, "full", seed=0)
    assert computed == [(100, 2)]  # only the initialisation sample is gathered, by take
