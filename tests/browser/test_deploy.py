"""The deployment of deploy/ on this machine: three replicas (the Dockerfile's command line, on loopback
ports) behind HAProxy (deploy/haproxy.cfg itself, Debian's haproxy), driven by real browser sessions.

New sessions spread over the replicas and every request of a session stays on its replica; the same
link gives the same figure on every replica, and its share link names the proxy and works through it;
stopping one replica affects only the sessions on it (they reconnect to another and see their view
again, from the settings in their URL), and new sessions go to the others.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.deploy_files import HAPROXY_CONFIG, haproxy_executable, proxy_environment, proxy_servers, replica_command

from .conftest import SERVER_START_TIMEOUT_S, VIEWPORT, _free_port, _health_ok, _stop, _tail
from .helpers import ARTIFACTS_DIR, REPO_ROOT, player_fingerprint, screenshot, wait_for_app_idle
from .test_links import click_label, share_link
from .test_uploads import PLOT_HAS_FRAMES_JS, FrameCounter, assert_nothing_broken

pytestmark = [pytest.mark.browser, pytest.mark.deploy]

LINK = {"data": "blobs", "true_k": "3", "k": "3", "dseed": "7"}
REPLICA_HEADER = "x-em-replica"  # set by haproxy.cfg: which server answered
RECONNECT_TIMEOUT_MS = 60_000
STEP_MODE, STEP_PARAMETER = "Step mode: E-step and M-step as separate frames", "steps=1"


# --------------------------------------------------------------------------- #
# the deployment: replicas and proxy
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def haproxy_path() -> str:
    path = haproxy_executable()
    if path is not None:
        return path
    message = "haproxy not found (set EM_HAPROXY to override /usr/sbin/haproxy)."
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} CI=true, so the deployment test must run; .ci/run installs it with "
                    "`apt-get install -y haproxy`.", pytrace=False)
    pytest.skip(f"{message} To enable the deployment test: `sudo apt-get install haproxy`.")


@dataclass
class Process:
    """A server started in a session of its own (so that stopping it stops its children too)."""

    name: str
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        _stop(self.process)


def start_process(name: str, command: list[str], url: str, env: dict, log: Path) -> Process:
    """Start `command` and wait until `url`/_stcore/health answers "ok"."""
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=dict(os.environ, PYTHONUNBUFFERED="1", **env),
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    started = Process(name, process, url, log)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        if _health_ok(url):
            return started
        time.sleep(0.25)
    started.stop()
    pytest.fail(f"{name} did not answer {url}/_stcore/health within {SERVER_START_TIMEOUT_S} s "
                f"(exit code {process.poll()}).\nCommand: {' '.join(command)}\n--- {log} ---\n{_tail(log)}",
                pytrace=False)


@dataclass
class Deployment:
    proxy: Process
    replicas: dict[str, Process]  # haproxy.cfg's server name -> its replica


@pytest.fixture(scope="module")
def deployment(haproxy_path):
    """Three replicas on free loopback ports and HAProxy in front of them, run as in deploy/compose.yaml."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        replicas = {}
        for name, _ in proxy_servers():
            port = _free_port()
            replica = start_process(name, replica_command("127.0.0.1", port), f"http://127.0.0.1:{port}", {},
                                    ARTIFACTS_DIR / f"deploy-replica-{name}-{port}.log")
            stack.callback(replica.stop)
            replicas[name] = replica
        port = _free_port()
        environment = proxy_environment(f"127.0.0.1:{port}", [r.url.removeprefix("http://") for r in replicas.values()])
        # -db: stay in the foreground, log to stdout (the config's `log stdout`); nothing is written elsewhere.
        proxy = start_process("haproxy", [haproxy_path, "-db", "-f", str(HAPROXY_CONFIG)], f"http://127.0.0.1:{port}",
                              environment, ARTIFACTS_DIR / f"deploy-haproxy-{port}.log")
        stack.callback(proxy.stop)
        print(f"\n[deploy] haproxy at {proxy.url} -> " + ", ".join(f"{n} {r.url}" for n, r in replicas.items()))
        yield Deployment(proxy, replicas)


# --------------------------------------------------------------------------- #
# browser sessions through the proxy
# --------------------------------------------------------------------------- #
@dataclass
class Session:
    """One browser (its own cookies) with one tab, and what it saw of the replicas."""

    context: object
    page: object
    replica: str = ""  # the replica that answered the page itself
    answered_by: list[str] = field(default_factory=list)  # REPLICA_HEADER of every HTTP response since
    closed_websockets: int = 0

    def close(self) -> None:
        self.context.close()


