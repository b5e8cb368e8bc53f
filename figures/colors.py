"""Component colours, and the one-byte colour code that lets a frame recolour thousands of points.

A point's colour in a frame is a single small integer, its *colour code*:

    code = component * N_OPACITY_LEVELS + opacity_level        (0 <= opacity_level < N_OPACITY_LEVELS)
    code = n_components * N_OPACITY_LEVELS                     (unassigned: no E-step yet, grey)

The points trace maps codes to ``rgba`` colours through a stepped colour scale (``point_colorscale``),
so a frame re-sends one uint8 per point instead of a colour string and an opacity per point.
"""

from __future__ import annotations

import numpy as np

# Category10 without its grey (grey means "truth" or "unassigned" here), then more distinct hues.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#511cfb", "#e15f99", "#00a08b", "#b68100", "#750d86", "#fb0d0d", "#1ca71c",
)
UNASSIGNED_COLOR = "#9e9e9e"
TRUTH_COLOR = "#8c8c8c"
INK = "#333333"

MIN_OPACITY = 0.25  # the least certain point stays visible
N_OPACITY_LEVELS = 16  # opacity steps of 0.05: finer is invisible, coarser shows banding
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


def level_opacity(level) -> np.ndarray:
    """Opacity of an opacity level (array-like of ints in [0, N_OPACITY_LEVELS))."""
    return MIN_OPACITY + (1.0 - MIN_OPACITY) * np.asarray(level) / (N_OPACITY_LEVELS - 1)


def unassigned_code(n_components: int) -> int:
    return n_components * N_OPACITY_LEVELS


def code_dtype(n_components: int):
    """Smallest unsigned integer type holding every code (uint8 up to 15 components)."""
    return np.uint8 if unassigned_code(n_components) <= np.iinfo(np.uint8).max else np.uint16


def point_codes(resp: np.ndarray, algorithm: str) -> np.ndarray:
    """Colour codes of points from their responsibilities.

    resp : ndarray of shape (n_points, n_components), rows summing to 1
    algorithm : 'soft' -> opacity rises linearly from MIN_OPACITY (responsibility 1/k, a tie) to 1
        (responsibility 1); 'hard' -> full opacity
    Returns ndarray of shape (n_points,), dtype uint8 (uint16 beyond 15 components).
    """
    n_components = resp.shape[1]
    winner = resp.argmax(axis=1)
    if algorithm == "hard" or n_components == 1:
        level = np.full(len(resp), N_OPACITY_LEVELS - 1)
    else:
        floor = 1.0 / n_components
        certainty = (resp[np.arange(len(resp)), winner] - floor) / (1.0 - floor)
        level = np.rint(np.clip(certainty, 0.0, 1.0) * (N_OPACITY_LEVELS - 1)).astype(np.int64)
    return (winner * N_OPACITY_LEVELS + level).astype(code_dtype(n_components))


def unassigned_codes(n_points: int, n_components: int) -> np.ndarray:
    """Codes for points no E-step has coloured yet, shape (n_points,)."""
    return np.full(n_points, unassigned_code(n_components), dtype=code_dtype(n_components))


def decode(codes, n_components: int) -> tuple[np.ndarray, np.ndarray]:
    """Colour codes -> (component, opacity), each of shape (n_points,); component -1 = unassigned."""
    codes = np.asarray(codes, dtype=np.int64)
    unassigned = codes == unassigned_code(n_components)
    component = np.where(unassigned, -1, codes // N_OPACITY_LEVELS)
    opacity = np.where(unassigned, UNASSIGNED_OPACITY, level_opacity(codes % N_OPACITY_LEVELS))
    return component, opacity


def code_colors(n_components: int) -> list[str]:
    """The rgba colour of every code 0..unassigned_code(n_components), in code order."""
    colors = []
    for color in component_colors(n_components):
        colors.extend(rgba(color, alpha) for alpha in level_opacity(np.arange(N_OPACITY_LEVELS)))
    colors.append(rgba(UNASSIGNED_COLOR, UNASSIGNED_OPACITY))
    return colors


def point_colorscale(n_components: int) -> dict:
    """Marker attributes mapping each integer code to its rgba colour exactly.

    Each code owns a flat band [v/N, (v+1)/N] of the scale, and cmin/cmax put code v in its middle.
    """
    colors = code_colors(n_components)
    n_codes = len(colors)
    scale = []
    for code, color in enumerate(colors):
        scale.append([code / n_codes, color])
        scale.append([(code + 1) / n_codes, color])
    return {"colorscale": scale, "cmin": -0.5, "cmax": n_codes - 0.5, "cauto": False, "showscale": False}
