"""Share links carry nothing of an uploaded file unless the upload is the source, in a real browser:
the share box of an upload says plainly what its link reveals (column names, starting means read from
the file) and offers the same view without them; after switching to bundled data neither the address
bar nor the share box holds anything of the file; the link without them opens cleanly elsewhere."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import VIEWPORT
from .helpers import assert_no_exception, screenshot, wait_for_app_idle
from .test_links import choose
from .test_uploads import CORPUS, FILE_INPUT, WARNING, FrameCounter, upload_file

pytestmark = pytest.mark.browser

PRIVATE = ("height_cm", "weight_kg")  # tests/data/semicolon.csv's numeric columns


def query_of(url: str) -> dict:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def share_box(page, shot: str | None = None) -> tuple[list[str], list[str]]:
    """Open the share popover: (its warnings, without their icon; its links); then close it."""
    page.get_by_role("button", name="🔗 Share").click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    popover.locator('[data-testid="stCode"] code').first.wait_for(state="visible", timeout=10_000)
    if shot:
        screenshot(page, shot, full_page=False)
    warnings = [" ".join(t.split()).removeprefix("🔒 ") for t in popover.locator(WARNING).all_inner_texts()]
    links = [t.strip() for t in popover.locator('[data-testid="stCode"] code').all_inner_texts()]
    page.keyboard.press("Escape")
    return warnings, links


def test_an_upload_link_says_what_it_reveals_and_nothing_of_it_outlives_the_upload(app_server, page, browser):
    page.frame_counter = FrameCounter(page)
    page.goto(f"{app_server}/?data=upload&init=manual", wait_until="domcontentloaded")
    wait_for_app_idle(page, timeout_ms=60_000)
    upload_file(page, CORPUS / "semicolon.csv")
    page.locator(".emp").first.wait_for(timeout=30_000)
    assert_no_exception(page)

    # The upload is the source: its address and its full link name the columns; the box says so.
    assert query_of(page.url)["cols"] == ",".join(PRIVATE)
    warnings, links = share_box(page, shot="share-privacy-upload")
    assert warnings == ["This link reveals the names of your file's columns 'height_cm' and 'weight_kg' and 2 "
                        "starting means read from your file's values: anyone who opens it can read them."]
    full, bare = links[:2]
    assert query_of(full)["cols"] == ",".join(PRIVATE) and "means" in query_of(full)
    assert query_of(bare) == {"data": "upload", "init": "manual"}

    # Bundled data: nothing of the file in the address bar or the share box any more.
    choose(page, "Data", "Old Faithful geyser (bundled)")
    page.locator(".emp").first.wait_for(timeout=30_000)
    address = query_of(page.url)
    assert address["data"] == "faithful" and "cols" not in address and "std" not in address
    assert not any(name in page.url for name in PRIVATE)
    warnings, links = share_box(page, shot="share-privacy-after-switch")
    assert warnings == [] and len(links) == 1
    assert not any(name in links[0] for name in PRIVATE) and "cols" not in query_of(links[0])
    upload_means = query_of(full)["means"]
    assert query_of(links[0]).get("means") != upload_means  # Old Faithful's own starting means

    # The link without the file's names opens cleanly in another browser: it asks for the file.
    context = browser.new_context(viewport=VIEWPORT)
    try:
        other = context.new_page()
        other.goto(bare, wait_until="domcontentloaded")
        wait_for_app_idle(other, timeout_ms=60_000)
        assert_no_exception(other)
        text = other.locator('[data-testid="stMain"]').inner_text()
        assert "Upload a CSV file in the sidebar" in text and "not understood" not in text
        other.locator(FILE_INPUT).wait_for(state="attached", timeout=30_000)  # the sidebar may draw after the main area
        assert other.locator(FILE_INPUT).count() == 1
    finally:
        context.close()
