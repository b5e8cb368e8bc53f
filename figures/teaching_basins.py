"""The basin-of-attraction map: every start (μ₁, μ₂) coloured by the solution EM reaches from it.

Pure plotly. Takes an `explorer.teaching_basins.BasinMap` (or anything with its fields): the grid of
starts, each cell's solution index, log-likelihood and iteration count, and the solutions. Each
optimum gets a hue; its label-swapped twin the light tint of that hue; the saddle (both components
identical) grey. Clicks land on an invisible scatter of the cell centres (`CLICK_TRACE`), because
a heatmap cannot be selected.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .colors import INK, UNASSIGNED_COLOR

# (dark, light) per optimum rank: the solution with μ₁ < μ₂ takes the dark shade, its twin the light one.
OPTIMUM_SHADES = (("#1f77b4", "#9ecae1"), ("#e6550d", "#fdbe85"), ("#756bb1", "#cbc9e2"), ("#31a354", "#a1d99b"))
SADDLE_COLOR = UNASSIGNED_COLOR
CLICK_TRACE = "starts (click one)"
HEIGHT = 640


def solution_color(solution) -> str:
    """The fill of the cells that end at this solution."""
    if solution.is_saddle:
        return SADDLE_COLOR
    dark, light = OPTIMUM_SHADES[min(solution.optimum, len(OPTIMUM_SHADES) - 1)]
    return dark if solution.order == "μ₁ < μ₂" else light


def click_trace_index(basins) -> int:
    """Where the clickable cell centres sit among the figure's traces: after the heatmap and the legend keys."""
    return 1 + len(basins.solutions)


def basin_figure(basins, path=None, selected: tuple[int, int] | None = None, selected_path=None) -> go.Figure:
    """The map, the solutions marked where they sit, and EM's path from the page's start.

    path : ndarray of shape (n_steps, 2), the means (μ₁, μ₂) after each iteration of the page's run
    selected : (row, col) of a clicked cell, outlined; selected_path its own run's means, shape (n_steps, 2)
    """
    grid = np.asarray(basins.grid)
    colors = [solution_color(s) for s in basins.solutions]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=grid, y=grid, z=basins.solution, zmin=-0.5, zmax=len(colors) - 0.5, colorscale=_stepped(colors),
        showscale=False, hoverinfo="skip", name="where EM ends",
    ))
    _legend_keys(fig, basins.solutions, colors)
    _click_targets(fig, basins)
    _diagonal(fig, grid)
    _solution_marks(fig, basins.solutions)
    if path is not None and len(path):
        _path(fig, np.asarray(path), "EM from the worked example's start", INK, dash="solid")
    if selected is not None:
        row, col = selected
        fig.add_trace(go.Scatter(
            x=[grid[col]], y=[grid[row]], mode="markers", name="the start you clicked",
            marker={"symbol": "square-open", "size": 16, "color": INK, "line": {"width": 3}}, hoverinfo="skip",
        ))
        if selected_path is not None and len(selected_path):
            _path(fig, np.asarray(selected_path), "EM from the start you clicked", "#000000", dash="dot")
    span = [float(grid[0]) - 0.6 * _step(grid), float(grid[-1]) + 0.6 * _step(grid)]
    fig.update_xaxes(title_text="starting μ₁", range=span, constrain="domain")
    fig.update_yaxes(title_text="starting μ₂", range=span, scaleanchor="x", scaleratio=1, constrain="domain")
    fig.update_layout(
        template="plotly_white", height=HEIGHT, font={"size": 13}, margin={"t": 20, "b": 20, "l": 50, "r": 10},
        # Below the map, so that on a phone the map keeps the whole width.
        legend={"orientation": "h", "x": 0.0, "y": -0.12, "yanchor": "top", "font": {"size": 12}}, hovermode="closest",
        clickmode="event+select", dragmode=False,
    )
    return fig


