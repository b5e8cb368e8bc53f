"""What a reader sees of Streamlit Markdown source, for tests that compare page text with names."""

from __future__ import annotations

import re

# CommonMark: a backslash before ASCII punctuation shows that character as typed.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown_source: str) -> str:
    """The text of Markdown source with its backslash escapes resolved (emphasis marks are kept)."""
    return _ESCAPED.sub(r"\1", str(markdown_source))
