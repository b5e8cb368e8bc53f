"""Importing a parameters JSON in Chromium: the sidebar's expander, its upload control and mode, the imported
mixture drawn as the fit (one frame, no EM), a bad file's sentence; screenshots at three window sizes.
(AppTest covers the numbers in tests/test_app_imported_model.py.)"""

from __future__ import annotations

import pytest

import gmm_core
from explorer import exports
from explorer.dataset import faithful_dataset
from explorer.settings import DEFAULTS

from .helpers import assert_no_exception, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

FRAMES_JS = """() => { const e = document.querySelector('.emp');
  return e && e.__emPlayer && e.__emPlayer.shown ? e.__emPlayer.frameCount() : null; }"""
SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080), "390x844": (390, 844)}


def open_panel(page, app_server):
    page.goto(f"{app_server}/?data=faithful")
    wait_for_app_idle(page, timeout_ms=120_000)
    details = page.locator('[data-testid="stSidebar"] details').filter(has_text="Import a fitted model")
    details.locator("summary").dispatch_event("click")  # the player below animates: no 'stable' wait
    page.wait_for_function("() => !!document.querySelector('[data-testid=stSidebar] details[open] input[type=file]')",
                           timeout=60_000)
    return details


def upload(page, panel, name: str, raw: bytes):
    panel.locator('input[type=file]').set_input_files({"name": name, "mimeType": "application/json", "buffer": raw})
    wait_for_app_idle(page, timeout_ms=120_000)


def test_an_imported_model_is_drawn_as_the_fit_at_every_size(page, app_server, tmp_path):
    result = gmm_core.fit(faithful_dataset().X, 3, "tied", seed=4)
    raw = exports.parameters_json(result, DEFAULTS, faithful_dataset().feature_names).encode()
    panel = open_panel(page, app_server)
    upload(page, panel, "cluster_fit.json", raw)
    panel.get_by_text("show it as the fitted model (no EM)").click()
    wait_for_app_idle(page, timeout_ms=120_000)
    page.wait_for_function(f"() => ({FRAMES_JS})() === 1", timeout=60_000)  # the model itself: one frame
    body = page.locator("body").inner_text()
    assert "EM did not run" in body and "3 tied components in 2 features" in body
    assert_no_exception(page)
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)
        screenshot(page, f"imported_model_view_{label}", full_page=False)


def test_a_bad_file_is_a_sentence_and_the_page_still_fits(page, app_server):
    panel = open_panel(page, app_server)
    upload(page, panel, "notes.json", b"{weights: [0.5, 0.5]}")
    error = page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]').filter(has_text="not valid JSON")
    error.wait_for(timeout=60_000)
    assert "choose the parameters JSON the app exports" in error.inner_text().replace("\u2060", "")
    page.wait_for_function(f"() => ({FRAMES_JS})() > 1", timeout=60_000)  # the page's own fit, animated
    assert_no_exception(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    screenshot(page, "imported_model_bad_file_390x844", full_page=False)
