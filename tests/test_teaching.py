"""EM stepped by hand (explorer.teaching) and the How EM works figures (figures.teaching)."""

import ast
from pathlib import Path

import numpy as np
import pytest

import gmm_core
from explorer import teaching
from figures.teaching import blended_colors, comparison_figure, step_figure

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", list(teaching.EXAMPLES))
@pytest.mark.parametrize("n_iterations", [1, 5, 25])
def test_stepping_by_hand_n_times_equals_fit_with_max_iter_n(name, n_iterations):
    seed = 2
    example = teaching.new_example(name, seed)
    for _ in range(n_iterations):
        example = example.e_step().m_step()
    # tol=0: the fit loop must not stop early, so it runs exactly n_iterations E+M pairs.
    fitted = gmm_core.fit(example.X, 2, "full", init="random_points", seed=seed, max_iter=n_iterations, tol=0.0)
    assert fitted.n_iter == n_iterations and not fitted.reseed_events
    np.testing.assert_allclose(example.params.weights, fitted.params.weights, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(example.params.means, fitted.params.means, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(example.params.covariances, fitted.params.covariances, rtol=1e-10, atol=1e-12)
    assert example.log_likelihood == pytest.approx(fitted.log_likelihood, rel=1e-10)
    assert example.iteration == n_iterations


def test_the_start_is_fits_iteration_zero():
    X = teaching.example_data("1d").X
    start = teaching.starting_params(X, 2, seed=4)
    fitted = gmm_core.fit(X, 2, init="random_points", seed=4, max_iter=3)
    np.testing.assert_array_equal(start.means, fitted.trace[0].params.means)
    assert set(start.means[:, 0]) <= set(X[:, 0])  # means start at data points


def test_steps_must_alternate():
    example = teaching.new_example("1d")
    with pytest.raises(ValueError, match="E-step first"):
        example.m_step()
    after_e = example.e_step()
    assert after_e.next_step == "M-step"
    with pytest.raises(ValueError, match="M-step next"):
        after_e.e_step()


def test_the_log_likelihood_never_falls():
    example = teaching.new_example("1d", seed=1).iterate(30)
    assert len(example.history) == 31
    assert np.all(np.diff(example.history) >= -1e-9)


def test_run_to_convergence_stops_where_fit_with_the_same_tolerance_stops():
    example = teaching.new_example("1d", seed=3).run_to_convergence()
    fitted = gmm_core.fit(example.X, 2, "full", init="random_points", seed=3, max_iter=teaching.FINAL_MAX_ITER,
                          tol=teaching.FINAL_TOL)
    assert example.converged and fitted.converged
    assert example.iteration == fitted.n_iter
    assert example.log_likelihood == pytest.approx(fitted.log_likelihood, rel=1e-10)
    assert len(example.params_history) == example.iteration + 1
    assert example.run_to_convergence() is example  # nothing left to do


def test_converged_only_between_iterations_and_take_next_step_alternates():
    example = teaching.new_example("2d", seed=2)
    assert not example.converged
    steps = []
    while not example.converged:
        steps.append(example.next_step)
        example = example.take_next_step()
    assert steps[:4] == ["E-step", "M-step", "E-step", "M-step"] and len(steps) == 2 * example.iteration
    assert not example.e_step().converged  # an E-step awaiting its M-step is never "converged"


def test_an_m_step_records_what_it_started_from():
    example = teaching.new_example("2d").e_step()
    after = example.m_step()
    assert after.before is example.params and after.used_resp is example.resp
    np.testing.assert_allclose(after.counts, example.resp.sum(axis=0))
    np.testing.assert_allclose(after.params.weights, after.counts / len(example.X))


def test_responsibility_table_is_the_e_step_row_by_row():
    example = teaching.new_example("1d").e_step()
    chosen = teaching.chosen_points(example.X)
    table = teaching.responsibility_table(example.X, example.params, chosen, ("x",), example.resp)
    assert list(table["point"]) == list(chosen + 1)
    np.testing.assert_allclose(table["x"], example.X[chosen, 0])
    np.testing.assert_allclose(table["π₁·N₁(x)"] + table["π₂·N₂(x)"], table["sum p(x)"])
    np.testing.assert_allclose(table["γ₁"], table["π₁·N₁(x)"] / table["sum p(x)"])
    np.testing.assert_allclose(table["γ₁"] + table["γ₂"], 1.0)
    # Without given responsibilities the table computes the same E-step itself.
    again = teaching.responsibility_table(example.X, example.params, chosen, ("x",))
    np.testing.assert_allclose(again["γ₂"], table["γ₂"])


def test_chosen_points_span_the_data():
    X = teaching.example_data("1d").X
    chosen = teaching.chosen_points(X)
    assert len(set(chosen.tolist())) == 6
    values = X[chosen, 0]
    assert np.all(np.diff(values) > 0) or np.all(np.diff(values) < 0)
    assert values.max() - values.min() > 0.6 * np.ptp(X[:, 0])


def test_soft_and_hard_start_together_and_hard_ends_lower():
    X = teaching.example_data("1d").X
    outcome = teaching.soft_and_hard(X, seed=0)
    np.testing.assert_array_equal(outcome.soft.trace[0].params.means, outcome.hard.trace[0].params.means)
    assert outcome.soft.algorithm == "soft" and outcome.hard.algorithm == "hard"
    assert outcome.hard.log_likelihood < outcome.soft.log_likelihood - 0.1


def test_several_starts_reach_different_optima():
    data = teaching.optima_data()
    results = teaching.several_starts(data.X, 5, range(8))
    assert teaching.distinct_optima(results) >= 3
    assert all(r.converged for r in results)


def test_distinct_optima_merges_nearly_equal_values():
    class Run:
        def __init__(self, value):
            self.log_likelihood = value

    assert teaching.distinct_optima([Run(-10.0), Run(-10.001), Run(-12.0)]) == 2
    assert teaching.distinct_optima([]) == 0


# --- figures -----------------------------------------------------------------------------------------
def test_blended_colors_are_the_component_colors_for_certain_points():
    from figures import component_colors
    from figures.colors import hex_to_rgb

    colors = blended_colors(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]))
    first, second = (hex_to_rgb(c) for c in component_colors(2))
    assert colors[0] == "rgb({},{},{})".format(*first) and colors[1] == "rgb({},{},{})".format(*second)
    assert colors[2] not in colors[:2]


