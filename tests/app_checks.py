"""Helpers for AppTest page tests that read the EM player (a components-v2 element, ui/em_player.py)."""

from __future__ import annotations

import json


def player_payloads(at) -> list[dict]:
    """The payloads of the EM players on the page (AppTest sees the element's data as JSON)."""
    payloads = []
    for element in at.get("bidi_component"):
        data = json.loads(element.proto.json or "null")
        if isinstance(data, dict) and data.get("payload") is not None:
            payloads.append(data["payload"])
    return payloads


def static_figures(at) -> list[dict]:
    """The Plotly figures drawn with the player's plotly.js (ui/plotly_figure.py), as JSON."""
    figures = []
    for element in at.get("bidi_component"):
        data = json.loads(element.proto.json or "null")
        if isinstance(data, dict) and data.get("figure") is not None:
            figures.append(data["figure"])
    return figures
