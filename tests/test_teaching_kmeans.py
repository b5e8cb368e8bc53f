"""From EM to k-means (explorer.teaching_kmeans) and its figures (figures.teaching_kmeans).

The oracle for k-means is gmm_core's own Lloyd iteration (gmm_core.init.lloyd, used by init='kmeans').
"""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from explorer import teaching, teaching_kmeans
from figures.teaching_kmeans import OBJECTIVES, fixed_variance_figure, method_figure
from gmm_core.init import lloyd, nearest_center

CASES = [(name, seed) for name in teaching.EXAMPLES for seed in range(4)]


@pytest.mark.parametrize("name, seed", CASES)
def test_at_a_tiny_variance_soft_em_assigns_exactly_as_lloyds_k_means(name, seed):
    X = teaching.example_data(name).X
    start = teaching.starting_params(X, 2, seed).means
    fit = teaching_kmeans.fixed_variance_em(X, start, 1e-6)
    centers = lloyd(X, start)
    labels, _ = nearest_center(X, centers)
    np.testing.assert_array_equal(fit.labels, labels)
    np.testing.assert_allclose(fit.means, centers, atol=1e-9)
    assert np.all((fit.resp < 1e-12) | (fit.resp > 1 - 1e-12))  # the soft assignment has become hard


@pytest.mark.parametrize("name, seed", CASES)
def test_lloyd_run_ends_where_gmm_cores_lloyd_ends_and_never_raises_j(name, seed):
    X = teaching.example_data(name).X
    start = teaching.starting_params(X, 2, seed).means
    run = teaching_kmeans.lloyd_run(X, start)
    np.testing.assert_allclose(run.centers, lloyd(X, start), atol=1e-12)
    np.testing.assert_array_equal(run.center_path[0], start)
    assert np.all(np.diff(run.distortion) <= 1e-12)
    direct = ((X - run.centers[run.labels]) ** 2).sum()
    assert run.distortion[-1] == pytest.approx(direct, rel=1e-12)


def test_shrinking_the_variance_hardens_the_responsibilities():
    X = teaching.example_data("1d").X
    start = teaching.starting_params(X, 2, 0).means
    steps = teaching_kmeans.variance_steps(X)
    assert steps[0] == pytest.approx(X.var()) and steps[-1] == teaching_kmeans.SMALLEST_VARIANCE
    assert all(a > b for a, b in zip(steps, steps[1:]))
    certainty = [teaching_kmeans.fixed_variance_em(X, start, v).resp.max(axis=1).mean() for v in steps]
    assert certainty[0] < 0.6 and certainty[-1] == pytest.approx(1.0, abs=1e-12)
    assert teaching_kmeans.fixed_variance_em(X, start, steps[-1]).converged
    assert not teaching_kmeans.fixed_variance_em(X, start, steps[0], max_iter=5).converged
    assert all(a <= b + 1e-12 for a, b in zip(certainty, certainty[1:]))


def test_fixed_variance_em_is_em_of_that_model_and_never_lowers_its_likelihood():
    X = teaching.example_data("2d").X
    start = teaching.starting_params(X, 2, 1).means
    fit = teaching_kmeans.fixed_variance_em(X, start, variance=2.0)
    assert np.all(np.diff(fit.log_likelihood) >= -1e-9)
    # One step by hand: responsibilities from gmm_core.e_step, then responsibility-weighted means.
    params = teaching_kmeans.fixed_variance_params(fit.mean_path[0], 2.0)
    resp, _ = gmm_core.e_step(X, params)
    np.testing.assert_allclose(fit.mean_path[1], resp.T @ X / resp.sum(axis=0)[:, None], rtol=1e-12)
    np.testing.assert_allclose(fit.params.covariances, [2.0, 2.0])
    with pytest.raises(ValueError, match="positive"):
        teaching_kmeans.fixed_variance_em(X, start, 0.0)


