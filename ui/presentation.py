"""Presentation mode: no controls, full width, large type and markers for a projector."""

from __future__ import annotations

import streamlit as st

_PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: 1rem 2rem;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMetricValue"] {font-size: 1.35rem;}
</style>
"""


def apply_presentation_mode(enabled: bool) -> None:
    """Hide the sidebar and enlarge type; offer the one button needed to get the controls back."""
    if not enabled:
        return
    st.html(_PRESENTATION_CSS)
    st.button("Exit presentation mode", on_click=_exit_presentation, key="exit_presentation")


def _exit_presentation() -> None:
    st.session_state["presentation"] = False
