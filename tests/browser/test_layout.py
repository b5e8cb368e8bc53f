"""The Explorer's figure on a projector, a big screen and a phone (issue 11), measured from element boxes:
the figure, Play and the slider fit the window, controls never overlap, type is large and dark in
presentation mode, one unit is as long on x as on y, the curve's marker is whole at the last frame,
and a placeholder holds the figure's place while plotly.js loads."""

from __future__ import annotations

import re

import pytest

from figures import player_assets

from .helpers import PIXELS_PER_UNIT_JS, assert_no_exception, screenshot
from .test_explore import PLAYER, open_explorer

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1920, 1080), (390, 844)]
CONTROLS = [".emp-play", ".emp-step-row", ".emp-slider", ".emp-frame-label"]
# The player's controls and what sits around them, as boxes (page coordinates of this viewport).
BOXES_JS = """(selectors) => selectors.map(s => { const n = document.querySelector(s); if (!n) return null;
  const r = n.getBoundingClientRect(); return {s, left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""
TYPE_JS = """() => {
  const style = sel => Array.from(document.querySelectorAll(sel)).filter(t => t.textContent.trim()).map(t => {
    const cs = getComputedStyle(t); return {size: parseFloat(cs.fontSize), fill: cs.fill}; });
  return {ticks: style('.emp .xtick text, .emp .ytick text'), titles: style('.emp .g-xtitle text, .emp .g-ytitle text')};
}"""


def boxes(page, selectors):
    return page.evaluate(BOXES_JS, selectors)


def inside(box, width, height) -> bool:
    return box["left"] >= -0.5 and box["top"] >= -0.5 and box["right"] <= width + 0.5 and box["bottom"] <= height + 0.5


def overlap(a, b) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5


def darkness(fill: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", fill)[:3])
    return 1 - (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def open_sized(browser, url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    open_explorer(page, url)
    page.wait_for_timeout(700)  # the player fits itself to the window once the page above it is laid out
    page.wait_for_function(f"() => !{PLAYER}.busy")
    return context, page


def assert_controls_apart(page):
    found = boxes(page, CONTROLS + [".emp-step-row button:nth-child(1)", ".emp-step-row button:nth-child(4)",
                                    ".emp-speed"])
    assert all(found), found
    play, steps, slider, label, first, last, speed = found
    for a, b in [(play, steps), (play, slider), (steps, slider), (slider, label), (play, label), (speed, slider),
                 (first, slider), (last, slider)]:
        assert not overlap(a, b), (a, b)


@pytest.mark.parametrize("width, height", SIZES)
def test_presentation_mode_fits_the_figure_play_and_the_slider_in_one_screen(app_server, browser, width, height):
    context, page = open_sized(browser, app_server + "/?present=1", width, height)
    try:
        assert_no_exception(page)
        figure, play, slider = boxes(page, [".emp-data", ".emp-play", ".emp-slider"])
        for box in (figure, play, slider):
            assert inside(box, width, height), (box, width, height)
        assert figure["bottom"] - figure["top"] > 0.35 * height  # the figure takes the screen, not a corner of it
        assert_controls_apart(page)
        # Large, dark type on the axes.
        type_ = page.evaluate(TYPE_JS)
        assert type_["ticks"] and min(t["size"] for t in type_["ticks"]) >= 18
        assert type_["titles"] and min(t["size"] for t in type_["titles"]) >= 20
        assert min(darkness(t["fill"]) for t in type_["ticks"] + type_["titles"]) > 0.7
        # Play looks like the primary control: filled with a strong colour, not grey.
        background = page.evaluate("() => getComputedStyle(document.querySelector('.emp-play')).backgroundColor")
        r, g, b = (int(v) for v in re.findall(r"\d+", background)[:3])
        assert max(r, g, b) - min(r, g, b) > 80, background
        if width >= 1000:  # the legend is one row
            tops = {round(item["top"]) for item in page.evaluate(
                "() => Array.from(document.querySelectorAll('.emp-legend-item')).map(i => i.getBoundingClientRect())")}
            assert max(tops) - min(tops) <= 2, tops
        else:  # a phone: the learning curve under the data view, Play on its own row
            curve, steps = boxes(page, [".emp-curve", ".emp-step-row"])
            assert curve["top"] >= figure["bottom"] and steps["top"] >= play["bottom"]
        scale = page.evaluate(PIXELS_PER_UNIT_JS)
        assert scale["x"] == pytest.approx(scale["y"], rel=0.01)  # synthetic data: one unit, one scale
        screenshot(page, f"layout-presentation-{width}x{height}", full_page=False)
        # At the last frame the learning curve's current marker is whole: drawn outside the plot's clip.
        page.get_by_role("button", name="Last frame").click()
        marker, curve = boxes(page, [".emp-curve .emp-current", ".emp-curve .main-svg"])
        assert page.evaluate("() => document.querySelector('.emp-current').closest('[clip-path]')") is None
        assert marker["right"] <= curve["right"] and marker["top"] >= curve["top"]
        diameter = marker["right"] - marker["left"]
        assert diameter == pytest.approx(marker["bottom"] - marker["top"], rel=0.05) and diameter > 10
    finally:
        context.close()


def test_a_phone_in_normal_mode_stacks_the_figure_and_keeps_controls_apart(app_server, browser):
    context, page = open_sized(browser, app_server, 390, 844)
    try:
        page.locator(".emp").scroll_into_view_if_needed()
        page.evaluate("() => document.querySelector('.emp').scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        figure, play, slider, curve = boxes(page, [".emp-data", ".emp-play", ".emp-slider", ".emp-curve"])
        for box in (figure, play, slider):
            assert inside(box, 390, 844), box
        assert curve["top"] >= figure["bottom"] and figure["right"] - figure["left"] > 300
        assert_controls_apart(page)
        screenshot(page, "layout-phone-390x844", full_page=False)
    finally:
        context.close()


def test_mixed_units_get_a_caption_and_equal_axes_on_request(app_server, browser):
    context, page = open_sized(browser, app_server + "/?data=faithful", 1400, 1000)
    try:
        assert "circles look stretched" in page.locator(".emp-caption").inner_text()
        scale = page.evaluate(PIXELS_PER_UNIT_JS)
        assert scale["x"] > 3 * scale["y"]  # minutes of eruption against minutes of waiting, each filling its axis
        open_explorer(page, app_server + "/?data=faithful&equal=1")
        scale = page.evaluate(PIXELS_PER_UNIT_JS)
        assert scale["x"] == pytest.approx(scale["y"], rel=0.01)
        assert page.locator(".emp-caption").is_hidden() or "stretched" not in page.locator(".emp-caption").inner_text()
    finally:
        context.close()


def test_a_placeholder_holds_the_figure_area_while_plotly_loads(app_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    held, hold = [], {"on": True}

    def slow_plotly(route):
        if hold["on"]:
            held.append(route)  # held until the test has looked at the page
        else:
            route.continue_()

    context.route(re.compile(".*/" + re.escape(player_assets.PLOTLY_JS) + ".*"), slow_plotly)  # the player's plotly.js
    try:
        page = context.new_page()
        page.goto(app_server, wait_until="domcontentloaded")
        placeholder = page.locator(".st-key-em_player .emp-loading")
        placeholder.wait_for(state="visible", timeout=60_000)
        assert placeholder.locator(".emp-spinner").count() == 1 and "Loading" in placeholder.inner_text()
        assert placeholder.bounding_box()["height"] > 300  # it keeps the figure's room
        hold["on"] = False
        for route in held:
            route.continue_()
        page.wait_for_function(f"() => document.querySelector('.emp') && {PLAYER}.shown", timeout=60_000)
        assert placeholder.count() == 0
    finally:
        context.close()
