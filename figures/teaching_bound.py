"""The bound that touches (Bishop's Figure 9.14, live): log p and L(q, θ) along one mean, and per half-step.

Pure plotly. `bound_slice_figure` takes an `explorer.teaching_bound.BoundSlice` (or anything with its
fields), `half_step_figure` a `HalfSteps`. The gap between the curves, KL(q ‖ p(Z | X, θ)), is shaded.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .colors import INK, rgba

BOUND_COLOR = "#1f77b4"
HARD_COLOR = "#e6550d"
GAP_FILL = rgba(BOUND_COLOR, 0.15)
HEIGHT = 420


def bound_slice_figure(bound, show_hard: bool = False, subscript: str = "₁", close_up: bool = False) -> go.Figure:
    """log p(X | θ) and L(q, θ) as one mean varies; with close_up, only the window `bound.close_up` around its
    current value, where the gap is large enough to see.

    The current value, the gap there, the bound's peak (after an E-step: where the M-step will go) and the
    value before the last M-step are marked. subscript : how the varied mean is named (μ₁ or μ₂)
    """
    mu = f"μ{subscript}"
    fig = make_subplots(rows=1, cols=1)  # a subplot grid of one, so that the layers can address it by row and col
    x = np.asarray(bound.values)
    low, high = bound.close_up
    shown = (x >= low) & (x <= high) if close_up else np.ones(len(x), dtype=bool)
    _slice_layers(fig, bound, shown, show_hard, mu, col=1, legend=not close_up)
    if bound.previous is not None and (not close_up or low <= bound.previous <= high):
        fig.add_vline(x=bound.previous, line={"color": INK, "width": 1, "dash": "dot"})
        fig.add_annotation(x=bound.previous, y=0.02, xref="x", yref="y domain", text=f"{mu} before the M-step ",
                           showarrow=False, xanchor="right", yanchor="bottom", font={"size": 12, "color": INK},
                           bgcolor="rgba(255,255,255,0.8)")
    if close_up:
        title = f"Close-up around the current {mu}"
        fig.update_xaxes(title_text=mu, range=[low, high])
        fig.update_yaxes(title_text="log-likelihood", range=_close_up_range(bound, shown))
    else:
        title = f"ln p and the bound along {mu}"
        fig.update_xaxes(title_text=f"{mu}, the other parameters held at their current values")
        fig.update_yaxes(title_text="log-likelihood", range=_focus(bound, show_hard))
    fig.update_layout(
        template="plotly_white", height=HEIGHT, font={"size": 13}, margin={"t": 40, "b": 40, "l": 60, "r": 10},
        title={"text": title, "x": 0.0, "font": {"size": 14}}, hovermode="closest",
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0.0}, showlegend=not close_up,
    )
    return fig


def _slice_layers(fig, bound, shown, show_hard: bool, mu: str, col: int, legend: bool) -> None:
    """The curves (restricted to the `shown` mask of the slice's values) and the marks, in one column."""
    place = dict(row=1, col=col)
    x = np.asarray(bound.values)[shown]
    has_bound = bound.lower_bound is not None
    if has_bound:
        fig.add_trace(go.Scatter(
            x=x, y=bound.lower_bound[shown], mode="lines", name="bound L(q, θ)", showlegend=legend,
            line={"color": BOUND_COLOR, "width": 3},
            hovertemplate=f"{mu} = %{{x:.3f}}<br>L(q, θ) = %{{y:.3f}}<extra></extra>",
        ), **place)
    fig.add_trace(go.Scatter(
        x=x, y=bound.log_likelihood[shown], mode="lines", name="log p(X | θ)", showlegend=legend,
        line={"color": INK, "width": 3}, fill="tonexty" if has_bound else None, fillcolor=GAP_FILL,
        hovertemplate=f"{mu} = %{{x:.3f}}<br>log p(X | θ) = %{{y:.3f}}<extra></extra>",
    ), **place)
    if has_bound and show_hard:
        fig.add_trace(go.Scatter(
            x=x, y=bound.hard_lower_bound[shown], mode="lines", name="bound with one-hot q (hard EM)",
            showlegend=legend, line={"color": HARD_COLOR, "width": 2, "dash": "dash"},
            hovertemplate=f"{mu} = %{{x:.3f}}<br>L(one-hot q, θ) = %{{y:.3f}}<extra></extra>",
        ), **place)
    all_x = np.asarray(bound.values)
    current_log_p = _at(all_x, bound.log_likelihood, bound.current)
    fig.add_trace(go.Scatter(
        x=[bound.current], y=[current_log_p], mode="markers", name=f"current {mu}", showlegend=legend,
        marker={"size": 12, "color": INK, "line": {"width": 2, "color": "white"}},
        hovertemplate=f"current {mu} = %{{x:.3f}}<br>log p = %{{y:.3f}}<extra></extra>",
    ), **place)
    if not has_bound:
        return
    current_bound = _at(all_x, bound.lower_bound, bound.current)
    fig.add_trace(go.Scatter(
        x=[bound.current, bound.current], y=[current_bound, current_log_p], mode="lines+markers",
        name=f"gap KL = {bound.terms.gap:.4f}", showlegend=legend,
        line={"color": BOUND_COLOR, "width": 2, "dash": "dot"}, marker={"size": 7, "color": BOUND_COLOR},
        hovertemplate=f"KL(q ‖ posterior) = {bound.terms.gap:.4g}<extra></extra>",
    ), **place)
    if bound.previous is None:  # after an E-step: show where the M-step will go
        peak_value = _at(all_x, bound.lower_bound, bound.peak)
        fig.add_trace(go.Scatter(
            x=[bound.peak], y=[peak_value], mode="markers", name="the bound's peak: the M-step's new " + mu,
            showlegend=legend,
            marker={"symbol": "star", "size": 16, "color": BOUND_COLOR, "line": {"width": 1, "color": INK}},
            hovertemplate=f"peak of L at {mu} = %{{x:.3f}}<br>L = %{{y:.3f}}<extra></extra>",
        ), **place)
    if show_hard:
        fig.add_trace(go.Scatter(
            x=[bound.hard_peak], y=[_at(all_x, bound.hard_lower_bound, bound.hard_peak)], mode="markers",
            name="its peak: hard EM's new " + mu, showlegend=legend,
            marker={"symbol": "star", "size": 14, "color": HARD_COLOR, "line": {"width": 1, "color": INK}},
            hovertemplate=f"peak of the hard bound at {mu} = %{{x:.3f}}<extra></extra>",
        ), **place)


def half_step_figure(steps) -> go.Figure:
    """log p and L after every half-step, the gap shaded (top), and the gap KL itself on its own scale (bottom),
    where the touching after each E-step shows however small the steps have become. Hover gives all three."""
    labels = list(steps.labels)
    index = np.arange(len(labels))
    has_bound = ~np.isnan(steps.lower_bound)
    hover = [
        f"{label}<br>log p = {log_p:,.4f}<br>L = {lower:,.4f}<br>KL gap = {gap:.3g}" if bounded
        else f"{label}<br>log p = {log_p:,.4f}<br>(no bound before the first E-step)"
        for label, log_p, lower, gap, bounded in zip(labels, steps.log_likelihood, steps.lower_bound, steps.gap, has_bound)
    ]
    hover = np.array(hover, dtype=object)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.06)
    fig.add_trace(go.Scatter(
        x=index[has_bound], y=steps.lower_bound[has_bound], mode="lines+markers", name="bound L(q, θ)",
        line={"color": BOUND_COLOR, "width": 2}, marker={"size": 6}, text=hover[has_bound],
        hovertemplate="%{text}<extra></extra>",
    ), row=1, col=1)
    fig.add_trace(go.Scatter(
        x=index[has_bound], y=steps.log_likelihood[has_bound], mode="lines", name="gap KL(q ‖ posterior)",
        line={"width": 0, "color": GAP_FILL}, fill="tonexty", fillcolor=GAP_FILL, hoverinfo="skip",
    ), row=1, col=1)
    fig.add_trace(go.Scatter(
        x=index, y=steps.log_likelihood, mode="lines+markers", name="log p(X | θ)", line={"color": INK, "width": 2},
        marker={"size": 6}, text=hover, hovertemplate="%{text}<extra></extra>",
    ), row=1, col=1)
    fig.add_trace(go.Bar(
        x=index[has_bound], y=steps.gap[has_bound], name="the gap KL at each half-step", showlegend=False,
        marker={"color": BOUND_COLOR}, hovertext=hover[has_bound], hovertemplate="%{hovertext}<extra></extra>",
    ), row=2, col=1)
    ticks = index if len(index) <= 12 else index[:: max(1, len(index) // 10)]
    fig.update_xaxes(tickvals=ticks, ticktext=[labels[i] for i in ticks], row=1, col=1)
    fig.update_xaxes(title_text="half-step (iteration · step)", tickvals=ticks, ticktext=[labels[i] for i in ticks],
                     row=2, col=1)
    fig.update_yaxes(title_text="log-likelihood", range=_padded(steps), tickformat=",.1f", row=1, col=1)
    top_gap = float(np.nanmax(steps.gap)) if has_bound.any() else 0.0
    fig.update_yaxes(title_text="gap KL", range=[0, max(top_gap, 1e-3) * 1.15], rangemode="tozero", row=2, col=1)
    fig.update_layout(
        template="plotly_white", height=380, font={"size": 13}, margin={"t": 20, "b": 40, "l": 60, "r": 10},
        legend={"orientation": "h", "y": -0.25, "yanchor": "top", "x": 0.0}, hovermode="closest", bargap=0.5,
    )
    return fig


def _padded(steps, min_span: float = 1.0) -> list[float]:
    """The y range of the half-step curve: every value, padded, and never narrower than min_span (rounding-level
    differences would otherwise fill the axis with 15-digit ticks)."""
    values = np.concatenate([steps.log_likelihood, steps.lower_bound[~np.isnan(steps.lower_bound)]])
    low, high = float(values.min()), float(values.max())
    middle, half = (low + high) / 2, max(high - low, min_span) / 2
    return [middle - 1.1 * half, middle + 1.1 * half]


def _at(x: np.ndarray, y: np.ndarray, value: float) -> float:
    """The curve's value at one of its own points (the slice contains every marked value)."""
    return float(y[int(np.abs(x - value).argmin())])


def _close_up_range(bound, near) -> list[float]:
    """The close-up's y range: log p and the soft bound inside the window (the hard bound may fall below it)."""
    curves = [bound.log_likelihood[near]]
    if bound.lower_bound is not None:
        curves.append(bound.lower_bound[near])
    low, high = min(float(c.min()) for c in curves), max(float(c.max()) for c in curves)
    span = max(high - low, 1e-6)
    return [low - 0.08 * span, high + 0.12 * span]


def _focus(bound, show_hard: bool) -> list[float]:
    """A y range around the interesting part: from the top of log p down past the bound near the current value."""
    top = float(np.max(bound.log_likelihood))
    curves = [bound.log_likelihood]
    if bound.lower_bound is not None:
        curves.append(bound.lower_bound)
        if show_hard:
            curves.append(bound.hard_lower_bound)
    near = np.abs(bound.values - bound.current) <= 0.5 * np.ptp(bound.values)
    bottom = min(float(np.min(curve[near])) for curve in curves)
    span = max(top - bottom, 1e-6)
    return [bottom - 0.05 * span, top + 0.08 * span]
