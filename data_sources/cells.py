"""Classify the cells of a column as number / missing / not a number / infinite.

A column the CSV reader already parsed as numbers needs no work. Text cells are parsed with Arrow's
compute kernels: linear, exact (correctly rounded, like Python's float), and they release the
interpreter while they run, so a 50 MB upload never stalls the other sessions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

OK, MISSING, NOT_A_NUMBER, INFINITE = 0, 1, 2, 3
REASON_NAMES = {MISSING: "missing", NOT_A_NUMBER: "not a number", INFINITE: "infinite"}

# Compared after strip + lower-case; '?' and '.' are the usual markers in UCI and SAS exports.
MISSING_TOKENS = frozenset(
    {"", "na", "n/a", "nan", "null", "none", "missing", "#n/a", "?", ".", "-", "--"}
)
# What counts as a number (Python's float syntax without '_' separators), checked before Arrow's cast,
# which would fail on the whole column at the first bad cell. RE2 matches in linear time.
_NUMBER = r"^[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|(?i:inf|infinity))$"
_DECIMAL_COMMA_NUMBER = r"^[+-]?([0-9]+,?[0-9]*|,[0-9]+)([eE][+-]?[0-9]+)?$"
_MISSING_SET = pa.array(sorted(MISSING_TOKENS), type=pa.large_string())


def classify(cells: pd.Series, decimal: str = ".") -> tuple[np.ndarray, np.ndarray]:
    """Parse a column of cells.

    cells: Series of length n, numeric (already parsed by the reader) or text.
    decimal: '.' or ',', the decimal mark of the file's numbers (a cell may always use '.').
    Returns (values, codes): values float64 (n,) with NaN wherever the cell is not a
    finite number, codes int8 (n,) with OK / MISSING / NOT_A_NUMBER / INFINITE.
    """
    if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(cells.dtype):
        values = cells.to_numpy(dtype=np.float64, na_value=np.nan)
        codes = np.full(len(values), OK, dtype=np.int8)
        codes[np.isinf(values)] = INFINITE
        codes[np.isnan(values)] = MISSING
    else:
        values, codes = _classify_text(_as_arrow_text(cells), decimal)
    return np.where(codes == OK, values, np.nan), codes


def _classify_text(text: pa.Array, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """values float64 (n,) and codes int8 (n,) for text cells, all in Arrow kernels."""
    text = pc.utf8_trim_whitespace(text)
    missing = pc.or_kleene(pc.is_null(text), pc.is_in(pc.utf8_lower(text), value_set=_MISSING_SET))
    if decimal == ",":
        comma = pc.match_substring_regex(text, _DECIMAL_COMMA_NUMBER)
        text = pc.if_else(comma, pc.replace_substring(text, ",", "."), text)
    number = pc.and_(pc.fill_null(pc.match_substring_regex(text, _NUMBER), False), pc.invert(missing))
    is_number = number.to_numpy(zero_copy_only=False)
    values = np.full(len(text), np.nan)
    # Only the cells that are numbers reach the cast, which would fail on the first that is not.
    values[is_number] = pc.cast(pc.filter(text, number), pa.float64()).to_numpy(zero_copy_only=False)
    codes = np.where(is_number, OK, NOT_A_NUMBER).astype(np.int8)
    codes[is_number & np.isinf(values)] = INFINITE  # also overflowing literals such as 1e400
    codes[missing.to_numpy(zero_copy_only=False)] = MISSING
    return values, codes


def _as_arrow_text(cells: pd.Series) -> pa.Array:
    """The cells as one contiguous Arrow string array (kernels run several times faster than on chunks)."""
    if not (isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow"):
        cells = cells.astype(str)
    text = pa.array(cells)
    text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    return text.cast(pa.large_string())


def is_numeric_column(codes: np.ndarray) -> bool:
    """A column is numeric if it has a finite number and at least half its non-missing cells parse.

    codes: int8 (n,) from classify(). Infinite cells count as parsed (they are numbers, just unusable).
    """
    n_present = int(np.count_nonzero(codes != MISSING))
    n_parsed = int(np.count_nonzero((codes == OK) | (codes == INFINITE)))
    return bool(np.any(codes == OK)) and n_parsed >= 0.5 * n_present
