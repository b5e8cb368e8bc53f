"""build_animation: one figure, data view (left) and learning curve (right), one frame per EM state."""

from __future__ import annotations

import hashlib

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from .animation_1d import data_view_1d
from .animation_2d import data_view_2d
from .animation_controls import animation_controls
from .learning_curve import learning_curve_layer
from .layers import Layer
from .schedule import PointColours, frame_schedule
from .style import figure_style

DATA_AXES = ("x", "y")
CURVE_AXES = ("x2", "y2")


def build_animation(result, X_shown, *, step_mode: bool = False, truth=None, presentation: bool = False,
                    data_range=None, feature_names=None) -> go.Figure:
    """The EM animation of a fit result on the shown points.

    result : gmm_core.FitResult
    X_shown : array-like of shape (n_points,) or (n_points, d), d = 1 or 2: the points to draw
    step_mode : False -> one frame per trace entry (n_iter + 1); True -> initial, then an E-step and an
        M-step frame per iteration (2 n_iter + 1)
    truth : optional GaussianMixtureParams drawn dashed grey (2-D ellipses / 1-D density)
    data_range : optional ((xmin, xmax), (ymin, ymax)) of all the data (1-D: ((xmin, xmax),)); fixes the axes
    feature_names : optional axis titles, one per feature
    Trace order: the data view's traces, then the learning curve's; `fig.layout.meta["roles"]` maps
    each role to its trace index, `fig.layout.meta["animated"]` lists the traces frames update.
    """
    X_shown = _checked_points(X_shown, result)
    if truth is not None and truth.n_features != X_shown.shape[1]:
        raise ValueError(f"The true mixture has {truth.n_features} features but the data has {X_shown.shape[1]}.")
    trace = result.trace
    frames = frame_schedule(len(trace), step_mode)
    style = figure_style(presentation)
    colours = PointColours(trace, X_shown, result.algorithm)
    view_builder = data_view_2d if X_shown.shape[1] == 2 else data_view_1d
    view = view_builder(trace, X_shown, frames, colours, style, truth=truth, data_range=data_range,
                        feature_names=feature_names, axes=DATA_AXES)
    curve = learning_curve_layer(trace, frames, style, axes=CURVE_AXES)

    data, roles, animated = _stack([view, curve])
    figure_frames = [
        {"name": frame.name, "traces": animated, "data": view.frame_data(frame) + curve.frame_data(frame)}
        for frame in frames
    ]
    layout = _layout(view, curve, style, result, len(X_shown), feature_names, X_shown.shape[1])
    layout.update(animation_controls([f.name for f in frames], [f.label for f in frames], style.font_size))
    layout["meta"] = {
        "roles": roles, "animated": animated,
        "step_mode": bool(step_mode), "algorithm": result.algorithm,
    }
    # Dicts straight in, no per-frame validation: validating thousands of partial traces costs seconds
    # (frame arrays are pre-encoded typed arrays for the same reason, see layers.typed_array).
    return go.Figure(data=data, layout=layout, frames=figure_frames, _validate=False)


def _checked_points(X_shown, result) -> np.ndarray:
    X = np.asarray(X_shown, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] not in (1, 2):
        raise ValueError(f"The animation draws 1-D or 2-D data; these points have shape {X.shape}. Pick one or two columns.")
    if len(X) == 0 or not np.all(np.isfinite(X)):
        raise ValueError("The animation needs at least one point and only finite coordinates.")
    n_features = result.params.n_features
    if X.shape[1] != n_features:
        raise ValueError(f"The fit has {n_features} feature(s) but the points to draw have {X.shape[1]}.")
    return X


def _stack(layers: list[Layer]) -> tuple[list[dict], dict, list[int]]:
    """Concatenate layers' traces; roles and animated positions become figure trace indices."""
    data, roles, animated = [], {}, []
    for layer in layers:
        offset = len(data)
        data.extend(layer.traces)
        animated.extend(offset + p for p in layer.animated)
        roles.update({role: _shift(position, offset) for role, position in layer.roles.items()})
    return data, roles, animated


def _shift(position, offset):
    if isinstance(position, list):
        return [_shift(p, offset) for p in position]
    return position + offset


def _layout(view: Layer, curve: Layer, style, result, n_shown: int, feature_names, n_features) -> dict:
    base = make_subplots(rows=1, cols=2, column_widths=[0.7, 0.3], horizontal_spacing=0.08)
    layout = base.layout.to_plotly_json()
    layout.pop("template", None)
    for layer, suffix in ((view, ""), (curve, "2")):
        layout[f"xaxis{suffix}"].update(range=layer.ranges["x"], autorange=False, title={"text": layer.ranges["x_title"]},
                                        zeroline=False)
        layout[f"yaxis{suffix}"].update(range=layer.ranges["y"], autorange=False, title={"text": layer.ranges["y_title"]},
                                        zeroline=False)
    layout.update(
        # The template object, not its name: an unvalidated figure would keep the bare string.
        template=pio.templates["plotly_white"].to_plotly_json(),
        font={"size": style.font_size},
        height=style.height,
        margin={"l": 60, "r": 20, "t": 40 + 3 * style.font_size, "b": 130},
        legend={"orientation": "h", "x": 0.0, "y": 1.02, "xanchor": "left", "yanchor": "bottom",
                "font": {"size": style.font_size - 1}},
        hovermode="closest",
        # Same data and axes -> same revision: a Streamlit rerun keeps the user's zoom.
        uirevision=_ui_revision(n_features, view.ranges, feature_names),
    )
    if n_shown < result.n_samples:
        layout["annotations"] = [{
            "text": f"showing {n_shown:,} of {result.n_samples:,} points", "showarrow": False,
            "xref": "x domain", "yref": "y domain", "x": 1.0, "y": 1.0, "xanchor": "right", "yanchor": "top",
            "font": {"size": style.font_size - 2, "color": "#555555"}, "bgcolor": "rgba(255,255,255,0.75)",
        }]
    return layout


def _ui_revision(n_features, ranges, feature_names) -> str:
    """A key of what the data axes show: new data or new columns reset the zoom, a new fit does not.

    (The 1-D density axis depends on the fit, so only the x range enters there.)
    """
    shown = [ranges["x"], ranges["y"]] if n_features == 2 else [ranges["x"]]
    key = repr((n_features, np.round(np.asarray(shown, dtype=float), 6).tolist(),
                None if feature_names is None else list(feature_names)))
    return "em-animation-" + hashlib.sha1(key.encode()).hexdigest()[:12]
