"""Every file of the upload corpus (tests/data/) through the Explore page under AppTest.

tests/test_app_explore.py checks the basics (a bad file gives an error and no chart, a good one a chart).
Here each file's *outcome* is pinned as tests/data/README.md states it: the rows used and dropped, the
exact message (what is wrong and what to do), that nothing on the page is NaN or a traceback, and that
the app keeps working after the message (another file, another source).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import data_sources
from app_checks import open_advanced, player_payloads
from hostile_files import twenty_mb_single_line, unclosed_quotes
from markdown_checks import shown

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data"
APP = ROOT / "app.py"
TIMEOUT = 120
NAN_WORD = re.compile(r"(?<![\w.])(nan|inf|-inf)(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Good:
    """A file that ends in a fitted animation."""

    used: int
    read: int
    columns: tuple[str, ...]
    describe: tuple[str, ...] = ()  # words of the "Uploaded data" summary
    warnings: tuple[str, ...] = ()  # words of an expected warning (degenerate data that still fits)
    query: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Bad:
    """A file that ends in a message: `errors` / `warnings` list words each message must contain."""

    errors: tuple[tuple[str, ...], ...] = ()
    warnings: tuple[tuple[str, ...], ...] = ()
    query: dict = field(default_factory=dict)


GOOD = {
    "semicolon.csv": Good(40, 40, ("height_cm", "weight_kg"), ("semicolon-separated", "utf-8", "'student'")),
    "tab.tsv": Good(30, 30, ("temperature_c", "humidity_pct"), ("tab-separated", "'day'")),
    "latin1_accents.csv": Good(24, 24, ("durée", "température"), ("latin-1", "'ville'")),
    # Every numeric column by default (up to the cap); the text column is skipped unless chosen as the labels.
    "iris_like.csv": Good(150, 150, ("sepal_length", "sepal_width", "petal_length", "petal_width"), ("'species'",)),
    "one_column.csv": Good(60, 60, ("reaction_time_ms",)),
    "messy_rows.csv": Good(21, 30, ("x", "y"),
                           ("Dropped 9 rows", "3 not a number", "2 infinite", "4 missing", "'sample'", "'note'")),
    "big_100k.csv": Good(100_000, 100_000, ("x", "y")),
    # Too large as they are (see BAD); standardised they fit.
    "huge_values.csv": Good(20, 20, ("x", "y"), query={"std": "1"}),
    # More components than distinct points is an error (BAD); k=2 fits but says the components are degenerate.
    "few_distinct.csv": Good(30, 30, ("x", "y"), warnings=("are spurious", "Try fewer components")),
    # One value in `y`: it fits, and the page says why the scores are inflated and what to do.
    "constant_column.csv": Good(40, 40, ("x", "y"), warnings=("same value in 'y' = 3", "Pick another column")),
}
BAD = {
    "empty.csv": Bad(errors=(("This file is empty", "upload a CSV with a header row"),)),
    "header_only.csv": Bad(errors=(("header row but no data rows", "add at least two rows"),)),
    "one_row.csv": Bad(errors=(("only one data row", "at least 2 rows", "add more rows"),)),
    "all_text.csv": Bad(errors=(("No column of numbers", "'name', 'city' and 'favourite_colour'",
                                 "upload a CSV with at least one numeric column"),)),
    "binary_garbage.csv": Bad(errors=(("does not look like a text CSV", "export your data"),)),
    "ragged.csv": Bad(errors=(("Line 5", "3 values", "header has 2 columns", "remove the extra values"),)),
    "huge_values.csv": Bad(errors=(("values as large as", "too large", "turn on standardisation"),)),
    # With the default k=2: the engine's "k > distinct points" error, and the data panel's warning.
    "identical_points.csv": Bad(errors=(("only 1 distinct point", "k=2", "at most 1"),),
                                warnings=(("All 50 points are identical", "Upload data whose points differ"),)),
    "few_distinct.csv": Bad(errors=(("only 3 distinct points", "k=5", "at most 3"),), query={"k": "5"}),
}
# Identical points with k=1 fit (one component on one point) and still say the data is degenerate.
IDENTICAL_K1 = Good(50, 50, ("x", "y"), warnings=("All 50 points are identical",), query={"k": "1"})


def new_app(**query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["data"] = "upload"
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def upload(at: AppTest, name: str) -> AppTest:
    return at.file_uploader(key="upload_file").set_value((name, (CORPUS / name).read_bytes(), "text/csv")).run()


def page_texts(at: AppTest) -> list[str]:
    elements = [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success, *at.title, *at.subheader]
    return [shown(e.value) for e in elements] + [shown(e.label) for e in at.expander] + [
        f"{m.label} {m.value}" for m in at.metric]


def assert_clean(at: AppTest) -> None:
    """No exception box, no traceback, and no NaN/inf in any text, metric or table on the page."""
    assert not at.exception, [e.message for e in at.exception]
    for text in page_texts(at):
        assert "Traceback" not in text, text
        assert not NAN_WORD.search(text), f"NaN/inf on the page: {text!r}"
    for frame in at.dataframe:
        value = frame.value
        if isinstance(value, pd.DataFrame):
            assert not value.isna().any().any(), f"NaN in a table:\n{value}"
            assert not value.astype(str).apply(lambda col: col.str.fullmatch(r"(?i)-?(nan|inf)")).any().any()


def charts(at: AppTest) -> int:
    """How many EM players (animations) the page shows."""
    return len(player_payloads(at))


def messages(elements) -> list[str]:
    return [shown(e.value) for e in elements]


def assert_fitted(at: AppTest, expected: Good, name: str) -> None:
    assert_clean(at)
    assert not at.error, messages(at.error)
    assert charts(at) >= 1, f"{name} should end in the animation"
    assert tuple(at.multiselect(key="columns").value) == expected.columns
    summary = " ".join(page_texts(at))
    assert f"Using **{expected.used:,}** of {expected.read:,} rows" in summary
    for word in expected.describe:
        assert word in summary, (word, summary)
    warnings = " ".join(messages(at.warning))
    for word in expected.warnings:
        assert word in warnings, (word, warnings)
    if not expected.warnings:
        assert not any("spread" in w or "identical" in w or "collapsed" in w for w in messages(at.warning))
    n_features = len(expected.columns)
    free = [m.value for m in at.metric if m.label == "Free parameters"]
    k = int(expected.query.get("k", 2))
    per_component = n_features + n_features * (n_features + 1) // 2  # mean + (co)variance entries, full covariance
    assert free == [str(k * per_component + k - 1)] or free == [k * per_component + k - 1]


def assert_keeps_working(at: AppTest) -> None:
    """After a message: a good file fits in the same session, and so does another data source."""
    upload(at, "one_column.csv")
    assert_clean(at)
    assert not at.error and charts(at) >= 1
    at.selectbox(key="source").set_value("faithful").run()
    assert_clean(at)
    assert not at.error and charts(at) >= 1


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_good_file_ends_in_a_fitted_animation(name):
    expected = GOOD[name]
    at = upload(new_app(**expected.query), name)
    assert_fitted(at, expected, name)


def test_identical_points_with_one_component_fit_and_say_the_data_is_degenerate():
    at = upload(new_app(**IDENTICAL_K1.query), "identical_points.csv")
    assert_fitted(at, IDENTICAL_K1, "identical_points.csv")


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_ends_in_a_message_and_the_app_keeps_working(name):
    expected = BAD[name]
    at = open_advanced(new_app(cov="diag", seed="7", **expected.query))  # where the seed shows
    upload(at, name)
    assert_clean(at)
    errors, warnings = messages(at.error), messages(at.warning)
    for words in expected.errors:
        assert any(all(w in e for w in words) for e in errors), (words, errors)
    for words in expected.warnings:
        assert any(all(w in e for w in words) for e in warnings), (words, warnings)
    assert len(errors) == len(expected.errors), errors
    if expected.errors:
        assert charts(at) == 0, "no animation next to an error"
    # The other settings survive the bad file ...
    assert at.selectbox(key="covariance_type").value == "diag"
    assert at.number_input(key="seed").value == 7
    assert at.query_params.get("cov") in (["diag"], "diag")
    # ... and the app keeps working.
    assert_keeps_working(at)


def test_removing_a_bad_file_clears_its_message():
    at = upload(new_app(), "ragged.csv")
    assert at.error
    at.file_uploader(key="upload_file").clear().run()
    assert_clean(at)
    assert not at.error
    assert any("Upload a CSV file" in i for i in messages(at.info))


def test_switching_columns_on_an_iris_like_file_refits():
    at = upload(new_app(), "iris_like.csv")
    at.multiselect(key="columns").set_value(["petal_length"]).run()
    assert_clean(at)
    assert not at.error and charts(at) >= 1
    assert [m.value for m in at.metric if m.label == "Free parameters"] in (["5"], [5])  # 1-D, k=2


def test_every_corpus_file_has_a_stated_outcome():
    """A new corpus file needs a row in tests/data/README.md and an expectation here."""
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".tsv")}
    assert files == set(GOOD) | set(BAD) | {"identical_points.csv"}
    readme = (CORPUS / "README.md").read_text()
    for name in files:
        assert f"`{name}`" in readme, f"{name} is not described in tests/data/README.md"


def test_the_upload_limit_is_set_in_the_config_and_stated_in_the_help():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    limit = config["server"]["maxUploadSize"]
    assert limit == data_sources.MAX_UPLOAD_MB
    at = new_app()
    assert f"at most {limit} MB" in at.file_uploader(key="upload_file").help


# --------------------------------------------------------------------------- hostile and European files
def upload_bytes(at: AppTest, name: str, raw: bytes) -> AppTest:
    return at.file_uploader(key="upload_file").set_value((name, raw, "text/csv")).run()


def test_a_file_error_shows_in_the_main_area_where_the_figure_would_be():
    at = upload(new_app(), "ragged.csv")
    assert [e.value for e in at.main.error] and not at.sidebar.error
    assert "Line 5" in messages(at.main.error)[0]


@pytest.mark.parametrize("name, raw, words", [
    ("wide.csv", twenty_mb_single_line(), ("more than 1,000 values", "keep only the columns you need")),
    ("quotes.csv", unclosed_quotes(200 * 1024), ("Line 4", "header has 2 columns")),
], ids=["20-mb-single-line", "200-kb-unclosed-quotes"])
def test_a_hostile_file_gets_a_sentence_and_the_session_keeps_working(name, raw, words):
    at = upload_bytes(new_app(cov="diag"), name, raw)
    assert_clean(at)
    errors = messages(at.main.error)
    assert len(errors) == 1 and all(w in errors[0] for w in words), errors
    assert errors[0].startswith(f"**{name}**:")
    assert charts(at) == 0
    assert at.selectbox(key="covariance_type").value == "diag"
    assert_keeps_working(at)


def test_a_european_excel_file_with_decimal_commas_fits():
    raw = "Name;Größe;Gewicht\n" + "".join(
        f"P{i};{150 + (i * 7) % 40},{i % 10};{50 + (i * 13) % 45},{(i * 3) % 10}\n" for i in range(60))
    at = upload_bytes(new_app(), "messungen.csv", raw.encode("utf-8"))
    assert_clean(at)
    assert not at.error and charts(at) >= 1
    assert tuple(at.multiselect(key="columns").value) == ("Größe", "Gewicht")
    summary = " ".join(page_texts(at))
    assert "Using **60** of 60 rows (semicolon-separated, decimal comma, utf-8)" in summary
