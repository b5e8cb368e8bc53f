"""Handling EM on the figure in a real browser: place the starting means by clicking, drag one to refit."""

from __future__ import annotations

import re
from urllib.parse import unquote

import numpy as np
import pytest

from figures.typed_arrays import read_array

from .helpers import assert_no_exception, player_fingerprint, screenshot
from .test_explore import PLAYER, open_explorer

pytestmark = pytest.mark.browser


def url_means(page) -> list[tuple[float, ...]]:
    match = re.search(r"[?&]means=([^&]*)", page.url)
    return [tuple(float(v) for v in row.split(",")) for row in unquote(match.group(1)).split(";")] if match else []


def frame_zero_means(page) -> np.ndarray:
    payload = page.evaluate(f"{PLAYER}.payload")
    return read_array(payload["params"]["means"])[payload["frames"]["params"][0]]


def settle_after(page, action) -> dict:
    """Do `action` (a click or a drag) and wait until the player shows a new, settled payload."""
    before = player_fingerprint(page)
    action()
    # The player marks itself 'waiting' when it sends an event, until the answer's payload is drawn.
    page.wait_for_function(f"() => !{PLAYER}.busy && !document.querySelector('.emp').classList.contains('emp-waiting')",
                           timeout=60_000)
    after = player_fingerprint(page)
    assert after != before, "the click or drag did not change the figure"
    return after


def test_clicking_k_places_gives_exactly_those_starting_means_and_dragging_one_refits(app_server, page):
    open_explorer(page, app_server + "/?init=manual&k=3")
    page.get_by_role("button", name="Clear: place them by clicking").click()
    page.wait_for_function(f"() => {PLAYER} && {PLAYER}.payload.params === null && !{PLAYER}.busy", timeout=60_000)
    assert "place mean 1 of 3" in page.locator(".emp-readout").inner_text()
    screenshot(page, "editing-empty-plot")
    box = page.locator(".emp-data").bounding_box()
    overlay = page.evaluate(f"(() => {{ const o = {PLAYER}.dataView.overlay; return [o.offset[0], o.offset[1], o.width, o.height]; }})()")
    targets = [(0.25, 0.3), (0.75, 0.35), (0.5, 0.8)]
    clicked = []
    for fx, fy in targets:
        x, y = box["x"] + overlay[0] + fx * overlay[2], box["y"] + overlay[1] + fy * overlay[3]
        clicked.append(page.evaluate(f"{PLAYER}.dataAt({x}, {y})"))
        settle_after(page, lambda: page.mouse.click(x, y))
    assert_no_exception(page)
    means = url_means(page)
    assert len(means) == 3
    np.testing.assert_array_equal(frame_zero_means(page), means)  # the fit starts exactly there
    x_span = np.ptp(page.evaluate(f"{PLAYER}.payload.view.x_range"))
    np.testing.assert_allclose(means, clicked, atol=2e-3 * x_span)  # where the clicks were, to a pixel
    screenshot(page, "editing-three-means-placed")

    # Drag mean 2 towards the middle: the fit starts from the dropped place.
    curve = page.evaluate(f"{PLAYER}.payload.curves[0].y")
    start = page.evaluate(f"{PLAYER}.clientOf({list(means[1])})")
    drop = (box["x"] + overlay[0] + 0.45 * overlay[2], box["y"] + overlay[1] + 0.55 * overlay[3])
    dropped_at = page.evaluate(f"{PLAYER}.dataAt({drop[0]}, {drop[1]})")

    def drag(to):
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(*to, steps=8)
        page.mouse.up()

    settle_after(page, lambda: drag(drop))
    moved = url_means(page)
    assert moved[0] == means[0] and moved[2] == means[2]
    np.testing.assert_allclose(moved[1], dropped_at, atol=2e-3 * x_span)
    np.testing.assert_array_equal(frame_zero_means(page), moved)
    assert page.evaluate(f"{PLAYER}.payload.curves[0].y") != curve  # refitted

    # Dragged off the plot, a mean stays at the edge of the data.
    start = page.evaluate(f"{PLAYER}.clientOf({list(moved[0])})")
    bounds = page.evaluate(f"{PLAYER}.payload.interaction.bounds")
    settle_after(page, lambda: (page.mouse.move(*start), page.mouse.down(),
                                page.mouse.move(box["x"] - 200, box["y"] - 200, steps=8), page.mouse.up()))
    edge = url_means(page)[0]
    assert edge == pytest.approx((bounds[0][0], bounds[1][1]), rel=1e-6)
    assert_no_exception(page)
    screenshot(page, "editing-mean-dragged")


