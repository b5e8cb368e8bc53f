"""Presentation mode: no controls, full width, large type and markers for a projector, and one slim row of
links to the other pages (the sidebar with the page menu is hidden)."""

from __future__ import annotations

import streamlit as st

from .site_pages import PAGES, SitePage

_PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: 0.5rem 1.5rem 1rem;}
[data-testid="stMarkdownContainer"] p, [data-testid="stMetricValue"] {font-size: 1.35rem;}
/* A compact header, so that the figure, Play and the slider fit a projector's screen. */
[data-testid="stMain"] h1 {font-size: 2rem; padding: 0.1rem 0 0.2rem;}
button [data-testid="stMarkdownContainer"] p {font-size: 1.05rem;}
/* The page links and the exit button: one slim, quiet row at the top. */
.st-key-presentation_bar {gap: 0.25rem 0.75rem;}
.st-key-presentation_bar [data-testid="stPageLink"] a {padding: 0.05rem 0.4rem;}
.st-key-presentation_bar [data-testid="stPageLink"] p, .st-key-exit_presentation button p {font-size: 0.95rem;}
.st-key-exit_presentation button {min-height: 0; padding: 0.1rem 0.8rem;}
.st-key-em_intro [data-testid="stMarkdownContainer"] p {font-size: 0.95rem;}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding: 0.4rem 0.75rem 1rem;}
  [data-testid="stMain"] h1 {font-size: 1.4rem;}
  /* The figure needs the height: the bar's links without icons, on the exit button's row. */
  .st-key-presentation_bar {flex-wrap: nowrap; gap: 0.25rem;}
  .st-key-presentation_bar [data-testid="stPageLink"] a span:first-child:not(:last-child) {display: none;}
  .st-key-presentation_bar [data-testid="stPageLink"] p, .st-key-exit_presentation button p {font-size: 0.85rem;}
}
</style>
"""
PRESENT_QUERY = {"present": "1"}  # the other pages open in presentation mode too, and say so in their address


def apply_presentation_mode(enabled: bool, here: SitePage) -> None:
    """Hide the sidebar and enlarge type; offer links to the other pages and the button that brings the
    controls back."""
    if not enabled:
        return
    st.html(_PRESENTATION_CSS)
    with st.container(horizontal=True, vertical_alignment="center", key="presentation_bar"):
        for page in PAGES:
            if page != here:
                st.page_link(page.path, label=page.title, icon=page.icon, query_params=PRESENT_QUERY)
        st.button("Exit presentation mode", on_click=_exit_presentation, key="exit_presentation")


def _exit_presentation() -> None:
    st.session_state["presentation"] = False
    st.query_params.pop("present", None)  # a page that does not mirror its settings in the address keeps none
