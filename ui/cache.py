"""The expensive pure functions, cached at the UI edge and keyed only by their arguments.

Entries are bounded by count (`max_entries`) and, where one entry can be large, by pickled size
(`max_size`: a near-limit upload parses to ~80 MB), so many users and settings keep memory flat.
Changing a display option (step mode, truth, presentation) reuses the cached fit; the player's
payload is small (~0.15 MB), so many of them stay cached.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import data_sources
import figures
import gmm_core
from figures import bound_series, projection
from explorer import dataset, imported_model
from explorer.drawing import Drawing
from explorer.settings import Settings
from explorer.work_budget import WorkMeter

from . import session_guard


@st.cache_data(max_entries=16, show_spinner=False)
def synthetic_dataset(**recipe) -> dataset.Dataset:
    return dataset.synthetic_dataset(**recipe)


@st.cache_data(max_entries=1, show_spinner=False)
def faithful_dataset() -> dataset.Dataset:
    return dataset.faithful_dataset()


@st.cache_data(max_entries=1, show_spinner=False)
def iris_dataset() -> dataset.Dataset:
    return dataset.iris_dataset()


@st.cache_data(max_entries=16, show_spinner=False)
def drawn_dataset(encoded: str, dimension: int) -> dataset.Dataset:
    return dataset.drawn_dataset(encoded, dimension)


@st.cache_data(max_entries=8, max_size="128MiB", show_spinner="Reading the file…")
def parse_upload(raw: bytes, filename: str) -> data_sources.ParsedTable:
    return data_sources.parse_csv(raw, filename)


@st.cache_data(max_entries=8, max_size="96MiB", show_spinner=False)
def uploaded_dataset(raw: bytes, filename: str, columns: tuple[str, ...], standardise: bool, label: str | None = None):
    """(Dataset, PreparedData) for the chosen columns (and label column) of an uploaded CSV."""
    prepared = data_sources.prepare_columns(parse_upload(raw, filename), list(columns), standardise, label)
    return dataset.prepared_dataset(prepared, filename), prepared


def fit_arguments(settings: Settings) -> dict:
    """The keyword arguments of gmm_core.fit that the settings determine."""
    manual = settings.init == "manual"
    return dict(
        n_components=settings.k,
        covariance_type=settings.covariance_type,
        init=settings.init,
        algorithm=settings.algorithm,
        max_iter=settings.max_iter,
        tol=settings.tol,
        reg_covar=settings.reg_covar,
        n_init=settings.n_init,
        seed=settings.seed,
        means_init=np.array(settings.manual_means) if manual and settings.manual_means else None,
    )


@st.cache_data(max_entries=32, show_spinner="Running EM…", show_time=True)
def fit(X: np.ndarray, _meter: WorkMeter | None = None, **arguments) -> gmm_core.FitResult:
    """gmm_core.fit; stops, uncached, when the browser session has gone or `_meter` (not hashed) is used up.
    init='given': an imported model shown as it is (explorer.imported_model), no EM."""
    if arguments["init"] == "given":
        return imported_model.given_result(X, **arguments)
    on_iteration = (session_guard.stop_if_session_gone if _meter is None
                    else session_guard.metered(_meter, len(X), arguments["n_components"], arguments["init"],
                                                X.shape[1]))
    return gmm_core.fit(X, **arguments, on_iteration=on_iteration)


@st.cache_data(max_entries=32, max_size="64MiB", show_spinner=False)
def player_payload(
    X: np.ndarray,
    fit_args: dict,
    step_mode: bool,
    truth: gmm_core.GaussianMixtureParams | None,
    presentation: bool,
    feature_names: tuple[str, ...],
    equal_axes: bool,
    data_range: tuple[tuple[float, float], ...],
    view: tuple = ("pair", 0, 1),
    truth_name: str = "true clusters",
) -> dict:
    """The EM player's payload: the cached fit, drawn on a fixed subsample of at most 3,000 points.

    view : ('pair', i, j) features i and j on the axes, or ('pca',) the plane of the first two principal
        components (d > 2); a new view reuses the cached fit
    """
    result = fit(X, **fit_args)
    bound = bound_series.bound_series(result, X) if step_mode else None  # on the fit's data, before any rotation
    shown = X[figures.display_subsample(len(X))]
    pair = view[1:] if view[0] == "pair" and X.shape[1] >= 2 else (0, 1)
    if view[0] == "pca":
        axes = principal_axes(X)
        result, shown = axes.result(result), axes.points(shown)
        truth = None if truth is None else axes.params(truth)
        feature_names, data_range = tuple(axes.names()), principal_range(X)
    return figures.player_payload(
        result,
        shown,
        step_mode=step_mode,
        truth=truth,
        presentation=presentation,
        data_range=data_range,
        feature_names=list(feature_names),
        equal_axes=equal_axes,
        pair=pair,
        bound=bound,
        truth_name=truth_name,
    )


@st.cache_data(max_entries=8, show_spinner=False)
def principal_axes(X: np.ndarray) -> projection.PrincipalAxes:
    return projection.principal_axes(X)


@st.cache_data(max_entries=8, show_spinner=False)
def principal_range(X: np.ndarray) -> tuple[tuple[float, float], ...]:
    """The data's range along each principal direction (the principal view's axes)."""
    return shown_range(principal_axes(X).points(X))


@st.cache_data(max_entries=32, show_spinner=False)
def pair_scores(X: np.ndarray, fit_args: dict) -> projection.PairScores:
    """How well the cached fit's components separate on each pair of features."""
    return projection.pair_scores(fit(X, **fit_args).params)


def shown_range(X: np.ndarray, drawing: str | None = None) -> tuple[tuple[float, float], ...]:
    """What the data axes show: the data's range, or a drawing's canvas (so axes stay put while drawing)."""
    if drawing is not None:
        return (Drawing.decode(drawing) if drawing else Drawing.empty(X.shape[1])).view_box()
    return tuple((float(lo), float(hi)) for lo, hi in zip(X.min(axis=0), X.max(axis=0)))


@st.cache_data(max_entries=8, show_spinner=False)
def placement_payload(X: np.ndarray, k: int, presentation: bool, feature_names: tuple[str, ...], equal_axes: bool,
                      data_range: tuple[tuple[float, float], ...]) -> dict:
    """The player before a fit (starting means being placed, or too few points drawn): the points on their axes."""
    shown = X[figures.display_subsample(len(X))]
    return figures.placement_payload(shown, n_components=k, n_samples=len(X), data_range=data_range,
                                     feature_names=list(feature_names), presentation=presentation,
                                     equal_axes=equal_axes)
