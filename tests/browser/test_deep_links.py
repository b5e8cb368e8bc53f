"""A link straight to a page works on a freshly started server, before anyone has opened the home page."""

import pytest

from .helpers import assert_no_exception, screenshot, wait_for_app_idle

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


@pytest.mark.parametrize("path", ["/choose_k/extra?k=3", "/pages/explore.py"])
def test_a_link_with_nested_paths_shows_page_not_found_over_the_main_page(fresh_app_server, page, path):
    """Streamlit would answer these with its page, whose scripts resolve under a folder that does not
    exist: a blank white page. ui.deep_links sends them to the same path as one segment."""
    loaded = []
    page.on("response", lambda response: loaded.append(response))
    page.goto(fresh_app_server + path, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=90_000)
    assert_no_exception(page)
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    assert "Page not found" in dialog.inner_text()
    assert page.locator("h1").first.inner_text().startswith("Watch EM fit")  # the main page runs beneath
    scripts = [r for r in loaded if r.url.endswith(".js")]
    assert scripts and all("javascript" in (r.headers.get("content-type") or "") for r in scripts)
    if "?" in path:
        assert page.url.endswith("?" + path.split("?", 1)[1])  # the link's settings survive the redirect
    screenshot(page, f"deep-link-{path.strip('/').split('?')[0].replace('/', '-')}")
