"""The 'How EM works' page's sections: the equations, the hand-stepped example, soft vs hard, local optima.

The numbers come from explorer.teaching (gmm_core.e_step / m_step / fit); this module draws them.
Page-local state lives in session state under keys starting with `how_`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import teaching
from explorer.teaching import EXAMPLES, WorkedExample
from figures.teaching import comparison_figure, step_figure

_EXAMPLE = "how_example"  # the WorkedExample being stepped
_EXAMPLE_ID = "how_example_id"  # (example name, start seed) it was started from
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


def model_and_steps() -> None:
    """The model, the two steps and the log-likelihood, each equation beside what its symbols mean."""
    for heading, latex, meaning in EQUATIONS:
        st.markdown(f"**{heading}**")
        equation, words = st.columns([3, 2], vertical_alignment="center")
        equation.latex(latex)
        words.markdown(meaning)


# --- the worked example ------------------------------------------------------------------------------
def example_controls() -> tuple[str, int]:
    """Which example and which random start; returns (example name, start seed)."""
    st.session_state.setdefault("how_variant", "1d")
    st.session_state.setdefault("how_seed", 0)
    choice, seed = st.columns([3, 1])
    choice.radio("Data", list(EXAMPLES), format_func=EXAMPLES.get, horizontal=True, key="how_variant")
    seed.number_input("Start seed", 0, 10_000, step=1, key="how_seed",
                      help="EM starts with its means at two data points drawn with this seed.")
    return st.session_state["how_variant"], int(st.session_state["how_seed"])


def current_example(name: str, seed: int) -> WorkedExample:
    """The example being stepped, restarted when the data or the start changes."""
    if st.session_state.get(_EXAMPLE_ID) != (name, seed) or _EXAMPLE not in st.session_state:
        _restart(name, seed)
    return st.session_state[_EXAMPLE]


def _restart(name: str, seed: int) -> None:
    st.session_state[_EXAMPLE] = teaching.new_example(name, seed)
    st.session_state[_EXAMPLE_ID] = (name, seed)


def _take(step: str) -> None:
    example = st.session_state[_EXAMPLE]
    st.session_state[_EXAMPLE] = example.e_step() if step == "E" else example.m_step()


def step_buttons(example: WorkedExample) -> None:
    """E-step and M-step, alternately enabled, and a way back to the start."""
    name, seed = st.session_state[_EXAMPLE_ID]
    e, m, reset, _ = st.columns([1, 1, 1, 3])
    e.button("E-step", key="how_e_step", on_click=_take, args=("E",), type="primary" if example.next_step == "E-step" else "secondary",
             disabled=example.next_step != "E-step", width="stretch")
    m.button("M-step", key="how_m_step", on_click=_take, args=("M",), type="primary" if example.next_step == "M-step" else "secondary",
             disabled=example.next_step != "M-step", width="stretch")
    reset.button("Back to the start", key="how_reset", on_click=_restart, args=(name, seed), width="stretch")


def worked_example(example: WorkedExample) -> None:
    """The current state: what just happened, the picture, the parameters and the responsibilities."""
    names = ("x",) if example.X.shape[1] == 1 else ("x₁", "x₂")
    chosen = teaching.chosen_points(example.X)
    st.markdown(_status(example))
    picture, numbers = st.columns([1, 1])
    with picture:
        resp = example.resp if example.resp is not None else example.used_resp
        title = {"E-step": "Before the first E-step: the start" if example.iteration == 0 else "After the M-step",
                 "M-step": "After the E-step: points coloured by responsibility"}[example.next_step]
        figure = step_figure(example.X, example.params, example.before if example.next_step == "E-step" else None,
                             resp, chosen, names, title)
        st.plotly_chart(figure, width="stretch", key="how_step_figure", config=CHART_CONFIG)
        st.caption(_figure_note(example.X.shape[1], example.before is not None and example.next_step == "E-step"))
    with numbers:
        _numbers(example, chosen, names)


def _status(example: WorkedExample) -> str:
    ll = f"log-likelihood **{example.log_likelihood:,.3f}**"
    if example.iteration == 0 and example.next_step == "E-step":
        return f"**Start** (iteration 0): means at two data points, both covariances the data's own, equal weights; {ll}. Press **E-step**."
    if example.next_step == "M-step":
        return (f"**Iteration {example.iteration + 1}, E-step done**: every point now has a responsibility for "
                f"each component; the parameters have not moved yet ({ll}). Press **M-step**.")
    change = example.history[-1] - example.history[-2]
    # reg_covar makes the M-step a regularised update, so at a converged fit the change can be a hair below 0.
    movement = (f"up by {change:,.3g} (an E-step and M-step never lower it)" if change > 1e-9
                else "unchanged: EM has converged")
    return (f"**Iteration {example.iteration}, M-step done**: the parameters were re-estimated from the "
            f"responsibilities; {ll}, {movement}. Press **E-step** to continue.")


def _figure_note(n_features: int, with_before: bool) -> str:
    drawn = ("thin lines are each component's weighted density πₖ·N(x), the thick line their sum, the mixture; "
             "ticks under the axis are the points" if n_features == 1 else
             "ellipses are each component's 1σ and 2σ contours, × its mean")
    before = " Dashed: before the M-step; solid: after." if with_before else ""
    return (f"Grey histogram: the data; {drawn}. Points are coloured by their responsibilities "
            f"(a blend of the component colours; grey before the first E-step); the numbered ones are in the table.{before}")


def _numbers(example: WorkedExample, chosen: np.ndarray, names) -> None:
    fmt = {"format": "%.4f"}
    if example.next_step == "M-step":
        st.markdown("**E-step: responsibilities of six points** (under the current parameters)")
        table = teaching.responsibility_table(example.X, example.params, chosen, names, example.resp)
        st.dataframe(table, hide_index=True, width="stretch", key="how_resp_table",
                     column_config={c: st.column_config.NumberColumn(**fmt) for c in table.columns if c != "point"})
        st.caption("Each γ is the weighted density of its component divided by their sum: the E-step formula, "
                   "row by row. Points far to one side belong almost wholly to one component; those in between are shared.")
        st.markdown("**Current parameters** (the M-step will replace them)")
        st.dataframe(teaching.parameters_with_counts(example.params, names), hide_index=True, width="stretch",
                     key="how_params_table")
        return
    if example.before is None:
        st.markdown("**Starting parameters**")
        st.dataframe(teaching.parameters_with_counts(example.params, names), hide_index=True, width="stretch",
                     key="how_params_table")
        st.caption("Press E-step to see how responsible each component is for six of the points.")
        return
    st.markdown("**M-step: the updated parameters**")
    st.dataframe(teaching.parameters_with_counts(example.params, names, example.counts), hide_index=True,
                 width="stretch", key="how_params_table")
    st.markdown("**Before the M-step**")
    st.dataframe(teaching.parameters_with_counts(example.before, names), hide_index=True, width="stretch",
                 key="how_before_table")
    st.caption("Nₖ is the sum of component k's responsibilities; the new weight is Nₖ/N, the new mean the "
               "responsibility-weighted average of the points, the new covariance their weighted spread around it.")
    with st.expander("The responsibilities this M-step used"):
        table = teaching.responsibility_table(example.X, example.before, chosen, names, example.used_resp)
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(**fmt) for c in table.columns if c != "point"})


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
        (f"hard EM: log-likelihood {hard.log_likelihood:,.2f} after {hard.n_iter} iterations", hard.params, hard_resp),
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
        "between the components in proportion to its responsibilities. **Hard EM** (right, the second article's "
        "variant) gives each point wholly to its most responsible component, so every M-step sees truncated "
        "clusters: the points in the overlap are cut at a boundary, and each component's mean and variance are "
        "estimated from a clipped piece of its cluster. It stops as soon as no point changes cluster, which is a fixed point of a different "
        "objective (the classification likelihood), not a maximum of the mixture likelihood. " + verdict
    )


# --- local optima ------------------------------------------------------------------------------------
@st.cache_data(max_entries=16, show_spinner="Running EM from several starts…")
def _several_starts(seeds: tuple[int, ...]) -> list:
    data = teaching.optima_data()
    return teaching.several_starts(data.X, data.truth.n_components, seeds)


def _new_seeds() -> None:
    st.session_state[_OPTIMA_ROUND] = st.session_state.get(_OPTIMA_ROUND, 0) + 1


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
        f"The best run (bold, seed {seeds[best]}) is the one to keep. Hence the second article's closing advice: "
        "**run EM several times from different starts and keep the fit with the highest log-likelihood.** "
        "The Explorer does exactly that with its *Restarts* setting, and a smarter start (k-means++) makes bad hills rarer."
    )
