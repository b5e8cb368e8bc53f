"""How EM works: the model and the two steps in equations, then EM stepped by hand, soft vs hard, local optima."""

import streamlit as st

from ui import state, teaching

state.ensure_session_state()  # keeps the Explorer's settings alive while this page is open

st.title("How EM works")
st.markdown(
    "EM fits a mixture of Gaussians by alternating two steps: the **E-step** works out how responsible each "
    "component is for each point, the **M-step** re-estimates every component from the points it is responsible "
    "for. The numbers on this page come from `gmm_core.e_step` and `gmm_core.m_step`, the code the Explorer animates."
)

st.header("The model and the two steps")
teaching.model_and_steps()

st.header("Step through it by hand")
example_name, start_seed = teaching.example_controls()
example = teaching.current_example(example_name, start_seed)
teaching.step_buttons(example)
teaching.worked_example(example)

st.header("Soft versus hard assignments")
teaching.soft_versus_hard(example_name, start_seed)

st.header("Local optima: different starts, different answers")
teaching.local_optima()
