"""uncertainty_figure: which points EM is unsure about, as mclust's uncertainty plot shows them.

A point's uncertainty is 1 - max_k gamma_k: 0 when one component claims it outright, up to 1 - 1/k when
all share it equally. In 2-D (or a view of d > 2 through a pair of features or principal components)
each point's size grows with it, so the uncertain points stand out, in its component's colour, over the
components' 1-sigma and 2-sigma ellipses; in 1-D the uncertainty is the y axis, so it peaks where the
components overlap.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .colors import INK, component_colors, darker
from .ellipses import ellipse_stack
from .plotly_text import plotly_literal

SMALLEST, LARGEST = 3.0, 16.0  # marker diameters (px) of a certain and of a wholly shared point


def uncertainty(resp: np.ndarray) -> np.ndarray:
    """1 - max_k gamma_k, shape (n,), for responsibilities resp of shape (n, k)."""
    return 1.0 - np.asarray(resp).max(axis=1)


def uncertainty_figure(points: np.ndarray, resp: np.ndarray, feature_names, *, view_means=None,
                       view_covariances=None, presentation: bool = False) -> go.Figure:
    """The points sized (2-D) or raised (1-D) by their uncertainty.

    points : (n, 1) or (n, 2) the coordinates drawn (a pair of features, or principal coordinates)
    resp : (n, k) the full-dimensional responsibilities of those points
    feature_names : the names of the drawn axes (user text: escaped here)
    view_means : optional (k, 2), view_covariances : optional (k, 2, 2): the components in the drawn plane
    """
    points = np.asarray(points, dtype=np.float64)
    points = points[:, None] if points.ndim == 1 else points
    resp = np.asarray(resp, dtype=np.float64)
    k = resp.shape[1]
    colors = component_colors(k)
    u = uncertainty(resp)
    winner = resp.argmax(axis=1)
    most = 1.0 - 1.0 / k if k > 1 else 1.0
    names = [plotly_literal(str(name)) for name in feature_names]
    font = 20 if presentation else 13
    fig = go.Figure()
    one_d = points.shape[1] == 1
    for comp in range(k):
        mine = winner == comp
        y = u[mine] if one_d else points[mine, 1]
        size = SMALLEST + (LARGEST - SMALLEST) * np.clip(u[mine] / most, 0.0, 1.0)
        fig.add_trace(go.Scatter(
            x=points[mine, 0], y=y, mode="markers", name=f"component {comp + 1}",
            marker={"size": 6 if one_d else size, "color": colors[comp], "opacity": 0.7,
                    "line": {"width": 0.5, "color": darker(colors[comp])}},
            customdata=u[mine], hovertemplate="uncertainty %{customdata:.3f}<extra>component " + str(comp + 1) + "</extra>",
        ))
    if not one_d and view_means is not None:
        for comp in range(k):
            curves = [ellipse_stack(view_means[comp], view_covariances[comp], s, 61) for s in (1, 2)]
            fig.add_trace(go.Scatter(
                x=np.concatenate([np.append(c[0], np.nan) for c in curves]),
                y=np.concatenate([np.append(c[1], np.nan) for c in curves]),
                mode="lines", line={"color": darker(colors[comp]), "width": 1.2}, showlegend=False, hoverinfo="skip"))
    share = float(np.mean(u > 0.1 * most)) if len(u) else 0.0
    fig.update_layout(
        template="plotly_white", height=460, font={"size": font, "color": INK},
        margin={"l": 60, "r": 10, "t": 50, "b": 50},
        title={"text": f"Uncertainty 1 − max γ: {share:.0%} of the points have more than {0.1 * most:.2g}", "x": 0.0},
        xaxis_title=names[0], yaxis_title="uncertainty 1 − max γ" if one_d else names[1],
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
        meta={"uncertainty_max": float(u.max()) if len(u) else 0.0},
    )
    if one_d:
        fig.update_yaxes(range=[-0.02 * most, 1.05 * most])
    return fig
