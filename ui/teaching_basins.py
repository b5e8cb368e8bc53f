"""'The landscape of starting points': the basin-of-attraction map of the 1-D example, k = 2.

Computed once per server (st.cache_data) with a progress bar; a click on a cell shows EM's path from
that start and offers to open it in the Explorer.
"""

from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from explorer import teaching, teaching_basins
from explorer.settings import to_query
from figures.teaching_basins import basin_figure, click_trace_index

from . import state

CHART_KEY = "how_basins"
_CELL = "how_basin_cell"  # (row, col) of the cell clicked last
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


@st.cache_data(max_entries=2, show_spinner=False)
def _basin_map(grid_size: int) -> teaching_basins.BasinMap:
    total = grid_size**2
    bar = st.progress(0.0, text=f"Running EM from {total:,} starts…")
    basins = teaching_basins.basin_map(
        teaching_basins.map_data().X, grid_size,
        on_progress=lambda done, n: bar.progress(done / n, text=f"Running EM from {n:,} starts: {done:,} finished"),
    )
    bar.empty()
    return basins


@st.cache_data(max_entries=64, show_spinner=False)
def _means_path(mu1: float, mu2: float, grid_size: int) -> np.ndarray:
    return teaching_basins.means_path(teaching_basins.map_data().X, mu1, mu2, _basin_map(grid_size))


@st.fragment  # its own widgets rerun only this section
def landscape(start_seed: int) -> None:
    """The map, what it shows in numbers, a clicked start's path and the way to open it in the Explorer."""
    grid_size = teaching_basins.GRID_SIZE
    st.markdown(
        f"Each of the {grid_size**2:,} cells below is one run of soft EM on the 1-D example with k = 2, started with "
        "its means at the cell's (μ₁, μ₂). The other starting parameters are the ones the Explorer uses for typed-in "
        "means: equal weights, and both variances equal to the data's. Every run goes on until its log-likelihood "
        f"changes by less than {teaching_basins.MAP_TOL:.0e} per point; the colour says where it ended."
    )
    basins = _basin_map(grid_size)
    X = teaching_basins.map_data().X
    start = teaching.starting_params(X, 2, start_seed).means[:, 0]
    page_path = _means_path(float(start[0]), float(start[1]), grid_size)
    selected = st.session_state.get(_CELL)
    selected_path = _means_path(*basins.cell(*selected), grid_size) if selected is not None else None
    figure = basin_figure(basins, page_path, selected, selected_path)
    st.plotly_chart(figure, width="stretch", key=CHART_KEY, selection_mode="points", config=CHART_CONFIG,
                    on_select=functools.partial(_remember_click, click_trace_index(basins), grid_size))
    st.caption(
        f"Solid path: EM's means from the worked example's start (seed {start_seed}, ○) to where they settle. "
        "★ marks the global optimum and its label-swapped twin, ◆ a poorer local optimum, ● the saddle on the "
        "dotted diagonal. Click any cell to draw EM's path from that start."
    )
    if selected is not None:
        _selected_start(basins, selected, selected_path)
    st.markdown(_summary(basins))
    with st.expander("Why only the 1-D example?"):
        st.markdown(
            "With k = 2 in one dimension, a start is two numbers, μ₁ and μ₂, so every possible start is a point of "
            "this square and the map is complete. In two dimensions a start is four numbers (two coordinates per "
            "mean): a flat picture could only show a slice through that four-dimensional space of starts, and which "
            "slice to show would be arbitrary. Projecting both means onto the data's first principal axis would fold "
            "many different starts, with different answers, into each cell, so the colours would no longer be true."
        )


def _remember_click(click_trace: int, grid_size: int) -> None:
    """Keep the cell clicked last (row, col). The chart is redrawn with it, which makes it a new widget whose
    selection starts empty, so the click lives on in session state rather than in the chart's selection."""
    event = st.session_state.get(CHART_KEY)
    points = getattr(getattr(event, "selection", None), "points", None) or []
    for point in points:
        index = point.get("point_index", point.get("point_number"))
        if index is not None and point.get("curve_number") == click_trace:
            row, col = divmod(int(index), grid_size)
            if 0 <= row < grid_size:
                st.session_state[_CELL] = (row, col)
                return


def _selected_start(basins: teaching_basins.BasinMap, selected: tuple[int, int], path: np.ndarray) -> None:
    row, col = selected
    mu1, mu2 = basins.cell(row, col)
    solution = basins.solutions[int(basins.solution[row, col])]
    text, button = st.columns([3, 1], vertical_alignment="center")
    text.markdown(
        f"**The start you clicked**: μ₁ = {mu1:.3f}, μ₂ = {mu2:.3f}. EM ends at **{solution.name}** "
        f"(log-likelihood {basins.log_likelihood[row, col]:,.3f}) after {int(basins.n_iter[row, col])} iterations; "
        f"its means finish at ({path[-1, 0]:.3f}, {path[-1, 1]:.3f})."
    )
    if button.button("Open this start in the Explorer", key="how_open_start", type="primary", width="stretch"):
        settings = teaching_basins.explorer_settings(state.current_settings(), mu1, mu2, basins)
        state.apply_settings(settings)
        st.switch_page("pages/explore.py", query_params=to_query(settings))


def _summary(basins: teaching_basins.BasinMap) -> str:
    total = basins.solution.size
    best = [s for s in basins.solutions if s.optimum == 0 and not s.is_saddle]
    poorer = [s for s in basins.solutions if s.optimum > 0 and not s.is_saddle]
    saddle = [s for s in basins.solutions if s.is_saddle]
    share = sum(s.n_starts for s in best) / total
    text = (f"**{share:.0%} of the starts reach the global optimum** (log-likelihood {best[0].log_likelihood:,.2f}) "
            "or its label-swapped twin: the same fit with the two components' names exchanged, which is why the map "
            "is symmetric about the diagonal and both count as the answer.")
    if poorer:
        worst = min(poorer, key=lambda s: s.log_likelihood)
        share = sum(s.n_starts for s in poorer) / total
        text += (f" **{share:.1%} end at a poorer local optimum** (down to log-likelihood {worst.log_likelihood:,.2f}), "
                 "where EM stops because every small change lowers the likelihood, although a better fit exists.")
    if saddle:
        text += (" Starts on the diagonal have μ₁ = μ₂: the two components are identical, get identical "
                 "responsibilities and stay identical forever, so EM ends at a saddle point, one Gaussian in disguise.")
    return text
