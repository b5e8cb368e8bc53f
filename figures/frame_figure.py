"""One frame of the EM player as a static Plotly figure, built from the payload alone.

For image exports (e.g. a GIF rendered frame by frame with kaleido): the same payload the browser
plays, the same frame computation (figures.frame_state), drawn with plain Plotly traces.

    payload = figures.player_payload(result, X_shown, step_mode=True)
    fig = frame_figure(payload, 5)                  # go.Figure: data view (x/y), learning curve (x2/y2)
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .colors import rgba
from .frame_state import SIGMA_LEVELS, FrameState, PlayerData, component_densities, ellipse_xy, frame_state
from .typed_arrays import read_array

SIGMA_DASH = {1: "solid", 2: "dash", 3: "dot"}
STEP_TEXT = {
    "initial": "Start: the initial parameters, no responsibilities yet",
    "E": "E-step: responsibilities update, ellipses stay",
    "M": "M-step: ellipses move, colours stay",
}


def frame_figure(payload: dict, index: int, width: int = 1100, height: int | None = None) -> go.Figure:
    """Frame `index` of the payload: points coloured by responsibility, rings, ellipses or densities,
    means, true clusters, and the learning curve up to this frame."""
    data = PlayerData.from_payload(payload)
    state = frame_state(data, index)
    return go.Figure(data=frame_traces(payload, index, data, state), layout=frame_layout(payload, state, width, height))


def frame_traces(payload: dict, index: int, data: PlayerData | None = None,
                 state: FrameState | None = None) -> list[dict]:
    """The traces of frame `index` as plain dicts: the data view on axes x/y, the learning curve on x2/y2.
    (Plain dicts validated once by go.Figure: a film of many frames builds each about three times faster
    than through make_subplots and add_trace.)"""
    data = data or PlayerData.from_payload(payload)
    state = state or frame_state(data, index)
    traces = _scatter_view(data, state) if payload["view"]["kind"] == "scatter" else _density_view(data, state)
    return traces + _curve(payload, state)


def frame_layout(payload: dict, state: FrameState, width: int = 1100, height: int | None = None) -> dict:
    """The layout of a frame: the data view (70%) and the learning curve side by side, fixed ranges,
    the frame's name at the top right and, in step mode, what the step did."""
    style, display, view = payload["display"]["style"], payload["display"], payload["view"]
    ink = display["ink"]
    axis = {"tickfont": {"size": style["tick_size"], "color": ink}, "zeroline": False, "showline": True,
            "linecolor": "#bbbbbb", "gridcolor": "#eeeeee"}
    title = lambda text: {"text": text, "font": {"size": style["title_size"], "color": ink}}  # noqa: E731
    names = payload["features"]
    curve = payload["curves"][0]
    finite = [v for v in curve["y"] if np.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (-1.0, 1.0)
    pad = 0.08 * (high - low) if high > low else 1.0
    last = max(1, max(curve["x"]))
    data_y = {"anchor": "x", "domain": [0.0, 1.0], "range": view["y_range"],
              "title": title(names[view["pair"][1]] if view["kind"] == "scatter" else "density"), **axis}
    if display["equal_axes"]:
        data_y.update(scaleanchor="x", scaleratio=1)
    annotations = [{"text": state.name, "xref": "paper", "yref": "paper", "x": 1.0, "y": 1.02, "xanchor": "right",
                    "yanchor": "bottom", "showarrow": False, "font": {"size": style["font_size"], "color": ink}}]
    if "E" in payload["frames"]["step"]:
        annotations.append({"text": STEP_TEXT.get(state.step, ""), "xref": "x domain", "yref": "y domain", "x": 0.01,
                            "y": 0.99, "xanchor": "left", "yanchor": "top", "showarrow": False,
                            "font": {"size": style["font_size"] + 6, "color": ink},
                            "bgcolor": "rgba(255,255,255,0.88)", "bordercolor": "#d0d0d8", "borderpad": 4})
    return {
        # The two columns' domains as make_subplots(column_widths=[0.7, 0.3], horizontal_spacing=0.09) sets them.
        "xaxis": {"anchor": "y", "domain": [0.0, 0.637], "range": view["x_range"],
                  "title": title(names[view["pair"][0]]), **axis},
        "yaxis": data_y,
        "xaxis2": {"anchor": "y2", "domain": [0.727, 1.0], "range": [-0.02 * last, 1.02 * last],
                   "title": title("iteration"), **axis},
        "yaxis2": {"anchor": "x2", "domain": [0.0, 1.0], "range": [low - pad, high + pad],
                   "title": title(curve["name"]), **axis},
        "template": "plotly_white", "width": width, "height": height or style["height"] + 80, "showlegend": False,
        "margin": {"l": 70, "r": 20, "t": 40, "b": 60}, "font": {"size": style["font_size"], "color": ink},
        "annotations": annotations,
    }


def point_colors(payload: dict, state: FrameState) -> list[str]:
    """The rgba colour of every drawn point in this frame (grey before the first E-step)."""
    display = payload["display"]
    if state.resp is None:
        return [rgba(display["unassigned_color"], display["unassigned_opacity"])] * len(state.winner)
    return [rgba(display["colors"][w], a) for w, a in zip(state.winner, state.opacity)]


def _trace(axes: str = "", **properties) -> dict:
    """A scatter trace on the data view (axes "") or the learning curve (axes "2"), without hover."""
    return {"type": "scatter", "xaxis": "x" + axes, "yaxis": "y" + axes, "hoverinfo": "skip", **properties}


def _scatter_view(data: PlayerData, state: FrameState) -> list[dict]:
    payload, display, style = data.payload, data.payload["display"], data.payload["display"]["style"]
    i, j = payload["view"]["pair"]
    traces = [_truth_ellipses(payload)] if payload["truth"] is not None else []
    traces.append(_trace(x=data.points[:, i], y=data.points[:, j], mode="markers",
                         marker={"size": style["point_size"], "color": point_colors(payload, state),
                                 "line": {"width": 0}}))
    if state.changed.any():
        traces.append(_trace(x=data.points[state.changed, i], y=data.points[state.changed, j], mode="markers",
                             marker={"symbol": "circle-open", "size": style["point_size"] + 6, "color": display["ink"],
                                     "line": {"width": 1.6}}))
    for comp in range(len(state.weights)):
        for s, curve in zip(SIGMA_LEVELS, state.ellipses[comp]):
            traces.append(_trace(x=curve[0], y=curve[1], mode="lines",
                                 line={"color": display["lines"][comp], "dash": SIGMA_DASH[s],
                                       "width": style["line_width"]}))
        traces.append(_trace(x=[state.means[comp, i]], y=[state.means[comp, j]], mode="markers",
                             marker={"symbol": "x", "size": style["mean_size"], "color": display["colors"][comp],
                                     "line": {"width": 1.5, "color": "white"}}))
    return traces


def _density_view(data: PlayerData, state: FrameState) -> list[dict]:
    payload = data.payload
    display, style, view = payload["display"], payload["display"]["style"], payload["view"]
    edges, heights = np.asarray(view["histogram"]["edges"]), np.asarray(view["histogram"]["heights"])
    traces = [_trace(x=np.r_[edges[0], edges[:-1], edges[-1]], y=np.r_[0.0, heights, 0.0], mode="lines",
                     line={"shape": "hv", "color": "#bdbdbd", "width": 1}, fill="tozeroy",
                     fillcolor="rgba(189,189,189,0.45)")]
    if payload["truth"] is not None:
        truth = payload["truth"]
        density = component_densities(state.grid, read_array(truth["weights"]), read_array(truth["means"])[:, 0],
                                      read_array(truth["covariances"])[:, 0, 0]).sum(axis=0)
        traces.append(_trace(x=state.grid, y=density, mode="lines",
                             line={"color": display["truth_color"], "dash": "dash", "width": 2}))
    for comp, curve in enumerate(state.densities):
        traces.append(_trace(x=state.grid, y=curve, mode="lines",
                             line={"color": display["colors"][comp], "width": style["line_width"]}))
    traces.append(_trace(x=state.grid, y=state.densities.sum(axis=0), mode="lines",
                         line={"color": display["ink"], "width": style["line_width"] * 1.8}))
    traces.append(_trace(x=data.points[:, 0], y=np.full(len(data.points), view["rug_y"]), mode="markers",
                         marker={"symbol": "line-ns-open", "size": style["rug_size"],
                                 "color": point_colors(payload, state), "line": {"width": 1.5}}))
    traces.append(_trace(x=state.means[:, 0], y=np.zeros(len(state.means)), mode="markers",
                         marker={"symbol": "diamond", "size": style["mean_size"], "color": display["colors"],
                                 "line": {"width": 1.5, "color": "white"}}))
    return traces


def _curve(payload: dict, state: FrameState) -> list[dict]:
    ink, style = payload["display"]["ink"], payload["display"]["style"]
    time = payload["frames"]["curve_time"][state.index]
    traces = []
    for series in payload["curves"]:
        x, y = np.asarray(series["x"], dtype=float), np.asarray(series["y"], dtype=float)
        traces.append(_trace("2", x=x, y=y, mode="lines+markers", line={"color": "#c8c8c8", "width": 1.2},
                             marker={"size": style["curve_marker_size"], "color": "#c8c8c8"}))
        shown = x <= time
        traces.append(_trace("2", x=x[shown], y=y[shown], mode="lines",
                             line={"color": ink, "width": style["line_width"] * 0.8}))
    main = payload["curves"][0]
    traces.append(_trace("2", x=[main["x"][state.curve_end]], y=[main["y"][state.curve_end]], mode="markers",
                         cliponaxis=False, marker={"symbol": "circle-open", "size": style["mean_size"], "color": ink,
                                                   "line": {"width": style["line_width"]}}))
    return traces


def _truth_ellipses(payload: dict) -> dict:
    """The true components' 1- and 2-sigma ellipses, dashed grey, as one trace broken by gaps."""
    truth = payload["truth"]
    i, j = payload["view"]["pair"]
    means, covariances = read_array(truth["means"]), read_array(truth["covariances"])
    x, y = [], []
    for s in (1, 2):
        for mean, cov in zip(means, covariances):
            curve = ellipse_xy(mean[[i, j]], cov[[i, j]][:, [i, j]], s)
            x.extend(curve[0].tolist() + [None])
            y.extend(curve[1].tolist() + [None])
    return _trace(x=x, y=y, mode="lines", connectgaps=False,
                  line={"color": payload["display"]["truth_color"], "dash": "dash", "width": 1.5})
