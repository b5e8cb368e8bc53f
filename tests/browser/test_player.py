"""The EM player in a real browser, on the standalone page (no server): what the browser computes and
draws from the payload equals the payload's meaning (figures.frame_state, gmm_core's predict_proba),
and the controls step, play and label the frames."""

from __future__ import annotations

import re

import numpy as np
import pytest

import gmm_core
from explorer.exports import animation_html
from figures import player_payload
from figures.frame_state import PlayerData, frame_state

from .helpers import PIXELS_PER_UNIT_JS, screenshot

pytestmark = pytest.mark.browser

PLAYER = "document.querySelector('.emp').__emPlayer"
READY_JS = "() => { const e = document.querySelector('.emp'); return !!(e && e.__emPlayer && e.__emPlayer.shown); }"
# Plot-area pixels -> data units, from Plotly's own axes (the test reads what the page laid out).
AXES_JS = """() => { const gd = document.querySelector('.emp-data'); const fl = gd._fullLayout;
  return {x: fl.xaxis.range, y: fl.yaxis.range, w: fl.xaxis._length, h: fl.yaxis._length}; }"""
DRAWN_JS = """() => {
  const groups = Array.from(document.querySelectorAll('.emp-data .emp-point-group')).map(p => ({
    key: Number(p.dataset.key), fill: p.getAttribute('fill'), stroke: p.getAttribute('stroke'),
    opacity: Number(p.getAttribute('fill-opacity') || p.getAttribute('stroke-opacity')), d: p.getAttribute('d') || ''}));
  const ellipses = Array.from(document.querySelectorAll('.emp-data .emp-ellipse')).map(p => p.getAttribute('d'));
  const densities = Array.from(document.querySelectorAll('.emp-data .emp-density')).map(p => p.getAttribute('d'));
  const rings = document.querySelector('.emp-data .emp-rings').getAttribute('d') || '';
  return {groups, ellipses, densities, rings};
}"""


@pytest.fixture(scope="module")
def blobs():
    return gmm_core.random_blobs(3, 400, seed=2, anisotropy=2.5, separation=2.5)


@pytest.fixture(scope="module")
def fit_2d(blobs):
    return gmm_core.fit(blobs.X, 3, tol=0, max_iter=6, seed=0)


def open_player(browser, tmp_path, payload, viewport=(1300, 800), name="player.html"):
    path = tmp_path / name
    path.write_text(animation_html(payload, "EM test", "settings", "caption"), encoding="utf-8")
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function(READY_JS, timeout=30_000)
    return page


def frame(page) -> int:
    return page.evaluate(f"{PLAYER}.index")


def path_points(d: str) -> np.ndarray:
    """The vertices of an SVG path made of M/L commands, shape (n, 2)."""
    return np.array([[float(a), float(b)] for a, b in re.findall(r"[ML](-?[\d.]+),(-?[\d.]+)", d)])


def to_data(pixels: np.ndarray, axes: dict) -> np.ndarray:
    x = axes["x"][0] + pixels[:, 0] / axes["w"] * (axes["x"][1] - axes["x"][0])
    y = axes["y"][1] - pixels[:, 1] / axes["h"] * (axes["y"][1] - axes["y"][0])
    return np.stack([x, y], axis=1)


@pytest.mark.parametrize("step_mode", [False, True])
def test_the_browser_computes_the_same_frames_as_the_payload_means(browser, tmp_path, fit_2d, blobs, step_mode):
    payload = player_payload(fit_2d, blobs.X, step_mode=step_mode, truth=blobs.truth)
    data = PlayerData.from_payload(payload)
    page = open_player(browser, tmp_path, payload)
    try:
        for index in range(data.n_frames):
            page.evaluate(f"{PLAYER}.go({index})")
            shown = page.evaluate(f"{PLAYER}.stateJSON()")
            expected = frame_state(data, index)
            assert shown["name"] == expected.name and shown["params"] == expected.params_index
            assert shown["curveEnd"] == expected.curve_end
            np.testing.assert_array_equal(shown["winner"], expected.winner)
            np.testing.assert_array_equal(np.array(shown["changed"], dtype=bool), expected.changed)
            np.testing.assert_allclose(shown["opacity"], expected.opacity, atol=1e-12)
            if expected.resp is None:
                assert shown["resp"] is None
            else:
                np.testing.assert_allclose(np.reshape(shown["resp"], expected.resp.shape), expected.resp, atol=1e-12)
        assert not page.errors, page.errors
    finally:
        page.close()


