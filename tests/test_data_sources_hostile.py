"""Hostile files at the one boundary where a file becomes a table (data_sources.parse_csv).

- Cost: files whose lines once made csv.Sniffer quadratic must cost linear time. Timing is compared
  between sizes of the same family (a ratio), never against a number of seconds.
- Every failure is a DataError with one sentence: pandas' ParserError and EmptyDataError, a decoding
  error, MemoryError, csv.Error and anything unexpected, whether a real file triggers it or not.
- European CSV: semicolon or tab separated with decimal commas (5,3) is read as numbers.
"""

from __future__ import annotations

import csv
import re
import time

import numpy as np
import pandas as pd
import pytest

import data_sources.csv_reader
from data_sources import DataError, parse_csv, prepare_columns
from data_sources.delimiter import detect_delimiter
from hostile_files import twenty_mb_single_line, unclosed_quotes

# name -> a file of about n bytes whose last line once cost csv.Sniffer O(n²): quotes that never close.
QUADRATIC_FAMILY = {
    "comma-quote-a": lambda n: unclosed_quotes(n, ","),
    "semicolon-quote-a": lambda n: unclosed_quotes(n, ";"),
    "quote-runs": lambda n: ("x,y\n1,2\n3,4\n" + ('"' + "a," * 3) * (n // 7)).encode(),
}
SIZES = (16_000, 64_000, 256_000)  # characters of the hostile line; each 4 times the last
# The slope of log(time) against log(size): 1 for linear cost, 2 for quadratic; fixed costs only lower it.
MAX_SLOPE = 1.5


def assert_sentence(message: str) -> None:
    """One plain sentence that ends with what to do."""
    assert "\n" not in message and "Traceback" not in message and "Error" not in message, message
    assert message.endswith("."), message
    assert not re.search(r"[.!?]\s+[A-Z]", message), message


def best_cpu_time(function, repeats: int = 5) -> float:
    """The least CPU time of a few runs: this process's CPU time ignores the other jobs of a shared
    machine, and the least of several runs drops the disturbances that remain."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return max(min(times), 1e-6)


def slope(sizes, times) -> float:
    """Least-squares slope of log(time) against log(size)."""
    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


def parse_or_message(raw: bytes) -> str:
    try:
        parse_csv(raw)
    except DataError as error:
        return str(error)
    return "parsed"


@pytest.mark.parametrize("family", sorted(QUADRATIC_FAMILY))
@pytest.mark.parametrize("stage", ["detect_delimiter", "parse_csv"])
def test_hostile_lines_cost_linear_time(family, stage):
    make = QUADRATIC_FAMILY[family]
    run = (lambda raw: detect_delimiter(raw.decode())) if stage == "detect_delimiter" else parse_or_message
    times = []
    for size in SIZES:  # smallest first, so a quadratic regression fails before the slowest size
        raw = make(size)
        times.append(best_cpu_time(lambda: run(raw)))
        if len(times) > 1:
            grows = slope(SIZES[: len(times)], times)
            assert grows < MAX_SLOPE, (
                f"{stage} on {family}: time grows as size^{grows:.2f} over {SIZES[: len(times)]} characters "
                f"({', '.join(f'{t * 1000:.1f} ms' for t in times)}); linear is size^1, quadratic size^2")


@pytest.mark.parametrize("family", sorted(QUADRATIC_FAMILY))
def test_hostile_lines_get_a_sentence(family):
    message = parse_or_message(QUADRATIC_FAMILY[family](48 * 1024))
    assert message != "parsed"
    assert_sentence(message)


def test_a_20_mb_single_line_of_many_fields_gets_a_sentence():
    raw = twenty_mb_single_line()
    assert len(raw) >= 20 * 1024 * 1024 and raw.count(b"\n") == 0
    with pytest.raises(DataError) as info:
        parse_csv(raw, "wide.csv")
    assert "more than 1,000 values" in str(info.value) and "keep only the columns you need" in str(info.value)
    assert_sentence(str(info.value))


def test_a_first_line_of_only_delimiters_is_refused_before_pandas_builds_it(monkeypatch):
    def no_pandas(*args, **kwargs):
        raise AssertionError("pandas was asked to read a file with millions of columns")

    monkeypatch.setattr(data_sources.csv_reader.pd, "read_csv", no_pandas)
    with pytest.raises(DataError, match="more than 1,000 values separated by semicolons"):
        parse_csv(b";" * (2 * 1024 * 1024))


def test_a_wide_but_allowed_file_reads():
    header = ",".join(f"c{i}" for i in range(1000))
    rows = "\n".join(",".join(str(i + r) for i in range(1000)) for r in range(3))
    table = parse_csv(f"{header}\n{rows}\n".encode())
    assert len(table.numeric_columns) == 1000
    np.testing.assert_array_equal(prepare_columns(table, ["c0", "c999"]).X, [[0, 999], [1, 1000], [2, 1001]])


def test_a_single_20_mb_field_is_one_cell_not_an_error_of_the_reader():
    with pytest.raises(DataError, match="header row but no data rows"):
        parse_csv(b"a" * (20 * 1024 * 1024))


# --------------------------------------------------------------------------- parser errors, by class
@pytest.mark.parametrize(
    "raw, words",
    [
        (b"x,y\n1,2\n3,4,5\n6,7\n", ("Line 3", "3 values", "2 columns", "remove the extra values")),
        (b'x,y\n1,2\n3,"4\n5,6\n', ("quote mark", "line 3", "never closed")),
        (b"x;y\n1;2\n" + b";".join([b"1"] * 5000) + b"\n", ("5,000 values", "header has 2 columns")),
    ],
    ids=["ragged", "open-quote", "ragged-long-line"],
)
def test_files_that_make_pandas_raise_parser_error_get_its_sentence(raw, words):
    with pytest.raises(DataError) as info:
        parse_csv(raw)
    for word in words:
        assert word in str(info.value), (word, str(info.value))
    assert_sentence(str(info.value))


def _raiser(error: BaseException):
    def raise_it(*args, **kwargs):
        raise error

    return raise_it


# Errors no file in the corpus reaches today; the boundary must still turn each into a sentence.
BOUNDARY_CASES = {
    "pandas EmptyDataError": ("pd.read_csv", pd.errors.EmptyDataError("No columns to parse from file"), "empty"),
    "pandas ParserError": ("pd.read_csv", pd.errors.ParserError("Error tokenizing data. C error: Buffer overflow"),
                           "could not be read as a table"),
    "UnicodeDecodeError after sniffing": (
        "pd.read_csv", UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "could not be decoded"),
    "MemoryError": ("pd.read_csv", MemoryError(), "more memory"),
    "csv.Error from the delimiter detection": ("detect_delimiter", csv.Error("field larger than field limit (131072)"),
                                               "could not be read as a table"),
    "anything else": ("classify", RuntimeError("an Arrow kernel failed"), "could not be read as a table"),
}


@pytest.mark.parametrize("case", sorted(BOUNDARY_CASES))
def test_every_error_class_inside_parse_csv_becomes_a_sentence(monkeypatch, case):
    target, error, words = BOUNDARY_CASES[case]
    if target == "pd.read_csv":
        monkeypatch.setattr(data_sources.csv_reader.pd, "read_csv", _raiser(error))
    else:
        monkeypatch.setattr(data_sources.csv_reader, target, _raiser(error))
    with pytest.raises(DataError) as info:
        parse_csv(b"x,y\n1,2\n3,4\n", "upload.csv")
    assert words in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert_sentence(str(info.value))


def test_a_bug_is_logged_for_the_developer_while_the_user_gets_a_sentence(monkeypatch, caplog):
    monkeypatch.setattr(data_sources.csv_reader, "classify", _raiser(RuntimeError("boom")))
    with pytest.raises(DataError):
        parse_csv(b"x,y\n1,2\n3,4\n", "upload.csv")
    assert "boom" in caplog.text


# --------------------------------------------------------------------------- European CSV files
def test_semicolon_file_with_decimal_commas_reads_numbers():
    raw = "Name;Größe;Gewicht\nAnna;1,62;55,3\nBen;1,80;80,1\nCara;1,7;NA\nDora;-0,5;1e3\n".encode("utf-8")
    table = parse_csv(raw, "excel_de.csv")
    assert (table.delimiter, table.decimal) == (";", ",")
    assert table.numeric_columns == ["Größe", "Gewicht"] and table.skipped_columns == ["Name"]
    data = prepare_columns(table, ["Größe", "Gewicht"])
    np.testing.assert_array_equal(data.X, [[1.62, 55.3], [1.80, 80.1], [-0.5, 1000.0]])
    assert data.drop_reasons == {"missing": 1}


def test_tab_file_with_decimal_commas_reads_numbers():
    table = parse_csv(b"a\tb\n1,5\t2\n3\t4,25\n-,5\t7\n")
    assert (table.delimiter, table.decimal) == ("\t", ",")
    np.testing.assert_array_equal(prepare_columns(table, ["a", "b"]).X, [[1.5, 2], [3, 4.25], [-0.5, 7]])


def test_quoted_decimal_commas_in_a_comma_file_read_as_numbers():
    table = parse_csv(b'x,y\n"5,3","1,2"\n"6,1","2,5"\n')
    assert (table.delimiter, table.decimal) == (",", ",")
    np.testing.assert_array_equal(prepare_columns(table, ["x", "y"]).X, [[5.3, 1.2], [6.1, 2.5]])


def test_a_semicolon_file_with_decimal_points_keeps_points():
    table = parse_csv(b"a;b\n1.5;2,000\n2.5;3\n3.5;4\n")
    assert table.decimal == "."
    np.testing.assert_array_equal(prepare_columns(table, ["a"]).X[:, 0], [1.5, 2.5, 3.5])
