"""More columns and a label column under AppTest: the column and label pickers, the bundled iris, the truth
comparison and confusion table with labels, the bad label inputs, and the URL round trip of both pickers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

import gmm_core
from explorer.dataset import iris_dataset
from explorer.settings import MAX_FEATURES, from_query
from ui import fit_details
from ui.cache import fit_arguments

from app_checks import open_advanced, open_details, player_payloads
from hostile_files import HOSTILE_NAMES
from test_app_hostile_names import assert_every_appearance_escaped, csv_bytes
from ui.markdown_text import markdown_literal
from test_app_choose_k import chart_json, choose_k
from test_app_uploads import CORPUS, assert_clean, messages, new_app, upload, upload_bytes

IRIS_LIKE = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
IRIS_LINK = {"data": "iris", "k": "3", "init": "kmeans++"}


def metric(at, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, (label, [m.label for m in at.metric])
    return values[0]


def table_with(at, column: str):
    (frame,) = [f.value for f in at.dataframe if column in f.value.columns]
    return frame


def test_iris_is_a_bundled_source_fitted_on_four_features_and_compared_with_the_species():
    at = open_details(new_app(**IRIS_LINK), fit_details.TRUTH)
    assert_clean(at)
    assert not at.error and len(player_payloads(at)) == 1
    assert player_payloads(at)[0]["n_features"] == 4
    assert player_payloads(at)[0]["truth"]["name"] == "classes"  # the legend names the dashed ellipses
    # The ARI shown is that of the same fit, recomputed here with scikit-learn's ARI.
    iris = iris_dataset()
    result = gmm_core.fit(iris.X, **fit_arguments(from_query(IRIS_LINK)[0]))
    fitted = result.params.predict(iris.X)
    assert float(metric(at, "Adjusted Rand index")) == pytest.approx(adjusted_rand_score(iris.labels, fitted),
                                                                     abs=5e-4)
    confusion = table_with(at, "true class")
    assert list(confusion["true class"]) == ["setosa", "versicolor", "virginica"]
    counts = confusion.drop(columns="true class").to_numpy()
    np.testing.assert_array_equal(counts.sum(axis=1), [50, 50, 50])
    np.testing.assert_array_equal(counts, [[np.sum((iris.labels == c) & (fitted == k)) for k in range(3)]
                                           for c in range(3)])
    assert set(table_with(at, "class")["class"]) == {"setosa", "versicolor", "virginica"}
    assert any(m.value == "**Compared with the labels in 'Species'**" for m in at.markdown)
    assert at.toggle(key="show_truth").label.startswith("Show the classes")


def test_an_upload_fits_every_numeric_column_by_default_and_a_label_column_brings_the_comparison():
    at = open_details(upload(new_app(), "iris_like.csv"), fit_details.TRUTH)
    assert_clean(at)
    assert at.multiselect(key="columns").value == IRIS_LIKE
    assert f"up to {MAX_FEATURES}" in at.multiselect(key="columns").label  # the page states the cap
    assert at.selectbox(key="label").value == "" and not [m for m in at.metric if m.label == "Adjusted Rand index"]
    assert set(at.selectbox(key="label").options) == {"none", *IRIS_LIKE, "species"}  # any column, text or numbers
    at.selectbox(key="label").set_value("species").run()
    assert_clean(at)
    assert not at.error and player_payloads(at)[0]["n_features"] == 4
    assert 0 <= float(metric(at, "Adjusted Rand index")) <= 1
    assert list(table_with(at, "true class")["true class"]) == ["setosa", "versicolor", "virginica"]
    assert at.query_params["label"] in ("species", ["species"])
    assert at.query_params["cols"] in (",".join(IRIS_LIKE), [",".join(IRIS_LIKE)])
    summary = " ".join(str(m.value) for m in at.markdown)
    assert "Labels from 'species': 3 classes" in summary


def test_the_link_restores_the_chosen_columns_and_the_label_column():
    at = upload(new_app(cols="petal_width,sepal_length,petal_length", label="species", k="3"), "iris_like.csv")
    open_details(at, fit_details.TRUTH)
    assert_clean(at)
    assert at.multiselect(key="columns").value == ["petal_width", "sepal_length", "petal_length"]
    assert at.selectbox(key="label").value == "species"
    assert player_payloads(at)[0]["n_features"] == 3 and player_payloads(at)[0]["features"][0] == "petal_width"
    metric(at, "Adjusted Rand index")


def test_a_link_naming_a_label_column_the_file_lacks_says_so_and_fits_without_labels():
    at = upload(new_app(label="colour"), "iris_like.csv")
    assert_clean(at)
    assert at.selectbox(key="label").value == "" and player_payloads(at)
    assert any("no column 'colour' to use as labels" in c for c in messages(at.sidebar.caption))


def test_a_label_column_also_chosen_as_a_feature_is_refused_and_every_setting_stays():
    at = open_details(upload(new_app(cov="diag", k="3"), "iris_like.csv"), fit_details.TRUTH)
    at.selectbox(key="label").set_value("petal_width").run()
    assert_clean(at)
    (error,) = messages(at.main.error)
    assert "is chosen both as a feature and as the label column" in error and "Remove it from the columns" in error
    assert not player_payloads(at)
    assert at.multiselect(key="columns").value == IRIS_LIKE and at.selectbox(key="label").value == "petal_width"
    assert at.selectbox(key="covariance_type").value == "diag"
    at.multiselect(key="columns").set_value(IRIS_LIKE[:3]).run()  # the user's fix
    assert_clean(at)
    assert not at.error and player_payloads(at) and metric(at, "Adjusted Rand index")


@pytest.mark.parametrize("labels, words", [
    (["g"] * 40, ("one class ('g')", "fitting without labels")),
    ([f"row{i}" for i in range(40)], ("a different value in each of the 40 rows", "fitting without labels")),
], ids=["one class", "an identifier"])
def test_a_label_that_cannot_be_truth_says_why_and_the_fit_carries_on(labels, words):
    rng = np.random.default_rng(1)
    rows = "".join(f"{x:.3f},{y:.3f},{label}\n" for (x, y), label in zip(rng.normal(size=(40, 2)), labels))
    at = open_details(upload_bytes(new_app(label="group"), "groups.csv", ("x,y,group\n" + rows).encode()),
                      fit_details.TRUTH)
    assert_clean(at)
    assert any("no truth to compare with" in m for m in messages(at.info))
    assert not at.error and player_payloads(at)
    assert any(all(w in m for w in words) for m in messages(at.warning)), messages(at.warning)
    assert not [m for m in at.metric if m.label == "Adjusted Rand index"]
    assert at.selectbox(key="label").value == "group"  # kept: the user sees what was asked and why it was not used


def test_a_constant_column_among_many_warns_and_one_click_fits_the_rest():
    rng = np.random.default_rng(2)
    rows = "".join(f"{a:.3f},7,{b:.3f},{c:.3f}\n" for a, b, c in rng.normal(size=(60, 3)))
    at = upload_bytes(open_advanced(new_app(seed="5")), "flat.csv", ("a,flat,b,c\n" + rows).encode())
    assert_clean(at)
    assert any("same value in 'flat' = 7" in w for w in messages(at.warning))
    at.button(key="drop_constant").click().run()
    assert_clean(at)
    assert at.multiselect(key="columns").value == ["a", "b", "c"]
    assert not any("same value" in w for w in messages(at.warning))
    assert player_payloads(at)[0]["n_features"] == 3 and at.number_input(key="seed").value == 5


def test_more_numeric_columns_than_the_cap_keeps_the_first_ones_and_says_which():
    names = [f"m{j}" for j in range(MAX_FEATURES + 2)]
    rng = np.random.default_rng(3)
    rows = "".join(",".join(f"{v:.3f}" for v in row) + "\n" for row in rng.normal(size=(80, len(names))))
    at = upload_bytes(new_app(k="1"), "wide.csv", (",".join(names) + "\n" + rows).encode())
    assert_clean(at)
    assert at.multiselect(key="columns").value == names[:MAX_FEATURES]
    (note,) = [m for m in messages(at.info) if "more than the" in m]
    assert f"{len(names)} numeric columns, more than the {MAX_FEATURES}" in note
    assert f"left out 'm{MAX_FEATURES}' and 'm{MAX_FEATURES + 1}'" in note
    assert player_payloads(at)[0]["n_features"] == MAX_FEATURES


def test_choose_k_marks_the_number_of_classes_of_the_labels():
    at = choose_k(k_range=(1, 4), data="iris")
    assert_clean(at)
    assert "classes = 3" in chart_json(at)
    assert any("The labels in 'Species' have 3 classes" in s for s in messages(at.success))


@pytest.mark.parametrize("name", HOSTILE_NAMES[:6], ids=range(6))
def test_a_hostile_label_column_name_and_class_names_stay_text(name):
    rng = np.random.default_rng(4)
    classes = [name, name + " 2"]
    rows = [[f"{x:.3f}", f"{y:.3f}", classes[i % 2]] for i, (x, y) in enumerate(rng.normal(size=(40, 2)))]
    at = open_details(upload_bytes(new_app(label=name), "labelled.csv", csv_bytes(["x", "y", name], rows)),
                      fit_details.TRUTH)
    assert_clean(at)
    assert at.selectbox(key="label").value == name
    assert metric(at, "Adjusted Rand index")
    assert assert_every_appearance_escaped(at, name) >= 1
    headings = [m.value for m in at.markdown if "Compared with the labels" in m.value]
    assert headings == [f"**Compared with the labels in '{markdown_literal(name)}'**"]
    assert set(table_with(at, "true class")["true class"]) == set(classes)  # a table cell is text
