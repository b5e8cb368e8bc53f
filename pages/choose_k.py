"""Choose k: fit every k and covariance type on the Explorer's data, and compare them by BIC and AIC."""

import streamlit as st

import gmm_core

from ui import selection, state
from ui.data_panel import data_panel
from ui.markdown_text import markdown_literal
from ui.share import page_header
from ui.site_pages import CHOOSE_K

state.ensure_session_state()
selection.keep_sweep_state()
header = st.container()  # the title row, filled once the settings are known
dataset = data_panel()
settings = state.current_settings()
with st.sidebar:
    st.header("Sweep")
    plan = selection.sweep_controls(settings)
state.sync_url(settings)

with header:
    page_header("Choose k: how many components?", settings, CHOOSE_K, selection.PAGE_PATH)
first, second = st.container(), st.container()
chart_area, words_area = (first, second) if settings.presentation else (second, first)  # on a projector, the chart first
with words_area:
    st.markdown(
        "Every model here is a Gaussian mixture fitted by EM (Expectation-Maximization). "
        "More components always fit the data at least as well, so the log-likelihood alone would always pick the "
        "largest k. BIC and AIC add a penalty for every free parameter; the model with the **lowest** score wins "
        "(scikit-learn's sign convention: BIC = −2 log L + p log n, AIC = −2 log L + 2p, for p parameters and n "
        "points)."
    )

if dataset is not None:
    with words_area:
        st.caption(markdown_literal(dataset.description))  # it names the user's file and columns
        rows = selection.run_sweep(dataset.X, plan)
        criterion = selection.criterion_choice() if rows else None
    if rows:
        ranking = gmm_core.ModelSelection.from_rows(rows, criterion)
        true_k = dataset.truth.n_components if dataset.truth is not None else None
        with chart_area:
            selection.selection_chart(ranking, true_k, settings.presentation, dataset.labelled)
        selection.recommendation(ranking, true_k, dataset.label_name if dataset.labelled else None)
        selection.close_call_note(ranking, len(dataset.X))
        selection.spurious_note(ranking, dataset)
        selection.sweep_table(ranking)
        selection.open_in_explorer(ranking, plan)
