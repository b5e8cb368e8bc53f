"""gmm_core on data held in chunks (gmm_core.chunked): the in-memory fit of the same rows, to 1e-9.

The reference is gmm_core's own in-memory fit, itself tested against scikit-learn and plain-loop
oracles (test_engine_reference.py, test_engine_accuracy.py); here every pass is re-summed chunk by
chunk, about each component's current mean, so only rounding may differ.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gmm_core
from gmm_core import chunked
from tests.engine_checks import assert_everything_finite
from tests.engine_oracles import FAR_CASES, blobs, covariance_error, mean_error

PARITY = 1e-9


def assert_same_fit(chunked_result, memory_result):
    """Same restarts' curves, stopping, trace and parameters, to PARITY (relative).

    The one allowed difference: a run that stops on a gain at rounding level (a one-component fit
    gains exactly 0 in memory, 1e-16 per point in chunks) may take one more iteration in the other."""
    assert len(chunked_result.restarts) == len(memory_result.restarts)
    for a, b in zip(chunked_result.restarts, memory_result.restarts):
        common = min(len(a), len(b))
        np.testing.assert_allclose(a[:common], b[:common], rtol=PARITY)
        longer = a if len(a) > len(b) else b
        assert len(longer) <= common + 1 and abs(longer[-1] - longer[common - 1]) <= PARITY * abs(longer[-1])
    if chunked_result.best_restart != memory_result.best_restart:  # a tie: both ended at the same objective
        assert abs(chunked_result.objective - memory_result.objective) <= PARITY * abs(memory_result.objective)
        return
    if chunked_result.n_iter == memory_result.n_iter:
        assert chunked_result.stop_reason == memory_result.stop_reason
        assert chunked_result.converged == memory_result.converged
    np.testing.assert_allclose(chunked_result.log_likelihood, memory_result.log_likelihood, rtol=PARITY)
    assert_same_params(chunked_result.params, memory_result.params)
    for entry_c, entry_m in zip(chunked_result.trace, memory_result.trace):
        assert_same_params(entry_c.params, entry_m.params)
        assert [(e.iteration, e.component, e.reason) for e in entry_c.reseeds] == \
               [(e.iteration, e.component, e.reason) for e in entry_m.reseeds]


def assert_same_params(a, b):
    """Means within PARITY of a component's own spread, covariances within PARITY of their smallest eigenvalue."""
    np.testing.assert_allclose(a.weights, b.weights, rtol=PARITY, atol=PARITY)
    assert mean_error(a.means, b.means, b.covariances, b.covariance_type) <= PARITY
    assert covariance_error(a.covariances, b.covariances, b.covariance_type, *b.means.shape) <= PARITY


@pytest.mark.parametrize("covariance_type", gmm_core.COVARIANCE_TYPES)
@pytest.mark.parametrize("algorithm", gmm_core.ALGORITHMS)
def test_chunked_fit_is_the_in_memory_fit(covariance_type, algorithm):
    X, _ = blobs(seed=2, n_per_blob=400)
    options = dict(n_components=3, covariance_type=covariance_type, algorithm=algorithm, n_init=3, seed=5, init="random_points")
    memory = gmm_core.fit(X, **options)
    assert_same_fit(gmm_core.fit(chunked.InMemoryChunks(X, chunk_rows=97), **options), memory)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    covariance_type=st.sampled_from(gmm_core.COVARIANCE_TYPES),
    algorithm=st.sampled_from(gmm_core.ALGORITHMS),
    init=st.sampled_from(["kmeans++", "kmeans", "random_points"]),
    n_components=st.integers(1, 4),
    n_init=st.integers(1, 3),
    chunk_rows=st.integers(7, 400),
    seed=st.integers(0, 2**16),
    n_features=st.integers(1, 3),
)
def test_any_chunking_gives_the_in_memory_fit(covariance_type, algorithm, init, n_components, n_init, chunk_rows, seed, n_features):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((300, n_features)) + 4.0 * rng.integers(0, 3, size=(300, 1))
    options = dict(n_components=n_components, covariance_type=covariance_type, algorithm=algorithm,
                   init=init, n_init=n_init, seed=seed, max_iter=30)
    assert_same_fit(gmm_core.fit(chunked.InMemoryChunks(X, chunk_rows), **options), gmm_core.fit(X, **options))


@pytest.mark.parametrize("case", sorted(FAR_CASES))
@pytest.mark.parametrize("covariance_type", gmm_core.COVARIANCE_TYPES)
def test_far_from_the_origin_chunks_keep_the_engine_accuracy(case, covariance_type):
    """Timestamps, GPS fixes, offset columns: moments about the current means lose nothing to cancellation."""
    far = FAR_CASES[case]()
    options = dict(n_components=far.n_components, covariance_type=covariance_type, reg_covar=far.reg_covar, seed=1)
    memory = gmm_core.fit(far.X, **options)
    result = gmm_core.fit(chunked.InMemoryChunks(far.X, chunk_rows=64), **options)
    assert_same_fit(result, memory)
    assert_everything_finite(result, far.X)


def test_a_dead_component_is_reseeded_at_the_same_point():
    """A component started on nothing dies at once: both fits move it to the same worst-explained point."""
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(0, 1, (150, 2)), rng.normal(6, 1, (150, 2))])
    options = dict(n_components=3, init="manual", means_init=[[0.0, 0.0], [6.0, 6.0], [500.0, 500.0]],
                   covariances_init=np.stack([np.eye(2), np.eye(2), 1e-4 * np.eye(2)]), max_iter=20)
    memory = gmm_core.fit(X, **options)
    result = gmm_core.fit(chunked.InMemoryChunks(X, chunk_rows=41), **options)
    assert [e.component for e in memory.reseed_events] == [2]
    np.testing.assert_array_equal(result.reseed_events[0].new_mean, memory.reseed_events[0].new_mean)
    assert_same_fit(result, memory)


