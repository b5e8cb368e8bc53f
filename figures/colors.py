"""Component colours, shared by every figure and by the EM player (sent in its payload).

A point takes the colour of its most responsible component; its opacity rises from MIN_OPACITY
(responsibility shared equally, a tie) to 1 (certain); see figures.frame_state.point_opacity.
"""

from __future__ import annotations


# Category10 without its grey (grey means "truth" or "unassigned" here), then more distinct hues.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#511cfb", "#e15f99", "#00a08b", "#b68100", "#750d86", "#fb0d0d", "#1ca71c",
)
UNASSIGNED_COLOR = "#9e9e9e"
TRUTH_COLOR = "#8c8c8c"
INK = "#333333"

MIN_OPACITY = 0.25  # the least certain point stays visible
UNASSIGNED_OPACITY = 0.6


def component_colors(n_components: int) -> list[str]:
    """Hex colours of components 0..n_components-1; the same component always gets the same colour.

    More components than the palette holds reuse it cyclically.
    """
    return [PALETTE[k % len(PALETTE)] for k in range(n_components)]


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b)."""
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def darker(color: str, amount: float = 0.35) -> str:
    """'#rrggbb' mixed with black by `amount`: a line in a component's colour that stays visible over its own points."""
    r, g, b = (round(c * (1.0 - amount)) for c in hex_to_rgb(color))
    return f"#{r:02x}{g:02x}{b:02x}"


def rgba(color: str, alpha: float) -> str:
    """'#rrggbb' and an opacity -> 'rgba(r,g,b,a)'."""
    r, g, b = hex_to_rgb(color)
    return f"rgba({r},{g},{b},{alpha:.3g})"
