"""Where the EM player's browser assets live: the player's scripts (player/*.js, in PLAYER_SCRIPTS
order), player/em_player.css, and plotly.js: PLOTLY_JS, the basic bundle vendored in player/vendor/
(scatter, bar and pie traces; the player draws only scatter traces), 1.2 MB against the 4.8 MB
plotly.min.js that the plotly package ships (still used for static images, explorer/figure_images.py).

The player is a handful of classic scripts that each add one part to a shared namespace object,
window.EMPlayer; each needs only the scripts before it. The Streamlit page loads them in this order
(ui/em_player.py) and the offline HTML export inlines them in this order (explorer/exports.py), so
both run the same files with no build step. Nothing here imports streamlit or plotly.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

ASSET_DIR = Path(__file__).resolve().parents[1] / "player"
PLAYER_CSS = ASSET_DIR / "em_player.css"
PLOTLY_JS = "vendor/plotly-basic.min.js"  # relative to ASSET_DIR; see player/vendor/README.md
# The trace types the bundle holds: the player must not ask for any other.
PLOTLY_JS_TRACE_TYPES = ("scatter", "bar", "pie")
# Load order: each script uses only the ones before it; mount.js defines the entry point EMPlayer.mount.
PLAYER_SCRIPTS = (
    "format.js",      # payload arrays, number formats
    "dom.js",         # DOM/SVG helpers, axis maps
    "model.js",       # the frame maths (twin of figures/frame_state.py)
    "overlay.js",     # an SVG layer over a Plotly graph
    "data_view.js",   # the data view: points, ellipses or densities, means
    "bound_curve.js", # step mode: log p and the bound L per half-step, the gap shaded
    "curve_view.js",  # the learning curve
    "player.js",      # layout, controls, playback, readout
    "editing.js",     # placing means, drawing and erasing points
    "hover.js",       # the hover tooltip
    "probe.js",       # hooks for tests and benchmarks
    "mount.js",       # EMPlayer.mount
)


def plotly_js_dir() -> Path:
    """The folder of the plotly.min.js that the plotly Python package ships (nothing is downloaded)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The plotly package is not installed; `pip install -r requirements.txt` installs it.")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    """The text of an asset: one of PLAYER_SCRIPTS, 'em_player.css', PLOTLY_JS or the package's 'plotly.min.js'."""
    folder = plotly_js_dir() if name == "plotly.min.js" else ASSET_DIR
    return (folder / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def asset_version(name: str) -> str:
    """A short hash of an asset's content, appended to its URL so a browser never runs a stale copy."""
    folder = plotly_js_dir() if name == "plotly.min.js" else ASSET_DIR
    return hashlib.sha1((folder / name).read_bytes()).hexdigest()[:10]


def player_script_text() -> str:
    """The player's scripts joined in load order, for a page that inlines them in one <script>."""
    return "\n;\n".join(asset_text(name) for name in PLAYER_SCRIPTS)
