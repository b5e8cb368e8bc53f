"""EM Explorer: the entry point. Page setup and navigation, nothing else (one BLAS thread per fit, and the
imported modules kept out of the garbage collections after each run).

`streamlit run app.py` finds the `app` below and serves this same file through st.App, which adds three
pieces of request handling (ui.deep_links: links with more than one path segment; ui.asset_cache: a year's
browser cache for the player's versioned files; ui.early_assets: the Explorer's HTML starts loading the player's
plotly.js itself). Each session then
runs this file as its script, with a script-run context, and takes the first branch.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.asset_cache import LongCacheForVersionedAssets
from ui.blas_threads import use_one_blas_thread
from ui.deep_links import NestedPathRedirect
from ui.early_assets import EarlyPlayerAssets
from ui.gc_freeze import freeze_after_imports
from ui.routing import pages_run_through_app
from ui.site_pages import EXPLORE, PAGES

if get_script_run_ctx() is not None:  # a session's run (or AppTest): the app itself
    use_one_blas_thread()  # each session's fit on one core
    st.set_page_config(page_title="EM Explorer", page_icon="🎯", layout="wide")
    navigation = st.navigation([st.Page(page.path, title=page.title, icon=page.icon, default=page is EXPLORE)
                                for page in PAGES])
    with pages_run_through_app():
        navigation.run()
    freeze_after_imports()  # a page's first run imported its modules: keep them out of every later collection
else:  # imported by the server at start: serve this file
    base_url_path = st.get_option("server.baseUrlPath")
    app = st.App(__file__, middleware=[Middleware(NestedPathRedirect, base_url_path=base_url_path),
                                       Middleware(LongCacheForVersionedAssets, base_url_path=base_url_path),
                                       Middleware(EarlyPlayerAssets, base_url_path=base_url_path,
                                                  player_pages=("", Path(EXPLORE.path).stem))])
