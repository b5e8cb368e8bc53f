"""The Explorer in a real browser: the player appears, plays, steps, and a share link reproduces it."""

import pytest

from .helpers import FRAME_LABEL_JS, PLAYER_READY_JS, assert_no_exception, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

PLAYER = "document.querySelector('.emp').__emPlayer"
# A fingerprint of what the browser holds and shows: the player's whole payload, its frame, and every
# path and marker it drew for that frame (so equal fingerprints mean the same data, fit and picture).
FINGERPRINT_JS = """() => {
  const root = document.querySelector('.emp');
  if (!root || !root.__emPlayer || !root.__emPlayer.shown) return null;
  const player = root.__emPlayer;
  const hash = text => { let h = 0; for (let i = 0; i < text.length; i++) { h = (h * 31 + text.charCodeAt(i)) | 0; } return h; };
  const payload = JSON.stringify(player.payload);
  const drawn = Array.from(root.querySelectorAll('.emp-layer path, .emp-layer circle, .emp-layer g.emp-mean'))
    .map(n => n.getAttribute('d') || n.getAttribute('transform') || [n.getAttribute('cx'), n.getAttribute('cy')].join(','))
    .join('|');
  return {payload: hash(payload), length: payload.length, drawn: hash(drawn), frames: player.frameCount(),
          frame: player.index, label: root.querySelector('.emp-frame-label').textContent};
}"""


def open_explorer(page, url):
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=90_000)
    page.wait_for_function(PLAYER_READY_JS, timeout=60_000)


def test_the_player_appears_plays_and_steps(app_server, page):
    open_explorer(page, app_server)
    assert_no_exception(page)
    fingerprint = page.evaluate(FINGERPRINT_JS)
    assert fingerprint["frames"] >= 2
    before = page.evaluate(FRAME_LABEL_JS)
    assert before == "iteration 0 · initial"
    screenshot(page, "explore-before-play")
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(f"(start) => ({FRAME_LABEL_JS})() !== start", arg=before, timeout=10_000)
    page.wait_for_timeout(1500)
    after = page.evaluate(FINGERPRINT_JS)
    assert after["label"] != before and after["drawn"] != fingerprint["drawn"]
    screenshot(page, "explore-after-play")
    # The debugger keys: one frame forward, one back.
    page.get_by_role("button", name="First frame").click()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"{PLAYER}.index") == 1
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(f"{PLAYER}.index") == 0
    assert_no_exception(page)
    # plotly.js and the player come from this server (the plotly package's own copy), cacheable.
    scripts = page.evaluate("() => Array.from(document.querySelectorAll('script[src*=\"/component/\"]')).map(s => s.src)")
    assert any("/plotly.min.js?v=" in src for src in scripts) and any("/em_player.js?v=" in src for src in scripts)
    for src in scripts:
        response = page.request.get(src)
        assert response.ok and "public" in response.headers.get("cache-control", ""), src


def test_a_share_link_reproduces_the_identical_payload_and_picture(app_server, page, browser):
    open_explorer(page, app_server + "/?k=3&cov=diag&data=blobs&true_k=3&dseed=5&steps=1")
    assert_no_exception(page)
    original = page.evaluate(FINGERPRINT_JS)
    assert original["label"] == "iteration 0 · initial" and original["frames"] % 2 == 1  # step mode
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
