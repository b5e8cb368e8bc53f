"""The app's pages, in menu order: app.py's navigation and presentation mode's page links share them."""

from __future__ import annotations

from typing import NamedTuple


class SitePage(NamedTuple):
    path: str
    title: str
    icon: str


EXPLORE = SitePage("pages/explore.py", "Explore", "🎞️")
CHOOSE_K = SitePage("pages/choose_k.py", "Choose k", "📉")
HOW_EM_WORKS = SitePage("pages/how_em_works.py", "How EM works", "🧮")
PAGES = (EXPLORE, CHOOSE_K, HOW_EM_WORKS)
