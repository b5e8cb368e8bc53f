"""Downloads: fitted parameters (JSON, CSV), per-point responsibilities (CSV), the animation (HTML)."""

from __future__ import annotations

import html
import json

import numpy as np

import gmm_core

from .settings import Settings, to_query
from .tables import parameter_table, responsibilities_table


def parameters_json(result: gmm_core.FitResult, settings: Settings, feature_names) -> str:
    """The fitted mixture with the settings that produced it and its scores."""
    document = {
        "features": list(feature_names),
        "settings": to_query(settings),
        "converged": result.converged,
        "n_iter": result.n_iter,
        "log_likelihood": result.log_likelihood,
        "bic": result.bic,
        "aic": result.aic,
        "n_parameters": result.params.n_parameters,
        **result.params.to_dict(),
    }
    return json.dumps(document, indent=2)


def parameters_csv(result: gmm_core.FitResult, feature_names) -> str:
    return parameter_table(result.params, feature_names).to_csv(index=False)


def responsibilities_csv(result: gmm_core.FitResult, X: np.ndarray, feature_names) -> str:
    return responsibilities_table(result.params, X, feature_names).to_csv(index=False, float_format="%.6g")


def animation_html(figure, title: str) -> str:
    """A standalone page with plotly.js inlined, so the animation plays offline in a talk."""
    return figure.to_html(include_plotlyjs=True, full_html=True, auto_play=False,
                          default_width="100%", default_height="640px").replace(
        "<head>", f"<head><title>{html.escape(title)}</title>", 1)
