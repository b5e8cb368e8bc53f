"""Ellipses (the engine-side eigen form and the player's closed form), sigma masses, colours, the display
subsample, typed arrays."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from figures import DISPLAY_CAP, SIGMA_MASS_2D, component_colors, display_subsample, ellipse_xy
from figures.ellipses import ellipse_stack
from figures.frame_state import ellipse_xy as closed_form_ellipse
from figures.typed_arrays import read_array, typed_array


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
        (np.array([0.5, -1.25], dtype=np.float32), "f4"),  # float32 stays float32 (the sender chose it)
        (np.array([0.5, -1.25], dtype=np.float16), "f8"),  # other floats travel as float64: nothing is lost
        (np.array([1e300, -2.5]), "f8"),
        (np.arange(24.0).reshape(2, 3, 4), "f8"),
    ],
)
def test_typed_arrays_round_trip_with_their_shape(values, dtype):
    import plotly.graph_objects as go

    spec = typed_array(values)
    assert spec["dtype"] == dtype and spec["shape"] == list(values.shape)
    back = read_array(spec)
    assert back.shape == values.shape
    np.testing.assert_array_equal(back, values)
    # plotly.py writes the same bytes for a flat numpy array of that dtype (plotly.js decodes them alike)
    reference = go.Figure(go.Scatter(x=values.reshape(-1).astype(back.dtype))).to_json()
    assert spec["bdata"] in reference.replace("\\u002f", "/")


# --------------------------------------------------------------------------- the player's closed-form ellipse
@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("n_sigma", [1, 2, 3])
def test_closed_form_ellipse_is_n_sigma_away_and_traces_the_eigen_ellipse(seed, n_sigma):
    rng = np.random.default_rng(seed)
    mean, cov = rng.normal(size=2) * 5, random_covariance(rng)
    curve = closed_form_ellipse(mean, cov, n_sigma)
    offsets = curve.T - mean
    mahalanobis = np.sqrt(np.einsum("ni,ij,nj->n", offsets, np.linalg.inv(cov), offsets))
    np.testing.assert_allclose(mahalanobis, n_sigma, rtol=1e-10)
    # it starts on the major axis, as far out as the ellipse goes
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    assert np.linalg.norm(offsets[0]) == pytest.approx(n_sigma * np.sqrt(eigenvalues[1]), rel=1e-10)
    assert abs(offsets[0] @ eigenvectors[:, 1]) == pytest.approx(np.linalg.norm(offsets[0]), rel=1e-10)
    # the same closed curve as the eigen-decomposition's, point for point up to where it starts
    dense = ellipse_stack(mean, cov, n_sigma, 721).T
    gaps = np.min(np.linalg.norm(curve.T[:, None, :] - dense[None, :, :], axis=2), axis=1)
    assert gaps.max() < 0.01 * n_sigma * np.sqrt(eigenvalues[1])


def test_closed_form_ellipse_of_a_flat_or_round_covariance_is_finite():
    flat = closed_form_ellipse(np.zeros(2), np.array([[1.0, 1.0], [1.0, 1.0]]), 1)
    assert np.all(np.isfinite(flat))
    np.testing.assert_allclose(flat[0], flat[1], atol=1e-12)  # a segment along x = y
    circle = closed_form_ellipse(np.array([1.0, 2.0]), np.eye(2) * 4.0, 1)
    np.testing.assert_allclose(np.hypot(circle[0] - 1.0, circle[1] - 2.0), 2.0, rtol=1e-12)
