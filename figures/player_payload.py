"""The EM player's payload: everything the browser needs to draw and play a fit, and nothing it can compute.

The player (player/model.js) computes each frame's responsibilities, point colours, ellipses,
1-D densities and hover values from that frame's parameters, so the payload carries parameters
(a few numbers per component and iteration), never per-point colours per frame. Pure Python and
JSON-ready: `player_payload(...)` returns dicts, lists, strings, numbers and typed arrays
({'dtype', 'shape', 'bdata'}, see figures.typed_arrays), so `json.dumps` serialises it as it is.

Layout (version 1; E trace entries, k components, d features, n drawn points, F frames):
    points        (n, d) float64: the drawn points, every feature
    params        weights (E, k), means (E, k, d), covariances (E, k, d, d) and
                  precisions_cholesky (E, k, d, d): upper-triangular P with inv(cov) = P P', the
                  log density is sum(log diag P) - d/2 log(2 pi) - |(x - mean)' P|^2 / 2, computed per
                  component from x - mean (so far-off narrow clusters stay accurate)
    frames        name, step, params, colours (-1: not yet coloured), curve_time: one list entry per frame
    curves        learning-curve series, each {name, x, y}; a frame shows the points with x <= curve_time
    bound         step mode: log p, the bound L and their gap per half-step (figures/bound_series.py), or None
    reseeds       collapsed components: {entry, component, reason}
    truth         the generating mixture (weights, means, covariances) or None
    view          'scatter' (2-D: the feature pair drawn) or 'density' (1-D: histogram, grid), ranges
    display       presentation, equal_axes, sizes, colours, point opacity rule
Extension points: view['pair'] names the two features drawn (a d > 2 fit keeps full-d parameters and
points, the player draws the pair's marginal ellipses); `curves` takes more series; `interaction` is for
the editing modes (placing means, drawing points).
"""

from __future__ import annotations

import numpy as np

from .colors import INK, MIN_OPACITY, TRUTH_COLOR, UNASSIGNED_COLOR, UNASSIGNED_OPACITY, component_colors, darker
from .densities import histogram, params_densities
from .plotly_text import plotly_literal
from .schedule import frame_schedule
from .style import figure_style
from .typed_arrays import typed_array

PAYLOAD_VERSION = 1
DENSITY_GRID_POINTS = 241
DATA_PAD = 0.05  # each data axis extends this fraction of the data's span beyond it
# A collapsing 1-D component can spike to thousands of times the data's density; beyond this multiple
# of the histogram / final / true density the y range stops growing and the spike leaves the plot.
Y_RANGE_CAP = 4.0
RUG_DEPTH = 0.06  # the 1-D rug sits this fraction of the y range below zero


def player_payload(result, X_shown, *, step_mode: bool = False, truth=None, data_range=None,
                   feature_names=None, presentation: bool = False, equal_axes: bool = True,
                   interaction: dict | None = None, pair=(0, 1), bound: dict | None = None,
                   truth_name: str = "true clusters") -> dict:
    """The payload of the EM player for a fit result drawn on the shown points.

    result : gmm_core.FitResult
    X_shown : array-like of shape (n_points,) or (n_points, d): the points to draw
        (e.g. X[figures.display_subsample(len(X))]); responsibilities are computed for these, in all d
    pair : for d >= 2, the two features (i, j) on the x and y axes; ellipses are the components' marginals
        on them (for principal components, pass the rotated fit: figures.projection.PrincipalAxes)
    step_mode : False -> one frame per trace entry; True -> initial, then an E-step and an M-step
        frame per iteration
    truth : optional GaussianMixtureParams drawn dashed grey
    truth_name : what the legend calls the truth ('classes' for the classes of labelled data)
    data_range : optional ((min, max),) per feature, d of them, of all the data; fixes the axes
    feature_names : optional names of the features (user text: escaped here for Plotly)
    equal_axes : draw one unit as many pixels on x as on y (2-D)
    interaction : optional editing state for the player (see ui/em_player.py)
    bound : optional figures.bound_series.bound_series(result, X_fit): step mode draws log p and the bound L
        at every half-step, the gap shaded (ignored in normal mode, which has no half-steps)
    """
    X = _checked_points(X_shown, result.params.n_features)
    if truth is not None and truth.n_features != X.shape[1]:
        raise ValueError(f"The true mixture has {truth.n_features} features but the data has {X.shape[1]}.")
    trace = result.trace
    frames = frame_schedule(len(trace), step_mode)
    k = result.params.n_components
    # What the run maximises: the log-likelihood, or hard EM's classification log-likelihood.
    objective = [float(getattr(entry, "objective", entry.log_likelihood)) for entry in trace]
    payload = _common(X, k, int(result.n_samples), feature_names, presentation, equal_axes, interaction)
    payload.update({
        "algorithm": result.algorithm,
        "covariance_type": result.params.covariance_type,
        "params": trace_parameters(trace, single_precision_matrices=X.shape[1] > 2),
        "frames": {
            "name": [f.name for f in frames],
            "step": [f.step for f in frames],
            "params": [f.params_index for f in frames],
            "colours": [-1 if f.colour_index is None else f.colour_index for f in frames],
            "curve_time": [f.curve_time for f in frames],
        },
        "curves": [{
            "name": plotly_literal(curve_label(result)),
            "x": [int(entry.iteration) for entry in trace],
            "y": objective,
        }],
        "reseeds": [
            {"entry": i, "component": int(event.component), "reason": plotly_literal(event.reason)}
            for i, entry in enumerate(trace) for event in entry.reseeds
        ],
        "truth": None if truth is None else {
            "weights": typed_array(truth.weights),
            "means": typed_array(truth.means),
            "covariances": typed_array(truth.full_covariances),
            "name": plotly_literal(truth_name),
        },
        "view": _view(X, _data_range(X, data_range), trace=trace, frames=frames, truth=truth, pair=pair),
        "bound": bound if step_mode else None,
    })
    return payload


