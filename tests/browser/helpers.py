"""Plain helper functions for the real-browser (Playwright) tests.

DOM hooks used here were checked against the static JS bundled with
streamlit 1.67 (site-packages/streamlit/static):

* ``[data-testid="stApp"]`` - app root.  It carries two test attributes:
  ``data-test-script-state`` = ``initial`` (no run yet) | ``running`` |
  ``rerunRequested`` | ``stopRequested`` | ``notRunning`` | ``compilationError``
  and ``data-test-connection-state`` = ``INITIAL`` | ``CONNECTING`` |
  ``CONNECTED`` | ``PINGING_SERVER`` | ``DISCONNECTED_FOREVER`` | ...
* ``[data-testid="stStatusWidget"]`` - top-right status widget.  It is only
  mounted while the script runs (then it contains
  ``[data-testid="stStatusWidgetRunningIcon"]``), when the source changed,
  or when the connection is not healthy; when the app is idle it is absent.
* ``[data-testid="stException"]`` - an ``st.exception`` / uncaught error box
  (rows of the traceback are ``[data-testid="stExceptionTraceRow"]``).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

APP = '[data-testid="stApp"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'
RUNNING_ICON = '[data-testid="stStatusWidgetRunningIcon"]'
EXCEPTION = '[data-testid="stException"]'

# Script states in which nothing is (or is about to be) executing.
_IDLE_SCRIPT_STATES = ("notRunning", "compilationError")

_IDLE_JS = """
([appSel, widgetSel, runningSel, idleStates]) => {
  const app = document.querySelector(appSel);
  if (!app) return false;
  if (app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
  if (!idleStates.includes(app.getAttribute("data-test-script-state"))) return false;
  if (document.querySelector(runningSel)) return false;
  const widget = document.querySelector(widgetSel);
  if (widget && /Running/i.test(widget.innerText || "")) return false;
  return true;
}
"""


def _app_state(page) -> str:
    """Short description of the app's state, for timeout messages."""
    try:
        return page.evaluate(
            """(appSel) => {
              const app = document.querySelector(appSel);
              if (!app) return "no stApp element";
              return "script-state=" + app.getAttribute("data-test-script-state")
                + " connection-state=" + app.getAttribute("data-test-connection-state");
            }""",
            APP,
        )
    except Exception as exc:  # page closed / navigating
        return f"(could not read state: {exc})"


def wait_for_app_idle(page, timeout_ms: int = 60_000, settle_ms: int = 300) -> None:
    """Wait until the Streamlit app is connected and has finished its run.

    Idle means: ``stApp`` is present, connected, its script state is
    ``notRunning`` (or ``compilationError``), and the status widget is gone or
    not showing "Running".  The condition must still hold ``settle_ms`` later,
    which guards against a rerun that was triggered (e.g. by a click) but has
    not reached the frontend yet.  Raises ``AssertionError`` on timeout.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    args = [APP, STATUS_WIDGET, RUNNING_ICON, list(_IDLE_SCRIPT_STATES)]
    while True:
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0:
            break
        try:
            page.wait_for_function(_IDLE_JS, arg=args, timeout=remaining_ms, polling=100)
        except PlaywrightTimeoutError:
            break
        page.wait_for_timeout(settle_ms)
        if page.evaluate(_IDLE_JS, args):
            return
    raise AssertionError(
        f"Streamlit app did not become idle within {timeout_ms} ms: {_app_state(page)}"
    )


def assert_no_exception(page) -> None:
    """Assert the page shows no Streamlit exception box and no traceback text."""
    boxes = page.locator(EXCEPTION)
    count = boxes.count()
    if count:
        texts = [boxes.nth(i).inner_text() for i in range(count)]
        raise AssertionError(
            f"{count} Streamlit exception element(s) on the page:\n\n" + "\n---\n".join(texts)
        )
    body = page.locator("body").inner_text()
    if "Traceback" in body:
        idx = body.index("Traceback")
        raise AssertionError(
            "Page text contains 'Traceback':\n" + body[max(0, idx - 200): idx + 1500]
        )


def open_details(page, label: str, timeout_ms: int = 60_000) -> None:
    """Click the Explorer's details tab `label` (ui/fit_details.py: a click reruns the page to draw it) and wait
    until the page has drawn it."""
    tab = page.get_by_role("tab", name=label)
    tab.scroll_into_view_if_needed()
    tab.click()
    page.get_by_role("tab", name=label, selected=True).wait_for(timeout=timeout_ms)
    wait_for_app_idle(page, timeout_ms=timeout_ms)


def download(page, button, timeout_ms: int = 90_000):
    """Click a download button and return the Download; a failure names the button's own error message."""
    try:
        with page.expect_download(timeout=timeout_ms) as info:
            button.click()
    except PlaywrightTimeoutError:
        errors = page.locator('[data-testid="stDownloadButtonError"]').all_inner_texts()
        raise AssertionError(f"no download within {timeout_ms} ms; the buttons' errors: {errors}") from None
    return info.value


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a PNG screenshot to test-artifacts/<name>.png and return its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    if not safe.endswith(".png"):
        safe += ".png"
    path = ARTIFACTS_DIR / safe
    page.screenshot(path=str(path), full_page=full_page)
    return path


# The EM player's frame label (e.g. 'iteration 3 · E-step'), or null before the player is drawn.
FRAME_LABEL_JS = """() => {
  const label = document.querySelector('.emp .emp-frame-label');
  return label && label.textContent ? label.textContent : null;
}"""

# The player (see player/player.js) is drawn and shows a frame.
PLAYER_READY_JS = """() => { const e = document.querySelector('.emp');
  return !!(e && e.__emPlayer && e.__emPlayer.shown && e.querySelector('.emp-data .main-svg')); }"""


# Pixels per data unit of the player's data view, measured from the rendered tick labels: the screen
# distance between the first and last labelled tick over the difference of their values.
PIXELS_PER_UNIT_JS = """() => {
  const value = t => Number(t.textContent.replace('−', '-'));
  const scale = (selector, centre) => {
    const ticks = Array.from(document.querySelectorAll(selector)).filter(t => t.textContent.trim() !== '');
    if (ticks.length < 2) return null;
    const a = ticks[0], b = ticks[ticks.length - 1];
    return Math.abs((centre(b.getBoundingClientRect()) - centre(a.getBoundingClientRect())) / (value(b) - value(a)));
  };
  return {x: scale('.emp-data .xtick text', r => r.left + r.width / 2),
          y: scale('.emp-data .ytick text', r => r.top + r.height / 2)};
}"""


# A fingerprint of what the browser holds and shows: the player's whole payload, its frame, and every
# path and marker it drew for that frame (so equal fingerprints mean the same data, fit and picture).
FINGERPRINT_JS = """() => {
  const root = document.querySelector('.emp');
  if (!root || !root.__emPlayer || !root.__emPlayer.shown || root.__emPlayer.busy) return null;
  const player = root.__emPlayer;
  const hash = text => { let h = 0; for (let i = 0; i < text.length; i++) { h = (h * 31 + text.charCodeAt(i)) | 0; } return h; };
  const payload = JSON.stringify(player.payload);
  const drawn = Array.from(root.querySelectorAll('.emp-layer path, .emp-layer circle, .emp-layer g.emp-mean'))
    .map(n => n.getAttribute('d') || n.getAttribute('transform') || [n.getAttribute('cx'), n.getAttribute('cy')].join(','))
    .join('|');
  return {payload: hash(payload), length: payload.length, drawn: hash(drawn), frames: player.frameCount(),
          frame: player.index, label: root.querySelector('.emp-frame-label').textContent};
}"""


def player_fingerprint(page, timeout_ms: int = 30_000) -> dict:
    """FINGERPRINT_JS once the player has settled: the page may still be drawing a payload that the
    server has just sent, so wait for two equal readings 300 ms apart."""
    deadline = time.monotonic() + timeout_ms / 1000
    previous = None
    while True:
        current = page.evaluate(FINGERPRINT_JS)
        if current is not None and current == previous:
            return current
        assert time.monotonic() < deadline, f"the player did not settle: {previous} then {current}"
        previous = current
        page.wait_for_timeout(300)
