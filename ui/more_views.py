"""Under the player: the uncertainty view (any d) and, for d > 2, the scatterplot matrix of any iteration.

Both are static Plotly figures of one set of parameters, built from the cached fit (nothing refits), and shared
by the sessions that show them.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import figures
import gmm_core
from figures.pairs_matrix import READABLE_FEATURES, pairs_matrix_figure
from figures.projection import PairScores, marginal
from figures.uncertainty import uncertainty_figure

from . import cache
from .markdown_text import markdown_literal
from .plotly_figure import figure_data, plotly_figure

CHART_CONFIG = {"displaylogo": False}


def uncertainty_view(X: np.ndarray, fit_args: dict, feature_names: tuple[str, ...], view: tuple,
                     presentation: bool) -> None:
    """The final fit's uncertainty 1 - max gamma on the points the player draws, in the player's view (drawn with
    the player's plotly.js: st.plotly_chart's own would delay the player's first figure)."""
    st.markdown("**The points EM is unsure about**")
    st.caption("Each point's uncertainty is 1 − its largest responsibility: 0 when one component claims it, "
               "up to 1 − 1/k when all share it equally. "
               + ("Here it is the height of each point." if X.shape[1] == 1 else
                  "Here the larger a point, the less sure EM is; they sit where components overlap."))
    plotly_figure(_uncertainty_figure(X, fit_args, feature_names, view, presentation), key="uncertainty_chart")


# cache_resource: every session reads the same figure; a cache_data hit rebuilt (and revalidated) the Plotly
# figure from its pickle, which cost more than the rest of the view (bench/RESULTS_load.md). Nothing mutates it.
@st.cache_resource(max_entries=16, show_spinner=False)
def _uncertainty_figure(X, fit_args, feature_names, view, presentation) -> dict:
    return figure_data(_uncertainty_plot(X, fit_args, feature_names, view, presentation))


def _uncertainty_plot(X, fit_args, feature_names, view, presentation):
    params = cache.fit(X, **fit_args).params
    shown = X[figures.display_subsample(len(X))]
    resp = params.predict_proba(shown)  # all d features
    if X.shape[1] == 1:
        return uncertainty_figure(shown, resp, feature_names, presentation=presentation)
    if view[0] == "pca":
        axes = cache.principal_axes(X)
        rotated = axes.params(params)
        return uncertainty_figure(axes.points(shown)[:, :2], resp, axes.names(2), view_means=rotated.means[:, :2],
                                  view_covariances=rotated.covariances[:, :2, :2], presentation=presentation)
    pair = view[1:] if view[0] == "pair" else (0, 1)
    means, covariances = marginal(params.means, params.full_covariances, pair)
    return uncertainty_figure(shown[:, list(pair)], resp, [feature_names[i] for i in pair], view_means=means,
                              view_covariances=covariances, presentation=presentation)


def pairs_matrix(X: np.ndarray, fit_args: dict, result: gmm_core.FitResult, feature_names: tuple[str, ...],
                 scores: PairScores, presentation: bool) -> None:
    """Every pair of features with the ellipses (mclust's classification plot), for an iteration the user picks."""
    d = X.shape[1]
    st.subheader("Every pair of features")
    if not st.toggle("Show the scatterplot matrix", key="_pairs_matrix_on",
                     help="Each panel is one pair of features with each component's ellipses on it; "
                          "the diagonal shows each component's density of that feature."):
        return
    last = len(result.trace) - 1
    entry = st.slider("Iteration shown in the matrix", 0, last, last, key="_pairs_matrix_entry") if last > 0 else 0
    features = list(range(d))
    if d > READABLE_FEATURES:
        names = [str(name) for name in feature_names]
        chosen = st.multiselect(
            f"Features in the matrix (more than {READABLE_FEATURES} make panels too small to read)",
            features, default=_best_features(scores, READABLE_FEATURES), format_func=names.__getitem__,
            key="_pairs_matrix_features", max_selections=READABLE_FEATURES)
        features = sorted(chosen)
        if len(features) < 2:
            st.info("Pick at least two features for the matrix.", icon="👆")
            return
    title = "the final fit" if entry == last else f"iteration {entry}"
    st.caption(f"Showing {title}: points in the colour of their most responsible component (all {d} features), "
               f"each component's 1σ and 2σ ellipses and its mean (×) on every pair of "
               + ", ".join(markdown_literal(str(feature_names[f])) for f in features) + ".")
    st.plotly_chart(_matrix_figure(X, fit_args, entry, tuple(features), feature_names, presentation),
                    width="stretch", key="pairs_matrix_chart", config=CHART_CONFIG)


@st.cache_resource(max_entries=8, show_spinner="Drawing every pair…")  # shared, as the uncertainty figure
def _matrix_figure(X, fit_args, entry, features, feature_names, presentation):
    params = cache.fit(X, **fit_args).trace[entry].params
    shown = X[figures.display_subsample(len(X))]
    return pairs_matrix_figure(params, shown, feature_names, list(features), presentation=presentation)


def _best_features(scores: PairScores, count: int) -> list[int]:
    """The features of the best-separating pairs, best first, until `count` distinct ones."""
    chosen: list[int] = []
    for index in np.argsort(-scores.separation, kind="stable"):
        for feature in scores.pairs[index].tolist():
            if feature not in chosen and len(chosen) < count:
                chosen.append(feature)
    return chosen
