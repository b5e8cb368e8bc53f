"""The Explore page under Streamlit's AppTest: controls, URL seeding, errors on the page, caching."""

import json
import math
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import gmm_core
from figures import player_assets
from explorer.settings import from_query
from explorer.tables import shown_parameter_table
from figures.bound_series import bound_series

from app_checks import open_advanced, open_details, player_payloads, static_figures
from ui import controls, fit_details
from ui.cache import fit_arguments

CORPUS = Path(__file__).parent / "data"
APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 120


def new_app(**query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def charts(at):
    """The EM players on the page (each holds its whole animation)."""
    return player_payloads(at)


def assert_clean(at):
    assert not at.exception, [e.message for e in at.exception]
    text = " ".join(str(m.value) for m in at.markdown) + " ".join(str(e.value) for e in at.error)
    assert "Traceback" not in text and "nan" not in text.lower().split()


def test_default_run_shows_the_animation_and_the_scores():
    at = new_app().run()
    assert_clean(at)
    assert len(charts(at)) >= 1
    assert charts(at)[0]["bound"] is None  # the bound comes with step mode's half-steps
    labels = [m.label for m in at.metric]
    assert any("BIC" in label for label in labels) and any("Log-likelihood" in label for label in labels)
    assert at.success or at.warning  # converged or not, the page says which


def test_downloads_are_made_on_click_without_rerunning_the_page():
    # A rerun started by the click would unregister the file being generated (a lost download under load).
    at = open_details(new_app().run(), fit_details.DOWNLOADS)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert set(buttons) >= {"Parameters (JSON)", "Parameters (CSV)", "Responsibilities (CSV)",
                            "Animation (HTML)"}
    for label, proto in buttons.items():
        assert proto.ignore_rerun, label
        assert proto.deferred_file_id and not proto.url, label


@pytest.mark.parametrize("k", [1, 3, 5])
def test_changing_k_refits_and_updates_the_url(k):
    at = new_app().run()
    at.slider(key="k").set_value(k).run()
    assert_clean(at)
    assert at.query_params.get("k") in ([str(k)], str(k)) or k == 2
    assert int(at.metric[3].value) == gmm_core.fit(
        gmm_core.two_tight_clusters(seed=0).X, k, max_iter=1).params.n_parameters


@pytest.mark.parametrize("init", ["kmeans++", "kmeans", "random_points", "random_resp", "manual"])
def test_every_initialisation_runs(init):
    at = new_app().run()
    at.selectbox(key="init").set_value(init).run()
    assert_clean(at)
    assert len(charts(at)) >= 1
    if init == "manual":
        assert at.get("arrow_data_editor") or at.get("data_editor")


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_every_covariance_type_runs(covariance_type):
    at = new_app().run()
    at.selectbox(key="covariance_type").set_value(covariance_type).run()
    assert_clean(at)
    assert len(charts(at)) >= 1


@pytest.mark.parametrize("source", ["tight", "overlap", "blobs", "faithful"])
def test_every_data_source_fits(source):
    at = new_app().run()
    at.selectbox(key="source").set_value(source).run()
    assert_clean(at)
    assert len(charts(at)) >= 1


def test_step_mode_and_hard_em_run():
    at = new_app().run()
    at.toggle(key="step_mode").set_value(True).run()
    at.radio(key="algorithm").set_value("hard").run()
    assert_clean(at)
    assert len(charts(at)) >= 1


def test_query_parameters_seed_the_settings():
    at = open_advanced(new_app(data="faithful", k="3", cov="diag", init="kmeans", restarts="3", steps="1")).run()
    assert_clean(at)
    assert at.selectbox(key="source").value == "faithful"
    assert at.slider(key="k").value == 3
    assert at.selectbox(key="covariance_type").value == "diag"
    assert at.number_input(key="n_init").value == 3
    assert at.toggle(key="step_mode").value is True


def test_the_explore_page_draws_every_chart_with_the_players_plotly():
    # st.plotly_chart would load Streamlit's own 4.7 MB plotly.js and delay the player's first figure.
    at = open_details(new_app(data="faithful", k="3", restarts="3").run(), fit_details.RESTARTS)
    assert_clean(at)
    assert not at.get("plotly_chart")
    restarts = [f for f in static_figures(at) if "best_restart" in f["layout"].get("meta", {})]
    assert len(restarts) == 1 and len(restarts[0]["data"]) == 3  # one curve per run
    open_details(at, fit_details.UNCERTAINTY)
    assert not at.get("plotly_chart")
    assert any("uncertainty_max" in f["layout"].get("meta", {}) for f in static_figures(at))


def details_drawn(at) -> dict:
    """What the details tabs drew: the parameter table (HTML), data grids, download buttons, uncertainty and
    restarts figures."""
    metas = [f["layout"].get("meta", {}) for f in static_figures(at)]
    return {"parameters": sum("emp-table" in h.proto.body for h in at.get("html")), "grids": len(at.dataframe),
            "downloads": len(at.get("download_button")),
            "uncertainty": sum("uncertainty_max" in m for m in metas), "restarts": sum("best_restart" in m for m in metas)}


def test_the_details_under_the_figure_are_drawn_one_tab_at_a_time_and_the_open_tab_stays():
    # Drawing every panel on a first visit delayed the figure by ~0.7 s (bench/RESULTS_player.md).
    at = new_app(restarts="2").run()
    assert_clean(at)
    result = gmm_core.fit(gmm_core.two_tight_clusters(seed=0).X, **fit_arguments(from_query({"restarts": "2"})[0]))
    (table,) = [h.proto.body for h in at.get("html") if "emp-table" in h.proto.body]
    assert shown_parameter_table(result.params, ("x", "y")).iloc[0]["mean x"] in table  # the fit's own numbers
    assert [tab.label for tab in at.tabs] == list(fit_details.LABELS)
    nothing = {"parameters": 0, "grids": 0, "downloads": 0, "uncertainty": 0, "restarts": 0}
    assert details_drawn(at) == nothing | {"parameters": 1}  # no data grid: its code would delay the figure
    expected = {fit_details.UNCERTAINTY: nothing | {"uncertainty": 1},
                fit_details.TRUTH: nothing | {"grids": 2},
                fit_details.RESTARTS: nothing | {"restarts": 1},
                fit_details.DOWNLOADS: nothing | {"downloads": 4}}
    for label, drawn in expected.items():
        assert details_drawn(open_details(at, label)) == drawn, label
        assert_clean(at)
    at.slider(key="k").set_value(3).run()  # another setting: the same tab stays open, showing the new fit
    assert at.session_state[fit_details.KEY] == fit_details.DOWNLOADS and details_drawn(at)["downloads"] == 4
    assert at.slider(key="k").value == 3


def test_a_tab_with_nothing_for_this_data_says_why():
    at = open_details(new_app(data="faithful").run(), fit_details.TRUTH)  # no truth, one run
    assert_clean(at)
    assert any("no truth to compare with" in box.value for box in at.info)
    open_details(at, fit_details.RESTARTS)
    assert any("one run from one start" in box.value for box in at.info)
    assert details_drawn(at) == {"parameters": 0, "grids": 0, "downloads": 0, "uncertainty": 0, "restarts": 0}


def test_a_garbled_link_falls_back_with_a_notice_and_no_html():
    at = new_app(k="<img src=x onerror=alert(1)>", cov="banana", tol="nan").run()
    assert_clean(at)
    assert at.slider(key="k").value == 2
    notices = [w.value for w in at.warning if "link" in w.value]
    assert len(notices) == 1  # one box listing every rejected value
    assert notices[0].count("was not understood") == 3
    assert "<img" not in notices[0]


def test_changing_only_a_display_option_never_refits(monkeypatch):
    st.cache_data.clear()
    calls = []
    real_fit = gmm_core.fit
    monkeypatch.setattr(gmm_core, "fit", lambda *a, **kw: calls.append(1) or real_fit(*a, **kw))
    at = new_app(seed="12345").run()
    assert len(calls) == 1
    at.toggle(key="step_mode").set_value(True).run()
    at.toggle(key="show_truth").set_value(False).run()
    assert_clean(at)
    assert len(calls) == 1


def upload(at, name, content=None):
    at.selectbox(key="source").set_value("upload").run()
    raw = (CORPUS / name).read_bytes() if content is None else content
    at.file_uploader(key="upload_file").set_value((name, raw, "text/csv")).run()
    return at


@pytest.mark.parametrize("name", ["empty.csv", "header_only.csv", "one_row.csv", "all_text.csv",
                                  "binary_garbage.csv", "ragged.csv", "huge_values.csv"])
def test_a_bad_upload_shows_an_error_not_an_exception(name):
    at = upload(new_app(k="3").run(), name)
    assert_clean(at)
    assert at.error, f"{name} should give a message"
    assert len(charts(at)) == 0
    assert at.slider(key="k").value == 3  # the other settings survive


def test_more_components_than_distinct_points_is_explained():
    at = upload(new_app(k="5").run(), "few_distinct.csv")
    assert_clean(at)
    assert any("distinct" in e.value for e in at.error)


@pytest.mark.parametrize("name", ["semicolon.csv", "tab.tsv", "latin1_accents.csv", "iris_like.csv",
                                  "one_column.csv", "messy_rows.csv"])
def test_a_good_upload_is_fitted(name):
    at = upload(new_app().run(), name)
    assert_clean(at)
    assert not at.error
    assert len(charts(at)) >= 1


def test_the_player_gets_the_cached_fit_and_plotly_starts_loading_before_it():
    at = new_app(steps="1", k="3").run()
    assert_clean(at)
    keys = [element.key for element in at.get("bidi_component")]
    assert keys.index("em_player_preload") < keys.index("em_player")  # plotly.js loads while the fit runs
    (payload,) = player_payloads(at)
    data = gmm_core.two_tight_clusters(seed=0)
    result = gmm_core.fit(data.X, 3, init="random_points", seed=0)
    assert payload["curves"][0]["y"] == [entry.log_likelihood for entry in result.trace]
    assert payload["frames"]["name"][1:3] == ["iteration 1 · E-step", "iteration 1 · M-step"]
    # Step mode: log p and the bound L per half-step, on all the data the fit used.
    assert payload["bound"] == json.loads(json.dumps(bound_series(result, data.X)))
    assert payload["bound"]["gap"][0] <= 1e-9 and "touch" in payload["bound"]["caption"]
    assert payload["display"]["equal_axes"]  # synthetic data share one unit
    assets = json.loads(at.get("bidi_component")[0].proto.json)["assets"]
    assert assets["plotly"].startswith("/component/") and "/vendor/plotly-basic.min.js?v=" in assets["plotly"]
    # The player's scripts, in load order (figures/player_assets.PLAYER_SCRIPTS), mount.js last.
    names = [url.split("/")[-1].split("?v=")[0] for url in assets["player"]]
    assert names == list(player_assets.PLAYER_SCRIPTS) and names[-1] == "mount.js"
    assert "/em_player.css?v=" in assets["css"]


def test_old_faithful_is_drawn_without_equal_axes():
    at = new_app(data="faithful").run()
    assert_clean(at)
    (payload,) = player_payloads(at)
    assert not payload["display"]["equal_axes"]  # minutes of eruption against minutes of waiting


def test_asset_urls_respect_the_base_url_path(monkeypatch):
    from ui import em_player

    monkeypatch.setattr(em_player.st, "get_option", lambda name: "/teaching/em/" if name == "server.baseUrlPath" else None)
    urls = em_player.asset_urls()
    flat = [urls["plotly"], urls["css"], *urls["player"]]
    assert len(flat) == 2 + len(player_assets.PLAYER_SCRIPTS)
    assert all(url.startswith("/teaching/em/component/") for url in flat), urls


def test_display_toggles_appear_only_where_they_do_something():
    synthetic = new_app().run()
    keys = {t.key for t in synthetic.toggle}
    assert "show_truth" in keys and "equal_axes" not in keys  # synthetic data: one unit, a truth
    faithful = new_app(data="faithful").run()
    keys = {t.key for t in faithful.toggle}
    assert "show_truth" not in keys and "equal_axes" in keys  # two units, no truth
    assert not player_payloads(faithful)[0]["display"]["equal_axes"]
    faithful.toggle(key="equal_axes").set_value(True).run()
    assert_clean(faithful)
    assert player_payloads(faithful)[0]["display"]["equal_axes"]
    assert faithful.query_params.get("equal") in ("1", ["1"])


def test_presentation_mode_sends_large_dark_axis_type_to_the_player():
    at = new_app(present="1").run()
    assert_clean(at)
    display = player_payloads(at)[0]["display"]
    assert display["presentation"] and display["style"]["tick_size"] >= 18 and display["style"]["title_size"] >= 20


def query_value(at, key):
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) and value else value


