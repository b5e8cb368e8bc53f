"""The fit's details under the figure, in tabs that are drawn only when open.

    tab = fit_details.open_tab()      # draws the tab row; the open tab's label and container
    with tab.container:
        if tab.label == fit_details.PARAMETERS: ...

Streamlit draws every element it is sent, and on a first visit the panels under the figure (three tables,
a chart, the downloads) cost the browser ~0.7 s before the figure could appear (bench/RESULTS_player.md).
Tabs with on_change="rerun" tell the page which one is open, so a run draws that one only; opening another
reruns the page, whose fit is cached. The labels never change, so the open tab survives every other change
(and ui/state.py keeps it through runs that draw no tabs): a tab with nothing to show for this data says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

PARAMETERS = "Fitted parameters"
UNCERTAINTY = "Uncertainty"
TRUTH = "Compared with the truth"
RESTARTS = "Restarts"
DOWNLOADS = "Downloads"
LABELS = (PARAMETERS, UNCERTAINTY, TRUTH, RESTARTS, DOWNLOADS)
KEY = "details_tab"


@dataclass(frozen=True)
class OpenTab:
    label: str
    container: object  # the open tab's container: draw its content inside it


def open_tab() -> OpenTab:
    """The tab row under the figure; which tab is open (the first on a first visit) and where to draw it."""
    tabs = st.tabs(list(LABELS), key=KEY, on_change="rerun")
    label, container = next(((label, tab) for label, tab in zip(LABELS, tabs) if tab.open), (PARAMETERS, tabs[0]))
    return OpenTab(label, container)
