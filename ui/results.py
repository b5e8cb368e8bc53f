"""The panels under the animation: outcome, parameters, re-seeds, restarts, truth, downloads."""

from __future__ import annotations

import numpy as np
import streamlit as st

import figures
import gmm_core
from explorer import exports, stopping
from explorer.dataset import Dataset
from explorer.figure_text import figure_caption, settings_line, slide_title
from explorer.settings import Settings
from explorer.tables import confusion_table, reseed_table, shown_parameter_table
from explorer.truth import compare_with_truth

from . import slide_video, state
from .html_table import html_table
from .markdown_text import markdown_literal
from .plotly_figure import figure_data, plotly_figure


def engine_message(error: ValueError) -> str:
    """The engine's sentence in the page's words: its X is 'the data', its n_components is k."""
    return str(error).replace("n_components", "k").replace("X has", "The data has").replace("X must", "The data must")


def outcome(result: gmm_core.FitResult, settings: Settings) -> None:
    """How the fit stopped (green only if it really converged), and the scores (BIC/AIC: lower is
    better): the end of the fit, whatever frame the player shows (its readout follows the frame)."""
    st.subheader("At the end of the fit")
    summary = stopping.stop_summary(result, settings.tol)
    show = {"converged": st.success, "stopped": st.info, "given": st.info}.get(summary.kind, st.warning)
    if summary.can_keep_iterating:
        text, button = st.columns([4, 1], vertical_alignment="center")
        with text:
            show(summary.text)
        button.button("Keep iterating", key="keep_iterating", on_click=_keep_iterating,
                      args=(stopping.keep_iterating(settings, result),), width="stretch",
                      help="Refit with a tighter tolerance or more iterations; every other setting stays.")
    else:
        show(summary.text)
    note = stopping.coinciding_note(result.params)
    if note:
        st.warning(note)
    label = result.curve_label.capitalize()
    columns = st.columns(5 if result.algorithm == "hard" else 4)
    columns[0].metric(label, f"{result.objective:,.3f}")
    if result.algorithm == "hard":
        columns[1].metric("Mixture log-likelihood", f"{result.log_likelihood:,.3f}",
                          help="What soft EM maximises, and what BIC and AIC use: comparable with a soft-EM fit.")
    columns[-3].metric("BIC (lower is better)", f"{result.bic:,.3f}")
    columns[-2].metric("AIC (lower is better)", f"{result.aic:,.3f}")
    columns[-1].metric("Free parameters", result.params.n_parameters)


def _keep_iterating(changes: dict) -> None:
    """Button callback: runs before the next script run, so the widgets' state may still be set."""
    state.apply_settings(state.current_settings().with_changes(**changes))


def parameters(result: gmm_core.FitResult, dataset: Dataset) -> None:
    st.caption("Each component's weight, mean and standard deviations (and in 2-D the correlation) at the end of the "
               "fit, to a hundredth of its smallest standard deviation; the downloads hold every digit.")
    html_table(shown_parameter_table(result.params, dataset.feature_names))
    suspect = [check for check in gmm_core.component_checks(result.params, dataset.X) if check.spurious]
    if suspect:
        names = " and ".join(str(check.component + 1) for check in suspect)
        noun = "Component" if len(suspect) == 1 else "Components"
        verb, pronoun = ("is", "it sits") if len(suspect) == 1 else ("are", "they sit")
        st.warning(
            f"{noun} {names} {verb} spurious: {pronoun} on a few repeated values or points rather than a cluster "
            f"(a spurious maximum of the likelihood). The rule: {gmm_core.SPURIOUS_RULE} Try fewer components, "
            "another seed, or a larger reg_covar."
        )


def reseeds(result: gmm_core.FitResult) -> None:
    if not result.reseed_events:
        return
    st.subheader("Collapsed components")
    st.warning(
        f"{len(result.reseed_events)} time(s) a component died (it kept essentially no responsibility, or its "
        "covariance could not be inverted even with reg_covar) and was re-seeded at the worst-explained point; "
        "a component that dies a second time stops the fit. They are marked on the learning curve. Fewer "
        "components or a larger reg_covar avoid this."
    )
    st.dataframe(reseed_table(result), hide_index=True, width="stretch")


