"""User-supplied text (column names, file names, labels) as literal text inside Plotly.

Plotly reads a small HTML subset in titles, legend entries, hover text and annotations
(<a href>, <span style>, <b>, <br>, ...) and decodes HTML entities; hover templates also fill in
%{...} placeholders. Escaping &, < and > as entities, and % as &#37; (which Plotly decodes only
after filling the template in), makes such a string display exactly as typed, keeps it from
becoming a link or restyling the figure, and keeps it from reading the figure's data.
"""

from __future__ import annotations

_PLOTLY_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "%": "&#37;"})


def plotly_literal(text) -> str:
    """`text` as Plotly shows it literally; runs of whitespace become one space (a name is one line)."""
    return " ".join(str(text).split()).translate(_PLOTLY_ESCAPES)
