"""The Explorer in a real browser: the animation appears, plays, and a share link reproduces it."""

import pytest

from .helpers import SLIDER_LABEL_JS, assert_no_exception, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

PLOT = ".js-plotly-plot"
# A fingerprint of what the browser holds: every frame, and the traces' names, types and coordinates
# (plotly writes derived attributes such as cauto back into gd.data while drawing, at its own pace).
FINGERPRINT_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._transitionData) return null;
  const frames = gd._transitionData._frames || [];
  const traces = gd.data.map(t => ({name: t.name, type: t.type, x: t.x, y: t.y}));
  const text = JSON.stringify({traces: traces, frames: frames.map(f => ({name: f.name, data: f.data}))});
  let hash = 0;
  for (let i = 0; i < text.length; i++) { hash = (hash * 31 + text.charCodeAt(i)) | 0; }
  return {hash: hash, length: text.length, frames: frames.length};
}"""
def open_explorer(page, url):
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=90_000)
    page.locator(PLOT).first.wait_for(state="visible", timeout=30_000)
    page.wait_for_function("() => { const g = document.querySelector('.js-plotly-plot');"
                           " return g && g._transitionData && g._transitionData._frames.length > 0; }", timeout=30_000)


def test_the_animation_appears_and_play_moves_the_slider(app_server, page):
    open_explorer(page, app_server)
    assert_no_exception(page)
    fingerprint = page.evaluate(FINGERPRINT_JS)
    assert fingerprint["frames"] >= 2
    before = page.evaluate(SLIDER_LABEL_JS)
    assert before is not None and "0" in before
    screenshot(page, "explore-before-play")
    page.locator(f"{PLOT} .updatemenu-button").first.click()
    page.wait_for_function(f"(start) => ({SLIDER_LABEL_JS})() !== start", arg=before, timeout=10_000)
    page.wait_for_timeout(1500)
    after = page.evaluate(SLIDER_LABEL_JS)
    assert after != before
    screenshot(page, "explore-after-play")
    assert_no_exception(page)


def test_a_share_link_reproduces_the_identical_figure(app_server, page, browser):
    open_explorer(page, app_server + "/?k=3&cov=diag&data=blobs&true_k=3&dseed=5&steps=1")
    assert_no_exception(page)
    original = page.evaluate(FINGERPRINT_JS)
    page.get_by_role("button", name="Share this view").click()
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert "k=3" in link and "cov=diag" in link and "steps=1" in link
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        open_explorer(other, link)
        assert_no_exception(other)
        assert other.evaluate(FINGERPRINT_JS) == original
        screenshot(other, "explore-shared-link")
    finally:
        fresh.close()
