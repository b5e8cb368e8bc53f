"""The Explore page's views of a d > 2 fit under AppTest: the default pair and the sentence saying why, the
x/y pickers and the principal-components option (never a refit), the link, the scatterplot matrix and the
uncertainty view."""

from __future__ import annotations

import json

import pytest
import streamlit as st

import gmm_core
from figures.projection import pair_scores
from ui import fit_details

from app_checks import open_details, player_payloads, static_figures
from test_app_explore import assert_clean, new_app

FOUR_D = {"data": "blobs", "dim": "4", "true_k": "3", "k": "3", "dseed": "2"}


def payload(at) -> dict:
    (shown,) = player_payloads(at)
    return shown


def expected_best_pair() -> tuple[int, int]:
    """The same data and fit as FOUR_D, computed here without the app."""
    from explorer.settings import from_query
    from ui.cache import fit_arguments

    settings, _ = from_query(FOUR_D)
    data = gmm_core.random_blobs(3, settings.blob_n, 4, separation=settings.blob_separation,
                                 anisotropy=settings.blob_anisotropy, seed=2)
    return pair_scores(gmm_core.fit(data.X, **fit_arguments(settings)).params).best_pair


@pytest.fixture()
def counted_fits(monkeypatch):
    st.cache_data.clear()
    calls = []
    real_fit = gmm_core.fit
    monkeypatch.setattr(gmm_core, "fit", lambda *a, **kw: calls.append(1) or real_fit(*a, **kw))
    return calls


def test_a_four_feature_fit_is_shown_through_its_best_pair_and_the_page_says_why(counted_fits):
    at = new_app(**FOUR_D).run()
    assert_clean(at)
    shown = payload(at)
    best = expected_best_pair()
    assert shown["n_features"] == 4 and shown["view"]["pair"] == list(best)
    assert (at.selectbox(key="view_x").value, at.selectbox(key="view_y").value) == best
    why = next(c.value for c in at.caption if "easiest to tell apart" in c.value)
    assert f"**x{'₁₂₃₄'[best[0]]}** against **x{'₁₂₃₄'[best[1]]}**" in why and "of the 6 pairs" in why
    assert at.radio(key="view_mode").value == "best"


def test_switching_the_pair_or_to_principal_components_never_refits(counted_fits):
    at = new_app(**FOUR_D).run()
    assert len(counted_fits) == 1
    means = payload(at)["params"]["means"]
    x, y = at.selectbox(key="view_x").value, at.selectbox(key="view_y").value
    other = next(j for j in range(4) if j not in (x, y))
    at.selectbox(key="view_y").set_value(other).run()
    assert payload(at)["view"]["pair"] == [x, other]
    assert at.radio(key="view_mode").value == "pair"  # a picked pair is the user's
    assert at.query_params["view"] == "pair"
    at.selectbox(key="view_x").set_value(other).run()  # the y feature picked for x: the two swap
    assert payload(at)["view"]["pair"] == [other, x]
    at.radio(key="view_mode").set_value("pca").run()
    shown = payload(at)
    assert shown["features"][0].startswith("PC1") and shown["view"]["pair"] == [0, 1]
    assert "view_x" not in [box.key for box in at.selectbox]  # no feature pickers in the principal plane
    at.radio(key="view_mode").set_value("best").run()
    assert payload(at)["params"]["means"] == means
    assert_clean(at)
    assert len(counted_fits) == 1


def test_a_link_carries_the_view_and_a_pair_beyond_the_data_falls_back_with_a_note():
    at = new_app(**FOUR_D, view="pair", vx="3", vy="0").run()
    assert payload(at)["view"]["pair"] == [3, 0]
    at = new_app(**FOUR_D, view="pca").run()
    assert payload(at)["features"][1].startswith("PC2")
    at = new_app(**FOUR_D, view="pair", vx="7", vy="0").run()
    assert_clean(at)
    assert payload(at)["view"]["pair"] == list(expected_best_pair())
    assert any("does not exist" in info.value for info in at.info)


def test_the_scatterplot_matrix_shows_every_pair_of_any_iteration():
    at = new_app(**FOUR_D).run()
    assert not [c for c in at.get("plotly_chart") if "pairs_matrix" in str(c.proto.id)]
    at.toggle(key="_pairs_matrix_on").set_value(True).run()
    assert_clean(at)
    matrices = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if '"features"' in c.proto.spec]
    assert len(matrices) == 1 and matrices[0]["layout"]["meta"]["features"] == [0, 1, 2, 3]
    at.slider(key="_pairs_matrix_entry").set_value(0).run()
    assert any("Showing iteration 0" in c.value for c in at.caption)


def test_the_matrix_of_ten_features_shows_the_features_the_user_picks():
    at = new_app(data="blobs", dim="10", true_k="3", k="3", dseed="1", n="200").run()
    assert_clean(at)
    assert payload(at)["n_features"] == 10
    at.toggle(key="_pairs_matrix_on").set_value(True).run()
    picked = at.multiselect(key="_pairs_matrix_features")
    assert len(picked.value) == 6
    picked.set_value([1, 8]).run()
    (matrix,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if '"features"' in c.proto.spec]
    assert matrix["layout"]["meta"]["features"] == [1, 8]


@pytest.mark.parametrize("query", [{"data": "overlap"}, {"data": "tight"}, FOUR_D])
def test_the_uncertainty_view_shows_one_minus_the_largest_responsibility(query):
    at = open_details(new_app(**query).run(), fit_details.UNCERTAINTY)
    assert_clean(at)
    # Drawn with the player's plotly.js: the page loads no second plotly.js (ui/plotly_figure.py).
    (figure,) = [f for f in static_figures(at) if "uncertainty_max" in f["layout"].get("meta", {})]
    assert 0.0 <= figure["layout"]["meta"]["uncertainty_max"] <= 1.0 - 1.0 / int(query.get("k", 2)) + 1e-9
    assert not at.get("plotly_chart") and any("unsure" in m.value for m in at.markdown)
