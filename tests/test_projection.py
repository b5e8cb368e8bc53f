"""Views of a d > 2 fit (figures.projection) and the player's payload for them: the ellipses drawn on a pair
of features or on the principal-component plane are exactly the components' projected Gaussians, checked
against samples drawn from the fitted mixture; the colours stay the full-dimensional responsibilities."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.stats import multivariate_normal

import gmm_core
from figures import display_subsample, player_payload
from figures.frame_state import PlayerData, frame_state
from figures.projection import bhattacharyya, marginal, pair_scores, principal_axes

D = 4
N_DRAWS = 200_000
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


@dataclass(frozen=True)
class Data:
    X: np.ndarray
    truth: gmm_core.GaussianMixtureParams


@pytest.fixture(scope="module")
def blobs_4d():
    """Three correlated 4-D Gaussians (independent of the app's blob generator, which is 1-D/2-D here)."""
    rng = np.random.default_rng(4)
    factors = rng.normal(size=(3, D, D))
    covariances = factors @ np.swapaxes(factors, 1, 2) + 0.3 * np.eye(D)
    truth = gmm_core.GaussianMixtureParams(np.array([0.3, 0.3, 0.4]), rng.normal(size=(3, D)) * 4, covariances, "full")
    return Data(truth.sample(600, seed=5)[0], truth)


@pytest.fixture(scope="module", params=COVARIANCE_TYPES)
def fit_4d(request, blobs_4d):
    return gmm_core.fit(blobs_4d.X, 3, covariance_type=request.param, tol=0, max_iter=6, seed=0)


def sample_covariance_matches(draws: np.ndarray, mean: np.ndarray, covariance: np.ndarray) -> None:
    """The draws' mean and covariance agree with (mean, covariance) within 6 standard errors."""
    n = len(draws)
    sd = np.sqrt(np.diag(covariance))
    np.testing.assert_array_less(np.abs(draws.mean(axis=0) - mean), 6 * sd / np.sqrt(n))
    # Var of a sample covariance entry: (s_ii s_jj + s_ij^2) / n
    standard_error = np.sqrt((np.outer(sd**2, sd**2) + covariance**2) / n)
    np.testing.assert_array_less(np.abs(np.cov(draws.T) - covariance), 6 * standard_error)


# --------------------------------------------------------------------------- a pair of features
@pytest.mark.parametrize("pair", [(0, 1), (2, 3), (3, 1)])
def test_each_components_marginal_on_the_pair_is_its_covariance_block(fit_4d, pair):
    params = fit_4d.params
    means, covariances = marginal(params.means, params.full_covariances, pair)
    draws, labels = params.sample(N_DRAWS, seed=11)
    for c in range(params.n_components):
        sample_covariance_matches(draws[labels == c][:, list(pair)], means[c], covariances[c])


def test_the_marginal_of_a_diag_or_spherical_fit_is_diagonal_and_of_a_tied_fit_shared(blobs_4d):
    for kind in ("diag", "spherical", "tied"):
        params = gmm_core.fit(blobs_4d.X, 3, covariance_type=kind, max_iter=5, seed=0).params
        _, blocks = marginal(params.means, params.full_covariances, (1, 3))
        if kind == "tied":
            np.testing.assert_array_equal(blocks[0], params.covariances[np.ix_([1, 3], [1, 3])])
            assert all(np.array_equal(block, blocks[0]) for block in blocks)
        else:
            assert np.all(blocks[:, 0, 1] == 0) and np.all(blocks[:, 1, 0] == 0)
            variances = params.covariances[:, None] * np.ones(D) if kind == "spherical" else params.covariances
            np.testing.assert_array_equal(blocks[:, [0, 1], [0, 1]], variances[:, [1, 3]])


# --------------------------------------------------------------------------- principal components
def test_the_principal_plane_shows_each_component_as_its_projected_gaussian(fit_4d, blobs_4d):
    axes = principal_axes(blobs_4d.X)
    rotated = axes.params(fit_4d.params)
    draws, labels = fit_4d.params.sample(N_DRAWS, seed=12)
    projected = axes.points(draws)[:, :2]
    for c in range(rotated.n_components):
        sample_covariance_matches(projected[labels == c], rotated.means[c, :2], rotated.covariances[c, :2, :2])


def test_principal_axes_are_the_eigenvectors_of_the_data_covariance(blobs_4d):
    axes = principal_axes(blobs_4d.X)
    np.testing.assert_allclose(axes.rotation.T @ axes.rotation, np.eye(D), atol=1e-12)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(blobs_4d.X.T))
    order = np.argsort(eigenvalues)[::-1]
    np.testing.assert_allclose(np.abs(axes.rotation), np.abs(eigenvectors[:, order]), atol=1e-9)
    np.testing.assert_allclose(axes.explained, eigenvalues[order] / eigenvalues.sum(), rtol=1e-9)
    assert axes.names(2)[0].startswith("PC1 (") and "variance" in axes.names(2)[1]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), d=st.integers(3, 7), shift=st.sampled_from([0.0, 1e4, -3e6]),
       kind=st.sampled_from(COVARIANCE_TYPES))
