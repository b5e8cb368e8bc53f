"""Tables of a fit, as pandas DataFrames ready to show or export."""

from __future__ import annotations

import numpy as np
import pandas as pd

import gmm_core

from .truth import confusion_counts


def parameter_table(params: gmm_core.GaussianMixtureParams, feature_names) -> pd.DataFrame:
    """One row per component: weight, means, standard deviations and (2-D) the correlation."""
    covariances = params.full_covariances
    rows = []
    for k in range(params.n_components):
        sd = np.sqrt(np.diag(covariances[k]))
        row = {"component": k + 1, "weight": params.weights[k]}
        row.update({f"mean {name}": params.means[k, j] for j, name in enumerate(feature_names)})
        row.update({f"sd {name}": sd[j] for j, name in enumerate(feature_names)})
        if params.n_features == 2:
            row["correlation"] = covariances[k, 0, 1] / (sd[0] * sd[1])
        rows.append(row)
    return pd.DataFrame(rows)


def shown_parameter_table(params: gmm_core.GaussianMixtureParams, feature_names) -> pd.DataFrame:
    """parameter_table as the page shows it, as text: each component's means to a hundredth of its smallest
    standard deviation (so timestamps show whole seconds and GPS coordinates their seventh decimal, never
    1.76e+09), standard deviations to 3 significant digits, weights and correlations to 3 decimals."""
    table = parameter_table(params, feature_names)
    shown = pd.DataFrame({"component": table["component"].astype(str), "weight": table["weight"].map("{:.3f}".format)})
    sds = table[[f"sd {name}" for name in feature_names]].to_numpy()
    decimals = [_decimals_for(row) for row in sds]
    for name in feature_names:
        shown[f"mean {name}"] = [f"{value:.{places}f}" for value, places in zip(table[f"mean {name}"], decimals)]
    for name in feature_names:
        shown[f"sd {name}"] = table[f"sd {name}"].map("{:.3g}".format)
    if "correlation" in table:
        shown["correlation"] = table["correlation"].map("{:.3f}".format)
    return shown


def _decimals_for(sds: np.ndarray) -> int:
    """Decimals that resolve a hundredth of the smallest standard deviation (0 to 12)."""
    smallest = float(np.min(sds))
    if not np.isfinite(smallest) or smallest <= 0:
        return 6
    return int(np.clip(2 - np.floor(np.log10(smallest)), 0, 12))


def confusion_table(true_codes: np.ndarray, fitted: np.ndarray, class_names, n_components: int) -> pd.DataFrame:
    """True class (rows, named) against fitted component (columns 'component 1' ...), counts of points."""
    counts = confusion_counts(true_codes, fitted, len(class_names), n_components)
    table = pd.DataFrame(counts, columns=[f"component {k + 1}" for k in range(n_components)])
    table.insert(0, "true class", [str(name) for name in class_names])
    return table


def reseed_table(result: gmm_core.FitResult) -> pd.DataFrame:
    """The re-seed events of the best run: where and why a collapsed component was moved."""
    return pd.DataFrame(
        [
            {
                "iteration": event.iteration,
                "component": "shared covariance" if event.component < 0 else event.component + 1,
                "what happened": f"re-seeded because {event.reason}",
            }
            for event in result.reseed_events
        ]
    )


def responsibilities_table(params: gmm_core.GaussianMixtureParams, X: np.ndarray, feature_names) -> pd.DataFrame:
    """Every point with its responsibilities and its most responsible component (1-based)."""
    resp = params.predict_proba(X)
    frame = pd.DataFrame(X, columns=list(feature_names))
    for k in range(params.n_components):
        frame[f"responsibility {k + 1}"] = resp[:, k]
    frame["label"] = resp.argmax(axis=1) + 1
    return frame
