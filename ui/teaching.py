"""The 'How EM works' page's sections: the equations, soft vs hard, local optima.

The hand-stepped example is in ui.teaching_stepper, the newer panels in ui.teaching_* modules.
The numbers come from explorer.teaching (gmm_core.e_step / m_step / fit); this module draws them.
Page-local state lives in session state under keys starting with `how_`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import teaching
from explorer.sources import ARTICLE_1D, ARTICLE_2D, BISHOP, quoted
from figures.teaching import comparison_figure

_OPTIMA_ROUND = "how_optima_round"
N_STARTS = 8
CHART_CONFIG = {"displaylogo": False}

# (equation, what its symbols mean) in the order of Bishop's summary of EM for Gaussian mixtures (§9.2.2).
EQUATIONS = (
    (
        "The model: a mixture of K Gaussians",
        r"p(\mathbf{x}) = \sum_{k=1}^{K} \pi_k\, \mathcal{N}(\mathbf{x} \mid \boldsymbol{\mu}_k, \boldsymbol{\Sigma}_k)",
        "$\\pi_k$: the weight of component $k$ (positive, summing to 1) · $\\boldsymbol{\\mu}_k$: its mean · "
        "$\\boldsymbol{\\Sigma}_k$: its covariance (its spread and tilt) · $\\mathcal{N}$: the Gaussian density.",
    ),
    (
        "E-step: responsibilities (Bishop 9.23)",
        r"\gamma(z_{nk}) = \frac{\pi_k\, \mathcal{N}(\mathbf{x}_n \mid \boldsymbol{\mu}_k, \boldsymbol{\Sigma}_k)}"
        r"{\sum_{j=1}^{K} \pi_j\, \mathcal{N}(\mathbf{x}_n \mid \boldsymbol{\mu}_j, \boldsymbol{\Sigma}_j)}",
        "$\\gamma(z_{nk})$: the responsibility of component $k$ for point $\\mathbf{x}_n$, the probability that "
        "$k$ produced it given the current parameters. Each point's responsibilities sum to 1: a soft assignment.",
    ),
    (
        "M-step: means (Bishop 9.24)",
        r"\boldsymbol{\mu}_k^{\text{new}} = \frac{1}{N_k} \sum_{n=1}^{N} \gamma(z_{nk})\, \mathbf{x}_n,"
        r"\qquad N_k = \sum_{n=1}^{N} \gamma(z_{nk})",
        "$N_k$: the effective number of points of component $k$ (Bishop 9.27) · the new mean is the average "
        "of all points, each weighted by its responsibility.",
    ),
    (
        "M-step: covariances (Bishop 9.25)",
        r"\boldsymbol{\Sigma}_k^{\text{new}} = \frac{1}{N_k} \sum_{n=1}^{N} \gamma(z_{nk})\,"
        r"(\mathbf{x}_n - \boldsymbol{\mu}_k^{\text{new}})(\mathbf{x}_n - \boldsymbol{\mu}_k^{\text{new}})^{\top}",
        "The responsibility-weighted spread of the points around the new mean. The code adds a tiny "
        "`reg_covar` (10⁻⁶) to the variances so that a component can never become infinitely thin.",
    ),
    (
        "M-step: weights (Bishop 9.26)",
        r"\pi_k^{\text{new}} = \frac{N_k}{N}",
        "$N$: the number of points · each weight is the share of the points the component is responsible for.",
    ),
    (
        "Log-likelihood (Bishop 9.28)",
        r"\ln p(\mathbf{X} \mid \boldsymbol{\pi}, \boldsymbol{\mu}, \boldsymbol{\Sigma}) = \sum_{n=1}^{N}"
        r" \ln \left\{ \sum_{k=1}^{K} \pi_k\, \mathcal{N}(\mathbf{x}_n \mid \boldsymbol{\mu}_k, \boldsymbol{\Sigma}_k) \right\}",
        "How well the parameters explain the data (higher is better). An E-step followed by an M-step never "
        "lowers it; EM stops when it changes by less than the tolerance.",
    ),
)


# On a phone, display equations are set at the text's size (KaTeX sets them 21% larger) so they fit the screen;
# anything still wider scrolls sideways inside its own box.
_EQUATION_CSS = """<style>
.katex-display { overflow-x: auto; overflow-y: hidden; }
@media (max-width: 640px) { .katex-display > .katex { font-size: 1em; } }
</style>"""


def model_and_steps() -> None:
    """The model, the two steps and the log-likelihood, each equation beside what its symbols mean."""
    st.html(_EQUATION_CSS)
    for heading, latex, meaning in EQUATIONS:
        st.markdown(f"**{heading}**")
        equation, words = st.columns([3, 2], vertical_alignment="center")
        equation.latex(latex)
        words.markdown(meaning)


# --- soft versus hard ------------------------------------------------------------------------------
@st.cache_data(max_entries=32, show_spinner=False)
def _soft_and_hard(name: str, seed: int) -> teaching.SoftHard:
    return teaching.soft_and_hard(teaching.example_data(name).X, seed=seed)


def soft_versus_hard(name: str, seed: int) -> None:
    """Soft and hard EM from the worked example's start, run to convergence, side by side."""
    X = teaching.example_data(name).X
    names = ("x",) if X.shape[1] == 1 else ("x₁", "x₂")
    outcome = _soft_and_hard(name, seed)
    soft, hard = outcome.soft, outcome.hard
    hard_resp = np.eye(hard.params.n_components)[hard.params.predict(X)]
    panels = [
        (f"soft EM: log-likelihood {soft.log_likelihood:,.2f} after {soft.n_iter} iterations", soft.params, None),
        (f"hard EM: classification log-likelihood {hard.objective:,.2f} (log-likelihood {hard.log_likelihood:,.2f}) "
         f"after {hard.n_iter} iterations", hard.params, hard_resp),
    ]
    st.plotly_chart(comparison_figure(X, panels, names), width="stretch", key="how_soft_hard", config=CHART_CONFIG)
    gap = soft.log_likelihood - hard.log_likelihood
    moved = float(np.abs(np.sort(soft.params.means, axis=0) - np.sort(hard.params.means, axis=0)).max())
    if gap > 0.01:
        verdict = (f"Here hard EM stopped {gap:,.2f} below soft EM, with means up to {moved:.2f} apart: it found a "
                   "different, worse fit of the mixture.")
    else:
        verdict = ("Here the clusters barely overlap, so almost every point is nearly certain anyway and both "
                   f"variants end in about the same place (log-likelihoods within {abs(gap):.2g}).")
    st.markdown(
        "Both start from the same parameters as the worked example above. **Soft EM** (left) shares each point "
        "between the components in proportion to its responsibilities. **Hard EM** (right, the variant of "
        f"{quoted(ARTICLE_1D)}) gives each point wholly to its most responsible component, so every M-step sees truncated "
        "clusters: the points in the overlap are cut at a boundary, and each component's mean and variance are "
        "estimated from a clipped piece of its cluster. It stops as soon as no point changes cluster, which is a fixed point of a different "
        "objective (the classification likelihood), not a maximum of the mixture likelihood. "
        "That is why hard EM reports two numbers: the **classification log-likelihood** it climbs scores each point "
        "by its best component alone (the log of the largest πₖ·N(x), one term), so it always sits below the "
        "**log-likelihood**, which adds up every component's share (the log of the sum), most of all for points in "
        "the overlap. " + verdict
    )


