"""build_animation: frames, trace layout, colours, learning curve, 1-D densities, axes, payload hygiene."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest
from scipy.stats import norm

import gmm_core
from figures import SIGMA_MASS_2D, build_animation, component_colors
from figures.colors import N_OPACITY_LEVELS, darker
from figures.layers import read_array
from figures.ellipses import SIGMA_LEVELS, ellipse_stack

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
def hard_2d(blobs):
    return gmm_core.fit(blobs.X, 3, algorithm="hard", tol=0, max_iter=N_ITER, seed=0)


@pytest.fixture(scope="module")
def fig_2d(soft_2d, blobs):
    return build_animation(soft_2d, blobs.X, truth=blobs.truth)


@pytest.fixture(scope="module")
def fig_2d_step(soft_2d, blobs):
    return build_animation(soft_2d, blobs.X, step_mode=True)


@pytest.fixture(scope="module")
def overlap():
    return gmm_core.two_overlapping_gaussians(n_per_cluster=120)


@pytest.fixture(scope="module")
def soft_1d(overlap):
    return gmm_core.fit(overlap.X, 2, tol=0, max_iter=N_ITER, seed=0)


@pytest.fixture(scope="module")
def fig_1d(soft_1d, overlap):
    return build_animation(soft_1d, overlap.X, truth=overlap.truth)


@pytest.fixture(scope="module")
def reseeded(soft_2d):
    """The 2-D fit with a re-seed event injected at iteration 3 (a real collapse is hard to provoke on demand)."""
    event = gmm_core.ReseedEvent(3, 1, "its responsibility fell below half a point", np.zeros(2))
    trace = list(soft_2d.trace)
    trace[3] = dataclasses.replace(trace[3], reseeds=(event,))
    return dataclasses.replace(soft_2d, trace=tuple(trace), reseed_events=(event,))


def roles(fig) -> dict:
    return fig.layout.meta["roles"]


def frame_trace(frame, index):
    """The partial trace that `frame` sends for figure trace `index`."""
    return frame.data[list(frame.traces).index(index)]


def decode_colorscale(fig, codes):
    """Map colour codes through the points trace's own colour scale -> (rgb tuples, alphas)."""
    marker = fig.data[roles(fig).get("points", roles(fig).get("rug"))].marker
    scale = marker.colorscale
    fraction = (read_array(codes).astype(float) - marker.cmin) / (marker.cmax - marker.cmin)
    stops = np.array([s[0] for s in scale])
    rgbs, alphas = [], []
    for f in fraction:
        # Codes sit mid-band: between two stops of the same colour.
        hi = int(np.searchsorted(stops, f))
        color_lo, color_hi = scale[hi - 1][1], scale[hi][1]
        assert color_lo == color_hi, "a code fell on the boundary between two colours"
        r, g, b, a = map(float, re.match(r"rgba\(([^,]+),([^,]+),([^,]+),([^)]+)\)", color_lo).groups())
        rgbs.append((int(r), int(g), int(b)))
        alphas.append(a)
    return rgbs, np.array(alphas)


def without_template(text: str) -> str:
    """The figure JSON, lower-cased, minus the theme template (which lists defaults for every trace type)."""
    payload = json.loads(text)
    payload["layout"].pop("template", None)
    return json.dumps(payload).lower()


def hex_rgb(color):
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


# --------------------------------------------------------------------------- frames
def test_normal_mode_has_one_named_frame_per_trace_entry(fig_2d, soft_2d):
    assert soft_2d.n_iter == N_ITER
    names = [f.name for f in fig_2d.frames]
    assert names == ["iteration 0 · initial"] + [f"iteration {i}" for i in range(1, N_ITER + 1)]


def test_step_mode_has_an_e_and_an_m_frame_per_iteration(fig_2d_step):
    names = [f.name for f in fig_2d_step.frames]
    assert len(names) == 2 * N_ITER + 1
    assert names[0] == "iteration 0 · initial"
    for i in range(1, N_ITER + 1):
        assert names[2 * i - 1] == f"iteration {i} · E-step"
        assert names[2 * i] == f"iteration {i} · M-step"


