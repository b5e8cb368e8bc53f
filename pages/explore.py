"""Explore: watch EM fit a Gaussian mixture, iteration by iteration, and handle it on the figure."""

import streamlit as st

from explorer import work_budget
from ui import (cache, controls, em_player, fit_details, imported_model, manual_means, more_views, player_events, results,
                state)
from ui.data_panel import data_panel
from ui.figure_tools import interaction, too_few_points
from ui.markdown_text import markdown_literal
from ui.page_intro import what_em_is
from ui.share import page_header
from ui.site_pages import EXPLORE, HOW_EM_WORKS
from ui.view_picker import view_picker

state.ensure_session_state()
em_player.preload()  # plotly.js loads while the fit runs
player_events.apply_pending_data()  # a point drawn or erased on the figure since the last run
header = st.container()  # the title row, filled once the settings are known
dataset = data_panel()
player_events.apply_pending(dataset)  # a starting mean placed or dragged on the figure
with st.sidebar:
    st.header("Model")
    imported = imported_model.import_panel(dataset)  # before the controls: a new model sets k and the type
    controls.model_controls()
    st.header("Display")
    controls.display_controls(has_truth=dataset is not None and dataset.truth is not None,
                               mixed_units=dataset is not None and not dataset.shared_unit and dataset.X.shape[1] == 2,
                               labelled=dataset is not None and dataset.labelled)
manual = dataset is not None and st.session_state["init"] == "manual" and len(dataset.X) > 0
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
    page_header("Watch EM fit a Gaussian mixture", settings, EXPLORE)
    if not settings.presentation:  # on a projector the bar above links to How EM works, and the figure needs the room
        what_em_is(HOW_EM_WORKS, "What am I looking at?")

if dataset is not None:
    caption_area.caption(markdown_literal(dataset.description))  # it names the user's file and columns
    tools = interaction(settings, dataset)
    data_range = cache.shown_range(dataset.X, settings.points if settings.source == "draw" else None)
    equal_axes = dataset.shared_unit or settings.equal_axes
    waiting = too_few_points(settings, dataset) if settings.source == "draw" else None
    if waiting or (manual and start is None):  # no fit yet: the points, and what has been placed so far
        with figure_area:
            if waiting:
                st.info(waiting, icon="✏️")
            em_player.em_player(cache.placement_payload(dataset.X, settings.k, settings.presentation,
                                                        dataset.feature_names, equal_axes, data_range) | tools)
    else:
        fit_args = imported_model.fit_arguments(cache.fit_arguments(settings), imported)
        try:
            work_budget.check_request(settings, *dataset.X.shape)  # refuse what is sure to be too much
            result = cache.fit(dataset.X, _meter=work_budget.WorkMeter(), **fit_args)
            truth = dataset.truth if settings.show_truth else None
            view, scores = ("pair", 0, 1), None
            if dataset.X.shape[1] > 2:  # look at the d-dimensional fit through a plane (no refit)
                scores = cache.pair_scores(dataset.X, fit_args)
                with figure_area:
                    view = view_picker(scores, dataset.feature_names, settings.k)
            payload = cache.player_payload(dataset.X, fit_args, settings.step_mode, truth, settings.presentation,
                                           dataset.feature_names, equal_axes, data_range, view,
                                           "classes" if dataset.labelled else "true clusters")
        except ValueError as error:  # the engine's messages say what to change
            st.error(results.engine_message(error), icon="⚠️")
        except work_budget.WorkLimitReached:  # stopped at the limit, and not cached
            st.error(work_budget.fit_message(settings, len(dataset.X), stopped=True, n_features=dataset.X.shape[1]),
                     icon="⏱️")
        except work_budget.TooMuchWork as refusal:
            st.error(str(refusal), icon="⏱️")
        else:
            with figure_area:
                em_player.em_player(payload | tools)
                results.display_note(len(dataset.X), dataset.X.shape[1])
            if scores is not None:
                more_views.pairs_matrix(dataset.X, fit_args, result, dataset.feature_names, scores,
                                        settings.presentation)
            results.outcome(result, settings)
            results.reseeds(result)
            details = fit_details.open_tab()  # only the open tab is drawn
            with details.container:
                if details.label == fit_details.PARAMETERS:
                    results.parameters(result, dataset)
                elif details.label == fit_details.UNCERTAINTY:
                    more_views.uncertainty_view(dataset.X, fit_args, dataset.feature_names, view,
                                                settings.presentation)
                elif details.label == fit_details.TRUTH:
                    results.truth_comparison(result, dataset)
                elif details.label == fit_details.RESTARTS:
                    results.restarts(result)
                else:
                    results.downloads(result, dataset, settings, payload)
