"""selection_figure: BIC or AIC against k, one line per covariance type, for the model-selection page."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .colors import INK, PALETTE

CRITERIA = {"bic": "BIC", "aic": "AIC"}
COVARIANCE_ORDER = ("full", "tied", "diag", "spherical")
SPURIOUS_COLOR = "#d62728"


def selection_figure(rows, criterion: str = "bic", true_k=None, recommended=None, *, presentation: bool = False,
                     true_k_name: str = "true k") -> go.Figure:
    """The information criterion of every fitted model.

    rows : sequence of gmm_core.SweepRow
    criterion : 'bic' or 'aic' (lower is better)
    true_k : optional true number of components (or of the labels' classes), drawn as a vertical dashed line
    true_k_name : how the dashed line is labelled ('true k', or 'classes' for labelled data)
    recommended : optional SweepRow, e.g. the best non-spurious model, marked with a star
    Traces: one line per covariance type present (in COVARIANCE_ORDER), then 'spurious fit' markers
    (if any), 'lowest <criterion>' and 'recommended' (if given); layout.meta names them.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {sorted(CRITERIA)}, not {criterion!r}.")
    label = CRITERIA[criterion]
    rows = [row for row in rows if np.isfinite(getattr(row, criterion))]
    font_size = 20 if presentation else 13
    marker_size = 14 if presentation else 9
    fig = go.Figure()
    meta = {"criterion": criterion, "lines": {}}
    present = [c for c in COVARIANCE_ORDER if any(r.covariance_type == c for r in rows)]
    present += sorted({r.covariance_type for r in rows} - set(present))
    colors = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(present)}

    for covariance_type in present:
        line = sorted((r for r in rows if r.covariance_type == covariance_type), key=lambda r: r.n_components)
        meta["lines"][covariance_type] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[r.n_components for r in line], y=[getattr(r, criterion) for r in line], mode="lines+markers",
            name=covariance_type, line={"color": colors[covariance_type], "width": 2},
            marker={"size": marker_size, "color": colors[covariance_type]},
            hovertext=[_hover(r, label, criterion) for r in line], hoverinfo="text",
        ))

    spurious = [r for r in rows if r.spurious]
    if spurious:
        meta["spurious"] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[r.n_components for r in spurious], y=[getattr(r, criterion) for r in spurious], mode="markers",
            name="spurious fit (a component collapsed onto a few points)",
            marker={"symbol": "x-thin-open", "size": marker_size * 1.8, "color": SPURIOUS_COLOR, "line": {"width": 3, "color": SPURIOUS_COLOR}},
            hovertext=[_hover(r, label, criterion) for r in spurious], hoverinfo="text",
        ))

    if rows:
        best = min(rows, key=lambda r: getattr(r, criterion))
        meta["best"] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[best.n_components], y=[getattr(best, criterion)], mode="markers",
            name=f"lowest {label}: k = {best.n_components}, {best.covariance_type}",
            marker={"symbol": "circle-open", "size": marker_size * 2.4, "color": INK, "line": {"width": 3}},
            hovertext=[_hover(best, label, criterion)], hoverinfo="text",
        ))
    if recommended is not None:
        meta["recommended"] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[recommended.n_components], y=[getattr(recommended, criterion)], mode="markers",
            name=f"recommended: k = {recommended.n_components}, {recommended.covariance_type}",
            marker={"symbol": "star", "size": marker_size * 2.0, "color": "#ffbf00", "line": {"width": 1.5, "color": INK}},
            hovertext=[_hover(recommended, label, criterion)], hoverinfo="text",
        ))

    if true_k is not None:
        fig.add_vline(x=true_k, line={"dash": "dash", "color": "#8c8c8c", "width": 2},
                      annotation_text=f"{true_k_name} = {true_k}", annotation_position="top")
    fig.add_annotation(
        text=f"lower is better (scikit-learn's sign convention: {label} = {_formula(criterion)})",
        xref="paper", yref="paper", x=1.0, y=1.0, xanchor="right", yanchor="bottom", showarrow=False,
        font={"size": font_size - 1, "color": "#555555"},
    )
    ks = sorted({r.n_components for r in rows})
    fig.update_layout(
        template="plotly_white", font={"size": font_size},
        title={"text": f"{label} against the number of components", "x": 0.0},
        xaxis={"title": {"text": "number of components k"}, "tickmode": "array", "tickvals": ks, "zeroline": False},
        yaxis={"title": {"text": label}, **_focused_range([getattr(r, criterion) for r in rows])},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0.0},
        margin={"t": 90}, hovermode="closest", uirevision="em-selection", meta=meta,
    )
    return fig


def _focused_range(values) -> dict:
    """Zoom the y axis onto the competitive models: poor fits (k = 1, spherical) can be thousands of
    units higher and would flatten the region where the choice is made. Double-click shows everything."""
    if len(values) < 4:
        return {}
    low, median, high = float(np.min(values)), float(np.median(values)), float(np.max(values))
    top = low + 4.0 * (median - low)
    if top >= high or median <= low:
        return {}
    pad = 0.05 * (top - low)
    return {"range": [low - pad, top + pad], "autorange": False}


def _formula(criterion: str) -> str:
    return "−2 log L + p log n" if criterion == "bic" else "−2 log L + 2p"


def _hover(row, label: str, criterion: str) -> str:
    lines = [
        f"k = {row.n_components}, {row.covariance_type}",
        f"{label} = {getattr(row, criterion):,.1f}",
        f"log-likelihood = {row.log_likelihood:,.1f}, {row.n_parameters} parameters",
        "converged" if row.converged else "did not converge",
    ]
    if row.spurious:
        components = ", ".join(str(c + 1) for c in row.spurious_components)
        lines.append(f"⚠ spurious: component(s) {components} sit on a few repeated values")
    return "<br>".join(lines)
