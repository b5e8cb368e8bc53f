"""How EM works in a real browser: a click on the basin map opens that start in the Explorer; equations fit a phone;
auto-step runs on its timer and stops at convergence.

(The page's panels and stepping are checked in test_pages_smoke.py.)
"""

import re
import time

import pytest

from .helpers import assert_no_exception, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 120_000  # the first visit computes the 3,600-start map on a loaded 2-core machine


def open_how_em_works(page, app_server) -> None:
    page.goto(app_server, wait_until="domcontentloaded")  # through app.py's navigation first, as a student would
    wait_for_app_idle(page, timeout_ms=60_000)
    page.goto(f"{app_server}/how_em_works", wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=PAGE_TIMEOUT_MS)


def click_at(page, chart, x: float, y: float) -> None:
    """Click the plot where the data coordinates (x, y) are drawn."""
    chart.scroll_into_view_if_needed()
    point = chart.evaluate(
        """(gd, xy) => { const L = gd._fullLayout, box = gd.getBoundingClientRect();
             return [box.left + L.xaxis._offset + L.xaxis.l2p(xy[0]), box.top + L.yaxis._offset + L.yaxis.l2p(xy[1])]; }""",
        [x, y],
    )
    page.mouse.click(*point)


def test_a_click_on_the_basin_map_opens_that_start_in_the_explorer(app_server, page):
    open_how_em_works(page, app_server)
    chart = page.locator(".st-key-how_basins .js-plotly-plot")
    grid = chart.evaluate("gd => Array.from(gd._fullData.find(t => t.type === 'heatmap').x)")
    mu1, mu2 = grid[1], grid[len(grid) // 2]  # a cell at the left edge, in the middle
    click_at(page, chart, mu1, mu2)
    wait_for_app_idle(page)
    clicked = page.get_by_text(re.compile(r"^The start you clicked"))
    clicked.wait_for(timeout=10_000)
    assert f"μ₁ = {mu1:.3f}, μ₂ = {mu2:.3f}" in page.locator("p", has=clicked).inner_text()
    assert chart.evaluate("gd => gd.data.some(t => t.name === 'EM from the start you clicked')")
    assert_no_exception(page)
    screenshot(page, "how-em-works-basin-click")

    page.get_by_role("button", name="Open this start in the Explorer").click()
    page.wait_for_url(re.compile(r"init=manual"), timeout=60_000)
    wait_for_app_idle(page, timeout_ms=PAGE_TIMEOUT_MS)
    assert "data=overlap" in page.url and re.search(r"means=[-0-9.]+%3B[-0-9.]+", page.url)
    assert "Watch EM fit" in page.locator("h1").first.inner_text()
    assert_no_exception(page)


def test_equations_fit_a_phone_screen(app_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        open_how_em_works(page, app_server)
        displays = page.locator(".katex-display")
        assert displays.count() >= 7
        page_width = page.evaluate("document.documentElement.clientWidth")
        widths = displays.evaluate_all(
            "nodes => nodes.map(n => [n.getBoundingClientRect().right, n.scrollWidth, n.clientWidth])")
        assert all(right <= page_width + 1 for right, _, _ in widths), widths  # no equation runs off the screen
        # ... and none hides part of itself in a sideways scroll (a few pixels of KaTeX's spacing aside).
        assert max(scroll - client for _, scroll, client in widths) <= 4, widths
        assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= page_width + 1
        screenshot(page, "how-em-works-phone", full_page=False)
    finally:
        context.close()


def test_auto_step_steps_by_itself_and_stops_at_convergence(app_server, page):
    open_how_em_works(page, app_server)
    page.get_by_text("2-D: two tight clusters").click()
    wait_for_app_idle(page)
    seed = page.get_by_role("spinbutton", name="Start seed")
    seed.fill("14")  # converges in 5 iterations
    seed.press("Enter")
    wait_for_app_idle(page)
    page.locator(".st-key-how_speed").get_by_text("fast", exact=True).click()
    wait_for_app_idle(page)
    page.locator(".st-key-how_auto").get_by_text("Auto-step", exact=True).click()
    status = page.get_by_text(re.compile(r"^(Start \(iteration|Iteration \d+, |Converged after)")).first
    seen = set()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not status.inner_text().startswith("Converged"):
        seen.add(status.inner_text().split(":")[0])
        time.sleep(0.2)
    assert status.inner_text().startswith("Converged after 5 iterations")
    assert len({state for state in seen if state.startswith("Iteration")}) >= 4  # one half-step at a time, seen
    wait_for_app_idle(page)
    assert not page.locator(".st-key-how_auto input").is_checked()  # it switched itself off
    assert page.get_by_role("button", name="E-step").is_disabled()
    assert_no_exception(page)
