"""The downloaded animation plays in a browser that has no network at all (a talk without Wi-Fi)."""

import pytest

import gmm_core
from explorer.exports import animation_html
from figures import build_animation

from .helpers import SLIDER_LABEL_JS

pytestmark = pytest.mark.browser

def test_the_downloaded_animation_plays_offline(browser, tmp_path):
    data = gmm_core.two_tight_clusters()
    result = gmm_core.fit(data.X, 2, init="random_points", seed=0)
    path = tmp_path / "em_animation.html"
    path.write_text(animation_html(build_animation(result, data.X), "EM Explorer"), encoding="utf-8")

    context = browser.new_context(offline=True)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function(f"() => ({SLIDER_LABEL_JS})() !== null", timeout=30_000)
        start = page.evaluate(SLIDER_LABEL_JS)
        page.locator(".updatemenu-button").first.click()
        page.wait_for_function(f"(s) => ({SLIDER_LABEL_JS})() !== s", arg=start, timeout=10_000)
        assert page.evaluate(SLIDER_LABEL_JS) != start
        assert [url for url in requests if not url.startswith("file:")] == []
    finally:
        context.close()
