"""More than two columns, a label column, and the bundled iris (data_sources)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_sources import DataError, load_iris, parse_csv, prepare_columns
from tests.test_data_sources import assert_student_message, read

IRIS_LIKE = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def test_all_four_columns_and_the_species_label():
    table = parse_csv(read("iris_like.csv"))
    data = prepare_columns(table, IRIS_LIKE, label="species")
    assert data.X.shape == (150, 4) and data.columns == IRIS_LIKE
    assert data.labels.classes == ("setosa", "versicolor", "virginica")
    # the codes name each row's own species, in the file's order
    np.testing.assert_array_equal(np.array(data.labels.classes)[data.labels.codes], table.frame["species"].to_numpy())
    assert data.label == "species" and data.label_note == ""
    assert list(data.preview.columns) == IRIS_LIKE + ["species"]


def test_twelve_columns_are_read_in_the_order_chosen():
    names = [f"c{j}" for j in range(12)]
    rows = "\n".join(",".join(str(10 * i + j) for j in range(12)) for i in range(5))
    table = parse_csv((",".join(names) + "\n" + rows).encode())
    chosen = names[::-1]
    data = prepare_columns(table, chosen)
    np.testing.assert_array_equal(data.X, [[10 * i + j for j in range(11, -1, -1)] for i in range(5)])


def test_a_numeric_label_column_reads_whole_numbers_as_typed():
    table = parse_csv(b"x,y,group\n1,2,1\n2,3,2\n3,4,1\n4,5,\n5,6,2.5\n")
    data = prepare_columns(table, ["x", "y"], label="group")
    assert data.labels.classes == ("1", "2", "2.5")
    np.testing.assert_array_equal(data.labels.codes, [0, 1, 0, 2])
    assert data.n_rows_used == 4 and data.drop_reasons == {"missing": 1}  # a row without its label is dropped


def test_a_label_chosen_as_a_feature_is_refused_with_a_sentence():
    table = parse_csv(read("iris_like.csv"))
    with pytest.raises(DataError) as info:
        prepare_columns(table, ["sepal_length", "petal_width"], label="petal_width")
    message = str(info.value)
    assert "'petal_width' is chosen both as a feature and as the label column" in message
    assert "Remove it from the columns" in message


def test_an_unknown_label_column_is_refused():
    with pytest.raises(DataError) as info:
        prepare_columns(parse_csv(read("iris_like.csv")), ["sepal_length"], label="colour")
    assert "no column 'colour'" in str(info.value) and "'species'" in str(info.value)


@pytest.mark.parametrize("labels, words", [
    (["a"] * 6, ["one class ('a')", "fitting without labels"]),
    ([f"id{i}" for i in range(6)], ["a different value in each of the 6 rows", "fitting without labels"]),
], ids=["one class", "one class per row"])
def test_a_label_that_cannot_be_truth_says_why_and_the_data_still_loads(labels, words):
    raw = "x,y,label\n" + "\n".join(f"{i},{i * i % 5},{label}" for i, label in enumerate(labels))
    data = prepare_columns(parse_csv(raw.encode()), ["x", "y"], label="label")
    assert data.labels is None and data.X.shape == (6, 2)
    for word in words:
        assert word in data.label_note, data.label_note


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["setosa", "2", "NA", "", " b ", "7.0"]), min_size=2, max_size=30))
def test_labels_are_each_rows_text_or_the_row_is_dropped(cells):
    raw = "x,label\n" + "\n".join(f"{i},{cell}" for i, cell in enumerate(cells))
    try:
        data = prepare_columns(parse_csv(raw.encode()), ["x"], label="label")
    except DataError as error:  # fewer than two rows with a label
        assert_student_message(str(error))
        return
    present = [(i, c.strip()) for i, c in enumerate(cells) if c.strip() not in ("", "NA")]
    np.testing.assert_array_equal(data.X[:, 0], [i for i, _ in present])
    if data.labels is None:
        assert data.label_note
        return
    got = [data.labels.classes[c] for c in data.labels.codes]
    # a text column keeps its text; an all-number column reads '7.0' as the whole number '7'
    expected = [c for _, c in present]
    assert got == expected or got == [("7" if c == "7.0" else c) for c in expected]


def test_bundled_iris_is_fishers_table():
    """Every value against scikit-learn's copy (an independent transcription; an oracle here only)."""
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    reference = sklearn_datasets.load_iris()
    data = load_iris()
    assert data.X.shape == (150, 4) and data.n_rows_dropped == 0
    np.testing.assert_array_equal(data.X, reference.data)
    np.testing.assert_array_equal(data.labels.codes, reference.target)
    assert data.labels.classes == tuple(reference.target_names)
    np.testing.assert_allclose(data.X.sum(axis=0), [876.5, 458.6, 563.7, 179.9])  # R's summary of iris
    np.testing.assert_array_equal(data.X[[34, 37]], [[4.9, 3.1, 1.5, 0.2], [4.9, 3.6, 1.4, 0.1]])  # not UCI's
