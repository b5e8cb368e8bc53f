"""One line of plain words for each model control and each of its choices: what it does to the fit.

Shown as the controls' help tooltips (ui/controls.py); the keys are the settings' values.
"""

from __future__ import annotations

from .sources import ARTICLE_2D, quoted

K = "How many Gaussians (components) EM fits to the data."
COVARIANCE = {
    "full": "each component is an ellipse of any width, length and tilt.",
    "tied": "all components share one ellipse shape; only their centres and weights differ.",
    "diag": "ellipses lined up with the axes: no tilt, each axis its own width.",
    "spherical": "each component is a circle, with one width of its own.",
}
INIT = {
    "kmeans++": "means at data points picked far apart from each other, the usual safe start.",
    "kmeans": "run k-means first, then start EM from its clusters.",
    "random_points": f"means at randomly chosen data points, as in {quoted(ARTICLE_2D)}.",
    "random_resp": "give every point random shares of each component, then do an M-step.",
    "manual": "you place the starting means: click the plot, drag them, or type them in the table.",
}
ALGORITHM = {
    "soft": "each point is shared between components in proportion to how likely each one made it.",
    "hard": "each point belongs wholly to its most likely component (like k-means with shapes).",
}
MAX_ITER = "EM stops after this many iterations even if it is still improving."
TOLERANCE = ("Soft EM stops when one iteration gains less than this per data point and the gains are shrinking fast "
             "enough that less than this is left to gain. Hard EM stops when no point changes component.")
REG_COVAR = ("A tiny amount added to every variance so that no component can shrink onto a single point; "
             "raise it if a cluster collapses.")
SEED = "The random numbers of the start: the same seed gives the same start and the same fit."
RESTARTS = "Run EM this many times from different starts and keep the run with the highest log-likelihood."


def choices(explained: dict[str, str], labels: dict[str, str]) -> str:
    """A tooltip listing every choice of a control, one line each, under the label the user sees."""
    return "\n".join(f"- **{labels[key].split(':')[0]}**: {text}" for key, text in explained.items())
