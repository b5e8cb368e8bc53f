"""Downloads and tables: what a user takes away must equal what the engine fitted."""

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

import figures
import gmm_core
from explorer import exports
from explorer.settings import Settings
from explorer.tables import parameter_table, reseed_table, responsibilities_table

NAMES = ("eruptions", "waiting")


@pytest.fixture(scope="module")
def faithful_fit():
    X = np.loadtxt("data_sources/bundled/old_faithful.csv", delimiter=",", skiprows=1)
    return X, gmm_core.fit(X, 2, "full", n_init=3, seed=0)


def test_parameters_json_is_the_fitted_mixture(faithful_fit):
    X, result = faithful_fit
    settings = Settings(source="faithful", k=2)
    document = json.loads(exports.parameters_json(result, settings, NAMES))
    np.testing.assert_array_equal(document["weights"], result.params.weights)
    np.testing.assert_array_equal(document["means"], result.params.means)
    np.testing.assert_array_equal(document["covariances"], result.params.covariances)
    assert document["settings"] == {"data": "faithful"}
    assert document["log_likelihood"] == pytest.approx(result.params.log_likelihood(X))
    assert document["bic"] == pytest.approx(result.params.bic(X))
    assert document["features"] == list(NAMES)


def test_parameters_csv_has_one_row_per_component(faithful_fit):
    _, result = faithful_fit
    frame = pd.read_csv(io.StringIO(exports.parameters_csv(result, NAMES)))
    assert len(frame) == 2
    np.testing.assert_allclose(frame["weight"], result.params.weights)
    np.testing.assert_allclose(frame[["mean eruptions", "mean waiting"]], result.params.means)
    sd = np.sqrt(np.diagonal(result.params.covariances, axis1=1, axis2=2))
    np.testing.assert_allclose(frame[["sd eruptions", "sd waiting"]], sd)
    correlation = result.params.covariances[:, 0, 1] / (sd[:, 0] * sd[:, 1])
    np.testing.assert_allclose(frame["correlation"], correlation)


def test_responsibilities_csv_matches_predict_proba(faithful_fit):
    X, result = faithful_fit
    frame = pd.read_csv(io.StringIO(exports.responsibilities_csv(result, X, NAMES)))
    assert len(frame) == len(X)
    resp = frame[["responsibility 1", "responsibility 2"]].to_numpy()
    np.testing.assert_allclose(resp, result.params.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(frame["label"], result.params.predict(X) + 1)
    np.testing.assert_allclose(frame[list(NAMES)], X, rtol=1e-6)


def test_reseed_table_lists_every_event():
    X = np.r_[np.random.default_rng(0).normal(size=(50, 2)), [[40.0, 40.0]]]
    result = gmm_core.fit(X, 2, init="manual", means_init=[[0, 0], [1e4, 1e4]],
                          covariances_init=[np.eye(2), 1e-3 * np.eye(2)], max_iter=5)
    table = reseed_table(result)
    assert len(table) == len(result.reseed_events) >= 1
    assert table.iloc[0]["iteration"] == result.reseed_events[0].iteration
    assert "re-seeded because" in table.iloc[0]["what happened"]


def test_animation_html_is_standalone_and_escapes_its_text():
    data = gmm_core.two_overlapping_gaussians()
    result = gmm_core.fit(data.X, 2, max_iter=5, tol=0)
    payload = figures.player_payload(result, data.X, feature_names=["</script><b>x</b>"])
    page = exports.animation_html(payload, "<b>talk</b>", "k = 2 & more", "<i>caption</i>")
    assert "<title>&lt;b&gt;talk&lt;/b&gt;</title>" in page
    assert "k = 2 &amp; more" in page and "&lt;i&gt;caption&lt;/i&gt;" in page
    assert len(page) > 1_000_000  # plotly.js itself is inlined: no network needed
    assert '<script src="http' not in page and "<script src='http" not in page
    assert page.count("</script>") == page.count("<script>")  # no text closed a script early
    start = page.index('getElementById("em-player"), ') + len('getElementById("em-player"), ')
    embedded, _ = json.JSONDecoder().raw_decode(page[start:].replace("<\\/", "</"))
    assert embedded == json.loads(json.dumps(payload))  # the whole fit travels with the page
    assert embedded["frames"]["name"][-1] == "iteration 5"


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1:A2)"])
def test_exported_csv_headers_that_a_spreadsheet_would_run_are_neutralised(faithful_fit, name):
    X, result = faithful_fit
    names = (name, "waiting")
    for text in (exports.responsibilities_csv(result, X, names), exports.parameters_csv(result, names)):
        header = next(csv.reader(io.StringIO(text, newline="")))
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in header), header
        assert "'" + name in header or f"mean {name}" in header, header  # the name itself stays readable
    # The numbers are untouched: negative values still start with '-' and parse as numbers.
    frame = pd.read_csv(io.StringIO(exports.responsibilities_csv(result, -X, names)))
    np.testing.assert_allclose(frame["'" + name].to_numpy(), -X[:, 0], rtol=1e-6)
