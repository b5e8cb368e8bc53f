"""Sizes for the screen and for a projector (presentation mode)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureStyle:
    font_size: int
    point_size: float
    line_width: float
    mean_size: float
    rug_size: float
    curve_marker_size: float
    height: int


SCREEN = FigureStyle(font_size=13, point_size=6, line_width=2.0, mean_size=13, rug_size=12, curve_marker_size=4, height=560)
# A projector at the back of a lecture hall: everything about half again as large.
PRESENTATION = FigureStyle(font_size=20, point_size=10, line_width=3.5, mean_size=20, rug_size=20, curve_marker_size=7, height=760)


def figure_style(presentation: bool) -> FigureStyle:
    return PRESENTATION if presentation else SCREEN
