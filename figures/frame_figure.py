"""One frame of the EM player as a static Plotly figure, built from the payload alone.

For image exports (e.g. a GIF rendered frame by frame with kaleido): the same payload the browser
plays, the same frame computation (figures.frame_state), drawn with plain Plotly traces.

    payload = figures.player_payload(result, X_shown, step_mode=True)
    fig = frame_figure(payload, 5)                  # go.Figure: data view (x/y), learning curve (x2/y2)
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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
    style, display, view = payload["display"]["style"], payload["display"], payload["view"]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.7, 0.3], horizontal_spacing=0.09)
    if view["kind"] == "scatter":
        _scatter_view(fig, data, state)
    else:
        _density_view(fig, data, state)
    _curve(fig, payload, state)
    ink = display["ink"]
    axis = {"tickfont": {"size": style["tick_size"], "color": ink}, "zeroline": False, "showline": True,
            "linecolor": "#bbbbbb", "gridcolor": "#eeeeee"}
    title = lambda text: {"text": text, "font": {"size": style["title_size"], "color": ink}}  # noqa: E731
    names = payload["features"]
    fig.update_xaxes(range=view["x_range"], title=title(names[view["pair"][0]]), row=1, col=1, **axis)
    fig.update_yaxes(range=view["y_range"], title=title(names[view["pair"][1]] if view["kind"] == "scatter" else "density"),
                     row=1, col=1, **axis)
    if display["equal_axes"]:
        fig.update_yaxes(scaleanchor="x", scaleratio=1, row=1, col=1)
    curve = payload["curves"][0]
    finite = [v for v in curve["y"] if np.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (-1.0, 1.0)
    pad = 0.08 * (high - low) if high > low else 1.0
    last = max(1, max(curve["x"]))
    fig.update_xaxes(range=[-0.02 * last, 1.02 * last], title=title("iteration"), row=1, col=2, **axis)
    fig.update_yaxes(range=[low - pad, high + pad], title=title(curve["name"]), row=1, col=2, **axis)
    annotations = [{"text": state.name, "xref": "paper", "yref": "paper", "x": 1.0, "y": 1.02, "xanchor": "right",
                    "yanchor": "bottom", "showarrow": False, "font": {"size": style["font_size"], "color": ink}}]
    if "E" in payload["frames"]["step"]:
        annotations.append({"text": STEP_TEXT.get(state.step, ""), "xref": "x domain", "yref": "y domain", "x": 0.01,
                            "y": 0.99, "xanchor": "left", "yanchor": "top", "showarrow": False,
                            "font": {"size": style["font_size"] + 6, "color": ink},
                            "bgcolor": "rgba(255,255,255,0.88)", "bordercolor": "#d0d0d8", "borderpad": 4})
    fig.update_layout(template="plotly_white", width=width, height=height or style["height"] + 80, showlegend=False,
                      margin={"l": 70, "r": 20, "t": 40, "b": 60}, font={"size": style["font_size"], "color": ink},
                      annotations=annotations)
    return fig


def point_colors(payload: dict, state: FrameState) -> list[str]:
    """The rgba colour of every drawn point in this frame (grey before the first E-step)."""
    display = payload["display"]
    if state.resp is None:
        return [rgba(display["unassigned_color"], display["unassigned_opacity"])] * len(state.winner)
    return [rgba(display["colors"][w], a) for w, a in zip(state.winner, state.opacity)]


def _scatter_view(fig, data: PlayerData, state: FrameState) -> None:
    payload, display, style = data.payload, data.payload["display"], data.payload["display"]["style"]
    i, j = payload["view"]["pair"]
    place = {"row": 1, "col": 1}
    if payload["truth"] is not None:
        fig.add_trace(_truth_ellipses(payload), **place)
    fig.add_trace(go.Scatter(x=data.points[:, i], y=data.points[:, j], mode="markers", hoverinfo="skip",
                             marker={"size": style["point_size"], "color": point_colors(payload, state),
                                     "line": {"width": 0}}), **place)
    if state.changed.any():
        fig.add_trace(go.Scatter(x=data.points[state.changed, i], y=data.points[state.changed, j], mode="markers",
                                 hoverinfo="skip", marker={"symbol": "circle-open", "size": style["point_size"] + 6,
                                                           "color": display["ink"], "line": {"width": 1.6}}), **place)
    for comp in range(len(state.weights)):
        for s, curve in zip(SIGMA_LEVELS, state.ellipses[comp]):
            fig.add_trace(go.Scatter(x=curve[0], y=curve[1], mode="lines", hoverinfo="skip",
                                     line={"color": display["lines"][comp], "dash": SIGMA_DASH[s],
                                           "width": style["line_width"]}), **place)
        fig.add_trace(go.Scatter(x=[state.means[comp, i]], y=[state.means[comp, j]], mode="markers", hoverinfo="skip",
                                 marker={"symbol": "x", "size": style["mean_size"], "color": display["colors"][comp],
                                         "line": {"width": 1.5, "color": "white"}}), **place)


def _density_view(fig, data: PlayerData, state: FrameState) -> None:
    payload, display, style, view = data.payload, data.payload["display"], data.payload["display"]["style"], data.payload["view"]
    place = {"row": 1, "col": 1}
    edges, heights = np.asarray(view["histogram"]["edges"]), np.asarray(view["histogram"]["heights"])
    fig.add_trace(go.Scatter(x=np.r_[edges[0], edges[:-1], edges[-1]], y=np.r_[0.0, heights, 0.0], mode="lines",
                             line={"shape": "hv", "color": "#bdbdbd", "width": 1}, fill="tozeroy",
                             fillcolor="rgba(189,189,189,0.45)", hoverinfo="skip"), **place)
    if payload["truth"] is not None:
        truth = payload["truth"]
        density = component_densities(state.grid, read_array(truth["weights"]), read_array(truth["means"])[:, 0],
                                      read_array(truth["covariances"])[:, 0, 0]).sum(axis=0)
        fig.add_trace(go.Scatter(x=state.grid, y=density, mode="lines", hoverinfo="skip",
                                 line={"color": display["truth_color"], "dash": "dash", "width": 2}), **place)
    for comp, curve in enumerate(state.densities):
        fig.add_trace(go.Scatter(x=state.grid, y=curve, mode="lines", hoverinfo="skip",
                                 line={"color": display["colors"][comp], "width": style["line_width"]}), **place)
    fig.add_trace(go.Scatter(x=state.grid, y=state.densities.sum(axis=0), mode="lines", hoverinfo="skip",
                             line={"color": display["ink"], "width": style["line_width"] * 1.8}), **place)
    fig.add_trace(go.Scatter(x=data.points[:, 0], y=np.full(len(data.points), view["rug_y"]), mode="markers",
                             hoverinfo="skip", marker={"symbol": "line-ns-open", "size": style["rug_size"],
                                                       "color": point_colors(payload, state), "line": {"width": 1.5}}),
                  **place)
    fig.add_trace(go.Scatter(x=state.means[:, 0], y=np.zeros(len(state.means)), mode="markers", hoverinfo="skip",
                             marker={"symbol": "diamond", "size": style["mean_size"], "color": display["colors"],
                                     "line": {"width": 1.5, "color": "white"}}), **place)


def _curve(fig, payload: dict, state: FrameState) -> None:
    ink, style = payload["display"]["ink"], payload["display"]["style"]
    time = payload["frames"]["curve_time"][state.index]
    place = {"row": 1, "col": 2}
    for series in payload["curves"]:
        x, y = np.asarray(series["x"], dtype=float), np.asarray(series["y"], dtype=float)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", hoverinfo="skip", line={"color": "#c8c8c8", "width": 1.2},
                                 marker={"size": style["curve_marker_size"], "color": "#c8c8c8"}), **place)
        shown = x <= time
        fig.add_trace(go.Scatter(x=x[shown], y=y[shown], mode="lines", hoverinfo="skip",
                                 line={"color": ink, "width": style["line_width"] * 0.8}), **place)
    main = payload["curves"][0]
    fig.add_trace(go.Scatter(x=[main["x"][state.curve_end]], y=[main["y"][state.curve_end]], mode="markers",
                             hoverinfo="skip", cliponaxis=False,
                             marker={"symbol": "circle-open", "size": style["mean_size"], "color": ink,
                                     "line": {"width": style["line_width"]}}), **place)


def _truth_ellipses(payload: dict) -> go.Scatter:
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
    return go.Scatter(x=x, y=y, mode="lines", hoverinfo="skip", connectgaps=False,
                      line={"color": payload["display"]["truth_color"], "dash": "dash", "width": 1.5})
