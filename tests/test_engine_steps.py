"""The public EM steps, hard EM, and the repair of collapsing components (re-seeding)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from sklearn.mixture import GaussianMixture

import gmm_core
import gmm_core.steps
from engine_checks import assert_everything_finite

COVARIANCE_TYPES = gmm_core.COVARIANCE_TYPES


def two_clusters(seed=0, n_per=100, d=2, gap=6.0):
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(0.0, 1.0, (n_per, d)), rng.normal(gap, 1.0, (n_per, d))])


def three_clusters(seed=0, d=2):
    rng = np.random.default_rng(seed)
    centers = np.array([np.zeros(d), np.full(d, 4.0), np.r_[8.0, np.zeros(d - 1)]])
    scales = [1.0, 0.7, 1.5]
    return np.vstack([rng.normal(c, s, (80, d)) for c, s in zip(centers, scales)])


def assert_params_close(a: gmm_core.GaussianMixtureParams, b: gmm_core.GaussianMixtureParams, rtol=1e-10):
    assert a.covariance_type == b.covariance_type
    for name in ("weights", "means", "covariances"):
        x, y = getattr(a, name), getattr(b, name)
        np.testing.assert_allclose(x, y, rtol=rtol, atol=rtol * np.abs(y).max(), err_msg=name)


# --- stepping by hand equals fit -------------------------------------------------------------------


@pytest.mark.parametrize("init", ["kmeans++", "random_resp", "random_points"])
@pytest.mark.parametrize("n_features", [1, 3])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_hand_stepping_equals_fit(covariance_type, n_features, init):
    X = three_clusters(seed=n_features, d=n_features)
    n_steps = 12
    result = gmm_core.fit(X, 3, covariance_type, init=init, max_iter=n_steps, tol=0, seed=4)
    assert result.n_iter == n_steps and not result.converged
    assert not result.reseed_events
    params = result.trace[0].params
    for i in range(n_steps):
        resp, ll = gmm_core.e_step(X, params)
        assert resp.shape == (len(X), 3)
        np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-12)
        # the E-step's log-likelihood is the trace's log-likelihood of the same parameters
        assert ll == pytest.approx(result.trace[i].log_likelihood, rel=1e-12)
        params = gmm_core.m_step(X, resp, covariance_type, 1e-6)
        assert_params_close(params, result.trace[i + 1].params)
    assert_params_close(params, result.params)
    assert gmm_core.e_step(X, params)[1] == pytest.approx(result.log_likelihood, rel=1e-12)


def test_e_step_matches_params_methods():
    X = three_clusters(seed=3)
    params = gmm_core.fit(X, 3, "diag", max_iter=3, tol=0).params
    resp, ll = gmm_core.e_step(X, params)
    np.testing.assert_allclose(resp, params.predict_proba(X), rtol=1e-12, atol=1e-300)
    assert ll == pytest.approx(params.log_likelihood(X), rel=1e-12)
    assert ll == pytest.approx(params.score(X) * len(X), rel=1e-12)


def test_m_step_from_hard_labels_is_the_per_cluster_moments():
    """With one-hot responsibilities the M-step is each cluster's sample mean, (biased) covariance
    and share of points, computed here with plain NumPy."""
    X = three_clusters(seed=5)
    labels = np.repeat([0, 1, 2], 80)
    resp = np.eye(3)[labels]
    reg = 1e-6
    expected_means = np.stack([X[labels == k].mean(axis=0) for k in range(3)])
    expected_full = np.stack([np.cov(X[labels == k], rowvar=False, bias=True) + reg * np.eye(2) for k in range(3)])
    full = gmm_core.m_step(X, resp, "full", reg)
    np.testing.assert_allclose(full.weights, [1 / 3] * 3, rtol=1e-12)
    np.testing.assert_allclose(full.means, expected_means, rtol=1e-12)
    np.testing.assert_allclose(full.covariances, expected_full, rtol=1e-10)
    diag = gmm_core.m_step(X, resp, "diag", reg)
    np.testing.assert_allclose(diag.covariances, np.diagonal(expected_full, axis1=1, axis2=2), rtol=1e-10)
    spherical = gmm_core.m_step(X, resp, "spherical", reg)
    np.testing.assert_allclose(spherical.covariances, np.diagonal(expected_full, axis1=1, axis2=2).mean(axis=1), rtol=1e-10)
    tied = gmm_core.m_step(X, resp, "tied", reg)
    pooled = sum(np.cov(X[labels == k], rowvar=False, bias=True) * 80 for k in range(3)) / 240 + reg * np.eye(2)
    np.testing.assert_allclose(tied.covariances, pooled, rtol=1e-10)


# --- hard (classification) EM ----------------------------------------------------------------------


def one_hot_of(resp: np.ndarray) -> np.ndarray:
    return np.eye(resp.shape[1])[resp.argmax(axis=1)]


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_hard_em_uses_one_hot_responsibilities_and_stops_at_a_fixed_point(covariance_type):
    X = three_clusters(seed=8)
    result = gmm_core.fit(X, 3, covariance_type, algorithm="hard", init="random_points", max_iter=200, tol=0, seed=3)
    assert result.algorithm == "hard"
    assert result.converged and 5 <= result.n_iter < 200
    trace = result.trace
    checked = 0
    for i in range(1, len(trace)):
        if trace[i].reseeds:
            continue  # a re-seed deliberately departs from the plain M-step
        checked += 1
        resp, _ = gmm_core.e_step(X, trace[i - 1].params)
        hard = gmm_core.m_step(X, one_hot_of(resp), covariance_type, 1e-6)
        assert_params_close(hard, trace[i].params)
        if i == 1:  # and not the soft step, which differs
            soft = gmm_core.m_step(X, resp, covariance_type, 1e-6)
            assert not np.allclose(soft.means, trace[i].params.means, rtol=1e-10, atol=0)
    assert checked >= 5
    # a fixed point of the partition: the final parameters induce the partition they were estimated
    # from, so one more hard step changes nothing (and the trace does not repeat the final model)
    assert result.stop_reason == "partition"
    assert not np.array_equal(trace[-1].params.means, trace[-2].params.means)
    final = result.params
    again = gmm_core.m_step(X, one_hot_of(gmm_core.e_step(X, final)[0]), covariance_type, 1e-6)
    assert_params_close(again, final)
    np.testing.assert_array_equal(final.predict(X), trace[-2].params.predict(X))


def test_soft_em_is_not_hard_em():
    X = two_clusters(seed=3, gap=2.5)
    soft = gmm_core.fit(X, 2, "full", algorithm="soft", max_iter=5, tol=0, seed=0)
    hard = gmm_core.fit(X, 2, "full", algorithm="hard", max_iter=5, tol=0, seed=0)
    assert_params_close(soft.trace[0].params, hard.trace[0].params, rtol=0)
    assert not np.allclose(soft.trace[1].params.means, hard.trace[1].params.means)


# --- collapsing components are re-seeded --------------------------------------------------------


def far_tiny_component_init(covariance_type):
    means = np.array([[0.0, 0.0], [6.0, 6.0], [1000.0, 1000.0]])
    covariances = {
        "full": np.stack([np.eye(2), np.eye(2), 1e-4 * np.eye(2)]),
        "tied": np.eye(2),
        "diag": np.array([[1.0, 1.0], [1.0, 1.0], [1e-4, 1e-4]]),
        "spherical": np.array([1.0, 1.0, 1e-4]),
    }[covariance_type]
    return means, covariances


@pytest.mark.parametrize("algorithm", ["soft", "hard"])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_component_without_responsibility_is_reseeded(covariance_type, algorithm):
    X = two_clusters(seed=0)
    means, covariances = far_tiny_component_init(covariance_type)
    result = gmm_core.fit(
        X, 3, covariance_type, init="manual", means_init=means, covariances_init=covariances,
        algorithm=algorithm, max_iter=50, tol=1e-6,
    )
    assert_everything_finite(result, X)
    (event,) = result.reseed_events
    assert isinstance(event, gmm_core.ReseedEvent)
    assert (event.iteration, event.component) == (1, 2)
    assert "responsibility" in event.reason
    assert result.trace[1].reseeds == (event,)
    assert all(not entry.reseeds for entry in result.trace if entry.iteration != 1)
    # moved to the data point worst explained by the model it replaced
    start = result.trace[0].params
    worst = X[np.argmin(start.score_samples(X))]
    np.testing.assert_array_equal(event.new_mean, worst)
    np.testing.assert_array_equal(result.trace[1].params.means[2], worst)
    assert result.trace[1].params.weights.sum() == pytest.approx(1.0)
    # the run went on, and the re-seeded component ended up holding real data
    assert result.n_iter >= 2
    assert result.params.weights[2] * len(X) >= 1.0


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_hard_em_empty_cluster_is_reseeded_where_soft_em_keeps_it(covariance_type):
    """A duplicate of component 0 with 1% of its weight always loses the argmax: hard EM leaves it
    empty (re-seed), while soft EM still gives it about 1% of the points (no re-seed)."""
    X = two_clusters(seed=1)
    means = np.array([[0.0, 0.0], [6.0, 6.0], [0.0, 0.0]])
    weights = np.array([0.5, 0.5, 0.005])
    covariances = {
        "full": np.stack([np.eye(2)] * 3),
        "tied": np.eye(2),
        "diag": np.ones((3, 2)),
        "spherical": np.ones(3),
    }[covariance_type]
    kwargs = dict(init="manual", means_init=means, weights_init=weights, covariances_init=covariances, max_iter=30, tol=1e-6)
    hard = gmm_core.fit(X, 3, covariance_type, algorithm="hard", **kwargs)
    assert_everything_finite(hard, X)
    first = hard.reseed_events[0]
    assert (first.iteration, first.component) == (1, 2)
    assert "responsibility" in first.reason
    assert hard.n_iter > 1
    soft = gmm_core.fit(X, 3, covariance_type, algorithm="soft", max_iter=1, **{k: v for k, v in kwargs.items() if k != "max_iter"})
    assert not soft.trace[1].reseeds


@pytest.mark.parametrize("init", ["kmeans++", "kmeans", "random_points", "random_resp"])
@pytest.mark.parametrize("constant", [0.0, 0.1, 7.3])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_singular_covariance_without_regularisation_asks_for_reg_covar(covariance_type, constant, init):
    """A constant column with reg_covar = 0: no Gaussian fits it, so a sentence, not a flip-flopping fit."""
    X = np.column_stack([two_clusters(seed=2, d=1)[:, 0], np.full(200, constant)])
    if covariance_type == "spherical":  # one variance averaged over both columns: never singular
        assert_everything_finite(gmm_core.fit(X, 2, covariance_type, init=init, reg_covar=0.0, max_iter=15, seed=0), X)
    else:
        with pytest.raises(ValueError, match=r"(?i)reg_covar = 0.*singular.*set reg_covar to a small positive value such as 1e-6"):
            gmm_core.fit(X, 2, covariance_type, init=init, reg_covar=0.0, max_iter=15, seed=0)
    # the same data with the default regularisation fits, and the constant column stays constant
    result = gmm_core.fit(X, 2, covariance_type, init=init, max_iter=15, seed=0)
    assert_everything_finite(result, X)
    assert result.params.means[:, 1] == pytest.approx(constant, abs=1e-12)


def test_collinear_data_without_regularisation_stops_with_a_sentence():
    """The issue's case: before, the mean flipped between two points for all 200 iterations (300 re-seeds)."""
    t = np.linspace(-1.0, 1.0, 30)
    X = np.column_stack([t, 2 * t + 1])
    with pytest.raises(ValueError, match=r"(?i)reg_covar = 0.*set reg_covar"):
        gmm_core.fit(X, 2, "full", reg_covar=0.0, max_iter=200)
    assert_everything_finite(gmm_core.fit(X, 2, "full", max_iter=200), X)


