"""Play/pause buttons and the frame slider of a client-side Plotly animation."""

from __future__ import annotations

import numpy as np

from .colors import INK

# The whole animation lasts about this long, within the per-frame bounds below.
TARGET_TOTAL_MS = 15000
MIN_FRAME_MS, MAX_FRAME_MS = 60, 600
MAX_LABELLED_STEPS = 25  # beyond this the slider's tick labels overlap; the current-value box still names each


def frame_duration_ms(n_frames: int) -> int:
    return int(np.clip(TARGET_TOTAL_MS / max(n_frames, 1), MIN_FRAME_MS, MAX_FRAME_MS))


def _animate_args(frame_ms: int, transition_ms: int) -> dict:
    # redraw False: scatter and line traces are restyled in place, no full re-render per frame.
    return {"mode": "immediate", "frame": {"duration": frame_ms, "redraw": False},
            "transition": {"duration": transition_ms, "easing": "cubic-in-out"}, "fromcurrent": True}


def animation_controls(names: list[str], labels: list[str], font_size: int) -> dict:
    """Layout entries `updatemenus` and `sliders` for frames with these names (slider labels `labels`)."""
    frame_ms = frame_duration_ms(len(names))
    # Tween ellipses between frames only when frames are slow enough to see it.
    transition_ms = int(frame_ms * 0.6) if frame_ms >= 200 else 0
    buttons = [
        {"label": "▶ Play", "method": "animate", "args": [None, _animate_args(frame_ms, transition_ms)]},
        {"label": "❚❚ Pause", "method": "animate",
         "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}]},
    ]
    steps = [
        {"label": label, "method": "animate",
         "args": [[name], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}]}
        for name, label in zip(names, labels)
    ]
    tick_font = {"size": max(font_size - 3, 8)}
    if len(steps) > MAX_LABELLED_STEPS:
        tick_font["color"] = "rgba(0,0,0,0)"
    return {
        "updatemenus": [{
            "type": "buttons", "direction": "left", "showactive": False, "buttons": buttons,
            "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top", "pad": {"t": 70, "r": 10},
            "font": {"size": font_size},
        }],
        "sliders": [{
            "active": 0, "steps": steps, "x": 0.2, "len": 0.8, "y": 0.0, "yanchor": "top",
            "pad": {"t": 55, "b": 10}, "font": tick_font,
            "currentvalue": {"prefix": "iteration ", "visible": True, "xanchor": "left", "font": {"size": font_size + 2, "color": INK}},
            "transition": {"duration": 0},
        }],
    }
