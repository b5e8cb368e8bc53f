"""The downloaded animation plays in a browser that has no network at all (a talk without Wi-Fi)."""

import pytest

import gmm_core
from explorer.exports import animation_html
from figures import player_payload

from .helpers import FRAME_LABEL_JS, screenshot

pytestmark = pytest.mark.browser


def test_the_downloaded_animation_plays_offline_and_fills_the_window(browser, tmp_path):
    data = gmm_core.two_tight_clusters()
    result = gmm_core.fit(data.X, 2, init="random_points", seed=0)
    path = tmp_path / "em_animation.html"
    page_text = animation_html(player_payload(result, data.X, truth=data.truth), "EM fit: two tight clusters",
                               "k = 2 · full covariances", "Solid, dashed and dotted ellipses are 1σ, 2σ and 3σ.")
    path.write_text(page_text, encoding="utf-8")

    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 720})
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function(f"() => ({FRAME_LABEL_JS})() !== null", timeout=30_000)
        start = page.evaluate(FRAME_LABEL_JS)
        assert start == "iteration 0 · initial"
        assert page.locator("h1").inner_text() == "EM fit: two tight clusters"
        assert "k = 2" in page.locator(".emp-export-settings").inner_text()
        assert "ellipses" in page.locator(".emp-export-caption").inner_text()
        # the figure fills the window: it is taller than half of it, and Play and the slider are on screen
        figure = page.locator(".emp-data").bounding_box()
        assert figure["height"] > 0.5 * 720
        for control in (page.get_by_role("button", name="Play"), page.locator(".emp-slider")):
            box = control.bounding_box()
            assert box["y"] + box["height"] <= 720, "the controls should be visible without scrolling"
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"(s) => ({FRAME_LABEL_JS})() !== s", arg=start, timeout=10_000)
        assert page.evaluate(FRAME_LABEL_JS) != start
        assert [url for url in requests if not url.startswith("file:")] == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1920, "height": 1080}, {"width": 390, "height": 844}],
                         ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_offline_page_fits_a_big_screen_and_a_phone(browser, tmp_path, viewport):
    data = gmm_core.two_tight_clusters()
    result = gmm_core.fit(data.X, 2, init="random_points", seed=0)
    path = tmp_path / "em_animation.html"
    path.write_text(animation_html(player_payload(result, data.X, truth=data.truth), "EM fit: two tight clusters",
                                   "k = 2 · full covariances", "Solid, dashed and dotted ellipses are 1σ, 2σ and 3σ."),
                    encoding="utf-8")
    context = browser.new_context(offline=True, viewport=viewport)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function(f"() => ({FRAME_LABEL_JS})() !== null", timeout=30_000)
        page.wait_for_timeout(1000)  # the player fits the window again once laid out
        title = page.locator("h1").bounding_box()
        assert title["y"] >= 0 and title["x"] + title["width"] <= viewport["width"] + 1
        figure = page.locator(".emp-data").bounding_box()
        assert figure["width"] <= viewport["width"] and figure["height"] > 0.3 * viewport["height"]
        for control in (page.get_by_role("button", name="Play"), page.locator(".emp-slider")):
            box = control.bounding_box()
            assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], "Play and the slider fit the screen"
            assert box["x"] + box["width"] <= viewport["width"] + 1
        screenshot(page, f"offline-html-{viewport['width']}x{viewport['height']}", full_page=False)
    finally:
        context.close()
