"""EM from many starts at once (gmm_core.fit_many_starts) against gmm_core.fit run alone from each start."""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from gmm_core import batched


def grid_starts(X, size: int) -> np.ndarray:
    """(size², 2, 1) starting means (μ₁, μ₂) on a square grid over the data's range, μ₁ varying fastest."""
    values = np.linspace(X.min(), X.max(), size)
    mu1, mu2 = np.meshgrid(values, values)
    return np.stack([mu1.ravel(), mu2.ravel()], axis=1)[:, :, None]


def fit_alone(X, start, **kwargs):
    return gmm_core.fit(X, len(start), "full", init="manual", means_init=start, n_init=1, **kwargs)


@pytest.mark.parametrize("tol, max_iter", [(1e-3, 100), (1e-8, 1000)])
def test_cells_of_a_1d_grid_equal_fit_run_alone(tol, max_iter):
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    starts = grid_starts(X, 20)
    result = gmm_core.fit_many_starts(X, starts, max_iter=max_iter, tol=tol)
    assert result.n_starts == 400 and not result.fitted_alone.any()
    for cell in (0, 1, 37, 150, 211, 399):  # 0 and 399 sit on the diagonal μ₁ = μ₂
        alone = fit_alone(X, starts[cell], max_iter=max_iter, tol=tol)
        assert result.log_likelihood[cell] == pytest.approx(alone.log_likelihood, abs=1e-6)
        assert result.n_iter[cell] == alone.n_iter and result.converged[cell] == alone.converged
        np.testing.assert_allclose(result.means[cell], alone.params.means, atol=1e-8)
        np.testing.assert_allclose(result.covariances[cell], alone.params.covariances, rtol=1e-8)
        np.testing.assert_allclose(result.weights[cell], alone.params.weights, rtol=1e-8)
    np.testing.assert_array_equal(result.means_init, starts)


def test_2d_starts_with_three_components_equal_fit_run_alone():
    X = gmm_core.random_blobs(n_components=3, n_samples=150, anisotropy=3.0, separation=2.0, seed=4).X
    rng = np.random.default_rng(1)
    starts = X[rng.integers(len(X), size=(12, 3))] + rng.normal(scale=0.1, size=(12, 3, 2))
    result = gmm_core.fit_many_starts(X, starts, max_iter=300, tol=1e-6)
    finals = set()
    for cell in range(len(starts)):
        alone = fit_alone(X, starts[cell], max_iter=300, tol=1e-6)
        assert result.log_likelihood[cell] == pytest.approx(alone.log_likelihood, abs=1e-6)
        assert result.n_iter[cell] == alone.n_iter
        np.testing.assert_allclose(result.covariances[cell], alone.params.covariances, rtol=1e-7, atol=1e-10)
        finals.add(round(alone.log_likelihood, 2))
    assert len(finals) >= 2  # the starts do not all land in the same place: the comparison means something


def test_a_start_whose_component_collapses_is_run_by_fit_itself():
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    starts = np.array([[[0.0], [1000.0]], [[-2.0], [1.0]]])  # nothing near 1000: component 2 dies
    result = gmm_core.fit_many_starts(X, starts, max_iter=100, tol=1e-6)
    np.testing.assert_array_equal(result.fitted_alone, [True, False])
    for cell in range(2):
        alone = fit_alone(X, starts[cell], max_iter=100, tol=1e-6)
        assert bool(alone.reseed_events) == bool(result.fitted_alone[cell])
        assert result.log_likelihood[cell] == pytest.approx(alone.log_likelihood, abs=1e-9)
        np.testing.assert_allclose(result.means[cell], alone.params.means, atol=1e-9)


def test_the_collapse_guard_is_at_least_as_cautious_as_fits_reseeding():
    assert batched.COLLAPSE_GUARD >= gmm_core.MIN_COMPONENT_MASS


def test_on_separated_data_every_start_reaches_the_optimum_or_its_label_swap():
    rng = np.random.default_rng(2)
    X = np.concatenate([rng.normal(-5.0, 1.0, 30), rng.normal(5.0, 1.0, 30)])[:, None]
    starts = grid_starts(X, 30)
    asymmetric = starts[:, 0, 0] != starts[:, 1, 0]  # μ₁ = μ₂ exactly stays symmetric forever (a saddle)
    result = gmm_core.fit_many_starts(X, starts[asymmetric], max_iter=1000, tol=1e-10)
    best = fit_alone(X, np.array([[-5.0], [5.0]]), max_iter=1000, tol=1e-10)
    assert result.converged.all()
    np.testing.assert_allclose(result.log_likelihood, best.log_likelihood, atol=1e-6)
    order = np.sign(result.means[:, 1, 0] - result.means[:, 0, 0])
    assert set(order) == {-1.0, 1.0}  # both labelings are reached
    ordered = np.sort(result.means[:, :, 0], axis=1)
    np.testing.assert_allclose(ordered, np.tile(np.sort(best.params.means[:, 0]), (len(ordered), 1)), atol=1e-4)


def test_progress_is_reported_up_to_the_number_of_starts():
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    seen = []
    gmm_core.fit_many_starts(X, grid_starts(X, 6), tol=1e-4, on_progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (36, 36) and all(total == 36 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_1d_starts_may_omit_the_feature_axis():
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    flat = gmm_core.fit_many_starts(X, [[-1.0, 2.0]], tol=1e-4)
    full = gmm_core.fit_many_starts(X, [[[-1.0], [2.0]]], tol=1e-4)
    assert flat.log_likelihood[0] == full.log_likelihood[0]


@pytest.mark.parametrize("starts, message", [
    (np.zeros((3, 2, 2)), "shape"),
    (np.zeros((0, 2, 1)), "shape"),
    (np.array([[[np.nan], [1.0]]]), "NaN"),
    ([["a", "b"]], "numbers"),
])
def test_bad_starts_get_a_sentence(starts, message):
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    with pytest.raises(ValueError, match=message):
        gmm_core.fit_many_starts(X, starts)
