"""Uploaded CSV bytes -> ParsedTable (text cells, cleaned headers, numeric vs skipped columns)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import classify, is_numeric_column
from .decoding import decode_upload
from .delimiter import DELIMITER_NAMES, detect_delimiter
from .errors import DataError, quote_names

_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


@dataclass(frozen=True, eq=False)
class ParsedTable:
    """A CSV file as read, before any column is chosen.

    frame: DataFrame (n_rows, n_columns) of stripped text cells ('' where empty); one row
        per data line, blank and fully empty lines left out; column names unique and non-empty.
    numeric_columns: columns with a finite number and at least half of the non-missing cells numeric.
    skipped_columns: the other columns (text such as Iris 'species'), in file order.
    delimiter: ',', ';' or '\\t'.  encoding: 'utf-8' or 'latin-1'.
    filename: the name the file was uploaded under (for messages and captions only).
    """

    frame: pd.DataFrame
    numeric_columns: list[str]
    skipped_columns: list[str]
    delimiter: str
    encoding: str
    filename: str = "upload.csv"


def parse_csv(raw: bytes, filename: str = "upload.csv") -> ParsedTable:
    """Read uploaded bytes into a ParsedTable, or raise DataError with a one-sentence fix."""
    text, encoding = decode_upload(raw)
    delimiter = detect_delimiter(text)
    grid = _read_grid(text, delimiter)
    frame = _apply_header(grid)
    _check_row_count(frame)

    numeric, skipped = [], []
    for name in frame.columns:
        _, codes = classify(frame[name])
        (numeric if is_numeric_column(codes) else skipped).append(name)
    if not numeric:
        raise DataError(
            f"No column of numbers was found in this file (columns: {quote_names(list(frame.columns))}); "
            "upload a CSV with at least one numeric column, separated by commas, semicolons or tabs."
        )
    return ParsedTable(frame, numeric, skipped, delimiter, encoding, filename)


def _read_grid(text: str, delimiter: str) -> pd.DataFrame:
    """All lines as a DataFrame of stripped str cells, header line included as row 0."""
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,  # keep 'NA', 'inf', ... as text; cells.classify decides what they mean
            skip_blank_lines=True,
            skipinitialspace=True,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise DataError(
            "This file is empty; upload a CSV with a header row and at least two rows of numbers."
        ) from None
    except pd.errors.ParserError as exc:
        raise _friendly_parser_error(str(exc), delimiter) from None
    # Short rows come back as '' already; fillna guards against any other gap.
    grid = grid.fillna("").astype(str)
    for col in grid.columns:
        grid[col] = grid[col].str.strip()
    # Lines like ',,,' (common at the end of spreadsheet exports) carry no data at all.
    grid = grid[(grid != "").any(axis=1)].reset_index(drop=True)
    if grid.empty:
        raise DataError(
            "This file is empty; upload a CSV with a header row and at least two rows of numbers."
        )
    return grid


def _friendly_parser_error(message: str, delimiter: str) -> DataError:
    """Turn a pandas ParserError message into a one-sentence DataError."""
    ragged = _RAGGED.search(message)
    if ragged:
        expected, line, saw = (int(g) for g in ragged.groups())
        return DataError(
            f"Line {line} of the file has {saw} values but the header has {expected} columns; "
            f"remove the extra values on that line (often a stray {DELIMITER_NAMES[delimiter]}) "
            "and upload the file again."
        )
    quote = _OPEN_QUOTE.search(message)
    if quote:
        # pandas counts rows from 0, people count lines from 1.
        line = int(quote.group(1)) + 1
        return DataError(
            f"A quote mark (\") opened near line {line} is never closed; "
            "fix or remove the quote marks in the file and upload it again."
        )
    return DataError(
        "This file could not be read as a table of values separated by commas, semicolons or tabs; "
        "check that every line has the same number of values as the header and upload it again."
    )


def _apply_header(grid: pd.DataFrame) -> pd.DataFrame:
    """Use row 0 as the header (unless it is all numbers) and make the names usable."""
    first = grid.iloc[0]
    first_values, _ = classify(first)
    if np.all(np.isfinite(first_values)):
        # A first line of pure numbers is data, not a header: keep it and name columns by position.
        names = [""] * grid.shape[1]
        body = grid
    else:
        names = list(first)
        body = grid.iloc[1:].reset_index(drop=True)
    # A trailing delimiter creates an unnamed column with nothing in it; it is not a real column.
    keep = [i for i, name in enumerate(names) if name or (body.iloc[:, i] != "").any()]
    body = body.iloc[:, keep]
    body.columns = _unique_names([names[i] for i in keep], positions=keep)
    return body


def _unique_names(names: list[str], positions: list[int]) -> list[str]:
    """Empty names -> 'column_<position>' (1-based); repeats -> 'name_2', 'name_3', ...

    Runs of whitespace (including line breaks inside quoted headers) become one space,
    so every name fits on one line of a widget or message.
    """
    flat = [" ".join(name.split()) for name in names]
    filled = [name or f"column_{pos + 1}" for name, pos in zip(flat, positions)]
    taken: set[str] = set()
    result = []
    for name in filled:
        candidate, k = name, 1
        while candidate in taken:
            k += 1
            candidate = f"{name}_{k}"
        taken.add(candidate)
        result.append(candidate)
    return result


def _check_row_count(frame: pd.DataFrame) -> None:
    """At least two data rows are needed to fit anything."""
    if len(frame) == 0:
        raise DataError(
            "This file has a header row but no data rows; add at least two rows of numbers below the header."
        )
    if len(frame) == 1:
        raise DataError(
            "This file has only one data row, but at least 2 rows are needed to fit a mixture; "
            "add more rows of data."
        )