def test_a_loose_tolerance_on_a_plateau_is_not_a_green_success_and_keep_iterating_refits():
    """Old Faithful from swapped means: tol 1e-3 stops on the plateau near -1,287 (before: a green
    'Converged after 5 iterations'); 'Keep iterating' tightens the tolerance, keeps every other
    setting and the link, and reaches -1,130.26."""
    at = new_app(data="faithful", init="manual", means="4.29,54.48;2.04,79.97", tol="0.001").run()
    assert_clean(at)
    assert not at.success
    (stopped,) = [box.value for box in at.info if "Stopped after" in box.value]
    assert "the change fell below the tolerance (0.001 per point)" in stopped and "still rising" in stopped
    assert float(at.metric[0].value.replace(",", "")) < -1200
    at.button(key="keep_iterating").click().run()
    assert_clean(at)
    assert any(box.value.startswith("Converged after") for box in at.success)
    assert at.metric[0].value == "-1,130.264"
    assert query_value(at, "tol") is None  # back to the default, 1e-6
    assert query_value(at, "data") == "faithful" and query_value(at, "init") == "manual"
    assert query_value(at, "means") == "4.29,54.48;2.04,79.97"
    assert not [b for b in at.button if b.key == "keep_iterating"]


def test_the_iteration_limit_offers_keep_iterating_and_raises_max_iter():
    at = open_advanced(new_app(iters="3")).run()
    assert_clean(at)
    assert any("Stopped at the limit of 3 iterations" in box.value for box in at.warning)
    at.button(key="keep_iterating").click().run()
    assert_clean(at)
    assert at.number_input(key="max_iter").value == 103 and query_value(at, "iters") == "103"  # the link follows


