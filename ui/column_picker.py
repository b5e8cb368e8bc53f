"""Which columns of an uploaded file a fit uses, and which one (if any) holds the labels.

Any number of numeric columns up to MAX_FEATURES (all of them by default, the first MAX_FEATURES of a wider
file, and the page says which were kept); optionally one label column of any kind, used as the truth the fit
is compared with, never as a feature. A column with one value can be dropped with one click.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import data_sources
from explorer.settings import MAX_FEATURES

from .markdown_text import markdown_literal

NO_LABEL = ""


def column_controls(table: data_sources.ParsedTable) -> None:
    """Column and label pickers and standardisation for an uploaded table (keeps a still-valid choice)."""
    numeric = list(table.numeric_columns)
    chosen = [c for c in st.session_state.get("columns") or [] if c in numeric][:MAX_FEATURES]
    st.session_state["columns"] = chosen or numeric[:MAX_FEATURES]
    st.multiselect(f"Columns to fit (up to {MAX_FEATURES})", numeric, max_selections=MAX_FEATURES, key="columns",
                   help=f"Any {MAX_FEATURES} or fewer of the file's numeric columns; all of them by default (the "
                        f"first {MAX_FEATURES} of a wider file). The player shows a fit of more than two through a "
                        "pair of them.")
    everything = list(table.frame.columns)
    asked = st.session_state.get("label") or NO_LABEL
    if asked not in everything:
        st.session_state["label"] = NO_LABEL
        if asked:  # from a link to another file: say so rather than drop it silently
            st.caption(f"This file has no column '{markdown_literal(asked)}' to use as labels; pick one below.")
    st.selectbox("Label column (optional)", [NO_LABEL, *everything], key="label",
                 format_func=lambda name: "none" if name == NO_LABEL else name,
                 help="A column naming each row's group (text or numbers), such as a species. It is not fitted: "
                      "the fit is compared with it (adjusted Rand index, a confusion table), and Choose k marks "
                      "its number of classes.")
    st.checkbox("Standardise columns (mean 0, sd 1)", key="standardise")


def kept_columns_note(table: data_sources.ParsedTable, columns: tuple[str, ...]) -> None:
    """A file with more numeric columns than a fit takes: say which are fitted and which are left out."""
    numeric = list(table.numeric_columns)
    if len(numeric) <= MAX_FEATURES:
        return
    left_out = [c for c in numeric if c not in columns]
    st.info(f"This file has {len(numeric)} numeric columns, more than the {MAX_FEATURES} a fit can use. Fitting "
            f"{_names(columns)}; left out {_names(left_out)}. Choose others under Columns to fit in the sidebar.",
            icon="🧮")


def label_note(prepared: data_sources.PreparedData) -> None:
    """Why the chosen label column cannot serve as truth (the fit goes on without it)."""
    if prepared.label_note:
        st.warning(markdown_literal(prepared.label_note), icon="🏷️")


def constant_columns_note(prepared: data_sources.PreparedData) -> None:
    """A column with one value has no spread to fit: EM's variance there is only reg_covar, so say so, and
    offer to fit the other columns."""
    constant = [j for j in range(prepared.X.shape[1]) if np.ptp(prepared.X[:, j]) == 0]
    if not constant:
        return
    raw = prepared.center if prepared.center is not None else prepared.X[0]
    values = ", ".join(f"'{markdown_literal(prepared.columns[j])}' = {raw[j]:g}" for j in constant)
    if len(constant) == prepared.X.shape[1]:
        st.warning(f"All {prepared.n_rows_used:,} points are identical ({values}): there is nothing to cluster, "
                   "and any fitted spread is only reg_covar. Upload data whose points differ, or pick other columns.")
        return
    names = [prepared.columns[j] for j in constant]
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.warning(f"Every row has the same value in {values}: there is no spread to fit along "
                 f"{'that column' if len(constant) == 1 else 'those columns'}, so the components' variance there is "
                 "only reg_covar and the log-likelihood, BIC and AIC are inflated. Pick another column, or fit the "
                 "other columns alone.")
    button.button("Fit the other columns", key="drop_constant", on_click=_drop_columns, args=(names,),
                  width="stretch", help="Removes " + ", ".join(names) + " from Columns to fit; every other setting "
                                        "stays.")


def _drop_columns(names: list[str]) -> None:
    """Button callback: runs before the widgets are drawn, so the column choice may still be set."""
    st.session_state["columns"] = [c for c in st.session_state.get("columns") or [] if c not in names]


def _names(names) -> str:
    quoted = [f"'{markdown_literal(name)}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