# --- local optima ------------------------------------------------------------------------------------
@st.cache_data(max_entries=16, show_spinner="Running EM from several starts…")
def _several_starts(seeds: tuple[int, ...]) -> list:
    data = teaching.optima_data()
    return teaching.several_starts(data.X, data.truth.n_components, seeds)


def _new_seeds() -> None:
    st.session_state[_OPTIMA_ROUND] = st.session_state.get(_OPTIMA_ROUND, 0) + 1


@st.fragment  # its own widgets rerun only this section
def local_optima() -> None:
    """The same data fitted from several random starts: different starts, different answers."""
    data = teaching.optima_data()
    k = data.truth.n_components
    first = st.session_state.get(_OPTIMA_ROUND, 0) * N_STARTS
    seeds = tuple(range(first, first + N_STARTS))
    results = _several_starts(seeds)
    finals = np.array([r.log_likelihood for r in results])
    best = int(finals.argmax())
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.markdown(
        f"{len(data.X)} points drawn from {k} Gaussian blobs, fitted with k = {k} from {N_STARTS} random starts "
        f"(seeds {seeds[0]} to {seeds[-1]}; means at random data points). They reached "
        f"**{teaching.distinct_optima(results)} different log-likelihoods**, from {finals.min():,.1f} to "
        f"{finals.max():,.1f}. EM only climbs: it stops at the top of whichever hill it started on."
    )
    button.button("Rerun with new seeds", key="how_new_seeds", on_click=_new_seeds, width="stretch")
    panels = [(f"seed {seed}: {r.log_likelihood:,.1f}", r.params, None) for seed, r in zip(seeds, results)]
    figure = comparison_figure(data.X, panels, ("x₁", "x₂"), columns=4, highlight=best)
    st.plotly_chart(figure, width="stretch", key="how_optima", config=CHART_CONFIG)
    st.markdown(
        f"The best run (★, framed in gold: seed {seeds[best]}) is the one to keep. Hence the closing advice of "
        f"{quoted(ARTICLE_1D)}: "
        "**run EM several times from different starts and keep the fit with the highest log-likelihood.** "
        "The Explorer does exactly that with its *Restarts* setting, and a smarter start (k-means++) makes bad hills rarer."
    )


# --- sources -----------------------------------------------------------------------------------------
def sources() -> None:
    """The works this page and the Explorer follow, in full, once."""
    st.markdown(
        f"- {BISHOP}: the model, the E- and M-step equations (9.23–9.28), the bound that touches (§9.4) and k-means "
        "as EM's limit (§9.3.2).\n"
        f"- {quoted(ARTICLE_2D)}: Bishop's EM on two tight 2-D clusters, started from random data points (the "
        "2-D example here and the Explorer's *Two tight clusters*).\n"
        f"- {quoted(ARTICLE_1D)}: EM on 1-D data, hard assignments, and how the start decides the end (the 1-D "
        "example here and the Explorer's *Two overlapping Gaussians*)."
    )