def test_coinciding_components_are_warned_about():
    at = new_app(data="overlap", seed="49", iters="3").run()
    assert_clean(at)
    assert any("Components 1 and 2 nearly coincide" in box.value for box in at.warning)


def test_hard_em_shows_its_classification_log_likelihood_and_the_mixture_one():
    at = new_app(data="overlap", algo="hard").run()
    assert_clean(at)
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Classification log-likelihood", "Mixture log-likelihood"]
    assert any("fixed point of hard EM" in box.value for box in at.success)
    (payload,) = charts(at)
    assert payload["curves"][0]["name"] == "classification log-likelihood"


def test_minus_zero_in_a_link_is_shown_and_linked_as_zero():
    at = new_app(data="blobs", sep="-0", tol="-0", reg="-0").run()
    assert_clean(at)
    assert not [w.value for w in at.warning if "not understood" in w.value]
    for key in ("blob_separation", "tol", "reg_covar"):
        value = at.session_state[key]
        assert value == 0.0 and math.copysign(1.0, value) == 1.0, key
    for key in ("sep", "tol", "reg"):
        assert at.query_params[key] in ("0", ["0"]), key


def test_the_advanced_controls_draw_only_when_open_and_keep_their_values_when_closed():
    # Drawn only when open: a first visit's figure waits for every element the page draws.
    at = new_app().run()
    assert not [n for n in at.number_input if n.key in ("max_iter", "tol", "reg_covar", "seed", "n_init")]
    open_advanced(at).run()
    at.number_input(key="seed").set_value(42).run()
    at.number_input(key="max_iter").set_value(7).run()
    at.session_state[controls.ADVANCED_KEY] = False  # the user closes the section
    at.run()
    assert_clean(at)
    assert not [n for n in at.number_input if n.key == "seed"]
    at.slider(key="k").set_value(3).run()  # another change: the closed section's values still hold
    assert (at.session_state["seed"], at.session_state["max_iter"]) == (42, 7)
    assert query_value(at, "seed") == "42" and query_value(at, "iters") == "7"
    assert len(charts(at)[0]["frames"]) <= 8  # fitted with at most 7 iterations
    open_advanced(at).run()
    assert at.number_input(key="seed").value == 42  # and the reopened section shows them
