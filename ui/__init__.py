"""Streamlit-facing helpers shared by the pages: widgets, URL sync, cached computations, result panels."""
