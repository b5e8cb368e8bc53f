"""The EM player's payload and its Python twin of the frame computation (figures.frame_state):
frames, parameters, responsibilities, colours, rings, ellipses, 1-D densities, the learning curve,
size and hygiene. (What the browser draws from the same payload: tests/browser/test_player.py.)"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.stats import norm

import gmm_core
from figures import DISPLAY_CAP, display_subsample, player_payload
from figures.frame_figure import frame_figure, point_colors
from figures.frame_state import PlayerData, frame_state, point_opacity, responsibilities
from figures.player_payload import full_precisions_cholesky
from figures.typed_arrays import read_array

N_ITER = 8
MIN_OPACITY = 0.25  # the spec: the least certain point keeps a quarter opacity


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def blobs():
    return gmm_core.random_blobs(3, 400, seed=2, anisotropy=2.5, separation=2.5)


@pytest.fixture(scope="module")
def soft_2d(blobs):
    return gmm_core.fit(blobs.X, 3, tol=0, max_iter=N_ITER, seed=0)


@pytest.fixture(scope="module")
def payload_2d(soft_2d, blobs):
    return player_payload(soft_2d, blobs.X, truth=blobs.truth)


@pytest.fixture(scope="module")
def payload_2d_step(soft_2d, blobs):
    return player_payload(soft_2d, blobs.X, step_mode=True)


@pytest.fixture(scope="module")
def overlap():
    return gmm_core.two_overlapping_gaussians(n_per_cluster=120)


@pytest.fixture(scope="module")
def soft_1d(overlap):
    return gmm_core.fit(overlap.X, 2, tol=0, max_iter=N_ITER, seed=0)


@pytest.fixture(scope="module")
def payload_1d(soft_1d, overlap):
    return player_payload(soft_1d, overlap.X, truth=overlap.truth, step_mode=True)


@pytest.fixture(scope="module")
def reseeded(soft_2d):
    """The 2-D fit with a re-seed event injected at iteration 3 (a real collapse is hard to provoke on demand)."""
    event = gmm_core.ReseedEvent(3, 1, "its responsibility fell below half a point", np.zeros(2))
    trace = list(soft_2d.trace)
    trace[3] = dataclasses.replace(trace[3], reseeds=(event,))
    return dataclasses.replace(soft_2d, trace=tuple(trace), reseed_events=(event,))


def states(payload):
    data = PlayerData.from_payload(payload)
    return [frame_state(data, i) for i in range(data.n_frames)]


# --------------------------------------------------------------------------- frames
def test_normal_mode_has_one_frame_per_trace_entry(payload_2d, soft_2d):
    frames = payload_2d["frames"]
    assert frames["name"] == ["iteration 0 · initial"] + [f"iteration {i}" for i in range(1, N_ITER + 1)]
    assert frames["params"] == frames["colours"] == list(range(N_ITER + 1))
    assert frames["step"] == ["initial"] + ["iteration"] * N_ITER
    assert frames["curve_time"] == list(range(N_ITER + 1))


def test_step_mode_has_an_e_and_an_m_frame_per_iteration(payload_2d_step):
    frames = payload_2d_step["frames"]
    assert len(frames["name"]) == 2 * N_ITER + 1
    assert frames["name"][0] == "iteration 0 · initial" and frames["colours"][0] == -1  # not coloured yet
    for i in range(1, N_ITER + 1):
        e, m = 2 * i - 1, 2 * i
        assert frames["name"][e] == f"iteration {i} · E-step" and frames["name"][m] == f"iteration {i} · M-step"
        assert (frames["step"][e], frames["step"][m]) == ("E", "M")
        # E-step: the old parameters, newly coloured; M-step: new parameters, the same colours
        assert (frames["params"][e], frames["colours"][e]) == (i - 1, i - 1)
        assert (frames["params"][m], frames["colours"][m]) == (i, i - 1)
        assert frames["curve_time"][e] < i == frames["curve_time"][m]


# --------------------------------------------------------------------------- parameters
@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_parameters_are_the_traces_and_the_precision_factors_invert_the_covariances(blobs, covariance_type):
    result = gmm_core.fit(blobs.X, 3, covariance_type=covariance_type, tol=0, max_iter=4, seed=1)
    params = player_payload(result, blobs.X)["params"]
    weights, means = read_array(params["weights"]), read_array(params["means"])
    covariances, factors = read_array(params["covariances"]), read_array(params["precisions_cholesky"])
    assert weights.shape == (5, 3) and means.shape == (5, 3, 2) and covariances.shape == factors.shape == (5, 3, 2, 2)
    for i, entry in enumerate(result.trace):
        np.testing.assert_array_equal(weights[i], entry.params.weights)  # float64, bit for bit
        np.testing.assert_array_equal(means[i], entry.params.means)
        np.testing.assert_array_equal(covariances[i], entry.params.full_covariances)
        np.testing.assert_array_equal(factors[i], full_precisions_cholesky(entry.params))
        assert np.all(np.tril(factors[i], -1) == 0)  # upper triangular
        np.testing.assert_allclose(factors[i] @ factors[i].transpose(0, 2, 1), np.linalg.inv(covariances[i]), rtol=1e-9)


# --------------------------------------------------------------------------- responsibilities and colours
@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("dimension", [1, 2])
def test_frame_responsibilities_equal_predict_proba(covariance_type, dimension):
    data = gmm_core.random_blobs(3, 300, n_features=dimension, seed=4, separation=2.0)
    result = gmm_core.fit(data.X, 3, covariance_type=covariance_type, tol=0, max_iter=6, seed=0)
    for step_mode in (False, True):
        payload = player_payload(result, data.X, step_mode=step_mode)
        for state in states(payload):
            if state.colour_index is None:
                assert state.resp is None and np.all(state.winner == -1)
                continue
            expected = result.trace[state.colour_index].params.predict_proba(data.X)
            np.testing.assert_allclose(state.resp, expected, atol=1e-10)
            np.testing.assert_array_equal(state.winner, expected.argmax(axis=1))


def long_double_responsibilities(X, weights, means, covariances):
    """A reference in extended precision: explicit inverse, per-component centring, log-sum-exp."""
    X = X.astype(np.longdouble)
    logs = []
    for w, m, c in zip(weights, means, covariances):
        c = c.astype(np.longdouble)
        inverse = np.array([[c[1, 1], -c[0, 1]], [-c[1, 0], c[0, 0]]]) / (c[0, 0] * c[1, 1] - c[0, 1] * c[1, 0])
        z = X - m.astype(np.longdouble)
        q = np.einsum("ni,ij,nj->n", z, inverse, z)
        det = c[0, 0] * c[1, 1] - c[0, 1] * c[1, 0]
        logs.append(np.log(np.longdouble(w)) - 0.5 * q - 0.5 * np.log(det) - np.log(2 * np.pi))
    logs = np.stack(logs, axis=1)
    top = logs.max(axis=1, keepdims=True)
    e = np.exp(logs - top)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float64)


def test_far_off_narrow_clusters_keep_their_responsibilities_accurate():
    """Data a million units from the origin, spread 1e-3: computed from x - mean per component, the
    responsibilities agree with an extended-precision reference."""
    rng = np.random.default_rng(0)
    centre = np.array([1e6, -2e6])
    X = np.r_[rng.normal(size=(150, 2)) * 1e-3 + centre, rng.normal(size=(150, 2)) * 1e-3 + centre + [4e-3, 3e-3]]
    result = gmm_core.fit(X, 2, tol=0, max_iter=5, seed=0)
    data = PlayerData.from_payload(player_payload(result, X))
    for entry in range(len(result.trace)):
        got = responsibilities(data.points, data.weights[entry], data.means[entry], data.precisions_cholesky[entry])
        reference = long_double_responsibilities(X, data.weights[entry], data.means[entry], data.covariances[entry])
        np.testing.assert_allclose(got, reference, atol=1e-9)


def test_soft_opacity_follows_the_winning_responsibility(payload_2d, soft_2d, blobs):
    uncertain_seen = False
    for state in states(payload_2d):
        resp = soft_2d.trace[state.colour_index].params.predict_proba(blobs.X)
        certainty = (resp.max(axis=1) - 1 / 3) / (1 - 1 / 3)
        np.testing.assert_allclose(state.opacity, MIN_OPACITY + (1 - MIN_OPACITY) * certainty, atol=1e-12)
        assert np.all((state.opacity >= MIN_OPACITY) & (state.opacity <= 1.0))
        uncertain_seen |= bool(np.any(state.opacity < 0.9))
    assert uncertain_seen, "overlapping blobs should leave some points visibly uncertain"


def test_opacity_is_the_floor_for_a_tie_and_one_for_certainty_and_hard_em_is_opaque():
    resp = np.array([[1 / 3, 1 / 3, 1 / 3], [1.0, 0.0, 0.0], [0.1, 0.2, 0.7]])
    soft = point_opacity(resp, "soft", MIN_OPACITY)
    assert soft[0] == pytest.approx(MIN_OPACITY) and soft[1] == 1.0 and MIN_OPACITY < soft[2] < 1.0
    np.testing.assert_array_equal(point_opacity(resp, "hard", MIN_OPACITY), 1.0)


def test_rings_mark_exactly_the_points_whose_component_changed_in_this_e_step(payload_2d_step, soft_2d, blobs):
    seen = 0
    for state in states(payload_2d_step):
        if state.step != "E" or state.colour_index == 0:
            assert not state.changed.any(), state.name  # M-steps keep colours; the first E-step has no before
            continue
        before = soft_2d.trace[state.colour_index - 1].params.predict(blobs.X)
        after = soft_2d.trace[state.colour_index].params.predict(blobs.X)
        np.testing.assert_array_equal(state.changed, before != after)
        seen += int(state.changed.sum())
    assert seen > 0, "some point should change component during the fit"


# --------------------------------------------------------------------------- ellipses, densities, means
def test_ellipses_are_the_shown_parameters_n_sigma_contours(payload_2d_step, soft_2d):
    for state in states(payload_2d_step):
        params = soft_2d.trace[state.params_index].params
        np.testing.assert_array_equal(state.means, params.means)
        assert state.ellipses.shape == (3, 3, 2, 61)
        for k in range(3):
            inverse = np.linalg.inv(params.full_covariances[k])
            for s, curve in zip((1, 2, 3), state.ellipses[k]):
                offsets = curve.T - params.means[k]
                np.testing.assert_allclose(np.sqrt(np.einsum("ni,ij,nj->n", offsets, inverse, offsets)), s, rtol=1e-9)


def test_1d_densities_integrate_to_the_weights_and_match_scipy(payload_1d, soft_1d):
    for state in states(payload_1d):
        params = soft_1d.trace[state.params_index].params
        np.testing.assert_allclose(np.trapezoid(state.densities, state.grid, axis=1), params.weights, atol=5e-3)
        sd = np.sqrt(params.full_covariances[:, 0, 0])
        expected = params.weights[:, None] * norm.pdf(state.grid, params.means[:, :1], sd[:, None])
        np.testing.assert_allclose(state.densities, expected, rtol=1e-12, atol=1e-15)


def test_1d_view_histogram_and_y_range(payload_1d, overlap):
    view = payload_1d["view"]
    edges, heights = np.asarray(view["histogram"]["edges"]), np.asarray(view["histogram"]["heights"])
    assert np.sum(np.diff(edges) * heights) == pytest.approx(1.0, rel=1e-9)  # a density histogram
    assert edges[0] == pytest.approx(overlap.X.min()) and edges[-1] == pytest.approx(overlap.X.max())
    peak = max(state.densities.sum(axis=0).max() for state in states(payload_1d))
    low, high = view["y_range"]
    assert high >= peak and low < view["rug_y"] < 0


# --------------------------------------------------------------------------- learning curve
def test_learning_curve_is_the_log_likelihood_and_frames_reveal_it_in_order(payload_2d_step, soft_2d):
    (curve,) = payload_2d_step["curves"]
    assert curve["name"] == "log-likelihood"
    assert curve["x"] == list(range(N_ITER + 1))
    assert curve["y"] == [entry.log_likelihood for entry in soft_2d.trace]
    ends = [state.curve_end for state in states(payload_2d_step)]
    assert ends == [0] + [e for i in range(1, N_ITER + 1) for e in (i - 1, i)]  # the M-step adds the new value


def test_the_curve_label_and_values_come_from_the_result(soft_2d, blobs):
    assert player_payload(soft_2d, blobs.X)["curves"][0]["name"] == "log-likelihood"
    hard = gmm_core.fit(blobs.X, 3, "full", algorithm="hard", seed=0)
    curve = player_payload(hard, blobs.X)["curves"][0]
    assert curve["name"] == "classification log-likelihood"
    assert curve["y"] == [entry.objective for entry in hard.trace]  # what hard EM maximises, never falling
    assert curve["y"] != [entry.log_likelihood for entry in hard.trace]


def test_reseed_events_travel_with_the_payload(reseeded, blobs):
    (event,) = player_payload(reseeded, blobs.X)["reseeds"]
    assert event["entry"] == 3 and event["component"] == 1 and "half a point" in event["reason"]


# --------------------------------------------------------------------------- view, display, hygiene
def test_data_range_fixes_the_axes_and_names_are_escaped_for_plotly(soft_2d, blobs):
    payload = player_payload(soft_2d, blobs.X[:50], data_range=((-20.0, 20.0), (-5.0, 15.0)),
                             feature_names=["<b>a</b>", "b & c"])
    view = payload["view"]
    assert view["x_range"][0] < -20 < 20 < view["x_range"][1] < 23
    assert view["y_range"][0] < -5 < 15 < view["y_range"][1] < 17
    assert payload["features"] == ["&lt;b&gt;a&lt;/b&gt;", "b &amp; c"]
    assert payload["n_samples"] == 400 and read_array(payload["points"]).shape == (50, 2)


def test_presentation_mode_has_large_dark_axes_and_equal_axes_only_in_2d(soft_2d, blobs, soft_1d, overlap):
    big = player_payload(soft_2d, blobs.X, presentation=True)["display"]
    small = player_payload(soft_2d, blobs.X)["display"]
    assert big["style"]["tick_size"] >= 18 and big["style"]["title_size"] >= 20
    assert big["style"]["point_size"] > small["style"]["point_size"] and big["presentation"]
    assert small["equal_axes"] and not player_payload(soft_2d, blobs.X, equal_axes=False)["display"]["equal_axes"]
    assert not player_payload(soft_1d, overlap.X)["display"]["equal_axes"]


@pytest.mark.parametrize("which", ["payload_2d", "payload_2d_step", "payload_1d"])
def test_payload_is_strict_json(which, request):
    text = json.dumps(request.getfixturevalue(which), allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text


def test_payload_for_ten_thousand_points_and_a_hundred_iterations_stays_under_a_megabyte():
    data = gmm_core.random_blobs(5, 10_000, seed=1)
    result = gmm_core.fit(data.X, 5, tol=0, max_iter=100, seed=0)
    shown = data.X[display_subsample(len(data.X))]
    assert len(shown) == DISPLAY_CAP
    for step_mode in (False, True):
        size = len(json.dumps(player_payload(result, shown, step_mode=step_mode, truth=data.truth)))
        assert size < 1_000_000, size  # frames carry parameters, never per-point colours


def test_one_dimensional_input_array_is_accepted(soft_1d, overlap):
    payload = player_payload(soft_1d, overlap.X[:, 0])
    assert read_array(payload["points"]).shape == (len(overlap.X), 1) and len(payload["frames"]["name"]) == N_ITER + 1


@pytest.mark.parametrize(
    "points, match",
    [(np.zeros((5, 2, 2)), r"shape \(n, d\)"), (np.zeros((5, 3)), "have 3"), (np.zeros((5, 1)), "feature"), (np.zeros((0, 2)), "at least one point"),
     (np.array([[0.0, np.nan]]), "finite")],
)
def test_bad_points_give_a_sentence(soft_2d, points, match):
    with pytest.raises(ValueError, match=match):
        player_payload(soft_2d, points)


def test_truth_with_the_wrong_dimension_is_refused(soft_2d, blobs, overlap):
    with pytest.raises(ValueError, match="features"):
        player_payload(soft_2d, blobs.X, truth=overlap.truth)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["full", "tied", "diag", "spherical"]), st.sampled_from([1, 2]))
def test_every_frame_is_finite_and_rows_sum_to_one(seed, covariance_type, dimension):
    data = gmm_core.random_blobs(2, 60, n_features=dimension, seed=seed, separation=1.0)
    result = gmm_core.fit(data.X, 3, covariance_type=covariance_type, tol=0, max_iter=3, seed=seed)
    for state in states(player_payload(result, data.X, step_mode=True)):
        if state.resp is not None:
            assert np.all(np.isfinite(state.resp))
            np.testing.assert_allclose(state.resp.sum(axis=1), 1.0, atol=1e-12)
        assert np.all(np.isfinite(state.opacity))
        assert state.ellipses is None or np.all(np.isfinite(state.ellipses))


# --------------------------------------------------------------------------- one frame as a static figure
def test_frame_figure_draws_the_frame_state(payload_2d_step):
    data = PlayerData.from_payload(payload_2d_step)
    state = frame_state(data, 5)
    fig = frame_figure(payload_2d_step, 5)
    points = next(t for t in fig.data if t.mode == "markers" and len(t.x) == len(data.points))
    assert list(points.marker.color) == point_colors(payload_2d_step, state)
    lines = [t for t in fig.data if t.mode == "lines" and t.xaxis == "x"]
    assert len(lines) == 9  # 3 components x 3 sigma levels
    np.testing.assert_allclose(np.asarray(lines[0].x), state.ellipses[0, 0, 0])
    assert any(state.name == a.text for a in fig.layout.annotations)
    assert any("E-step" in (a.text or "") for a in fig.layout.annotations)
    assert fig.layout.yaxis.scaleanchor == "x"


def test_frame_figure_in_1d_and_bad_frame_numbers(payload_1d):
    fig = frame_figure(payload_1d, len(payload_1d["frames"]["name"]) - 1)
    assert any(t.line.shape == "hv" for t in fig.data if t.mode == "lines")  # the histogram
    with pytest.raises(ValueError, match="does not exist"):
        frame_figure(payload_1d, 10_000)
