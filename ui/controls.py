"""The sidebar's model and display controls. Each function draws widgets; their values live in session state."""

from __future__ import annotations

import streamlit as st

from explorer import control_help
from explorer.settings import (
    ALGORITHM_LABELS,
    COVARIANCE_LABELS,
    INIT_LABELS,
    MAX_K,
)

ADVANCED_KEY = "advanced_open"  # whether the stopping rule, regularisation and restarts are open


def model_controls() -> None:
    """k, covariance type, initialisation, algorithm and the stopping rule."""
    st.slider("Components k", 1, MAX_K, key="k", help=control_help.K)
    st.selectbox("Covariance type", list(COVARIANCE_LABELS), format_func=COVARIANCE_LABELS.get, key="covariance_type",
                 help=control_help.choices(control_help.COVARIANCE, COVARIANCE_LABELS))
    st.selectbox("Initialisation", list(INIT_LABELS), format_func=INIT_LABELS.get, key="init",
                 help=control_help.choices(control_help.INIT, INIT_LABELS))
    st.radio("Algorithm", list(ALGORITHM_LABELS), format_func=ALGORITHM_LABELS.get, key="algorithm",
             help=control_help.choices(control_help.ALGORITHM, ALGORITHM_LABELS))
    # Drawn only when open (a first visit's figure waits for every element drawn); ui/state.py keeps the values.
    advanced = st.expander("Stopping rule, regularisation and restarts", key=ADVANCED_KEY, on_change="rerun")
    if not advanced.open:
        return
    with advanced:
        st.number_input("Max iterations", 1, 1000, step=10, key="max_iter", help=control_help.MAX_ITER)
        st.number_input("Tolerance (log-likelihood per point: last gain and gain still to come)", 0.0, 1.0, step=1e-6,
                        format="%.0e", key="tol", help=control_help.TOLERANCE)
        st.number_input("reg_covar (added to variances)", 0.0, 1.0, step=1e-6, format="%.0e", key="reg_covar",
                        help=control_help.REG_COVAR)
        st.number_input("Seed", 0, 2**31 - 1, step=1, key="seed", help=control_help.SEED)
        st.number_input("Restarts (best one is kept)", 1, 20, step=1, key="n_init", help=control_help.RESTARTS)

def display_controls(has_truth: bool = True, mixed_units: bool = False, labelled: bool = False) -> None:
    """How the figure is drawn. The truth toggle only where there is a truth (synthetic data); the
    equal-axes toggle only where the two axes measure different things (Old Faithful, uploads):
    data in one unit is always drawn at one scale."""
    st.toggle("Step mode: E-step and M-step as separate frames", key="step_mode")
    if has_truth:
        # Labelled data's truth is its classes, each drawn as the Gaussian of its points.
        st.toggle("Show the classes (each as a Gaussian)" if labelled else "Show the true clusters", key="show_truth")
    if mixed_units:
        st.toggle("Equal axes (one scale for both)", key="equal_axes",
                  help="The two columns are in different units; at one scale for both, circles look like circles "
                       "but one axis may be squeezed.")
    st.toggle("Presentation mode (hide controls, large type)", key="presentation")
