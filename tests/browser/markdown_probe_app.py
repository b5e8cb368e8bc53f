"""A page for tests/browser/test_hostile_names.py: every hostile name, escaped with markdown_literal,
in each kind of Streamlit element that renders Markdown; the raw name as a multiselect option (the app
passes column names to its multiselect as they are); and one unescaped control row, which shows that
the probes do see an injection.

    streamlit run tests/browser/markdown_probe_app.py
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for hostile_files
from hostile_files import HOSTILE_NAMES  # noqa: E402

from ui.markdown_text import markdown_literal  # noqa: E402

CONTROL = "![ctl](http://control.invalid/c.png) :red[ctl] $c^2$"


def every_markdown_element(markdown: str, option: str, key: str) -> None:
    st.markdown(markdown)
    st.caption(markdown)
    st.error(markdown)
    st.warning(markdown)
    st.info(markdown)
    st.success(markdown)
    with st.expander(markdown):
        st.write("inside")
    st.checkbox(markdown, key=f"{key}_checkbox", help=markdown)
    st.multiselect("options", [option], default=[option], key=f"{key}_multiselect")


for i, name in enumerate(HOSTILE_NAMES):
    with st.container(key=f"name_{i}"):
        every_markdown_element(markdown_literal(name), name, f"name_{i}")
with st.container(key="control"):
    every_markdown_element(CONTROL, CONTROL, "control")
