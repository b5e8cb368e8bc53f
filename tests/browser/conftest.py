"""Session fixtures for the real-browser tests (Playwright + Debian chromium).

Fixtures:
    chromium_path  (session) -> str   path of the chromium executable
    app_server     (session) -> str   base URL of a running `streamlit run app.py`
    browser        (session) -> playwright.sync_api.Browser
    page           (function) -> playwright.sync_api.Page in a fresh context

Helpers (wait_for_app_idle, assert_no_exception, screenshot) live in
tests/browser/helpers.py; import them with `from .helpers import ...`.

Everything listens on / talks to 127.0.0.1 only.  Server logs and
screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .helpers import ARTIFACTS_DIR, REPO_ROOT

DEFAULT_CHROMIUM = "/usr/bin/chromium"
SERVER_START_TIMEOUT_S = 60
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}

# Talk to the local server directly, never through a proxy from the environment.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --------------------------------------------------------------------------- #
# chromium
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("EM_CHROMIUM") or DEFAULT_CHROMIUM
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    msg = (
        f"chromium executable not found at {path!r} "
        "(set EM_CHROMIUM to override the default /usr/bin/chromium)."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{msg} CI=true, so browser tests must run; .ci/run installs it with "
            "`apt-get install -y chromium`.",
            pytrace=False,
        )
    pytest.skip(
        f"{msg} To enable the browser tests: `sudo apt-get install chromium` "
        "(Playwright's own browser download is not used)."
    )


# --------------------------------------------------------------------------- #
# streamlit server
# --------------------------------------------------------------------------- #
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health_ok(base_url: str) -> bool:
    try:
        with _NO_PROXY_OPENER.open(f"{base_url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _tail(path: Path, n_chars: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n_chars:]
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's process group (it was started in its own session)."""
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def app_server():
    """Start `streamlit run app.py` on a free loopback port; yield its base URL."""
    with running_app_server() as base_url:
        yield base_url


@pytest.fixture
def fresh_app_server():
    """A server of this test's own, for behaviour that only a freshly started server shows."""
    with running_app_server() as base_url:
        yield base_url


@contextlib.contextmanager
def running_app_server(script: str = "app.py"):
    """Run `streamlit run <script>` (a path from the repository root) on a free loopback port for the
    duration of the block."""
    app = REPO_ROOT / script
    if not app.is_file():
        pytest.fail(f"{app} does not exist; nothing to serve.", pytrace=False)
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")

    last_error = ""
    for _attempt in range(3):  # retry only if the picked port got taken meanwhile
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        cmd = [
            sys.executable, "-m", "streamlit", "run", script,
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]
        stderr_path = ARTIFACTS_DIR / f"streamlit-server-{port}.stderr.log"
        stdout_path = ARTIFACTS_DIR / f"streamlit-server-{port}.stdout.log"
        with open(stderr_path, "wb") as err, open(stdout_path, "wb") as out:
            proc = subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,  # own process group -> clean teardown
            )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                if _health_ok(base_url):
                    break
                time.sleep(0.25)
            if proc.poll() is None and _health_ok(base_url):
                print(f"\n[app_server] streamlit ready at {base_url} (stderr: {stderr_path})")
                yield base_url
                return
            last_error = (
                f"streamlit did not become healthy at {base_url}/_stcore/health "
                f"within {SERVER_START_TIMEOUT_S}s (exit code {proc.poll()}).\n"
                f"Command: {' '.join(cmd)}\n--- stderr ({stderr_path}) ---\n{_tail(stderr_path)}"
                f"\n--- stdout ({stdout_path}) ---\n{_tail(stdout_path)}"
            )
            port_taken = re.search(r"already in use", _tail(stderr_path) + _tail(stdout_path))
            if proc.poll() is None or not port_taken:
                break
        finally:
            _stop(proc)
    pytest.fail(last_error, pytrace=False)


# --------------------------------------------------------------------------- #
# playwright
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Make each phase's report available to fixtures (item.rep_setup / rep_call).
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


@pytest.fixture
def page(browser, request):
    """A fresh 1400x1000 browser context + page per test.

    If the test fails, a screenshot and the browser console log are saved to
    test-artifacts/FAILED-<test name>.{png,console.txt}.
    """
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            stem = "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            try:
                pg.screenshot(path=str(ARTIFACTS_DIR / f"{stem}.png"), full_page=True)
            except Exception:
                pass
            (ARTIFACTS_DIR / f"{stem}.console.txt").write_text("\n".join(console))
        context.close()
