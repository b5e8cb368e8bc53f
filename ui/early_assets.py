"""The Explorer's HTML starts loading the EM player's plotly.js and scripts itself, with Streamlit's own bundle.

Without it they are fetched when Streamlit draws the first element that needs them, about 2.5 s into a first
visit on a 2-core machine (Streamlit boots, opens its websocket, runs the page, loads each element's code);
plotly.js then still had to download and run before the figure. This ASGI middleware (mounted by app.py
through st.App) adds ui/em_player.early_loader_html() before `</head>` of the pages that show the player, so the
browser fetches and runs plotly.js while Streamlit's bundle downloads. The elements' own
loader finds the load under way (window.__empLoading) and waits for it.

Only whole HTML answers change: the request goes in without `Accept-Encoding` (the page is ~2 KB) and without
validators (a 304 would reuse a head naming older asset versions), and the answer loses its ETag and
Last-Modified. Everything else passes untouched, and the page is unchanged until a session has registered
the player's files with this server (before that, the server would answer them 404).
"""

from __future__ import annotations

from ui.base_path import url_prefix
from ui.em_player import early_loader_html

_HEAD_END = b"</head>"
_DROPPED_REQUEST_HEADERS = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
_DROPPED_RESPONSE_HEADERS = {b"content-length", b"etag", b"last-modified"}


class EarlyPlayerAssets:
    """Starlette-compatible ASGI middleware: a GET whose answer is the HTML of a page that shows the player
    (`player_pages`: their URL paths under the base path, "" for the default page) gets the early loader."""

    def __init__(self, app, base_url_path: str = "", player_pages=("",), loader=early_loader_html):
        self.app = app
        self.base = url_prefix(base_url_path)
        # Other pages draw with Streamlit's own plotly.js: loading this one there would only cost their first visit.
        self.paths = {f"{self.base}/{page}".rstrip("/") or "/" for page in player_pages}
        self.loader = loader  # returns the <script> to add, or None for none yet

    async def __call__(self, scope, receive, send):
        script = self.loader() if self.asks_for_a_page(scope) else None
        if script is None:
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in _DROPPED_REQUEST_HEADERS]}
        held: dict = {}

        async def add_loader(message):
            if message["type"] == "http.response.start":
                if _is_plain_html(message):
                    held.update(start=message, body=b"")
                    return
            elif "start" in held and message["type"] == "http.response.body":
                held["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                body = held["body"].replace(_HEAD_END, script + _HEAD_END, 1)
                headers = [(k, v) for k, v in held.pop("start")["headers"] if k.lower() not in _DROPPED_RESPONSE_HEADERS]
                await send({"type": "http.response.start", "status": 200,
                            "headers": headers + [(b"content-length", str(len(body)).encode())]})
                message = {"type": "http.response.body", "body": body}
            await send(message)

        await self.app(scope, receive, add_loader)

    def asks_for_a_page(self, scope) -> bool:
        """A browser's request for the document of a player page (its Accept names HTML), not for a script,
        style, data or another page."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        if (scope["path"].rstrip("/") or "/") not in self.paths:
            return False
        accept = next((v for k, v in scope["headers"] if k.lower() == b"accept"), b"")
        return b"text/html" in accept


def _is_plain_html(start: dict) -> bool:
    """A 200 answer of uncompressed HTML."""
    headers = {k.lower(): v for k, v in start.get("headers", [])}
    return (start["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html")
            and b"content-encoding" not in headers)
