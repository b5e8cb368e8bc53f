"""Parity of gmm_core with scikit-learn's GaussianMixture and with scipy.stats densities.

scikit-learn and scipy are test-only references here; gmm_core itself must not import them
(tests/test_architecture.py checks that).

Both EM implementations start from identical parameters (ours: init="manual"; sklearn:
weights_init / means_init / precisions_init with init_params="random_from_data", whose random
responsibilities are then ignored), run the same number of E+M steps (tol=0), and must agree to
1e-6 relative.  "Relative" is measured against each array's own scale (rtol=1e-6 plus an absolute
slack of 1e-6 x max|value|), so that entries that happen to be near zero, such as off-diagonal
covariances, do not demand an impossible relative precision.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

import gmm_core

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
RTOL = 1e-6


def assert_rel_close(actual, expected, rtol=RTOL, what=""):
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = float(np.abs(expected).max()) if expected.size else 0.0
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale, err_msg=what)


# --- data and starting parameters -----------------------------------------------------------------


def mixture_data(n_features: int, seed: int, n_samples: int = 400) -> np.ndarray:
    """Three correlated, moderately overlapping Gaussian clusters in n_features dimensions."""
    rng = np.random.default_rng(seed)
    n_true = 3
    centers = rng.normal(scale=3.0, size=(n_true, n_features))
    labels = rng.integers(n_true, size=n_samples)
    X = np.empty((n_samples, n_features))
    for k in range(n_true):
        A = rng.normal(size=(n_features, n_features))
        cov = A @ A.T / n_features + 0.3 * np.eye(n_features)
        rows = labels == k
        X[rows] = rng.multivariate_normal(centers[k], cov, size=rows.sum())
    return X


def starting_params(X: np.ndarray, n_components: int, covariance_type: str, seed: int):
    """Distinct random means from the data, random weights, random positive-definite covariances."""
    rng = np.random.default_rng(seed)
    n_samples, d = X.shape
    means = X[rng.choice(n_samples, n_components, replace=False)]
    weights = rng.dirichlet(np.full(n_components, 5.0))
    data_cov = np.atleast_2d(np.cov(X, rowvar=False, bias=True))

    def random_spd():
        A = rng.normal(scale=0.3, size=(d, d))
        return data_cov * rng.uniform(0.3, 1.0) + A @ A.T

    if covariance_type == "full":
        covariances = np.stack([random_spd() for _ in range(n_components)])
    elif covariance_type == "tied":
        covariances = random_spd()
    elif covariance_type == "diag":
        covariances = np.diag(data_cov)[None, :] * rng.uniform(0.3, 1.0, size=(n_components, d))
    else:
        covariances = np.diag(data_cov).mean() * rng.uniform(0.3, 1.0, size=n_components)
    return weights, means, covariances


def precisions_of(covariances: np.ndarray, covariance_type: str) -> np.ndarray:
    """Inverse covariances in sklearn's precisions_init shape (symmetrised for its checks)."""
    if covariance_type in ("full", "tied"):
        inv = np.linalg.inv(covariances)
        return (inv + np.swapaxes(inv, -1, -2)) / 2
    return 1.0 / covariances