def test_a_component_that_collapses_onto_few_points_with_reg_covar_0_is_a_value_error():
    """Points on a line in 2-D are fine for k = 1 (a full-rank start), but a component of hard EM that
    ends up owning two points has a singular covariance: the error names it and the fix."""
    X = np.array([[0.0, 0.0], [1.0, 0.2], [10.0, 10.0], [10.5, 9.0], [11.0, 10.4], [9.7, 10.9], [10.2, 11.3]])
    with pytest.raises(ValueError, match=r"component 1 became singular at iteration 1.*1e-6"):
        gmm_core.fit(X, 2, "full", init="manual", means_init=[[0.5, 0.1], [10.0, 10.0]], reg_covar=0.0, algorithm="hard")


# --- re-seeding only what really died, and never twice ---------------------------------------------


def test_a_small_component_is_left_to_em_as_scikit_learn_does():
    """A component that dips below half a point is not re-seeded (it was, every ~22 iterations, in
    problems like this one); EM converges where scikit-learn does from the same start."""
    data = gmm_core.random_blobs(2, 20, 2, 4.79, 2.6, seed=116)
    X = data.X
    result = gmm_core.fit(X, 8, "spherical", init="random_resp", seed=116, max_iter=1000, tol=1e-9)
    assert result.converged and not result.reseed_events
    assert result.params.weights.min() * len(X) < 0.5  # really a small component
    start = result.trace[0].params
    model = GaussianMixture(8, covariance_type="spherical", tol=1e-12, max_iter=5000, init_params="random_from_data",
                            weights_init=start.weights, means_init=start.means, precisions_init=1 / start.covariances,
                            random_state=0).fit(X)
    assert result.log_likelihood == pytest.approx(model.score(X) * len(X), rel=1e-6, abs=1e-6)


