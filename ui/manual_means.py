"""The editable table of starting means for init='manual'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st


def default_means(X: np.ndarray, k: int) -> tuple[tuple[float, ...], ...]:
    """Evenly spaced quantiles of each column: a sensible, visible starting point to edit."""
    levels = (np.arange(k) + 0.5) / k
    return tuple(tuple(float(f"{v:.4g}") for v in row) for row in np.quantile(X, levels, axis=0))


def manual_means_editor(X: np.ndarray, k: int, feature_names: tuple[str, ...]) -> None:
    """Draw the editor and store its rows in session_state['manual_means'] (k rows, d columns)."""
    current = st.session_state.get("manual_means") or ()
    if len(current) != k or any(len(row) != X.shape[1] for row in current):
        current = default_means(X, k)
    frame = pd.DataFrame(list(current), columns=list(feature_names), index=[f"component {j + 1}" for j in range(k)])
    st.caption("Starting means (edit the cells; EM starts here)")
    edited = st.data_editor(frame, key=f"means_editor_{k}_{X.shape[1]}", width="stretch")
    values = edited.to_numpy(dtype=float, na_value=np.nan)
    if not np.all(np.isfinite(values)):
        st.warning("Every starting mean needs a number; empty cells were filled from the default.")
        values = np.where(np.isfinite(values), values, np.array(default_means(X, k)))
    st.session_state["manual_means"] = tuple(tuple(float(v) for v in row) for row in values)
