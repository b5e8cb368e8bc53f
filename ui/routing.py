"""Make every page run through app.py's navigation, even on a freshly started server.

Streamlit keeps its old multipage mode for an app with a `pages/` folder until some session has run
`st.navigation`: before that, a deep link such as /choose_k runs pages/choose_k.py on its own, without
app.py's page config and menu. app.py runs each page inside `pages_run_through_app()`; a session whose
first run finds the page run without it switches the old mode off and reruns, so the link goes through
app.py. (Only the first run: a rerun would drop a button click, and later runs need no help.)
"""

from __future__ import annotations

import contextlib
import threading

import streamlit as st

try:  # private API; if a later Streamlit drops it, the old mode is gone too and nothing is needed
    from streamlit.runtime.pages_manager import PagesManager
except ImportError:  # pragma: no cover
    PagesManager = None

# Each session's script runs in its own thread, so the marker is per thread.
_run = threading.local()


@contextlib.contextmanager
def pages_run_through_app():
    _run.through_app = True
    try:
        yield
    finally:
        _run.through_app = False


def ensure_routed_through_app() -> None:
    if getattr(_run, "through_app", False) or PagesManager is None:
        return
    PagesManager.uses_pages_directory = False
    st.rerun()
