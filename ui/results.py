"""The panels under the animation: outcome, parameters, re-seeds, restarts, truth, downloads."""

from __future__ import annotations

import numpy as np
import streamlit as st

import figures
import gmm_core
from explorer import exports
from explorer.dataset import Dataset
from explorer.figure_text import figure_caption, settings_line
from explorer.settings import Settings
from explorer.tables import parameter_table, reseed_table
from explorer.truth import compare_with_truth


def engine_message(error: ValueError) -> str:
    """The engine's sentence in the page's words: its X is 'the data', its n_components is k."""
    return str(error).replace("n_components", "k").replace("X has", "The data has").replace("X must", "The data must")


def outcome(result: gmm_core.FitResult, settings: Settings) -> None:
    """Converged or not, and the scores (BIC/AIC: lower is better): the end of the fit, whatever frame
    the player shows (its readout follows the frame)."""
    st.subheader("At the end of the fit")
    if result.converged:
        st.success(f"Converged after {result.n_iter} iterations (the mean log-likelihood changed by less than {settings.tol:g}).")
    else:
        st.warning(
            f"Stopped at the limit of {result.n_iter} iterations before converging; "
            "raise Max iterations or the tolerance to let EM finish."
        )
    columns = st.columns(4)
    columns[0].metric("Log-likelihood", f"{result.log_likelihood:,.3f}")
    columns[1].metric("BIC (lower is better)", f"{result.bic:,.3f}")
    columns[2].metric("AIC (lower is better)", f"{result.aic:,.3f}")
    columns[3].metric("Free parameters", result.params.n_parameters)


def parameters(result: gmm_core.FitResult, dataset: Dataset) -> None:
    st.subheader("Fitted parameters")
    st.dataframe(parameter_table(result.params, dataset.feature_names), hide_index=True, width="stretch",
                 column_config={"weight": st.column_config.NumberColumn(format="%.3f")})
    suspect = gmm_core.degenerate_components(result.params, dataset.X)
    if suspect:
        names = " and ".join(str(k + 1) for k in suspect)
        noun = "Component" if len(suspect) == 1 else "Components"
        verb, pronoun = ("has", "it sits") if len(suspect) == 1 else ("have", "they sit")
        st.warning(
            f"{noun} {names} {verb} almost no spread in some direction: {pronoun} on a few repeated values "
            "rather than a cluster (a spurious maximum of the likelihood). Try fewer components, another seed, "
            "or a larger reg_covar."
        )


def reseeds(result: gmm_core.FitResult) -> None:
    if not result.reseed_events:
        return
    st.subheader("Collapsed components")
    st.warning(
        f"{len(result.reseed_events)} time(s) a component collapsed (it lost nearly all its points or its "
        "covariance became singular) and was re-seeded at the worst-explained point. They are marked on the "
        "learning curve. Fewer components or a larger reg_covar avoid this."
    )
    st.dataframe(reseed_table(result), hide_index=True, width="stretch")


def restarts(result: gmm_core.FitResult) -> None:
    if len(result.restarts) < 2:
        return
    st.subheader("Restarts: EM finds local optima")
    finals = np.array([curve[-1] for curve in result.restarts])
    distinct = len(np.unique(np.round(finals, 3)))
    st.caption(
        f"{len(finals)} runs from different starts ended at {distinct} different log-likelihood(s); "
        f"the best (run {result.best_restart + 1}) is the one animated above."
    )
    st.plotly_chart(figures.restarts_figure(result), width="stretch")


def truth_comparison(result: gmm_core.FitResult, dataset: Dataset) -> None:
    if dataset.truth is None:
        return
    st.subheader("Compared with the truth")
    if result.params.n_components != dataset.truth.n_components:
        st.caption(f"The data has {dataset.truth.n_components} true clusters and the model {result.params.n_components} "
                   "components; unmatched components are left out.")
    comparison = compare_with_truth(result.params, dataset.X, dataset.truth, dataset.labels)
    columns = st.columns(2)
    columns[0].metric("Adjusted Rand index", f"{comparison.adjusted_rand:.3f}",
                      help="1 = the same grouping as the truth, about 0 = no better than chance.")
    columns[1].metric("Mean error of the means", f"{comparison.mean_errors.mean():.3g}")
    rows = [
        {"fitted component": f + 1, "true cluster": t + 1, "distance between means": err}
        for (f, t), err in zip(comparison.pairs, comparison.mean_errors)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def downloads(result: gmm_core.FitResult, dataset: Dataset, settings: Settings, payload: dict) -> None:
    st.subheader("Downloads")
    names = dataset.feature_names
    columns = st.columns(4)
    columns[0].download_button("Parameters (JSON)", exports.parameters_json(result, settings, names),
                               file_name="em_parameters.json", mime="application/json")
    columns[1].download_button("Parameters (CSV)", exports.parameters_csv(result, names),
                               file_name="em_parameters.csv", mime="text/csv")
    columns[2].download_button("Responsibilities (CSV)", lambda: exports.responsibilities_csv(result, dataset.X, names),
                               file_name="em_responsibilities.csv", mime="text/csv")
    columns[3].download_button(
        "Animation (HTML, plays offline)",
        lambda: exports.animation_html(payload, f"EM fit: {dataset.description}",
                                       settings_line(settings, result.n_iter, result.converged),
                                       figure_caption(len(dataset.X), dataset.X.shape[1])),
        file_name="em_animation.html", mime="text/html")


def display_note(n_points: int, n_features: int) -> None:
    """Say how the picture was drawn and how to handle it."""
    st.caption(figure_caption(n_points, n_features) + " Press ▶ Play, or step with ◀ ▶ or the ← → keys; hover a "
               "point for its responsibilities and a mean for its weight, mean and covariance at that frame.")
