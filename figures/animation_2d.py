"""The 2-D data view: points coloured by responsibility, component means and 1/2/3-sigma ellipses."""

from __future__ import annotations

import numpy as np

from .colors import INK, TRUTH_COLOR, component_colors, darker, point_colorscale
from .ellipses import SIGMA_DASH, SIGMA_LEVELS, SIGMA_MASS_2D, ellipse_stack
from .layers import Layer, compact_floats, padded_range, typed_array
from .schedule import PointColours
from .style import FigureStyle

ELLIPSE_POINTS = 61  # 6 degree steps: smooth on screen, and every frame re-sends these


def data_view_2d(trace, X_shown, frames, colours: PointColours, style: FigureStyle, truth=None,
                 data_range=None, feature_names=None, axes=("x", "y")) -> Layer:
    """Traces of the 2-D panel.

    trace : tuple of TraceEntry; X_shown : ndarray of shape (n_points, 2); frames : list of FrameSpec
    Layer positions: sigma keys (3, static), truth (static, if given), points, then per component
    its 1-sigma, 2-sigma, 3-sigma ellipse and its mean.
    """
    xref, yref = axes
    n_components = trace[0].params.n_components
    colors = component_colors(n_components)
    names = list(feature_names) if feature_names else ["x1", "x2"]
    traces, roles = [], {}

    roles["sigma_keys"] = []
    for s in SIGMA_LEVELS:
        roles["sigma_keys"].append(len(traces))
        traces.append({
            "type": "scatter", "x": [None], "y": [None], "mode": "lines", "xaxis": xref, "yaxis": yref,
            "name": f"{s}σ ellipse: {SIGMA_MASS_2D[s]:.1%} of the mass",
            "line": {"color": INK, "dash": SIGMA_DASH[s], "width": style.line_width * 0.6},
            "legendgroup": "sigma", "hoverinfo": "skip",
        })

    if truth is not None:
        roles["truth"] = len(traces)
        traces.append(_truth_trace(truth, style, xref, yref))

    roles["points"] = len(traces)
    traces.append({
        "type": "scatter", "x": X_shown[:, 0], "y": X_shown[:, 1], "mode": "markers", "xaxis": xref, "yaxis": yref,
        "name": "data", "showlegend": False,
        "marker": {"color": colours.codes(frames[0].colour_index), "size": style.point_size, "line": {"width": 0},
                   **point_colorscale(n_components)},
        "hovertemplate": f"{names[0]} = %{{x:.4g}}<br>{names[1]} = %{{y:.4g}}<extra></extra>",
    })

    # Every used entry's ellipses at once: shape (n_entries, k, 2, n_points) per sigma level.
    means = np.stack([entry.params.means for entry in trace])
    covariances = np.stack([entry.params.full_covariances for entry in trace])
    curves = {s: compact_floats(ellipse_stack(means, covariances, s, ELLIPSE_POINTS)) for s in SIGMA_LEVELS}
    weights = np.stack([entry.params.weights for entry in trace])
    first = frames[0].params_index

    roles["ellipses"], roles["means"] = [], []
    for k, color in enumerate(colors):
        group = f"component {k + 1}"
        positions = []
        for s in SIGMA_LEVELS:
            positions.append(len(traces))
            traces.append({
                "type": "scatter", "x": curves[s][first, k, 0], "y": curves[s][first, k, 1], "mode": "lines",
                "xaxis": xref, "yaxis": yref, "name": f"{group}, {s}σ", "legendgroup": group, "showlegend": False,
                "line": {"color": darker(color), "dash": SIGMA_DASH[s], "width": style.line_width}, "hoverinfo": "skip",
            })
        roles["ellipses"].append(positions)
        roles["means"].append(len(traces))
        traces.append({
            "type": "scatter", "x": means[first, k, :1], "y": means[first, k, 1:], "mode": "markers",
            "xaxis": xref, "yaxis": yref, "name": group, "legendgroup": group,
            "marker": {"symbol": "x", "color": color, "size": style.mean_size, "line": {"width": 1.5, "color": "white"}},
            "hovertext": [_mean_hover(k, weights[first, k], means[first, k])], "hoverinfo": "text",
        })

    animated = [roles["points"]] + [p for positions in roles["ellipses"] for p in positions] + roles["means"]

    def frame_data(frame) -> list[dict]:
        i = frame.params_index
        updates = [{"type": "scatter", "marker": {"color": typed_array(colours.codes(frame.colour_index))}}]
        for k in range(n_components):
            updates.extend(
                {"type": "scatter", "x": typed_array(curves[s][i, k, 0]), "y": typed_array(curves[s][i, k, 1])}
                for s in SIGMA_LEVELS
            )
        updates.extend(
            {"type": "scatter", "x": [float(means[i, k, 0])], "y": [float(means[i, k, 1])],
             "hovertext": [_mean_hover(k, weights[i, k], means[i, k])]}
            for k in range(n_components)
        )
        return updates

    if data_range is None:
        data_range = (
            (X_shown[:, 0].min(), X_shown[:, 0].max()),
            (X_shown[:, 1].min(), X_shown[:, 1].max()),
        )
    ranges = {"x": padded_range(*data_range[0]), "y": padded_range(*data_range[1]),
              "x_title": names[0], "y_title": names[1]}
    return Layer(traces, animated, roles, frame_data, ranges)


def _mean_hover(k: int, weight: float, mean: np.ndarray) -> str:
    return f"component {k + 1}<br>weight {weight:.3f}<br>mean ({mean[0]:.4g}, {mean[1]:.4g})"


def _truth_trace(truth, style: FigureStyle, xref: str, yref: str) -> dict:
    """The true components' 1- and 2-sigma ellipses, dashed grey, as one trace broken by gaps."""
    x, y = [], []
    for s in (1, 2):
        curves = ellipse_stack(truth.means, truth.full_covariances, s, ELLIPSE_POINTS)
        for curve in curves:
            x.extend(curve[0].tolist() + [None])
            y.extend(curve[1].tolist() + [None])
    return {
        "type": "scatter", "x": x, "y": y, "mode": "lines", "xaxis": xref, "yaxis": yref,
        "name": "true components (1σ, 2σ)", "line": {"color": TRUTH_COLOR, "dash": "dash", "width": style.line_width * 0.5},
        "hoverinfo": "skip", "connectgaps": False,
    }
