"""ParsedTable + chosen columns -> PreparedData: the clean (n, d) array the EM engine fits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import INFINITE, MISSING, NOT_A_NUMBER, OK, REASON_NAMES, classify
from .csv_reader import ParsedTable
from .errors import DataError, quote_names
from .scaling import standardise as _standardise

MAX_ABS_VALUE = 1e100
"""Beyond this magnitude squared distances and covariance determinants overflow float64."""
PREVIEW_ROWS = 10
# When a row is bad in several chosen columns it is counted once, under the first reason here.
_REASON_PRIORITY = (NOT_A_NUMBER, INFINITE, MISSING)


@dataclass(frozen=True, eq=False)
class PreparedData:
    """Data ready for fitting.

    X: float64 (n_rows_used, d), d = len(columns) in {1, 2}, all finite; standardised if
        center/scale are set, so that X = (raw - center) / scale.
    columns: the d column names, in the order of X's columns.
    n_rows_read / n_rows_used / n_rows_dropped: data rows in the file / kept / dropped.
    drop_reasons: {"missing" | "not a number" | "infinite": count}, non-zero entries only,
        summing to n_rows_dropped.
    center, scale: float64 (d,) when standardised, else None.
    preview: DataFrame (<= 10, d) of the first used rows in original units.
    """

    X: np.ndarray
    columns: list[str]
    n_rows_read: int
    n_rows_used: int
    n_rows_dropped: int
    drop_reasons: dict[str, int]
    center: np.ndarray | None
    scale: np.ndarray | None
    preview: pd.DataFrame

    @property
    def standardised(self) -> bool:
        """True if X is in standardised units (see center, scale)."""
        return self.center is not None


def prepare_columns(table: ParsedTable, columns: list[str], standardise: bool = False) -> PreparedData:
    """Extract 1 or 2 numeric columns as a finite float array, dropping unusable rows.

    Raises DataError for a bad column choice, fewer than 2 usable rows, or (without
    standardisation) values too large to fit reliably.
    """
    columns = _check_choice(table, columns)
    n_read = len(table.frame)
    values = np.empty((n_read, len(columns)))
    codes = np.empty((n_read, len(columns)), dtype=np.int8)
    for j, name in enumerate(columns):
        values[:, j], codes[:, j] = classify(table.frame[name], table.decimal)

    keep = np.all(codes == OK, axis=1)
    row_reason = np.full(n_read, OK, dtype=np.int8)
    for reason in reversed(_REASON_PRIORITY):
        # Later assignments win, so iterate from lowest to highest priority.
        row_reason[np.any(codes == reason, axis=1)] = reason
    drop_reasons = {
        REASON_NAMES[r]: int(np.count_nonzero(row_reason == r))
        for r in _REASON_PRIORITY
        if np.any(row_reason == r)
    }
    raw = values[keep]
    n_used = raw.shape[0]
    if n_used < 2:
        raise DataError(_too_few_rows_message(columns, n_used, n_read - n_used))

    if standardise:
        X, center, scale = _standardise(raw)
    else:
        _check_magnitude(columns, raw)
        X, center, scale = raw, None, None

    preview = pd.DataFrame(raw[:PREVIEW_ROWS], columns=columns)
    return PreparedData(
        X=np.ascontiguousarray(X, dtype=np.float64),
        columns=columns,
        n_rows_read=n_read,
        n_rows_used=n_used,
        n_rows_dropped=n_read - n_used,
        drop_reasons=drop_reasons,
        center=center,
        scale=scale,
        preview=preview,
    )


def _check_choice(table: ParsedTable, columns: list[str]) -> list[str]:
    """Validate the chosen column names; returns them as a fresh list."""
    if isinstance(columns, str):
        # A lone name is an easy slip from the page code; treat it as a one-column choice.
        columns = [columns]
    columns = list(columns)
    options = quote_names(table.numeric_columns)
    if not 1 <= len(columns) <= 2:
        raise DataError(
            f"Choose one or two numeric columns to fit (you chose {len(columns)}); the options are {options}."
        )
    if len(set(columns)) != len(columns):
        raise DataError(f"Choose two different columns, not '{columns[0]}' twice; the options are {options}.")
    for name in columns:
        if name in table.skipped_columns:
            raise DataError(
                f"Column '{name}' contains text, not numbers; choose one of the numeric columns {options}."
            )
        if name not in table.numeric_columns:
            raise DataError(f"There is no column '{name}' in this file; choose one of {options}.")
    return columns


def _too_few_rows_message(columns: list[str], n_used: int, n_dropped: int) -> str:
    """One sentence for 'fewer than 2 usable rows', naming the columns and how many rows were lost."""
    which = quote_names(columns)
    rows = "No rows have" if n_used == 0 else "Only 1 row has"
    return (
        f"{rows} usable numbers in {which} ({n_dropped} dropped for missing, text or infinite values), "
        "but at least 2 are needed; fill in the missing values or choose other columns."
    )


def _check_magnitude(columns: list[str], raw: np.ndarray) -> None:
    """Reject values so large that the EM arithmetic would overflow."""
    peaks = np.max(np.abs(raw), axis=0)
    for name, peak in zip(columns, peaks):
        if peak > MAX_ABS_VALUE:
            raise DataError(
                f"Column '{name}' has values as large as {peak:.1e}, too large to fit reliably; "
                "rescale them (for example change units) or turn on standardisation."
            )