def placement_payload(X_shown, *, n_components: int, n_samples: int | None = None, data_range=None,
                      feature_names=None, presentation: bool = False, equal_axes: bool = True,
                      interaction: dict | None = None) -> dict:
    """The player before there is a fit: the points (possibly none yet, on a drawing's empty canvas),
    and the starting means placed so far (in `interaction`), while the user clicks the rest. No
    parameters, one frame, no learning curve. An empty X_shown needs its shape, (0, d), and data_range."""
    X = _checked_points(X_shown, None, allow_empty=True)
    payload = _common(X, n_components, len(X) if n_samples is None else int(n_samples), feature_names,
                      presentation, equal_axes, interaction)
    payload.update({
        "algorithm": "soft", "covariance_type": None, "params": None,
        "frames": {"name": ["placing the starting means"], "step": ["placing"], "params": [-1], "colours": [-1],
                   "curve_time": [0.0]},
        "curves": [], "reseeds": [], "truth": None, "bound": None,
        "view": _view(X, _data_range(X, data_range)),
    })
    return payload


def _common(X, k: int, n_samples: int, feature_names, presentation: bool, equal_axes: bool, interaction) -> dict:
    """What every payload carries: the points, their names, the display options, the editing state."""
    d = X.shape[1]
    names = list(feature_names) if feature_names else (["x"] if d == 1 else [f"x{_subscript(j + 1)}" for j in range(d)])
    style = figure_style(presentation)
    return {
        "version": PAYLOAD_VERSION,
        "n_features": d,
        "n_components": k,
        "n_samples": n_samples,
        "features": [plotly_literal(name) for name in names],
        "points": typed_array(X),
        "display": {
            "presentation": bool(presentation),
            "equal_axes": bool(equal_axes) and d >= 2,
            "style": style.to_dict(),
            "colors": component_colors(k),
            "lines": [darker(c) for c in component_colors(k)],
            "ink": INK, "truth_color": TRUTH_COLOR, "unassigned_color": UNASSIGNED_COLOR,
            "unassigned_opacity": UNASSIGNED_OPACITY, "min_opacity": MIN_OPACITY,
        },
        "interaction": interaction or {"mode": "view"},
    }


def _data_range(X, data_range):
    if data_range is None:
        return tuple((float(X[:, j].min()), float(X[:, j].max())) for j in range(X.shape[1]))
    return data_range


def trace_parameters(trace, single_precision_matrices: bool = False) -> dict:
    """Every trace entry's parameters as full (k, d, d) matrices, stacked over entries.

    single_precision_matrices: send the (k, d, d) matrices as float32 (d > 2, where they grow as d^2 and
    would take the payload past its budget). Means and points stay float64, and the quadratic form is
    computed from x - mean, so float32's 7 digits of a covariance or its Cholesky factor move a
    responsibility by ~1e-7 relative, wherever the data sits.
    """
    matrix_type = np.float32 if single_precision_matrices else np.float64
    return {
        "weights": typed_array(np.stack([e.params.weights for e in trace])),
        "means": typed_array(np.stack([e.params.means for e in trace])),
        "covariances": typed_array(np.stack([e.params.full_covariances for e in trace]).astype(matrix_type)),
        "precisions_cholesky": typed_array(
            np.stack([full_precisions_cholesky(e.params) for e in trace]).astype(matrix_type)),
    }


