"""Links in a real browser: settings changed with the widgets survive a share link opened in a new
browser context (same widgets, identical figure); a garbled link falls back to the defaults with a
notice per bad value (listed in one box), no exception, and no HTML from the link ever rendered or run."""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

import pytest

from .conftest import VIEWPORT
from .helpers import assert_no_exception, player_fingerprint, screenshot, wait_for_app_idle
from .test_explore import open_explorer
from .test_uploads import NAN_ON_SCREEN, PLOT_HAS_FRAMES_JS, WARNING, FrameCounter, assert_nothing_broken, metric

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'


def wait_for_rerun(page, before: int, timeout_ms: int = 60_000) -> None:
    """Wait until the server has answered (websocket messages after `before`) and the run is over."""
    deadline = time.monotonic() + timeout_ms / 1000
    while page.frame_counter.received == before:
        assert time.monotonic() < deadline, "the widget change did not start a script run"
        page.wait_for_timeout(50)
    wait_for_app_idle(page, timeout_ms=timeout_ms)


def widget(page, testid: str, label: str):
    return page.locator(SIDEBAR).locator(f'[data-testid="{testid}"]').filter(
        has=page.get_by_text(label, exact=True))


def choose(page, label: str, option: str) -> None:
    before = page.frame_counter.received
    combo = widget(page, "stSelectbox", label).get_by_role("combobox")
    combo.scroll_into_view_if_needed()
    combo.click()
    if not page.get_by_role("option").count():  # a click can land while the list is closing
        combo.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_rerun(page, before)


def slide(page, label: str, steps: int) -> None:
    before = page.frame_counter.received
    thumb = widget(page, "stSlider", label).get_by_role("slider")
    thumb.focus()
    for _ in range(steps):
        thumb.press("ArrowRight")
    wait_for_rerun(page, before)


def type_number(page, label: str, value: int) -> None:
    before = page.frame_counter.received
    field = widget(page, "stNumberInput", label).locator("input")
    field.fill(str(value))
    field.press("Enter")
    wait_for_rerun(page, before)


def click_label(page, text: str) -> None:
    before = page.frame_counter.received
    page.locator(SIDEBAR).get_by_text(text, exact=True).click()
    wait_for_rerun(page, before)


def shown_settings(page) -> dict:
    """What the sidebar widgets show."""
    return {
        "data": widget(page, "stSelectbox", "Data").get_by_role("combobox").input_value(),
        "data seed": widget(page, "stNumberInput", "Data seed").locator("input").input_value(),
        "k": widget(page, "stSlider", "Components k").locator('[data-testid="stSliderThumbValue"]').inner_text(),
        "covariance": widget(page, "stSelectbox", "Covariance type").get_by_role("combobox").input_value(),
        "hard EM": page.locator(SIDEBAR).get_by_label("hard EM (each point to one cluster)").is_checked(),
        "step mode": page.locator(SIDEBAR).get_by_label("Step mode: E-step and M-step as separate frames").is_checked(),
    }


def share_link(page) -> str:
    page.get_by_role("button", name="🔗 Share").click()
    code = page.locator('[data-testid="stCode"] code').first
    code.wait_for(state="visible", timeout=10_000)
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    return link


