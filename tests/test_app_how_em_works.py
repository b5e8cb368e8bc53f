"""The How EM works page under Streamlit's AppTest: equations, stepping E then M (by hand, to convergence, auto),
the bound that touches, soft vs hard, EM to k-means, the basin map, local optima."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGE = "pages/how_em_works.py"
TIMEOUT = 60
# The page's charts in order: worked example, bound slice and its close-up, half-steps, soft vs hard, σ² limit,
# soft EM, hard EM and k-means, basin map, local optima.
SLICE_CHART, SOFT_HARD_CHART, KMEANS_CHART, BASIN_CHART, OPTIMA_CHART = 1, 4, 8, 9, 10


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    return app.switch_page(PAGE).run()


def assert_clean(at):
    assert not at.exception, [e.message for e in at.exception]


def status(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("**Start**", "**Iteration", "**Converged")))


def tables(at) -> list:
    return [frame.value for frame in at.dataframe]


def chart_specs(at) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def test_default_run_shows_the_equations_and_the_three_sections(at):
    assert_clean(at)
    equations = " ".join(latex.value for latex in at.latex)
    assert len(at.latex) >= 6
    for symbol in (r"\gamma(z_{nk})", r"\boldsymbol{\mu}_k^{\text{new}}", r"\boldsymbol{\Sigma}_k^{\text{new}}",
                   r"\pi_k^{\text{new}}", r"\ln p(\mathbf{X}"):
        assert symbol in equations
    headings = " ".join(m.value for m in at.markdown)
    for number in ("9.23", "9.24", "9.25", "9.26", "9.28"):
        assert number in headings
    assert len(at.get("plotly_chart")) == 11
    assert status(at).startswith("**Start**")
    start_note = next(c.value for c in at.caption if c.value.startswith("Grey histogram"))
    assert "in the table" not in start_note and "will then be listed" in start_note  # no table of them yet
    assert "Expectation-Maximization" in headings
    (link,) = at.get("page_link")
    assert link.proto.page == "explore" and "Back to the Explorer" in link.proto.label
    assert at.button(key="how_m_step").disabled and not at.button(key="how_e_step").disabled


def test_stepping_e_then_m_changes_what_the_page_shows(at):
    start_params = tables(at)[0].copy()
    start_chart = chart_specs(at)[0]

    at.button(key="how_e_step").click().run()
    assert_clean(at)
    assert "E-step done" in status(at)
    assert any("numbered ones are in the table on the right" in c.value for c in at.caption)
    responsibilities = tables(at)[0]
    assert "γ₁" in responsibilities.columns and "γ₂" in responsibilities.columns
    assert (responsibilities["γ₁"] + responsibilities["γ₂"]).round(9).eq(1).all()
    assert at.button(key="how_e_step").disabled and not at.button(key="how_m_step").disabled
    after_e_chart = chart_specs(at)[0]
    assert after_e_chart != start_chart  # the points are now coloured by responsibility

    at.button(key="how_m_step").click().run()
    assert_clean(at)
    assert "M-step done" in status(at) and "up by" in status(at)
    updated, before = tables(at)[0], tables(at)[1]
    assert "N_k (points' worth)" in updated.columns
    assert before["mean x"].tolist() == pytest.approx(start_params["mean x"].tolist())
    assert updated["mean x"].tolist() != pytest.approx(start_params["mean x"].tolist())
    assert "before the M-step" in chart_specs(at)[0]

    at.button(key="how_reset").click().run()
    assert status(at).startswith("**Start**")


def test_the_2d_example_steps_too(at):
    at.radio(key="how_variant").set_value("2d").run()
    at.button(key="how_e_step").click().run()
    at.button(key="how_m_step").click().run()
    assert_clean(at)
    assert "M-step done" in status(at)
    assert {"mean x₁", "mean x₂", "correlation"} <= set(tables(at)[0].columns)


def test_a_new_start_seed_restarts_the_example(at):
    at.button(key="how_e_step").click().run()
    at.number_input(key="how_seed").set_value(3).run()
    assert_clean(at)
    assert status(at).startswith("**Start**")


def test_soft_and_hard_em_are_compared_with_their_log_likelihoods(at):
    spec = chart_specs(at)[SOFT_HARD_CHART]
    assert "soft EM: log-likelihood" in spec and "hard EM: classification log-likelihood" in spec
    text = " ".join(m.value for m in at.markdown)
    assert "Hard EM" in text and "below soft EM" in text
    # one sentence on why hard EM's two numbers differ
    assert "reports two numbers" in text and "largest πₖ·N(x)" in text and "the log of the sum" in text


def test_local_optima_rerun_uses_new_seeds(at):
    text = " ".join(m.value for m in at.markdown)
    assert "seeds 0 to 7" in text and "different log-likelihoods" in text
    at.button(key="how_new_seeds").click().run()
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "seeds 8 to 15" in text
    assert "seed 8:" in chart_specs(at)[OPTIMA_CHART]
    assert "★ seed" in chart_specs(at)[OPTIMA_CHART]  # the best run stands out


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_the_bound_touches_after_the_e_step_and_a_gap_opens_after_the_m_step(at):
    assert "There is no bound yet" in captions(at) and not at.metric
    at.button(key="how_e_step").click().run()
    assert_clean(at)
    assert metrics(at)["gap KL"] == "0.0000"
    assert metrics(at)["log p(X | θ)"] == metrics(at)["bound 𝓛(q, θ)"]
    assert "touch ln p" in captions(at) and "★" in captions(at)
    at.button(key="how_m_step").click().run()
    values = metrics(at)
    assert float(values["gap KL"]) > 0.001
    assert float(values["log p(X | θ)"].replace(",", "")) > float(values["bound 𝓛(q, θ)"].replace(",", ""))
    assert "The M-step moved μ₁" in captions(at)
    at.radio(key="how_bound_component").set_value(1).run()
    assert "The M-step moved μ₂" in captions(at)
    at.toggle(key="how_bound_hard").set_value(True).run()
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "classification log-likelihood" in text and "With hard EM, q is one-hot" in text
    assert "bound with one-hot q (hard EM)" in chart_specs(at)[SLICE_CHART]


def test_the_2d_example_explains_why_the_bound_is_drawn_in_1d_only(at):
    at.radio(key="how_variant").set_value("2d").run()
    at.button(key="how_e_step").click().run()
    assert_clean(at)
    assert any("choose the 1-D data above" in info.value for info in at.info)
    assert len(at.get("plotly_chart")) == 9  # no slice nor close-up; the half-step curve is still there


def test_run_to_convergence_says_so_and_turns_stepping_off(at):
    at.button(key="how_run").click().run()
    assert_clean(at)
    assert status(at).startswith("**Converged after")
    assert "stepping changes nothing" in status(at)
    assert at.button(key="how_e_step").disabled and at.button(key="how_run").disabled
    assert at.button(key="how_m_step").disabled and not at.button(key="how_reset").disabled
    at.button(key="how_reset").click().run()
    assert status(at).startswith("**Start**") and not at.button(key="how_e_step").disabled


def test_auto_step_takes_one_step_per_run_and_switches_itself_off_at_convergence(at):
    at.radio(key="how_variant").set_value("2d").run()
    at.number_input(key="how_seed").set_value(14).run()  # converges in 5 iterations
    at.segmented_control(key="how_speed").set_value("fast").run()
    at.toggle(key="how_auto").set_value(True).run()  # this run takes the first step
    assert "E-step done" in status(at)
    assert at.button(key="how_m_step").disabled  # no stepping by hand while auto-step runs
    for _ in range(30):
        if not at.toggle(key="how_auto").value:
            break
        at.run()  # what the fragment's timer does in a browser
    assert_clean(at)
    assert not at.toggle(key="how_auto").value
    assert status(at).startswith("**Converged after")


def test_shrinking_sigma_squared_ends_in_k_means(at):
    assert "each point's largest responsibility averages" in captions(at)
    slider = at.select_slider(key="how_kmeans_variance")
    slider.set_value(slider.options[-1] if isinstance(slider.options[-1], int) else len(slider.options) - 1).run()
    assert_clean(at)
    assert "Every point's most responsible component is its k-means cluster" in captions(at)
    assert "k-means (Lloyd)" in chart_specs(at)[KMEANS_CHART]
    assert "classification log-likelihood" in chart_specs(at)[KMEANS_CHART - 1]


def test_the_basin_map_summarises_and_a_clicked_start_opens_in_the_explorer(at):
    text = " ".join(m.value for m in at.markdown)
    assert "of the starts reach the global optimum" in text and "saddle point" in text
    assert "the global optimum, labels swapped" in chart_specs(at)[BASIN_CHART]
    at.session_state["how_basin_cell"] = (20, 0)  # what a click on that cell stores
    at.run()
    clicked = next(m.value for m in at.markdown if m.value.startswith("**The start you clicked**"))
    assert "EM ends at" in clicked and "EM from the start you clicked" in chart_specs(at)[BASIN_CHART]
    at.button(key="how_open_start").click().run()
    assert_clean(at)
    assert at.session_state["init"] == "manual" and at.session_state["source"] == "overlap"
    assert at.session_state["k"] == 2 and len(at.session_state["manual_means"]) == 2
    assert at.title[0].value.startswith("Watch EM fit")