def test_hovering_a_point_and_a_mean_shows_their_values_at_that_frame(browser, tmp_path, fit_2d, blobs):
    payload = player_payload(fit_2d, blobs.X, step_mode=True)
    page = open_player(browser, tmp_path, payload)
    try:
        page.evaluate(f"{PLAYER}.go(5)")  # iteration 3 · E-step: the responsibilities of trace[2]
        expected = fit_2d.trace[2].params.predict_proba(blobs.X)
        for point in (0, 17, 250):
            page.mouse.move(*page.evaluate(f"{PLAYER}.clientPoint({point})"))
            tip = page.locator(".emp-tooltip")
            tip.wait_for(state="visible")
            text = tip.inner_text()
            assert tip.get_attribute("data-kind") == "point"
            shown_point = int(tip.get_attribute("data-index"))
            gammas = [float(v) for v in re.findall(r"γ[₀-₉]+ = ([\d.]+)", text)]
            assert len(gammas) == 3 and "iteration 3 · E-step" in text
            np.testing.assert_allclose(gammas, expected[shown_point], atol=1e-6)
        page.evaluate(f"{PLAYER}.go(6)")  # iteration 3 · M-step: the parameters of trace[3]
        params = fit_2d.trace[3].params
        page.mouse.move(*page.evaluate(f"{PLAYER}.clientMean(1)"))
        tip = page.locator(".emp-tooltip")
        page.wait_for_function("() => document.querySelector('.emp-tooltip').dataset.kind === 'mean'")
        text = tip.inner_text().replace("−", "-")
        assert "component 2 at iteration 3 · M-step" in text
        assert float(re.search(r"π₂ = ([-\d.e]+)", text).group(1)) == pytest.approx(params.weights[1], rel=1e-3)
        mean = [float(v) for v in re.search(r"μ₂ = \(([^)]*)\)", text).group(1).split(", ")]
        np.testing.assert_allclose(mean, params.means[1], rtol=1e-4)
        cov = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", text.split("Σ₂ = ")[1])]
        np.testing.assert_allclose(cov, params.covariances[1].ravel(), rtol=1e-3)
    finally:
        page.close()


def test_keys_and_buttons_step_exactly_one_frame(browser, tmp_path, fit_2d, blobs):
    page = open_player(browser, tmp_path, player_payload(fit_2d, blobs.X, step_mode=True))
    try:
        last = page.evaluate(f"{PLAYER}.frameCount()") - 1
        assert frame(page) == 0
        page.keyboard.press("ArrowRight")
        assert frame(page) == 1
        page.keyboard.press("ArrowRight")
        assert frame(page) == 2 and page.locator(".emp-frame-label").inner_text() == "iteration 1 · M-step"
        page.keyboard.press("ArrowLeft")
        assert frame(page) == 1
        page.keyboard.press("End")
        assert frame(page) == last
        page.keyboard.press("ArrowRight")
        assert frame(page) == last  # nothing beyond the last frame
        page.get_by_role("button", name="Previous frame").click()
        assert frame(page) == last - 1
        page.get_by_role("button", name="First frame").click()
        assert frame(page) == 0 and page.get_by_role("button", name="Previous frame").is_disabled()
        page.get_by_role("button", name="Next frame").click()
        assert frame(page) == 1
        page.get_by_role("button", name="Last frame").click()
        assert frame(page) == last
        # The speed choice scales the time each frame stays on screen.
        at_1x = page.evaluate(f"{PLAYER}.frameMs()")
        for speed, factor in (("4×", 4), ("0.5×", 0.5), ("2×", 2)):
            page.get_by_role("combobox", name="Speed").select_option(label=speed)
            assert page.evaluate(f"{PLAYER}.frameMs()") == pytest.approx(at_1x / factor)
    finally:
        page.close()


