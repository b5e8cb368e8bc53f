"""Tests for data_sources: the CSV corpus in tests/data, column preparation, standardisation."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import data_sources
import data_sources.decoding
from data_sources import (
    MAX_UPLOAD_MB,
    DataError,
    ParsedTable,
    PreparedData,
    load_old_faithful,
    parse_csv,
    prepare_columns,
)

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parent.parent


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def assert_student_message(message: str) -> None:
    """A DataError message is one plain sentence: no traceback, no NaN, no line breaks."""
    assert "traceback" not in message.lower()
    assert not re.search(r"\bnan\b", message, flags=re.IGNORECASE), message
    assert "\n" not in message
    assert message.endswith("."), message
    # A second sentence would start after '. ' with a capital letter.
    assert not re.search(r"[.!?]\s+[A-Z]", message), message


def reference_matrix(name: str, delimiter: str, encoding: str, columns: list[str]) -> np.ndarray:
    """Independent parse with the csv module, for clean files: float64 (n, len(columns))."""
    text = read(name).decode(encoding).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    return np.array([[float(row[c]) for c in columns] for row in rows], dtype=np.float64)


# --------------------------------------------------------------------------- good corpus files

GOOD = [
    # file, delimiter, encoding, numeric columns, skipped columns, rows read, columns to fit
    ("semicolon.csv", ";", "utf-8", ["height_cm", "weight_kg"], ["student"], 40, ["height_cm", "weight_kg"]),
    ("tab.tsv", "\t", "utf-8", ["temperature_c", "humidity_pct"], ["day"], 30, ["temperature_c", "humidity_pct"]),
    ("latin1_accents.csv", ",", "latin-1", ["durée", "température"], ["ville"], 24, ["durée", "température"]),
    (
        "iris_like.csv", ",", "utf-8",
        ["sepal_length", "sepal_width", "petal_length", "petal_width"], ["species"], 150,
        ["petal_length", "petal_width"],
    ),
    ("one_column.csv", ",", "utf-8", ["reaction_time_ms"], [], 60, ["reaction_time_ms"]),
    ("big_100k.csv", ",", "utf-8", ["x", "y"], [], 100_000, ["x", "y"]),
    ("identical_points.csv", ",", "utf-8", ["x", "y"], [], 50, ["x", "y"]),
    ("constant_column.csv", ",", "utf-8", ["x", "y"], [], 40, ["x", "y"]),
    ("few_distinct.csv", ",", "utf-8", ["x", "y"], [], 30, ["x", "y"]),
]


@pytest.mark.parametrize(
    "name, delimiter, encoding, numeric, skipped, n_rows, fit_columns", GOOD, ids=[g[0] for g in GOOD]
)
def test_good_file_loads_exactly(name, delimiter, encoding, numeric, skipped, n_rows, fit_columns):
    table = parse_csv(read(name), name)
    assert isinstance(table, ParsedTable)
    assert table.delimiter == delimiter
    assert table.encoding == encoding
    assert table.numeric_columns == numeric
    assert table.skipped_columns == skipped
    assert len(table.frame) == n_rows
    assert set(table.frame.columns) == set(numeric + skipped)

    data = prepare_columns(table, fit_columns)
    assert isinstance(data, PreparedData)
    assert data.X.shape == (n_rows, len(fit_columns))
    assert data.X.dtype == np.float64
    assert data.columns == fit_columns
    assert (data.n_rows_read, data.n_rows_used, data.n_rows_dropped) == (n_rows, n_rows, 0)
    assert data.drop_reasons == {}
    assert data.center is None and data.scale is None
    np.testing.assert_array_equal(data.X, reference_matrix(name, delimiter, encoding, fit_columns))
    assert list(data.preview.columns) == fit_columns
    np.testing.assert_array_equal(data.preview.to_numpy(), data.X[: min(10, n_rows)])


def test_utf8_bom_is_stripped_from_first_header():
    raw = read("semicolon.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the corpus file really has a BOM
    assert parse_csv(raw).frame.columns[0] == "student"


def test_latin1_text_cells_decode_correctly():
    table = parse_csv(read("latin1_accents.csv"))
    assert table.frame["ville"].iloc[0] == "Orléans"
    assert "Saint-Étienne" in set(table.frame["ville"])


def test_iris_species_column_kept_in_frame():
    table = parse_csv(read("iris_like.csv"))
    assert table.frame["species"].value_counts().to_dict() == {"setosa": 50, "versicolor": 50, "virginica": 50}


MESSY = [
    (["x", "y"], 21, {"missing": 4, "not a number": 3, "infinite": 2}),
    (["x"], 25, {"missing": 3, "not a number": 1, "infinite": 1}),
    (["y"], 25, {"missing": 2, "not a number": 2, "infinite": 1}),
]


@pytest.mark.parametrize("columns, n_used, reasons", MESSY, ids=["x,y", "x", "y"])
def test_messy_rows_drop_counts(columns, n_used, reasons):
    table = parse_csv(read("messy_rows.csv"))
    assert table.numeric_columns == ["x", "y"]
    assert table.skipped_columns == ["sample", "note"]
    data = prepare_columns(table, columns)
    assert data.n_rows_read == 30  # the blank line is not a row
    assert data.n_rows_used == n_used
    assert data.n_rows_dropped == 30 - n_used
    assert data.drop_reasons == reasons
    assert sum(data.drop_reasons.values()) == data.n_rows_dropped
    assert np.all(np.isfinite(data.X))
    assert data.X.shape == (n_used, len(columns))


def test_messy_rows_keep_the_right_values():
    data = prepare_columns(parse_csv(read("messy_rows.csv")), ["x", "y"])
    # A01 and A02 are clean (A02's x has spaces around it); A03 (x blank) is dropped.
    np.testing.assert_array_equal(data.X[:3], [[5.05, 16.08], [6.84, 10.47], [5.85, 11.83]])


# --------------------------------------------------------------------------- bad corpus files

BAD_PARSE = [
    ("empty.csv", ["empty"]),
    ("header_only.csv", ["header row", "no data rows"]),
    ("one_row.csv", ["only one data row", "at least 2"]),
    ("all_text.csv", ["no column of numbers", "'name'", "'city'", "'favourite_colour'"]),
    ("binary_garbage.csv", ["does not look like a text csv", "binary"]),
    ("ragged.csv", ["line 5", "3 values", "2 columns"]),
]


@pytest.mark.parametrize("name, keywords", BAD_PARSE, ids=[b[0] for b in BAD_PARSE])
def test_bad_file_raises_clear_error(name, keywords):
    with pytest.raises(DataError) as info:
        parse_csv(read(name), name)
    message = str(info.value)
    for word in keywords:
        assert word in message.lower(), (word, message)
    assert_student_message(message)


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


def test_huge_values_rejected_without_standardisation():
    table = parse_csv(read("huge_values.csv"))
    assert len(table.frame) == 20
    with pytest.raises(DataError) as info:
        prepare_columns(table, ["x", "y"])
    message = str(info.value)
    assert "too large" in message and "'x'" in message and "standardisation" in message
    assert_student_message(message)


def test_huge_values_standardised_are_finite_and_unit_scaled():
    data = prepare_columns(parse_csv(read("huge_values.csv")), ["x", "y"], standardise=True)
    assert data.X.shape == (20, 2)
    assert np.all(np.isfinite(data.X))
    assert np.all(np.isfinite(data.center)) and np.all(np.isfinite(data.scale))
    np.testing.assert_allclose(data.X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.X.std(axis=0), 1.0, rtol=1e-12)
    assert data.center[0] > 1e300 and data.scale[1] > 1e298  # stored in original units
    # Preview stays in original units.
    assert data.preview["x"].iloc[0] > 1e300


# --------------------------------------------------------------------------- standardisation

def test_standardise_gives_zero_mean_unit_std_and_invertible_transform():
    table = parse_csv(read("iris_like.csv"))
    plain = prepare_columns(table, ["petal_length", "petal_width"])
    data = prepare_columns(table, ["petal_length", "petal_width"], standardise=True)
    assert data.standardised and not plain.standardised
    np.testing.assert_allclose(data.X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.X.std(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(data.center, plain.X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(data.scale, plain.X.std(axis=0), rtol=1e-12)
    np.testing.assert_allclose((plain.X - data.center) / data.scale, data.X, atol=1e-12)
    np.testing.assert_array_equal(data.preview.to_numpy(), plain.X[:10])


def test_standardise_constant_column_gets_scale_one():
    data = prepare_columns(parse_csv(read("constant_column.csv")), ["x", "y"], standardise=True)
    assert data.scale[1] == 1.0 and data.center[1] == 3.0
    assert np.all(data.X[:, 1] == 0.0)
    np.testing.assert_allclose(data.X[:, 0].std(), 1.0, rtol=1e-12)


def test_standardise_identical_points_is_all_zero():
    data = prepare_columns(parse_csv(read("identical_points.csv")), ["x", "y"], standardise=True)
    assert np.all(data.X == 0.0)
    np.testing.assert_array_equal(data.center, [2.5, 7.0])
    np.testing.assert_array_equal(data.scale, [1.0, 1.0])


def test_standardise_constant_huge_column_has_no_rounding_residue():
    raw = b"x,y\n" + b"".join(f"{i}.5,7.123456789e300\n".encode() for i in range(30))
    data = prepare_columns(parse_csv(raw), ["x", "y"], standardise=True)
    assert np.all(data.X[:, 1] == 0.0)


# --------------------------------------------------------------------------- bundled data

def test_old_faithful():
    data = load_old_faithful()
    assert data.X.shape == (272, 2)
    assert data.columns == ["eruptions", "waiting"]
    np.testing.assert_array_equal(data.X[0], [3.6, 79.0])
    np.testing.assert_array_equal(data.X[-1], [4.467, 74.0])
    assert data.n_rows_dropped == 0 and data.center is None
    assert 1.5 < data.X[:, 0].min() < data.X[:, 0].max() < 5.2


# --------------------------------------------------------------------------- choosing columns

@pytest.fixture(scope="module")
def iris() -> ParsedTable:
    return parse_csv(read("iris_like.csv"))


@pytest.mark.parametrize(
    "columns, keywords",
    [
        ([], ["at least one"]),
        (["species"], ["'species'", "text"]),
        (["petal_length", "colour"], ["no column 'colour'"]),
        (["petal_length", "petal_length"], ["different columns", "'petal_length' twice"]),
    ],
    ids=["none", "text", "unknown", "twice"],
)
def test_bad_column_choice(iris, columns, keywords):
    with pytest.raises(DataError) as info:
        prepare_columns(iris, columns)
    message = str(info.value)
    for word in keywords:
        assert word in message, (word, message)
    assert "'petal_width'" in message  # lists what the student can choose instead
    assert_student_message(message)


def test_single_name_string_is_one_column(iris):
    assert prepare_columns(iris, "petal_width").X.shape == (150, 1)


@pytest.mark.parametrize(
    "raw, start",
    [
        (b"x,y\n1,2\nNA,3\nabc,4\n", "Only 1 row"),
        (b"x,y\n1,2\n3,4\n", None),
        (b"x,y\n1,2\n3,4\nabc,inf\n-inf,\n", None),
    ],
    ids=["one-left", "two-rows", "two-left"],
)
def test_too_few_usable_rows(raw, start):
    table = parse_csv(raw)
    if start is None:
        assert prepare_columns(table, ["x", "y"]).n_rows_used == 2
        return
    with pytest.raises(DataError) as info:
        prepare_columns(table, ["x", "y"])
    message = str(info.value)
    assert message.startswith(start) and "at least 2" in message and "2 dropped" in message
    assert_student_message(message)


def test_no_usable_rows_in_a_mostly_empty_column():
    raw = b"x,y\n1,2\n3,\n4,\n5,NA\n"
    table = parse_csv(raw)
    assert table.numeric_columns == ["x", "y"]
    with pytest.raises(DataError, match="^Only 1 row"):
        prepare_columns(table, ["y"])
    # Both columns are numeric, but no row has both values.
    with pytest.raises(DataError, match="^No rows have usable numbers in 'x' and 'y' \\(4 dropped"):
        prepare_columns(parse_csv(b"x,y\n1,\n2,\n,3\n,4\n"), ["x", "y"])


# --------------------------------------------------------------------------- parsing details

def test_duplicate_and_empty_headers_become_unique():
    table = parse_csv(b"x,x,,y\n1,2,3,4\n5,6,7,8\n")
    assert list(table.frame.columns) == ["x", "x_2", "column_3", "y"]
    assert table.numeric_columns == ["x", "x_2", "column_3", "y"]
    np.testing.assert_array_equal(prepare_columns(table, ["x_2", "column_3"]).X, [[2, 3], [6, 7]])


def test_trailing_delimiter_does_not_create_a_column():
    table = parse_csv(b"x;y;\n1;2;\n3;4;\n")
    assert list(table.frame.columns) == ["x", "y"]
    assert table.skipped_columns == []


def test_headerless_numeric_file_keeps_first_row():
    table = parse_csv(b"1.5,2\n3,4\n5,6\n")
    assert list(table.frame.columns) == ["column_1", "column_2"]
    np.testing.assert_array_equal(prepare_columns(table, ["column_1", "column_2"]).X[0], [1.5, 2.0])


def test_fully_empty_and_blank_lines_are_not_rows():
    table = parse_csv(b"x,y\n1,2\n,\n\n   \n3,4\n")
    assert len(table.frame) == 2


def test_short_rows_are_missing_values():
    table = parse_csv(b"a,b,c\n1,2,3\n4,5\n6,7,8\n")
    data = prepare_columns(table, ["a", "c"])
    assert data.drop_reasons == {"missing": 1}
    np.testing.assert_array_equal(data.X, [[1, 3], [6, 8]])


def test_utf8_accents_are_reported_as_utf8():
    table = parse_csv("durée;poids\n1;2\n3;4\n".encode("utf-8"))
    assert table.encoding == "utf-8" and table.delimiter == ";"
    assert table.numeric_columns == ["durée", "poids"]


def test_semicolon_file_with_commas_in_quoted_text():
    raw = b'name;score;age\n"Smith, Jo";12.5;30\n"Doe, Al";14;41\n"Li, Bo";9.5;25\n'
    table = parse_csv(raw)
    assert table.delimiter == ";"
    assert table.skipped_columns == ["name"] and table.frame["name"].iloc[0] == "Smith, Jo"


def test_ragged_file_with_crlf_reports_line():
    with pytest.raises(DataError, match="^Line 3 of the file has 4 values but the header has 3 columns"):
        parse_csv(b"a;b;c\r\n1;2;3\r\n4;5;6;7\r\n8;9;10\r\n")


def test_unclosed_quote_is_explained():
    with pytest.raises(DataError) as info:
        parse_csv(b'x,y\n1,2\n3,"4\n5,6\n')
    message = str(info.value)
    assert "quote" in message and "line 3" in message
    assert_student_message(message)


def test_mostly_numeric_column_with_stray_text_is_numeric():
    raw = b"x,label\n" + b"".join(f"{i},{'abc' if i < 3 else i}\n".encode() for i in range(10))
    table = parse_csv(raw)
    assert table.numeric_columns == ["x", "label"]
    assert prepare_columns(table, ["label"]).drop_reasons == {"not a number": 3}


def test_mostly_text_column_is_skipped():
    raw = b"x,label\n" + b"".join(f"{i},{i if i < 3 else 'abc'}\n".encode() for i in range(10))
    assert parse_csv(raw).skipped_columns == ["label"]


@pytest.mark.parametrize(
    "raw, keyword",
    [
        (b"   \n\n \t\n", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b",,\n,,\n", "empty"),
        ("x,y\n1,2\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "Excel"),
        (b"x,y\n" + bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20, "binary"),
    ],
    ids=["whitespace", "bom-only", "only-delimiters", "utf16", "xlsx", "control-chars"],
)
def test_unreadable_bytes(raw, keyword):
    with pytest.raises(DataError) as info:
        parse_csv(raw)
    assert keyword in str(info.value)
    assert_student_message(str(info.value))


def test_upload_limit_constant():
    assert MAX_UPLOAD_MB == 50 and data_sources.MAX_UPLOAD_MB == 50


def test_upload_size_limit(monkeypatch):
    # A 1 MiB limit keeps the test light; the check is the same code path as for 50 MiB.
    monkeypatch.setattr(data_sources.decoding, "MAX_UPLOAD_MB", 1)
    line = b"1.25,2.5\n"
    fits = b"x,y\n" + line * ((1024 * 1024 - 4) // len(line))
    assert len(parse_csv(fits).frame) == (1024 * 1024 - 4) // len(line)
    with pytest.raises(DataError) as info:
        parse_csv(fits + line)
    message = str(info.value)
    assert "1 MB" in message and "limit" in message
    assert_student_message(message)


def test_real_limit_rejects_a_51_mib_upload_quickly():
    with pytest.raises(DataError, match="50 MB upload limit"):
        parse_csv(b"1" * (51 * 1024 * 1024))


def test_package_does_not_import_streamlit_or_plotly():
    code = (
        "import sys, data_sources; data_sources.load_old_faithful(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


# --------------------------------------------------------------------------- properties

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.integers(2, 25).flatmap(
        lambda n: st.lists(
            st.lists(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e100, max_value=1e100), 
                     min_size=2, max_size=2),
            min_size=n, max_size=n,
        )
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_round_trip_of_written_floats(values, delimiter):
    arr = np.array(values, dtype=np.float64)  # (n, 2)
    text = f"first{delimiter}second\n" + "".join(f"{float(a)!r}{delimiter}{float(b)!r}\n" for a, b in arr)
    table = parse_csv(text.encode())
    assert table.delimiter == delimiter
    data = prepare_columns(table, ["first", "second"])
    np.testing.assert_array_equal(data.X, arr)
    scaled = prepare_columns(table, ["first", "second"], standardise=True)
    assert np.all(np.isfinite(scaled.X))


@settings(max_examples=150, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.text(alphabet=st.sampled_from(list('ab1.2,;\t\n"\r -e')), max_size=200).map(str.encode)))
def test_any_bytes_give_a_table_or_a_data_error(raw):
    try:
        table = parse_csv(raw)
    except DataError as exc:
        assert_student_message(str(exc))
        return
    # Whatever loads must have a usable numeric column with unique names.
    assert table.numeric_columns
    assert len(set(table.frame.columns)) == table.frame.shape[1]
    try:
        data = prepare_columns(table, table.numeric_columns[:2], standardise=True)
    except DataError as exc:
        assert_student_message(str(exc))
        return
    assert np.all(np.isfinite(data.X)) and data.n_rows_used >= 2
