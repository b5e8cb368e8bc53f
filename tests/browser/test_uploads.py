"""Every file of the upload corpus (tests/data/) through the real upload control in Chromium.

Good files must end in a fitted animation; bad ones in an error or warning box that says what is wrong
and what to do, after which the same session can still upload a good file and fit it. Never an
exception box, a traceback or a NaN on screen. (AppTest covers the same corpus in
tests/test_app_uploads.py, including the tables, which the browser draws on a canvas.)
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from .conftest import VIEWPORT
from .helpers import ARTIFACTS_DIR, assert_no_exception, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[1] / "data"
FILE_INPUT = '.st-key-upload_file input[type=file]'  # the CSV upload (the page also has a parameters-JSON one)
ERROR = '[data-testid="stAlertContentError"]'
WARNING = '[data-testid="stAlertContentWarning"]'
PLOT = ".emp"  # the EM player
MAIN = '[data-testid="stMain"]'
NAN_ON_SCREEN = re.compile(r"(?<![\w.])(NaN|nan)(?!\w)")

PLOT_HAS_FRAMES_JS = """() => { const e = document.querySelector('.emp');
  return !!(e && e.__emPlayer && e.__emPlayer.shown && e.__emPlayer.frameCount() > 1); }"""

# name -> (rows used, rows read, words on the page, words of a warning or None)
GOOD = {
    "semicolon.csv": (40, 40, ["semicolon-separated", "height_cm, weight_kg"], None),
    "tab.tsv": (30, 30, ["tab-separated", "temperature_c, humidity_pct"], None),
    "latin1_accents.csv": (24, 24, ["latin-1", "durée, température"], None),
    "iris_like.csv": (150, 150, ["sepal_length, sepal_width"], None),
    "one_column.csv": (60, 60, ["rows of reaction_time_ms"], None),
    "messy_rows.csv": (21, 30, ["Dropped 9 rows", "3 not a number, 2 infinite, 4 missing"], None),
    "big_100k.csv": (100_000, 100_000, ["Showing a fixed random 3,000 of the 100,000 points"], None),
    "huge_values.csv": (20, 20, ["(standardised)"], None),  # only with std=1
    "few_distinct.csv": (30, 30, [], "are spurious"),  # k <= 3
    "constant_column.csv": (40, 40, [], "same value in 'y' = 3"),
    "identical_points.csv": (50, 50, [], "All 50 points are identical"),  # only with k=1
}
# name -> (query, words of the error box, words of a warning or None, the good file uploaded next)
BAD = {
    "empty.csv": ({}, ["This file is empty", "upload a CSV with a header row"], None, "semicolon.csv"),
    "header_only.csv": ({}, ["no data rows", "add at least two rows"], None, "tab.tsv"),
    "one_row.csv": ({}, ["only one data row", "add more rows"], None, "latin1_accents.csv"),
    "all_text.csv": ({}, ["No column of numbers", "upload a CSV with at least one numeric column"], None,
                     "iris_like.csv"),
    "binary_garbage.csv": ({}, ["does not look like a text CSV", "export your data"], None, "one_column.csv"),
    "ragged.csv": ({}, ["Line 5", "remove the extra values"], None, "messy_rows.csv"),
    "huge_values.csv": ({}, ["too large", "turn on standardisation"], None, "big_100k.csv"),
    "identical_points.csv": ({}, ["only 1 distinct point", "at most 1"], "All 50 points are identical",
                             "few_distinct.csv"),
    "few_distinct.csv": ({"k": "5"}, ["only 3 distinct points", "at most 3"], None, "constant_column.csv"),
}
# Good files that need settings of their own (a fresh session opened with this query).
GOOD_ALONE = {"huge_values.csv": {"std": "1"}, "identical_points.csv": {"k": "1"}}
assert set(GOOD) == {then for *_, then in BAD.values()} | set(GOOD_ALONE)
assert set(GOOD) | set(BAD) == {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".tsv")}


@pytest.fixture(scope="module")
def upload_context(browser):
    """One browser context for the module: its pages share the HTTP cache (the app's JS loads once) but
    each page is its own websocket, hence its own Streamlit session."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


class FrameCounter:
    """Counts websocket messages from the server: every script run sends some, so a wait that starts
    after an action cannot end on the idle state left by the previous run. (The page's
    data-test-script-state may never show "running" for a run that finishes within one render.)"""

    def __init__(self, page):
        self.received = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._count))

    def _count(self, _payload) -> None:
        self.received += 1


@pytest.fixture
def page(upload_context, request):
    """A new page (new Streamlit session) per test; on failure a screenshot goes to test-artifacts/."""
    pg = upload_context.new_page()
    pg.frame_counter = FrameCounter(pg)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        stem = "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        try:
            pg.screenshot(path=str(ARTIFACTS_DIR / f"{stem}.png"), full_page=True)
        except Exception:
            pass
    pg.close()


def open_upload_page(page, base_url: str, query: dict) -> None:
    params = "&".join(f"{key}={value}" for key, value in {"data": "upload", **query}.items())
    page.goto(f"{base_url}/?{params}", wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=60_000)
    page.locator(FILE_INPUT).wait_for(state="attached", timeout=30_000)


def upload_file(page, path: Path, timeout_ms: int = 90_000) -> None:
    """Choose `path` in the upload control and wait for the script run it triggers to finish.

    `page` must carry a FrameCounter (`page.frame_counter`, set by this module's page fixture)."""
    before = page.frame_counter.received
    page.locator(FILE_INPUT).set_input_files(str(path))
    deadline = time.monotonic() + timeout_ms / 1000
    while page.frame_counter.received == before:
        assert time.monotonic() < deadline, f"no script run after uploading {path.name}"
        page.wait_for_timeout(50)
    wait_for_app_idle(page, timeout_ms=timeout_ms)


