"""gmm_core against published results (Old Faithful) and against the known truth of its presets.

Published numbers for the Old Faithful geyser data (272 eruptions; columns eruptions, waiting):
  * k=2, unrestricted covariances: log-likelihood -1130.264, BIC 2322.192, means (2.036, 54.479)
    and (4.290, 79.968), weights 0.356 / 0.644 (mclust's VVV model; e.g. Scrucca et al. 2016,
    "mclust 5", The R Journal 8(1));
  * mclust's BIC choice is EEE (equal covariances = sklearn's 'tied') with 3 components:
    log-likelihood -1126.3, BIC 2314.3 (mclust reports BIC with the opposite sign).
A diagonal 5-component model scores a better raw BIC only by parking a component on the 14 rows
with waiting == 83 and shrinking its variance there to reg_covar: a spurious, degenerate fit that
select_model must flag.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

import gmm_core

OLD_FAITHFUL = Path(__file__).resolve().parents[1] / "data_sources" / "bundled" / "old_faithful.csv"


@pytest.fixture(scope="module")
def faithful() -> np.ndarray:
    with open(OLD_FAITHFUL) as handle:
        header = handle.readline().strip().split(",")
    assert header == ["eruptions", "waiting"]
    X = np.loadtxt(OLD_FAITHFUL, delimiter=",", skiprows=1)
    assert X.shape == (272, 2)
    return X


@pytest.fixture(scope="module")
def selection(faithful) -> gmm_core.ModelSelection:
    return gmm_core.select_model(faithful, range(1, 7))


def test_old_faithful_two_components_full(faithful):
    result = gmm_core.fit(faithful, 2, "full", n_init=5, tol=1e-9, max_iter=1000, seed=0)
    assert result.converged
    assert result.log_likelihood == pytest.approx(-1130.264, abs=1e-3)
    assert result.bic == pytest.approx(2322.192, abs=1e-3)
    order = np.argsort(result.params.means[:, 0])
    np.testing.assert_allclose(result.params.means[order], [[2.036, 54.479], [4.290, 79.968]], atol=1e-3)
    np.testing.assert_allclose(result.params.weights[order], [0.356, 0.644], atol=1e-3)
    # the fitted parameters reproduce the reported log-likelihood on their own
    assert result.params.log_likelihood(faithful) == pytest.approx(result.log_likelihood, rel=1e-12)
    assert result.params.bic(faithful) == pytest.approx(result.bic, rel=1e-12)


def test_best_raw_bic_is_the_spurious_diag_5(selection, faithful):
    assert len(selection.rows) == 6 * 4
    assert selection.criterion == "bic"
    best = selection.best
    assert min(row.bic for row in selection.rows) == best.bic
    assert (best.n_components, best.covariance_type) == (5, "diag")
    assert best.bic == pytest.approx(2220.6, abs=0.1)
    assert best.spurious

    params = best.result.params
    (bad,) = best.spurious_components
    # the degenerate component sits on waiting == 83 with (near-)zero variance in that column
    assert params.means[bad, 1] == pytest.approx(83.0, abs=1e-6)
    assert params.covariances[bad, 1] < 1e-4
    assert params.weights[bad] * len(faithful) == pytest.approx(14, abs=0.5)
    members = np.flatnonzero(params.predict(faithful) == bad)
    np.testing.assert_array_equal(members, np.flatnonzero(faithful[:, 1] == 83))
    assert len(members) == 14


def test_best_non_spurious_is_tied_3_as_mclust(selection):
    chosen = selection.best_non_spurious
    assert chosen is not None and not chosen.spurious
    assert (chosen.n_components, chosen.covariance_type) == (3, "tied")
    assert chosen.log_likelihood == pytest.approx(-1126.3, abs=0.1)
    assert chosen.bic == pytest.approx(2314.3, abs=0.1)
    assert chosen.converged
    assert min(row.bic for row in selection.rows if not row.spurious) == chosen.bic


def test_selection_rows_are_consistent(selection, faithful):
    n = len(faithful)
    for row in selection.rows:
        assert row.n_parameters == row.result.params.n_parameters
        assert row.bic == pytest.approx(-2 * row.log_likelihood + row.n_parameters * np.log(n), rel=1e-12)
        assert row.aic == pytest.approx(-2 * row.log_likelihood + 2 * row.n_parameters, rel=1e-12)
        assert row.spurious == bool(gmm_core.degenerate_components(row.result.params, faithful))
    # more components never fit worse than one (k=1 is the global optimum of its type)
    for covariance_type in gmm_core.COVARIANCE_TYPES:
        one = next(r for r in selection.rows if r.covariance_type == covariance_type and r.n_components == 1)
        others = [r for r in selection.rows if r.covariance_type == covariance_type]
        assert all(r.log_likelihood >= one.log_likelihood - 1e-6 for r in others)


def test_tied_3_matches_sklearn_from_the_same_start(selection, faithful):
    row = next(r for r in selection.rows if (r.n_components, r.covariance_type) == (3, "tied"))
    result = row.result
    start = result.trace[0].params
    model = GaussianMixture(
        3,
        covariance_type="tied",
        tol=0,
        max_iter=result.n_iter,
        init_params="random_from_data",
        weights_init=start.weights,
        means_init=start.means,
        precisions_init=np.linalg.inv(start.covariances),
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(faithful)
    assert model.n_iter_ == result.n_iter
    rtol = 1e-6
    np.testing.assert_allclose(result.params.means, model.means_, rtol=rtol)
    np.testing.assert_allclose(result.params.covariances, model.covariances_, rtol=rtol)
    np.testing.assert_allclose(result.params.weights, model.weights_, rtol=rtol)
    assert result.log_likelihood == pytest.approx(model.score(faithful) * len(faithful), rel=rtol)
    assert result.bic == pytest.approx(model.bic(faithful), rel=rtol)


# --- the two article presets and random blobs -----------------------------------------------------


def _matched_means(fitted_means: np.ndarray, true_means: np.ndarray) -> np.ndarray:
    """Fitted means reordered to the truth's labels (k=2: try both orders)."""
    straight = np.abs(fitted_means - true_means).sum()
    swapped = np.abs(fitted_means[::-1] - true_means).sum()
    return fitted_means if straight <= swapped else fitted_means[::-1]


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_two_tight_clusters_recovers_generating_means(seed):
    data = gmm_core.two_tight_clusters(seed)
    truth = data.truth
    assert data.X.shape == (200, 2)
    assert np.bincount(data.labels).tolist() == [100, 100]
    result = gmm_core.fit(data.X, 2, "full", n_init=3, tol=1e-8, max_iter=1000, seed=seed)
    fitted = _matched_means(result.params.means, truth.means)
    # The clusters are ~7 standard deviations apart, so the mixture estimate is as good as the
    # labelled sample mean: standard error sigma / sqrt(n_k) per coordinate; allow 3 of them.
    standard_error = np.sqrt(np.diagonal(truth.full_covariances, axis1=1, axis2=2) / 100)
    z = np.abs(fitted - truth.means) / standard_error
    assert np.all(z <= 3), z.round(2)
    assert np.sort(result.params.weights) == pytest.approx([0.5, 0.5], abs=1e-3)


