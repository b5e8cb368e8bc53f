"""figures: pure functions from a gmm_core fit result to a plotly Figure (no streamlit here).

    from figures import build_animation, display_subsample
    idx = display_subsample(len(X))
    fig = build_animation(result, X[idx], step_mode=True, truth=data.truth)

build_animation's figure: data panel (axes x/y, ~70 %) and learning curve (x2/y2, ~30 %).
Traces, in order (fig.layout.meta["roles"] gives the indices, meta["animated"] those frames update):
  2-D: 3 empty legend keys for the 1/2/3-sigma line styles, true ellipses (if truth), points,
       then per component its 1-, 2-, 3-sigma ellipses and its mean;
  1-D: histogram, true density (if truth), k weighted component densities, mixture density, rug;
  then the learning curve, the current-iteration marker, re-seed events (if any).
Frames: 'iteration 0 · initial', 'iteration 1', ... or, in step mode, 'iteration 0 · initial',
'iteration 1 · E-step', 'iteration 1 · M-step', ...  Points are recoloured by one uint8 colour code
each (figures.colors), never by re-sending coordinates.
"""

from .animation import build_animation
from .colors import component_colors
from .ellipses import SIGMA_MASS_2D, ellipse_xy
from .restarts_chart import restarts_figure
from .selection_chart import selection_figure
from .subsample import DISPLAY_CAP, display_subsample

__all__ = [
    "DISPLAY_CAP",
    "SIGMA_MASS_2D",
    "build_animation",
    "component_colors",
    "display_subsample",
    "ellipse_xy",
    "restarts_figure",
    "selection_figure",
]
