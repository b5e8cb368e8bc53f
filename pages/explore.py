"""Explore: watch EM fit a Gaussian mixture, iteration by iteration."""

import streamlit as st

from ui import cache, controls, em_player, results, state
from ui.data_panel import data_panel
from ui.manual_means import manual_means_editor
from ui.share import page_header

state.ensure_session_state()
em_player.preload()  # plotly.js loads while the fit runs
header = st.container()  # the title row, filled once the settings are known
dataset = data_panel()
with st.sidebar:
    st.header("Model")
    controls.model_controls()
    if dataset is not None and st.session_state["init"] == "manual":
        manual_means_editor(dataset.X, st.session_state["k"], dataset.feature_names)
    st.header("Display")
    controls.display_controls()
settings = state.current_settings()
state.sync_url(settings)

with header:
    page_header("Watch EM fit a Gaussian mixture", settings)

if dataset is not None:
    st.caption(dataset.description)
    fit_args = cache.fit_arguments(settings)
    try:
        result = cache.fit(dataset.X, **fit_args)
        truth = dataset.truth if settings.show_truth else None
        payload = cache.player_payload(dataset.X, fit_args, settings.step_mode, truth, settings.presentation,
                                       dataset.feature_names, dataset.shared_unit)
    except ValueError as error:  # the engine's messages say what to change
        st.error(results.engine_message(error), icon="⚠️")
    else:
        em_player.em_player(payload)
        results.display_note(len(dataset.X), dataset.X.shape[1])
        results.outcome(result, settings)
        results.reseeds(result)
        results.parameters(result, dataset)
        results.restarts(result)
        results.truth_comparison(result, dataset)
        results.downloads(result, dataset, settings, payload)
