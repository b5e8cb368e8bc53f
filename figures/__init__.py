"""figures: pure functions from a gmm_core fit result to what the browser draws (no streamlit here).

    from figures import display_subsample, player_payload
    shown = X[display_subsample(len(X))]
    payload = player_payload(result, shown, step_mode=True, truth=data.truth)   # JSON-ready dict

The EM player (player/*.js, hosted by ui/em_player.py and inlined in the offline HTML)
plays the payload: it computes each frame's responsibilities, colours, ellipses and densities in
the browser from that frame's parameters. figures.frame_state computes the same in NumPy, and
figures.frame_figure draws one frame as a static Plotly figure (for image exports).
Frames: 'iteration 0 · initial', 'iteration 1', ... or, in step mode, 'iteration 0 · initial',
'iteration 1 · E-step', 'iteration 1 · M-step', ...
"""

from .colors import component_colors
from .ellipses import SIGMA_MASS_2D, ellipse_xy
from .player_payload import placement_payload, player_payload
from .restarts_chart import restarts_figure
from .selection_chart import selection_figure
from .subsample import DISPLAY_CAP, display_subsample

__all__ = [
    "DISPLAY_CAP",
    "SIGMA_MASS_2D",
    "component_colors",
    "display_subsample",
    "ellipse_xy",
    "placement_payload",
    "player_payload",
    "restarts_figure",
    "selection_figure",
]
