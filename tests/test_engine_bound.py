"""The lower bound L(q, θ) and its gap KL(q ‖ p(Z | X, θ)) (gmm_core.bound).

Checked against a direct computation with scipy.stats densities and plain loops, then as the
identities that make EM work (hypothesis): the gap is >= 0 for any q, it closes after an E-step, the
M-step never lowers L, a full iteration never lowers log p (reg_covar = 0: see
test_engine_properties for why regularised EM is not an ascent method), and for one-hot q the
bound is the classification log-likelihood that hard EM climbs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import gmm_core

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def direct_terms(X, params, q):
    """log p, L and KL from scipy.stats densities, point by point and component by component."""
    X = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    covariances = params.full_covariances
    log_joint = np.array([
        [np.log(params.weights[k]) + stats.multivariate_normal(params.means[k], covariances[k]).logpdf(x)
         for k in range(params.n_components)]
        for x in X
    ])
    log_p = np.log(np.exp(log_joint).sum(axis=1))
    posterior = np.exp(log_joint - log_p[:, None])
    lower = kl = 0.0
    for n in range(len(X)):
        for k in range(params.n_components):
            if q[n, k] > 0:
                lower += q[n, k] * (log_joint[n, k] - np.log(q[n, k]))
                kl += q[n, k] * np.log(q[n, k] / posterior[n, k])
    return log_p.sum(), lower, kl


def random_params(rng, X, n_components, covariance_type):
    """Valid parameters of the type's family: one M-step (reg_covar > 0) from random soft responsibilities."""
    resp = rng.dirichlet(np.ones(n_components), size=len(X))
    return gmm_core.m_step(X, resp, covariance_type, reg_covar=1e-3)


