"""Starting means placed by hand: clicks, drags, clamping, and refusing what the browser must not send."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from explorer.starting_means import (
    clamp,
    data_bounds,
    default_means,
    keep_newest,
    move_mean,
    parse_point,
    place_mean,
    rounded,
)


def test_clicks_fill_k_means_then_replace_the_oldest():
    means = ()
    for point in [(1.0, 2.0), (3.0, 4.0)]:
        means = place_mean(means, point, 2)
    assert means == ((1.0, 2.0), (3.0, 4.0))
    assert place_mean(means, (5.0, 6.0), 2) == ((3.0, 4.0), (5.0, 6.0))
    assert keep_newest(((1.0,), (2.0,), (3.0,)), 2) == ((2.0,), (3.0,))


def test_a_drag_moves_one_mean_and_a_wrong_index_changes_nothing():
    means = ((1.0, 2.0), (3.0, 4.0))
    assert move_mean(means, 1, (9.0, 9.0)) == ((1.0, 2.0), (9.0, 9.0))
    for index in (-1, 2, "0", None, True, 0.0):
        assert move_mean(means, index, (9.0, 9.0)) == means


def test_a_mean_dragged_outside_the_data_stays_at_its_edge():
    X = np.array([[0.0, 10.0], [4.0, 20.0]])
    bounds = data_bounds(X)
    assert bounds == ((0.0, 4.0), (10.0, 20.0))
    assert clamp((-3.0, 50.0), bounds) == (0.0, 20.0)
    assert clamp((2.0, 15.0), bounds) == (2.0, 15.0)


@pytest.mark.parametrize("value", [None, "1,2", [1.0], [float("nan"), 1.0], [float("inf"), 0.0], ["a", "b"],
                                   [1e13, 0.0], {"x": 1}, [None, 2.0]])
def test_anything_but_finite_numbers_is_refused(value):
    assert parse_point(value, 2) is None


def test_a_good_point_is_read_and_extra_values_ignored():
    assert parse_point([1, "2.5", 7], 2) == (1.0, 2.5)
    assert parse_point([3.25], 1) == (3.25,)


@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e4))
def test_rounding_keeps_a_click_within_a_thousandth_of_the_data_span(value, span):
    bounds = ((value - span / 2, value + span / 2),)
    (got,) = rounded((value,), bounds)
    assert abs(got - value) <= 1e-3 * span


def test_default_means_are_quantiles_one_per_component():
    X = np.arange(100.0)[:, None]
    means = default_means(X, 4)
    assert len(means) == 4 and all(len(row) == 1 for row in means)
    assert [row[0] for row in means] == sorted(row[0] for row in means)
    assert math.isclose(means[0][0], np.quantile(X, 0.125), rel_tol=1e-3)
