"""The Choose k page under Streamlit's AppTest, and the Old Faithful model-selection result.

Old Faithful's waiting times are whole minutes; with restarts, a diag fit with k = 5 parks a component on
the 14 eruptions whose waiting time is exactly 83 and gets the lowest raw BIC. The page must flag it
and recommend k = 3 with tied covariances (mclust's EEE answer).
"""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import data_sources
import gmm_core

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGE = "pages/choose_k.py"
CORPUS = Path(__file__).parent / "data"
TIMEOUT = 120


def choose_k(k_range=None, **query) -> AppTest:
    """The app opened on the Choose k page, with optional URL settings and a k range."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    if k_range is not None:
        at.session_state["ck_k_range"] = k_range
    at.run()
    return at.switch_page(PAGE).run()


def assert_clean(at):
    assert not at.exception, [e.message for e in at.exception]


def sweep_table(at):
    frames = [frame.value for frame in at.dataframe if "BIC" in frame.value.columns]
    assert len(frames) == 1, "the page shows exactly one sweep table"
    return frames[0]


def row(table, k, covariance_type):
    match = table[(table["k"] == k) & (table["covariance type"] == covariance_type)]
    assert len(match) == 1
    return match.iloc[0]


def chart_json(at) -> str:
    charts = at.get("plotly_chart")
    assert charts, "no chart on the page"
    return charts[0].proto.spec


@pytest.fixture(scope="module")
def faithful_page():
    return choose_k(k_range=(1, 6), data="faithful")


@pytest.fixture(scope="module")
def faithful_selection():
    return gmm_core.select_model(data_sources.load_old_faithful().X, range(1, 7))


# --- gmm_core directly -----------------------------------------------------------------------------
def test_old_faithful_raw_best_is_the_spurious_diag_k5(faithful_selection):
    best = faithful_selection.best
    assert (best.n_components, best.covariance_type) == (5, "diag")
    assert best.bic == pytest.approx(2220.6, abs=0.2)
    assert best.spurious
    X = data_sources.load_old_faithful().X
    (component,) = best.spurious_components
    on_it = best.result.params.predict(X) == component
    assert on_it.sum() == 14 and np.all(X[on_it, 1] == 83)


def test_old_faithful_recommendation_is_tied_k3(faithful_selection):
    chosen = faithful_selection.best_non_spurious
    assert (chosen.n_components, chosen.covariance_type) == (3, "tied")
    assert chosen.log_likelihood == pytest.approx(-1126.3, abs=0.1)
    assert chosen.bic == pytest.approx(2314.3, abs=0.1)
    assert not chosen.spurious


# --- the page --------------------------------------------------------------------------------------
def test_default_run_draws_the_chart_and_the_sweep_table():
    at = choose_k()
    assert_clean(at)
    table = sweep_table(at)
    assert len(table) == 8 * 4  # k = 1..8, four covariance types
    for column in ("k", "covariance type", "log-likelihood", "parameters", "BIC", "AIC", "converged", "spurious"):
        assert column in table.columns
    assert list(table["BIC"]) == sorted(table["BIC"]), "sorted best first"
    spec = chart_json(at)
    assert "true k = 2" in spec and "lower is better" in spec
    assert "Recommended: k = 2" in at.success[0].value
    assert at.query_params.get("data") in (None, [], "tight", ["tight"])  # the default source stays out of the URL


def test_old_faithful_page_flags_the_spurious_fit_and_recommends_tied_k3(faithful_page, faithful_selection):
    at = faithful_page
    assert_clean(at)
    assert "Recommended: k = 3 with tied covariances" in at.success[0].value
    assert "2,314.3" in at.success[0].value and "-1,126.3" in at.success[0].value
    warning = " ".join(w.value for w in at.warning)
    assert "spurious" in warning and "14 points, all with waiting = 83" in warning
    assert "its variance along waiting is" in warning and "of the other components' there" in warning
    # the criterion, in one sentence, on the page
    captions = " ".join(c.value for c in at.caption)
    assert gmm_core.SPURIOUS_RULE in captions and "fewer than d + 1 distinct points" in captions
    table = sweep_table(at)
    flagged = row(table, 5, "diag")
    assert bool(flagged["spurious"]) and flagged["BIC"] == pytest.approx(2220.66, abs=0.1)
    assert "spurious" in flagged["note"] and "lowest BIC" in flagged["note"]
    recommended = row(table, 3, "tied")
    assert not recommended["spurious"] and "recommended" in recommended["note"]
    assert recommended["log-likelihood"] == pytest.approx(faithful_selection.best_non_spurious.log_likelihood, abs=1e-6)
    spec = chart_json(at)
    assert "spurious fit" in spec and "recommended: k = 3, tied" in spec
    assert any(m.value.startswith("**Why k = 3 (tied) and not the simpler k = 2 (full)?**") for m in at.markdown)
    assert at.query_params.get("data") in ("faithful", ["faithful"])


def test_aic_ranks_the_same_sweep_without_refitting(faithful_page):
    at = faithful_page
    at.radio(key="ck_criterion").set_value("aic").run()
    assert_clean(at)
    assert "lowest AIC" in at.success[0].value
    table = sweep_table(at)
    assert list(table["AIC"]) == sorted(table["AIC"])
    at.radio(key="ck_criterion").set_value("bic").run()


def test_open_in_the_explorer_carries_the_chosen_model(faithful_page, faithful_selection):
    at = faithful_page
    assert at.selectbox(key="ck_open_model").value == "3 tied"
    link = at.code[-1].value
    assert "data=faithful" in link and "k=3" in link and "cov=tied" in link and "restarts=10" in link
    at.button(key="ck_open").click().run()
    assert_clean(at)
    state = at.session_state
    assert (state["k"], state["covariance_type"], state["n_init"], state["tol"]) == (3, "tied", 10, 1e-6)
    assert at.title[0].value.startswith("Watch EM fit")  # now on the Explorer
    log_likelihood = next(m for m in at.metric if m.label == "Log-likelihood")
    expected = faithful_selection.best_non_spurious.log_likelihood
    assert float(log_likelihood.value.replace(",", "")) == pytest.approx(expected, abs=1e-3)


def test_few_distinct_points_give_sentences_not_a_traceback():
    at = choose_k()
    at.selectbox(key="source").set_value("upload").run()
    raw = (CORPUS / "few_distinct.csv").read_bytes()
    at.file_uploader(key="upload_file").set_value(("few_distinct.csv", raw, "text/csv")).run()
    assert_clean(at)
    assert any("only 3 distinct points" in i.value for i in at.info)
    assert set(sweep_table(at)["k"]) == {1, 2, 3}
    at.slider(key="ck_k_range").set_value((5, 8)).run()
    assert_clean(at)
    assert any("only 3 distinct points" in e.value and "lower the range of k" in e.value for e in at.error)
    assert not [f for f in at.dataframe if "BIC" in f.value.columns]


def test_no_covariance_type_asks_for_one():
    at = choose_k()
    at.multiselect(key="ck_covariance_types").set_value([]).run()
    assert_clean(at)
    assert any("at least one covariance type" in i.value for i in at.info)


def test_the_share_link_alone_reproduces_the_model_in_the_explorer(faithful_selection):
    link = choose_k(k_range=(1, 6), data="faithful").code[-1].value  # the sweep's fits are cached by now
    assert link.startswith("/?") or "/?" in link
    query = dict(pair.split("=", 1) for pair in link.split("?", 1)[1].split("&"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value.replace("%2B", "+")
    at.run()
    assert_clean(at)
    log_likelihood = next(m for m in at.metric if m.label == "Log-likelihood")
    expected = faithful_selection.best_non_spurious.log_likelihood
    assert float(log_likelihood.value.replace(",", "")) == pytest.approx(expected, abs=1e-3)