def test_rotating_into_principal_coordinates_changes_no_responsibility_and_no_density(seed, d, shift, kind):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(80, d)) * rng.uniform(0.5, 3.0, size=d) + shift
    params = gmm_core.fit(X, 2, covariance_type=kind, max_iter=3, seed=seed).params
    axes = principal_axes(X)
    rotated = axes.params(params)
    np.testing.assert_allclose(rotated.predict_proba(axes.points(X)), params.predict_proba(X), atol=1e-8)
    np.testing.assert_allclose(rotated.score_samples(axes.points(X)), params.score_samples(X), rtol=1e-9, atol=1e-9)


# --------------------------------------------------------------------------- which pair separates best
def test_bhattacharyya_distance_matches_numerical_integration():
    mean_a, mean_b = np.array([0.0, 1.0]), np.array([1.5, -0.5])
    cov_a, cov_b = np.array([[1.0, 0.4], [0.4, 0.8]]), np.array([[0.6, -0.2], [-0.2, 1.5]])
    axis = np.linspace(-8, 8, 801)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1)
    overlap = np.sqrt(multivariate_normal(mean_a, cov_a).pdf(grid) * multivariate_normal(mean_b, cov_b).pdf(grid))
    coefficient = overlap.sum() * (axis[1] - axis[0]) ** 2
    assert bhattacharyya(mean_a, cov_a, mean_b, cov_b) == pytest.approx(-np.log(coefficient), rel=1e-6)


def test_the_best_pair_is_the_one_where_the_components_differ():
    means = np.zeros((3, 5))
    means[1, 2], means[2, 4] = 6.0, 6.0  # component 1 differs on feature 2, component 2 on feature 4
    means[1, 0] = 2.0  # and a little on feature 0
    params = gmm_core.GaussianMixtureParams(np.ones(3) / 3, means, np.ones((3, 5)), "diag")
    scores = pair_scores(params)
    assert scores.best_pair == (2, 4)
    assert scores.separation[scores.best] > 2 * np.sort(scores.separation)[-2]
    assert len(scores.pairs) == 10


def test_one_component_or_identical_marginals_fall_back_to_the_first_pair():
    single = gmm_core.GaussianMixtureParams(np.ones(1), np.zeros((1, 3)), np.ones((1, 3)), "diag")
    assert pair_scores(single).best_pair == (0, 1)
    with pytest.raises(ValueError, match="two features"):
        pair_scores(gmm_core.GaussianMixtureParams(np.ones(1), np.zeros((1, 1)), np.ones((1, 1)), "diag"))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(2, 4))
def test_the_pair_choice_does_not_depend_on_units_or_order(seed, k):
    """Rescaling a feature or moving the data leaves every Bhattacharyya distance unchanged; swapping two
    features swaps their scores."""
    rng = np.random.default_rng(seed)
    covariances = rng.uniform(0.5, 2.0, size=(k, 4))
    params = gmm_core.GaussianMixtureParams(np.ones(k) / k, rng.normal(size=(k, 4)) * 3, covariances, "diag")
    scale = np.array([1.0, 1e3, 1e-2, 7.0])
    moved = gmm_core.GaussianMixtureParams(params.weights, params.means * scale + 1e5, covariances * scale**2, "diag")
    np.testing.assert_allclose(pair_scores(moved).separation, pair_scores(params).separation, rtol=1e-6)
    swapped = gmm_core.GaussianMixtureParams(params.weights, params.means[:, [1, 0, 2, 3]],
                                             covariances[:, [1, 0, 2, 3]], "diag")
    before, after = pair_scores(params), pair_scores(swapped)
    # (0, 2) before is (1, 2) after; (0, 1) is (0, 1)
    index = {tuple(p): i for i, p in enumerate(after.pairs.tolist())}
    for i, (a, b) in enumerate(before.pairs.tolist()):
        renamed = tuple(sorted({0: 1, 1: 0}.get(v, v) for v in (a, b)))
        assert after.separation[index[renamed]] == pytest.approx(before.separation[i], rel=1e-9)