@pytest.mark.parametrize("step", [("E", 3, "E-step: responsibilities update, ellipses stay"),
                                  ("M", 4, "M-step: ellipses move, colours stay")])
def test_the_step_label_names_the_step(browser, tmp_path, fit_2d, blobs, step):
    kind, index, text = step
    page = open_player(browser, tmp_path, player_payload(fit_2d, blobs.X, step_mode=True))
    try:
        page.evaluate(f"{PLAYER}.go({index})")
        label = page.locator(".emp-step-label")
        assert label.is_visible() and label.inner_text() == text and label.get_attribute("data-step") == kind
        assert page.locator(".emp-readout .emp-frame").inner_text() == f"iteration {(index + 1) // 2} · {kind}-step"
    finally:
        page.close()


def test_play_runs_to_the_end_and_draws_that_frame(browser, tmp_path, fit_2d, blobs):
    payload = player_payload(fit_2d, blobs.X, truth=blobs.truth)
    data = PlayerData.from_payload(payload)
    page = open_player(browser, tmp_path, payload)
    try:
        before = page.evaluate(DRAWN_JS)
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"() => {PLAYER}.index === {data.n_frames - 1} && !{PLAYER}.playing", timeout=30_000)
        assert page.get_by_role("button", name="Play").is_visible()  # back to Play at the end
        drawn, axes = page.evaluate(DRAWN_JS), page.evaluate(AXES_JS)
        expected = frame_state(data, data.n_frames - 1)
        # Every point sits in the path of its component's colour, at its opacity step.
        colours = payload["display"]["colors"]
        counted = np.zeros(3, dtype=int)
        for group in drawn["groups"]:
            n_points = group["d"].count("M")
            if not n_points:
                continue
            component = group["key"] // 16
            assert group["fill"] == colours[component]
            counted[component] += n_points
        np.testing.assert_array_equal(counted, np.bincount(expected.winner, minlength=3))
        # The ellipses on screen are the frame's ellipses (to within a pixel's rounding).
        for index, d in enumerate(drawn["ellipses"]):
            component, level = divmod(index, 3)
            on_screen = to_data(path_points(d), axes)
            span = np.ptp(np.asarray(payload["view"]["x_range"]))
            np.testing.assert_allclose(on_screen, expected.ellipses[component, level].T, atol=span / axes["w"])
        assert drawn["ellipses"] != before["ellipses"] and drawn["groups"] != before["groups"]
        assert not page.errors, page.errors
    finally:
        page.close()


def test_1d_player_draws_densities_and_the_histogram_stays(browser, tmp_path):
    data = gmm_core.two_overlapping_gaussians(n_per_cluster=100)
    result = gmm_core.fit(data.X, 2, tol=0, max_iter=5, seed=0)
    payload = player_payload(result, data.X, truth=data.truth, step_mode=True)
    player_data = PlayerData.from_payload(payload)
    page = open_player(browser, tmp_path, payload)
    try:
        drawn = page.evaluate(DRAWN_JS)
        assert [g["key"] for g in drawn["groups"] if g["d"]] == [-1]  # step mode starts uncoloured (grey)
        page.keyboard.press("End")
        drawn, axes = page.evaluate(DRAWN_JS), page.evaluate(AXES_JS)
        expected = frame_state(player_data, player_data.n_frames - 1)
        for component, d in enumerate(drawn["densities"]):
            on_screen = to_data(path_points(d), axes)
            np.testing.assert_allclose(on_screen[:, 1], expected.densities[component], atol=np.ptp(axes["y"]) / axes["h"])
        assert page.locator(".emp-data .scatterlayer path.js-fill").count() >= 1  # the histogram
        ticks = sum(g["d"].count("M") for g in drawn["groups"])
        assert ticks == len(data.X)
        assert not page.errors, page.errors
    finally:
        page.close()


