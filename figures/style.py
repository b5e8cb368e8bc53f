"""Sizes for the screen and for a projector (presentation mode)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FigureStyle:
    """font_size : legend and label text; tick_size, title_size : axis tick labels and axis titles (px)
    height : the data view's height when the page does not size it to the window (px)."""

    font_size: int
    tick_size: int
    title_size: int
    point_size: float
    line_width: float
    mean_size: float
    rug_size: float
    curve_marker_size: float
    height: int

    def to_dict(self) -> dict:
        return asdict(self)


SCREEN = FigureStyle(font_size=13, tick_size=12, title_size=14, point_size=6, line_width=2.0, mean_size=13,
                     rug_size=12, curve_marker_size=4, height=520)
# A projector at the back of a lecture hall: everything about half again as large, axes in dark ink.
PRESENTATION = FigureStyle(font_size=20, tick_size=18, title_size=22, point_size=10, line_width=3.5, mean_size=20,
                           rug_size=20, curve_marker_size=7, height=620)

# A 960 x 540 slide image (figures/slide_frame.py), shown full screen: between the two above.
SLIDE = FigureStyle(font_size=16, tick_size=15, title_size=17, point_size=7, line_width=2.5, mean_size=16,
                    rug_size=15, curve_marker_size=5, height=540)


def figure_style(presentation: bool) -> FigureStyle:
    return PRESENTATION if presentation else SCREEN
