"""The bound under the Explorer's step-mode learning curve (figures/bound_series.py): log p, L and the gap
after every half-step equal gmm_core.lower_bound computed directly for that half-step's θ and q; the
curves touch after each soft E-step, L and log p climb over each M-step, and a capped run estimates
only the gap."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import gmm_core
from figures import player_payload
from figures.bound_series import HARD_CAPTION, SOFT_CAPTION, bound_series


def direct(X, result):
    """The oracle: gmm_core.lower_bound at each half-step, q from the E-step's own predict_proba."""
    rows = []
    thetas = [entry.params for entry in result.trace]
    for before, after in zip(thetas[:-1], thetas[1:]):
        q = before.predict_proba(X)
        if result.algorithm == "hard":
            q = np.eye(q.shape[1])[q.argmax(axis=1)]
        for theta in (before, after):
            terms = gmm_core.lower_bound(X, theta, q)
            rows.append((terms.log_likelihood, terms.lower_bound, terms.gap))
    return np.array(rows).T


@pytest.fixture(scope="module")
def blobs():
    return gmm_core.random_blobs(3, 300, seed=4, anisotropy=2.0, separation=2.0)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("algorithm", ["soft", "hard"])
def test_the_series_equals_the_bound_computed_directly(blobs, covariance_type, algorithm):
    result = gmm_core.fit(blobs.X, 3, covariance_type=covariance_type, algorithm=algorithm, tol=0, max_iter=8, seed=1)
    series = bound_series(result, blobs.X)
    log_p, lower, gap = direct(blobs.X, result)
    scale = np.abs(log_p).max()
    np.testing.assert_allclose(series["log_likelihood"], log_p, rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(series["lower_bound"], lower, rtol=0, atol=1e-9 * scale)
    np.testing.assert_allclose(series["gap"], gap, rtol=0, atol=1e-9 * scale)
    assert series["start_log_likelihood"] == pytest.approx(result.trace[0].params.log_likelihood(blobs.X), rel=1e-12)
    assert series["estimated_from"] is None and series["algorithm"] == algorithm


def test_half_steps_sit_where_the_step_frames_reveal_them(blobs):
    result = gmm_core.fit(blobs.X, 3, tol=0, max_iter=5, seed=0)
    payload = player_payload(result, blobs.X, step_mode=True, bound=bound_series(result, blobs.X))
    frames = payload["frames"]
    by_step = {step: [t for s, t in zip(frames["step"], frames["curve_time"]) if s == step] for step in "EM"}
    assert payload["bound"]["x"][0::2] == by_step["E"] == [0.5, 1.5, 2.5, 3.5, 4.5]
    assert payload["bound"]["x"][1::2] == by_step["M"] == [1.0, 2.0, 3.0, 4.0, 5.0]
    json.dumps(payload, allow_nan=False)  # strict JSON: no NaN travels
    # Normal mode has no half-steps, so no bound, whatever is passed.
    assert player_payload(result, blobs.X, step_mode=False, bound=payload["bound"])["bound"] is None


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 4), n_features=st.sampled_from([1, 2]))
def test_soft_em_touches_after_every_e_step_and_m_steps_raise_l_and_log_p_more(seed, k, n_features):
    data = gmm_core.random_blobs(k, 120, n_features, seed=seed)
    result = gmm_core.fit(data.X, k, tol=0, max_iter=10, reg_covar=0.0, seed=seed)
    assume(not result.reseed_events)  # a re-seeded component is a jump EM did not make by climbing
    series = bound_series(result, data.X)
    log_p, lower, gap = (np.array(series[key]) for key in ("log_likelihood", "lower_bound", "gap"))
    scale = 1e-9 * max(1.0, np.abs(log_p).max())
    assert np.all(gap[0::2] <= 1e-9) and np.all(np.abs(lower[0::2] - log_p[0::2]) <= scale)  # touching
    assert np.all(gap >= 0)
    rise_l = lower[1::2] - lower[0::2]
    rise_log_p = log_p[1::2] - log_p[0::2]
    assert np.all(rise_l >= -scale)  # the M-step maximises L over θ
    assert np.all(rise_log_p >= rise_l - scale)  # log p rises at least as much: the gap reopens, KL >= 0


def test_hard_em_s_bound_is_the_classification_log_likelihood_and_its_gap_stays_open(blobs):
    result = gmm_core.fit(blobs.X, 3, algorithm="hard", tol=0, max_iter=6, seed=2)
    series = bound_series(result, blobs.X)
    # After the hard E-step, L is the classification log-likelihood of θ before it (the engine's own number).
    classification = [entry.classification_log_likelihood for entry in result.trace[:-1]]
    np.testing.assert_allclose(series["lower_bound"][0::2], classification, rtol=1e-11)
    assert min(series["gap"]) > 1.0
    assert series["caption"] == HARD_CAPTION and "one-hot" in HARD_CAPTION
    assert bound_series(gmm_core.fit(blobs.X, 3, max_iter=3, seed=2), blobs.X)["caption"] == SOFT_CAPTION


def test_beyond_the_work_cap_log_p_stays_exact_and_only_the_gap_is_estimated():
    data = gmm_core.random_blobs(3, 6000, seed=7, separation=1.2)
    result = gmm_core.fit(data.X, 3, tol=0, max_iter=12, seed=0)
    exact = bound_series(result, data.X)
    capped = bound_series(result, data.X, max_work=3 * 13 * 2_500)
    assert capped["estimated_from"] == 2_500 and "2,500 of the 6,000 points" in capped["caption"]
    trace_log_p = [entry.log_likelihood for entry in result.trace]
    np.testing.assert_allclose(capped["log_likelihood"][1::2], trace_log_p[1:], rtol=1e-12)
    np.testing.assert_allclose(capped["log_likelihood"][0::2], trace_log_p[:-1], rtol=1e-12)
    np.testing.assert_allclose(capped["log_likelihood"], exact["log_likelihood"], rtol=1e-9)
    assert max(capped["gap"][0::2]) <= 1e-9  # still touching
    m_gaps, exact_gaps = np.array(capped["gap"][1::2]), np.array(exact["gap"][1::2])
    assert np.all(np.abs(m_gaps - exact_gaps) <= 0.25 * exact_gaps + 1e-6)  # an estimate, not a guess
    np.testing.assert_allclose(np.array(capped["log_likelihood"]) - capped["gap"], capped["lower_bound"])
