"""Small static figures for the 'How EM works' page: one EM step before and after, and side-by-side fits.

Pure plotly: parameters (gmm_core.GaussianMixtureParams) and responsibilities in, go.Figure out.
1-D data is drawn as a histogram with the weighted component densities and their sum; 2-D data as
points with each component's 1σ and 2σ ellipses. Points take a blend of the component colours,
weighted by their responsibilities (grey before any E-step).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .colors import INK, UNASSIGNED_COLOR, component_colors, hex_to_rgb
from .densities import histogram, params_densities
from .ellipses import ellipse_xy

HEIGHT = 380
N_GRID = 400
HIST_COLOR = "rgba(160,160,160,0.35)"
BEFORE_OPACITY = 0.55
HIGHLIGHT_COLOR = "#d4a017"  # gold: the best of several runs
HIGHLIGHT_FILL = "rgba(212,160,23,0.08)"
RUG_DEPTH = 0.06  # the rug sits this fraction of the plot's height below zero


def blended_colors(resp) -> list[str]:
    """One 'rgb(...)' per point: the component colours mixed in proportion to its responsibilities.

    resp : ndarray of shape (n_points, n_components), rows summing to 1
    """
    resp = np.asarray(resp, dtype=np.float64)
    palette = np.array([hex_to_rgb(c) for c in component_colors(resp.shape[1])], dtype=np.float64)
    mixed = np.rint(resp @ palette).astype(int)
    return [f"rgb({r},{g},{b})" for r, g, b in mixed]


def step_figure(X, params, before=None, resp=None, chosen=None, feature_names=("x",), title: str = "") -> go.Figure:
    """The worked example's picture: the current parameters, and (dashed) those before the last M-step.

    X : ndarray of shape (n_samples, 1) or (n_samples, 2)
    params, before : GaussianMixtureParams; `before` None draws only the current parameters
    resp : ndarray of shape (n_samples, n_components) colouring the points; None = grey
    chosen : indices of the points listed in the responsibility table, labelled with their numbers
    """
    X = np.asarray(X, dtype=np.float64)
    fig = go.Figure()
    colors = _point_colors(X, resp)
    current_label = "after the M-step" if before is not None else "current parameters"
    if X.shape[1] == 1:
        top = _histogram(fig, X[:, 0])
        grid = _grid(X[:, 0])
        if before is not None:
            top = max(top, _densities(fig, grid, before, "before the M-step", dash="dash", opacity=BEFORE_OPACITY))
        top = max(top, _densities(fig, grid, params, current_label, dash="solid"))
        _rug(fig, X[:, 0], colors, chosen, level=-RUG_DEPTH * top)
        fig.update_xaxes(title_text=feature_names[0], range=_padded_range(X[:, 0]))
        fig.update_yaxes(title_text="density", range=_density_range(top, labelled=chosen is not None))
    else:
        _points(fig, X, colors, chosen)
        if before is not None:
            _ellipses(fig, before, "before the M-step", dash="dash", opacity=BEFORE_OPACITY)
        _ellipses(fig, params, current_label, dash="solid")
        fig.update_xaxes(title_text=feature_names[0], range=_padded_range(X[:, 0]))
        fig.update_yaxes(title_text=feature_names[1], range=_padded_range(X[:, 1]), scaleanchor="x", scaleratio=1)
    _layout(fig, title)
    return fig


def comparison_figure(X, panels, feature_names=("x",), columns: int | None = None, highlight: int | None = None) -> go.Figure:
    """Several fits of the same data side by side, each with its own title.

    panels : sequence of (title, GaussianMixtureParams, resp); resp of shape (n_samples, n_components)
        colours the points (None: the fit's own responsibilities, params.predict_proba(X))
    columns : panels per row (default: all in one row)
    highlight : index of a panel to make stand out (e.g. the best run): bold starred title, a thick frame
    """
    X = np.asarray(X, dtype=np.float64)
    columns = columns or len(panels)
    rows = -(-len(panels) // columns)
    titles = [f"<b>★ {panel[0]}</b>" if i == highlight else panel[0] for i, panel in enumerate(panels)]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.06,
                        vertical_spacing=0.14 if rows > 1 else 0.1)
    for i, (_, params, resp) in enumerate(panels):
        row, col = i // columns + 1, i % columns + 1
        place = dict(row=row, col=col)
        colors = _point_colors(X, params.predict_proba(X) if resp is None else resp)
        first = i == 0
        if X.shape[1] == 1:
            top = _histogram(fig, X[:, 0], showlegend=first, **place)
            top = max(top, _densities(fig, _grid(X[:, 0]), params, "fit", dash="solid", showlegend=first, **place))
            _rug(fig, X[:, 0], colors, None, level=-RUG_DEPTH * top, **place)
            fig.update_xaxes(range=_padded_range(X[:, 0]), title_text=feature_names[0], **place)
            fig.update_yaxes(range=_density_range(top, labelled=False), **place)
        else:
            _points(fig, X, colors, None, **place)
            _ellipses(fig, params, "fit", dash="solid", showlegend=first, **place)
            fig.update_xaxes(range=_padded_range(X[:, 0]), **place)
            fig.update_yaxes(range=_padded_range(X[:, 1]), **place)
    _layout(fig, "", height=max(HEIGHT, 300 * rows))
    fig.update_annotations(font_size=14)
    if highlight is not None:
        _frame(fig, highlight // columns + 1, highlight % columns + 1)
    return fig


def _frame(fig, row: int, col: int) -> None:
    """A thick gold frame around one subplot, so the eye finds it first."""
    x_domain, y_domain = (fig.get_subplot(row, col).xaxis.domain, fig.get_subplot(row, col).yaxis.domain)
    # The subplot's title sits just above its domain; the frame takes it in.
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=x_domain[0] - 0.01, x1=x_domain[1] + 0.01,
                  y0=y_domain[0] - 0.03, y1=y_domain[1] + 0.07, line={"color": HIGHLIGHT_COLOR, "width": 4},
                  fillcolor=HIGHLIGHT_FILL, layer="below")


# --- layers ----------------------------------------------------------------------------------------
def _point_colors(X, resp) -> list[str]:
    return blended_colors(resp) if resp is not None else [UNASSIGNED_COLOR] * len(X)


def _histogram(fig, values, showlegend: bool = True, **place) -> float:
    """The density histogram of the data; returns its tallest bar."""
    centres, widths, heights = histogram(values, max_bins=30)
    fig.add_trace(go.Bar(x=centres, y=heights, width=widths, marker={"color": HIST_COLOR, "line": {"width": 0}},
                         name="data (histogram)", hoverinfo="skip", showlegend=showlegend), **place)
    return float(heights.max()) if len(heights) else 0.0


def _densities(fig, grid, params, label: str, dash: str, opacity: float = 1.0, showlegend: bool = True, **place) -> float:
    """Each component's weighted density (thin, coloured) and the mixture (thick, dark); returns the mixture's peak."""
    components = params_densities(grid, params)
    for k, (color, curve) in enumerate(zip(component_colors(params.n_components), components)):
        fig.add_trace(go.Scatter(
            x=grid, y=curve, mode="lines", line={"color": color, "width": 2, "dash": dash}, opacity=opacity,
            name=f"component {k + 1}", showlegend=showlegend and dash == "solid", legendgroup=label,
            hovertemplate=f"component {k + 1} ({label})<br>x = %{{x:.2f}}<br>π·N = %{{y:.3f}}<extra></extra>",
        ), **place)
    fig.add_trace(go.Scatter(
        x=grid, y=components.sum(axis=0), mode="lines", line={"color": INK, "width": 3, "dash": dash},
        opacity=opacity, name=f"mixture, {label}", showlegend=showlegend, legendgroup=label,
        hovertemplate=f"mixture ({label})<br>x = %{{x:.2f}}<br>p(x) = %{{y:.3f}}<extra></extra>",
    ), **place)
    return float(components.sum(axis=0).max())


def _rug(fig, values, colors, chosen, level: float, **place) -> None:
    """The points as ticks at height `level` (below the axis); the chosen ones labelled with their numbers."""
    fig.add_trace(go.Scatter(
        x=values, y=np.full(len(values), level), mode="markers", showlegend=False, name="points",
        marker={"symbol": "line-ns-open", "size": 14, "color": colors, "line": {"width": 2, "color": colors}},
        hovertemplate="x = %{x:.3f}<extra></extra>",
    ), **place)
    if chosen is not None and len(chosen):
        chosen = np.asarray(chosen)
        fig.add_trace(go.Scatter(
            x=values[chosen], y=np.full(len(chosen), level), mode="markers+text", text=[str(i + 1) for i in chosen],
            textposition="bottom center", textfont={"size": 12, "color": INK}, showlegend=False,
            marker={"symbol": "circle-open", "size": 13, "color": INK, "line": {"width": 2}},
            name="points in the table", hovertemplate="point %{text}<br>x = %{x:.3f}<extra></extra>",
        ), **place)


def _points(fig, X, colors, chosen, **place) -> None:
    fig.add_trace(go.Scatter(
        x=X[:, 0], y=X[:, 1], mode="markers", showlegend=False, name="points",
        marker={"size": 6, "color": colors, "line": {"width": 0}},
        hovertemplate="(%{x:.3f}, %{y:.3f})<extra></extra>",
    ), **place)
    if chosen is not None and len(chosen):
        chosen = np.asarray(chosen)
        fig.add_trace(go.Scatter(
            x=X[chosen, 0], y=X[chosen, 1], mode="markers+text", text=[str(i + 1) for i in chosen],
            textposition="top right", textfont={"size": 12, "color": INK}, showlegend=False,
            marker={"symbol": "circle-open", "size": 14, "color": INK, "line": {"width": 2}},
            name="points in the table", hovertemplate="point %{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>",
        ), **place)


def _ellipses(fig, params, label: str, dash: str, opacity: float = 1.0, showlegend: bool = True, **place) -> None:
    """Each component's 1σ and 2σ ellipses and its mean (an ×)."""
    covariances = params.full_covariances
    for k, color in enumerate(component_colors(params.n_components)):
        for n_sigma, width in ((1, 2.5), (2, 1.2)):
            x, y = ellipse_xy(params.means[k], covariances[k], n_sigma)
            fig.add_trace(go.Scatter(
                x=x, y=y, mode="lines", line={"color": color, "width": width, "dash": dash}, opacity=opacity,
                name=f"component {k + 1}" if dash == "solid" else label, legendgroup=label if dash != "solid" else f"{label} {k}",
                showlegend=showlegend and n_sigma == 1 and (dash == "solid" or k == 0), hoverinfo="skip",
            ), **place)
        fig.add_trace(go.Scatter(
            x=params.means[k, :1], y=params.means[k, 1:], mode="markers", opacity=opacity, showlegend=False,
            marker={"symbol": "x", "size": 11, "color": color, "line": {"width": 1, "color": INK}},
            name=f"mean {k + 1}, {label}", legendgroup=label if dash != "solid" else f"{label} {k}",
            hovertemplate=f"mean of component {k + 1} ({label})<br>(%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        ), **place)


# --- geometry and layout ---------------------------------------------------------------------------
def _density_range(top: float, labelled: bool) -> list[float]:
    """Room below zero for the rug (and the labels of the chosen points), a little headroom above."""
    return [-(RUG_DEPTH + (0.12 if labelled else 0.06)) * top, 1.08 * top]


def _padded_range(values, pad: float = 0.12) -> list[float]:
    low, high = float(np.min(values)), float(np.max(values))
    span = high - low if high > low else 1.0
    return [low - pad * span, high + pad * span]


def _grid(values) -> np.ndarray:
    low, high = _padded_range(values)
    return np.linspace(low, high, N_GRID)


def _layout(fig, title: str, height: int = HEIGHT) -> None:
    fig.update_layout(
        template="plotly_white", height=height, font={"size": 13},
        title={"text": title, "x": 0.0} if title else None,
        margin={"t": 50 if title else 40, "b": 40, "l": 50, "r": 20},
        legend={"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0.0},
        bargap=0, hovermode="closest",
    )
