"""EM Explorer: the entry point. Page setup and navigation, nothing else (and one BLAS thread per fit)."""

import streamlit as st

from ui.blas_threads import use_one_blas_thread
from ui.routing import pages_run_through_app

use_one_blas_thread()  # each session's fit on one core
st.set_page_config(page_title="EM Explorer", page_icon="🎯", layout="wide")
navigation = st.navigation(
    [
        st.Page("pages/explore.py", title="Explore", icon="🎞️", default=True),
        st.Page("pages/choose_k.py", title="Choose k", icon="📉"),
        st.Page("pages/how_em_works.py", title="How EM works", icon="🧮"),
    ]
)
with pages_run_through_app():
    navigation.run()
