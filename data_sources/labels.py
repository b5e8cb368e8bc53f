"""A label column: any column of the file (text or numbers), read as each row's class, the truth a fit is
compared with. It is never a feature. A label that cannot serve as truth says why in one sentence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import MISSING_TOKENS


@dataclass(frozen=True, eq=False)
class LabelColumn:
    """The classes of the rows used.

    codes : ndarray of shape (n_rows_used,), int, each row's class as an index into `classes`
    classes : the distinct labels as text, sorted
    """

    codes: np.ndarray
    classes: tuple[str, ...]


def label_texts(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(texts, missing): each cell as text (object array of shape (n,)) and bool (n,) for an empty or NA cell."""
    texts = cells.astype(str).str.strip().to_numpy(dtype=object)
    # The reader's numbers come back as '5.0'; a whole number is a class such as '5', as typed.
    if pd.api.types.is_float_dtype(cells.dtype):
        values = cells.to_numpy(dtype=np.float64, na_value=np.nan)
        whole = np.isfinite(values) & (values == np.round(values))
        texts[whole] = [str(int(v)) for v in values[whole]]
        missing = ~np.isfinite(values)
    else:
        missing = np.array([text.lower() in MISSING_TOKENS for text in texts], dtype=bool)
    return texts, missing


def label_column(texts: np.ndarray) -> LabelColumn:
    """The class of each row from its label text."""
    classes, codes = np.unique(texts.astype(str), return_inverse=True)
    return LabelColumn(codes.astype(np.int64), tuple(str(c) for c in classes))


def label_problem(name: str, labels: LabelColumn) -> str:
    """Why the label column cannot serve as truth ('' when it can): one class, or one class per row."""
    n_classes, n_rows = len(labels.classes), len(labels.codes)
    if n_classes < 2:
        return (f"The label column '{name}' has one class ('{labels.classes[0][:40]}') in every row used, so there "
                "is nothing to compare the components with; fitting without labels. Pick a column that names "
                "each row's group.")
    if n_classes == n_rows:
        return (f"The label column '{name}' has a different value in each of the {n_rows:,} rows used (an "
                "identifier, not a class), so it cannot serve as the truth; fitting without labels. Pick a "
                "column that names each row's group.")
    return ""
