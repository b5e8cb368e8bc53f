"""Uploaded CSV bytes -> ParsedTable (cells, cleaned headers, numeric vs skipped columns).

parse_csv is the one place where a file becomes a table: whatever a file does to the decoder, the
delimiter detection, pandas or Arrow leaves it as a DataError with one sentence, never a traceback.
Every step is linear in the file's size, and the heavy ones (pandas' tokenizer, Arrow's kernels)
release the interpreter, so one upload cannot stall the other sessions.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import classify, is_numeric_column
from .decimal_mark import decimal_mark
from .decoding import decode_upload
from .delimiter import DELIMITER_NAMES, detect_delimiter, sample_rows
from .errors import DataError, quote_names

MAX_COLUMNS = 1000
"""Widest file read; a wider first line is refused before pandas builds a frame of it."""
_HEAD_ROWS = 100  # the header is looked for among this many first rows
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")
_EMPTY = "This file is empty; upload a CSV with a header row and at least two rows of numbers."
_log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class ParsedTable:
    """A CSV file as read, before any column is chosen.

    frame: DataFrame (n_rows, n_columns), one row per data line, blank and fully empty lines left
        out; column names unique and non-empty. A column is float or int where every cell was a
        number, else text; `cells.classify(frame[name], decimal)` reads either.
    numeric_columns: columns with a finite number and at least half of the non-missing cells numeric.
    skipped_columns: the other columns (text such as Iris 'species'), in file order.
    delimiter: ',', ';' or '\\t'.  decimal: '.' or ',' (5,3 as Excel writes it in much of Europe).
    encoding: 'utf-8' or 'latin-1'.
    filename: the name the file was uploaded under (for messages and captions only).
    """

    frame: pd.DataFrame
    numeric_columns: list[str]
    skipped_columns: list[str]
    delimiter: str
    encoding: str
    filename: str = "upload.csv"
    decimal: str = "."


def parse_csv(raw: bytes, filename: str = "upload.csv") -> ParsedTable:
    """Read uploaded bytes into a ParsedTable, or raise DataError with a one-sentence fix."""
    try:
        return _parse(raw, filename)
    except DataError:
        raise
    except MemoryError:
        raise DataError(
            "This file takes more memory to read than the server has to spare; "
            "upload a smaller file, for example a random sample of its rows."
        ) from None
    except UnicodeError:
        raise DataError(
            "The text of this file could not be decoded; save it again as 'CSV UTF-8' and upload that."
        ) from None
    except Exception:  # noqa: BLE001 - the boundary: a file must never reach the page as a traceback
        _log.warning("upload %r could not be parsed", filename, exc_info=True)
        raise _unreadable() from None


def _parse(raw: bytes, filename: str) -> ParsedTable:
    text, encoding = decode_upload(raw)
    delimiter = detect_delimiter(text)
    rows = sample_rows(text, delimiter)
    _check_width(rows, delimiter)
    decimal = decimal_mark(rows)
    frame = _read_table(text, delimiter, decimal)
    _check_row_count(frame)

    numeric, skipped = [], []
    for name in frame.columns:
        _, codes = classify(frame[name], decimal)
        (numeric if is_numeric_column(codes) else skipped).append(name)
    if not numeric:
        raise DataError(
            f"No column of numbers was found in this file (columns: {quote_names(list(frame.columns))}); "
            "upload a CSV with at least one numeric column, separated by commas, semicolons or tabs."
        )
    return ParsedTable(frame, numeric, skipped, delimiter, encoding, filename, decimal)


def _check_width(rows: list[list[str]], delimiter: str) -> None:
    """Refuse a first line with more than MAX_COLUMNS values (it would become that many columns)."""
    if rows and len(rows[0]) > MAX_COLUMNS:
        raise DataError(
            f"The first line of this file has more than {MAX_COLUMNS:,} values separated by "
            f"{DELIMITER_NAMES[delimiter]}s, more columns than the app reads; keep only the columns "
            "you need (is it really a CSV with one record per line?) and upload it again."
        )


def _read_table(text: str, delimiter: str, decimal: str) -> pd.DataFrame:
    """The data rows with their column names, all-empty rows and unnamed empty columns left out.

    The header row is found first and read apart, so that pandas parses the numbers of the body
    itself (fast, exact) instead of leaving every column as text because of its name.
    """
    head = _cleaned(_read(text, delimiter, decimal, header=None, nrows=_HEAD_ROWS, dtype=str))
    filled = np.flatnonzero((head != "").any(axis=1).to_numpy())
    if len(filled) == 0:
        if len(head) < _HEAD_ROWS:
            raise DataError(_EMPTY)
        raise DataError(
            f"The first {_HEAD_ROWS} rows of this file are empty; delete the empty rows above the "
            "header and upload it again."
        )
    first = head.iloc[filled[0]]
    first_values, _ = classify(first)
    if np.all(np.isfinite(first_values)):
        # A first line of pure numbers is data, not a header: keep it and name columns by position.
        body = _read(text, delimiter, decimal, header=None)
        names = [""] * body.shape[1]
    else:
        body = _read(text, delimiter, decimal, header=int(filled[0]))
        names = list(first)[: body.shape[1]]
        names += [""] * (body.shape[1] - len(names))
    body.columns = range(body.shape[1])
    body = _cleaned(body)
    # Lines like ',,,' (common at the end of spreadsheet exports) carry no data at all.
    body = body[_filled_rows(body)].reset_index(drop=True)
    # A trailing delimiter creates an unnamed column with nothing in it; it is not a real column.
    keep = [i for i, name in enumerate(names) if name or _has_values(body.iloc[:, i])]
    body = body.iloc[:, keep]
    body.columns = _unique_names([names[i] for i in keep], positions=keep)
    return body


def _read(text: str, delimiter: str, decimal: str, header, nrows=None, dtype=None) -> pd.DataFrame:
    """pandas' C reader with the file's dialect; its errors become sentences."""
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=header,
            nrows=nrows,
            dtype=dtype,
            na_filter=False,  # keep 'NA', 'inf', ... as text; cells.classify decides what they mean
            skip_blank_lines=True,
            skipinitialspace=True,
            # pandas cannot split on the decimal mark; cells.classify reads quoted "5,3" in a comma file
            decimal=decimal if decimal != delimiter else ".",
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise DataError(_EMPTY) from None
    except pd.errors.ParserError as exc:
        raise _friendly_parser_error(str(exc), delimiter) from None


def _cleaned(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns stripped of surrounding spaces; numeric columns as they are."""
    frame = frame.copy()
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col].dtype):
            frame[col] = frame[col].astype(str).str.strip()
    return frame


