"""'Why EM climbs': the lower bound that touches, live on the worked example (Bishop's Figure 9.14).

Drawn inside the stepping fragment, so the page's E-step and M-step buttons move it.
"""

from __future__ import annotations

import streamlit as st

from explorer import teaching_bound
from explorer.teaching import WorkedExample
from figures.teaching_bound import bound_slice_figure, half_step_figure

CHART_CONFIG = {"displaylogo": False}
# Two short lines rather than one long one, so that a phone's screen holds them.
DECOMPOSITION = (
    r"\begin{aligned} \ln p(\mathbf{X} \mid \boldsymbol{\theta}) &= \mathcal{L}(q, \boldsymbol{\theta})"
    r" + \mathrm{KL}(q \,\|\, p(\mathbf{Z} \mid \mathbf{X}, \boldsymbol{\theta})) \\"
    r" \mathcal{L}(q, \boldsymbol{\theta}) &= \textstyle\sum_{n} \sum_{k} q_{nk}"
    r" \ln \frac{\pi_k \mathcal{N}(\mathbf{x}_n \mid \boldsymbol{\mu}_k, \boldsymbol{\Sigma}_k)}{q_{nk}}"
    r" \end{aligned}"
)
_COMPONENT = "how_bound_component"
_HARD = "how_bound_hard"


def bound_that_touches(example: WorkedExample) -> None:
    """The decomposition, the slice of log p and L along one mean (1-D), and both at every half-step."""
    st.markdown(
        "Why does an E-step followed by an M-step never lower the log-likelihood? For *any* responsibilities q "
        "(each point's row a probability distribution over the components), the log-likelihood splits into two "
        "terms (Bishop 9.70–9.72; Neal & Hinton, 1998):"
    )
    st.latex(DECOMPOSITION)
    st.markdown(
        "The KL divergence is never negative, so **𝓛 is a lower bound** on ln p. The **E-step** sets q to the "
        "responsibilities γ, the posterior, which makes KL zero: the bound *touches* ln p. The **M-step** moves θ "
        "to the bound's maximum, so the bound rises; ln p lay on the bound before and lies above it after, so it "
        "rises at least as much. The gap reopens because q is now out of date, and the next E-step closes it."
    )
    if example.X.shape[1] == 1:
        _slice(example)
    else:
        st.info("The picture of the bound along one mean is drawn for the 1-D example, where a mean is a single "
                "number: choose the 1-D data above to see it. The curve of both terms per half-step is below.",
                icon="ℹ️")
    _half_steps(example)


def _slice(example: WorkedExample) -> None:
    st.session_state.setdefault(_COMPONENT, 0)
    which, hard = st.columns([2, 3], vertical_alignment="bottom")
    which.radio("Vary", [0, 1], format_func=lambda k: f"μ{'₁₂'[k]}", horizontal=True, key=_COMPONENT,
                help="The mean along which log p and the bound are drawn; every other parameter stays at its current value.")
    hard.toggle("Also show the bound with one-hot q (hard EM)", key=_HARD)
    component = int(st.session_state[_COMPONENT])
    show_hard = bool(st.session_state.get(_HARD))
    bound = teaching_bound.bound_slice(example, component)
    mu = f"μ{'₁₂'[component]}"
    # Two charts in columns rather than one with two panels: on a phone the columns stack. (The hard bound lies
    # far below the close-up's window.)
    wide, close = st.columns([3, 2])
    wide.plotly_chart(bound_slice_figure(bound, show_hard, "₁₂"[component]), width="stretch", key="how_bound_slice",
                      config=CHART_CONFIG)
    close.plotly_chart(bound_slice_figure(bound, False, "₁₂"[component], close_up=True), width="stretch",
                       key="how_bound_close_up", config=CHART_CONFIG)
    st.caption(_slice_story(example, bound, mu))
    if bound.terms is not None:
        log_p, lower, gap = st.columns(3)
        log_p.metric("log p(X | θ)", f"{bound.terms.log_likelihood:,.4f}")
        lower.metric("bound 𝓛(q, θ)", f"{bound.terms.lower_bound:,.4f}")
        gap.metric("gap KL", f"{bound.terms.gap:,.4f}")
    if show_hard and bound.hard_terms is not None:
        st.markdown(_hard_story(bound, mu))


def _slice_story(example: WorkedExample, bound, mu: str) -> str:
    if bound.terms is None:
        return (f"The black curve is ln p(X | θ) as {mu} varies, everything else fixed at the start. There is no "
                "bound yet: it needs the responsibilities q of an E-step. Press E-step.")
    if bound.previous is None:
        return (f"The E-step has made the bound (blue) touch ln p at the current {mu} = {bound.current:.3f}: the "
                f"gap there is {bound.terms.gap:.2g}, zero up to rounding. Everywhere else the bound lies below. "
                f"The M-step will move {mu} to the bound's peak (★) at {bound.peak:.3f}, the responsibility-weighted "
                "mean of the points; ln p there is higher still.")
    before = example.history[-2]
    return (f"The M-step moved {mu} from {bound.previous:.3f} to {bound.current:.3f}, the top of the bound. Both "
            "curves are now drawn with the other parameters at their new values too. The bound rose from "
            f"{before:,.3f} (where it touched ln p at the old parameters) to {bound.terms.lower_bound:,.3f}, and ln p "
            f"rose to {bound.terms.log_likelihood:,.3f}: further, by the gap KL = {bound.terms.gap:.3g} that opened "
            "because q still holds the old responsibilities. The next E-step closes it.")


def _hard_story(bound, mu: str) -> str:
    return (
        "**With hard EM, q is one-hot**: each point belongs wholly to its most responsible component, so "
        "$\\ln q_{nk} = 0$ and the bound becomes $\\sum_n \\ln \\pi_{z_n} \\mathcal{N}(\\mathbf{x}_n \\mid "
        "\\boldsymbol{\\mu}_{z_n}, \\boldsymbol{\\Sigma}_{z_n})$, the **classification log-likelihood** that hard EM "
        f"reports (orange, dashed). No one-hot q equals the posterior unless every point is certain, so this bound "
        f"never touches ln p: here it stays {bound.hard_terms.gap:,.3f} below, even right after the E-step. Hard EM "
        "climbs this bound with both of its steps: its E-step picks the best one-hot q, its M-step the best θ for "
        f"it (orange ★: {mu} = {bound.hard_peak:.3f}, the plain mean of the points assigned to the component, "
        "where soft EM would go to the weighted mean). It stops at the top of its own objective, the classification "
        "log-likelihood, which is not a maximum of ln p: that is why soft and hard EM end in different places."
    )


def _half_steps(example: WorkedExample) -> None:
    steps = teaching_bound.half_steps(example)
    st.plotly_chart(half_step_figure(steps), width="stretch", key="how_bound_half_steps", config=CHART_CONFIG)
    st.caption(
        "Top: ln p and the bound 𝓛 after every half-step so far (hover for the three numbers); bottom: the gap KL "
        "between them, on its own scale. After each E-step the gap is zero and the curves meet; after each M-step 𝓛 "
        "has risen, ln p has risen at least as much, and a gap has opened."
    )
