"""What the user did on the EM player's figure, applied to the settings before the page draws.

The player (player/em_player.js) sends {"type", "value"} events; ui/em_player.py keeps the latest in
session state, and `apply_pending` turns it into a change of settings, so this run's widgets, URL and
fit already show it. Every value is checked: a malformed event changes nothing.
"""

from __future__ import annotations

import streamlit as st

from explorer.dataset import Dataset
from explorer.starting_means import clamp, data_bounds, move_mean, parse_point, place_mean, rounded

from . import manual_means
from .em_player import PENDING_EVENT


def apply_pending(dataset: Dataset | None) -> None:
    """Apply the event the player sent since the last run, if any."""
    event = st.session_state.pop(PENDING_EVENT, None)
    if dataset is None or not isinstance(event, dict):
        return
    handler = _HANDLERS.get(event.get("type"))
    if handler is not None:
        handler(event.get("value"), dataset)


def _place_mean(value, dataset: Dataset) -> None:
    """A click on the figure with init='manual': one more starting mean (beyond k the oldest goes)."""
    if st.session_state.get("init") != "manual":
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
    if st.session_state.get("init") != "manual" or not isinstance(value, dict):
        return
    point = parse_point(value.get("point"), dataset.X.shape[1])
    if point is None:
        return
    bounds = data_bounds(dataset.X)
    current = manual_means.placed_means()
    manual_means.set_means(move_mean(current, value.get("index"), clamp(rounded(point, bounds), bounds)))


_HANDLERS = {"place_mean": _place_mean, "move_mean": _move_mean}
