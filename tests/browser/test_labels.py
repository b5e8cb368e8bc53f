"""An upload with four measurements and a label column, in a real browser: the user adds the features in the
column picker and picks the label column; the adjusted Rand index shows; switching the viewed pair redraws the
same fit without refitting (the fit's spinner is watched, as in test_views.py)."""

from __future__ import annotations

import numpy as np
import pytest

from .helpers import assert_no_exception, open_details, screenshot, wait_for_app_idle
from .test_player import PLAYER
from .test_uploads import FrameCounter, alerts, assert_nothing_broken, open_upload_page, upload_file, wait_for_animation
from .test_views import VIEW_JS, WATCH_FIT_SPINNER_JS, pick, wait_for_rerun

pytestmark = pytest.mark.browser

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
# 400 certain iterations on 40,000 rows: a fit of seconds on any machine, so its spinner shows (the control).
SLOW_FIT = {"k": "3", "iters": "400", "tol": "0", "cols": "sepal_length,sepal_width"}


def write_labelled_file(path) -> None:
    """40,000 flowers of three species in four measurements, with the species as text in the last column."""
    rng = np.random.default_rng(12)
    centres = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
    species = rng.integers(0, 3, size=40_000)
    X = centres[species] + rng.normal(scale=[0.35, 0.3, 0.3, 0.15], size=(40_000, 4))
    names = np.array(["setosa", "versicolor", "virginica"])[species]
    lines = [",".join(FEATURES + ["species"])] + [
        ",".join(f"{v:.2f}" for v in row) + f",{name}" for row, name in zip(X, names)]
    path.write_text("\n".join(lines) + "\n")


def add_feature(page, name: str) -> None:
    """Add `name` in the sidebar's column picker and wait for the rerun."""
    before = page.frame_counter.received
    picker = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_text("Columns to fit", exact=False))
    picker.locator("input").click()
    page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_rerun(page, before)


def chosen_columns(page) -> list[str]:
    """The column names shown as chosen in the picker, in the order shown."""
    picker = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_text("Columns to fit", exact=False))
    text = picker.inner_text()
    return sorted((name for name in FEATURES if name in text), key=text.index)


def test_an_upload_with_a_label_column_fits_four_features_shows_the_ari_and_switches_pairs_without_refitting(
        app_server, browser, tmp_path):
    path = tmp_path / "flowers.csv"
    write_labelled_file(path)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(WATCH_FIT_SPINNER_JS)
    page = context.new_page()
    page.frame_counter = FrameCounter(page)
    try:
        open_upload_page(page, app_server, SLOW_FIT)
        upload_file(page, path)
        wait_for_animation(page)
        open_details(page, "Compared with the truth")  # where the ARI will show; the tab stays open
        assert page.evaluate(VIEW_JS)["d"] == 2
        page.evaluate("window.__fitSpinnerSeen = false")
        for name in FEATURES[2:]:
            add_feature(page, name)
        assert chosen_columns(page) == FEATURES
        assert page.evaluate("window.__fitSpinnerSeen") is True  # the control: new columns are a new fit, and it shows
        page.evaluate("window.__fitSpinnerSeen = false")
        pick(page, "Label column (optional)", "species")
        wait_for_animation(page)
        assert_nothing_broken(page)
        first = page.evaluate(VIEW_JS)
        assert first["d"] == 4 and first["features"] == FEATURES
        # The label is not a feature: choosing it leaves the fit as it was (the same four columns, cached).
        assert page.evaluate("window.__fitSpinnerSeen") is False, "choosing the label column refitted"
        ari = page.locator('[data-testid="stMetric"]').filter(has_text="Adjusted Rand index")
        ari.scroll_into_view_if_needed()
        value = float(ari.locator('[data-testid="stMetricValue"]').inner_text())
        assert 0.5 < value <= 1.0, value
        assert "Which points each component took" in page.locator("body").inner_text()
        screenshot(page, "labels-4d-ari-1280x720", full_page=True)

        means_before = page.evaluate(f"Array.from({PLAYER}.model.M)")
        page.evaluate("window.__fitSpinnerSeen = false")
        other = next(j for j in range(4) if j not in first["pair"])
        pick(page, "y axis", FEATURES[other])
        switched = page.evaluate(VIEW_JS)
        assert switched["pair"] == [first["pair"][0], other]
        assert page.evaluate(f"Array.from({PLAYER}.model.M)") == means_before  # the same fit's parameters
        assert page.evaluate("window.__fitSpinnerSeen") is False, "switching the pair refitted"
        assert page.locator('[data-testid="stMetric"]').filter(has_text="Adjusted Rand index").count() == 1
        assert_no_exception(page)
        assert not alerts(page, '[data-testid="stAlertContentError"]')
        for width, height in ((1280, 720), (1920, 1080), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(800)
            wait_for_app_idle(page)
            screenshot(page, f"labels-4d-switched-pair-{width}x{height}", full_page=False)
    finally:
        context.close()


def test_a_constant_column_is_dropped_with_one_click_and_the_warning_fits_a_phone(app_server, browser, tmp_path):
    rng = np.random.default_rng(5)
    rows = [f"{a:.3f},4.5,{b:.3f},{c:.3f},{'ab'[i % 2]}" for i, (a, b, c) in enumerate(rng.normal(size=(300, 3)))]
    path = tmp_path / "flat.csv"
    path.write_text("a,flat,b,c,group\n" + "\n".join(rows) + "\n")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.frame_counter = FrameCounter(page)
    try:
        open_upload_page(page, app_server, {"label": "group"})
        upload_file(page, path)
        wait_for_animation(page)
        open_details(page, "Compared with the truth")
        warning = [w for w in alerts(page, '[data-testid="stAlertContentWarning"]') if "same value in 'flat'" in w]
        assert len(warning) == 1, alerts(page, '[data-testid="stAlertContentWarning"]')
        button = page.get_by_role("button", name="Fit the other columns")
        button.scroll_into_view_if_needed()
        screenshot(page, "labels-constant-column-390x844", full_page=False)
        before = page.frame_counter.received
        button.click()
        wait_for_rerun(page, before)
        wait_for_animation(page)
        assert_nothing_broken(page)
        assert page.evaluate(VIEW_JS)["features"] == ["a", "b", "c"]
        assert not [w for w in alerts(page, '[data-testid="stAlertContentWarning"]') if "same value" in w]
        assert page.locator('[data-testid="stMetric"]').filter(has_text="Adjusted Rand index").count() == 1
    finally:
        context.close()