def test_settings_changed_with_the_widgets_survive_a_share_link_in_a_new_context(app_server, page, browser):
    page.frame_counter = FrameCounter(page)
    open_explorer(page, app_server)
    default_figure = player_fingerprint(page)

    choose(page, "Data", "Random blobs")
    type_number(page, "Data seed", 42)
    slide(page, "Components k", 2)  # 2 -> 4
    choose(page, "Covariance type", "diag: axis-aligned ellipses")
    click_label(page, "hard EM (each point to one cluster)")
    click_label(page, "Step mode: E-step and M-step as separate frames")
    page.wait_for_function(PLOT_HAS_FRAMES_JS, timeout=30_000)
    assert_nothing_broken(page)
    settings = shown_settings(page)
    assert settings == {"data": "Random blobs", "data seed": "42", "k": "4",
                        "covariance": "diag: axis-aligned ellipses", "hard EM": True, "step mode": True}
    figure = player_fingerprint(page)
    assert figure != default_figure
    free_parameters = metric(page, "Free parameters")

    link = share_link(page)
    for part in ("data=blobs", "dseed=42", "k=4", "cov=diag", "algo=hard", "steps=1"):
        assert part in link, (part, link)

    other_context = browser.new_context(viewport=VIEWPORT)
    try:
        other = other_context.new_page()
        open_explorer(other, link)
        assert_nothing_broken(other)
        assert other.locator(WARNING).filter(has_text="not understood").count() == 0
        assert shown_settings(other) == settings
        assert player_fingerprint(other) == figure
        assert metric(other, "Free parameters") == free_parameters
        assert share_link(other) == link  # the round trip is stable
        screenshot(other, "links-shared-view")
    finally:
        other_context.close()


GARBLED = {
    "k": "<img src=x onerror=\"window.__pwned='k'\">",  # HTML, and not a number
    "cov": "<b>banana</b>",  # unknown name, with markup
    "data": "<script>window.__pwned='data'</script>",
    "init": "**bold** [link](javascript:window.__pwned='init')",  # markdown
    "algo": "medium",  # unknown name
    "tol": "abc",  # not a number
    "iters": "99999",  # out of range
    "seed": "-5",  # out of range
    "restarts": "1e3",  # not a whole number
    "means": "1,2;nan",  # NaN
    "steps": "yes",  # not 0/1
}
IGNORED = {"foo": "<img src=x onerror=\"window.__pwned='foo'\">"}  # unknown key: ignored silently


def test_a_garbled_link_shows_the_defaults_with_notices_and_never_renders_html(app_server, page, browser):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_explorer(page, app_server + "/?" + urlencode({**GARBLED, **IGNORED}))
    assert_no_exception(page)

    boxes = [" ".join(t.split()) for t in page.locator(WARNING).filter(has_text="not understood").all_inner_texts()]
    assert len(boxes) == 1, boxes  # one box listing every rejected value
    notices = ["The link's value " + part.strip() for part in boxes[0].split("The link's value ")[1:]]
    # No NaN on screen apart from the notice that quotes the link's own 'nan' back.
    rest = " ".join(page.locator("body").inner_text().split()).replace(boxes[0], "")
    assert not NAN_ON_SCREEN.search(rest), rest
    assert len(notices) == len(GARBLED), notices
    for key in GARBLED:
        assert any(f"for '{key}' was not understood" in n for n in notices), key
    assert all("using the default" in n for n in notices)
    echoed = [re.search(r"The link's value '(.*?)' for", n).group(1) for n in notices]
    assert all(re.fullmatch(r"[A-Za-z0-9.+\-?…]*", value) for value in echoed), echoed  # never raw markup

    # Nothing from the link became markup, ran, or opened a dialog.
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert page.locator('img[src="x"], [onerror], script:has-text("__pwned"), a[href^="javascript:"]').count() == 0
    assert page.locator("b", has_text="banana").count() == 0
    assert page.locator("strong", has_text="bold").count() == 0

    # The defaults, and the default figure; the address bar no longer carries the garbage.
    assert shown_settings(page) == {"data": "Two tight clusters (2-D)", "data seed": "0", "k": "2",
                                    "covariance": "full: any ellipse per component", "hard EM": False,
                                    "step mode": False}
    garbled_figure = player_fingerprint(page)
    screenshot(page, "links-garbled")
    assert "img" not in page.url and "script" not in page.url and "k=" not in page.url
    clean_context = browser.new_context(viewport=VIEWPORT)
    try:
        clean = clean_context.new_page()
        open_explorer(clean, app_server)
        assert player_fingerprint(clean) == garbled_figure
    finally:
        clean_context.close()
