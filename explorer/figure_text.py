"""The sentences around the EM figure: what it shows, and the settings line of the offline export."""

from __future__ import annotations

from figures import DISPLAY_CAP, SIGMA_MASS_2D

from .settings import ALGORITHM_LABELS, INIT_LABELS, Settings


def figure_caption(n_points: int, n_features: int) -> str:
    """What the figure draws: the subsample, and what the ellipses or curves mean."""
    shown = min(n_points, DISPLAY_CAP)
    sample = (f"Showing a fixed random {shown:,} of the {n_points:,} points; EM fits all of them. "
              if shown < n_points else "")
    if n_features >= 2:
        masses = ", ".join(f"{100 * SIGMA_MASS_2D[s]:.1f}%" for s in (1, 2, 3))
        what = (f"Solid, dashed and dotted ellipses are each component's 1σ, 2σ and 3σ contours; in 2-D they hold "
                f"{masses} of its mass. Points take the colour of their most responsible component, fainter when "
                "the responsibility is shared; a ring marks a point whose component changed in this E-step.")
        if n_features > 2:
            what = (f"EM fits all {n_features} features; the figure shows them in one plane. Each ellipse is its "
                    "component projected exactly onto that plane (a projected Gaussian is Gaussian), and the colours "
                    f"are the responsibilities computed from all {n_features} features. ") + what
    else:
        what = ("Thin curves are the weighted component densities, the thick curve their sum (the mixture); "
                "the rug under the axis shows each point in the colour of its most responsible component.")
    return sample + what


def settings_line(settings: Settings, n_iter: int, converged: bool) -> str:
    """One line naming the model and how the fit ended, e.g. for the offline export's title block."""
    init = INIT_LABELS[settings.init].split(":")[0]
    algorithm = ALGORITHM_LABELS[settings.algorithm].split(" (")[0]
    ending = f"converged after {n_iter} iterations" if converged else f"stopped after {n_iter} iterations"
    return (f"k = {settings.k} · {settings.covariance_type} covariances · initialisation: {init} · {algorithm} · "
            f"seed {settings.seed} · {ending}")


def slide_title(description: str, settings: Settings) -> str:
    """The title line of a slide film: the data and the model, short enough for one line at 960 px."""
    algorithm = " · hard EM" if settings.algorithm == "hard" else ""
    return f"{description} · k = {settings.k}, {settings.covariance_type} covariances{algorithm}"
