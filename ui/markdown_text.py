"""User-supplied text (column names, file names, labels) as literal text inside Streamlit Markdown.

Streamlit's Markdown renders images and links (![..](..), [..](..)), colour and icon directives
(:red[..], :material/..:), emoji shortcodes and LaTeX ($..$) wherever a name is interpolated into
st.markdown, st.caption, st.error or st.warning. CommonMark lets a backslash escape any ASCII
punctuation, so escaping all of it shows the name exactly as typed and renders none of it.
"""

from __future__ import annotations

import string

_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in string.punctuation})


def markdown_literal(text) -> str:
    """`text` as Streamlit Markdown shows it literally; runs of whitespace become one space (a name is one line)."""
    return " ".join(str(text).split()).translate(_MARKDOWN_ESCAPES)