def test_1d_step_figure_draws_before_after_and_a_labelled_rug_below_zero():
    example = teaching.new_example("1d").e_step().m_step()
    chosen = teaching.chosen_points(example.X)
    fig = step_figure(example.X, example.params, example.before, example.used_resp, chosen, ("x",), "after")
    dashes = {trace.line.dash for trace in fig.data if getattr(trace, "mode", None) == "lines"}
    assert dashes == {"dash", "solid"}
    labelled = next(trace for trace in fig.data if trace.name == "points in the table")
    assert list(labelled.text) == [str(i + 1) for i in chosen]
    assert max(labelled.y) < 0 and fig.layout.yaxis.range[0] < min(labelled.y)


def test_2d_step_figure_draws_ellipses_and_grey_points_before_any_e_step():
    example = teaching.new_example("2d")
    fig = step_figure(example.X, example.params, feature_names=("x₁", "x₂"))
    points = next(trace for trace in fig.data if trace.name == "points")
    assert set(points.marker.color) == {"#9e9e9e"}
    assert sum(1 for trace in fig.data if getattr(trace, "mode", None) == "lines") == 2 * 2  # 1σ and 2σ per component
    assert fig.layout.yaxis.scaleanchor == "x"


def test_comparison_figure_has_one_panel_per_fit():
    data = teaching.optima_data()
    results = teaching.several_starts(data.X, 5, range(3))
    fig = comparison_figure(data.X, [(f"seed {i}", r.params, None) for i, r in enumerate(results)], ("x₁", "x₂"),
                            columns=2, highlight=1)
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["seed 0", "<b>★ seed 1</b>", "seed 2"]
    # The best run is framed: one rectangle around the second subplot (and its title), none elsewhere.
    (frame,) = fig.layout.shapes
    domain = fig.layout.xaxis2.domain
    assert frame.x0 < domain[0] < domain[1] < frame.x1 and frame.y1 > fig.layout.yaxis2.domain[1]
    assert not comparison_figure(data.X, [("a", results[0].params, None)], ("x₁", "x₂")).layout.shapes


@pytest.mark.parametrize("path", sorted(str(p.relative_to(REPO)) for layer in ("explorer", "figures")
                                         for p in (REPO / layer).glob("teaching*.py")))
def test_the_pure_layers_do_not_import_streamlit(path):
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name == "streamlit" or name.startswith("streamlit.") for name in imported)
