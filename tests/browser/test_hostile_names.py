"""Hostile names are text everywhere: no injected element, no request to another host, the name readable.

Two tests:
- Streamlit itself shows markdown_literal's output literally in every element kind that renders
  Markdown (a probe page, tests/browser/markdown_probe_app.py), and an unescaped control row proves
  the probes see an injection when there is one.
- The app: files whose column and file names are hostile go through the real upload control; each
  place a name appears is checked (the caption over the figure, the column picker, the upload summary,
  the constant-column warning, the figure's axis titles and hover, the offline HTML download, the
  message for a file without numbers).

The figure is probed through generic DOM only (any `.js-plotly-plot`, `svg text`, links and images,
in every frame of the page), so these checks hold whatever component hosts plotly.js.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from hostile_files import HOSTILE_NAMES

from .conftest import VIEWPORT, running_app_server
from .helpers import assert_no_exception, download, open_details, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

MARKDOWN_KINDS = ('[data-testid="stMarkdownContainer"]', '[data-testid="stCaptionContainer"]')
MARKDOWN = ", ".join(MARKDOWN_KINDS)
MAIN = '[data-testid="stMain"]'
FILE_INPUT = '.st-key-upload_file input[type=file]'  # the CSV upload (the page also has a parameters-JSON one)
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Elements a name could inject. In the probe page's Markdown, anything beyond plain text. In the app,
# whose own Markdown has headings, bold and lists: images, links away from this machine, LaTeX, coloured
# text, icons inside text, and the restyled text of the <span style=...> name.
ANY_MARKUP = ("img, a, .katex, [data-testid='stIconMaterial'], strong, em, del, code, pre, h1, h2, h3, h4, h5, h6, "
              "blockquote, ul, ol, li, hr, table, span[style], [class*='ColoredText']")
INJECTED_ANYWHERE = ("img, image, a[href^='http']:not([href^='http://127.0.0.1']), [href*='evil'], [src*='evil'], "
                     ".katex, [class*='ColoredText'], [data-testid='stMarkdownContainer'] [data-testid='stIconMaterial'], "
                     "[style*='font-size: 60px'], [style*='font-size:60px']")
INJECTED_JS = """([within, selector]) => {
  const found = [];
  for (const box of document.querySelectorAll(within)) {
    for (const el of box.querySelectorAll(selector)) found.push(el.outerHTML.slice(0, 160));
  }
  return [...new Set(found)];
}"""
FIGURE_TEXT_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot svg text'))
  .map(t => t.textContent.replace(/\\s+/g, ' ').trim())"""


def markdown_in(box: str) -> str:
    """A selector for the rendered Markdown inside `box`."""
    return ", ".join(f"{box} {kind}" for kind in MARKDOWN_KINDS)


def one_line(text: str) -> str:
    """Text as a reader sees it: one line, without the invisible word joiners of markdown_literal."""
    return " ".join(text.replace("\u2060", "").split())


