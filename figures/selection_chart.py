"""selection_figure: BIC or AIC against k, one line per covariance type, for the model-selection page."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .colors import INK, PALETTE

CRITERIA = {"bic": "BIC", "aic": "AIC"}
COVARIANCE_ORDER = ("full", "tied", "diag", "spherical")
SPURIOUS_COLOR = "#111111"  # black: no line uses it (the lines take the palette's hues)
ABOVE_MARKER = "triangle-up"
DODGE = 0.07  # k units between neighbouring covariance types, so equal scores at one k stay visible
PRESENTATION_HEIGHT = 500  # with the page's compact header, fits a 1280x720 projector and a phone


def selection_figure(rows, criterion: str = "bic", true_k=None, recommended=None, *, presentation: bool = False,
                     true_k_name: str = "true k") -> go.Figure:
    """The information criterion of every fitted model.

    rows : sequence of gmm_core.SweepRow
    criterion : 'bic' or 'aic' (lower is better)
    true_k : optional true number of components (or of the labels' classes), drawn as a vertical dashed line
    true_k_name : how the dashed line is labelled ('true k', or 'classes' for labelled data)
    recommended : optional SweepRow, e.g. the best non-spurious model, marked with a star
    Traces: one line per covariance type present (in COVARIANCE_ORDER), then 'spurious fit' markers
    (if any), 'lowest <criterion>' and 'recommended' (if given), then arrows on the top edge for models
    above a zoomed range (if any); layout.meta names them, and meta['above_range'] maps each covariance
    type to its ks above the range. Each line sits a little left or right of its k (by DODGE), so models
    with equal scores at one k do not hide each other.
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
    offsets = {c: DODGE * (i - (len(present) - 1) / 2) for i, c in enumerate(present)}

    def x_of(row):
        return row.n_components + offsets[row.covariance_type]

    for covariance_type in present:
        line = sorted((r for r in rows if r.covariance_type == covariance_type), key=lambda r: r.n_components)
        meta["lines"][covariance_type] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[x_of(r) for r in line], y=[getattr(r, criterion) for r in line], mode="lines+markers",
            name=covariance_type, legendgroup=covariance_type, line={"color": colors[covariance_type], "width": 2},
            marker={"size": marker_size, "color": colors[covariance_type]},
            hovertext=[_hover(r, label, criterion) for r in line], hoverinfo="text",
        ))

    spurious = [r for r in rows if r.spurious]
    if spurious:
        meta["spurious"] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[x_of(r) for r in spurious], y=[getattr(r, criterion) for r in spurious], mode="markers",
            name="spurious fit (a collapsed component)",
            marker={"symbol": "x-thin-open", "size": marker_size * 1.8, "color": SPURIOUS_COLOR, "line": {"width": 3, "color": SPURIOUS_COLOR}},
            hovertext=[_hover(r, label, criterion) for r in spurious], hoverinfo="text",
        ))

    if rows:
        best = min(rows, key=lambda r: getattr(r, criterion))
        meta["best"] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[x_of(best)], y=[getattr(best, criterion)], mode="markers",
            name=f"lowest {label}: k = {best.n_components}, {best.covariance_type}",
            marker={"symbol": "circle-open", "size": marker_size * 2.4, "color": INK, "line": {"width": 3}},
            hovertext=[_hover(best, label, criterion)], hoverinfo="text",
        ))
    if recommended is not None:
        meta["recommended"] = len(fig.data)
        fig.add_trace(go.Scatter(
            x=[x_of(recommended)], y=[getattr(recommended, criterion)], mode="markers",
            name=f"recommended: k = {recommended.n_components}, {recommended.covariance_type}",
            marker={"symbol": "star", "size": marker_size * 2.0, "color": "#ffbf00", "line": {"width": 1.5, "color": INK}},
            hovertext=[_hover(recommended, label, criterion)], hoverinfo="text",
        ))

    if true_k is not None:
        fig.add_vline(x=true_k, line={"dash": "dash", "color": "#8c8c8c", "width": 2},
                      annotation_text=f"{true_k_name} = {true_k}", annotation_position="top")
    y_range = _focused_range([getattr(r, criterion) for r in rows])
    above = [r for r in rows if y_range and getattr(r, criterion) > y_range["range"][1]]
    if above:  # say so on the chart: a line wholly above the zoomed range would otherwise just be missing
        top = y_range["range"][1]
        meta["above_range"] = {c: [r.n_components for r in above if r.covariance_type == c]
                               for c in present if any(r.covariance_type == c for r in above)}
        meta["above"] = []
        for covariance_type, ks_above in meta["above_range"].items():  # arrows on the top edge, in the line's colour
            meta["above"].append(len(fig.data))
            line = [r for r in above if r.covariance_type == covariance_type]
            fig.add_trace(go.Scatter(
                x=[x_of(r) for r in line], y=[top] * len(line), mode="markers", cliponaxis=False, showlegend=False,
                legendgroup=covariance_type, name=f"{covariance_type}: above the zoomed range",
                marker={"symbol": ABOVE_MARKER, "size": marker_size * 1.3, "color": colors[covariance_type],
                        "line": {"width": 1, "color": INK}},
                hovertext=[_hover(r, label, criterion) for r in line], hoverinfo="text",
            ))
        fig.add_annotation(
            text="▲ above this zoomed range" + ("" if presentation else " (double-click to see all)") + ":<br>"
            + "<br>".join(f"{', '.join(types)} at k = {spans}" for spans, types in _by_spans(meta["above_range"])),
            xref="paper", yref="paper", x=0.0, y=0.95, xanchor="left", yanchor="top", showarrow=False, align="left",
            font={"size": 15 if presentation else font_size - 1, "color": INK}, bgcolor="rgba(255,255,255,0.85)",
        )
    ks = sorted({r.n_components for r in rows})
    fig.update_layout(
        template="plotly_white", font={"size": font_size},
        title={"text": f"{label} against the number of components", "x": 0.0},
        xaxis={"title": {"text": "number of components k"}, "tickmode": "array", "tickvals": ks, "zeroline": False},
        yaxis={"title": {"text": f"{label} (lower is better)"}, **y_range},
        legend={"orientation": "h", "y": -0.2, "yanchor": "top", "x": 0.0},
        margin={"t": 90}, hovermode="closest", uirevision="em-selection", meta=meta,
    )
    if presentation:  # the page's title names the chart; large ticks, a legend that still fits a phone
        fig.update_layout(height=PRESENTATION_HEIGHT, title=None, margin={"t": 30, "b": 10, "l": 10, "r": 10},
                          legend={"y": -0.3, "font": {"size": 16}})
        fig.update_xaxes(tickfont={"size": 18}, title_font={"size": 20})
        fig.update_yaxes(tickfont={"size": 18}, title_font={"size": 20})
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
    pad = 0.08 * (top - low)  # the lowest model's ring stays whole
    return {"range": [low - pad, top + pad], "autorange": False}


def _by_spans(above_range: dict) -> list[tuple[str, list[str]]]:
    """Covariance types grouped by the ks they have above the range, so the note stays a few short lines."""
    groups: dict[str, list[str]] = {}
    for covariance_type, ks in above_range.items():
        groups.setdefault(_spans(ks), []).append(covariance_type)
    return list(groups.items())


def _spans(ks) -> str:
    """1, 2, 3, 5 -> '1–3, 5': the ks above the range, short enough for a phone."""
    spans, start = [], ks[0]
    for previous, k in zip(ks, ks[1:] + [None]):
        if k is None or k != previous + 1:
            spans.append(f"{start}" if start == previous else f"{start}–{previous}")
            start = k
    return ", ".join(spans)


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
