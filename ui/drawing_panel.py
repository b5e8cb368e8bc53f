"""The 'Draw your own points' data source: the sidebar controls, and loading data into a drawing.

The points themselves are drawn on the figure (the player's Add points / Erase tools, see
ui/player_events.py); they live in session_state['points'] in their link form (explorer.drawing),
so the share link carries them.
"""

from __future__ import annotations

import streamlit as st

from explorer.dataset import Dataset
from explorer.drawing import MAX_POINTS, Drawing

from . import cache

NOTICE = "_drawing_notice"  # a sentence for the next run, e.g. why a data set could not be loaded
START_OPTIONS = {
    "empty": "an empty canvas",
    "tight": "the two tight clusters (2-D)",
    "overlap": "the two overlapping Gaussians (1-D)",
    "blobs": "random blobs (with their settings)",
    "faithful": "Old Faithful",
}
EDITABLE_SOURCES = ("tight", "overlap", "blobs", "faithful")


def current_drawing() -> Drawing:
    """The drawing in session state, or an empty canvas of the chosen dimension."""
    encoded = st.session_state.get("points") or ""
    return Drawing.decode(encoded) if encoded else Drawing.empty(int(st.session_state.get("blob_dim", 2)))


def set_drawing(drawing: Drawing) -> None:
    st.session_state["points"] = drawing.encode() if drawing.n_points else ""
    st.session_state["blob_dim"] = drawing.dim


def drawing_controls() -> None:
    """Sidebar: the canvas' dimension, what to start from, and Clear."""
    drawing = current_drawing()
    if drawing.n_points:
        st.session_state["blob_dim"] = drawing.dim  # the points decide; the radio follows them
    st.radio("Dimension", [1, 2], horizontal=True, key="blob_dim", disabled=drawing.n_points > 0,
             help="Clear the drawing to change its dimension." if drawing.n_points else None)
    st.selectbox("Start from", list(START_OPTIONS), format_func=START_OPTIONS.get, key="draw_start",
                 help="Load a data set to edit it: add points where you click, erase them with the eraser "
                      "or a Shift-click.")
    st.button("Load it into the drawing", on_click=load_start, key="draw_load", width="stretch")
    st.button("Clear all points", on_click=lambda: set_drawing(Drawing.empty(drawing.dim)), key="draw_clear",
              disabled=drawing.n_points == 0, width="stretch")
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.warning(notice)
    st.caption(f"{drawing.n_points:,} of at most {MAX_POINTS:,} points. The share link carries them.")


def load_start() -> None:
    """Replace the drawing with the data chosen under 'Start from'."""
    choice = st.session_state.get("draw_start", "empty")
    if choice == "empty":
        set_drawing(Drawing.empty(int(st.session_state.get("blob_dim", 2))))
        return
    load_data_set(choice)


def load_data_set(source: str) -> bool:
    """Put a preset's points into the drawing; False (with a notice) when they cannot be drawn."""
    try:
        set_drawing(Drawing.from_points(preset(source).X))
    except ValueError as error:
        st.session_state[NOTICE] = str(error)
        return False
    return True


def preset(source: str) -> Dataset:
    """A preset data set, with the current blob settings."""
    if source == "faithful":
        return cache.faithful_dataset()
    fields = {name: st.session_state.get(name) for name in ("blob_k", "blob_n", "blob_dim", "blob_separation",
                                                             "blob_anisotropy", "data_seed")}
    return cache.synthetic_dataset(source=source, **{k: v for k, v in fields.items() if v is not None})


def edit_current_data() -> None:
    """The player's 'Edit these points': the data on screen becomes a drawing to edit."""
    source = st.session_state.get("source")
    if source not in EDITABLE_SOURCES:
        return
    if load_data_set(source):
        st.session_state["source"] = "draw"
