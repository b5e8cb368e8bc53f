"""Drawn points and their link form: exact round trip, compactness, editing, refusing garbage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import gmm_core
from explorer.drawing import ALPHABET, GRID, LINK_CHARS, MAX_POINTS, Drawing, link_problem
from explorer.settings import DEFAULTS, from_query, to_query


@st.composite
def drawings(draw):
    dim = draw(st.sampled_from([1, 2]))
    low = draw(st.floats(-1e6, 1e6))
    span = draw(st.floats(1e-3, 1e5))
    box = [(low, low + span)] * dim
    cells = draw(st.lists(st.tuples(*[st.integers(0, GRID - 1)] * dim), max_size=60))
    return Drawing.around(box).with_cells(np.array(cells, dtype=int).reshape(-1, dim))


@given(drawings())
def test_a_drawing_comes_back_from_its_link_form_exactly(drawing):
    text = drawing.encode()
    assert set(text) <= set(ALPHABET) | set("._-e0123456789")  # nothing a URL would percent-encode
    back = Drawing.decode(text)
    assert back == drawing
    np.testing.assert_array_equal(back.points, drawing.points)


@given(drawings())
def test_settings_carry_a_drawing_through_the_url(drawing):
    settings_ = DEFAULTS.with_changes(source="draw", points=drawing.encode(), blob_dim=drawing.dim)
    back, notices = from_query(to_query(settings_))
    assert notices == [] and back.points == settings_.points


def test_five_hundred_points_fit_in_a_link_with_room_to_spare():
    X = np.random.default_rng(0).normal(size=(500, 2))
    text = Drawing.from_points(X).encode()
    assert len(text) <= 4 * 500 + 40 < LINK_CHARS
    assert link_problem(text) is None


def test_loading_data_moves_each_point_by_at_most_half_a_cell():
    X = gmm_core.random_blobs(3, 400, seed=3).X * 37.0 + 1e5
    drawing = Drawing.from_points(X)
    assert drawing.n_points == 400
    assert np.abs(drawing.points - X).max() <= drawing.step / 2 + 1e-9
    lo, hi = np.array(drawing.grid_box()).T
    assert np.all(X >= lo) and np.all(X <= hi)  # the grid holds the data, with room around it
    assert drawing.step <= np.ptp(X, axis=0).max() / 600  # a cell is a small fraction of the data's width


def test_adding_and_erasing_points():
    drawing = Drawing.empty(2).add((3.3, 4.4)).add((7.0, 1.0))
    np.testing.assert_allclose(drawing.points, [[3.3, 4.4], [7.0, 1.0]], atol=drawing.step / 2)
    assert drawing.remove_nearest((3.31, 4.39)).n_points == 1
    assert drawing.remove_nearest((5.0, 9.0)).n_points == 2  # nothing near: nothing erased
    far = drawing.add((1e9, -1e9))
    assert far.points[-1].tolist() == [drawing.grid_box()[0][1], drawing.grid_box()[1][0]]  # lands on the grid's edge
    assert Drawing.empty(1).add((2.5, 99.0)).points.shape == (1, 1)  # a 1-D drawing keeps x


def test_a_full_drawing_takes_no_more_points_and_big_data_is_refused_not_cut():
    with pytest.raises(ValueError, match="at most 5,000 points"):
        Drawing.from_points(np.zeros((MAX_POINTS + 1, 2)))
    full = Drawing.empty(1).with_cells(np.zeros((MAX_POINTS, 1), dtype=int))
    assert full.add((1.0,)) is full


def test_a_drawing_too_long_for_a_link_is_said_so():
    X = np.random.default_rng(1).normal(size=(3000, 2))
    text = Drawing.from_points(X).encode()
    problem = link_problem(text)
    assert problem and "3,000 points" in problem and "at most 1,8" in problem


@pytest.mark.parametrize("text", ["", "3_1_0_0_AAAA", "2_1_0_AAAA", "2_-1_0_0_AAAA", "2_1_0_0_AAA", "2_1_0_0_AA!A",
                                  "2_nan_0_0_AAAA", "2_1_inf_0_AAAA", "2_1e300_0_0_AAAA", "<script>", "2_1_0_0_" + "A" * 40_004,
                                  "1_0.5_1e20_AA"])
def test_garbage_is_not_a_drawing(text):
    with pytest.raises(ValueError):
        Drawing.decode(text)


def test_a_garbled_drawing_in_a_link_falls_back_with_a_notice():
    settings_, notices = from_query({"data": "draw", "pts": "2_1_0_0_AA!<b>"})
    assert settings_.points == "" and settings_.source == "draw"
    assert len(notices) == 1 and "'pts'" in notices[0] and "<b>" not in notices[0]
