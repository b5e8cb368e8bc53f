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
    assert ks(full.x) == [1, 2, 3, 4] and list(full.y) == [900.0, 700.0, 650.0, 600.0]
    spurious = fig.data[meta["spurious"]]
    assert ks(spurious.x) == [4] and list(spurious.y) == [600.0] and spurious.x[0] == full.x[3]
    assert spurious.marker.symbol != full.marker.symbol
    assert "spurious" in spurious.hovertext[0] and "component(s) 4" in spurious.hovertext[0]
    best = fig.data[meta["best"]]
    assert (best.x[0], best.y[0]) == (full.x[3], 600.0)  # the lowest BIC, even though spurious
    recommended = fig.data[meta["recommended"]]
    assert (recommended.x[0], recommended.y[0]) == (full.x[2], 650.0)
    assert any(shape.x0 == 3 and shape.x1 == 3 and shape.line.dash == "dash" for shape in fig.layout.shapes)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert fig.layout.yaxis.title.text == "BIC (lower is better)"
    assert "true k = 3" in notes
    assert "NaN" not in fig.to_json()


def test_selection_figure_aic_uses_aic(rows):
    fig = selection_figure(rows, criterion="aic")
    full = fig.data[fig.layout.meta["lines"]["full"]]
    assert list(full.y) == [r.aic for r in rows[:4]]
    assert "recommended" not in fig.layout.meta
    assert not fig.layout.shapes
    assert fig.layout.yaxis.title.text == "AIC (lower is better)"


def test_selection_figure_without_spurious_rows_has_no_spurious_trace(rows):
    fig = selection_figure([r for r in rows if not r.spurious])
    assert "spurious" not in fig.layout.meta
    best = fig.data[fig.layout.meta["best"]]
    assert (round(best.x[0]), best.y[0]) == (3, 650.0)


def ks(xs) -> list[int]:
    """The k each x stands for (a line sits a little beside its k)."""
    return [round(x) for x in xs]


def test_models_with_equal_scores_at_one_k_stay_visible():
    # k = 1: every covariance type is the same single Gaussian in 1-D, so all four scores coincide.
    rows = [row(1, c, 500.0) for c in ("full", "tied", "diag", "spherical")]
    rows += [row(2, c, 400.0 + i) for i, c in enumerate(("full", "tied", "diag", "spherical"))]
    fig = selection_figure(rows)
    lines = [fig.data[i] for i in fig.layout.meta["lines"].values()]
    first = sorted(line.x[0] for line in lines)
    assert ks(first) == [1, 1, 1, 1] and all(b - a >= 0.05 for a, b in zip(first, first[1:]))
    assert all(abs(x - round(x)) <= 0.15 for line in lines for x in line.x)  # still read as its own k


def test_the_spurious_cross_has_a_colour_no_line_uses(rows):
    fig = selection_figure(rows)
    meta = fig.layout.meta
    line_colours = {fig.data[i].line.color.lower() for i in meta["lines"].values()}
    line_colours |= {fig.data[i].marker.color.lower() for i in meta["lines"].values()}
    spurious = fig.data[meta["spurious"]]
    # The legend draws the trace's own marker, so its cross has the same colour as the ones on the chart.
    assert spurious.marker.color.lower() not in line_colours and spurious.marker.line.color == spurious.marker.color
    assert spurious.showlegend is not False


def test_lines_above_a_zoomed_range_are_announced_on_the_chart():
    # Old Faithful-like: spherical far above the competitive models at every k, full and tied only at k = 1.
    rows = [row(k, "full", b) for k, b in {1: 4000.0, 2: 2330.0, 3: 2314.0, 4: 2325.0, 5: 2346.0}.items()]
    rows += [row(k, "tied", b) for k, b in {1: 4000.0, 2: 2320.0, 3: 2318.0, 4: 2330.0, 5: 2340.0}.items()]
    rows += [row(k, "spherical", 5000.0 + k) for k in range(1, 4)]
    fig = selection_figure(rows)
    top = fig.layout.yaxis.range[1]
    expected = {"full": [1], "tied": [1], "spherical": [1, 2, 3]}
    assert fig.layout.meta["above_range"] == expected
    assert expected == {c: [r.n_components for r in rows if r.covariance_type == c and r.bic > top] for c in expected}
    for index in fig.layout.meta["above"]:  # an arrow on the top edge at each of them, in its line's colour
        arrows = fig.data[index]
        colour = fig.data[fig.layout.meta["lines"][arrows.legendgroup]].line.color
        assert set(arrows.y) == {top} and arrows.marker.color == colour and arrows.marker.symbol == "triangle-up"
        assert ks(arrows.x) == expected[arrows.legendgroup]
    note = " ".join(a.text for a in fig.layout.annotations)
    assert "above this zoomed range (double-click to see all):<br>full, tied at k = 1<br>spherical at k = 1–3" in note


def test_nothing_is_announced_when_every_model_is_in_range():
    fig = selection_figure([row(k, "full", 100.0 + k) for k in range(1, 7)])
    assert "above" not in fig.layout.meta and not any("above" in a.text for a in fig.layout.annotations)


def test_presentation_sizes_the_chart_to_fit_a_projector(rows):
    assert selection_figure(rows, presentation=True).layout.height <= 520
    assert selection_figure(rows).layout.height is None


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