class CountingChunks(chunked.InMemoryChunks):
    """InMemoryChunks that records every pass and every row it hands out outside a pass."""

    def __init__(self, X, chunk_rows):
        super().__init__(X, chunk_rows)
        self.passes, self.taken = 0, []

    def map_reduce(self, function, combine):
        self.passes += 1
        return super().map_reduce(function, combine)

    def take(self, rows):
        self.taken.append(np.asarray(rows))
        return super().take(rows)


def test_one_pass_per_iteration_and_starts_from_a_uniform_sample(monkeypatch):
    monkeypatch.setattr(chunked, "SAMPLE_ROWS", 500)
    monkeypatch.setattr("gmm_core._chunked_source.SAMPLE_ROWS", 500)
    X, _ = blobs(seed=3, n_per_blob=2000)
    data = CountingChunks(X, chunk_rows=1000)
    result = gmm_core.fit(data, 3, "full", n_init=2, seed=0)
    (rows,) = data.taken
    assert len(rows) == 500 and np.all(np.diff(rows) > 0) and rows.max() < len(X)
    # spread over the rows, not a prefix: about a third of the sample in each third of the data
    assert np.all(np.abs(np.bincount(rows * 3 // len(X), minlength=3) - 500 / 3) < 60)
    iterations = sum(len(curve) for curve in result.restarts)  # E-steps, initial ones included
    assert data.passes == 1 + 2 + iterations  # validation, each restart's initial M-step, every E-step
    # the sample changes where EM starts, not where it ends on well-separated blobs (up to the stopping tolerance)
    memory = gmm_core.fit(X, 3, "full", n_init=2, seed=0)
    assert abs(result.log_likelihood - memory.log_likelihood) <= gmm_core.DEFAULT_TOL * len(X)


def test_random_responsibilities_are_drawn_per_chunk_and_reproducible():
    X, _ = blobs(seed=1)
    first = gmm_core.fit(chunked.InMemoryChunks(X, 50), 3, "diag", init="random_resp", seed=7)
    again = gmm_core.fit(chunked.InMemoryChunks(X, 50), 3, "diag", init="random_resp", seed=7)
    np.testing.assert_array_equal(first.log_likelihood_curve, again.log_likelihood_curve)
    assert first.converged
    # an EM run from random responsibilities on these blobs ends where the in-memory one does
    np.testing.assert_allclose(first.log_likelihood, gmm_core.fit(X, 3, "diag", init="random_resp", seed=7).log_likelihood, rtol=1e-6)


@pytest.mark.parametrize("bad, sentence", [
    (np.array([[1.0, np.nan], [2.0, 3.0]] * 20), "1 row with missing"),
    (np.array([["a", "b"]] * 20), "must contain (only|real) numbers"),
    (np.full((40, 2), 1e120), "too large to fit reliably"),
    (np.zeros((0, 2)), "X is empty"),
    (np.ones((40, 2)), "only 1 distinct point"),
])
def test_bad_chunked_data_gets_the_same_sentence_as_an_array(bad, sentence):
    if bad.dtype.kind == "f" and np.isnan(bad).any():
        bad = bad.copy()
        bad[2:, 1] = 1.0  # only the first row is bad
    for data in (bad, chunked.InMemoryChunks(bad, 7)):
        with pytest.raises(ValueError, match=sentence):
            gmm_core.fit(data, 2)


def test_too_few_distinct_points_in_a_sample_is_a_sentence(monkeypatch):
    monkeypatch.setattr("gmm_core._chunked_source.SAMPLE_ROWS", 20)
    X = np.ones((100, 2))
    X[-1] = 2.0
    with pytest.raises(ValueError, match="A uniform sample of 20 of the 100 rows holds fewer than n_components=3"):
        gmm_core.fit(chunked.InMemoryChunks(X, 10), 3)


def test_manual_starts_are_checked_against_the_chunked_shape():
    X, _ = blobs(seed=0)
    with pytest.raises(ValueError, match=r"means_init must have shape \(3, 2\)"):
        gmm_core.fit(chunked.InMemoryChunks(X, 10), 3, init="manual", means_init=np.zeros((3, 3)))


def test_a_one_dimensional_array_in_chunks_is_one_feature():
    x = np.concatenate([np.random.default_rng(0).normal(m, 1, 200) for m in (0, 8)])
    assert_same_fit(gmm_core.fit(chunked.InMemoryChunks(x, 33), 2), gmm_core.fit(x, 2))


def test_chunk_rows_must_be_a_positive_whole_number():
    with pytest.raises(ValueError, match="chunk_rows must be a whole number of at least 1"):
        chunked.InMemoryChunks(np.ones((4, 2)), 0)


def test_a_dask_collection_without_its_adapter_gets_a_sentence(monkeypatch):
    class FakeDaskArray:
        def __dask_graph__(self):
            return {}

    monkeypatch.setitem(sys.modules, "gmm_dask", None)  # the adapter cannot be imported
    with pytest.raises(ValueError, match="needs the gmm_dask adapter"):
        gmm_core.fit(FakeDaskArray(), 2)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(-3, 3), min_size=1, max_size=40), count=st.integers(1, 45))
def test_lowest_is_a_stable_argsorts_first_few(values, count):
    """The re-seed points: in linear time, the same rows as the in-memory engine's stable argsort, ties included."""
    from gmm_core._chunk_passes import lowest

    values = np.asarray(values, dtype=np.float64)
    np.testing.assert_array_equal(lowest(values, count), np.argsort(values, kind="stable")[:count])