def _stepped(colors: list[str]) -> list[list]:
    """A colour scale that paints integer z = i in colors[i], with hard steps between."""
    n = len(colors)
    if n == 1:
        return [[0.0, colors[0]], [1.0, colors[0]]]
    scale = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def _step(grid: np.ndarray) -> float:
    return float(grid[1] - grid[0]) if len(grid) > 1 else 1.0


def _legend_keys(fig, solutions, colors) -> None:
    for solution, color in zip(solutions, colors):
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=f"{solution.name}: {solution.n_starts:,} starts",
            marker={"symbol": "square", "size": 13, "color": color, "line": {"width": 1, "color": INK}},
            hoverinfo="skip",
        ))


def _click_targets(fig, basins) -> None:
    """One invisible marker per cell centre: the hover text, and what a click selects."""
    grid = np.asarray(basins.grid)
    mu1, mu2 = np.meshgrid(grid, grid)
    names = np.array([s.name for s in basins.solutions], dtype=object)[basins.solution]
    rows, cols = np.indices(basins.solution.shape)
    customdata = np.stack([rows.ravel(), cols.ravel(), basins.log_likelihood.ravel(), basins.n_iter.ravel()], axis=1)
    fig.add_trace(go.Scatter(
        x=mu1.ravel(), y=mu2.ravel(), mode="markers", name=CLICK_TRACE, showlegend=False,
        marker={"symbol": "square", "size": 7, "color": INK, "opacity": 0.0},
        selected={"marker": {"opacity": 0.0}}, unselected={"marker": {"opacity": 0.0}},
        customdata=customdata, text=names.ravel(),
        hovertemplate=("start μ₁ = %{x:.3f}, μ₂ = %{y:.3f}<br>ends at %{text}<br>"
                       "log-likelihood %{customdata[2]:.3f} after %{customdata[3]} iterations<extra></extra>"),
    ))


def _diagonal(fig, grid) -> None:
    fig.add_trace(go.Scatter(
        x=[grid[0], grid[-1]], y=[grid[0], grid[-1]], mode="lines", name="μ₁ = μ₂", showlegend=False,
        line={"color": "white", "width": 1, "dash": "dot"}, hoverinfo="skip",
    ))


def _solution_marks(fig, solutions) -> None:
    """Each solution's final (μ₁, μ₂): stars for the global optimum and its twin, diamonds for poorer ones."""
    for solution in solutions:
        fill = "white"
        if solution.is_saddle:
            symbol, size, fill = "circle", 11, SADDLE_COLOR
        elif solution.optimum == 0:
            symbol, size = "star", 18
        else:
            symbol, size = "diamond", 13
        fig.add_trace(go.Scatter(
            x=[solution.means[0]], y=[solution.means[1]], mode="markers", showlegend=False, name=solution.name,
            marker={"symbol": symbol, "size": size, "color": fill, "line": {"width": 2, "color": INK}},
            hovertemplate=(f"{solution.name}<br>μ₁ = %{{x:.3f}}, μ₂ = %{{y:.3f}}<br>"
                           f"log-likelihood {solution.log_likelihood:.3f}<extra></extra>"),
        ))


def _path(fig, path: np.ndarray, name: str, color: str, dash: str) -> None:
    fig.add_trace(go.Scatter(
        x=path[:, 0], y=path[:, 1], mode="lines+markers", name=name,
        line={"color": color, "width": 2, "dash": dash}, marker={"size": 4, "color": color},
        hovertemplate="after iteration %{text}: μ₁ = %{x:.3f}, μ₂ = %{y:.3f}<extra></extra>",
        text=[str(i) for i in range(len(path))],
    ))
    fig.add_trace(go.Scatter(
        x=path[:1, 0], y=path[:1, 1], mode="markers", showlegend=False, name=f"{name}: start",
        marker={"symbol": "circle", "size": 10, "color": "white", "line": {"width": 2, "color": color}},
        hovertemplate="start: μ₁ = %{x:.3f}, μ₂ = %{y:.3f}<extra></extra>",
    ))
