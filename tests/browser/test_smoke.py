"""Smoke test: the Streamlit app loads in a real browser without errors."""

import time

import pytest

from .helpers import assert_no_exception, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser


def test_app_loads_and_shows_title(app_server, page):
    t0 = time.monotonic()
    page.goto(app_server, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=60_000)
    print(f"\n[smoke] app idle {time.monotonic() - t0:.2f}s after navigation")
    screenshot(page, "smoke-home")

    title = page.title()
    headings = page.locator("h1").all_inner_texts()
    assert "EM Explorer" in title or any("EM Explorer" in h for h in headings), (
        f"'EM Explorer' not in page title {title!r} or any h1 {headings!r}"
    )
    assert_no_exception(page)
