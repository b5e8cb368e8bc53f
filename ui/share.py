"""The 'share this view' affordance."""

from __future__ import annotations

import streamlit as st

from explorer.settings import Settings

from .state import share_url


def share_box(settings: Settings, page_path: str = "") -> None:
    """The link to this exact view, in a code box with a copy button."""
    with st.popover("🔗 Share this view"):
        st.caption("Anyone opening this link sees the same data, fit and animation. Copy it with the button on the right.")
        st.code(share_url(settings, page_path), language=None, wrap_lines=True)
        if settings.source == "upload":
            st.info("The link carries your settings, not the uploaded file: whoever opens it must upload the same file.")
