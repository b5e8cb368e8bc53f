"""The hand-stepped worked example of 'How EM works': its controls, its step buttons and what it shows.

E-step and M-step by hand, or "Run to convergence", or auto-step at a chosen speed. The stepped
sections run inside one Streamlit fragment (`stepping_sections`), so a step redraws only them, and a
timer can rerun them while auto-step is on. Page-local state lives under keys starting with `how_`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import streamlit as st

from explorer import teaching
from explorer.sources import EXAMPLE_SOURCES, quoted
from explorer.teaching import EXAMPLES, FINAL_TOL, WorkedExample
from figures.teaching import step_figure

_EXAMPLE = "how_example"  # the WorkedExample being stepped
_EXAMPLE_ID = "how_example_id"  # (example name, start seed) it was started from
_AUTO = "how_auto"  # the auto-step toggle
_STOP_AUTO = "how_stop_auto"  # set when auto-step reaches convergence; the toggle is switched off on the next run
_SPEED = "how_speed"
# Seconds between two auto-steps (half-steps: an E-step or an M-step).
SPEEDS = {"slow": 2.0, "medium": 1.0, "fast": 0.4}
CHART_CONFIG = {"displaylogo": False}


def example_controls() -> tuple[str, int]:
    """Which example, which random start, and auto-step with its speed; returns (example name, start seed)."""
    st.session_state.setdefault("how_variant", "1d")
    st.session_state.setdefault("how_seed", 0)
    st.session_state.setdefault(_SPEED, "medium")
    if st.session_state.pop(_STOP_AUTO, False):
        st.session_state[_AUTO] = False
    choice, seed, auto, speed = st.columns([5, 2, 2, 3], vertical_alignment="bottom")
    choice.radio("Data", list(EXAMPLES), format_func=EXAMPLES.get, horizontal=True, key="how_variant",
                 help="\n".join(f"- **{label}**: the example of {quoted(EXAMPLE_SOURCES[name])}"
                                for name, label in EXAMPLES.items()))
    seed.number_input("Start seed", 0, 10_000, step=1, key="how_seed",
                      help="EM starts with its means at two data points drawn with this seed.")
    auto.toggle("Auto-step", key=_AUTO, help="Take the next step (E or M) by itself, until EM converges.")
    speed.segmented_control("Speed", list(SPEEDS), key=_SPEED, required=True,
                            help=", ".join(f"{name}: a step every {seconds:g} s" for name, seconds in SPEEDS.items()))
    return st.session_state["how_variant"], int(st.session_state["how_seed"])


def stepping_sections(name: str, seed: int, draw: Callable[[WorkedExample], None]) -> None:
    """Run `draw(example)` in a fragment: the step buttons' clicks and the auto-step timer rerun only it."""
    auto = bool(st.session_state.get(_AUTO))
    interval = SPEEDS[st.session_state.get(_SPEED) or "medium"] if auto else None

    @st.fragment(run_every=interval)
    def sections() -> None:
        example = current_example(name, seed)
        if auto and not example.converged:
            example = st.session_state[_EXAMPLE] = example.take_next_step()
        if auto and example.converged and not st.session_state.get(_STOP_AUTO):
            st.session_state[_STOP_AUTO] = True
            st.rerun()  # the whole page: switches the toggle off and stops the timer
        draw(example)

    sections()


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


def _run_to_convergence() -> None:
    st.session_state[_EXAMPLE] = st.session_state[_EXAMPLE].run_to_convergence()


def step_buttons(example: WorkedExample) -> None:
    """E-step and M-step, alternately enabled; run to convergence; back to the start.

    Stepping by hand is off while auto-step runs, and the E-step once EM has converged.
    """
    name, seed = st.session_state[_EXAMPLE_ID]
    auto = bool(st.session_state.get(_AUTO))
    e, m, run, reset, _ = st.columns([1, 1, 1.6, 1.4, 1])
    e.button("E-step", key="how_e_step", on_click=_take, args=("E",),
             type="primary" if example.next_step == "E-step" else "secondary",
             disabled=auto or example.converged or example.next_step != "E-step", width="stretch")
    m.button("M-step", key="how_m_step", on_click=_take, args=("M",),
             type="primary" if example.next_step == "M-step" else "secondary",
             disabled=auto or example.next_step != "M-step", width="stretch")
    run.button("Run to convergence", key="how_run", on_click=_run_to_convergence, disabled=auto or example.converged,
               width="stretch", help="Take full E-step + M-step iterations until the log-likelihood stops changing.")
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
        st.caption(_figure_note(example))
    with numbers:
        _numbers(example, chosen, names)


def _status(example: WorkedExample) -> str:
    ll = f"log-likelihood **{example.log_likelihood:,.3f}**"
    if example.iteration == 0 and example.next_step == "E-step":
        return f"**Start** (iteration 0): means at two data points, both covariances the data's own, equal weights; {ll}. Press **E-step**."
    if example.next_step == "M-step":
        return (f"**Iteration {example.iteration + 1}, E-step done**: every point now has a responsibility for "
                f"each component; the parameters have not moved yet ({ll}). Press **M-step**.")
    if example.converged:
        return (f"**Converged after {example.iteration} iterations**: the last one changed the log-likelihood by less "
                f"than {FINAL_TOL:.0e} per point ({ll}), so stepping changes nothing; the E-step is off. "
                "Go back to the start, or pick another start seed.")
    change = example.history[-1] - example.history[-2]
    # reg_covar makes the M-step a regularised update, so near convergence the change can be a hair below 0.
    movement = (f"up by {change:,.3g} (an E-step and M-step never lower it)" if change > 1e-9
                else "practically unchanged")
    return (f"**Iteration {example.iteration}, M-step done**: the parameters were re-estimated from the "
            f"responsibilities; {ll}, {movement}. Press **E-step** to continue.")


def _figure_note(example: WorkedExample) -> str:
    drawn = ("Grey histogram: the data; thin lines are each component's weighted density πₖ·N(x), the thick line "
             "their sum, the mixture; ticks under the axis are the points" if example.X.shape[1] == 1 else
             "Ellipses are each component's 1σ and 2σ contours, × its mean")
    if example.before is None and example.resp is None:  # the start: no responsibilities, no table of them yet
        points = ("Points are grey until the first E-step gives them responsibilities; the six numbered ones "
                  "will then be listed in a table of responsibilities.")
    else:
        where = ("in the table on the right" if example.resp is not None
                 else "in the table under “The responsibilities this M-step used” on the right")
        points = (f"Points are coloured by their responsibilities (a blend of the component colours); the six "
                  f"numbered ones are {where}.")
    before = " Dashed: before the M-step; solid: after." if example.before is not None and example.resp is None else ""
    return f"{drawn}. {points}{before}"


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


