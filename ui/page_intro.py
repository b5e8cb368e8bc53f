"""The line under a page's title that says what EM stands for, with a link to the page that explains it."""

from __future__ import annotations

import streamlit as st

from .site_pages import SitePage

EM_IN_ONE_LINE = ("**EM** is the **Expectation-Maximization** algorithm: its E-step shares each point among the "
                  "Gaussians, its M-step refits each Gaussian to its share.")


def what_em_is(link: SitePage, label: str) -> None:
    """One line for a newcomer, and the way to the page that explains it."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="em_intro"):
        st.caption(EM_IN_ONE_LINE, width="content")
        st.page_link(link.path, label=label, icon=link.icon)
