"""Where the EM player's browser assets live: player/em_player.js, player/em_player.css, and the
plotly.min.js that the plotly package ships.

The Streamlit page serves these files (ui/em_player.py) and the offline HTML export inlines them
(explorer/exports.py). Nothing here imports streamlit or plotly.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

ASSET_DIR = Path(__file__).resolve().parents[1] / "player"
PLAYER_JS = ASSET_DIR / "em_player.js"
PLAYER_CSS = ASSET_DIR / "em_player.css"


def plotly_js_dir() -> Path:
    """The folder of the plotly.min.js that the plotly Python package ships (nothing is downloaded)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The plotly package is not installed; `pip install -r requirements.txt` installs it.")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    """The text of an asset: 'em_player.js', 'em_player.css' or 'plotly.min.js'."""
    folder = plotly_js_dir() if name == "plotly.min.js" else ASSET_DIR
    return (folder / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def asset_version(name: str) -> str:
    """A short hash of an asset's content, appended to its URL so a browser never runs a stale copy."""
    folder = plotly_js_dir() if name == "plotly.min.js" else ASSET_DIR
    return hashlib.sha1((folder / name).read_bytes()).hexdigest()[:10]
