"""A link straight to a page works on a freshly started server, before anyone has opened the home page."""

import pytest

from .helpers import assert_no_exception, wait_for_app_idle

pytestmark = pytest.mark.browser


def test_a_deep_link_is_the_first_request_a_new_server_sees(fresh_app_server, page):
    page.goto(fresh_app_server + "/how_em_works", wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=90_000)
    assert_no_exception(page)
    navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
    # app.py's menu, not Streamlit's file-name menu ("app", "explore", ...)
    assert "How EM works" in navigation and "Choose k" in navigation
    assert "app" not in navigation.split()
    assert page.locator("h1").first.inner_text().startswith("How EM works")
