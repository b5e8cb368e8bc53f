"""A small table as HTML (st.html), for the tables a first visit shows.

st.dataframe brings Streamlit's data grid, 1.2 MB of JavaScript evaluated before the page's figure can appear;
a few rows of text need none of it. pandas writes the table with every header and cell HTML-escaped, and the
browser scrolls it sideways when it is wider than the page (ten features make 22 columns).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

_STYLE = """<style>
.emp-table-box {overflow-x: auto; margin-bottom: 0.5rem;}
.emp-table {border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; white-space: nowrap;}
.emp-table th, .emp-table td {padding: 0.3rem 0.75rem; border-bottom: 1px solid rgba(49, 51, 63, 0.12); text-align: right;}
.emp-table th {font-weight: 600; color: #31333f; border-bottom: 1px solid rgba(49, 51, 63, 0.3);}
.emp-table th:first-child, .emp-table td:first-child {text-align: left;}
</style>"""


def html_table(frame: pd.DataFrame) -> None:
    """Draw `frame` (its cells already text) as a plain table, without its index."""
    st.html(table_html(frame))


def table_html(frame: pd.DataFrame) -> str:
    """The HTML html_table draws: the style, and the table in a box that scrolls sideways."""
    table = frame.to_html(index=False, escape=True, border=0, classes="emp-table")
    return f'{_STYLE}<div class="emp-table-box">{table}</div>'
