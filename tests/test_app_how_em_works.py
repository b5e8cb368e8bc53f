"""The How EM works page under Streamlit's AppTest: equations, stepping E then M, soft vs hard, local optima."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGE = "pages/how_em_works.py"
TIMEOUT = 60


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    return app.switch_page(PAGE).run()


def assert_clean(at):
    assert not at.exception, [e.message for e in at.exception]


def status(at) -> str:
    return next(m.value for m in at.markdown if "Start**" in m.value or "Iteration" in m.value)


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
    assert len(at.get("plotly_chart")) == 3
    assert status(at).startswith("**Start**")
    assert at.button(key="how_m_step").disabled and not at.button(key="how_e_step").disabled


def test_stepping_e_then_m_changes_what_the_page_shows(at):
    start_params = tables(at)[0].copy()
    start_chart = chart_specs(at)[0]

    at.button(key="how_e_step").click().run()
    assert_clean(at)
    assert "E-step done" in status(at)
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
    spec = chart_specs(at)[1]
    assert "soft EM: log-likelihood" in spec and "hard EM: log-likelihood" in spec
    text = " ".join(m.value for m in at.markdown)
    assert "Hard EM" in text and "below soft EM" in text


def test_local_optima_rerun_uses_new_seeds(at):
    text = " ".join(m.value for m in at.markdown)
    assert "seeds 0 to 7" in text and "different log-likelihoods" in text
    at.button(key="how_new_seeds").click().run()
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "seeds 8 to 15" in text
    assert "seed 8:" in chart_specs(at)[2]