def test_k_means_j_is_the_fixed_variance_classification_log_likelihood_rescaled():
    X = teaching.example_data("2d").X
    centers = teaching.starting_params(X, 2, 3).means
    variance = 0.7
    run = teaching_kmeans.lloyd_run(X, centers, max_iter=1)
    classification = teaching_kmeans.classification_log_likelihood(
        X, teaching_kmeans.fixed_variance_params(run.center_path[0], variance))
    n, d = X.shape
    constant = n * (np.log(0.5) - 0.5 * d * np.log(2 * np.pi * variance))
    assert classification == pytest.approx(constant - run.distortion[0] / (2 * variance), rel=1e-10)


@pytest.mark.parametrize("name", list(teaching.EXAMPLES))
def test_three_ways_start_together_and_each_objective_moves_one_way(name):
    X = teaching.example_data(name).X
    ways = teaching_kmeans.three_ways(X, seed=1)
    np.testing.assert_array_equal(ways.soft.trace[0].params.means, ways.start)
    np.testing.assert_array_equal(ways.hard.trace[0].params.means, ways.start)
    np.testing.assert_array_equal(ways.kmeans.center_path[0], ways.start)
    assert np.all(np.diff(ways.soft_curve) >= -1e-6)  # reg_covar can lower it by a hair near the top
    assert np.all(np.diff(ways.hard_curve) >= -1e-6)
    assert np.all(np.diff(ways.kmeans.distortion) <= 1e-12)
    assert ways.hard_curve[-1] < ways.soft_curve[-1]  # the classification likelihood is the lower one
    np.testing.assert_allclose(ways.soft_curve, [e.log_likelihood for e in ways.soft.trace], rtol=1e-10)


def test_fixed_variance_figure_1d_shows_responsibility_hardening_into_a_step():
    X = teaching.example_data("1d").X
    start = teaching.starting_params(X, 2, 0).means
    soft = fixed_variance_figure(X, teaching_kmeans.fixed_variance_em(X, start, 1.0))
    hard = fixed_variance_figure(X, teaching_kmeans.fixed_variance_em(X, start, 1e-6))
    gamma = [next(t for t in fig.data if t.name.startswith("γ₁")) for fig in (soft, hard)]
    smooth = np.asarray(gamma[0].y)
    assert np.mean((smooth > 0.01) & (smooth < 0.99)) > 0.2  # a gentle sigmoid across the data
    steep = np.asarray(gamma[1].y)
    assert np.mean((steep < 1e-9) | (steep > 1 - 1e-9)) > 0.99  # all but the grid point at the boundary
    intervals = [t for t in hard.data if t.name and "± σ" in t.name]
    assert len(intervals) == 2 and np.ptp(intervals[0].x) == pytest.approx(2e-3)


def test_fixed_variance_figure_2d_draws_circles_of_radius_sigma():
    X = teaching.example_data("2d").X
    fit = teaching_kmeans.fixed_variance_em(X, teaching.starting_params(X, 2, 0).means, 0.25)
    fig = fixed_variance_figure(X, fit, ("x₁", "x₂"))
    circle = next(t for t in fig.data if t.name == "component 1: circles of radius σ and 2σ")
    radius = np.hypot(np.asarray(circle.x) - fit.means[0, 0], np.asarray(circle.y) - fit.means[0, 1])
    np.testing.assert_allclose(radius, 0.5, rtol=1e-9)
    assert fig.layout.yaxis.scaleanchor == "x"


@pytest.mark.parametrize("name", list(teaching.EXAMPLES))
def test_each_method_figure_has_its_picture_and_its_objective_curve(name):
    X = teaching.example_data(name).X
    ways = teaching_kmeans.three_ways(X, seed=0)
    curves = {"soft": ways.soft_curve, "hard": ways.hard_curve, "kmeans": ways.kmeans.distortion}
    for method, (title, objective) in OBJECTIVES.items():
        fig = method_figure(X, ways, method, ("x",) if X.shape[1] == 1 else ("x₁", "x₂"))
        assert fig.layout.annotations[0].text == f"{title}: {len(curves[method]) - 1} iterations"
        (curve,) = [t for t in fig.data if getattr(t, "mode", None) == "lines+markers"]
        np.testing.assert_array_equal(curve.y, curves[method])
        assert fig.layout.yaxis2.title.text == objective
