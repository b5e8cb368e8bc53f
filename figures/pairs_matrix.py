"""pairs_matrix_figure: every pair of features with each component's ellipses, as R's mclust draws a fit
(`plot(fit, what = "classification")`), for one set of parameters (the final fit or any trace entry).

Off the diagonal, panel (row r, column c) shows feature c across and feature r up: the points in the colour
of their most responsible component (responsibilities from all d features), each component's 1-sigma and
2-sigma ellipses of its marginal on that pair (exact for a Gaussian) and its mean. On the diagonal, each
component's weighted marginal density of that feature.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .colors import INK, component_colors, darker
from .ellipses import ellipse_stack
from .frame_state import component_densities
from .plotly_text import plotly_literal
from .projection import marginal

READABLE_FEATURES = 6  # more panels than 6 x 6 are too small to read on a laptop screen
MATRIX_POINTS = 1000  # points drawn per panel (a fixed subsample of those passed in)
ELLIPSE_SIGMAS = (1, 2)
DENSITY_POINTS = 121


def pairs_matrix_figure(params, X_shown: np.ndarray, feature_names, features=None, *, title: str = "",
                        presentation: bool = False) -> go.Figure:
    """The scatterplot matrix of `params` on the points.

    params : gmm_core.GaussianMixtureParams in d >= 2 features
    X_shown : (n, d) the points to draw (at most MATRIX_POINTS of them are drawn)
    feature_names : d names (user text: escaped here)
    features : indices of the features to show, in order (default: the first READABLE_FEATURES)
    """
    X = np.asarray(X_shown, dtype=np.float64)
    d = X.shape[1]
    features = list(range(min(d, READABLE_FEATURES))) if features is None else [int(f) for f in features]
    if len(features) < 2 or len(set(features)) != len(features) or not all(0 <= f < d for f in features):
        raise ValueError(f"The scatterplot matrix needs at least two different features among {d}, not {features}.")
    if len(X) > MATRIX_POINTS:
        X = X[np.random.default_rng(0).choice(len(X), MATRIX_POINTS, replace=False)]
    m, k = len(features), params.n_components
    colors = component_colors(k)
    lines = [darker(color) for color in colors]
    winner = params.predict_proba(X).argmax(axis=1)
    scale = _discrete_colorscale(colors)
    covariances = params.full_covariances
    names = [plotly_literal(str(feature_names[f])) for f in features]
    font = 20 if presentation else 12
    fig = make_subplots(rows=m, cols=m, horizontal_spacing=0.02, vertical_spacing=0.02)
    point_size = 5 if m <= 4 else 3
    traces, axes = [], {}
    for r, fr in enumerate(features):
        for c, fc in enumerate(features):
            n = r * m + c + 1  # make_subplots numbers the panels row by row: x1/y1 top left
            on = {"xaxis": f"x{n}", "yaxis": f"y{n}"}
            axes[f"xaxis{n}"] = {"range": _padded(X[:, fc]), "matches": f"x{(m - 1) * m + c + 1}" if r < m - 1 else None,
                                 "showticklabels": r == m - 1}
            if r == c:
                traces += _diagonal(params, axes[f"xaxis{n}"]["range"], fr, colors, on)
                axes[f"yaxis{n}"] = {"showticklabels": False}
                continue
            axes[f"yaxis{n}"] = {"range": _padded(X[:, fr]), "showticklabels": c == 0 or (r == 0 and c == 1)}
            traces.append({"type": "scattergl", "x": X[:, fc], "y": X[:, fr], "mode": "markers", "showlegend": False,
                           "hoverinfo": "skip", **on,
                           "marker": {"size": point_size, "color": winner, "colorscale": scale, "cmin": -0.5,
                                      "cmax": k - 0.5, "opacity": 0.55}})
            means, blocks = marginal(params.means, covariances, (fc, fr))
            for comp in range(k):
                curves = [ellipse_stack(means[comp], blocks[comp], s, 41) for s in ELLIPSE_SIGMAS]
                traces.append({"type": "scatter", "mode": "lines", "showlegend": False, "hoverinfo": "skip", **on,
                               "x": np.concatenate([np.append(curve[0], np.nan) for curve in curves]),
                               "y": np.concatenate([np.append(curve[1], np.nan) for curve in curves]),
                               "line": {"color": lines[comp], "width": 1.2}})
            traces.append({"type": "scatter", "x": means[:, 0], "y": means[:, 1], "mode": "markers", "showlegend": False,
                           **on, "marker": {"symbol": "x", "size": 8, "color": lines},
                           "hovertemplate": f"{names[c]}: %{{x:.4g}}<br>{names[r]}: %{{y:.4g}}<extra>mean</extra>"})
    for comp in range(k):  # a legend of components, one entry each
        traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": f"component {comp + 1}",
                       "marker": {"size": 9, "color": colors[comp]}})
    title_font = {"size": font, "color": INK}
    for index, name in enumerate(names):
        axes[f"xaxis{(m - 1) * m + index + 1}"]["title"] = {"text": name, "font": title_font}
        axes[f"yaxis{index * m + 1}"]["title"] = {"text": name, "font": title_font}
    for key, axis in axes.items():
        axis.update({"tickfont": {"size": font - 2}, "zeroline": False})
        if axis.get("matches", "") is None:
            del axis["matches"]
    fig.add_traces(traces)
    size = 160 * m + 80 if m > 2 else 480
    fig.update_layout(
        template="plotly_white", height=size, margin={"l": 60, "r": 10, "t": 40 if title else 24, "b": 50},
        font={"size": font, "color": INK}, showlegend=True, title={"text": plotly_literal(title), "x": 0.0},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
        meta={"features": features}, **axes,
    )
    return fig


def _diagonal(params, x_range, feature: int, colors, on: dict) -> list[dict]:
    """Each component's weighted marginal density of one feature, and the mixture's (dotted)."""
    grid = np.linspace(x_range[0], x_range[1], DENSITY_POINTS)
    variances = params.full_covariances[:, feature, feature]
    densities = component_densities(grid, params.weights, params.means[:, feature], variances)
    traces = [{"type": "scatter", "x": grid, "y": density, "mode": "lines", "showlegend": False, "hoverinfo": "skip",
               "line": {"color": colors[comp], "width": 1.5}, **on} for comp, density in enumerate(densities)]
    traces.append({"type": "scatter", "x": grid, "y": densities.sum(axis=0), "mode": "lines", "showlegend": False,
                   "hoverinfo": "skip", "line": {"color": INK, "width": 1, "dash": "dot"}, **on})
    return traces


def _discrete_colorscale(colors) -> list:
    """A colorscale mapping component index c (with cmin -0.5, cmax k - 0.5) to colors[c], in steps."""
    k = len(colors)
    return [[edge, color] for c, color in enumerate(colors) for edge in (c / k, (c + 1) / k)]


def _padded(values: np.ndarray) -> list[float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = 0.05 * (high - low) if high > low else 1.0
    return [low - pad, high + pad]
