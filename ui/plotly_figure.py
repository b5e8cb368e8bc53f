"""A static Plotly figure drawn with the EM player's plotly.js, for the pages that show the player.

    plotly_figure(figure_data(fig), key="uncertainty_chart")

`st.plotly_chart` brings Streamlit's own plotly.js (a 4.7 MB chunk): on a first visit the Explorer's figure
came at 4.54 s with it and 3.16 s without (bench/RESULTS_player_one_plotly.md). This element draws with the
basic bundle the player has already loaded (ui/em_player.py), so a page that shows the player loads plotly.js
once. The figure must use the basic bundle's traces: scatter, bar, pie.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st

from .em_player import LOAD_ASSETS_JS, asset_urls

CONFIG = {"displaylogo": False, "responsive": True}

DRAW_JS = LOAD_ASSETS_JS + """
export default function (component) {
  const { data, parentElement } = component;
  if (!data || !data.assets || !data.figure) return;
  const figure = data.figure, layout = Object.assign({}, figure.layout, {autosize: true});
  delete layout.width;  // the figure takes the page's width, as st.plotly_chart(width="stretch") did
  let box = parentElement.querySelector(".emp-figure");
  if (!box) {
    box = Object.assign(document.createElement("div"), {className: "emp-figure"});
    parentElement.replaceChildren(box);
  }
  box.style.minHeight = (layout.height || 450) + "px";  // its room is kept while plotly.js loads
  loadAssets(data.assets)
    .then(() => window.__empPlotly.react(box, figure.data, layout, data.config))
    .catch((error) => { box.textContent = "The figure could not load (" + error.message + "). Reload the page."; });
  return () => { if (window.__empPlotly) window.__empPlotly.purge(box); };
}
"""

_component = st.components.v2.component("em_static_figure", js=DRAW_JS, isolate_styles=False)


def figure_data(figure: go.Figure) -> dict:
    """The figure as plain JSON data (numpy arrays encoded by Plotly's own encoder); build it once and cache it."""
    return json.loads(figure.to_json())


def plotly_figure(figure: dict, key: str) -> None:
    """Draw `figure` (from figure_data) across the page's width, without Plotly's logo."""
    _component(key=key, data={"assets": asset_urls(), "figure": figure, "config": CONFIG})
