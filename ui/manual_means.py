"""The starting means of init='manual': placed by clicks on the figure, dragged there, or typed in the
table beside it. The means live in session_state['manual_means'] (and so in the URL, key 'means').

"Clear" empties them and the page waits for k clicks (`placing`); otherwise missing means (k went up,
or a link without them) come from evenly spaced quantiles of the data, so there is always a fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explorer.starting_means import Means, default_means, keep_newest

PLACING = "_placing_means"  # set by Clear: the user is placing the means one click at a time
VERSION = "_means_version"  # bumped whenever a click, drag or Clear changes the means: the table redraws


def starting_means(X: np.ndarray, k: int) -> Means | None:
    """The k starting means the fit starts from, or None while the user is still placing them.

    X : ndarray of shape (n_samples, n_features)
    """
    means = tuple(tuple(row) for row in st.session_state.get("manual_means") or ())
    if any(len(row) != X.shape[1] for row in means):
        means = ()  # another data set's means
    means = keep_newest(means, k)
    if len(means) < k:
        if st.session_state.get(PLACING):
            st.session_state["manual_means"] = means
            return None
        means = means + default_means(X, k)[len(means):]
    st.session_state[PLACING] = False
    st.session_state["manual_means"] = means
    return means


def placed_means() -> Means:
    return tuple(tuple(row) for row in st.session_state.get("manual_means") or ())


def set_means(means: Means) -> None:
    """New means from the figure (a click or a drag): the table shows them on this run."""
    st.session_state["manual_means"] = tuple(tuple(float(v) for v in row) for row in means)
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def means_panel(X: np.ndarray, k: int, feature_names: tuple[str, ...]) -> None:
    """Beside the figure: the means as a table to type exact values into, and Clear."""
    means = placed_means()
    placing = bool(st.session_state.get(PLACING))
    st.markdown("**Starting means**")
    if placing:
        st.caption(f"Click on the plot to place mean {len(means) + 1} of {k}.")
    else:
        st.caption("Click on the plot to place a mean, drag a numbered ring, or type exact values here.")
    if means:
        frame = pd.DataFrame([list(row) for row in means], columns=list(feature_names),
                             index=[f"{j + 1}" for j in range(len(means))])
        key = f"means_editor_{k}_{X.shape[1]}_{len(means)}_{st.session_state.get(VERSION, 0)}"
        edited = st.data_editor(frame, key=key, width="stretch")
        values = edited.to_numpy(dtype=float, na_value=np.nan)
        if not np.all(np.isfinite(values)):
            st.warning("Every starting mean needs a number; the empty cells keep their last value.")
            values = np.where(np.isfinite(values), values, frame.to_numpy(dtype=float))
        st.session_state["manual_means"] = tuple(tuple(float(v) for v in row) for row in values)
    st.button("Clear: place them by clicking", on_click=clear_means, key="clear_means", width="stretch")


def clear_means() -> None:
    set_means(())
    st.session_state[PLACING] = True
