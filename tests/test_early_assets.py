"""ui/early_assets.py: a page's HTML gets the player's early loader before </head>; nothing else changes."""

from __future__ import annotations

import json
import re

import pytest

from ui import em_player
from ui.early_assets import EarlyPlayerAssets
from own_loop import run_in_own_loop

SCRIPT = b"<script>EARLY</script>"
PAGE = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body><div id='root'></div></body></html>"
BROWSER_PAGE_ACCEPT = b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
REQUEST_HEADERS = [(b"accept", BROWSER_PAGE_ACCEPT), (b"accept-encoding", b"gzip, br"),
                   (b"if-none-match", b'"abc"'), (b"if-modified-since", b"Tue, 01 Dec 2026 10:00:00 GMT")]


def serve(body_chunks, *, content_type=b"text/html", status=200, extra=(), headers=REQUEST_HEADERS,
          method="GET", loader=lambda: SCRIPT, path="/", base=""):
    """The messages the middleware sends for one request, and the request headers the app behind it saw."""
    seen, sent = {}, []

    async def streamlit(scope, receive, send):
        seen["headers"] = scope["headers"]
        length = str(sum(len(chunk) for chunk in body_chunks)).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", content_type), (b"content-length", length), (b"etag", b'"abc"'),
            (b"last-modified", b"Tue, 01 Dec 2026 10:00:00 GMT"), (b"cache-control", b"no-cache"), *extra]})
        for i, chunk in enumerate(body_chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(body_chunks) - 1})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": b"", "headers": headers}
    middleware = EarlyPlayerAssets(streamlit, base_url_path=base, player_pages=("", "explore"), loader=loader)
    run_in_own_loop(middleware(scope, None, send))
    return sent, seen["headers"]


def body_of(sent) -> bytes:
    return b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")


def headers_of(sent) -> dict:
    return {k: v for k, v in sent[0]["headers"]}


@pytest.mark.parametrize("chunks", [[PAGE], [PAGE[:40], PAGE[40:70], PAGE[70:]]])
@pytest.mark.parametrize("path, base", [("/", ""), ("/explore", ""), ("/em/", "/em/"), ("/em", "em"),
                                        ("/em/explore/", "em")])
def test_a_player_page_gets_the_loader_just_before_the_end_of_its_head(chunks, path, base):
    sent, _ = serve(chunks, content_type=b"text/html; charset=utf-8", path=path, base=base)
    body = body_of(sent)
    assert body == PAGE.replace(b"</head>", SCRIPT + b"</head>")
    headers = headers_of(sent)
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"etag" not in headers and b"last-modified" not in headers  # a 304 must not bring back an old head
    assert headers[b"cache-control"] == b"no-cache" and sent[0]["status"] == 200


def test_the_page_is_asked_for_whole_uncompressed_and_unconditionally():
    _, seen = serve([PAGE])
    assert [k for k, _ in seen] == [b"accept"]


@pytest.mark.parametrize("case", ["script", "post", "no loader yet", "compressed", "not found", "json",
                                  "another page", "outside the base path"])
def test_everything_else_passes_untouched(case):
    kwargs = {
        "another page": {"path": "/choose_k"},  # draws with Streamlit's plotly.js: nothing to load early
        "outside the base path": {"path": "/", "base": "em"},
        "script": {"headers": [(b"accept", b"*/*"), (b"accept-encoding", b"gzip")]},
        "post": {"method": "POST"},
        "no loader yet": {"loader": lambda: None},
        "compressed": {"extra": [(b"content-encoding", b"gzip")]},
        "not found": {"status": 404},
        "json": {"content_type": b"application/json"},
    }[case]
    sent, seen = serve([PAGE[:50], PAGE[50:]], **kwargs)
    assert body_of(sent) == PAGE and b"etag" in headers_of(sent)
    if case not in ("compressed", "not found", "json"):  # not a player page: the headers go through as sent
        assert seen == kwargs.get("headers", REQUEST_HEADERS)


def test_the_loader_names_the_served_assets_and_cannot_close_its_script_early(monkeypatch):
    monkeypatch.setattr(em_player, "_served_urls", None)
    assert em_player.early_loader_html() is None  # before a session registered the files: nothing to add
    urls = {"plotly": "/component/x/plotly.js?v=1", "player": ["/component/x/a.js?v=2</script><b>"],
            "css": "/component/x/em_player.css?v=3"}
    monkeypatch.setattr(em_player, "_served_urls", urls)
    html = em_player.early_loader_html().decode()
    assert html.startswith("<script>") and html.count("</script>") == 1 and html.endswith("</script>")
    argument = re.search(r"loadAssets\((\{.*\})\); \}\)\(\);</script>$", html).group(1)
    assert json.loads(argument) == urls
    assert em_player.LOAD_ASSETS_JS in html
