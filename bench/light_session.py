"""A light browser session: what a page view costs the server, without a browser.

It does what Streamlit's frontend does when a tab opens a link: GET the page, open the websocket
`/_stcore/stream` (subprotocol "streamlit", same-origin `Origin`), send one BackMsg `rerun_script`
carrying the link's query string, and read the ForwardMsg stream until the script run finishes.
It draws nothing and downloads no scripts, so on 2 cores it can hold far more sessions than
Chromium; only the server's work is measured.

    result = asyncio.run(open_session("http://127.0.0.1:8501", "data=blobs&k=4", hold=asyncio.Event()))

The first figure is the EM player's element (`key="em_player"`, ui/em_player.py) carrying a payload.
Every wait has a timeout; nothing loops without a bound.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PLAYER_ID_SUFFIX = "-em_player"  # a keyed element's id ends with its key (the preload is em_player_preload)
MAX_MESSAGES = 5_000  # a page run sends a few hundred; more means something is wrong
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class SessionResult:
    """What one session saw. Times are seconds since it started (None: it never happened)."""

    query: str
    first_message_s: float | None = None
    first_figure_s: float | None = None
    finished_s: float | None = None
    bytes_received: int = 0
    figure_bytes: int = 0
    messages: int = 0
    problems: list[str] = field(default_factory=list)  # exceptions shown, errors, timeouts

    @property
    def served(self) -> bool:
        """The page ran to its end, showed the figure and no error."""
        return self.first_figure_s is not None and self.finished_s is not None and not self.problems


def rerun_message(query: str) -> bytes:
    """The BackMsg a browser sends first: run the main page for this query string."""
    message = BackMsg()
    state = message.rerun_script
    state.query_string = query
    state.page_script_hash = ""
    state.context_info.timezone = "UTC"
    state.context_info.locale = "en-GB"
    state.context_info.url = f"http://localhost/?{query}"
    state.widget_states.SetInParent()
    return message.SerializeToString()


def _fetch_page(base_url: str, query: str, timeout_s: float) -> None:
    with _NO_PROXY.open(f"{base_url}/?{query}", timeout=timeout_s) as response:
        response.read()


def _is_figure(message: ForwardMsg) -> bool:
    if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
        return False
    element = message.delta.new_element
    return element.WhichOneof("type") == "bidi_component" and element.bidi_component.id.endswith(PLAYER_ID_SUFFIX)


def _problem(message: ForwardMsg) -> str | None:
    """An exception box or an error the page showed, in a few words."""
    if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
        return None
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return f"exception: {element.exception.type}"
    if kind == "alert" and element.alert.format == element.alert.ERROR:
        return f"error: {element.alert.body[:120]}"
    return None


async def open_session(base_url: str, query: str, hold: asyncio.Event | None = None,
                       on_run_end: Callable[[], None] | None = None, timeout_s: float = 300.0) -> SessionResult:
    """Open the link as a browser tab would and wait for its first script run to finish.

    hold : when given, the websocket stays open (the tab stays open) until it is set, or the timeout
    on_run_end : called once when the run has ended, or the session has given up
    """
    result = SessionResult(query)
    start = time.monotonic()
    deadline = start + timeout_s
    run_over = False
    try:
        await asyncio.wait_for(asyncio.to_thread(_fetch_page, base_url, query, timeout_s), timeout_s)
        ws_url = base_url.replace("http", "ws", 1) + "/_stcore/stream"
        async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=base_url, max_size=None,
                                      open_timeout=max(1.0, deadline - time.monotonic()), ping_interval=None) as ws:
            await ws.send(rerun_message(query))
            await _read_run(ws, result, start, deadline)
            run_over = True
            if on_run_end is not None:
                on_run_end()
            if hold is not None:
                await asyncio.wait_for(hold.wait(), max(0.0, deadline - time.monotonic()))
    except (TimeoutError, asyncio.TimeoutError):
        result.problems.append(f"timed out after {timeout_s:.0f} s")
    except (OSError, websockets.WebSocketException) as error:
        result.problems.append(f"connection: {type(error).__name__}: {error}")
    finally:
        if not run_over and on_run_end is not None:
            on_run_end()
    return result


async def _read_run(ws, result: SessionResult, start: float, deadline: float) -> None:
    """Read ForwardMsgs until the first script run finishes (bounded by count and deadline)."""
    for _ in range(MAX_MESSAGES):
        raw = await asyncio.wait_for(ws.recv(), max(0.0, deadline - time.monotonic()))
        now = time.monotonic() - start
        result.messages += 1
        result.bytes_received += len(raw)
        if result.first_message_s is None:
            result.first_message_s = now
        message = ForwardMsg()
        message.ParseFromString(raw)
        if _is_figure(message) and result.first_figure_s is None:
            result.first_figure_s, result.figure_bytes = now, len(raw)
        if (problem := _problem(message)) is not None:
            result.problems.append(problem)
        if message.WhichOneof("type") == "script_finished" and message.script_finished != message.FINISHED_EARLY_FOR_RERUN:
            result.finished_s = now
            if result.first_figure_s is None:
                result.problems.append("the run finished without the player")
            return
    result.problems.append(f"no end of the run after {MAX_MESSAGES} messages")
