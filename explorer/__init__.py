"""The Explorer's app logic that is neither EM nor drawing: settings and URL, datasets, truth, exports.

Pure Python (NumPy, SciPy, pandas, plotly for the HTML export): no streamlit, so tests and
notebooks can use it directly.
"""