def full_precisions_cholesky(params) -> np.ndarray:
    """The engine's precision Cholesky factors as a (k, d, d) stack of upper-triangular matrices,
    whatever the covariance type (diag and spherical factors become diagonal matrices)."""
    k, d = params.n_components, params.n_features
    factor = params.precisions_cholesky
    kind = params.covariance_type
    if kind == "full":
        return np.array(factor)
    if kind == "tied":
        return np.repeat(factor[None], k, axis=0)
    if kind == "diag":
        return np.einsum("kd,de->kde", factor, np.eye(d))
    return factor[:, None, None] * np.eye(d)[None]


def curve_label(result) -> str:
    """What the learning curve measures, as the fit result names it (hard EM may name its own)."""
    return getattr(result, "curve_label", None) or "log-likelihood"


def _checked_points(X_shown, n_features: int | None, allow_empty: bool = False) -> np.ndarray:
    X = np.asarray(X_shown, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] < 1:
        raise ValueError(f"The player draws points of shape (n, d); these have shape {X.shape}.")
    if (len(X) == 0 and not allow_empty) or not np.all(np.isfinite(X)):
        raise ValueError("The player needs at least one point and only finite coordinates.")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"The fit has {n_features} feature(s) but the points to draw have {X.shape[1]}.")
    return X


def padded_range(low: float, high: float, fraction: float = DATA_PAD) -> list[float]:
    """[low, high] widened by `fraction` of its span on each side (by 1 if the span is zero)."""
    low, high = float(low), float(high)
    span = high - low
    pad = fraction * span if span > 0 else 1.0
    return [low - pad, high + pad]


def _subscript(number: int) -> str:
    return "".join("₀₁₂₃₄₅₆₇₈₉"[int(c)] for c in str(number))


def _view(X, data_range, trace=None, frames=None, truth=None, pair=(0, 1)) -> dict:
    if X.shape[1] >= 2:
        i, j = (int(v) for v in pair)
        if not (0 <= i < X.shape[1] and 0 <= j < X.shape[1]) or i == j:
            raise ValueError(f"The viewed pair must be two different features among {X.shape[1]}, not {pair}.")
        return {"kind": "scatter", "pair": [i, j],
                "x_range": padded_range(*data_range[i]), "y_range": padded_range(*data_range[j])}
    return _density_view(X[:, 0], data_range[0], trace, frames, truth)


def _density_view(values, x_data_range, trace=None, frames=None, truth=None) -> dict:
    """The 1-D view: the histogram of the shown points and a y range that holds every frame's mixture."""
    x_range = padded_range(*x_data_range)
    grid = np.linspace(x_range[0], x_range[1], DENSITY_GRID_POINTS)
    if len(values):
        centres, widths, heights = histogram(values)
    else:  # an empty canvas: no bars, and the height of a density spread over the axis
        centres, widths, heights = np.array([np.mean(x_range)]), np.array([np.ptp(x_range)]), np.array([0.0])
    reference = max(float(heights.max()), 1.0 / np.ptp(x_range))
    top = reference
    if trace is not None:
        used = sorted({f.params_index for f in frames})
        mixture_peak = max(float(params_densities(grid, trace[i].params).sum(axis=0).max()) for i in used)
        final_peak = float(params_densities(grid, trace[-1].params).sum(axis=0).max())
        truth_peak = 0.0 if truth is None else float(params_densities(grid, truth).sum(axis=0).max())
        reference = max(reference, final_peak, truth_peak)
        top = max(min(mixture_peak, Y_RANGE_CAP * reference), reference)
    top *= 1.05
    edges = np.append(centres - widths / 2.0, centres[-1] + widths[-1] / 2.0)
    return {
        "kind": "density", "pair": [0],
        "x_range": x_range, "y_range": [float(-2.0 * RUG_DEPTH * top), float(top)], "rug_y": float(-RUG_DEPTH * top),
        "grid_points": DENSITY_GRID_POINTS,
        "histogram": {"edges": edges.tolist(), "heights": heights.tolist()},
    }