def watch_requests(page) -> list[str]:
    """Every request the page makes to a host other than this machine (fonts, images, links ...)."""
    away: list[str] = []

    def record(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK:
            away.append(request.url)

    page.on("request", record)
    return away


def injected(page, within: str = "body", selector: str = INJECTED_ANYWHERE) -> list[str]:
    """Elements matching `selector` inside the `within` elements, in every frame (a component may host
    the figure in an iframe)."""
    return [html for frame in page.frames for html in frame.evaluate(INJECTED_JS, [within, selector])]


def figure_texts(page) -> list[str]:
    return [text for frame in page.frames for text in frame.evaluate(FIGURE_TEXT_JS)]


# --------------------------------------------------------------------------- Streamlit's own rendering
@pytest.fixture(scope="module")
def probe_server():
    with running_app_server("tests/browser/markdown_probe_app.py") as base_url:
        yield base_url


def test_streamlit_shows_markdown_literal_output_as_typed_in_every_element_kind(probe_server, browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    away = watch_requests(page)
    try:
        page.goto(probe_server, wait_until="domcontentloaded")
        wait_for_app_idle(page, timeout_ms=90_000)
        page.wait_for_timeout(1000)  # let images and fonts a name might have injected start loading
        assert_no_exception(page)
        # The control row (unescaped) shows the probes work: an image, coloured text, LaTeX, a request.
        control = injected(page, markdown_in(".st-key-control"), ANY_MARKUP)
        assert any("<img" in h for h in control) and any("katex" in h for h in control), control
        assert any("control.invalid" in url for url in away), away
        for i, name in enumerate(HOSTILE_NAMES):
            box = f".st-key-name_{i}"
            assert injected(page, markdown_in(box), ANY_MARKUP) == [], name
            texts = [one_line(t) for t in page.locator(markdown_in(box)).all_inner_texts()]
            texts = [t for t in texts if t not in ("", "inside", "options")]  # hidden content, fixed labels
            # markdown, caption, four alerts, the expander's label, the checkbox's label
            assert texts == [one_line(name)] * 8, (name, texts)
            chips = page.locator(f'{box} [data-testid="stMultiSelect"] [data-tag] span[title]').all_inner_texts()
            assert [one_line(c) for c in chips] == [one_line(name)], (name, chips)
        assert [url for url in away if "control.invalid" not in url] == []
        screenshot(page, "hostile-names-markdown-probe")
    finally:
        context.close()


# --------------------------------------------------------------------------- the app
def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def good_file(name: str, other: str | None) -> bytes:
    """Column `name` varies; `other` (if given) is constant; '<name> label' is text."""
    header = [name] + ([other] if other else []) + [f"{name} label"]
    rows = [[round(1 + (i * 7) % 13 + 0.1 * (i % 3), 2)] + ([3] if other else []) + [f"t{i % 4}"] for i in range(40)]
    return csv_bytes(header, rows)


def text_file(names: list[str]) -> bytes:
    return csv_bytes(names, [[f"w{i}{j}" for j in range(len(names))] for i in range(5)])


def upload(page, file_name: str, content: bytes, expect: str) -> None:
    """Upload through the real control and wait for the run that shows `expect` ('figure' or 'error')."""
    page.locator(FILE_INPUT).set_input_files(files=[{"name": file_name, "mimeType": "text/csv", "buffer": content}])
    if expect == "figure":
        page.wait_for_function(
            """(title) => Array.from(document.querySelectorAll('.js-plotly-plot svg text'))
                 .some(t => t.textContent.replace(/\\s+/g, ' ').trim() === title)""",
            arg=one_line(file_name[: -len(".csv")]), timeout=60_000)
    else:
        page.locator(f'{MAIN} [data-testid="stAlertContentError"]').first.wait_for(timeout=60_000)
    wait_for_app_idle(page)


def main_text(page) -> str:
    return one_line(page.locator(MAIN).inner_text())


def hover_first_point(page) -> str:
    """Hover the first data point of the EM player; the text of its tooltip."""
    player = "document.querySelector('.emp').__emPlayer"
    for _attempt in range(3):  # a rerun may redraw the figure under the pointer
        page.locator(".emp .emp-data").first.scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        page.mouse.move(*page.evaluate(f"{player}.clientPoint(0)"))
        tip = page.locator(".emp-tooltip")
        try:
            tip.wait_for(state="visible", timeout=10_000)
            return one_line(tip.inner_text())
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("no tooltip appeared over the first data point")


def as_sent(file_name: str) -> str:
    """The file name as Chromium sends it in the upload's form data (a double quote becomes %22)."""
    return file_name.replace('"', "%22")


def pairs() -> list[tuple[str, str | None]]:
    """Every hostile name once as the first column; the next one as the second (constant) column,
    and the last one alone (a 1-D fit)."""
    names = list(HOSTILE_NAMES)
    out = [(names[i], names[i + 1]) for i in range(0, len(names) - 1, 2)]
    return out + ([(names[-1], None)] if len(names) % 2 else [])


def test_hostile_names_in_every_place_of_the_app(app_server, browser, tmp_path):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    away = watch_requests(page)
    try:
        page.goto(f"{app_server}/?data=upload", wait_until="domcontentloaded")
        wait_for_app_idle(page, timeout_ms=90_000)
        for first, second in pairs():
            file_name = f"{first}.csv"
            upload(page, file_name, good_file(first, second), expect="figure")
            assert_no_exception(page)
            shown_names = [first] + ([second] if second else [])
            # The caption over the figure: "<file>: 40 rows of <first>, <second>".
            assert f"{one_line(as_sent(file_name))}: 40 rows of {', '.join(map(one_line, shown_names))}" in main_text(page)
            # The column picker's chips.
            chip_spans = page.locator('[data-testid="stMultiSelect"] [data-tag] span[title]')
            chip_spans.first.wait_for(timeout=30_000)  # the picker can draw after the figure's caption
            chips = chip_spans.all_inner_texts()
            assert [one_line(c) for c in chips] == [one_line(n) for n in shown_names]
            # The upload summary (in its expander) names the skipped text column.
            summary = page.locator('[data-testid="stExpander"] details').filter(has_text="Uploaded data")
            if summary.get_attribute("open") is None:
                summary.locator("summary").click()
                page.wait_for_timeout(300)
            assert f"Skipped non-numeric columns: '{one_line(first)} label'." in main_text(page)
            if second:
                assert f"Every row has the same value in '{one_line(second)}' = 3" in main_text(page)
            # The figure: axis titles and the hover label read as typed.
            texts = figure_texts(page)
            for name in shown_names:
                assert one_line(name) in texts, (name, texts)
            hover = hover_first_point(page)
            assert f"{one_line(first)} = " in hover, hover
            if second:
                assert f"{one_line(second)} = 3" in hover, hover
            assert injected(page) == [], first
            screenshot(page, f"hostile-names-{HOSTILE_NAMES.index(first):02d}")

            # The offline HTML download, opened in the browser (for the names aimed at HTML and Plotly).
            if any(mark in "".join(shown_names) for mark in "<%&"):
                open_details(page, "Downloads")
                saved = tmp_path / f"export-{HOSTILE_NAMES.index(first)}.html"
                download(page, page.get_by_role("button", name="Animation (HTML)")).save_as(saved)
                offline = context.new_page()
                offline_away = watch_requests(offline)
                offline.goto(saved.as_uri())
                offline.wait_for_function("() => !!document.querySelector('.js-plotly-plot svg text')", timeout=30_000)
                for name in shown_names:
                    assert one_line(name) in figure_texts(offline), name
                title = one_line(offline.locator("h1").first.inner_text())
                assert title == f"EM fit: {one_line(as_sent(file_name))}: 40 rows of {', '.join(map(one_line, shown_names))}"
                assert injected(offline) == [] and offline_away == []
                offline.close()

            # A file without numbers: its name and its columns in the message.
            upload(page, f"{second or first}.csv", text_file(shown_names), expect="error")
            message = one_line(page.locator(f'{MAIN} [data-testid="stAlertContentError"]').first.inner_text())
            assert f"{one_line(as_sent(second or first))}.csv: No column of numbers" in message, message
            for name in shown_names:
                expected = one_line(name) if len(one_line(name)) <= 40 else one_line(name)[:37] + "..."
                assert f"'{expected}'" in message, (name, message)
            assert injected(page) == [], first
        assert away == [], away
    finally:
        context.close()