@pytest.mark.parametrize("which", ["fig_2d", "fig_2d_step", "fig_1d"])
def test_slider_steps_name_the_frames_and_animation_does_not_redraw(which, request):
    fig = request.getfixturevalue(which)
    names = [f.name for f in fig.frames]
    (slider,) = fig.layout.sliders
    assert [step.args[0][0] for step in slider.steps] == names
    assert slider.currentvalue.prefix.strip() == "iteration"
    # prefix + label reads as the frame name
    assert [slider.currentvalue.prefix + step.label for step in slider.steps] == names
    (menu,) = fig.layout.updatemenus
    labels = [b.label for b in menu.buttons]
    assert any("Play" in label for label in labels) and any("Pause" in label for label in labels)
    play = next(b for b in menu.buttons if "Play" in b.label)
    assert play.args[0] is None and play.args[1]["frame"]["redraw"] is False
    assert all(step.args[1]["frame"]["redraw"] is False for step in slider.steps)


def test_frames_carry_only_the_animated_traces(fig_2d, reseeded, blobs):
    fig = build_animation(reseeded, blobs.X, truth=blobs.truth)
    r, animated = roles(fig), fig.layout.meta["animated"]
    static = set(r["sigma_keys"]) | {r["truth"], r["reseeds"]}
    assert static.isdisjoint(animated)
    assert set(animated) | static == set(range(len(fig.data)))
    k = 3
    assert len(animated) == 1 + 3 * k + k + 2  # points, ellipses, means, curve, current marker
    for frame in fig.frames:
        assert list(frame.traces) == animated
        assert len(frame.data) == len(frame.traces)
        assert frame.layout is None or not frame.layout.to_plotly_json()


def test_point_coordinates_are_never_resent(fig_2d, fig_1d):
    for fig, role in ((fig_2d, "points"), (fig_1d, "rug")):
        for frame in fig.frames:
            sent = frame_trace(frame, roles(fig)[role]).to_plotly_json()
            assert set(sent) <= {"type", "marker"}
            assert set(sent["marker"]) == {"color"}
            assert sent["marker"]["color"]["dtype"] == "u1"  # one byte per point
            assert read_array(sent["marker"]["color"]).shape == (len(fig.data[roles(fig)[role]].x),)


def test_initial_figure_state_is_frame_zero(fig_2d):
    first = fig_2d.frames[0]
    for index, sent in zip(first.traces, first.data):
        for key, value in sent.to_plotly_json().items():
            if key in ("type", "hovertext"):
                continue
            full = fig_2d.data[index].to_plotly_json()[key]
            if key == "marker":
                np.testing.assert_array_equal(read_array(full["color"]), read_array(value["color"]))
            else:
                np.testing.assert_array_equal(read_array(full), read_array(value))


# --------------------------------------------------------------------------- 2-D geometry in frames
def test_frame_ellipses_and_means_are_those_of_the_shown_parameters(fig_2d, fig_2d_step, soft_2d):
    def check(fig, frame, entry):
        params = soft_2d.trace[entry].params
        for k in range(params.n_components):
            for s, index in zip(SIGMA_LEVELS, roles(fig)["ellipses"][k]):
                sent = frame_trace(frame, index)
                expected = ellipse_stack(params.means[k], params.full_covariances[k], s, len(read_array(sent.x)))
                np.testing.assert_allclose(read_array(sent.x), expected[0], atol=1e-4)
                np.testing.assert_allclose(read_array(sent.y), expected[1], atol=1e-4)
            mean = frame_trace(frame, roles(fig)["means"][k])
            np.testing.assert_allclose([mean.x[0], mean.y[0]], params.means[k])

    for i, frame in enumerate(fig_2d.frames):
        check(fig_2d, frame, i)
    for i in range(1, N_ITER + 1):
        check(fig_2d_step, fig_2d_step.frames[2 * i - 1], i - 1)  # E-step: still the old parameters
        check(fig_2d_step, fig_2d_step.frames[2 * i], i)  # M-step: the new ones