def _filled_rows(frame: pd.DataFrame) -> np.ndarray:
    """bool (n_rows,): rows with at least one non-empty cell."""
    filled = np.zeros(len(frame), dtype=bool)
    for col in frame.columns:
        column = frame[col]
        if pd.api.types.is_numeric_dtype(column.dtype):
            filled |= column.notna().to_numpy()
        else:
            filled |= (column != "").to_numpy()
    return filled


def _has_values(column: pd.Series) -> bool:
    return bool(column.notna().any()) if pd.api.types.is_numeric_dtype(column.dtype) else bool((column != "").any())


def _friendly_parser_error(message: str, delimiter: str) -> DataError:
    """Turn a pandas ParserError message into a one-sentence DataError."""
    ragged = _RAGGED.search(message)
    if ragged:
        expected, line, saw = (int(g) for g in ragged.groups())
        return DataError(
            f"Line {line} of the file has {saw:,} values but the header has {expected:,} columns; "
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
    return _unreadable()


def _unreadable() -> DataError:
    return DataError(
        "This file could not be read as a table of values separated by commas, semicolons or tabs; "
        "check that every line has the same number of values as the header and upload it again."
    )


def _unique_names(names: list[str], positions: list[int]) -> list[str]:
    """Empty names -> 'column_<position>' (1-based); repeats -> 'name_2', 'name_3', ...

    Runs of whitespace (including line breaks inside quoted headers) become one space,
    so every name fits on one line of a widget or message.
    """
    flat = [" ".join(str(name).split()) for name in names]
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
