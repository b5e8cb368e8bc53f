"""ParsedTable + chosen columns -> PreparedData: the clean (n, d) array the EM engine fits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import INFINITE, MISSING, NOT_A_NUMBER, OK, REASON_NAMES, classify
from .csv_reader import ParsedTable
from .errors import DataError, quote_names
from .labels import LabelColumn, label_column, label_problem, label_texts
from .scaling import standardise as _standardise

MAX_ABS_VALUE = 1e100
"""Beyond this magnitude squared distances and covariance determinants overflow float64."""
PREVIEW_ROWS = 10
# When a row is bad in several chosen columns it is counted once, under the first reason here.
_REASON_PRIORITY = (NOT_A_NUMBER, INFINITE, MISSING)


@dataclass(frozen=True, eq=False)
class PreparedData:
    """Data ready for fitting.

    X: float64 (n_rows_used, d), d = len(columns) >= 1, all finite; standardised if
        center/scale are set, so that X = (raw - center) / scale.
    columns: the d column names, in the order of X's columns.
    n_rows_read / n_rows_used / n_rows_dropped: data rows in the file / kept / dropped.
    drop_reasons: {"missing" | "not a number" | "infinite": count}, non-zero entries only,
        summing to n_rows_dropped.
    center, scale: float64 (d,) when standardised, else None.
    preview: DataFrame (<= 10, d) of the first used rows in original units.
    label: the label column's name, or None; rows with no label are dropped (counted as missing).
    labels: each used row's class (LabelColumn), or None without a usable label column.
    label_note: why the label column cannot serve as truth ('' when it can, or when there is none).
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
    label: str | None = None
    labels: LabelColumn | None = None
    label_note: str = ""

    @property
    def standardised(self) -> bool:
        """True if X is in standardised units (see center, scale)."""
        return self.center is not None


def prepare_columns(table: ParsedTable, columns: list[str], standardise: bool = False,
                    label: str | None = None) -> PreparedData:
    """Extract one or more numeric columns as a finite float array, dropping unusable rows.

    label : optionally one more column of any kind, each row's class (the truth, not a feature).
    Raises DataError for a bad column choice, fewer than 2 usable rows, or (without
    standardisation) values too large to fit reliably.
    """
    columns = [columns] if isinstance(columns, str) else list(columns)  # a lone name is a one-column choice
    _check_label(table, columns, label)
    columns = _check_choice(table, columns)
    n_read = len(table.frame)
    values = np.empty((n_read, len(columns)))
    codes = np.empty((n_read, len(columns) + bool(label)), dtype=np.int8)
    for j, name in enumerate(columns):
        values[:, j], codes[:, j] = classify(table.frame[name], table.decimal)
    if label:
        texts, no_label = label_texts(table.frame[label])
        codes[:, -1] = np.where(no_label, MISSING, OK)

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
    labels, label_note = None, ""
    if label:
        labels = label_column(texts[keep])
        label_note = label_problem(label, labels)
        labels = None if label_note else labels
        preview[label] = texts[keep][:PREVIEW_ROWS]
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
        label=label or None,
        labels=labels,
        label_note=label_note,
    )


def _check_choice(table: ParsedTable, columns: list[str]) -> list[str]:
    """Validate the chosen column names; returns them as a fresh list."""
    columns = list(columns)
    options = quote_names(table.numeric_columns)
    if not columns:
        raise DataError(f"Choose at least one numeric column to fit; the options are {options}.")
    if len(set(columns)) != len(columns):
        twice = next(name for name in columns if columns.count(name) > 1)
        raise DataError(f"Choose different columns, not '{twice}' twice; the options are {options}.")
    for name in columns:
        if name in table.skipped_columns:
            raise DataError(
                f"Column '{name}' contains text, not numbers; choose one of the numeric columns {options}."
            )
        if name not in table.numeric_columns:
            raise DataError(f"There is no column '{name}' in this file; choose one of {options}.")
    return columns


def _check_label(table: ParsedTable, columns: list[str], label: str | None) -> None:
    """The label column must exist and must not also be a feature (it is the truth the fit is compared with)."""
    if not label:
        return
    if label not in table.frame.columns:
        raise DataError(f"There is no column '{label}' in this file to use as labels; choose one of "
                        f"{quote_names(list(table.frame.columns))}, or no label column.")
    if label in columns:
        raise DataError(f"'{label}' is chosen both as a feature and as the label column; the labels are the truth "
                        "the fit is compared with, so they cannot also be fitted. Remove it from the columns, or "
                        "pick another label column.")


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
