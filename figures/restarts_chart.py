"""restarts_figure: every restart's learning curve, to show that EM finds local optima."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .colors import PALETTE, TRUTH_COLOR


def restarts_figure(result, *, presentation: bool = False) -> go.Figure:
    """One line per restart (thin grey), the best restart thick and coloured; trace r = restart r.

    result : gmm_core.FitResult; result.restarts is a tuple of ndarrays of shape (n_iter_r + 1,)
    """
    font_size = 20 if presentation else 13
    width = 4.0 if presentation else 3.0
    best = result.best_restart
    label = getattr(result, "curve_label", "log-likelihood")  # hard EM: the classification log-likelihood
    fig = go.Figure()
    for r, curve in enumerate(result.restarts):
        curve = np.asarray(curve, dtype=np.float64)
        final = f"{curve[-1]:,.2f}" if curve.size else "n/a"
        is_best = r == best
        fig.add_trace(go.Scatter(
            x=np.arange(len(curve)), y=curve, mode="lines",
            name=f"best: restart {r + 1} (final {label} {final})" if is_best else f"restart {r + 1}",
            line={"color": PALETTE[0] if is_best else TRUTH_COLOR, "width": width if is_best else 1.0},
            opacity=1.0 if is_best else 0.6,
            showlegend=is_best or r == _first_other(best, len(result.restarts)),
            legendgroup="best" if is_best else "others",
            hovertemplate=f"restart {r + 1}<br>iteration %{{x}}<br>{label} %{{y:,.2f}}<extra></extra>",
        ))
    if len(result.restarts) > 1:
        # The legend shows one grey entry standing for all the other restarts.
        for trace in fig.data:
            if trace.legendgroup == "others" and trace.showlegend:
                trace.name = "other restarts"
    # Draw the best curve on top without reordering traces (trace r stays restart r).
    fig.data[best].update(zorder=1)
    fig.update_layout(
        template="plotly_white",
        title={"text": f"{len(result.restarts)} restart(s): each start climbs to its own optimum", "x": 0.0},
        xaxis_title="iteration", yaxis_title=label, font={"size": font_size},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0},
        hovermode="closest", uirevision="em-restarts", meta={"best_restart": best},
    )
    return fig


def _first_other(best: int, n: int) -> int:
    return 1 if best == 0 and n > 1 else 0
