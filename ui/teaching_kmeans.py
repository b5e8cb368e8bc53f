"""'From EM to k-means': shrink a shared fixed variance σ² and watch soft EM harden into k-means (Bishop §9.3.2),
then soft EM, hard EM and k-means from the same start, each with its objective."""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import teaching, teaching_kmeans
from figures.teaching_kmeans import fixed_variance_figure, method_figure

CHART_CONFIG = {"displaylogo": False}
_VARIANCE = "how_kmeans_variance"


@st.cache_data(max_entries=32, show_spinner="Running EM at every σ²…")
def _fixed_variance_fits(name: str, seed: int) -> list[teaching_kmeans.FixedVarianceFit]:
    X = teaching.example_data(name).X
    start = teaching.starting_params(X, 2, seed).means
    return [teaching_kmeans.fixed_variance_em(X, start, variance) for variance in teaching_kmeans.variance_steps(X)]


@st.cache_data(max_entries=32, show_spinner=False)
def _three_ways(name: str, seed: int) -> teaching_kmeans.ThreeWays:
    return teaching_kmeans.three_ways(teaching.example_data(name).X, seed)


@st.fragment  # its own widgets rerun only this section
def em_to_kmeans(name: str, seed: int) -> None:
    """The σ² slider with its figure, then the three methods side by side."""
    X = teaching.example_data(name).X
    names = ("x",) if X.shape[1] == 1 else ("x₁", "x₂")
    st.markdown(
        "Give both components the same spherical covariance σ²I, hold it and the weights fixed, and let EM update "
        "only the means: each responsibility γ(z_nk) is then proportional to exp(−‖xₙ − μₖ‖² / 2σ²), so as σ² "
        "shrinks to 0 the nearest mean takes all of it and the soft assignment becomes k-means' hard one. The "
        "M-step's responsibility-weighted means become plain cluster averages, so in the limit EM *is* Lloyd's "
        "k-means (Bishop §9.3.2)."
    )
    steps = teaching_kmeans.variance_steps(X)
    fits = _fixed_variance_fits(name, seed)
    st.session_state.setdefault(_VARIANCE, 0)
    st.select_slider(
        "Shared variance σ² (drag right to shrink it)", options=list(range(len(steps))), key=_VARIANCE,
        format_func=lambda i: f"{steps[i]:.2g}" + (" (the data's variance)" if i == 0 else ""),
    )
    fit = fits[int(st.session_state[_VARIANCE])]
    st.plotly_chart(fixed_variance_figure(X, fit, names), width="stretch", key="how_kmeans_sigma", config=CHART_CONFIG)
    ways = _three_ways(name, seed)
    st.caption(_limit_note(X, fit, ways.kmeans))
    st.subheader("Soft EM, hard EM and k-means from the same start")
    for column, method in zip(st.columns(3), ("soft", "hard", "kmeans")):  # the columns stack on a phone
        column.plotly_chart(method_figure(X, ways, method, names), width="stretch", key=f"how_three_ways_{method}",
                            config=CHART_CONFIG)
    st.markdown(
        "All three start from the worked example's means (the points are coloured by where each method put them, "
        "the curves below show its objective per iteration). **Soft EM** climbs the log-likelihood; **hard EM** climbs "
        "the classification log-likelihood, its bound with one-hot q (see *Why EM climbs* above); **k-means** lowers "
        "J, the sum of squared distances from each point to its centre, which is the classification "
        "log-likelihood of the fixed-σ² model above times −2σ², plus a constant. Each curve moves only one way, "
        "because each method improves its own objective with each step, and each stops at the top (or bottom) of "
        "its own objective: that is why they can end in different places."
    )


def _limit_note(X, fit: teaching_kmeans.FixedVarianceFit, kmeans: teaching_kmeans.KMeansRun) -> str:
    certainty = float(fit.resp.max(axis=1).mean())
    agree = int(np.count_nonzero(fit.labels == kmeans.labels))
    gap = float(np.abs(fit.means - kmeans.centers).max())
    drawn = "the bars are μ ± σ" if X.shape[1] == 1 else "the circles have radius σ and 2σ"
    if agree == len(X) and gap <= 1e-9:
        verdict = "Every point's most responsible component is its k-means cluster, and the means are k-means' centres."
    else:
        verdict = (f"{agree} of {len(X)} points have their k-means cluster as most responsible component; the means "
                   f"are {gap:.2g} from k-means' centres.")
    return (f"σ² = {fit.variance:.3g}, so σ = {np.sqrt(fit.variance):.3g} ({drawn}). EM with this fixed variance "
            f"{_stopped(fit)}; each point's largest responsibility averages {certainty:.3f} "
            f"(1 would be fully hard). {verdict}")


def _stopped(fit: teaching_kmeans.FixedVarianceFit) -> str:
    if fit.converged:
        return f"settled after {fit.n_iter} iterations"
    return (f"was still creeping after {fit.n_iter} iterations (at this σ² the two components are drawn towards one "
            "another, and the last steps are tiny)")
