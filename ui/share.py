"""The 'share this view' affordance."""

from __future__ import annotations

import streamlit as st

from explorer.drawing import link_problem
from explorer.link import upload_traces, without_upload_traces
from explorer.settings import Settings

from .markdown_text import markdown_literal
from .presentation import apply_presentation_mode
from .site_pages import SitePage
from .state import share_url, show_url_notices


# Streamlit shows a code box's copy button only under the mouse (and never on a touch screen): a link's
# copy button is the point of the box, so it stays visible, framed like a button.
_VISIBLE_COPY_CSS = """<style>
[data-testid="stCode"] div:has(button[aria-label="Copy to clipboard"]),
[data-testid="stCode"] [data-testid="stTooltipHoverTarget"]:has(button[aria-label="Copy to clipboard"]) {
  visibility: visible; opacity: 1;}
[data-testid="stCode"] button[aria-label="Copy to clipboard"] {visibility: visible; opacity: 1; color: #31333f;
  border: 1px solid rgba(49, 51, 63, 0.3); background: #ffffff; border-radius: 0.4rem;}
</style>"""


def share_box(settings: Settings, page_path: str = "") -> None:
    """The link to this exact view, in a code box with a copy button."""
    with st.popover("🔗 Share", help="A link to this exact view: the same data, fit and animation."):
        problem = link_problem(settings.points) if settings.source == "draw" else None
        if problem:  # never a link that silently drops points
            st.warning(problem)
            return
        st.caption("Anyone opening this link sees the same data, fit and animation. Copy it with the button on the right.")
        link_box(settings, page_path)
        if settings.source == "upload":
            st.info("The link carries your settings, not the uploaded file: whoever opens it must upload the same file.")


def link_box(settings: Settings, page_path: str = "") -> None:
    """The link to this view in a code box. For an upload, first what the link reveals of the file,
    plainly, and then the same view without it."""
    st.html(_VISIBLE_COPY_CSS)
    traces = upload_traces(settings)
    if traces:
        st.warning(f"This link reveals {markdown_literal(' and '.join(traces))}: anyone who opens it can read "
                   "them.", icon="🔒")
    st.code(share_url(settings, page_path), language=None, wrap_lines=True)
    if traces:
        st.caption("The same view without them (whoever opens it picks the columns, and any starting means, again):")
        st.code(share_url(without_upload_traces(settings), page_path), language=None, wrap_lines=True)


def page_header(title: str, settings: Settings, here: SitePage, page_path: str = "") -> None:
    """The top of a page: presentation mode's row, the title with its share link, and any link notices."""
    apply_presentation_mode(settings.presentation, here)
    title_column, share_column = st.columns([5, 1], vertical_alignment="bottom")
    title_column.title(title)
    with share_column:
        share_box(settings, page_path)
    show_url_notices()