def test_ellipse_styles_and_sigma_legend(fig_2d):
    colors = component_colors(3)
    for k, positions in enumerate(roles(fig_2d)["ellipses"]):
        dashes = [fig_2d.data[p].line.dash for p in positions]
        assert dashes == ["solid", "dash", "dot"]
        assert {fig_2d.data[p].line.color for p in positions} == {darker(colors[k])}
        assert fig_2d.data[roles(fig_2d)["means"][k]].marker.symbol == "x"
        assert fig_2d.data[roles(fig_2d)["means"][k]].marker.color == colors[k]
    keys = [fig_2d.data[p].name for p in roles(fig_2d)["sigma_keys"]]
    for s, name in zip(SIGMA_LEVELS, keys):
        assert f"{s}σ" in name and f"{SIGMA_MASS_2D[s]:.1%}" in name
    truth = fig_2d.data[roles(fig_2d)["truth"]]
    assert truth.line.dash == "dash" and truth.line.width < fig_2d.data[roles(fig_2d)["ellipses"][0][0]].line.width


# --------------------------------------------------------------------------- point colours
def test_soft_colours_are_the_argmax_and_opacity_follows_responsibility(fig_2d, soft_2d, blobs):
    k = 3
    palette = [hex_rgb(c) for c in component_colors(k)]
    uncertain_seen = False
    for i, frame in enumerate(fig_2d.frames):
        codes = frame_trace(frame, roles(fig_2d)["points"]).marker.color
        resp = soft_2d.trace[i].params.predict_proba(blobs.X)
        winner = resp.argmax(axis=1)
        rgbs, alphas = decode_colorscale(fig_2d, codes)
        assert [palette.index(rgb) for rgb in rgbs] == winner.tolist()
        assert np.all((alphas >= MIN_OPACITY - 1e-9) & (alphas <= 1.0 + 1e-9))
        certainty = (resp.max(axis=1) - 1 / k) / (1 - 1 / k)
        expected = MIN_OPACITY + (1 - MIN_OPACITY) * np.rint(certainty * (N_OPACITY_LEVELS - 1)) / (N_OPACITY_LEVELS - 1)
        np.testing.assert_allclose(alphas, expected, atol=2e-3)  # the colour string keeps 3 significant digits
        uncertain_seen |= bool(np.any(alphas < 0.9))
    assert uncertain_seen, "overlapping blobs should leave some points visibly uncertain"


def test_hard_colours_are_the_argmax_at_full_opacity(hard_2d, blobs):
    fig = build_animation(hard_2d, blobs.X)
    palette = [hex_rgb(c) for c in component_colors(3)]
    for i, frame in enumerate(fig.frames):
        rgbs, alphas = decode_colorscale(fig, frame_trace(frame, roles(fig)["points"]).marker.color)
        assert [palette.index(rgb) for rgb in rgbs] == hard_2d.trace[i].params.predict(blobs.X).tolist()
        assert np.all(alphas == 1.0)


def test_step_mode_colours_come_from_the_previous_parameters(fig_2d_step, soft_2d, blobs):
    palette = [hex_rgb(c) for c in component_colors(3)]
    codes0 = frame_trace(fig_2d_step.frames[0], roles(fig_2d_step)["points"]).marker.color
    rgbs, _ = decode_colorscale(fig_2d_step, codes0)
    assert set(rgbs) == {(158, 158, 158)}, "before the first E-step the points are not coloured"
    for i in range(1, N_ITER + 1):
        expected = soft_2d.trace[i - 1].params.predict(blobs.X).tolist()
        for frame in fig_2d_step.frames[2 * i - 1 : 2 * i + 1]:
            rgbs, _ = decode_colorscale(fig_2d_step, frame_trace(frame, roles(fig_2d_step)["points"]).marker.color)
            assert [palette.index(rgb) for rgb in rgbs] == expected, frame.name


# --------------------------------------------------------------------------- learning curve
def test_learning_curve_grows_one_point_per_frame(fig_2d, soft_2d):
    log_likelihood = [entry.log_likelihood for entry in soft_2d.trace]
    for i, frame in enumerate(fig_2d.frames):
        curve = frame_trace(frame, roles(fig_2d)["curve"])
        x, y = read_array(curve.x), read_array(curve.y)
        assert len(x) == len(y) == i + 1
        np.testing.assert_array_equal(x, np.arange(i + 1))
        np.testing.assert_array_equal(y, log_likelihood[: i + 1])
        current = frame_trace(frame, roles(fig_2d)["current"])
        assert list(current.x) == [i] and list(current.y) == [log_likelihood[i]]


