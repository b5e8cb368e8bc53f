"""User-supplied text (column names, file names, labels) as literal text inside Plotly.

Plotly reads a small HTML subset in titles, legend entries, hover text and annotations
(<a href>, <span style>, <b>, <br>, ...) and decodes HTML entities. Escaping &, < and > makes
such a string display exactly as typed and keeps it from becoming a link or restyling the figure.
"""

from __future__ import annotations

_PLOTLY_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def plotly_literal(text) -> str:
    """`text` as Plotly shows it literally; runs of whitespace become one space (a name is one line)."""
    return " ".join(str(text).split()).translate(_PLOTLY_ESCAPES)
