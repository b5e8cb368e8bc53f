"""The EM player on a Streamlit page: a components-v2 element hosting the player (player/*.js).

    preload()                    # at the top of a page: plotly.js starts loading while the fit runs
    em_player(payload)           # the player, drawn from figures.player_payload(...)

The element's own JavaScript (LOADER_JS, re-sent with every render, so it stays small) injects
plotly.js and the player once per page, unless the page's HTML has already started to (early_loader_html,
added by ui/early_assets.py); `window.Plotly` and the player then survive reruns, and a
rerun with a new payload updates the same player in place. The files are served by Streamlit's
component file route (`<base>/component/<name>/<file>`, cached by the browser), registered with
the v1 `declare_component(path=...)`: plotly.js is the basic bundle vendored in player/vendor/, nothing
is downloaded. Each URL carries its content's hash (?v=...), so ui/asset_cache.py lets browsers keep it a year.

The player reports what the user does on the figure as one trigger value, `event`:
{"type": ..., "value": ...}. `em_player` stores it in session state under PENDING_EVENT, and the page
applies it before drawing its widgets (ui/player_events.py).
"""

from __future__ import annotations

import json

import streamlit as st
from streamlit.components.v1 import declare_component

from figures import player_assets

from .base_path import url_prefix

PENDING_EVENT = "_em_player_event"
PLAYER_KEY = "em_player"
PRELOAD_KEY = "em_player_preload"
_served_urls: dict | None = None  # the asset URLs once a session has registered them with this server

# Loads plotly.js and the player's scripts once per page, whichever asks first (the page's head, the preload,
# the player, a static figure); the promise, window.__empLoading, then survives reruns. A failed load is tried
# once more for each caller.
LOAD_ASSETS_JS = """
function loadAssets(a, retries = 1) {
  const w = window;
  if (!w.__empLoading) {
    performance.mark("emp-loader");
    const add = (tag, attrs) => new Promise((ok, fail) => {
      const node = Object.assign(document.createElement(tag), attrs);
      node.onload = ok;
      node.onerror = () => fail(new Error("could not load " + (attrs.src || attrs.href)));
      document.head.appendChild(node);
    });
    add("link", {rel: "stylesheet", href: a.css});
    // All download at once; async=false runs them in order: plotly.js first, then the player's scripts.
    const plotly = add("script", {src: a.plotly, async: false, fetchPriority: "high"}).then(() => {
      performance.mark("emp-plotly");
      w.__empPlotly = w.Plotly;
    });
    // A failed load is forgotten, so that the next element to ask loads again (after a server restart, say).
    w.__empLoading = Promise.all([plotly, ...a.player.map((src) => add("script", {src, async: false}))])
      .catch((error) => { w.__empLoading = null; throw error; });
  }
  return w.__empLoading.catch((error) => { if (retries > 0) return loadAssets(a, retries - 1); throw error; });
}
"""
LOADER_JS = LOAD_ASSETS_JS + """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data || !data.assets) return;
  const loading = loadAssets(data.assets);
  if (!data.payload) return;
  const send = (type, value) => setTriggerValue("event", {type, value, nonce: Math.random()});
  loading
    .then(() => window.EMPlayer.mount(parentElement, data.payload, {send}))
    .catch((error) => { parentElement.textContent = "The figure could not load (" + error.message + "). Reload the page."; });
}
"""
LOADER_HTML = '<div class="emp-loading"><div class="emp-spinner"></div><div>Loading the figure…</div></div>'
# The preload element draws nothing: hide its container so it takes no room.
LOADER_CSS = f".st-key-{PRELOAD_KEY} {{ display: none; }}"

_component = st.components.v2.component(
    "em_player", html=LOADER_HTML, css=LOADER_CSS, js=LOADER_JS, isolate_styles=False
)


def asset_urls() -> dict:
    """URLs of plotly.js, the player's scripts (a list, in load order) and its style sheet on this server."""
    # Registering is cheap and idempotent; doing it on every run also covers a fresh runtime (AppTest).
    player_dir = declare_component("em_player_assets", path=str(player_assets.ASSET_DIR))
    urls = _urls(player_dir)
    global _served_urls
    _served_urls = urls  # now the server answers them: page heads may ask for them (early_loader_html)
    return urls


def early_loader_html() -> bytes | None:
    """A <script> for the head of a page that shows the player: it starts loading plotly.js and the player with
    the page itself, long before Streamlit draws the first element (ui/early_assets.py); None until a session has registered the
    files with this server, which answers them only from then on."""
    urls = _served_urls
    if urls is None:
        return None
    argument = json.dumps(urls).replace("</", "<\\/")  # nothing in it can close the script element
    return f"<script>(() => {{ {LOAD_ASSETS_JS} loadAssets({argument}); }})();</script>".encode()


def _urls(player_dir) -> dict:
    root = url_prefix(st.get_option("server.baseUrlPath")) + "/component"

    def url(component, name: str) -> str:
        return f"{root}/{component.name}/{name}?v={player_assets.asset_version(name)}"

    return {
        "plotly": url(player_dir, player_assets.PLOTLY_JS),
        "player": [url(player_dir, name) for name in player_assets.PLAYER_SCRIPTS],
        "css": url(player_dir, "em_player.css"),
    }


def preload() -> None:
    """Start fetching and compiling plotly.js now, so that it overlaps the server's fit."""
    _component(key=PRELOAD_KEY, data={"assets": asset_urls()})


def em_player(payload: dict) -> None:
    """The player for this payload; what the user does on it arrives as st.session_state[PENDING_EVENT]."""
    _component(key=PLAYER_KEY, data={"assets": asset_urls(), "payload": payload}, on_event_change=_store_event)


def _store_event() -> None:
    state = st.session_state.get(PLAYER_KEY) or {}
    event = state.get("event") if hasattr(state, "get") else None
    if isinstance(event, dict):
        st.session_state[PENDING_EVENT] = event
