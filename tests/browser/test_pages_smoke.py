"""Smoke tests of the Choose k and How EM works pages in a real browser.

Each test opens the app at its root first, as a student would, then goes to the page. (Streamlit
runs a `pages/` script on its own until some session has run app.py's st.navigation; starting from
the root keeps these tests independent of which test the server saw first.)
"""

import re
import time

import pytest

from .helpers import assert_no_exception, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

SWEEP_TIMEOUT_MS = 180_000  # a cold sweep of 32 models on a loaded 2-core machine


def open_from_navigation(page, app_server, title: str) -> float:
    page.goto(app_server, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=60_000)
    t0 = time.monotonic()
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    wait_for_app_idle(page, timeout_ms=SWEEP_TIMEOUT_MS)
    return time.monotonic() - t0


def test_choose_k_page_sweeps_and_recommends(app_server, page):
    seconds = open_from_navigation(page, app_server, "Choose k")
    print(f"\n[choose k] sweep on the default data done {seconds:.2f}s after clicking the link")
    assert page.url.split("?")[0].rstrip("/").endswith("/choose_k")
    assert "Choose k" in page.locator("h1").first.inner_text()
    # Streamlit loads its Plotly chunk on the first chart it draws: wait for it rather than for the run alone.
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    assert page.get_by_text(re.compile(r"^Recommended: k = \d+ with")).count() == 1
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    assert_no_exception(page)
    screenshot(page, "pages-choose-k")


def test_old_faithful_link_opens_the_recommended_model_in_the_explorer(app_server, page):
    page.goto(app_server, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=60_000)
    page.goto(f"{app_server}/choose_k?data=faithful", wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=SWEEP_TIMEOUT_MS)
    page.get_by_text("Recommended: k = 3 with tied covariances").wait_for(timeout=10_000)
    assert_no_exception(page)
    screenshot(page, "pages-choose-k-faithful")
    page.get_by_role("button", name="Open in the Explorer").click()
    page.wait_for_url(re.compile(r"k=3&cov=tied"), timeout=60_000)
    wait_for_app_idle(page, timeout_ms=SWEEP_TIMEOUT_MS)
    assert "Watch EM fit" in page.locator("h1").first.inner_text()
    assert "data=faithful" in page.url
    assert_no_exception(page)


def test_how_em_works_page_steps_e_then_m(app_server, page):
    open_from_navigation(page, app_server, "How EM works")
    assert page.url.split("?")[0].rstrip("/").endswith("/how_em_works")
    assert "How EM works" in page.locator("h1").first.inner_text()
    assert page.locator(".katex").count() >= 6  # the equations are typeset
    page.get_by_role("button", name="E-step").click()
    wait_for_app_idle(page, timeout_ms=60_000)
    page.get_by_text("E-step done").wait_for(timeout=10_000)
    page.get_by_role("button", name="M-step").click()
    wait_for_app_idle(page, timeout_ms=60_000)
    page.get_by_text("M-step done").wait_for(timeout=10_000)
    # The panels: worked example, the bound along μ₁ and per half-step, soft vs hard, σ² → 0, the three
    # methods, the basin map, local optima.
    for key in ("how_step_figure", "how_bound_slice", "how_bound_close_up", "how_bound_half_steps", "how_soft_hard",
                "how_kmeans_sigma", "how_three_ways_soft", "how_three_ways_hard", "how_three_ways_kmeans", "how_basins",
                "how_optima"):
        # Streamlit loads its Plotly chunk on the first chart it draws: wait for each chart to be drawn.
        page.locator(f".st-key-{key} .js-plotly-plot").first.wait_for(state="attached", timeout=60_000)
        assert page.locator(f".st-key-{key} .js-plotly-plot").count() == 1, key
    for heading in ("Why EM climbs: the bound that touches", "From EM to k-means", "Where you start decides where you end"):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    page.get_by_text("The M-step moved μ₁").wait_for(timeout=10_000)
    assert_no_exception(page)
    screenshot(page, "pages-how-em-works")