def test_equal_axes_draw_one_unit_the_same_length_on_x_and_y(browser, tmp_path, fit_2d, blobs):
    page = open_player(browser, tmp_path, player_payload(fit_2d, blobs.X))
    try:
        scale = page.evaluate(PIXELS_PER_UNIT_JS)
        assert scale["x"] == pytest.approx(scale["y"], rel=0.01)
        stretched = open_player(browser, tmp_path, player_payload(fit_2d, blobs.X * [1.0, 5.0], equal_axes=False),
                                name="stretched.html")
        try:
            assert "circles look stretched" in stretched.locator(".emp-caption").inner_text()
            scale = stretched.evaluate(PIXELS_PER_UNIT_JS)
            assert scale["x"] > 2 * scale["y"]  # without equal axes each axis fills the plot
        finally:
            stretched.close()
    finally:
        page.close()


CURVE_DATA_JS = """() => { const gd = document.querySelector('.emp-curve');
  return gd.data.map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y), fill: t.fill || null})); }"""
BOUND_DRAWN_JS = """() => { const q = (s) => document.querySelector('.emp-curve ' + s);
  const ring = (c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))];
  const rings = Array.from(document.querySelectorAll('.emp-curve .emp-overlay circle')).map(ring);
  return {logp: q('.emp-bound-logp').getAttribute('d'), lower: q('.emp-bound-lower').getAttribute('d'),
          gap: q('.emp-bound-gap').getAttribute('d'), rings}; }"""


@pytest.mark.parametrize("algorithm", ["soft", "hard"])
def test_step_mode_curve_shows_log_p_and_the_bound_touching_after_each_e_step(browser, tmp_path, blobs, algorithm):
    from figures.bound_series import bound_series

    result = gmm_core.fit(blobs.X, 3, algorithm=algorithm, tol=0, max_iter=6, seed=0)
    bound = bound_series(result, blobs.X)
    page = open_player(browser, tmp_path, player_payload(result, blobs.X, step_mode=True, bound=bound))
    try:
        traces = {t["name"]: t for t in page.evaluate(CURVE_DATA_JS)}
        log_p, lower = traces["log p(X | θ)"], traces["bound L(q, θ)"]
        assert log_p["x"] == lower["x"] == [i - d for i in range(1, result.n_iter + 1) for d in (0.5, 0.0)]
        assert log_p["fill"] == "tonexty"  # the gap between the two lines is shaded
        gaps = np.array(log_p["y"]) - np.array(lower["y"])
        scale = 1e-9 * np.abs(log_p["y"]).max()
        if algorithm == "soft":  # they touch at every E-step, and part after its M-step
            assert np.all(np.abs(gaps[0::2]) <= scale) and np.all(gaps[1::2] > 1e-6)
        else:  # hard EM: one-hot q never closes the gap
            assert np.all(gaps > 1.0)
        page.evaluate(f"{PLAYER}.go(5)")  # iteration 3 · E-step
        drawn = page.evaluate(BOUND_DRAWN_JS)
        logp_points, lower_points = path_points(drawn["logp"]), path_points(drawn["lower"])
        assert len(logp_points) == 1 + 5 and len(lower_points) == 5  # the start, then half-steps up to 2.5
        (log_ring, lower_ring) = drawn["rings"]
        touching = np.hypot(*np.subtract(log_ring, lower_ring)) < 0.5
        assert touching == (algorithm == "soft") and drawn["gap"]
        caption = page.locator(".emp-curve-caption")
        assert caption.is_visible() and ("touch" in caption.inner_text()) == (algorithm == "soft")
        # Hovering a half-step shows the three numbers.
        page.evaluate("() => window.Plotly.Fx.hover(document.querySelector('.emp-curve'), [{curveNumber: 0, pointNumber: 4}])")
        hover = page.locator(".emp-curve .hovertext").first.text_content()
        assert "iteration 3 · E-step" in hover and "log p(X | θ) =" in hover and "L(q, θ) =" in hover and "gap KL =" in hover
        assert f"{bound['lower_bound'][4]:,.3f}".replace("-", "−") in hover
        screenshot(page, f"player-bound-{algorithm}")
        assert not page.errors
    finally:
        page.close()
