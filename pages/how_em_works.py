"""How EM works: the equations, EM stepped by hand with the bound it climbs, soft vs hard, EM's limit k-means,
where different starts end, and local optima."""

import streamlit as st

from ui import state, teaching, teaching_basins, teaching_bound, teaching_kmeans, teaching_stepper
from ui.presentation import apply_presentation_mode
from ui.site_pages import EXPLORE, HOW_EM_WORKS

state.ensure_session_state()  # keeps the Explorer's settings alive while this page is open
apply_presentation_mode(state.current_settings().presentation, HOW_EM_WORKS)

st.title("How EM works")
st.markdown(
    "**EM, the Expectation-Maximization algorithm**, fits a mixture of Gaussians by alternating two steps: the "
    "**E-step** (expectation) works out how responsible each component is for each point, the **M-step** "
    "(maximization) re-estimates every component from the points it is responsible for. The numbers on this page "
    "come from `gmm_core.e_step` and `gmm_core.m_step`, the code the Explorer animates."
)
st.page_link(EXPLORE.path, label="Back to the Explorer: watch EM fit your own data", icon=EXPLORE.icon)

st.header("The model and the two steps")
teaching.model_and_steps()

st.header("Step through it by hand")
example_name, start_seed = teaching_stepper.example_controls()


def stepped_sections(example):
    """Everything the step buttons move: redrawn on each step, and by the auto-step timer."""
    teaching_stepper.step_buttons(example)
    teaching_stepper.worked_example(example)
    st.header("Why EM climbs: the bound that touches")
    teaching_bound.bound_that_touches(example)


teaching_stepper.stepping_sections(example_name, start_seed, stepped_sections)

st.header("Soft versus hard assignments")
teaching.soft_versus_hard(example_name, start_seed)

st.header("From EM to k-means")
teaching_kmeans.em_to_kmeans(example_name, start_seed)

st.header("Where you start decides where you end")
teaching_basins.landscape(start_seed)

st.header("Local optima: different starts, different answers")
teaching.local_optima()

st.header("Sources")
teaching.sources()
