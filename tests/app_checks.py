"""Helpers for AppTest page tests that read components-v2 elements: the EM player (ui/em_player.py) and the
Plotly figures drawn with its plotly.js (ui/plotly_figure.py); and one that opens a tab of the Explorer's
details (ui/fit_details.py) or the sidebar's advanced controls, which draw only when open."""

from __future__ import annotations

import json

from ui import controls, fit_details


def _element_data(at, field: str) -> list[dict]:
    """`field` of the data of every components-v2 element that has it (AppTest sees the data as JSON)."""
    found = []
    for element in at.get("bidi_component"):
        data = json.loads(element.proto.json or "null")
        if isinstance(data, dict) and data.get(field) is not None:
            found.append(data[field])
    return found


def player_payloads(at) -> list[dict]:
    """The payloads of the EM players on the page."""
    return _element_data(at, "payload")


def static_figures(at) -> list[dict]:
    """The Plotly figures drawn with the player's plotly.js, as JSON."""
    return _element_data(at, "figure")


def open_advanced(at):
    """Open the sidebar's "Stopping rule, regularisation and restarts" (drawn only when open) on the next run."""
    at.session_state[controls.ADVANCED_KEY] = True
    return at


def open_details(at, label: str):
    """Open the Explorer's details tab `label` as a click on it does (it reruns the page); returns `at`."""
    assert label in fit_details.LABELS, label
    at.session_state[fit_details.KEY] = label
    return at.run()
