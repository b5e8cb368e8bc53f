"""The log-likelihood panel: a curve that grows frame by frame, the current value, re-seed events."""

from __future__ import annotations

import numpy as np

from .colors import INK
from .layers import Layer, padded_range, typed_array
from .style import FigureStyle

RESEED_COLOR = "#d62728"
HOVER = "iteration %{x}<br>log-likelihood %{y:,.2f}<extra></extra>"


def learning_curve_layer(trace, frames, style: FigureStyle, axes=("x2", "y2")) -> Layer:
    """Traces of the learning-curve panel.

    trace : tuple of TraceEntry; frames : list of FrameSpec
    Layer positions: the curve (animated: entries 0..curve_end), the current value (animated),
    re-seed events (static, only if any).
    """
    xref, yref = axes
    log_likelihood = np.array([entry.log_likelihood for entry in trace])
    iterations = np.array([entry.iteration for entry in trace])
    first = frames[0].curve_end
    traces, roles = [], {}

    roles["curve"] = len(traces)
    traces.append({
        "type": "scatter", "x": iterations[: first + 1], "y": log_likelihood[: first + 1], "mode": "lines+markers",
        "xaxis": xref, "yaxis": yref, "name": "log-likelihood", "showlegend": False,
        "line": {"color": INK, "width": style.line_width * 0.8}, "marker": {"size": style.curve_marker_size, "color": INK},
        "hovertemplate": HOVER,
    })
    roles["current"] = len(traces)
    traces.append({
        "type": "scatter", "x": iterations[first : first + 1], "y": log_likelihood[first : first + 1], "mode": "markers",
        "xaxis": xref, "yaxis": yref, "name": "current iteration", "showlegend": False,
        "marker": {"symbol": "circle-open", "size": style.mean_size, "color": INK, "line": {"width": style.line_width}},
        "hovertemplate": HOVER,
    })
    events = [(entry, event) for entry in trace for event in entry.reseeds]
    if events:
        roles["reseeds"] = len(traces)
        traces.append({
            "type": "scatter", "x": [entry.iteration for entry, _ in events],
            "y": [entry.log_likelihood for entry, _ in events], "mode": "markers",
            "xaxis": xref, "yaxis": yref, "name": "component re-seeded",
            "marker": {"symbol": "x", "size": style.mean_size, "color": RESEED_COLOR},
            "hovertext": [_reseed_hover(entry, event) for entry, event in events], "hoverinfo": "text",
        })

    def frame_data(frame) -> list[dict]:
        end = frame.curve_end
        return [
            {"type": "scatter", "x": typed_array(iterations[: end + 1]), "y": typed_array(log_likelihood[: end + 1])},
            {"type": "scatter", "x": [int(iterations[end])], "y": [float(log_likelihood[end])]},
        ]

    finite = log_likelihood[np.isfinite(log_likelihood)]
    ranges = {
        "x": [-0.5, max(float(iterations[-1]), 1.0) + 0.5],
        "y": padded_range(finite.min(), finite.max()) if finite.size else [-1.0, 1.0],
        "x_title": "iteration", "y_title": "log-likelihood",
    }
    return Layer(traces, [roles["curve"], roles["current"]], roles, frame_data, ranges)


def _reseed_hover(entry, event) -> str:
    what = "the shared covariance" if event.component < 0 else f"component {event.component + 1}"
    return f"iteration {entry.iteration}: {what} re-seeded<br>{event.reason}"
