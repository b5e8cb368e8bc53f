"""The static views under the player: the scatterplot matrix (figures.pairs_matrix) and the uncertainty plot
(figures.uncertainty), checked against the fitted mixture's own marginals and responsibilities."""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from figures.pairs_matrix import MATRIX_POINTS, pairs_matrix_figure
from figures.uncertainty import uncertainty, uncertainty_figure


@pytest.fixture(scope="module")
def fit_5d():
    rng = np.random.default_rng(7)
    factors = rng.normal(size=(3, 5, 5))
    truth = gmm_core.GaussianMixtureParams(np.ones(3) / 3, rng.normal(size=(3, 5)) * 3,
                                           factors @ np.swapaxes(factors, 1, 2) + 0.5 * np.eye(5), "full")
    X = truth.sample(1500, seed=1)[0]
    return X, gmm_core.fit(X, 3, covariance_type="diag", max_iter=20, seed=0)


def panel_traces(figure, row: int, col: int, m: int):
    n = row * m + col + 1
    x_name, y_name = ("x" if n == 1 else f"x{n}"), ("y" if n == 1 else f"y{n}")
    return [t for t in figure.data if t.xaxis == x_name and t.yaxis == y_name]


def test_each_panel_holds_the_pair_its_ellipses_are_the_marginal_and_its_colours_the_full_responsibilities(fit_5d):
    X, fit = fit_5d
    features = [4, 0, 2]
    names = ["a<b>", "b", "c", "d", "e & f"]
    figure = pairs_matrix_figure(fit.params, X, names, features)
    m = len(features)
    assert figure.layout.meta["features"] == features
    covariances = fit.params.full_covariances
    for r, fr in enumerate(features):
        for c, fc in enumerate(features):
            traces = panel_traces(figure, r, c, m)
            if r == c:
                assert all(t.type == "scatter" and t.mode == "lines" for t in traces)
                continue
            points, ellipses = traces[0], traces[1:4]
            assert points.type == "scattergl" and len(points.x) == MATRIX_POINTS
            rows = [np.flatnonzero((X[:, fc] == x) & (X[:, fr] == y))[0] for x, y in zip(points.x[:20], points.y[:20])]
            winners = fit.params.predict_proba(X[rows]).argmax(axis=1)
            np.testing.assert_array_equal(np.asarray(points.marker.color)[:20], winners)
            for comp, trace in enumerate(ellipses):
                xy = np.stack([trace.x, trace.y], axis=1)
                xy = xy[np.isfinite(xy[:, 0])]
                block = covariances[comp][np.ix_([fc, fr], [fc, fr])]
                offsets = xy - fit.params.means[comp, [fc, fr]]
                distances = np.sqrt(np.einsum("ni,ij,nj->n", offsets, np.linalg.inv(block), offsets))
                assert set(np.round(distances, 9)) == {1.0, 2.0}  # the 1-sigma and 2-sigma curves
    assert "a&lt;b&gt;" in str(figure.layout) and "e &amp; f" in str(figure.layout)


def test_the_matrix_refuses_fewer_than_two_features(fit_5d):
    X, fit = fit_5d
    for features in ([1], [1, 1], [0, 5]):
        with pytest.raises(ValueError, match="at least two different features"):
            pairs_matrix_figure(fit.params, X, list("abcde"), features)


def test_uncertainty_is_one_minus_the_largest_responsibility_and_sizes_grow_with_it(fit_5d):
    X, fit = fit_5d
    resp = fit.params.predict_proba(X)
    u = uncertainty(resp)
    np.testing.assert_allclose(u, 1 - resp.max(axis=1))
    assert np.all((u >= 0) & (u <= 1 - 1 / 3 + 1e-12))
    figure = uncertainty_figure(X[:, [0, 3]], resp, ["p", "q"], view_means=fit.params.means[:, [0, 3]],
                                view_covariances=fit.params.full_covariances[:, [0, 3]][:, :, [0, 3]])
    for comp in range(3):
        trace = figure.data[comp]
        mine = resp.argmax(axis=1) == comp
        order = np.argsort(u[mine])
        assert np.all(np.diff(np.asarray(trace.marker.size)[order]) >= -1e-12)  # more uncertain, larger
        np.testing.assert_allclose(trace.customdata, u[mine])
    assert figure.layout.meta["uncertainty_max"] == pytest.approx(u.max())


def test_in_one_dimension_uncertainty_is_the_height_and_peaks_between_the_components():
    rng = np.random.default_rng(2)
    X = np.concatenate([rng.normal(0.0, 1.0, 300), rng.normal(4.0, 1.0, 300)])  # equal spreads: one boundary
    fit = gmm_core.fit(X, 2, covariance_type="tied", seed=0)
    resp = fit.params.predict_proba(X)
    figure = uncertainty_figure(X, resp, ["x"])
    heights = np.concatenate([t.y for t in figure.data])
    xs = np.concatenate([t.x for t in figure.data])
    between = xs[np.argmax(heights)]
    low, high = sorted(fit.params.means[:, 0])
    assert low < between < high
    np.testing.assert_allclose(np.sort(heights), np.sort(uncertainty(resp)))