def _mixture_1d_log_likelihood(theta, x):
    """theta = (logit w1, mu1, mu2, log sd1, log sd2); written with scipy, independent of gmm_core."""
    logit, mu1, mu2, log_sd1, log_sd2 = theta
    w1 = 1.0 / (1.0 + np.exp(-logit))
    return np.logaddexp(
        np.log(w1) + stats.norm.logpdf(x, mu1, np.exp(log_sd1)),
        np.log1p(-w1) + stats.norm.logpdf(x, mu2, np.exp(log_sd2)),
    ).sum()


def _observed_information_standard_errors(theta, x, step=1e-4):
    """Square roots of the diagonal of the inverse negative Hessian (central differences)."""
    p = len(theta)
    hessian = np.empty((p, p))
    for i in range(p):
        for j in range(p):
            ei, ej = np.eye(p)[i] * step, np.eye(p)[j] * step
            hessian[i, j] = (
                _mixture_1d_log_likelihood(theta + ei + ej, x)
                - _mixture_1d_log_likelihood(theta + ei - ej, x)
                - _mixture_1d_log_likelihood(theta - ei + ej, x)
                + _mixture_1d_log_likelihood(theta - ei - ej, x)
            ) / (4 * step * step)
    return np.sqrt(np.diag(np.linalg.inv(-hessian)))


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("n_per_cluster, n_standard_errors", [(30, 4.0), (3000, 3.0)])
def test_two_overlapping_gaussians_recovers_generating_means(n_per_cluster, n_standard_errors, seed):
    """The components overlap, so the labelled-sample standard error is far too optimistic: use the
    mixture MLE's own standard error from the observed information.  At the article's size (60
    points) that asymptotic figure is itself rough, hence 4 rather than 3 standard errors there."""
    data = gmm_core.two_overlapping_gaussians(seed, n_per_cluster=n_per_cluster)
    truth = data.truth
    assert data.X.shape == (2 * n_per_cluster, 1)
    assert np.bincount(data.labels).tolist() == [n_per_cluster, n_per_cluster]
    result = gmm_core.fit(data.X, 2, "full", n_init=3, tol=1e-10, max_iter=5000, seed=seed)
    assert result.converged
    params = result.params
    order = np.argsort(params.means[:, 0])  # the truth's means are ordered (-2 < 1)
    means = params.means[order, 0]
    sds = np.sqrt(params.covariances[order, 0, 0])
    w = params.weights[order]
    theta = np.array([np.log(w[0] / w[1]), means[0], means[1], np.log(sds[0]), np.log(sds[1])])
    x = data.X[:, 0]
    # the fit is a maximum of the independent scipy likelihood too
    assert _mixture_1d_log_likelihood(theta, x) == pytest.approx(result.log_likelihood, rel=1e-10)
    standard_error = _observed_information_standard_errors(theta, x)[1:3]
    z = np.abs(means - truth.means[:, 0]) / standard_error
    assert np.all(z <= n_standard_errors), z.round(2)


