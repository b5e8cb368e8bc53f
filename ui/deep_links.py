"""Links with more than one path segment, served as Streamlit's 'Page not found' instead of a blank page.

Streamlit answers any unknown path with its page, whose scripts are referenced relative to it
(./static/...). Under /choose_k/extra or /pages/explore.py they resolve to /choose_k/static/... and
/pages/static/..., which are unknown paths too, so the browser gets the page again instead of its
scripts and shows nothing. This ASGI middleware (mounted by app.py through st.App) redirects such a
page request to the same path as one segment, /choose_k%2Fextra, where the scripts resolve and
Streamlit shows its 'Page not found' message over the main page, as for any other unknown page.
"""

from __future__ import annotations

from urllib.parse import quote

from ui.base_path import url_prefix

# Streamlit's own routes (st.App's reserved prefixes, and static file serving): never redirected.
_STREAMLIT_ROUTES = frozenset({"_stcore", "media", "component", "static", "app"})


class NestedPathRedirect:
    """Starlette-compatible ASGI middleware: GET or HEAD of a page (a document the browser navigates to)
    at a path of two or more segments -> 307 to that path as one segment, query string kept."""

    def __init__(self, app, base_url_path: str = ""):
        self.app = app
        self.base = url_prefix(base_url_path)

    async def __call__(self, scope, receive, send):
        target = self.redirect_target(scope)
        if target is None:
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 307,
                    "headers": [(b"location", target.encode("latin-1")), (b"content-length", b"0"),
                                (b"cache-control", b"no-cache")]})
        await send({"type": "http.response.body", "body": b""})

    def redirect_target(self, scope) -> str | None:
        """Where to send this request, or None to serve it as it is."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not _is_page_request(scope):
            return None
        # The path as sent: the one segment we redirect to decodes (in scope["path"]) to the nested path.
        path = (scope.get("raw_path") or scope["path"].encode("latin-1")).decode("latin-1")
        if self.base and not (path == self.base or path.startswith(self.base + "/")):
            return None
        segments = [s for s in path[len(self.base):].split("/") if s]
        if len(segments) < 2 or segments[0] in _STREAMLIT_ROUTES:
            return None
        query = scope.get("query_string", b"").decode("latin-1")
        return f"{self.base}/{quote('/'.join(segments), safe='%')}" + (f"?{query}" if query else "")


def _is_page_request(scope) -> bool:
    """A navigation to a page, not a script, style, font or API call the page makes."""
    headers = dict(scope.get("headers") or [])
    destination = headers.get(b"sec-fetch-dest")
    if destination is not None:
        return destination == b"document"
    return b"text/html" in headers.get(b"accept", b"")
