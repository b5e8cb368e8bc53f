"""Classify text cells as number / missing / not a number / infinite."""

from __future__ import annotations

import numpy as np
import pandas as pd

OK, MISSING, NOT_A_NUMBER, INFINITE = 0, 1, 2, 3
REASON_NAMES = {MISSING: "missing", NOT_A_NUMBER: "not a number", INFINITE: "infinite"}

# Compared after strip + lower-case; '?' and '.' are the usual markers in UCI and SAS exports.
MISSING_TOKENS = frozenset(
    {"", "na", "n/a", "nan", "null", "none", "missing", "#n/a", "?", ".", "-", "--"}
)


def classify(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse a column of stripped text cells.

    cells: Series of str, length n.
    Returns (values, codes): values float64 (n,) with NaN wherever the cell is not a
    finite number, codes int8 (n,) with OK / MISSING / NOT_A_NUMBER / INFINITE.
    """
    text = cells.astype(object).to_numpy()
    missing = pd.Series(text).str.lower().isin(MISSING_TOKENS).to_numpy()
    parsed = pd.to_numeric(pd.Series(np.where(missing, None, text)), errors="coerce")
    values = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
    codes = np.full(len(text), OK, dtype=np.int8)
    codes[np.isnan(values)] = NOT_A_NUMBER
    codes[np.isinf(values)] = INFINITE  # also overflowing literals such as 1e400
    codes[missing] = MISSING
    values = np.where(codes == OK, values, np.nan)
    return values, codes


def is_numeric_column(codes: np.ndarray) -> bool:
    """A column is numeric if it has a finite number and at least half its non-missing cells parse.

    codes: int8 (n,) from classify(). Infinite cells count as parsed (they are numbers, just unusable).
    """
    n_present = int(np.count_nonzero(codes != MISSING))
    n_parsed = int(np.count_nonzero((codes == OK) | (codes == INFINITE)))
    return bool(np.any(codes == OK)) and n_parsed >= 0.5 * n_present
