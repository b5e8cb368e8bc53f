"""The two escaping helpers: user text shown literally in Streamlit Markdown and in Plotly.

Here: what the helpers produce (every character a renderer could read as markup is neutralised, and
decoding gives back the name as typed). How Streamlit and Plotly really render the result is checked
in a browser (tests/browser/test_hostile_names.py).
"""

from __future__ import annotations

import html
import re
import string

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import figures
import gmm_core
from figures.frame_figure import frame_figure
from figures.plotly_text import plotly_literal
from hostile_files import HOSTILE_NAMES
from markdown_checks import WORD_JOINER, shown
from ui.markdown_text import markdown_literal

names = st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=80))


def one_line(text: str) -> str:
    return " ".join(text.split())


@given(names)
def test_markdown_literal_escapes_every_ascii_punctuation_mark(name):
    escaped = markdown_literal(name)
    i = 0
    while i < len(escaped):
        if escaped[i] in string.punctuation:
            assert escaped[i] == "\\" and escaped[i + 1] in string.punctuation, (name, escaped, i)
            i += 2
        else:
            i += 1


@given(names)
def test_markdown_literal_reads_back_as_typed(name):
    assert shown(markdown_literal(name)) == one_line(name).replace(WORD_JOINER, "")


@given(names)
def test_markdown_literal_is_one_line(name):
    assert "\n" not in markdown_literal(name) and "\r" not in markdown_literal(name)


def test_markdown_literal_breaks_streamlits_material_icon_prefix():
    # Streamlit rewrites ':material/' in the raw source before parsing, even inside code spans.
    assert ":material/" not in markdown_literal(":material/warning:")


@given(names)
def test_plotly_literal_leaves_no_tag_and_no_template_placeholder(name):
    escaped = plotly_literal(name)
    assert "<" not in escaped and ">" not in escaped
    assert "%" not in escaped  # no %{...}: a hover template would fill it in from the data
    assert "&" not in escaped.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").replace("&#37;", "")


@given(names)
def test_plotly_literal_reads_back_as_typed(name):
    # Plotly decodes HTML entities in all its text, as html.unescape does.
    assert html.unescape(plotly_literal(name)) == one_line(name)


@given(names)
def test_markdown_literal_breaks_autolinks_and_emoji_shortcodes(name):
    # GitHub autolinks (http://, www., a@b.c) and emoji shortcodes (:smile:) are rewritten after
    # parsing, where escapes do not count; an invisible word joiner breaks each pattern.
    escaped = markdown_literal(name).replace("\\", "")
    assert re.search(r":[\w+/-]|@[\w.-]", escaped) is None, escaped
    assert re.search(r"(?i)www\.", escaped) is None, escaped


def _strings(node):
    """Every string in a nested figure dict."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _strings(value)


@pytest.mark.parametrize("n_features", [1, 2])
def test_the_player_and_its_static_twin_show_column_names_only_in_escaped_form(n_features):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, n_features))
    result = gmm_core.fit(X, n_components=2, max_iter=3, seed=0)
    names = list(HOSTILE_NAMES[2:2 + n_features])  # <a href=...> and <span style=...>
    payload = figures.player_payload(result, X, feature_names=names)
    assert payload["features"] == [plotly_literal(name) for name in names]
    still_raw = [text for text in _strings(payload) for name in names if name in text]
    assert still_raw == [], "a raw name in the player's payload"
    figure = frame_figure(payload, 0).to_plotly_json()
    titles = [axis["title"]["text"] for key, axis in figure["layout"].items() if key.startswith("xaxis")]
    assert plotly_literal(names[0]) in titles
    assert not any(name in text for text in _strings(figure) for name in names)


def test_markdown_literal_leaves_ordinary_colons_alone():
    # 'file.csv: 40 rows' needs no word joiner: only a colon or at-sign that could start a rewrite gets one.
    assert markdown_literal("file.csv: 40 rows of x, y") == "file\\.csv\\: 40 rows of x\\, y"