def test_step_mode_curve_adds_the_new_value_at_the_m_step(fig_2d_step, soft_2d):
    log_likelihood = [entry.log_likelihood for entry in soft_2d.trace]
    for i in range(1, N_ITER + 1):
        e_curve = frame_trace(fig_2d_step.frames[2 * i - 1], roles(fig_2d_step)["curve"])
        m_curve = frame_trace(fig_2d_step.frames[2 * i], roles(fig_2d_step)["curve"])
        assert read_array(e_curve.y).tolist() == log_likelihood[:i]
        assert read_array(m_curve.y).tolist() == log_likelihood[: i + 1]


def test_learning_curve_range_covers_the_whole_curve(fig_2d, soft_2d):
    log_likelihood = [entry.log_likelihood for entry in soft_2d.trace]
    low, high = fig_2d.layout.yaxis2.range
    assert low < min(log_likelihood) and high > max(log_likelihood)
    low, high = fig_2d.layout.xaxis2.range
    assert low < 0 and high > N_ITER


def test_reseed_events_are_marked_on_the_learning_curve(reseeded, blobs):
    fig = build_animation(reseeded, blobs.X)
    marks = fig.data[roles(fig)["reseeds"]]
    assert list(marks.x) == [3]
    assert list(marks.y) == [reseeded.trace[3].log_likelihood]
    assert "half a point" in marks.hovertext[0] and "component 2" in marks.hovertext[0]
    assert marks.xaxis == "x2"


def test_no_reseed_layer_without_events(fig_2d):
    assert "reseeds" not in roles(fig_2d)


# --------------------------------------------------------------------------- 1-D view
def test_1d_densities_integrate_to_the_weights_and_sum_to_the_mixture(fig_1d, soft_1d):
    r = roles(fig_1d)
    grid = np.asarray(fig_1d.data[r["mixture_density"]].x)
    for i, frame in enumerate(fig_1d.frames):
        params = soft_1d.trace[i].params
        components = np.array([read_array(frame_trace(frame, p).y) for p in r["component_densities"]], dtype=float)
        mixture = read_array(frame_trace(frame, r["mixture_density"]).y).astype(float)
        np.testing.assert_allclose(np.trapezoid(components, grid, axis=1), params.weights, atol=5e-3)
        np.testing.assert_allclose(mixture, components.sum(axis=0), rtol=1e-5, atol=1e-7)
        sd = np.sqrt(params.full_covariances[:, 0, 0])
        expected = params.weights[:, None] * norm.pdf(grid, params.means[:, :1], sd[:, None])
        np.testing.assert_allclose(components, expected, rtol=1e-5, atol=1e-7)


def test_1d_static_layers_and_rug(fig_1d, soft_1d, overlap):
    r = roles(fig_1d)
    animated = fig_1d.layout.meta["animated"]
    assert r["histogram"] not in animated and r["truth"] not in animated
    hist = fig_1d.data[r["histogram"]]
    # the step outline's area is 1: a density-normalised histogram
    x, y = np.asarray(hist.x), np.asarray(hist.y)
    assert np.sum(np.diff(x) * y[:-1]) == pytest.approx(1.0, rel=1e-9)
    assert fig_1d.data[r["truth"]].line.dash == "dash"
    rug = fig_1d.data[r["rug"]]
    np.testing.assert_array_equal(rug.x, overlap.X[:, 0])
    assert np.all(np.asarray(rug.y) < 0)
    palette = [hex_rgb(c) for c in component_colors(2)]
    for i, frame in enumerate(fig_1d.frames):
        rgbs, _ = decode_colorscale(fig_1d, frame_trace(frame, r["rug"]).marker.color)
        assert [palette.index(rgb) for rgb in rgbs] == soft_1d.trace[i].params.predict(overlap.X).tolist()


def test_1d_y_range_covers_every_frame(fig_1d):
    r = roles(fig_1d)
    low, high = fig_1d.layout.yaxis.range
    peak = max(np.max(read_array(frame_trace(f, r["mixture_density"]).y)) for f in fig_1d.frames)
    assert high >= peak
    assert low < np.asarray(fig_1d.data[r["rug"]].y)[0] < 0


# --------------------------------------------------------------------------- axes, options
@pytest.mark.parametrize("which", ["fig_2d", "fig_2d_step", "fig_1d"])
def test_axis_ranges_are_fixed(which, request):
    fig = request.getfixturevalue(which)
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
        layout_axis = fig.layout[axis]
        assert layout_axis.range is not None and len(layout_axis.range) == 2
        assert layout_axis.autorange is False
    assert all(frame.layout is None or not frame.layout.to_plotly_json() for frame in fig.frames)


