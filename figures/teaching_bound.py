"""The bound that touches (Bishop's Figure 9.14, live): log p and L(q, θ) along one mean, and per half-step.

Pure plotly. `bound_slice_figure` takes an `explorer.teaching_bound.BoundSlice` (or anything with its
fields), `half_step_figure` a `HalfSteps`. The gap between the curves, KL(q ‖ p(Z | X, θ)), is shaded.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .colors import INK, rgba

BOUND_COLOR = "#1f77b4"
HARD_COLOR = "#e6550d"
GAP_FILL = rgba(BOUND_COLOR, 0.15)
HEIGHT = 400


def bound_slice_figure(bound, show_hard: bool = False, subscript: str = "₁") -> go.Figure:
    """log p(X | θ) and L(q, θ) as one mean varies; the current value, the bound's peak, the gap.

    subscript : how the varied mean is named on the axis (μ₁ or μ₂)
    """
    mu = f"μ{subscript}"
    x = np.asarray(bound.values)
    fig = go.Figure()
    has_bound = bound.lower_bound is not None
    if has_bound:
        fig.add_trace(go.Scatter(
            x=x, y=bound.lower_bound, mode="lines", name="bound L(q, θ)", line={"color": BOUND_COLOR, "width": 3},
            hovertemplate=f"{mu} = %{{x:.3f}}<br>L(q, θ) = %{{y:.3f}}<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=x, y=bound.log_likelihood, mode="lines", name="log p(X | θ)", line={"color": INK, "width": 3},
        fill="tonexty" if has_bound else None, fillcolor=GAP_FILL,
        hovertemplate=f"{mu} = %{{x:.3f}}<br>log p(X | θ) = %{{y:.3f}}<extra></extra>",
    ))
    if has_bound and show_hard:
        fig.add_trace(go.Scatter(
            x=x, y=bound.hard_lower_bound, mode="lines", name="bound with one-hot q (hard EM)",
            line={"color": HARD_COLOR, "width": 2, "dash": "dash"},
            hovertemplate=f"{mu} = %{{x:.3f}}<br>L(one-hot q, θ) = %{{y:.3f}}<extra></extra>",
        ))
    current_log_p = _at(x, bound.log_likelihood, bound.current)
    fig.add_trace(go.Scatter(
        x=[bound.current], y=[current_log_p], mode="markers", name=f"current {mu}",
        marker={"size": 12, "color": INK, "line": {"width": 2, "color": "white"}},
        hovertemplate=f"current {mu} = %{{x:.3f}}<br>log p = %{{y:.3f}}<extra></extra>",
    ))
    if has_bound:
        current_bound = _at(x, bound.lower_bound, bound.current)
        fig.add_trace(go.Scatter(
            x=[bound.current, bound.current], y=[current_bound, current_log_p], mode="lines",
            name=f"gap KL = {bound.terms.gap:.4f}", line={"color": BOUND_COLOR, "width": 2, "dash": "dot"},
            hovertemplate=f"KL(q ‖ posterior) = {bound.terms.gap:.4g}<extra></extra>",
        ))
        if bound.previous is None:  # after an E-step: show where the M-step will go
            peak_value = _at(x, bound.lower_bound, bound.peak)
            fig.add_trace(go.Scatter(
                x=[bound.peak], y=[peak_value], mode="markers", name="the bound's peak: the M-step's new " + mu,
                marker={"symbol": "star", "size": 16, "color": BOUND_COLOR, "line": {"width": 1, "color": INK}},
                hovertemplate=f"peak of L at {mu} = %{{x:.3f}}<br>L = %{{y:.3f}}<extra></extra>",
            ))
            if abs(bound.peak - bound.current) > 1e-9:
                fig.add_annotation(x=bound.peak, y=peak_value, ax=bound.current, ay=current_bound, xref="x", yref="y",
                                   axref="x", ayref="y", showarrow=True, arrowhead=3, arrowwidth=2,
                                   arrowcolor=BOUND_COLOR, text="")
        if show_hard:
            fig.add_trace(go.Scatter(
                x=[bound.hard_peak], y=[_at(x, bound.hard_lower_bound, bound.hard_peak)], mode="markers",
                name="its peak: hard EM's new " + mu,
                marker={"symbol": "star", "size": 14, "color": HARD_COLOR, "line": {"width": 1, "color": INK}},
                hovertemplate=f"peak of the hard bound at {mu} = %{{x:.3f}}<extra></extra>",
            ))
    if bound.previous is not None:
        fig.add_vline(x=bound.previous, line={"color": INK, "width": 1, "dash": "dot"})
        fig.add_annotation(x=bound.previous, y=1.0, yref="paper", text=f"{mu} before the M-step", showarrow=False,
                           yanchor="bottom", font={"size": 12, "color": INK})
    fig.update_xaxes(title_text=f"{mu}, the other parameters held at their current values")
    fig.update_yaxes(title_text="log-likelihood", range=_focus(bound, show_hard))
    fig.update_layout(
        template="plotly_white", height=HEIGHT, font={"size": 13}, margin={"t": 30, "b": 40, "l": 60, "r": 10},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0.0}, hovermode="closest",
    )
    return fig


def half_step_figure(steps) -> go.Figure:
    """log p and L after every half-step; the gap shaded; hover gives all three numbers."""
    labels = list(steps.labels)
    index = np.arange(len(labels))
    has_bound = ~np.isnan(steps.lower_bound)
    hover = [
        f"{label}<br>log p = {log_p:,.4f}<br>L = {lower:,.4f}<br>KL gap = {gap:.3g}" if bounded
        else f"{label}<br>log p = {log_p:,.4f}<br>(no bound before the first E-step)"
        for label, log_p, lower, gap, bounded in zip(labels, steps.log_likelihood, steps.lower_bound, steps.gap, has_bound)
    ]
    hover = np.array(hover, dtype=object)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=index[has_bound], y=steps.lower_bound[has_bound], mode="lines+markers", name="bound L(q, θ)",
        line={"color": BOUND_COLOR, "width": 2}, marker={"size": 6}, text=hover[has_bound],
        hovertemplate="%{text}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=index[has_bound], y=steps.log_likelihood[has_bound], mode="lines", name="gap KL(q ‖ posterior)",
        line={"width": 0, "color": GAP_FILL}, fill="tonexty", fillcolor=GAP_FILL, hoverinfo="skip",
    ))
    fig.add_trace(go.Scatter(
        x=index, y=steps.log_likelihood, mode="lines+markers", name="log p(X | θ)", line={"color": INK, "width": 2},
        marker={"size": 6}, text=hover, hovertemplate="%{text}<extra></extra>",
    ))
    ticks = index if len(index) <= 12 else index[:: max(1, len(index) // 10)]
    fig.update_xaxes(title_text="half-step (iteration · step)", tickvals=ticks, ticktext=[labels[i] for i in ticks])
    fig.update_yaxes(title_text="log-likelihood", range=_padded(steps), tickformat=",.1f")
    fig.update_layout(
        template="plotly_white", height=300, font={"size": 13}, margin={"t": 20, "b": 40, "l": 60, "r": 10},
        legend={"orientation": "h", "y": -0.35, "yanchor": "top", "x": 0.0}, hovermode="closest",
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
