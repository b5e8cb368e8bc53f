"""The basin-of-attraction map (explorer.teaching_basins) and its figure (figures.teaching_basins)."""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from explorer import teaching_basins
from explorer.settings import from_query, to_query, DEFAULTS
from figures.teaching_basins import CLICK_TRACE, basin_figure, click_trace_index, solution_color

GRID = 16


@pytest.fixture(scope="module")
def article_map():
    return teaching_basins.basin_map(teaching_basins.map_data().X, GRID)


def fit_from(X, mu1, mu2, basins):
    return gmm_core.fit(X, 2, "full", init="manual", means_init=np.array([[mu1], [mu2]]), max_iter=basins.max_iter,
                        tol=basins.tol, reg_covar=basins.reg_covar)


def test_cells_equal_fit_run_alone_from_their_start(article_map):
    X = teaching_basins.map_data().X
    for row, col in [(0, 3), (2, 14), (7, 7), (9, 1), (15, 0), (12, 10)]:
        alone = fit_from(X, *article_map.cell(row, col), article_map)
        assert article_map.log_likelihood[row, col] == pytest.approx(alone.log_likelihood, abs=1e-6)
        assert article_map.n_iter[row, col] == alone.n_iter


def test_the_map_is_symmetric_under_swapping_the_labels(article_map):
    np.testing.assert_allclose(article_map.log_likelihood, article_map.log_likelihood.T, atol=1e-6)
    solutions = article_map.solutions
    for row in range(GRID):
        for col in range(GRID):
            here, mirror = solutions[article_map.solution[row, col]], solutions[article_map.solution[col, row]]
            assert here.optimum == mirror.optimum
            if row == col:
                assert here.is_saddle
            else:
                assert {here.order, mirror.order} == {"μ₁ < μ₂", "μ₁ > μ₂"}


def test_solutions_are_ranked_and_named(article_map):
    best, twin = article_map.solutions[:2]
    assert (best.name, twin.name) == ("the global optimum", "the global optimum, labels swapped")
    assert best.means[0] < best.means[1] and twin.means == pytest.approx(best.means[::-1])
    assert best.log_likelihood == pytest.approx(twin.log_likelihood, abs=1e-6)
    others = [s for s in article_map.solutions[2:] if not s.is_saddle]
    assert all(s.log_likelihood < best.log_likelihood - 1e-3 for s in others)
    assert sum(s.n_starts for s in article_map.solutions) == GRID**2
    # The best optimum of the map is what EM reaches from the true means.
    X = teaching_basins.map_data().X
    assert best.log_likelihood == pytest.approx(fit_from(X, -2.0, 1.0, article_map).log_likelihood, abs=1e-6)


def test_on_data_with_one_clear_optimum_every_start_reaches_it_or_its_label_swap():
    rng = np.random.default_rng(5)
    X = np.concatenate([rng.normal(-4.0, 1.0, 40), rng.normal(4.0, 1.5, 40)])[:, None]
    basins = teaching_basins.basin_map(X, 20)
    best = fit_from(X, -4.0, 4.0, basins)
    off_diagonal = ~np.eye(20, dtype=bool)
    np.testing.assert_allclose(basins.log_likelihood[off_diagonal], best.log_likelihood, atol=1e-6)
    names = {basins.solutions[i].name for i in np.unique(basins.solution[off_diagonal])}
    assert names == {"the global optimum", "the global optimum, labels swapped"}
    assert all(basins.solutions[basins.solution[i, i]].is_saddle for i in range(20))


def test_classify_ends_separates_optima_twins_and_the_saddle():
    ends = np.array([[-2.0, 1.0], [1.0, -2.0], [-2.0000001, 1.0], [-2.5, 0.2], [0.2, -2.5], [-0.4, -0.4]])
    log_likelihood = np.array([-118.0, -118.0, -118.00000001, -121.0, -121.0, -125.0])
    labels, solutions = teaching_basins.classify_ends(ends, log_likelihood, data_scale=1.8)
    assert [s.name for s in solutions] == [
        "the global optimum", "the global optimum, labels swapped", "a poorer local optimum",
        "a poorer local optimum, labels swapped", "both components identical (a saddle, not a maximum)",
    ]
    np.testing.assert_array_equal(labels, [0, 1, 0, 2, 3, 4])
    assert [s.n_starts for s in solutions] == [2, 1, 1, 1, 1]


def test_grid_values_survive_a_link_exactly_and_the_explorer_reruns_the_cell(article_map):
    X = teaching_basins.map_data().X
    row, col = 3, 11
    mu1, mu2 = article_map.cell(row, col)
    settings = teaching_basins.explorer_settings(DEFAULTS.with_changes(presentation=True), mu1, mu2, article_map)
    again, notices = from_query(to_query(settings))
    assert not notices and again == settings
    assert again.manual_means == ((mu1,), (mu2,)) and again.source == "overlap" and again.init == "manual"
    assert again.presentation  # the user's display settings are kept
    from ui.cache import fit_arguments  # the exact arguments the Explorer passes to gmm_core.fit

    explorer_fit = gmm_core.fit(X, **fit_arguments(again))
    assert explorer_fit.log_likelihood == pytest.approx(article_map.log_likelihood[row, col], abs=1e-6)
    assert explorer_fit.n_iter == article_map.n_iter[row, col]


def test_means_path_starts_at_the_start_and_ends_where_the_cell_ends(article_map):
    X = teaching_basins.map_data().X
    mu1, mu2 = article_map.cell(4, 9)
    path = teaching_basins.means_path(X, mu1, mu2, article_map)
    assert path.shape == (article_map.n_iter[4, 9] + 1, 2)
    assert tuple(path[0]) == (mu1, mu2)
    solution = article_map.solutions[article_map.solution[4, 9]]
    np.testing.assert_allclose(path[-1], solution.means, atol=1e-3)


def test_basin_figure_paints_each_cell_and_clicks_land_on_cell_centres(article_map):
    path = np.array([[0.0, 1.0], [0.5, 1.5]])
    fig = basin_figure(article_map, path, selected=(2, 3), selected_path=path)
    heatmap = fig.data[0]
    np.testing.assert_array_equal(np.asarray(heatmap.z), article_map.solution)
    clicks = fig.data[click_trace_index(article_map)]
    assert clicks.name == CLICK_TRACE and len(clicks.x) == GRID**2
    index = 2 * GRID + 3  # what a click on cell (2, 3) reports as its point index
    assert (clicks.x[index], clicks.y[index]) == article_map.cell(2, 3)
    assert list(clicks.customdata[index][:2]) == [2, 3]
    assert clicks.marker.opacity == 0.0
    names = [trace.name for trace in fig.data]
    assert "EM from the worked example's start" in names and "the start you clicked" in names
    best, twin = article_map.solutions[:2]
    assert solution_color(best) != solution_color(twin)
    assert fig.layout.yaxis.scaleanchor == "x"
