"""The server side of what the user does on the EM player's figure (AppTest): the player's events
arrive as session_state['_em_player_event'] (ui/em_player.py stores them there), and the page turns
them into settings, the URL and a new fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_checks import player_payloads
from figures.typed_arrays import read_array

APP = Path(__file__).resolve().parents[1] / "app.py"
EVENT = "_em_player_event"


def new_app(**query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def send(at: AppTest, kind: str, value) -> AppTest:
    at.session_state[EVENT] = {"type": kind, "value": value, "nonce": 0.5}
    return at.run()


def url_means(at: AppTest):
    raw = at.query_params.get("means")
    raw = raw[-1] if isinstance(raw, list) else raw
    return [tuple(float(v) for v in row.split(",")) for row in raw.split(";")] if raw else []


def frame_zero_means(at: AppTest) -> np.ndarray:
    (payload,) = player_payloads(at)
    return read_array(payload["params"]["means"])[payload["frames"]["params"][0]]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_after_clear_k_clicks_are_exactly_the_starting_means_in_the_url_and_frame_zero():
    at = new_app(init="manual", k="3")
    at.button(key="clear_means").click().run()
    assert_clean(at)
    (payload,) = player_payloads(at)
    assert payload["params"] is None and payload["interaction"]["placed"] == []  # waiting for clicks
    assert any("place mean 1 of 3" in c.value for c in at.caption)
    clicks = [(4.9, 10.1), (5.8, 11.2), (6.3, 10.6)]
    for i, point in enumerate(clicks):
        send(at, "place_mean", list(point))
        assert_clean(at)
        (payload,) = player_payloads(at)
        if i < 2:
            assert payload["params"] is None and len(payload["interaction"]["placed"]) == i + 1
    assert url_means(at) == clicks
    np.testing.assert_array_equal(frame_zero_means(at), clicks)
    assert player_payloads(at)[0]["interaction"]["mode"] == "means"


def test_a_click_beyond_k_replaces_the_oldest_mean():
    at = new_app(init="manual", k="2", means="5,10;6,11")
    send(at, "place_mean", [5.5, 10.5])
    assert_clean(at)
    assert url_means(at) == [(6.0, 11.0), (5.5, 10.5)]


def test_a_dropped_mean_refits_from_there_and_stays_inside_the_data():
    at = new_app(init="manual", k="2", means="5,10;6,11")
    before = player_payloads(at)[0]["curves"][0]["y"]
    send(at, "move_mean", {"index": 1, "point": [5.2, 10.9]})
    assert_clean(at)
    assert url_means(at) == [(5.0, 10.0), (5.2, 10.9)]
    assert player_payloads(at)[0]["curves"][0]["y"] != before  # a new fit
    send(at, "move_mean", {"index": 0, "point": [-1e6, 1e6]})  # dragged far off the plot
    (payload,) = player_payloads(at)
    (low_x, high_x), (low_y, high_y) = payload["interaction"]["bounds"]
    assert url_means(at)[0] == pytest.approx((low_x, high_y), rel=1e-3)
    assert low_x <= url_means(at)[0][0] and url_means(at)[0][1] <= high_y


@pytest.mark.parametrize("event", [
    {"type": "place_mean", "value": [float("nan"), 1.0]},
    {"type": "place_mean", "value": "5,10"},
    {"type": "place_mean", "value": [1.0]},  # 2-D data needs two numbers
    {"type": "move_mean", "value": {"index": 7, "point": [5.0, 10.0]}},
    {"type": "move_mean", "value": {"index": 0, "point": None}},
    {"type": "move_mean", "value": [5.0, 10.0]},
    {"type": "unknown", "value": 1},
    {"value": [5.0, 10.0]},
    "not even a dict",
])
def test_a_malformed_event_changes_nothing_and_breaks_nothing(event):
    at = new_app(init="manual", k="2", means="5,10;6,11")
    at.session_state[EVENT] = event
    at.run()
    assert_clean(at)
    assert url_means(at) == [(5.0, 10.0), (6.0, 11.0)]
    assert player_payloads(at)[0]["params"] is not None


def test_clicks_do_nothing_unless_the_initialisation_is_manual():
    at = new_app(k="2")
    send(at, "place_mean", [5.0, 10.0])
    assert_clean(at)
    assert "means" not in at.query_params and player_payloads(at)[0]["interaction"] == {"mode": "view"}


def test_in_1d_a_click_on_the_axis_places_a_mean():
    at = new_app(data="overlap", init="manual", k="2")
    at.button(key="clear_means").click().run()
    send(at, "place_mean", [-2.0, 0.123])  # the height of a 1-D click is ignored
    send(at, "place_mean", [1.5])
    assert_clean(at)
    assert url_means(at) == [(-2.0,), (1.5,)]
    np.testing.assert_array_equal(frame_zero_means(at), [[-2.0], [1.5]])
