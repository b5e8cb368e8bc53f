"""Ellipses, sigma masses, colour codes, the display subsample."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from figures import DISPLAY_CAP, SIGMA_MASS_2D, component_colors, display_subsample, ellipse_xy
from figures.colors import (
    N_OPACITY_LEVELS,
    decode,
    point_codes,
    point_colorscale,
    unassigned_code,
)
from figures.ellipses import ellipse_stack


def random_covariance(rng):
    a = rng.normal(size=(2, 2))
    return a @ a.T + 0.05 * np.eye(2)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_sigma", [1, 2, 3])
def test_every_ellipse_point_is_n_sigma_away(seed, n_sigma):
    rng = np.random.default_rng(seed)
    mean, cov = rng.normal(size=2) * 5, random_covariance(rng)
    x, y = ellipse_xy(mean, cov, n_sigma)
    assert x.shape == y.shape == (73,)
    offsets = np.stack([x, y], axis=1) - mean
    mahalanobis = np.sqrt(np.einsum("ni,ij,nj->n", offsets, np.linalg.inv(cov), offsets))
    np.testing.assert_allclose(mahalanobis, n_sigma, rtol=1e-10)
    assert (x[0], y[0]) == pytest.approx((x[-1], y[-1]), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_extreme_points_lie_along_the_eigenvectors(seed):
    rng = np.random.default_rng(seed)
    mean, cov, n_sigma = rng.normal(size=2), random_covariance(rng), 2
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    x, y = ellipse_xy(mean, cov, n_sigma, n_points=361)
    offsets = np.stack([x, y], axis=1) - mean
    distance = np.linalg.norm(offsets, axis=1)
    far, near = offsets[distance.argmax()], offsets[distance.argmin()]
    assert distance.max() == pytest.approx(n_sigma * np.sqrt(eigenvalues[1]), rel=1e-9)
    assert distance.min() == pytest.approx(n_sigma * np.sqrt(eigenvalues[0]), rel=1e-9)
    assert abs(far @ eigenvectors[:, 1]) == pytest.approx(np.linalg.norm(far), rel=1e-9)
    assert abs(near @ eigenvectors[:, 0]) == pytest.approx(np.linalg.norm(near), rel=1e-9)


def test_axis_aligned_ellipse_by_hand():
    x, y = ellipse_xy([1.0, 2.0], np.diag([4.0, 1.0]), 3, n_points=5)  # angles 0, 90, 180, 270, 360 degrees
    points = sorted(zip(np.round(x, 12), np.round(y, 12)))
    assert set(points) == {(7.0, 2.0), (1.0, 5.0), (-5.0, 2.0), (1.0, -1.0)}


def test_flat_covariance_gives_a_segment_not_nan():
    x, y = ellipse_xy([0.0, 0.0], [[1.0, 1.0], [1.0, 1.0]], 1)
    assert np.all(np.isfinite(x)) and np.allclose(x, y)


def test_ellipse_stack_matches_single_ellipses():
    rng = np.random.default_rng(7)
    means = rng.normal(size=(4, 3, 2))
    covs = np.array([[random_covariance(rng) for _ in range(3)] for _ in range(4)])
    stack = ellipse_stack(means, covs, 2, 31)
    assert stack.shape == (4, 3, 2, 31)
    x, y = ellipse_xy(means[2, 1], covs[2, 1], 2, 31)
    np.testing.assert_allclose(stack[2, 1, 0], x)
    np.testing.assert_allclose(stack[2, 1, 1], y)


def test_ellipse_xy_rejects_wrong_shapes():
    with pytest.raises(ValueError, match="shape"):
        ellipse_xy([0.0, 0.0, 0.0], np.eye(3), 1)


def test_sigma_masses_are_the_chi_square_2_cdf():
    assert SIGMA_MASS_2D == {1: 0.393, 2: 0.865, 3: 0.989}
    for s, mass in SIGMA_MASS_2D.items():
        assert mass == pytest.approx(chi2.cdf(s**2, df=2), abs=5e-4)


def test_sigma_masses_by_monte_carlo():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((200_000, 2))
    radius = np.linalg.norm(z, axis=1)
    for s, mass in SIGMA_MASS_2D.items():
        assert np.mean(radius <= s) == pytest.approx(mass, abs=4e-3)


# --------------------------------------------------------------------------- colours
def test_component_colours_are_stable_and_distinct():
    assert component_colors(5) == component_colors(9)[:5]
    assert len(set(component_colors(16))) == 16
    assert all(c.startswith("#") and len(c) == 7 for c in component_colors(20))


def test_point_codes_round_trip():
    resp = np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.1, 0.2, 0.7], [0.0, 0.55, 0.45]])
    codes = point_codes(resp, "soft")
    assert codes.dtype == np.uint8
    component, opacity = decode(codes, 3)
    assert component.tolist() == [0, 0, 2, 1]
    assert opacity[0] == 1.0 and opacity[1] == pytest.approx(0.25)
    assert 0.25 < opacity[3] < opacity[2] < 1.0
    component, opacity = decode(point_codes(resp, "hard"), 3)
    assert component.tolist() == [0, 0, 2, 1] and np.all(opacity == 1.0)


def test_many_components_switch_to_uint16():
    resp = np.eye(20)
    codes = point_codes(resp, "soft")
    assert codes.dtype == np.uint16
    assert decode(codes, 20)[0].tolist() == list(range(20))


def test_colorscale_has_a_flat_band_per_code():
    k = 4
    scale = point_colorscale(k)
    n_codes = unassigned_code(k) + 1
    assert n_codes == k * N_OPACITY_LEVELS + 1
    assert scale["cmin"] == -0.5 and scale["cmax"] == n_codes - 0.5
    stops = scale["colorscale"]
    assert stops[0][0] == 0.0 and stops[-1][0] == 1.0
    assert all(a[0] <= b[0] for a, b in zip(stops, stops[1:]))
    for code in range(n_codes):
        lo, hi = stops[2 * code], stops[2 * code + 1]
        assert lo[1] == hi[1]
        assert lo[0] < (code + 0.5) / n_codes < hi[0]


# --------------------------------------------------------------------------- subsample
def test_small_data_is_drawn_whole():
    np.testing.assert_array_equal(display_subsample(500), np.arange(500))
    np.testing.assert_array_equal(display_subsample(DISPLAY_CAP), np.arange(DISPLAY_CAP))


def test_big_data_gets_a_fixed_sorted_subset():
    idx = display_subsample(1_000_000, cap=3000, seed=0)
    assert idx.shape == (3000,)
    assert np.all(np.diff(idx) > 0) and idx[0] >= 0 and idx[-1] < 1_000_000
    np.testing.assert_array_equal(idx, display_subsample(1_000_000, cap=3000, seed=0))
    assert not np.array_equal(idx, display_subsample(1_000_000, cap=3000, seed=1))


def test_subsample_rejects_nonsense():
    with pytest.raises(ValueError):
        display_subsample(10, cap=0)


def test_ellipse_shade_is_a_darker_version_of_the_component_colour():
    from figures.colors import darker

    for color in component_colors(8):
        rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
        shade = [int(darker(color)[i : i + 2], 16) for i in (1, 3, 5)]
        assert all(s <= c for s, c in zip(shade, rgb)) and sum(shade) < sum(rgb)
        assert shade == [round(c * 0.65) for c in rgb]


# --------------------------------------------------------------------------- typed arrays
@pytest.mark.parametrize(
    "values, dtype",
    [
        (np.array([0, 5, 255]), "u1"),
        (np.array([-3, 100]), "i1"),
        (np.arange(300), "u2"),
        (np.array([-1, 40000]), "i4"),
        (np.array([0.5, -1.25], dtype=np.float32), "f4"),
        (np.array([1e300, -2.5]), "f8"),
    ],
)
def test_typed_arrays_round_trip_with_the_smallest_integer_type(values, dtype):
    import plotly.graph_objects as go

    from figures.layers import read_array, typed_array

    spec = typed_array(values)
    assert spec["dtype"] == dtype
    np.testing.assert_array_equal(read_array(spec), values)
    # plotly.py writes the same thing for a numpy array of that dtype
    reference = go.Figure(go.Scatter(x=values.astype(read_array(spec).dtype))).to_json()
    assert spec["bdata"] in reference.replace("\\u002f", "/")