def one_point_component(algorithm="hard"):
    """Two clusters and a third component started far away on nothing: it dies at once."""
    X = two_clusters(seed=4)
    means = np.array([[0.0, 0.0], [6.0, 6.0], [500.0, 500.0]])
    covariances = np.stack([np.eye(2), np.eye(2), 1e-4 * np.eye(2)])
    return X, dict(init="manual", means_init=means, covariances_init=covariances, algorithm=algorithm)


def test_a_component_that_dies_twice_stops_the_run_with_a_sentence(monkeypatch):
    """Re-seeded once, a component that dies again is not re-seeded forever: the run stops, says so,
    and keeps the trace up to the last sound parameters."""
    import gmm_core.steps as steps

    X, kwargs = one_point_component()
    # make every re-seed land far away again, so that it dies a second time
    original = steps.m_step_with_repair

    def far_reseed(design, resp_t, log_density, reg_covar, iteration):
        params, events = original(design, resp_t, log_density, reg_covar, iteration)
        if events:
            means = params.means.copy()
            means[2] = [500.0, -500.0]
            params = gmm_core.GaussianMixtureParams(params.weights, means, params.covariances, params.covariance_type)
        return params, events

    monkeypatch.setattr(sys.modules["gmm_core.fit"], "m_step_with_repair", far_reseed)
    result = gmm_core.fit(X, 3, "full", max_iter=50, **kwargs)
    assert result.stop_reason == "collapse" and not result.converged
    assert [e.component for e in result.reseed_events] == [2]  # re-seeded once, never again
    assert "Component 3 died again at iteration 2" in result.stop_detail
    assert "re-seeded at iteration 1" in result.stop_detail and "Fewer components" in result.stop_detail
    assert result.n_iter == 1
    assert_everything_finite(result, X)


def test_reseed_message_never_rounds_a_mass_up():
    assert gmm_core.steps.mass_text(0.4999) == "only 0.49"
    assert gmm_core.steps.mass_text(9.99e-7) == "only 9.9e-07"
    assert gmm_core.steps.mass_text(0.0) == "no"
    assert gmm_core.steps.mass_text(gmm_core.MIN_COMPONENT_MASS * 0.999) == "only 9.9e-07"
    X, kwargs = one_point_component(algorithm="soft")
    (event,) = gmm_core.fit(X, 3, "full", max_iter=5, **kwargs).reseed_events
    assert event.reason == "it held no points' worth of responsibility"  # its responsibilities underflowed to 0


def test_m_step_refuses_a_singular_covariance():
    """The public M-step has no repair: it says what is wrong instead of returning garbage."""
    X = np.column_stack([np.arange(10.0), np.zeros(10)])
    resp = np.ones((10, 1))
    with pytest.raises(ValueError, match="not positive definite"):
        gmm_core.m_step(X, resp, "full", 0.0)
    assert np.all(np.isfinite(gmm_core.m_step(X, resp, "full", 1e-6).covariances))
