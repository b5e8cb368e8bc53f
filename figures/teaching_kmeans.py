"""From EM to k-means: the fixed-variance fit at one σ², and soft EM, hard EM and k-means side by side.

Pure plotly. 1-D data: histogram, the components' densities at σ², the points as a rug coloured by
their responsibilities, and below it the responsibility of component 1 along x, which steepens into a
step as σ² → 0. 2-D data: the points coloured by responsibility and a circle of radius σ (and 2σ)
around each mean.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .colors import INK, component_colors
from .ellipses import ellipse_xy
from .teaching import _densities, _grid, _histogram, _padded_range, _point_colors, _points, _rug, blended_colors

HEIGHT = 460
OBJECTIVES = {
    "soft": ("soft EM", "log-likelihood"),
    "hard": ("hard EM", "classification log-likelihood"),
    "kmeans": ("k-means (Lloyd)", "sum of squared distances J"),
}


def fixed_variance_figure(X, fit, feature_names=("x",)) -> go.Figure:
    """One fixed-variance fit: where the means stopped, and how sharply the responsibilities now divide the points.

    fit : explorer.teaching_kmeans.FixedVarianceFit (means (k, d), resp (n, k), variance, params)
    """
    X = np.asarray(X, dtype=np.float64)
    sigma = float(np.sqrt(fit.variance))
    colors = blended_colors(fit.resp)
    if X.shape[1] == 1:
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.06)
        top = _histogram(fig, X[:, 0], row=1, col=1)
        grid = _grid(X[:, 0])
        _densities(fig, grid, fit.params, f"σ = {sigma:.3g}", dash="solid", row=1, col=1)
        _rug(fig, X[:, 0], colors, None, level=-0.06 * top, row=1, col=1)
        _intervals(fig, fit.means[:, 0], sigma, level=1.12 * top)
        fig.update_yaxes(title_text="density", range=[-0.14 * top, 1.3 * top], row=1, col=1)  # spikes are cut off
        gamma = fit.params.predict_proba(grid[:, None])[:, 0]
        fig.add_trace(go.Scatter(
            x=grid, y=gamma, mode="lines", name="γ₁(x): responsibility of component 1",
            line={"color": component_colors(2)[0], "width": 3},
            hovertemplate="x = %{x:.3f}<br>γ₁ = %{y:.3f}<extra></extra>",
        ), row=2, col=1)
        fig.update_yaxes(title_text="γ₁(x)", range=[-0.05, 1.05], row=2, col=1)
        fig.update_xaxes(range=_padded_range(X[:, 0]), row=1, col=1)
        fig.update_xaxes(title_text=feature_names[0], range=_padded_range(X[:, 0]), row=2, col=1)
    else:
        fig = go.Figure()
        _points(fig, X, colors, None)
        _circles(fig, fit.means, sigma)
        fig.update_xaxes(title_text=feature_names[0], range=_padded_range(X[:, 0]))
        fig.update_yaxes(title_text=feature_names[1], range=_padded_range(X[:, 1]), scaleanchor="x", scaleratio=1)
    fig.update_layout(
        template="plotly_white", height=HEIGHT, font={"size": 13}, margin={"t": 20, "b": 40, "l": 60, "r": 10},
        legend={"orientation": "h", "y": -0.15, "yanchor": "top", "x": 0.0}, bargap=0, hovermode="closest",
    )
    return fig


def _intervals(fig, means, sigma: float, level: float) -> None:
    """In 1-D a 'circle of radius σ' is the interval μ ± σ: one bar per component above the densities."""
    for k, (mean, color) in enumerate(zip(means, component_colors(len(means)))):
        fig.add_trace(go.Scatter(
            x=[mean - sigma, mean, mean + sigma], y=[level] * 3, mode="lines+markers", showlegend=False,
            line={"color": color, "width": 4}, marker={"symbol": ["line-ns", "x", "line-ns"], "size": 12, "color": color,
                                                       "line": {"width": 2, "color": color}},
            name=f"μ{k + 1} ± σ", hovertemplate=f"component {k + 1}: μ = {mean:.3f}, σ = {sigma:.3g}<extra></extra>",
        ), row=1, col=1)


def _circles(fig, means, sigma: float) -> None:
    for k, (mean, color) in enumerate(zip(means, component_colors(len(means)))):
        for n_sigma, width in ((1, 2.5), (2, 1.2)):
            x, y = ellipse_xy(mean, sigma**2 * np.eye(2), n_sigma)
            fig.add_trace(go.Scatter(
                x=x, y=y, mode="lines", line={"color": color, "width": width}, hoverinfo="skip",
                name=f"component {k + 1}: circles of radius σ and 2σ", showlegend=n_sigma == 1,
            ))
        fig.add_trace(go.Scatter(
            x=[mean[0]], y=[mean[1]], mode="markers", showlegend=False, name=f"mean {k + 1}",
            marker={"symbol": "x", "size": 12, "color": color, "line": {"width": 1, "color": INK}},
            hovertemplate=f"mean {k + 1}: (%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        ))


def method_figure(X, ways, method: str, feature_names=("x",)) -> go.Figure:
    """One of soft EM, hard EM and k-means ('soft', 'hard', 'kmeans'): where it ended (top) and its objective per
    iteration (bottom). One figure per method, so that a page can set them in columns that stack on a phone.

    ways : explorer.teaching_kmeans.ThreeWays
    """
    X = np.asarray(X, dtype=np.float64)
    name, objective = OBJECTIVES[method]
    if method == "soft":
        params, resp, centers, curve = ways.soft.params, ways.soft.params.predict_proba(X), None, ways.soft_curve
    elif method == "hard":
        params, centers, curve = ways.hard.params, None, ways.hard_curve
        resp = np.eye(params.n_components)[params.predict(X)]
    else:
        params, centers, curve = None, ways.kmeans.centers, ways.kmeans.distortion
        resp = np.eye(len(centers))[ways.kmeans.labels]
    fig = make_subplots(rows=2, cols=1, row_heights=[0.58, 0.42], vertical_spacing=0.16,
                        subplot_titles=(f"{name}: {len(curve) - 1} iterations", ""))
    place = dict(row=1, col=1)
    colors = _point_colors(X, resp)
    if X.shape[1] == 1:
        top = _histogram(fig, X[:, 0], showlegend=False, **place)
        if params is not None:
            top = max(top, _densities(fig, _grid(X[:, 0]), params, "fit", dash="solid", showlegend=False, **place))
        _rug(fig, X[:, 0], colors, None, level=-0.06 * top, **place)
        if centers is not None:
            for k, color in enumerate(component_colors(len(centers))):
                fig.add_vline(x=float(centers[k, 0]), line={"color": color, "width": 3}, **place)
        fig.update_xaxes(range=_padded_range(X[:, 0]), title_text=feature_names[0], **place)
        fig.update_yaxes(range=[-0.12 * top, 1.08 * top], **place)
    else:
        _points(fig, X, colors, None, **place)
        if params is not None:
            _fit_ellipses(fig, params, **place)
        else:
            for k, color in enumerate(component_colors(len(centers))):
                fig.add_trace(go.Scatter(
                    x=centers[k, :1], y=centers[k, 1:], mode="markers", showlegend=False, name=f"centre {k + 1}",
                    marker={"symbol": "x", "size": 12, "color": color, "line": {"width": 1, "color": INK}},
                    hovertemplate=f"centre {k + 1}: (%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
                ), **place)
        fig.update_xaxes(range=_padded_range(X[:, 0]), **place)
        fig.update_yaxes(range=_padded_range(X[:, 1]), **place)
    fig.add_trace(go.Scatter(
        x=np.arange(len(curve)), y=curve, mode="lines+markers", showlegend=False, name=objective,
        line={"color": INK, "width": 2}, marker={"size": 5},
        hovertemplate=f"iteration %{{x}}<br>{objective}: %{{y:,.3f}}<extra></extra>",
    ), row=2, col=1)
    fig.update_xaxes(title_text="iteration", row=2, col=1)
    fig.update_yaxes(title_text=objective, title_font={"size": 12}, row=2, col=1)
    fig.update_layout(
        template="plotly_white", height=620, font={"size": 13}, margin={"t": 40, "b": 40, "l": 60, "r": 10},
        showlegend=False, bargap=0, hovermode="closest",
    )
    fig.update_annotations(font_size=14)
    return fig


def _fit_ellipses(fig, params, **place) -> None:
    for k, color in enumerate(component_colors(params.n_components)):
        x, y = ellipse_xy(params.means[k], params.full_covariances[k], 1)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"color": color, "width": 2}, hoverinfo="skip",
                                 showlegend=False, name=f"component {k + 1}"), **place)
