"""restarts_figure and selection_figure."""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from figures import restarts_figure, selection_figure


@pytest.fixture(scope="module")
def restarted():
    data = gmm_core.random_blobs(4, 300, seed=5, separation=2.0)
    return gmm_core.fit(data.X, 4, init="random_points", n_init=4, max_iter=30, seed=3)


def test_restarts_figure_has_one_curve_per_restart_and_highlights_the_best(restarted):
    fig = restarts_figure(restarted)
    assert len(fig.data) == len(restarted.restarts) == 4
    best = restarted.best_restart
    for r, (trace, curve) in enumerate(zip(fig.data, restarted.restarts)):
        np.testing.assert_allclose(trace.y, curve)
        np.testing.assert_array_equal(trace.x, np.arange(len(curve)))
    widths = [t.line.width for t in fig.data]
    assert widths[best] == max(widths) and sorted(widths)[-2] < widths[best]
    others = {t.line.color for r, t in enumerate(fig.data) if r != best}
    assert len(others) == 1 and fig.data[best].line.color not in others
    assert "best" in fig.data[best].name
    assert fig.layout.meta["best_restart"] == best
    assert "NaN" not in fig.to_json()


def row(k, covariance_type, bic, spurious=(), converged=True):
    return gmm_core.SweepRow(
        n_components=k, covariance_type=covariance_type, log_likelihood=-bic / 2, n_parameters=5 * k,
        bic=bic, aic=bic - 10.0 * k, converged=converged, spurious_components=tuple(spurious), result=None,
    )


@pytest.fixture(scope="module")
def rows():
    return [
        row(1, "full", 900.0), row(2, "full", 700.0), row(3, "full", 650.0), row(4, "full", 600.0, spurious=(3,)),
        row(1, "spherical", 950.0), row(2, "spherical", 720.0), row(3, "spherical", 690.0), row(4, "spherical", 705.0),
    ]


def test_selection_figure_lines_best_spurious_and_truth(rows):
    fig = selection_figure(rows, criterion="bic", true_k=3, recommended=rows[2])
    meta = fig.layout.meta
    assert set(meta["lines"]) == {"full", "spherical"}
    full = fig.data[meta["lines"]["full"]]
    assert list(full.x) == [1, 2, 3, 4] and list(full.y) == [900.0, 700.0, 650.0, 600.0]
    spurious = fig.data[meta["spurious"]]
    assert list(spurious.x) == [4] and list(spurious.y) == [600.0]
    assert spurious.marker.symbol != full.marker.symbol
    assert "spurious" in spurious.hovertext[0] and "component(s) 4" in spurious.hovertext[0]
    best = fig.data[meta["best"]]
    assert (best.x[0], best.y[0]) == (4, 600.0)  # the lowest BIC, even though spurious
    recommended = fig.data[meta["recommended"]]
    assert (recommended.x[0], recommended.y[0]) == (3, 650.0)
    assert any(shape.x0 == 3 and shape.x1 == 3 and shape.line.dash == "dash" for shape in fig.layout.shapes)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "lower is better (scikit-learn's sign convention" in notes
    assert "true k = 3" in notes
    assert "NaN" not in fig.to_json()


def test_selection_figure_aic_uses_aic(rows):
    fig = selection_figure(rows, criterion="aic")
    full = fig.data[fig.layout.meta["lines"]["full"]]
    assert list(full.y) == [r.aic for r in rows[:4]]
    assert "recommended" not in fig.layout.meta
    assert not fig.layout.shapes
    assert fig.layout.yaxis.title.text == "AIC"


def test_selection_figure_without_spurious_rows_has_no_spurious_trace(rows):
    fig = selection_figure([r for r in rows if not r.spurious])
    assert "spurious" not in fig.layout.meta
    best = fig.data[fig.layout.meta["best"]]
    assert (best.x[0], best.y[0]) == (3, 650.0)


def test_selection_figure_rejects_unknown_criterion(rows):
    with pytest.raises(ValueError, match="criterion"):
        selection_figure(rows, criterion="loglik")


def test_selection_figure_from_a_real_sweep():
    data = gmm_core.random_blobs(2, 150, seed=1)
    selection = gmm_core.select_model(data.X, range(1, 4), ("full", "diag"), n_init=1, max_iter=50, tol=1e-3)
    fig = selection_figure(selection.rows, true_k=2, recommended=selection.best_non_spurious)
    assert len(fig.data[fig.layout.meta["lines"]["full"]].x) == 3
    assert "NaN" not in fig.to_json()


def test_selection_figure_zooms_onto_the_competitive_models():
    # Old Faithful-like: one terrible fit (k = 1, spherical) far above the rest.
    bics = {1: 4000.0, 2: 2330.0, 3: 2314.0, 4: 2325.0, 5: 2346.0, 6: 2348.0}
    rows = [row(k, "tied", b) for k, b in bics.items()]
    y_range = selection_figure(rows).layout.yaxis.range
    assert y_range is not None
    assert y_range[0] < 2314.0 < 2348.0 < y_range[1] < 4000.0


def test_selection_figure_shows_everything_when_nothing_is_far_off():
    rows = [row(k, "full", 100.0 + k) for k in range(1, 7)]
    assert selection_figure(rows).layout.yaxis.range is None