def wait_for_animation(page) -> None:
    page.locator(PLOT).first.wait_for(state="visible", timeout=30_000)
    page.wait_for_function(PLOT_HAS_FRAMES_JS, timeout=30_000)


def assert_nothing_broken(page) -> None:
    """No exception box, no traceback, no NaN anywhere in the visible text (plot labels included)."""
    assert_no_exception(page)
    text = page.locator("body").inner_text()
    match = NAN_ON_SCREEN.search(text)
    assert match is None, f"NaN on screen: ...{text[max(0, match.start() - 200): match.end() + 200]}..."


def alerts(page, selector: str) -> list[str]:
    return [" ".join(t.split()) for t in page.locator(selector).all_inner_texts()]


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def assert_fitted(page, name: str, k: int) -> None:
    """The page shows the animation of `name` with k components, its summary and nothing else wrong."""
    used, read, words, warning = GOOD[name]
    wait_for_animation(page)
    assert_nothing_broken(page)
    assert alerts(page, ERROR) == []
    main = " ".join(page.locator(MAIN).inner_text().split())
    assert f"Uploaded data: Using {used:,} of {read:,} rows" in main
    assert f"{name}: {used:,} rows of" in main  # the caption over the figure
    for word in words:
        assert word in main, word
    warnings = alerts(page, WARNING)
    if warning is None:
        assert not any("spread" in w or "identical" in w for w in warnings), warnings
    else:
        assert any(warning in w for w in warnings), warnings
    legend = page.locator(f"{PLOT} .emp-legend").first.text_content()
    assert [f"component {i}" in legend for i in range(1, k + 2)] == [True] * k + [False]
    assert metric(page, "Free parameters").isdigit()


def assert_message(page, error_words: list[str], warning: str | None) -> None:
    # The upload's rerun can start after the idle check settled (two test workers share the cores): wait for it.
    page.locator(ERROR).first.wait_for(state="visible", timeout=30_000)
    wait_for_app_idle(page)
    assert_nothing_broken(page)
    errors = alerts(page, ERROR)
    assert len(errors) == 1, errors
    for word in error_words:
        assert word in errors[0], (word, errors[0])
    if warning is not None:
        assert any(warning in w for w in alerts(page, WARNING))
    assert page.locator(PLOT).count() == 0, "no animation next to an error"


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_shows_a_message_then_a_good_file_fits(app_server, page, name):
    query, error_words, warning, then = BAD[name]
    open_upload_page(page, app_server, query)
    upload_file(page, CORPUS / name)
    assert_message(page, error_words, warning)
    screenshot(page, f"upload-bad-{name}")
    # The same session goes on: the next (good) file replaces the bad one and ends in the animation.
    upload_file(page, CORPUS / then)
    assert_fitted(page, then, k=int(query.get("k", 2)))
    screenshot(page, f"upload-good-{then}")


@pytest.mark.parametrize("name", sorted(GOOD_ALONE))
def test_a_good_file_with_its_own_settings_fits(app_server, page, name):
    query = GOOD_ALONE[name]
    open_upload_page(page, app_server, query)
    upload_file(page, CORPUS / name)
    assert_fitted(page, name, k=int(query.get("k", 2)))
    screenshot(page, f"upload-good-{name}-{'-'.join(query)}")


def test_a_bad_file_after_a_fit_replaces_the_animation_with_its_message(app_server, page):
    open_upload_page(page, app_server, {})
    upload_file(page, CORPUS / "one_column.csv")
    assert_fitted(page, "one_column.csv", k=2)
    upload_file(page, CORPUS / "binary_garbage.csv")
    assert_message(page, BAD["binary_garbage.csv"][1], None)
    assert "one_column.csv" not in page.locator(MAIN).inner_text()


def test_the_upload_help_states_the_size_limit(app_server, page):
    open_upload_page(page, app_server, {})
    uploader = page.locator('.st-key-upload_file [data-testid="stFileUploader"]')  # the CSV upload
    # Streamlit's own dropzone text states the server's maxUploadSize ...
    assert "50MB per file" in uploader.inner_text()
    # ... and so does the control's help tooltip.
    uploader.locator('[data-testid="stTooltipHoverTarget"], [data-testid="stTooltipIcon"]').first.hover()
    tooltip = page.locator('[data-testid="stTooltipContent"]').first
    tooltip.wait_for(state="visible", timeout=10_000)
    assert "at most 50 MB" in tooltip.inner_text()


def test_a_20_mb_single_line_file_gets_a_message_in_the_main_area_then_a_good_file_fits(app_server, page, tmp_path):
    from hostile_files import twenty_mb_single_line

    wide = tmp_path / "wide.csv"
    wide.write_bytes(twenty_mb_single_line())
    open_upload_page(page, app_server, {})
    upload_file(page, wide)
    # 20 MB take a while to reach the server: wait for the upload's own run, not the one before it.
    page.locator(f"{MAIN} {ERROR}").first.wait_for(timeout=90_000)
    wait_for_app_idle(page)
    assert_message(page, ["wide.csv", "more than 1,000 values", "keep only the columns you need"], None)
    main_errors = [" ".join(t.split()) for t in page.locator(f"{MAIN} {ERROR}").all_inner_texts()]
    assert len(main_errors) == 1, "the message belongs in the main area, where the figure would be"
    screenshot(page, "upload-bad-20mb-single-line")
    upload_file(page, CORPUS / "tab.tsv")
    assert_fitted(page, "tab.tsv", k=2)
