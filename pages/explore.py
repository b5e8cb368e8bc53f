"""Explore: watch EM fit a Gaussian mixture, iteration by iteration, and handle it on the figure."""

import streamlit as st

from explorer.starting_means import data_bounds
from ui import cache, controls, em_player, manual_means, player_events, results, state
from ui.data_panel import data_panel
from ui.share import page_header

state.ensure_session_state()
em_player.preload()  # plotly.js loads while the fit runs
header = st.container()  # the title row, filled once the settings are known
dataset = data_panel()
player_events.apply_pending(dataset)  # a click or drag on the figure since the last run
with st.sidebar:
    st.header("Model")
    controls.model_controls()
    st.header("Display")
    controls.display_controls()
manual = dataset is not None and st.session_state["init"] == "manual"
caption_area = st.container()
figure_area, means_area = st.columns([3, 1]) if manual else (st.container(), None)
start = None
if manual:
    start = manual_means.starting_means(dataset.X, st.session_state["k"])
    with means_area:
        manual_means.means_panel(dataset.X, st.session_state["k"], dataset.feature_names)
settings = state.current_settings()
state.sync_url(settings)

with header:
    page_header("Watch EM fit a Gaussian mixture", settings)

if dataset is not None:
    caption_area.caption(dataset.description)
    interaction = ({"mode": "means", "placed": [list(row) for row in settings.manual_means],
                    "bounds": [list(b) for b in data_bounds(dataset.X)]} if manual else {"mode": "view"})
    if manual and start is None:  # after Clear: the points, and the means placed so far
        with figure_area:
            em_player.em_player(cache.placement_payload(dataset.X, settings.k, settings.presentation,
                                                        dataset.feature_names, dataset.shared_unit) | {"interaction": interaction})
            results.display_note(len(dataset.X), dataset.X.shape[1])
    else:
        fit_args = cache.fit_arguments(settings)
        try:
            result = cache.fit(dataset.X, **fit_args)
            truth = dataset.truth if settings.show_truth else None
            payload = cache.player_payload(dataset.X, fit_args, settings.step_mode, truth, settings.presentation,
                                           dataset.feature_names, dataset.shared_unit)
        except ValueError as error:  # the engine's messages say what to change
            st.error(results.engine_message(error), icon="⚠️")
        else:
            with figure_area:
                em_player.em_player(payload | {"interaction": interaction})
                results.display_note(len(dataset.X), dataset.X.shape[1])
            results.outcome(result, settings)
            results.reseeds(result)
            results.parameters(result, dataset)
            results.restarts(result)
            results.truth_comparison(result, dataset)
            results.downloads(result, dataset, settings, payload)
