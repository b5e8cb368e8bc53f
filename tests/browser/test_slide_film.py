"""The film for slides in a real browser: click, watch the progress bar, download a GIF and an MP4 that
decode with the fit's frames; the panel laid out at 1280x720, 1920x1080 and 390x844."""

import io

import av
import pytest
from PIL import Image

from .helpers import PLAYER_READY_JS, assert_no_exception, download, open_details, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

# Four iterations: the film has five frames (iteration 0 to 4) and renders in seconds.
QUERY = "/?iters=4&tol=0&init=random_points&seed=3"
PROGRESS = '[data-testid="stProgress"]'


def open_panel(browser, url, viewport):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=90_000)
    page.wait_for_function(PLAYER_READY_JS, timeout=60_000)
    open_details(page, "Downloads")  # the film panel is with the downloads
    return context, page


def option(page, label: str):
    """An option of a segmented control (the format, the size)."""
    return page.locator('[data-testid="stButtonGroup"]').get_by_text(label, exact=True)


def make_and_download(page, label: str) -> bytes:
    button = page.get_by_role("button", name=f"Make the {label}")
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_selector(PROGRESS, state="visible", timeout=30_000)  # the bar shows while it renders
    download_button = page.get_by_role("button", name=f"Download the {label}")
    download_button.wait_for(state="visible", timeout=180_000)
    assert page.locator(PROGRESS).count() == 0  # and goes when the film is ready
    return open(download(page, download_button).path(), "rb").read()


def test_a_lecturer_makes_a_gif_and_an_mp4(app_server, browser):
    context, page = open_panel(browser, app_server + QUERY, {"width": 1280, "height": 720})
    try:
        gif = Image.open(io.BytesIO(make_and_download(page, "GIF")))
        assert gif.format == "GIF" and gif.n_frames == 5 and gif.size == (960, 540)
        assert "5 frames" in page.get_by_text("the last frame is held").inner_text()
        screenshot(page, "slide-film-made-1280x720", full_page=False)
        option(page, "MP4 (H.264 video)").click()
        option(page, "1920 × 1080").click()
        wait_for_app_idle(page)
        mp4 = make_and_download(page, "MP4")
        with av.open(io.BytesIO(mp4)) as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name == "h264" and (stream.width, stream.height) == (1920, 1080)
            assert sum(1 for _ in container.decode(video=0)) == 5
        assert_no_exception(page)
        # Choosing the GIF again offers the film already made, without rendering it again.
        option(page, "GIF (loops by itself)").click()
        option(page, "960 × 540").click()
        page.get_by_role("button", name="Download the GIF").wait_for(state="visible", timeout=10_000)
        assert page.locator(PROGRESS).count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080},
                                      {"width": 390, "height": 844}], ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_film_panel_fits_the_screen(app_server, browser, viewport):
    context, page = open_panel(browser, app_server + QUERY, viewport)
    try:
        make = page.get_by_role("button", name="Make the GIF")
        make.scroll_into_view_if_needed()
        controls = [option(page, "GIF (loops by itself)"), option(page, "1920 × 1080"),
                    make]
        boxes = [control.bounding_box() for control in controls]
        for box in boxes:  # inside the page's width, and no control over another
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
                overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
                assert overlap_x <= 0 or overlap_y <= 0, (a, b)
        page.mouse.wheel(0, 200)
        screenshot(page, f"slide-film-panel-{viewport['width']}x{viewport['height']}", full_page=False)
    finally:
        context.close()
