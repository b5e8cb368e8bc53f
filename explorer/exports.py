"""Downloads: fitted parameters (JSON, CSV), per-point responsibilities (CSV), the animation (HTML)."""

from __future__ import annotations

import html
import json

import numpy as np
import pandas as pd

import gmm_core
from figures import player_assets

from .settings import Settings, to_query
from .tables import parameter_table, responsibilities_table


def parameters_json(result: gmm_core.FitResult, settings: Settings, feature_names) -> str:
    """The fitted mixture with the settings that produced it and its scores."""
    document = {
        "features": list(feature_names),
        "settings": to_query(settings),
        "converged": result.converged,
        "n_iter": result.n_iter,
        "log_likelihood": result.log_likelihood,
        "bic": result.bic,
        "aic": result.aic,
        "n_parameters": result.params.n_parameters,
        **result.params.to_dict(),
    }
    return json.dumps(document, indent=2)


def parameters_csv(result: gmm_core.FitResult, feature_names) -> str:
    return _spreadsheet_safe_headers(parameter_table(result.params, feature_names)).to_csv(index=False)


def responsibilities_csv(result: gmm_core.FitResult, X: np.ndarray, feature_names) -> str:
    table = responsibilities_table(result.params, X, feature_names)
    return _spreadsheet_safe_headers(table).to_csv(index=False, float_format="%.6g")


# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), @SUM(...), ...).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe_headers(table: pd.DataFrame) -> pd.DataFrame:
    """Column names (the user's, from the upload) that a spreadsheet would run as formulas get a leading
    apostrophe, as OWASP's CSV-injection advice says; the numbers below them are left as they are."""
    return table.rename(columns=lambda name: "'" + name if str(name).startswith(_FORMULA_STARTS) else name)


def animation_html(payload: dict, title: str, description: str = "", caption: str = "") -> str:
    """A standalone page that plays the fit offline (a talk without Wi-Fi): plotly.js, the EM player
    and its payload inlined, a title line, the settings, the caption, then the figure filling the rest of the window
    (the caption above it, so that Play and the slider end the screen and no text is cut off below).

    payload : figures.player_payload(...) of the fit; title, description, caption : plain text
    """
    payload_json = json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")  # no '</script>' inside
    return _OFFLINE_PAGE.format(
        title=html.escape(title),
        description=html.escape(description),
        caption=html.escape(caption),
        css=player_assets.asset_text("em_player.css"),
        plotly_js=player_assets.asset_text(player_assets.PLOTLY_JS),
        player_js=player_assets.player_script_text(),
        payload=payload_json,
    )


_OFFLINE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{css}
body {{ margin: 0; padding: 10px 18px; font-family: "Source Sans Pro", "Source Sans 3", sans-serif; color: #333; }}
.emp-export-title {{ font-size: 22px; margin: 0; }}
.emp-export-settings, .emp-export-caption {{ font-size: 15px; color: #555; margin: 2px 0 4px; }}
.emp-export-caption {{ font-size: 14px; }}
</style>
<script>{plotly_js}</script>
<script>window.__empPlotly = window.Plotly;</script>
<script>{player_js}</script>
</head><body>
<h1 class="emp-export-title">{title}</h1>
<p class="emp-export-settings">{description}</p>
<p class="emp-export-caption">{caption}</p>
<div id="em-player"></div>
<script>EMPlayer.mount(document.getElementById("em-player"), {payload}, {{fillWindow: true}});</script>
</body></html>
"""