def restarts(result: gmm_core.FitResult) -> None:
    if len(result.restarts) < 2:
        st.info("This fit is one run from one start. Set **Restarts** above 1 (sidebar: Stopping rule, "
                "regularisation and restarts) to see runs from different starts end at different local optima; "
                "the best one is animated.", icon="🔁")
        return
    st.markdown("**EM finds local optima**")
    finals = np.array([curve[-1] for curve in result.restarts])
    distinct = len(np.unique(np.round(finals, 3)))
    st.caption(
        f"{len(finals)} runs from different starts ended at {distinct} different value(s) of the {result.curve_label}; "
        f"the best (run {result.best_restart + 1}) is the one animated above."
    )
    plotly_figure(figure_data(figures.restarts_figure(result)), key="restarts_chart")


def truth_comparison(result: gmm_core.FitResult, dataset: Dataset) -> None:
    """The fit against the truth (the generating mixture, or the classes of a label column): Hungarian matching of
    components to true clusters by their means, the adjusted Rand index, and the confusion table."""
    if dataset.truth is None:
        st.info("This data has no truth to compare with. Synthetic clusters have one (the mixture that drew "
                "them), and so does a file with a label column (its classes).", icon="🏷️")
        return
    truth, k = dataset.truth, result.params.n_components
    names = _truth_names(dataset)
    labelled = dataset.labelled
    st.markdown(f"**Compared with the labels in '{markdown_literal(dataset.label_name)}'**" if labelled
                else "**Compared with the mixture that drew the data**")
    what = f"{truth.n_components} classes" if labelled else f"{truth.n_components} true clusters"
    if k != truth.n_components:
        st.caption(f"The data has {what} and the model {k} components; unmatched components are left out of the "
                   "matching.")
    comparison = compare_with_truth(result.params, dataset.X, truth, dataset.labels)
    columns = st.columns(2)
    columns[0].metric("Adjusted Rand index", f"{comparison.adjusted_rand:.3f}",
                      help="1 = the same grouping as the truth, about 0 = no better than chance.")
    columns[1].metric("Mean error of the means", f"{comparison.mean_errors.mean():.3g}",
                      help="The distance between each fitted mean and the mean of the "
                           f"{'class' if labelled else 'true cluster'} it is matched with, averaged.")
    true_label = "class" if labelled else "true cluster"
    rows = [
        {"fitted component": f + 1, true_label: names[t], "distance between means": err}
        for (f, t), err in zip(comparison.pairs, comparison.mean_errors)
    ]
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={"distance between means": st.column_config.NumberColumn(format="%.3g")})
    groups = "classes" if labelled else "true clusters"
    st.markdown(f"**Which points each component took** (rows: the {groups}; columns: each point's most responsible "
                "component)")
    st.dataframe(confusion_table(dataset.labels, result.params.predict(dataset.X), names, k), hide_index=True,
                 width="stretch")


def _truth_names(dataset: Dataset) -> list[str]:
    """The true groups' names as shown: the label's classes, or 'cluster 1' ... for synthetic data."""
    if dataset.labelled:
        return list(dataset.class_names)
    return [f"cluster {t + 1}" for t in range(dataset.truth.n_components)]


def downloads(result: gmm_core.FitResult, dataset: Dataset, settings: Settings, payload: dict) -> None:
    names = dataset.feature_names
    # Every download is made on click: the server holds (and serves at /media/...) only what was asked for.
    # on_click="ignore": a download must not rerun the page, whose rerun would drop the file being generated.
    columns = st.columns(4)
    columns[0].download_button("Parameters (JSON)", lambda: exports.parameters_json(result, settings, names),
                               file_name="em_parameters.json", mime="application/json", on_click="ignore")
    columns[1].download_button("Parameters (CSV)", lambda: exports.parameters_csv(result, names),
                               file_name="em_parameters.csv", mime="text/csv", on_click="ignore")
    columns[2].download_button("Responsibilities (CSV)",
                               lambda: exports.responsibilities_csv(result, dataset.X, names),
                               file_name="em_responsibilities.csv", mime="text/csv", on_click="ignore")
    columns[3].download_button(
        "Animation (HTML)",
        lambda: exports.animation_html(payload, f"EM fit: {dataset.description}",
                                       settings_line(settings, result.n_iter, result.converged),
                                       figure_caption(len(dataset.X), dataset.X.shape[1])),
        file_name="em_animation.html", mime="text/html", on_click="ignore",
        help="One HTML file with the player and the fit inside: it plays offline, in any browser.")
    slide_video.slide_film_panel(payload, slide_title(dataset.description, settings))


def display_note(n_points: int, n_features: int) -> None:
    """Say how the picture was drawn and how to handle it."""
    st.caption(figure_caption(n_points, n_features) + " Press ▶ Play, or step with ◀ ▶ or the ← → keys; hover a "
               "point for its responsibilities and a mean for its weight, mean and covariance at that frame.")