# --------------------------------------------------------------------------- the player's payload for d > 2
@pytest.fixture(scope="module")
def full_fit_4d(blobs_4d):
    return gmm_core.fit(blobs_4d.X, 3, tol=0, max_iter=6, seed=0)


def test_a_pair_view_draws_the_marginal_ellipses_and_full_dimensional_colours(full_fit_4d, blobs_4d):
    payload = player_payload(full_fit_4d, blobs_4d.X, pair=(3, 1), truth=blobs_4d.truth)
    assert payload["n_features"] == D and payload["view"]["pair"] == [3, 1]
    assert payload["features"] == ["x₁", "x₂", "x₃", "x₄"]
    data = PlayerData.from_payload(payload)
    state = frame_state(data, data.n_frames - 1)
    np.testing.assert_allclose(state.resp, full_fit_4d.params.predict_proba(blobs_4d.X), atol=1e-5)
    means, covariances = marginal(full_fit_4d.params.means, full_fit_4d.params.full_covariances, (3, 1))
    for c in range(3):  # the 1-sigma ellipse: every point at Mahalanobis distance 1 under the marginal
        offsets = state.ellipses[c, 0].T - means[c]
        distances = np.einsum("ni,ij,nj->n", offsets, np.linalg.inv(covariances[c]), offsets)
        np.testing.assert_allclose(distances, 1.0, rtol=1e-5)
    x_low, x_high = payload["view"]["x_range"]
    assert x_low < blobs_4d.X[:, 3].min() and blobs_4d.X[:, 3].max() < x_high


def test_a_principal_view_keeps_the_responsibilities_of_the_fit(full_fit_4d, blobs_4d):
    axes = principal_axes(blobs_4d.X)
    payload = player_payload(axes.result(full_fit_4d), axes.points(blobs_4d.X), feature_names=axes.names())
    data = PlayerData.from_payload(payload)
    state = frame_state(data, data.n_frames - 1)
    np.testing.assert_allclose(state.resp, full_fit_4d.params.predict_proba(blobs_4d.X), atol=1e-5)
    assert payload["features"][0].startswith("PC1")


def test_the_viewed_pair_must_be_two_different_features(full_fit_4d, blobs_4d):
    for pair in [(1, 1), (0, 4), (-1, 2)]:
        with pytest.raises(ValueError, match="two different features"):
            player_payload(full_fit_4d, blobs_4d.X, pair=pair)


def test_a_ten_feature_payload_stays_within_the_budget():
    """The 2-D budget: 1 MB for 10^4 points, k = 5, 100 iterations (3,000 drawn). The d x d matrices go as
    float32, which is what keeps d = 10 within it; 101 entries of k = 5 are simulated (no fit needed)."""
    rng = np.random.default_rng(0)
    d, k = 10, 5
    X = rng.normal(size=(10_000, d))
    entries = [gmm_core.TraceEntry(i, gmm_core.GaussianMixtureParams(
        np.ones(k) / k, rng.normal(size=(k, d)), np.eye(d)[None] * rng.uniform(0.5, 2, size=(k, 1, 1)), "full"), -1.0)
        for i in range(101)]
    result = gmm_core.fit(X[:500], k, max_iter=1, seed=0)
    result = dataclasses.replace(result, trace=tuple(entries), params=entries[-1].params, n_iter=100)
    payload = player_payload(result, X[display_subsample(len(X))])
    assert payload["params"]["covariances"]["dtype"] == "f4" and payload["points"]["dtype"] == "f8"
    assert len(json.dumps(payload)) < 1_000_000
