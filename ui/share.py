"""The 'share this view' affordance."""

from __future__ import annotations

import streamlit as st

from explorer.drawing import link_problem
from explorer.settings import Settings

from .presentation import apply_presentation_mode
from .state import share_url, show_url_notices


def share_box(settings: Settings, page_path: str = "") -> None:
    """The link to this exact view, in a code box with a copy button."""
    with st.popover("🔗 Share this view"):
        problem = link_problem(settings.points) if settings.source == "draw" else None
        if problem:  # never a link that silently drops points
            st.warning(problem)
            return
        st.caption("Anyone opening this link sees the same data, fit and animation. Copy it with the button on the right.")
        st.code(share_url(settings, page_path), language=None, wrap_lines=True)
        if settings.source == "upload":
            st.info("The link carries your settings, not the uploaded file: whoever opens it must upload the same file.")


def page_header(title: str, settings: Settings, page_path: str = "") -> None:
    """The top of a page: presentation-mode exit, the title with its share link, and any link notices."""
    apply_presentation_mode(settings.presentation)
    title_column, share_column = st.columns([5, 1], vertical_alignment="bottom")
    title_column.title(title)
    with share_column:
        share_box(settings, page_path)
    show_url_notices()
