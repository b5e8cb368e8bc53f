"""EM Explorer: the entry point. Page setup and navigation, nothing else."""

import streamlit as st

st.set_page_config(page_title="EM Explorer", page_icon="🎯", layout="wide")
navigation = st.navigation(
    [
        st.Page("pages/explore.py", title="Explore", icon="🎞️", default=True),
    ]
)
navigation.run()
