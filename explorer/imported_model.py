"""A mixture imported from a parameters JSON (the app's own export, or a fit made on a cluster with
gmm_core on Dask), used as EM's starting point or shown as the fitted model on the data.

Pure: `read_parameters` turns the file's bytes into an ImportedModel or a ValueError whose sentence
says what to change; `fit_arguments` turns it into the arguments the page's cached fit takes;
`given_result` is the FitResult of parameters shown as they are (iteration 0, no EM).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

import gmm_core

from .settings import MAX_K

MODES = {
    "start": "start EM from it",
    "view": "show it as the fitted model (no EM)",
}
MAX_BYTES = 1_000_000  # k = 10 components in 10 features take about 20 kB
REQUIRED = ("covariance_type", "weights", "means", "covariances")
EXPORT_HINT = "choose the parameters JSON the app exports (Downloads, 'Parameters (JSON)'), or one written the same way"


@dataclass(frozen=True, eq=False)
class ImportedModel:
    """params : the mixture; features : the column names the file gives ('' where it gives none); name : the file's"""

    params: gmm_core.GaussianMixtureParams
    features: tuple[str, ...]
    name: str


def read_parameters(raw: bytes, name: str) -> ImportedModel:
    """The mixture in a parameters JSON; a ValueError saying what is wrong with the file otherwise."""
    if len(raw) > MAX_BYTES:
        raise ValueError(f"{name} is {len(raw) / 1e6:.1f} MB, too large for a parameters file (at most "
                         f"{MAX_BYTES / 1e6:.0f} MB); {EXPORT_HINT}.")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError(f"{name} is not a text file; {EXPORT_HINT}.") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
                         f"{EXPORT_HINT}.") from None
    if not isinstance(document, dict):
        raise ValueError(f"{name} holds a JSON {type(document).__name__}, not an object with the mixture's "
                         f"{', '.join(REQUIRED)}; {EXPORT_HINT}.")
    missing = [key for key in REQUIRED if key not in document]
    if missing:
        raise ValueError(f"{name} has no {' or '.join(repr(key) for key in missing)}, which a mixture needs; {EXPORT_HINT}.")
    kind = document["covariance_type"]
    if kind not in gmm_core.COVARIANCE_TYPES:
        raise ValueError(f"{name}: covariance_type {str(kind)[:40]!r} is not one of "
                         f"{', '.join(gmm_core.COVARIANCE_TYPES)}.")
    try:
        params = gmm_core.GaussianMixtureParams(document["weights"], document["means"], document["covariances"], kind)
    except ValueError as error:
        raise ValueError(f"{name} does not hold a valid mixture: {error}") from None
    if params.n_components > MAX_K:
        raise ValueError(f"{name} has {params.n_components} components; the Explorer shows at most {MAX_K}.")
    features = document.get("features")
    names = tuple(str(f) for f in features) if isinstance(features, list) else ()
    return ImportedModel(params, names if len(names) == params.n_features else ("",) * params.n_features, name)


def check_against(model: ImportedModel, feature_names: tuple[str, ...]) -> str | None:
    """A ValueError if the model cannot be used on data with these columns; a note (or None) if it can."""
    n_features = len(feature_names)
    if model.params.n_features != n_features:
        raise ValueError(
            f"{model.name} describes {model.params.n_features} feature{'s' if model.params.n_features != 1 else ''} "
            f"but the data has {n_features}; choose data with the columns the model was fitted on"
            + (f" ({', '.join(model.features)})." if any(model.features) else ".")
        )
    if any(model.features) and tuple(model.features) != tuple(feature_names):
        return (f"The model's columns ({', '.join(model.features)}) are matched to the data's "
                f"({', '.join(feature_names)}) in order.")
    return None


def fit_arguments(model: ImportedModel, mode: str, fit_args: dict) -> dict:
    """The page's fit arguments with the model as the start ('start': EM from it) or as the result ('view')."""
    params = model.params
    return fit_args | dict(
        n_components=params.n_components,
        covariance_type=params.covariance_type,
        init="manual" if mode == "start" else "given",
        means_init=params.means,
        weights_init=params.weights,
        covariances_init=params.covariances,
    )


def given_result(X: np.ndarray, *, means_init, weights_init, covariances_init, covariance_type: str, **_ignored) -> gmm_core.FitResult:
    """The parameters shown as they are on X: a FitResult of iteration 0 only, stop_reason 'given'."""
    params = gmm_core.GaussianMixtureParams(weights_init, means_init, covariances_init, covariance_type)
    log_prob = params.weighted_log_prob(X)
    log_likelihood = float(params.score_samples(X).sum())
    entry = gmm_core.TraceEntry(0, params, log_likelihood, (), float(log_prob.max(axis=1).sum()))
    return gmm_core.FitResult(params=params, converged=False, n_iter=0, log_likelihood=log_likelihood, trace=(entry,),
                              restarts=(np.array([log_likelihood]),), best_restart=0, reseed_events=(),
                              n_samples=len(X), algorithm="soft", stop_reason="given")
