"""What a reader sees of Streamlit Markdown source, for tests that compare page text with names."""

from __future__ import annotations

import re

# CommonMark: a backslash before ASCII punctuation shows that character as typed.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
WORD_JOINER = "\u2060"  # invisible; markdown_literal puts it where autolinks and emoji shortcodes start


def shown(text: str) -> str:
    """What a reader sees of Markdown source (backslash escapes resolved, emphasis marks kept), or of
    rendered text: without the invisible word joiners."""
    return _ESCAPED.sub(r"\1", str(text)).replace(WORD_JOINER, "")
