"""Make every page run through app.py's navigation, even on a freshly started server.

Streamlit keeps its old multipage mode for an app with a `pages/` folder until some session has run
`st.navigation`: before that, a deep link such as /choose_k runs pages/choose_k.py on its own, without
app.py's page config and menu. A page that finds itself run that way switches the mode off and reruns,
so the link goes through app.py like every later one.
"""

from __future__ import annotations

import streamlit as st

try:  # private API; if a later Streamlit drops it, the old mode is gone too and nothing is needed
    from streamlit.runtime.pages_manager import PagesManager
except ImportError:  # pragma: no cover
    PagesManager = None


def ensure_routed_through_app() -> None:
    if PagesManager is not None and getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
