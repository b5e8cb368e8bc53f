"""What the user did on the EM player's figure, applied to the settings before the page draws.

The player (player/*.js) sends {"type", "value"} events; ui/em_player.py keeps the latest in
session state, and the page applies it in two places, so this run's widgets, URL and fit already
show it: `apply_pending_data` before the data controls are drawn (adding or erasing a point, 'Edit
these points', which may switch the data source), `apply_pending` once the data is loaded (placing
and dragging starting means, which need the data's range). Every value is checked: a malformed
event changes nothing.
"""

from __future__ import annotations

import streamlit as st

from explorer.dataset import Dataset
from explorer.starting_means import clamp, data_bounds, move_mean, parse_point, place_mean, rounded

from . import drawing_panel, manual_means
from .em_player import PENDING_EVENT


def apply_pending_data() -> None:
    """A point added or erased on a drawing, or 'Edit these points' (call before the data controls)."""
    _apply(_DATA_HANDLERS)


def apply_pending(dataset: Dataset | None) -> None:
    """A starting mean placed or dragged (call once the data is loaded)."""
    if dataset is not None:
        _apply(_MODEL_HANDLERS, dataset)
    else:
        st.session_state.pop(PENDING_EVENT, None)


def _apply(handlers: dict, *context) -> None:
    event = st.session_state.get(PENDING_EVENT)
    kind = event.get("type") if isinstance(event, dict) else None
    if kind in handlers:
        del st.session_state[PENDING_EVENT]
        handlers[kind](event.get("value"), *context)
    elif kind not in _DATA_HANDLERS and kind not in _MODEL_HANDLERS:
        st.session_state.pop(PENDING_EVENT, None)  # nothing understands it: drop it


# --- drawing ---------------------------------------------------------------------------------------
def _add_point(value) -> None:
    """A click with the Add points tool: one more point where it landed."""
    if st.session_state.get("source") != "draw":
        return
    drawing = drawing_panel.current_drawing()
    point = parse_point(value, drawing.dim)
    if point is not None:
        drawing_panel.set_drawing(drawing.add(point))


def _remove_point(value) -> None:
    """A click with the eraser (or a Shift-click): the nearest point goes, if one is near."""
    if st.session_state.get("source") != "draw":
        return
    drawing = drawing_panel.current_drawing()
    point = parse_point(value, drawing.dim)
    if point is not None:
        drawing_panel.set_drawing(drawing.remove_nearest(point))


def _edit_points(_value) -> None:
    drawing_panel.edit_current_data()


# --- starting means --------------------------------------------------------------------------------
def _place_mean(value, dataset: Dataset) -> None:
    """A click with init='manual': one more starting mean (beyond k the oldest goes)."""
    if st.session_state.get("init") != "manual" or not len(dataset.X):
        return
    point = parse_point(value, dataset.X.shape[1])
    if point is None:
        return
    bounds = data_bounds(dataset.X)
    k = int(st.session_state["k"])
    current = manual_means.starting_means(dataset.X, k) or manual_means.placed_means()
    means = place_mean(current, clamp(rounded(point, bounds), bounds), k)
    manual_means.set_means(means)
    if len(means) == k:
        st.session_state[manual_means.PLACING] = False


def _move_mean(value, dataset: Dataset) -> None:
    """A starting mean dragged and dropped: it moves there, inside the data's range."""
    if st.session_state.get("init") != "manual" or not isinstance(value, dict) or not len(dataset.X):
        return
    point = parse_point(value.get("point"), dataset.X.shape[1])
    if point is None:
        return
    bounds = data_bounds(dataset.X)
    current = manual_means.placed_means()
    manual_means.set_means(move_mean(current, value.get("index"), clamp(rounded(point, bounds), bounds)))


_DATA_HANDLERS = {"add_point": _add_point, "remove_point": _remove_point, "edit_points": _edit_points}
_MODEL_HANDLERS = {"place_mean": _place_mean, "move_mean": _move_mean}
