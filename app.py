# TEMPORARY placeholder so the browser smoke test has something to load.
# Another engineer will replace this file with the real app.
import streamlit as st; st.set_page_config(page_title="EM Explorer"); st.title("EM Explorer")