def open_session(browser, url: str) -> Session:
    """Navigate a new browser to `url` (returns once the page's response is in; the app is still loading)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    session = Session(context, page)
    page.frame_counter = FrameCounter(page)
    # Only what came over the network: a components-v2 element also loads its own script from a blob: URL.
    page.on("response", lambda response: session.answered_by.append(response.headers.get(REPLICA_HEADER))
            if response.url.startswith("http") else None)

    def on_websocket(websocket) -> None:
        websocket.on("close", lambda _: setattr(session, "closed_websockets", session.closed_websockets + 1))

    page.on("websocket", on_websocket)
    response = page.goto(url, wait_until="commit")
    session.replica = response.headers.get(REPLICA_HEADER, "")
    return session


def shown_figure(page) -> dict:
    """Wait for the run to end with the animation on the page; its fingerprint."""
    page.wait_for_function(PLOT_HAS_FRAMES_JS, timeout=90_000)
    wait_for_app_idle(page, timeout_ms=90_000)
    assert_nothing_broken(page)
    return player_fingerprint(page)


def replica_of_next_request(session: Session) -> str:
    """The replica that answers this browser's next HTTP request (the health check its page also polls)."""
    response = session.page.request.get(session.page.url.split("?")[0].rstrip("/") + "/_stcore/health")
    assert response.ok, response.status
    return response.headers.get(REPLICA_HEADER, "")


def test_sessions_spread_stick_share_links_and_survive_a_stopped_replica(deployment, browser):
    url = f"{deployment.proxy.url}/?{urlencode(LINK)}"
    names = set(deployment.replicas)
    sessions = []
    try:
        # Three new browsers, one after another: round robin gives each its own replica ...
        sessions = [open_session(browser, url) for _ in names]
        figures = [shown_figure(session.page) for session in sessions]
        assert {session.replica for session in sessions} == names, [s.replica for s in sessions]
        # ... every request of a browser went to its replica (page, scripts, styles, health checks) ...
        for session in sessions:
            assert len(session.answered_by) >= 5 and set(session.answered_by) == {session.replica}, session.answered_by
            assert replica_of_next_request(session) == session.replica
        # ... and every replica drew the same figure for the same link.
        assert figures[0] == figures[1] == figures[2]

        # The share link names the proxy, not a replica, and opens the same view in another browser.
        link = share_link(sessions[0].page)
        assert link.startswith(deployment.proxy.url + "/?"), link
        shared = open_session(browser, link)
        sessions.append(shared)
        assert shown_figure(shared.page) == figures[0]
        screenshot(shared.page, "deploy-shared-link-through-proxy")

        # Stop the replica of the second browser.
        victim = sessions[1].replica
        on_victim = [s for s in sessions if s.replica == victim]
        elsewhere = [s for s in sessions if s.replica != victim]
        deployment.replicas[victim].stop()

        # Its sessions lose their websocket; the others never notice.
        for session in on_victim:
            deadline = time.monotonic() + RECONNECT_TIMEOUT_MS / 1000
            while session.closed_websockets == 0:
                assert time.monotonic() < deadline, "the stopped replica's session never lost its websocket"
                session.page.wait_for_timeout(100)
        assert all(session.closed_websockets == 0 for session in elsewhere)
        # A widget change on a running replica reruns there, over the same websocket.
        stepped_view = None
        for session in elsewhere:
            click_label(session.page, STEP_MODE)
            figure = shown_figure(session.page)
            assert STEP_PARAMETER in session.page.url and figure["frames"] > figures[0]["frames"]
            stepped_view = stepped_view or figure
            assert figure == stepped_view
            assert replica_of_next_request(session) == session.replica
        # A stopped replica's session reconnects through the proxy to a running one, which starts a new
        # session from the settings in the URL. Streamlit cannot hand the new session the widget values
        # of the old one, so the first change made there may be dropped (README: Deploying); the page
        # always agrees with its URL, and the change can be made again.
        for session in on_victim:
            wait_for_app_idle(session.page, timeout_ms=RECONNECT_TIMEOUT_MS)
            for _attempt in range(2):
                click_label(session.page, STEP_MODE)
                applied = STEP_PARAMETER in session.page.url
                assert shown_figure(session.page) == (stepped_view if applied else figures[0])
                if applied:
                    break
            assert applied, "a second change after the failover was not applied either"
            assert replica_of_next_request(session) in names - {victim}
        assert all(session.closed_websockets == 0 for session in elsewhere)
        # New browsers go to the replicas still running.
        newcomers = [open_session(browser, url) for _ in range(2)]
        sessions += newcomers
        for session in newcomers:
            assert shown_figure(session.page) == figures[0]
            assert session.replica in names - {victim}, session.replica
            assert set(session.answered_by) == {session.replica}
        screenshot(newcomers[-1].page, "deploy-after-a-replica-stopped")
    except BaseException:
        for number, session in enumerate(sessions):
            with contextlib.suppress(Exception):
                screenshot(session.page, f"FAILED-deploy-session-{number}-{session.replica}")
        raise
    finally:
        for session in sessions:
            session.close()
