"""Importing a parameters JSON (explorer/imported_model.py, ui/imported_model.py): the app's own export
read back exactly, bad files refused with a sentence, and on the Explore page (AppTest) the model as EM's
start or shown as the fit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import gmm_core
from explorer import exports, imported_model
from explorer.dataset import faithful_dataset
from explorer.settings import DEFAULTS

APP = Path(__file__).resolve().parents[1] / "app.py"
FAITHFUL = faithful_dataset()


def exported(result: gmm_core.FitResult, features=FAITHFUL.feature_names) -> bytes:
    return exports.parameters_json(result, DEFAULTS, features).encode()


@pytest.mark.parametrize("covariance_type", gmm_core.COVARIANCE_TYPES)
def test_the_apps_export_reads_back_as_the_same_mixture(covariance_type):
    result = gmm_core.fit(FAITHFUL.X, 3, covariance_type, seed=2)
    model = imported_model.read_parameters(exported(result), "fit.json")
    for name in ("weights", "means", "covariances"):
        np.testing.assert_array_equal(getattr(model.params, name), getattr(result.params, name))
    assert model.params.covariance_type == covariance_type
    assert model.features == FAITHFUL.feature_names
    assert imported_model.check_against(model, FAITHFUL.feature_names) is None


def test_the_given_result_scores_the_parameters_on_the_data():
    params = gmm_core.fit(FAITHFUL.X, 2, "diag", seed=0).params
    arguments = imported_model.fit_arguments(imported_model.ImportedModel(params, ("", ""), "m.json"), "view", {})
    result = imported_model.given_result(FAITHFUL.X, **arguments)
    assert result.n_iter == 0 and result.stop_reason == "given" and not result.converged
    assert result.log_likelihood == pytest.approx(params.log_likelihood(FAITHFUL.X), rel=1e-12)
    # the classification log-likelihood, against scipy's densities
    from scipy.stats import multivariate_normal

    densities = np.column_stack([w * multivariate_normal(m, np.diag(c)).pdf(FAITHFUL.X)
                                 for w, m, c in zip(params.weights, params.means, params.covariances)])
    assert result.trace[0].classification_log_likelihood == pytest.approx(np.log(densities.max(axis=1)).sum(), rel=1e-9)


GOOD = json.loads(exported(gmm_core.fit(FAITHFUL.X, 2, "full", seed=0)))
BAD_FILES = {
    "not JSON": (b"weights: 0.5, 0.5", "is not valid JSON (Expecting value at line 1, column 1)"),
    "binary": (b"\xff\xfe\x00\x81", "is not a text file"),
    "a list": (b"[1, 2]", "holds a JSON list, not an object"),
    "no means": (json.dumps({k: v for k, v in GOOD.items() if k != "means"}).encode(), "has no 'means'"),
    "unknown type": (json.dumps(GOOD | {"covariance_type": "round"}).encode(), "covariance_type 'round' is not one of"),
    "weights off": (json.dumps(GOOD | {"weights": [0.9, 0.9]}).encode(), "weights must be positive and sum to 1"),
    "NaN": (json.dumps(GOOD).replace(str(GOOD["means"][0][0]), "NaN", 1).encode(), "contains NaN or infinite values"),
    "not positive definite": (json.dumps(GOOD | {"covariances": [[[1, 2], [2, 1]]] * 2}).encode(), "not positive definite"),
    "shapes": (json.dumps(GOOD | {"covariances": [[1, 2], [2, 1]]}).encode(), "Inconsistent shapes"),
    "too large": (b" " * (imported_model.MAX_BYTES + 1), "too large for a parameters file"),
    "too many components": (json.dumps(GOOD | {"weights": [1 / 11] * 11, "means": [[0, 0]] * 11,
                                               "covariances": [[[1, 0], [0, 1]]] * 11}).encode(), "has 11 components"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_gets_a_sentence(case):
    raw, sentence = BAD_FILES[case]
    with pytest.raises(ValueError, match=None) as caught:
        imported_model.read_parameters(raw, "model.json")
    assert sentence in str(caught.value) and "model.json" in str(caught.value)


def test_a_model_of_other_columns_is_refused_or_matched_in_order():
    one_feature = imported_model.read_parameters(exported(gmm_core.fit(FAITHFUL.X[:, :1], 2), ("eruptions",)), "m.json")
    with pytest.raises(ValueError, match=r"describes 1 feature but the data has 2; .* \(eruptions\)\."):
        imported_model.check_against(one_feature, FAITHFUL.feature_names)
    renamed = imported_model.read_parameters(exported(gmm_core.fit(FAITHFUL.X, 2), ("a", "b")), "m.json")
    assert "matched to the data's" in imported_model.check_against(renamed, FAITHFUL.feature_names)


# --- on the page --------------------------------------------------------------------------------------------


def page_with(raw: bytes, mode: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["data"] = "faithful"
    at.run()
    at.file_uploader(key="imported_json").set_value(("cluster_fit.json", raw, "application/json")).run()
    if mode is not None:
        at.radio(key="imported_mode").set_value(mode).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> float:
    return float(next(m.value for m in at.metric if m.label == label).replace(",", ""))


def test_shown_as_the_fit_the_page_scores_the_imported_parameters():
    params = gmm_core.fit(FAITHFUL.X, 3, "tied", seed=4).params
    at = page_with(exported(gmm_core.fit(FAITHFUL.X, 3, "tied", seed=4)), mode="view")
    assert at.slider(key="k").value == 3 and at.selectbox(key="covariance_type").value == "tied"
    assert metric(at, "Log-likelihood") == pytest.approx(params.log_likelihood(FAITHFUL.X), abs=1e-3)
    assert any("imported parameters" in info.value and "EM did not run" in info.value for info in at.info)


def test_as_the_start_em_runs_from_the_imported_parameters():
    start = gmm_core.fit(FAITHFUL.X, 2, "full", max_iter=1, seed=1)  # one iteration: far from converged
    at = page_with(exported(start), mode="start")
    expected = gmm_core.fit(FAITHFUL.X, 2, "full", init="manual", means_init=start.params.means,
                            weights_init=start.params.weights, covariances_init=start.params.covariances,
                            max_iter=DEFAULTS.max_iter, tol=DEFAULTS.tol, reg_covar=DEFAULTS.reg_covar)
    assert expected.n_iter > 1
    assert metric(at, "Log-likelihood") == pytest.approx(expected.log_likelihood, abs=1e-3)
    assert metric(at, "BIC (lower is better)") == pytest.approx(expected.bic, abs=1e-3)


def test_a_bad_file_on_the_page_is_a_sentence_and_the_fit_goes_on():
    at = page_with(b"{not json")
    assert any("cluster_fit.json is not valid JSON" in error.value.replace("\\", "") for error in at.error)
    assert metric(at, "Log-likelihood") == pytest.approx(
        gmm_core.fit(FAITHFUL.X, DEFAULTS.k, init=DEFAULTS.init, seed=DEFAULTS.seed).log_likelihood, abs=1e-3)


def test_while_a_model_is_imported_k_and_the_type_are_the_models():
    at = page_with(exported(gmm_core.fit(FAITHFUL.X, 3, "diag", seed=0)), mode="view")
    at.slider(key="k").set_value(5).run()
    assert at.slider(key="k").value == 3 and at.selectbox(key="covariance_type").value == "diag"
    assert not at.exception
