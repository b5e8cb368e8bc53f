"""Presentation mode: no controls, full width, large type and markers for a projector."""

from __future__ import annotations

import streamlit as st

_PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: 0.5rem 1.5rem 1rem;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMetricValue"] {font-size: 1.35rem;}
/* A compact header, so that the figure, Play and the slider fit a projector's screen. */
[data-testid="stMain"] h1 {font-size: 2rem; padding: 0.1rem 0 0.2rem;}
button [data-testid="stMarkdownContainer"] p {font-size: 1.05rem;}
.st-key-exit_presentation button {min-height: 0; padding: 0.1rem 0.8rem;}
.st-key-exit_presentation button p {font-size: 0.95rem;}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding: 0.4rem 0.75rem 1rem;}
  [data-testid="stMain"] h1 {font-size: 1.4rem;}
}
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