def test_preset_truths_are_the_articles():
    tight = gmm_core.two_tight_clusters(0).truth
    np.testing.assert_array_equal(tight.means, [[5, 10], [6, 11]])
    np.testing.assert_allclose(tight.full_covariances, [0.01 * np.eye(2), 0.05 * np.eye(2)])
    overlapping = gmm_core.two_overlapping_gaussians(0).truth
    np.testing.assert_array_equal(overlapping.means, [[-2], [1]])
    np.testing.assert_allclose(overlapping.covariances.ravel(), [1.3**2, 0.9**2])
    assert gmm_core.two_overlapping_gaussians(0).X.shape == (60, 1)
    assert gmm_core.two_tight_clusters(0).X.shape == (200, 2)
    # the sample really comes from the truth: per-label sample means within 4 standard errors
    data = gmm_core.two_tight_clusters(5, n_per_cluster=500)
    for k in range(2):
        points = data.X[data.labels == k]
        se = np.sqrt(np.diag(data.truth.full_covariances[k]) / len(points))
        assert np.all(np.abs(points.mean(axis=0) - data.truth.means[k]) <= 4 * se)


@pytest.mark.parametrize(
    "n_components, n_samples, n_features, separation, anisotropy",
    [(1, 10, 1, 4.0, 1.0), (3, 500, 2, 4.0, 1.0), (5, 333, 2, 6.0, 3.0), (4, 200, 1, 3.0, 1.0), (8, 8, 2, 2.0, 1.0),
     (3, 400, 3, 4.0, 2.0), (6, 600, 7, 5.0, 4.0), (10, 1000, 10, 3.0, 1.5)],
)
def test_random_blobs_shapes_labels_truth(n_components, n_samples, n_features, separation, anisotropy):
    data = gmm_core.random_blobs(n_components, n_samples, n_features, separation, anisotropy, seed=3)
    assert data.X.shape == (n_samples, n_features)
    assert data.labels.shape == (n_samples,)
    assert np.all(np.isfinite(data.X))
    counts = np.bincount(data.labels, minlength=n_components)
    assert len(counts) == n_components and counts.min() >= 1 and counts.sum() == n_samples
    truth = data.truth
    assert truth.n_components == n_components and truth.n_features == n_features
    assert truth.covariance_type == "full"
    assert truth.weights.sum() == pytest.approx(1.0)
    # counts follow the weights (rounding only)
    assert np.all(np.abs(counts - truth.weights * n_samples) <= n_components)
    # anisotropy is the ratio of each covariance's longest to shortest axis (in any dimension above 1)
    if n_features >= 2:
        eig = np.linalg.eigvalsh(truth.full_covariances)
        np.testing.assert_allclose(eig[:, -1] / eig[:, 0], anisotropy**2, rtol=1e-9)
    # well-separated means where possible
    if n_components > 1:
        gaps = [np.linalg.norm(a - b) for i, a in enumerate(truth.means) for b in truth.means[i + 1 :]]
        assert min(gaps) >= separation
    # same seed -> same data, different seed -> different data
    again = gmm_core.random_blobs(n_components, n_samples, n_features, separation, anisotropy, seed=3)
    np.testing.assert_array_equal(again.X, data.X)
    other = gmm_core.random_blobs(n_components, n_samples, n_features, separation, anisotropy, seed=4)
    assert not np.array_equal(other.X, data.X)


def test_random_blobs_in_six_dimensions_are_drawn_from_their_truth():
    """Each label's sample mean and covariance match its component's (within sampling error), so the
    random rotation in d > 2 is applied the same way to the points and to the truth."""
    data = gmm_core.random_blobs(3, 30_000, 6, separation=6.0, anisotropy=3.0, seed=8)
    for k in range(3):
        points = data.X[data.labels == k]
        truth_cov = data.truth.full_covariances[k]
        se = np.sqrt(np.diag(truth_cov) / len(points))
        assert np.all(np.abs(points.mean(axis=0) - data.truth.means[k]) <= 5 * se)
        relative = np.linalg.norm(np.cov(points.T) - truth_cov) / np.linalg.norm(truth_cov)
        assert relative < 0.08


def test_random_blobs_recovered_by_fit():
    data = gmm_core.random_blobs(3, 3000, 2, separation=8.0, seed=11)
    result = gmm_core.fit(data.X, 3, "full", n_init=3, seed=0, tol=1e-8)
    truth = data.truth
    # match each true mean to its nearest fitted mean; must be a one-to-one matching
    distance = np.linalg.norm(truth.means[:, None] - result.params.means[None], axis=2)
    match = distance.argmin(axis=1)
    assert sorted(match) == [0, 1, 2]
    counts = np.bincount(data.labels)
    for k in range(3):
        se = np.sqrt(np.diag(truth.full_covariances[k]) / counts[k])
        assert np.all(np.abs(result.params.means[match[k]] - truth.means[k]) <= 4 * se)
