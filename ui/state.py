"""Session state <-> Settings <-> URL: seeded from the link once per session, written back on change."""

from __future__ import annotations

from dataclasses import asdict, fields
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from explorer.drawing import link_problem
from explorer.link import link_settings
from explorer.settings import DEFAULTS, Settings, from_query, to_query

from .controls import ADVANCED_KEY
from .fit_details import KEY as DETAILS_TAB_KEY
from .routing import ensure_routed_through_app

SETTING_KEYS = tuple(f.name for f in fields(Settings))
# Not settings (no link carries them), but kept like them through runs that do not draw their widget.
VIEW_KEYS = (DETAILS_TAB_KEY, ADVANCED_KEY)
_SEEDED = "_settings_seeded"
_NOTICES = "_url_notices"
_MEANS_FROM_UPLOAD = "_means_from_upload"


def _widget_value(name: str, value):
    """Session-state form of a setting: widgets hold lists where Settings holds tuples."""
    return list(value) if name == "columns" else value


def ensure_session_state() -> None:
    """Call at the top of every page: seeds the settings from the URL on the session's first run,
    and keeps them (and which details tab and sidebar section are open) alive across page switches and runs
    that stop early (Streamlit drops the state of widgets not drawn)."""
    if not st.session_state.get(_SEEDED):
        ensure_routed_through_app()  # only a session's first run can be a deep link into a new server
        settings, notices = from_query(st.query_params.to_dict())
        apply_settings(settings)
        st.session_state[_NOTICES] = notices
        st.session_state[_SEEDED] = True
    _forget_means_of_a_closed_upload()
    for key in SETTING_KEYS + VIEW_KEYS:
        if key in st.session_state:
            value = st.session_state[key]
            # A typed '-0' is 0 (the widget then shows 0, and the link says 0).
            st.session_state[key] = 0.0 if isinstance(value, float) and value == 0.0 else value


def _forget_means_of_a_closed_upload() -> None:
    """Starting means placed while an upload was the source are values of that file: when the user
    moves to other data they go too (the new data gets its own), so no later link carries them."""
    if st.session_state.get("source") == "upload":
        st.session_state[_MEANS_FROM_UPLOAD] = True
    elif st.session_state.pop(_MEANS_FROM_UPLOAD, False):
        st.session_state["manual_means"] = ()


def apply_settings(settings: Settings) -> None:
    """Put every setting into session state (before the widgets are drawn)."""
    for name, value in asdict(settings).items():
        st.session_state[name] = _widget_value(name, value)


def current_settings() -> Settings:
    """The settings as the widgets hold them now."""
    values = {}
    for name in SETTING_KEYS:
        value = st.session_state.get(name, getattr(DEFAULTS, name))
        if name == "columns":
            value = tuple(value or ())
        elif name == "manual_means":
            value = tuple(tuple(row) for row in value or ())
        values[name] = value
    return Settings(**values)


def sync_url(settings: Settings) -> None:
    """Mirror the settings a link needs in the address bar (only when they changed, to avoid needless
    messages); see explorer.link for what a link leaves out."""
    wanted = to_query(link_settings(settings))
    if link_problem(wanted.get("pts", "")):
        wanted.pop("pts")  # too long for an address: the share box says so
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def show_url_notices() -> None:
    """Tell the user, once, which values of the link they opened were not understood."""
    notices = st.session_state.pop(_NOTICES, [])
    if notices:
        st.warning("Some values in the link were not understood and fell back to defaults:\n\n"
                   + "\n".join(f"- {notice}" for notice in notices), icon="🔗")


def share_url(settings: Settings, page_path: str = "") -> str:
    """The full link to a page with these settings: this server's address, the page, the settings.

    Built from the host rather than the current address, which Streamlit fixes when the session
    starts and so may name another page after a page switch. page_path is '' for the default page.
    """
    parts = urlsplit(st.context.url or "")
    prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = "/".join(p for p in (prefix, page_path.strip("/")) if p)
    query = urlencode(to_query(link_settings(settings)))
    return urlunsplit((parts.scheme, parts.netloc, "/" + path, query, ""))
