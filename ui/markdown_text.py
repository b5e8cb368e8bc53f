"""User-supplied text (column names, file names, labels) as literal text inside Streamlit Markdown.

Streamlit's Markdown renders images and links (![..](..), [..](..)), colour and icon directives
(:red[..], :material/..:), emoji shortcodes and LaTeX ($..$) wherever a name is interpolated into
st.markdown, st.caption, st.error or st.warning. CommonMark lets a backslash escape any ASCII
punctuation, so escaping all of it stops every piece of syntax.

Two rewrites run on the text after parsing, where escapes no longer help: GitHub's autolinks
(http://…, www.…, a@b.c become links) and emoji shortcodes (:smile: becomes an emoji). An invisible
WORD JOINER after a ':' or '@' that could start one (not before a space) and inside 'www.' breaks
their patterns, so the name shows exactly as typed and renders none of it.
"""

from __future__ import annotations

import re
import string

WORD_JOINER = "\u2060"
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in string.punctuation})
# Where a post-parse rewrite could start: scheme colons (http:/), shortcodes (:smile:), e-mail (a@b), 'www.'.
_REWRITE_STARTS = re.compile(r"(:)(?=[\w+/-])|(@)(?=[\w.-])|(?i:(www))(?=\.)")


def markdown_literal(text) -> str:
    """`text` as Streamlit Markdown shows it literally; runs of whitespace become one space (a name is one line)."""
    one_line = " ".join(str(text).split())
    broken = _REWRITE_STARTS.sub(lambda m: m.group(0) + WORD_JOINER, one_line)
    return broken.translate(_MARKDOWN_ESCAPES)
