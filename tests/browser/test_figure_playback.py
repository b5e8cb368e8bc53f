"""The animation in a real browser: Play advances the slider, recolours the points from the frames'
typed arrays, moves the ellipses, and leaves the static layers in place (standalone HTML, no server).

Uses the browser suite's session-wide Chromium (tests/browser/conftest.py); marked `browser`.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import gmm_core
from figures import build_animation, component_colors
from figures.colors import decode
from figures.layers import read_array

pytestmark = pytest.mark.browser

# Fill colour and opacity of every point of the scatter trace with the most points, the slider's
# current-value text, the learning curve's path, and how many filled areas are drawn.
STATE_JS = """() => {
  let points = [];
  document.querySelectorAll('.scatterlayer .trace').forEach(g => {
    const found = g.querySelectorAll('path.point');
    if (found.length > points.length) points = Array.from(found);
  });
  const style = p => p.style.fill === 'none'
      ? [p.style.stroke, p.style.strokeOpacity] : [p.style.fill, p.style.fillOpacity];
  return {
    points: points.map(style),
    current: document.querySelector('text.slider-label').textContent,
    lines: Array.from(document.querySelectorAll('.scatterlayer .trace path.js-line')).map(p => p.getAttribute('d')),
    fills: Array.from(document.querySelectorAll('.scatterlayer path.js-fill')).filter(p => (p.getAttribute('d') || '').length > 20).length,
  };
}"""


def play_to_the_end(browser, fig, tmp_path):
    """Open the figure, record the state, press Play, wait for the last frame, record again."""
    html = tmp_path / "figure.html"
    fig.write_html(html, include_plotlyjs=True, auto_play=False)
    page = browser.new_page(viewport={"width": 1300, "height": 800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(html.as_uri())
        page.wait_for_selector("text.slider-label", state="attached")
        before = page.evaluate(STATE_JS)
        page.locator(".updatemenu-button", has_text="Play").click()
        last = fig.frames[-1].name
        page.wait_for_function(
            "name => document.querySelector('text.slider-label').textContent === name", arg=last, timeout=30_000
        )
        page.wait_for_timeout(800)  # let the last transition settle
        after = page.evaluate(STATE_JS)
    finally:
        page.close()
    assert not errors, errors
    return before, after


def expected_styles(fig, role):
    """(rgb string, opacity) per point of the last frame, from its colour codes."""
    roles = fig.layout.meta["roles"]
    frame = fig.frames[-1]
    codes = read_array(frame.data[list(frame.traces).index(roles[role])].marker.color)
    k = len(roles["means"]) if "means" in roles else len(roles["component_densities"])
    component, opacity = decode(codes, k)
    colors = component_colors(k)
    rgb = [tuple(int(colors[c][i : i + 2], 16) for i in (1, 3, 5)) for c in component]
    return rgb, opacity


def parse(style):
    r, g, b = map(int, re.findall(r"\d+", style[0])[:3])
    return (r, g, b), float(style[1] or 1.0)


def test_2d_animation_plays_and_recolours_points(browser, tmp_path):
    data = gmm_core.random_blobs(3, 400, seed=2, anisotropy=2.5, separation=2.5)
    result = gmm_core.fit(data.X, 3, tol=0, max_iter=6, seed=0)
    fig = build_animation(result, data.X, truth=data.truth)
    before, after = play_to_the_end(browser, fig, tmp_path)
    assert before["current"] == "iteration 0 · initial" and after["current"] == "iteration 6"
    assert len(after["points"]) == 400
    rgb, opacity = expected_styles(fig, "points")
    shown = [parse(style) for style in after["points"]]
    assert [s[0] for s in shown] == rgb
    np.testing.assert_allclose([s[1] for s in shown], opacity, atol=0.01)
    assert sum(a != b for a, b in zip(before["points"], after["points"])) > 10
    assert before["lines"] != after["lines"]  # ellipses and the learning curve moved


def test_1d_animation_keeps_the_histogram_and_recolours_the_rug(browser, tmp_path):
    data = gmm_core.two_overlapping_gaussians(n_per_cluster=100)
    result = gmm_core.fit(data.X, 2, tol=0, max_iter=5, seed=0)
    fig = build_animation(result, data.X, truth=data.truth, step_mode=True)
    before, after = play_to_the_end(browser, fig, tmp_path)
    assert after["current"] == "iteration 5 · M-step"
    assert before["fills"] >= 1 and after["fills"] == before["fills"]  # the static histogram survives
    rgb, opacity = expected_styles(fig, "rug")
    shown = [parse(style) for style in after["points"]]
    assert [s[0] for s in shown] == rgb
    np.testing.assert_allclose([s[1] for s in shown], opacity, atol=0.01)
    assert {parse(style)[0] for style in before["points"]} == {(158, 158, 158)}  # step mode starts uncoloured
