"""The 1-D data view: histogram, weighted component densities, mixture density and a coloured rug."""

from __future__ import annotations

import numpy as np

from .colors import INK, TRUTH_COLOR, component_colors, point_colorscale
from .densities import histogram, params_densities
from .layers import Layer, compact_floats, padded_range, typed_array
from .schedule import PointColours
from .style import FigureStyle

GRID_POINTS = 241
RUG_DEPTH = 0.06  # the rug sits this fraction of the y range below zero
# A collapsing component can spike to thousands of times the data's density; beyond this multiple of
# the histogram / final / true density the y range stops growing and the spike leaves the plot.
Y_RANGE_CAP = 4.0


def density_grid(x_range) -> np.ndarray:
    """The x grid for densities, shape (GRID_POINTS,), spanning the (padded) x range."""
    return np.linspace(x_range[0], x_range[1], GRID_POINTS)


def data_view_1d(trace, X_shown, frames, colours: PointColours, style: FigureStyle, truth=None,
                 data_range=None, feature_names=None, axes=("x", "y")) -> Layer:
    """Traces of the 1-D panel.

    trace : tuple of TraceEntry; X_shown : ndarray of shape (n_points, 1); frames : list of FrameSpec
    Layer positions: histogram (static), true density (static, if given), the k weighted component
    densities, the mixture density, the rug.
    """
    xref, yref = axes
    values = X_shown[:, 0]
    n_components = trace[0].params.n_components
    colors = component_colors(n_components)
    name = (list(feature_names) if feature_names else ["x"])[0]
    if data_range is None:
        data_range = ((values.min(), values.max()),)
    x_range = padded_range(*data_range[0])
    grid = density_grid(x_range)

    # Every entry's densities: shape (n_entries, k, n_grid).
    densities = np.stack([params_densities(grid, entry.params) for entry in trace])
    mixture = densities.sum(axis=1)
    centres, widths, heights = histogram(values)
    truth_density = None if truth is None else params_densities(grid, truth).sum(axis=0)

    used = sorted({frame.params_index for frame in frames})
    y_top = float(mixture[used].max())
    reference = max(float(heights.max()), float(mixture[-1].max()),
                    0.0 if truth_density is None else float(truth_density.max()))
    y_top = max(min(y_top, Y_RANGE_CAP * reference), reference) * 1.05
    rug_y = -RUG_DEPTH * y_top
    y_range = [-2.0 * RUG_DEPTH * y_top, y_top]

    traces, roles = [], {}
    roles["histogram"] = len(traces)
    traces.append(_histogram_trace(centres, widths, heights, xref, yref))
    if truth_density is not None:
        roles["truth"] = len(traces)
        traces.append({
            "type": "scatter", "x": grid, "y": truth_density, "mode": "lines", "xaxis": xref, "yaxis": yref,
            "name": "true density", "line": {"color": TRUTH_COLOR, "dash": "dash", "width": style.line_width * 0.8},
            "hoverinfo": "skip",
        })

    first = frames[0]
    roles["component_densities"] = []
    for k, color in enumerate(colors):
        roles["component_densities"].append(len(traces))
        traces.append({
            "type": "scatter", "x": grid, "y": compact_floats(densities[first.params_index, k]), "mode": "lines",
            "xaxis": xref, "yaxis": yref, "name": f"component {k + 1}: w·N(x | μ, σ²)",
            "line": {"color": color, "width": style.line_width}, "hoverinfo": "skip",
        })
    roles["mixture_density"] = len(traces)
    traces.append({
        "type": "scatter", "x": grid, "y": compact_floats(mixture[first.params_index]), "mode": "lines",
        "xaxis": xref, "yaxis": yref, "name": "mixture density",
        "line": {"color": INK, "width": style.line_width * 1.8}, "hoverinfo": "skip",
    })
    roles["rug"] = len(traces)
    traces.append({
        "type": "scatter", "x": values, "y": np.full(len(values), rug_y), "mode": "markers",
        "xaxis": xref, "yaxis": yref, "name": "data (rug)", "showlegend": False,
        "marker": {"symbol": "line-ns-open", "size": style.rug_size, "line": {"width": max(1.0, style.line_width * 0.6)},
                   "color": colours.codes(first.colour_index), **point_colorscale(n_components)},
        "hovertemplate": f"{name} = %{{x:.4g}}<extra></extra>",
    })

    animated = roles["component_densities"] + [roles["mixture_density"], roles["rug"]]

    def frame_data(frame) -> list[dict]:
        i = frame.params_index
        updates = [{"type": "scatter", "y": typed_array(compact_floats(densities[i, k]))} for k in range(n_components)]
        updates.append({"type": "scatter", "y": typed_array(compact_floats(mixture[i]))})
        updates.append({"type": "scatter", "marker": {"color": typed_array(colours.codes(frame.colour_index))}})
        return updates

    ranges = {"x": x_range, "y": y_range, "x_title": name, "y_title": "density"}
    return Layer(traces, animated, roles, frame_data, ranges)


def _histogram_trace(centres, widths, heights, xref: str, yref: str) -> dict:
    """The histogram as a filled step line.

    A scatter, not a bar trace: a redraw-free animation step re-plots the whole bar layer of the
    subplot with only the animated traces, which would erase bars that no frame mentions.
    """
    left = centres - widths / 2.0
    x = np.concatenate([[left[0]], left, [left[-1] + widths[-1]]])
    y = np.concatenate([[0.0], heights, [0.0]])
    return {
        "type": "scatter", "x": x, "y": y, "mode": "lines", "line": {"shape": "hv", "color": "#bdbdbd", "width": 1},
        "fill": "tozeroy", "fillcolor": "rgba(189,189,189,0.45)", "xaxis": xref, "yaxis": yref,
        "name": "histogram of the shown points", "hoverinfo": "skip",
    }