def test_twenty_drawn_points_travel_in_the_share_link_with_their_fit(app_server, page, browser):
    open_explorer(page, app_server + "/?data=draw&k=2")
    assert "add points" in page.locator('[data-testid="stAlertContentInfo"]').inner_text()
    box = page.locator(".emp-data").bounding_box()
    overlay = page.evaluate(f"(() => {{ const o = {PLAYER}.dataView.overlay; return [o.offset[0], o.offset[1], o.width, o.height]; }})()")
    rng = np.random.default_rng(7)
    centres = [(0.3, 0.35), (0.7, 0.65)]
    for i in range(20):
        cx, cy = centres[i % 2]
        fx, fy = cx + 0.06 * rng.normal(), cy + 0.06 * rng.normal()
        settle_after(page, lambda: page.mouse.click(box["x"] + overlay[0] + fx * overlay[2],
                                                    box["y"] + overlay[1] + fy * overlay[3]))
    assert page.evaluate(f"{PLAYER}.model.n") == 20
    assert page.evaluate(f"{PLAYER}.payload.params") is not None  # 20 points, k = 2: EM ran
    # Shift-click next to the last point erases it; a plain click puts one back.
    last = page.evaluate(f"{PLAYER}.clientOf(Array.from({PLAYER}.model.X.slice(38, 40)))")
    page.keyboard.down("Shift")
    settle_after(page, lambda: page.mouse.click(last[0] + 2, last[1] + 2))
    page.keyboard.up("Shift")
    assert page.evaluate(f"{PLAYER}.model.n") == 19
    settle_after(page, lambda: page.mouse.click(*last))
    assert page.evaluate(f"{PLAYER}.model.n") == 20
    assert_no_exception(page)
    drawn = player_fingerprint(page)
    points = page.evaluate(f"Array.from({PLAYER}.model.X)")
    screenshot(page, "editing-twenty-points")

    page.get_by_role("button", name="🔗 Share").click()
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    page.keyboard.press("Escape")
    assert "data=draw" in link and "pts=2_" in link
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        open_explorer(other, link)
        assert_no_exception(other)
        assert other.evaluate(f"Array.from({PLAYER}.model.X)") == points  # the same 20 points, bit for bit
        assert player_fingerprint(other) == drawn  # the same fit, frames and picture
    finally:
        fresh.close()


def test_edit_these_points_then_one_lone_click_and_k_3_collapses_a_component(app_server, page):
    open_explorer(page, app_server + "/?k=3")
    settle_after(page, lambda: page.get_by_role("button", name="Edit these points").click())
    assert "data=draw" in page.url and page.evaluate(f"{PLAYER}.model.n") == 200
    box = page.locator(".emp-data").bounding_box()
    overlay = page.evaluate(f"(() => {{ const o = {PLAYER}.dataView.overlay; return [o.offset[0], o.offset[1], o.width, o.height]; }})()")
    settle_after(page, lambda: page.mouse.click(box["x"] + overlay[0] + 0.97 * overlay[2], box["y"] + overlay[1] + 0.03 * overlay[3]))
    payload = page.evaluate(f"{PLAYER}.payload")
    final = payload["frames"]["params"][-1]
    covariances = read_array(payload["params"]["covariances"])[final]
    assert min(np.linalg.det(c) for c in covariances) < 1e-8  # one component sits on the lone point alone
    page.get_by_role("button", name="Last frame").click()
    screenshot(page, "editing-lone-point-collapse")
    assert_no_exception(page)