def sklearn_fit(X, n_components, covariance_type, weights, means, covariances, max_iter, tol=0.0):
    model = GaussianMixture(
        n_components=n_components,
        covariance_type=covariance_type,
        tol=tol,
        max_iter=max_iter,
        reg_covar=1e-6,
        init_params="random_from_data",
        weights_init=weights,
        means_init=means,
        precisions_init=precisions_of(covariances, covariance_type),
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    return model


def ours_fit(X, n_components, covariance_type, weights, means, covariances, max_iter, tol=0.0):
    return gmm_core.fit(
        X,
        n_components,
        covariance_type,
        init="manual",
        means_init=means,
        weights_init=weights,
        covariances_init=covariances,
        max_iter=max_iter,
        tol=tol,
        reg_covar=1e-6,
    )


def assert_same_model(ours: gmm_core.FitResult, theirs: GaussianMixture, X, rtol=RTOL):
    p = ours.params
    assert_rel_close(p.means, theirs.means_, rtol, "means")
    assert_rel_close(p.covariances, theirs.covariances_, rtol, "covariances")
    assert_rel_close(p.weights, theirs.weights_, rtol, "weights")
    assert ours.log_likelihood == pytest.approx(theirs.score(X) * len(X), rel=rtol)


# --- EM parity -------------------------------------------------------------------------------------


@pytest.mark.parametrize("n_iter", [1, 25])
@pytest.mark.parametrize("n_features", [1, 2, 5])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_em_matches_sklearn_from_identical_start(covariance_type, n_features, n_iter):
    X = mixture_data(n_features, seed=10 + n_features)
    k = 3
    weights, means, covariances = starting_params(X, k, covariance_type, seed=n_features)
    ours = ours_fit(X, k, covariance_type, weights, means, covariances, n_iter)
    theirs = sklearn_fit(X, k, covariance_type, weights, means, covariances, n_iter)

    assert ours.n_iter == n_iter == theirs.n_iter_
    assert not ours.reseed_events, "a re-seed would make the runs incomparable"
    # the start really is the one given (not something init-dependent)
    assert_rel_close(ours.trace[0].params.means, means, 1e-15, "initial means")
    assert_same_model(ours, theirs, X)
    # the trace's last entry is the returned model
    assert ours.trace[-1].params is ours.params
    assert ours.trace[-1].log_likelihood == ours.log_likelihood


@pytest.mark.parametrize("n_features", [1, 2, 5])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_criteria_and_predictions_match_sklearn(covariance_type, n_features):
    X = mixture_data(n_features, seed=20 + n_features)
    k = 3
    weights, means, covariances = starting_params(X, k, covariance_type, seed=7)
    ours = ours_fit(X, k, covariance_type, weights, means, covariances, 10)
    theirs = sklearn_fit(X, k, covariance_type, weights, means, covariances, 10)

    assert ours.params.n_parameters == theirs._n_parameters()
    assert ours.bic == pytest.approx(theirs.bic(X), rel=RTOL)
    assert ours.aic == pytest.approx(theirs.aic(X), rel=RTOL)

    # The same parameters (sklearn's own, copied into ours) must give the same predictions, on the
    # training data and on fresh points spread well beyond it.
    same = gmm_core.GaussianMixtureParams(theirs.weights_, theirs.means_, theirs.covariances_, covariance_type)
    rng = np.random.default_rng(1)
    spread = X.std(axis=0)
    fresh = X.mean(axis=0) + rng.uniform(-4, 4, size=(200, n_features)) * spread
    for points in (X, fresh):
        np.testing.assert_allclose(same.score_samples(points), theirs.score_samples(points), rtol=1e-9)
        np.testing.assert_allclose(same.predict_proba(points), theirs.predict_proba(points), rtol=1e-7, atol=1e-12)
        np.testing.assert_array_equal(same.predict(points), theirs.predict(points))
    assert same.bic(X) == pytest.approx(theirs.bic(X), rel=1e-9)
    assert same.aic(X) == pytest.approx(theirs.aic(X), rel=1e-9)
    assert same.score(X) == pytest.approx(theirs.score(X), rel=1e-9)


def test_a_wrong_start_would_be_detected():
    """Guard for the parity tests: perturbing the start by 1e-3 breaks agreement after 25 steps."""
    X = mixture_data(2, seed=12)
    weights, means, covariances = starting_params(X, 3, "full", seed=2)
    ours = ours_fit(X, 3, "full", weights, means + 1e-3, covariances, 25)
    theirs = sklearn_fit(X, 3, "full", weights, means, covariances, 25)
    with pytest.raises(AssertionError):
        assert_same_model(ours, theirs, X)


# --- log densities against scipy.stats ------------------------------------------------------------


def reference_weighted_log_prob(X, params: gmm_core.GaussianMixtureParams) -> np.ndarray:
    """log w_k + log N(x | mu_k, Sigma_k) by a plain loop over components with scipy.stats."""
    k, d = params.means.shape
    cov = params.covariances
    out = np.empty((len(X), k))
    for j in range(k):
        if params.covariance_type == "full":
            sigma = cov[j]
        elif params.covariance_type == "tied":
            sigma = cov
        elif params.covariance_type == "diag":
            sigma = np.diag(cov[j])
        else:
            sigma = cov[j] * np.eye(d)
        if d == 1:
            logpdf = stats.norm.logpdf(X[:, 0], loc=params.means[j, 0], scale=np.sqrt(sigma[0, 0]))
        else:
            logpdf = stats.multivariate_normal.logpdf(X, mean=params.means[j], cov=sigma)
        out[:, j] = np.log(params.weights[j]) + logpdf
    return out


def reference_log_sum_exp(values: np.ndarray) -> np.ndarray:
    out = np.empty(len(values))
    for i, row in enumerate(values):
        peak = max(row)
        out[i] = peak + np.log(sum(np.exp(v - peak) for v in row))
    return out


@pytest.mark.parametrize("n_features", [1, 2, 4])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_log_densities_match_scipy(covariance_type, n_features):
    X = mixture_data(n_features, seed=30 + n_features, n_samples=150)
    weights, means, covariances = starting_params(X, 4, covariance_type, seed=3)
    params = gmm_core.GaussianMixtureParams(weights, means, covariances, covariance_type)

    expected = reference_weighted_log_prob(X, params)
    np.testing.assert_allclose(params.weighted_log_prob(X), expected, rtol=1e-10, atol=1e-10)
    expected_density = reference_log_sum_exp(expected)
    np.testing.assert_allclose(params.score_samples(X), expected_density, rtol=1e-10, atol=1e-10)
    assert params.log_likelihood(X) == pytest.approx(expected_density.sum(), rel=1e-10)
    resp = params.predict_proba(X)
    np.testing.assert_allclose(resp, np.exp(expected - expected_density[:, None]), rtol=1e-8, atol=1e-14)
    np.testing.assert_array_equal(params.predict(X), expected.argmax(axis=1))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_narrow_component_far_from_the_centre_matches_scipy(covariance_type):
    """A collapsed component (sd 1e-3, the size reg_covar gives) 100 units from the data's centre,
    as in the spurious Old Faithful fits.  The E-step expands the quadratic form around the data's
    centre, so its rounding error grows like eps * (distance / sd)^2; here that must stay < 1e-6."""
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(0.0, 1.0, (300, 2)), [100.0, 50.0] + 1e-3 * rng.normal(size=(20, 2))])
    means = np.array([[0.0, 0.0], [100.0, 50.0]])
    variances = np.array([[1.0, 1.0], [1e-6, 1e-6]])
    covariances = {
        "full": np.stack([np.diag(v) for v in variances]),
        "tied": np.diag([1e-6, 1e-6]),
        "diag": variances,
        "spherical": variances[:, 0],
    }[covariance_type]
    params = gmm_core.GaussianMixtureParams([0.9, 0.1], means, covariances, covariance_type)
    expected = reference_weighted_log_prob(X, params)
    got = params.weighted_log_prob(X)
    # only entries that matter numerically: within 1e6 of the row's best (others underflow anyway)
    relevant = expected > expected.max(axis=1, keepdims=True) - 1e6
    np.testing.assert_allclose(got[relevant], expected[relevant], rtol=0, atol=1e-6)
    np.testing.assert_allclose(params.score_samples(X), reference_log_sum_exp(expected), rtol=0, atol=1e-6)
