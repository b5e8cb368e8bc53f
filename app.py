"""EM Explorer: the entry point. Page setup and navigation, nothing else."""

import streamlit as st

st.set_page_config(page_title="EM Explorer", page_icon="🎯", layout="wide")
navigation = st.navigation(
    [
        st.Page("pages/explore.py", title="Explore", icon="🎞️", default=True),
        st.Page("pages/choose_k.py", title="Choose k", icon="📉"),
        st.Page("pages/how_em_works.py", title="How EM works", icon="🧮"),
    ]
)
navigation.run()