@st.composite
def problems(draw):
    """(X, params, q): data, parameters and arbitrary responsibilities, some rows one-hot or with zeros."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_features = draw(st.integers(1, 3))
    n_components = draw(st.integers(1, 4))
    n_samples = draw(st.integers(n_features + 2, 50))
    scale = 10.0 ** draw(st.integers(-2, 2))
    covariance_type = draw(st.sampled_from(gmm_core.COVARIANCE_TYPES))
    centers = rng.normal(scale=3.0, size=(n_components, n_features))
    X = (centers[rng.integers(n_components, size=n_samples)] + rng.normal(size=(n_samples, n_features))) * scale
    params = random_params(rng, X, n_components, covariance_type)
    q = rng.dirichlet(np.full(n_components, draw(st.sampled_from([0.1, 1.0, 10.0]))), size=n_samples)
    one_hot = rng.random(n_samples) < draw(st.sampled_from([0.0, 0.3, 1.0]))
    q[one_hot] = np.eye(n_components)[rng.integers(n_components, size=one_hot.sum())]
    return X, params, q


def scale_of(*values) -> float:
    return 1.0 + max(abs(v) for v in values)


def test_the_terms_equal_a_direct_computation_with_scipy_densities():
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(-2, 1, size=(25, 2)), rng.normal(2, 0.5, size=(15, 2))])
    params = random_params(rng, X, 3, "full")
    q = rng.dirichlet(np.ones(3), size=len(X))
    q[:5] = np.eye(3)[[0, 1, 2, 0, 1]]  # one-hot rows: 0 log 0 = 0
    terms = gmm_core.lower_bound(X, params, q)
    log_p, lower, kl = direct_terms(X, params, q)
    assert terms.log_likelihood == pytest.approx(log_p, rel=1e-10)
    assert terms.lower_bound == pytest.approx(lower, rel=1e-10)
    assert terms.gap == pytest.approx(kl, rel=1e-9)
    assert kl > 1.0  # arbitrary q is far from the posterior: the comparison is not between two zeros


@pytest.mark.parametrize("covariance_type", gmm_core.COVARIANCE_TYPES)
def test_1d_terms_equal_scipy_norm_for_every_covariance_type(covariance_type):
    X = gmm_core.two_overlapping_gaussians(seed=1).X
    rng = np.random.default_rng(0)
    params = random_params(rng, X, 2, covariance_type)
    q = rng.dirichlet(np.ones(2), size=len(X))
    sd = np.sqrt(params.full_covariances[:, 0, 0])
    log_joint = np.log(params.weights) + stats.norm(params.means[:, 0], sd).logpdf(X)
    posterior = np.exp(log_joint - np.logaddexp.reduce(log_joint, axis=1, keepdims=True))
    terms = gmm_core.lower_bound(X[:, 0], params, q)  # 1-D data may come as shape (n,)
    assert terms.lower_bound == pytest.approx(np.sum(q * (log_joint - np.log(q))), rel=1e-10)
    assert terms.gap == pytest.approx(np.sum(q * np.log(q / posterior)), rel=1e-9)


@PROPERTY_SETTINGS
@given(problems())
def test_the_gap_is_never_negative_and_the_terms_add_up_to_log_p(problem):
    X, params, q = problem
    terms = gmm_core.lower_bound(X, params, q)
    assert terms.gap >= 0.0
    assert terms.lower_bound + terms.gap == pytest.approx(terms.log_likelihood, rel=1e-9, abs=1e-9)
    assert terms.log_likelihood == pytest.approx(params.log_likelihood(X), rel=1e-12)


@PROPERTY_SETTINGS
@given(problems())
def test_after_an_e_step_the_gap_is_zero_and_the_bound_touches(problem):
    X, params, _ = problem
    resp, log_likelihood = gmm_core.e_step(X, params)
    terms = gmm_core.lower_bound(X, params, resp)
    assert terms.gap <= 1e-9
    assert terms.lower_bound == pytest.approx(log_likelihood, rel=1e-12, abs=1e-9)


@PROPERTY_SETTINGS
@given(problems())
def test_an_m_step_never_lowers_the_bound(problem):
    X, params, q = problem
    try:
        updated = gmm_core.m_step(X, q, params.covariance_type, reg_covar=0.0)
    except ValueError:  # a component left on too few points to have a covariance
        assume(False)
    before = gmm_core.lower_bound(X, params, q).lower_bound
    after = gmm_core.lower_bound(X, updated, q).lower_bound
    assert after >= before - 1e-10 * scale_of(before, after)


@PROPERTY_SETTINGS
@given(problems())
def test_a_full_iteration_never_lowers_log_p(problem):
    X, params, _ = problem
    resp, before = gmm_core.e_step(X, params)
    updated = gmm_core.m_step(X, resp, params.covariance_type, reg_covar=0.0)
    bound_after_m = gmm_core.lower_bound(X, updated, resp)
    # log p(θ_new) = L(q, θ_new) + KL >= L(q, θ_new) >= L(q, θ_old) = log p(θ_old)
    assert bound_after_m.log_likelihood >= bound_after_m.lower_bound - 1e-10 * scale_of(bound_after_m.lower_bound)
    assert bound_after_m.lower_bound >= before - 1e-10 * scale_of(before)
    assert bound_after_m.log_likelihood >= before - 1e-10 * scale_of(before)


@PROPERTY_SETTINGS
@given(problems())
def test_with_one_hot_q_the_bound_is_the_classification_log_likelihood(problem):
    X, params, _ = problem
    joint = params.weighted_log_prob(X)
    labels = joint.argmax(axis=1)
    hard_q = np.eye(params.n_components)[labels]
    terms = gmm_core.lower_bound(X, params, hard_q)
    classification = joint[np.arange(len(X)), labels].sum()
    assert terms.lower_bound == pytest.approx(classification, rel=1e-12, abs=1e-9)
    # The hard E-step is the best one-hot q: any other labelling gives a lower bound.
    other = np.eye(params.n_components)[(labels + 1) % params.n_components]
    assert gmm_core.lower_bound(X, params, other).lower_bound <= terms.lower_bound
    # ... but it is not the posterior, so the gap stays open unless every point is certain.
    certainty = np.exp(joint.max(axis=1) - np.logaddexp.reduce(joint, axis=1))
    assert terms.gap == pytest.approx(-np.log(certainty).sum(), rel=1e-9, abs=1e-9)


def test_zero_responsibilities_count_as_zero_even_where_the_density_underflows():
    X = np.array([[0.0], [0.1], [100.0]])
    params = gmm_core.GaussianMixtureParams([0.5, 0.5], [[0.0], [100.0]], [[[0.01]], [[0.01]]], "full")
    q = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    terms = gmm_core.lower_bound(X, params, q)
    assert np.isfinite(terms.lower_bound) and np.isfinite(terms.gap)
    assert terms.gap == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("bad, message", [
    (np.full((4, 3), 1 / 3), "shape"),
    (np.array([[0.5, 0.5]] * 3 + [[np.nan, 1.0]]), "finite"),
    (np.array([[1.5, -0.5]] * 4), "non-negative"),
    (np.array([[0.5, 0.4]] * 4), "sum to 1"),
])
def test_bad_responsibilities_get_a_sentence(bad, message):
    X = np.arange(4.0)
    params = gmm_core.GaussianMixtureParams([0.5, 0.5], [[0.0], [3.0]], [[[1.0]], [[1.0]]], "full")
    with pytest.raises(ValueError, match=message):
        gmm_core.lower_bound(X, params, bad)


# --- the trace of half-steps -----------------------------------------------------------------------
@pytest.mark.parametrize("covariance_type", ["full", "spherical"])
def test_bound_trace_of_soft_em_touches_after_e_and_climbs(covariance_type):
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    result = gmm_core.fit(X, 2, covariance_type, init="random_points", seed=5, max_iter=40, tol=0.0, reg_covar=0.0)
    assert not result.reseed_events
    bounds = gmm_core.bound_trace(X, result.trace)
    assert len(bounds.step) == 2 * result.n_iter and bounds.step[:4] == ("E", "M", "E", "M")
    np.testing.assert_array_equal(bounds.iteration[:4], [1, 1, 2, 2])
    e, m = np.array(bounds.step) == "E", np.array(bounds.step) == "M"
    assert np.all(bounds.gap[e] <= 1e-9)
    assert np.all(bounds.gap[m][:3] > 1e-6)  # q is stale after the M-step: the gap opens
    np.testing.assert_allclose(bounds.lower_bound + bounds.gap, bounds.log_likelihood, rtol=1e-12)
    assert np.all(np.diff(bounds.lower_bound) >= -1e-9) and np.all(np.diff(bounds.log_likelihood) >= -1e-9)
    # The M entries are the fit's own log-likelihoods; each is the same computation as lower_bound alone.
    np.testing.assert_allclose(bounds.log_likelihood[m], [entry.log_likelihood for entry in result.trace[1:]], rtol=1e-10)
    i = 7
    resp, _ = gmm_core.e_step(X, result.trace[i - 1].params)
    alone = gmm_core.lower_bound(X, result.trace[i].params, resp)
    assert bounds.lower_bound[2 * (i - 1) + 1] == pytest.approx(alone.lower_bound, rel=1e-10)
    assert bounds.gap[2 * (i - 1) + 1] == pytest.approx(alone.gap, rel=1e-6, abs=1e-9)


def test_bound_trace_of_hard_em_is_the_classification_log_likelihood_climbing():
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    # This run isolates one point in a component; reg_covar keeps its variance off exactly 0, where the
    # responsibilities would be exactly one-hot and the gap exactly 0.
    result = gmm_core.fit(X, 2, "full", init="random_points", seed=7, algorithm="hard", max_iter=30, tol=0.0,
                          reg_covar=1e-6)
    assert not result.reseed_events
    thetas = [entry.params for entry in result.trace]
    bounds = gmm_core.bound_trace(X, thetas, algorithm="hard")
    assert np.all(np.diff(bounds.lower_bound) >= -1e-9)  # hard EM is coordinate ascent on this L
    assert bounds.gap[0] > 1.0 and np.all(bounds.gap > 0)  # one-hot q is not the posterior: no touching
    joint = thetas[-1].weighted_log_prob(X)
    assert bounds.lower_bound[-1] == pytest.approx(joint.max(axis=1).sum(), rel=1e-12)


def test_bound_trace_of_only_the_start_is_empty_and_an_empty_trace_is_refused():
    X = gmm_core.two_overlapping_gaussians(seed=0).X
    start = gmm_core.fit(X, 2, max_iter=1).trace[0]
    assert len(gmm_core.bound_trace(X, [start]).gap) == 0
    with pytest.raises(ValueError, match="empty"):
        gmm_core.bound_trace(X, [])
    with pytest.raises(ValueError, match="algorithm"):
        gmm_core.bound_trace(X, [start], algorithm="fuzzy")
