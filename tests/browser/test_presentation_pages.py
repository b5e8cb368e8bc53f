"""Presentation mode on all three pages (issue 11), measured from element boxes at a projector's, a big
screen's and a phone's size: each page's main figure fits the window without overlapping the header, the
hidden sidebar is replaced by a slim row of links to the other pages that keeps presentation mode, and the
share box's copy button shows without a mouse over it."""

from __future__ import annotations

import re

import pytest

from .helpers import assert_no_exception, screenshot, wait_for_app_idle
from .test_layout import SIZES, boxes, inside, overlap

pytestmark = pytest.mark.browser

CHART = '.st-key-ck_chart .js-plotly-plot .main-svg'
BAR = ".st-key-presentation_bar"
SIDEBAR = '[data-testid="stSidebar"]'
TITLE = '[data-testid="stMain"] h1'
# How far the page can be scrolled sideways (0: nothing is cut off at the right edge).
SIDEWAYS_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def open_sized(browser, url, width, height, ready: str):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=300_000)
    page.wait_for_selector(ready, timeout=120_000)
    page.wait_for_timeout(800)
    return context, page


def bar_links(page) -> list[str]:
    return [text.strip() for text in page.locator(f'{BAR} [data-testid="stPageLink"]').all_inner_texts()]


def assert_presentation_chrome(page, others: list[str]):
    """The sidebar is gone; the bar links to the other pages and sits above the title, apart from it."""
    assert page.locator(SIDEBAR).is_hidden()
    assert [re.sub(r"^\W+", "", link) for link in bar_links(page)] == others
    bar, title = boxes(page, [BAR, TITLE])
    assert bar["bottom"] <= title["top"] + 0.5 and not overlap(bar, title)


@pytest.mark.parametrize("width, height", SIZES)
def test_choose_k_chart_fits_one_screen_in_presentation_mode(app_server, browser, width, height):
    context, page = open_sized(browser, app_server + "/choose_k?present=1", width, height, CHART)
    try:
        assert_no_exception(page)
        assert_presentation_chrome(page, ["Explore", "How EM works"])
        chart, legend, title = boxes(page, [CHART, f"{CHART} .legend", TITLE])
        assert inside(chart, width, height) and inside(legend, width, height), (chart, legend)
        assert chart["top"] >= title["bottom"] - 0.5  # the chart comes right under the title, apart from it
        assert chart["bottom"] - chart["top"] > 0.45 * min(height, 1000)
        assert page.evaluate(SIDEWAYS_JS) <= 0
        screenshot(page, f"presentation-choose-k-{width}x{height}", full_page=False)
    finally:
        context.close()


@pytest.mark.parametrize("width, height", SIZES)
def test_how_em_works_takes_presentation_mode(app_server, browser, width, height):
    context, page = open_sized(browser, app_server + "/how_em_works?present=1", width, height, ".js-plotly-plot")
    try:
        assert_no_exception(page)
        assert_presentation_chrome(page, ["Explore", "Choose k"])
        back = page.get_by_role("link", name=re.compile("Back to the Explorer"))
        box = back.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # not cut off on a phone
        assert page.evaluate(SIDEWAYS_JS) <= 0
        screenshot(page, f"presentation-how-em-works-{width}x{height}", full_page=False)
    finally:
        context.close()


def test_the_bar_moves_between_pages_and_keeps_presentation_mode(app_server, browser):
    context, page = open_sized(browser, app_server + "/?present=1", 1280, 720, ".emp-data .main-svg")
    try:
        page.locator(BAR).get_by_role("link", name=re.compile("How EM works")).click()
        page.wait_for_url(re.compile(r"/how_em_works\?.*present=1"), timeout=60_000)
        wait_for_app_idle(page, timeout_ms=120_000)
        assert page.locator(TITLE).first.inner_text() == "How EM works"
        assert page.locator(SIDEBAR).is_hidden() and bar_links(page)
        page.locator(BAR).get_by_role("link", name=re.compile("Explore")).click()
        page.wait_for_selector(".emp-data .main-svg", timeout=120_000)
        assert "present=1" in page.url and page.locator(SIDEBAR).is_hidden()
        page.get_by_role("button", name="Exit presentation mode").click()
        page.locator(SIDEBAR).wait_for(state="visible", timeout=60_000)
        assert page.locator(BAR).count() == 0
    finally:
        context.close()


# Every ancestor of the copy button, up to its code box, is shown: no opacity 0, no hidden visibility.
COPY_BUTTON_JS = """() => {
  const button = document.querySelector('[data-testid="stPopoverBody"] [data-testid="stCode"] button[aria-label="Copy to clipboard"]');
  if (!button) return null;
  const chain = []; for (let n = button; n && n.getAttribute('data-testid') !== 'stCode'; n = n.parentElement) {
    const cs = getComputedStyle(n); chain.push({opacity: cs.opacity, visibility: cs.visibility}); }
  const r = button.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {chain, onTop: !!top && button.contains(top), width: r.width};
}"""


@pytest.mark.parametrize("width, height", [(1280, 720), (390, 844)])
def test_the_share_boxs_copy_button_shows_without_a_mouse_over_it(app_server, browser, width, height):
    context, page = open_sized(browser, app_server, width, height, ".emp-data .main-svg")
    try:
        page.get_by_role("button", name="🔗 Share").click()
        page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').wait_for(timeout=60_000)
        page.mouse.move(0, height - 1)  # the mouse away from the box
        page.wait_for_timeout(400)
        found = page.evaluate(COPY_BUTTON_JS)
        assert found and found["width"] > 10 and found["onTop"], found
        assert all(float(s["opacity"]) == 1 and s["visibility"] == "visible" for s in found["chain"]), found
        screenshot(page, f"share-copy-button-{width}x{height}", full_page=False)
    finally:
        context.close()
