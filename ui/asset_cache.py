"""A year-long browser cache for the EM player's files, which never change under their URL.

Streamlit's component file route answers `Cache-Control: public` (no max-age), so a browser may ask again
on every visit and, for the 1.2 MB plotly.js, wait for the answer before the first figure. Every URL the
player loads carries its content's hash (`?v=...`, ui/em_player.asset_urls), so a new version is a new
URL: this ASGI middleware (mounted by app.py through st.App) marks exactly those responses immutable.
"""

from __future__ import annotations

from ui.base_path import url_prefix

LONG_CACHE = b"public, max-age=31536000, immutable"


class LongCacheForVersionedAssets:
    """Starlette-compatible ASGI middleware: a successful GET or HEAD of <base>/component/...?v=<hash>
    gets `Cache-Control: public, max-age=31536000, immutable`; every other response passes unchanged."""

    def __init__(self, app, base_url_path: str = ""):
        self.app = app
        self.prefix = url_prefix(base_url_path) + "/component/"

    async def __call__(self, scope, receive, send):
        if not self.applies(scope):
            await self.app(scope, receive, send)
            return

        async def send_long_cached(message):
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message = {**message, "headers": headers + [(b"cache-control", LONG_CACHE)]}
            await send(message)

        await self.app(scope, receive, send_long_cached)

    def applies(self, scope) -> bool:
        """A request for a versioned component file."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return False
        query = scope.get("query_string", b"").split(b"&")
        return scope["path"].startswith(self.prefix) and any(part.startswith(b"v=") and len(part) > 2 for part in query)