def test_data_range_fixes_the_data_axes(soft_2d, blobs):
    fig = build_animation(soft_2d, blobs.X[:50], data_range=((-20.0, 20.0), (-5.0, 15.0)), feature_names=["a", "b"])
    assert fig.layout.xaxis.range[0] < -20 < 20 < fig.layout.xaxis.range[1] < 23
    assert fig.layout.yaxis.range[0] < -5 < 15 < fig.layout.yaxis.range[1] < 17
    assert fig.layout.xaxis.title.text == "a" and fig.layout.yaxis.title.text == "b"
    without = build_animation(soft_2d, blobs.X[:50])
    assert without.layout.xaxis.range[1] < fig.layout.xaxis.range[1]
    assert fig.layout.annotations and "50 of 400" in fig.layout.annotations[0].text


def test_presentation_mode_enlarges(soft_2d, blobs, fig_2d):
    big = build_animation(soft_2d, blobs.X, presentation=True)
    r = roles(big)
    assert big.layout.font.size > fig_2d.layout.font.size
    assert big.data[r["points"]].marker.size > fig_2d.data[roles(fig_2d)["points"]].marker.size
    assert big.data[r["ellipses"][0][0]].line.width > fig_2d.data[roles(fig_2d)["ellipses"][0][0]].line.width


def test_uirevision_is_stable_across_reruns(soft_2d, blobs, fig_2d):
    again = build_animation(soft_2d, blobs.X, truth=blobs.truth)
    assert fig_2d.layout.uirevision and again.layout.uirevision == fig_2d.layout.uirevision
    other = build_animation(soft_2d, blobs.X, feature_names=["u", "v"])
    assert other.layout.uirevision != fig_2d.layout.uirevision


def test_subplots_share_one_figure_side_by_side(fig_2d):
    left, right = fig_2d.layout.xaxis.domain, fig_2d.layout.xaxis2.domain
    assert left[1] < right[0]
    assert (left[1] - left[0]) / (right[1] - right[0]) == pytest.approx(7 / 3, rel=0.05)
    r = roles(fig_2d)
    assert fig_2d.data[r["curve"]].xaxis == "x2" and fig_2d.data[r["points"]].xaxis == "x"


# --------------------------------------------------------------------------- payload hygiene
@pytest.mark.parametrize("which", ["fig_2d", "fig_2d_step", "fig_1d"])
def test_no_webgl_and_no_nan(which, request):
    fig = request.getfixturevalue(which)
    text = fig.to_json()
    assert "NaN" not in text
    assert "scattergl" not in without_template(text)
    assert {t.type for t in fig.data} == {"scatter"}
    assert all(t.type == "scatter" for frame in fig.frames for t in frame.data)


def test_reseeded_figure_json_is_clean(reseeded, blobs):
    text = build_animation(reseeded, blobs.X, step_mode=True, truth=blobs.truth).to_json()
    assert "NaN" not in text and "scattergl" not in without_template(text)


def test_one_dimensional_input_array_is_accepted(soft_1d, overlap):
    fig = build_animation(soft_1d, overlap.X[:, 0])
    assert len(fig.frames) == N_ITER + 1


@pytest.mark.parametrize(
    "points, match",
    [(np.zeros((5, 3)), "1-D or 2-D"), (np.zeros((5, 1)), "feature"), (np.zeros((0, 2)), "at least one point")],
)
def test_bad_points_give_a_sentence(soft_2d, points, match):
    with pytest.raises(ValueError, match=match):
        build_animation(soft_2d, points)


def test_truth_with_the_wrong_dimension_is_refused(soft_2d, blobs, overlap):
    with pytest.raises(ValueError, match="features"):
        build_animation(soft_2d, blobs.X, truth=overlap.truth)


def test_uirevision_follows_the_data_not_the_fit(blobs, soft_2d, hard_2d):
    a = build_animation(soft_2d, blobs.X)
    b = build_animation(hard_2d, blobs.X, step_mode=True)
    assert a.layout.uirevision == b.layout.uirevision  # a new fit of the same data keeps the zoom
    c = build_animation(soft_2d, blobs.X * 2.0)
    assert c.layout.uirevision != a.layout.uirevision  # other data resets it
