"""Hostile column and file names through the pages under AppTest: wherever Markdown shows a name, its
source carries markdown_literal's escaped form, never the raw name. (How the browser renders the
escaped form is tested in tests/browser/test_hostile_names.py.)

Explore: the caption over the figure, the upload summary, the constant-column warning and file
messages. Choose k: the caption, and the spurious-fit warning that names the column a collapsed
component sits on (Old Faithful with hostile headers: a diag k = 5 fit parks a component on the 14
eruptions whose waiting time is exactly 83 minutes).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hostile_files import HOSTILE_NAMES
from markdown_checks import shown
from ui.markdown_text import markdown_literal

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
FAITHFUL = ROOT / "data_sources" / "bundled" / "old_faithful.csv"
TIMEOUT = 180


def one_line(text: str) -> str:
    return " ".join(text.split())


def markdown_sources(at: AppTest) -> list[str]:
    """The Markdown source of every element that renders Markdown, expander labels included."""
    elements = [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success]
    return [str(e.value) for e in elements] + [e.label for e in at.expander]


def assert_every_appearance_escaped(at: AppTest, name: str) -> int:
    """Every Markdown source that shows `name` holds it escaped; returns how many show it."""
    appearances = [source for source in markdown_sources(at) if one_line(name) in shown(source)]
    for source in appearances:
        assert markdown_literal(name) in source, (name, source)
    return len(appearances)


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def renamed_faithful(x_name: str, y_name: str) -> bytes:
    rows = list(csv.reader(io.StringIO(FAITHFUL.read_text())))[1:]
    return csv_bytes([x_name, y_name], rows)


def upload(at: AppTest, file_name: str, raw: bytes) -> AppTest:
    return at.file_uploader(key="upload_file").set_value((file_name, raw, "text/csv")).run()


PAIRS = [(HOSTILE_NAMES[i], HOSTILE_NAMES[(i + 1) % len(HOSTILE_NAMES)]) for i in range(0, len(HOSTILE_NAMES), 2)]


@pytest.mark.parametrize("first, second", PAIRS, ids=[f"names-{i}" for i in range(0, len(HOSTILE_NAMES), 2)])
def test_explore_escapes_names_in_every_message(first, second):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["data"] = "upload"
    at.run()
    rows = [[1 + i % 7, 3, f"t{i}"] for i in range(30)]
    upload(at, f"{first}.csv", csv_bytes([first, second, f"{first} label"], rows))
    assert not at.exception
    # caption (file and both columns), upload summary (the label column), constant-column warning
    assert assert_every_appearance_escaped(at, first) >= 2
    assert assert_every_appearance_escaped(at, second) >= 2
    assert assert_every_appearance_escaped(at, f"{first} label") == 1
    upload(at, f"{second}.csv", csv_bytes([first, second], [["a", "b"], ["c", "d"]]))
    assert at.error and not at.exception
    # the error names the file and, shortened past 40 characters, both columns
    assert assert_every_appearance_escaped(at, f"{second}.csv") == 1
    for name in (first, second):
        if len(one_line(name)) <= 40:
            assert assert_every_appearance_escaped(at, name) >= 1


@pytest.mark.parametrize("first, second", PAIRS[:3], ids=[f"names-{i}" for i in range(0, 6, 2)])
def test_choose_k_escapes_the_column_a_spurious_component_sits_on(first, second):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["data"] = "upload"
    at.session_state["ck_k_range"] = (1, 6)
    at.run()
    at.switch_page("pages/choose_k.py").run()
    upload(at, f"{first}.csv", renamed_faithful(first, second))
    assert not at.exception
    spurious = [str(w.value) for w in at.warning if "spurious" in str(w.value)]
    assert spurious and f"along {markdown_literal(second)} is" in spurious[0], spurious
    assert assert_every_appearance_escaped(at, second) >= 2  # the caption and the warning
    assert assert_every_appearance_escaped(at, first) >= 1
