"""One frame of the EM player as a 16:9 slide image: the static frame figure in a type size that
reads on a projected slide, under a title line.

    fig = slide_figure(payload, 5, "Two tight clusters: 300 points · k = 2")   # 960 x 540 layout
"""

from __future__ import annotations

import copy

import plotly.graph_objects as go

from .frame_figure import frame_figure
from .plotly_text import plotly_literal
from .style import SLIDE

SLIDE_WIDTH, SLIDE_HEIGHT = 960, 540  # a 16:9 layout; a sharper image renders it at a scale (1920 x 1080 = 2x)


def slide_figure(payload: dict, index: int, title: str = "") -> go.Figure:
    """Frame `index` of the payload at SLIDE_WIDTH x SLIDE_HEIGHT, in the slide type sizes, with `title`
    (plain text, shown as typed) at the top left."""
    slide_payload = copy.copy(payload)  # shallow: only the display entry changes
    slide_payload["display"] = {**payload["display"], "style": SLIDE.to_dict()}
    fig = frame_figure(slide_payload, index, width=SLIDE_WIDTH, height=SLIDE_HEIGHT)
    if title:
        fig.add_annotation(text=plotly_literal(title), xref="paper", yref="paper", x=0.0, y=1.02, xanchor="left",
                           yanchor="bottom", showarrow=False, font={"size": SLIDE.font_size,
                                                                     "color": payload["display"]["ink"]})
    fig.update_layout(margin={"l": 80, "r": 24, "t": 48, "b": 64})
    return fig
