"""The server side of what the user does on the EM player's figure (AppTest): the player's events
arrive as session_state['_em_player_event'] (ui/em_player.py stores them there), and the page turns
them into settings, the URL and a new fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app_checks import player_payloads
from explorer.drawing import Drawing
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
    assert "means" not in at.query_params and player_payloads(at)[0]["interaction"]["mode"] == "view"


def test_in_1d_a_click_on_the_axis_places_a_mean():
    at = new_app(data="overlap", init="manual", k="2")
    at.button(key="clear_means").click().run()
    send(at, "place_mean", [-2.0, 0.123])  # the height of a 1-D click is ignored
    send(at, "place_mean", [1.5])
    assert_clean(at)
    assert url_means(at) == [(-2.0,), (1.5,)]
    np.testing.assert_array_equal(frame_zero_means(at), [[-2.0], [1.5]])


# --------------------------------------------------------------------------- drawing your own data
def url_points(at: AppTest) -> str:
    raw = at.query_params.get("pts")
    return (raw[-1] if isinstance(raw, list) else raw) or ""


def test_an_empty_canvas_says_what_to_do_and_clicks_add_points_until_em_can_run():
    at = new_app(data="draw")
    assert_clean(at)
    assert any("no points yet" in i.value and "add points" in i.value for i in at.info)
    (payload,) = player_payloads(at)
    assert payload["params"] is None and payload["interaction"]["mode"] == "add"
    assert payload["interaction"]["tools"] == ["add", "erase"]
    send(at, "add_point", [2.0, 3.0])
    assert any("1 distinct point" in i.value for i in at.info)  # k = 2 needs one more
    send(at, "add_point", [7.0, 8.0])
    send(at, "add_point", [7.5, 7.0])
    assert_clean(at)
    assert not at.info
    (payload,) = player_payloads(at)
    assert payload["params"] is not None and payload["n_samples"] == 3
    drawing = Drawing.decode(url_points(at))
    np.testing.assert_allclose(drawing.points, [[2, 3], [7, 8], [7.5, 7]], atol=drawing.step / 2)
    np.testing.assert_array_equal(read_array(payload["points"]), drawing.points)  # the fit's data is the link's


def test_the_eraser_removes_the_nearest_point():
    at = new_app(data="draw")
    for point in ([2.0, 3.0], [7.0, 8.0], [7.5, 7.0]):
        send(at, "add_point", point)
    send(at, "remove_point", [7.1, 7.9])
    assert_clean(at)
    np.testing.assert_allclose(Drawing.decode(url_points(at)).points, [[2, 3], [7.5, 7]], atol=0.01)


def test_edit_these_points_turns_a_preset_into_a_drawing_and_the_lone_far_point_lesson():
    at = new_app(k="2")
    assert "edit" in player_payloads(at)[0]["interaction"]["tools"]
    send(at, "edit_points", True)
    assert_clean(at)
    assert at.selectbox(key="source").value == "draw"
    drawing = Drawing.decode(url_points(at))
    assert drawing.n_points == 200
    # The classic lesson: one lone point far away, k = 3, and a component collapses onto it.
    (low, high), (low_y, high_y) = drawing.view_box()
    lone = [high, high_y]
    send(at, "add_point", lone)
    at.slider(key="k").set_value(3).run()
    assert_clean(at)
    (payload,) = player_payloads(at)
    final = payload["frames"]["params"][-1]
    means = read_array(payload["params"]["means"])[final]
    covariances = read_array(payload["params"]["covariances"])[final]
    on_lone = int(np.argmin(np.linalg.norm(means - lone, axis=1)))
    np.testing.assert_allclose(means[on_lone], lone, atol=drawing.step)
    assert np.linalg.det(covariances[on_lone]) < 1e-8  # collapsed onto the single point
    assert any("spurious" in w.value and "a few repeated values or points" in w.value for w in at.warning)


def test_an_upload_is_never_copied_into_a_drawing():
    at = new_app(data="upload")
    send(at, "edit_points", True)
    assert_clean(at)
    assert at.selectbox(key="source").value == "upload" and not url_points(at)


def test_a_drawing_too_big_for_a_link_stays_out_of_the_address_and_the_share_box_says_so():
    X = np.random.default_rng(1).normal(size=(3000, 2))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["data"] = "draw"
    at.run()
    at.session_state["points"] = Drawing.from_points(X).encode()
    at.run()
    assert_clean(at)
    assert player_payloads(at)[0]["n_samples"] == 3000  # the session fits every point...
    assert not url_points(at)  # ...but the address does not carry them
    assert any("3,000 points" in w.value and "cannot be shared as a link" in w.value for w in at.warning)


@pytest.mark.parametrize("points", ["2_0.01_0_0_AA", "2_0.01_0_0_A!<b>", "banana", "9_1_1_1_AAAA", "2_1e400_0_0_AAAA"])
def test_a_garbled_point_list_in_a_link_falls_back_to_an_empty_canvas_with_the_usual_notice(points):
    at = new_app(data="draw", pts=points)
    assert_clean(at)
    notices = [w.value for w in at.warning if "not understood" in w.value]
    assert len(notices) == 1 and "'pts'" in notices[0] and "<b>" not in notices[0]
    (payload,) = player_payloads(at)
    assert payload["params"] is None and read_array(payload["points"]).shape[0] == 0
    assert any("no points yet" in i.value for i in at.info)
