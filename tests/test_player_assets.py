"""The player's plotly.js: the vendored basic bundle is the plotly package's own plotly.js version, unchanged
from its npm package (checksum), and holds every trace type the player asks for; ui/asset_cache.py marks
exactly the versioned component files as cacheable for a year."""

from __future__ import annotations

import hashlib
import re

import plotly.offline
import pytest

from figures import player_assets
from ui.asset_cache import LONG_CACHE, LongCacheForVersionedAssets
from own_loop import run_in_own_loop

BUNDLE = player_assets.ASSET_DIR / player_assets.PLOTLY_JS
SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"


def test_the_bundle_is_the_plotly_package_s_plotly_js_version_unchanged_from_npm():
    text = BUNDLE.read_text(encoding="utf-8")
    version = re.search(r"plotly\.js \(basic - minified\) v(\S+)", text[:300]).group(1)
    assert version == plotly.offline.get_plotlyjs_version()
    assert hashlib.sha256(BUNDLE.read_bytes()).hexdigest() == SHA256
    assert SHA256 in (BUNDLE.parent / "README.md").read_text(encoding="utf-8")
    assert "MIT License" in (BUNDLE.parent / "LICENSE").read_text(encoding="utf-8")
    assert "window.Plotly = Plotly" in text[-200:]  # a classic script that defines window.Plotly


def test_the_bundle_registers_every_trace_type_the_player_and_its_export_use():
    bundled = set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text(encoding="utf-8")))
    assert bundled == set(player_assets.PLOTLY_JS_TRACE_TYPES)
    used = set()
    for name in player_assets.PLAYER_SCRIPTS:
        used |= set(re.findall(r'\btype:\s*"(\w+)"', player_assets.asset_text(name)))
    assert "scatter" in used and used <= bundled, used - bundled
    assert "Plotly.newPlot" in player_assets.player_script_text()  # the scan read the real scripts


def served(path: str, query: bytes, base: str = "", status: int = 200) -> list:
    """The messages the middleware sends for a file that Streamlit answers with `Cache-Control: public`."""
    sent = []

    async def streamlit(scope, receive, send):
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/javascript"), (b"Cache-Control", b"public")]})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": query, "headers": []}
    run_in_own_loop(LongCacheForVersionedAssets(streamlit, base_url_path=base)(scope, None, send))
    return sent


@pytest.mark.parametrize("base, path, query, long", [
    ("", "/component/ui.em_player.em_player_assets/vendor/plotly-basic.min.js", b"v=0123456789", True),
    ("", "/component/ui.em_player.em_player_assets/mount.js", b"x=1&v=abc", True),
    ("/em/", "/em/component/ui.em_player.em_player_assets/mount.js", b"v=abc", True),
    ("", "/component/ui.em_player.em_player_assets/mount.js", b"", False),  # unversioned: may change
    ("", "/component/ui.em_player.em_player_assets/mount.js", b"v=", False),
    ("", "/static/js/index.js", b"v=abc", False),  # Streamlit's own files keep their headers
    ("/em/", "/component/x/mount.js", b"v=abc", False),  # outside the base path
])
def test_only_versioned_component_files_are_cached_for_a_year(base, path, query, long):
    start, body = served(path, query, base)
    headers = [(k.lower(), v) for k, v in start["headers"]]
    assert [v for k, v in headers if k == b"cache-control"] == ([LONG_CACHE] if long else [b"public"])  # one header
    assert (b"content-type", b"text/javascript") in headers and body["type"] == "http.response.body"


def test_an_error_response_is_never_cached_for_long():
    start, _ = served("/component/a/missing.js", b"v=1", status=404)
    assert [v for k, v in start["headers"] if k.lower() == b"cache-control"] == [b"public"]
