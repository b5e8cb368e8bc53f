"""A closed tab stops its fit: the server's CPU goes idle soon after, instead of finishing a fit nobody will see.

Measured with the server process's own CPU time (/proc/<pid>/stat), as a ratio: the CPU the server spends
after the tab closed against what the fit had already used; the fit asked for would need several times more.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlencode

import pytest

from bench.bench_server_memory import REPO, start_server
from explorer import work_budget
from explorer.settings import from_query

from .conftest import VIEWPORT
from .helpers import ARTIFACTS_DIR, screenshot, wait_for_app_idle

pytestmark = pytest.mark.browser

# Ten overlapping blobs with a tolerance no fit reaches: allowed up front (it might converge), then the
# meter would let it run to the work limit, about 10 s of one core.
SLOW_LINK = {"data": "blobs", "n": "100000", "true_k": "10", "sep": "0", "dseed": "7201", "k": "10",
             "iters": "1000", "tol": "1e-12", "restarts": "20"}
BUSY_CPU_S = 2.0  # close the tab once the fit has used this much
IDLE_WINDOW_S, IDLE_CPU_S = 2.0, 0.2  # idle: less than this CPU over the window
WAIT_S = 90  # bound on every wait (wall clock), never asserted on


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid: int) -> float:
    """Poll until the process has used less than IDLE_CPU_S over IDLE_WINDOW_S; its CPU time when that window began."""
    samples = [(time.monotonic(), cpu_seconds(pid))]
    deadline = samples[0][0] + WAIT_S
    while time.monotonic() < deadline:
        time.sleep(0.25)
        samples.append((time.monotonic(), cpu_seconds(pid)))
        window = [(t, c) for t, c in samples if t >= samples[-1][0] - IDLE_WINDOW_S]
        if samples[-1][0] - samples[0][0] >= IDLE_WINDOW_S and window[-1][1] - window[0][1] < IDLE_CPU_S:
            return window[0][1]
    raise AssertionError(f"the server was still busy {WAIT_S} s after the tab closed: {samples[-8:]}")


def test_closing_the_tab_stops_its_fit(browser):
    settings, notices = from_query(SLOW_LINK)
    assert not notices
    work_budget.check_request(settings, 100_000)  # the link is allowed: the fit starts
    server = start_server(REPO, ARTIFACTS_DIR)
    try:
        warm = browser.new_context(viewport=VIEWPORT)
        page = warm.new_page()
        page.goto(server.url, wait_until="domcontentloaded")
        wait_for_app_idle(page, timeout_ms=WAIT_S * 1000)  # imports and first caches are done
        warm.close()
        before = wait_until_idle(server.pid)

        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(f"{server.url}/?{urlencode(SLOW_LINK)}", wait_until="domcontentloaded")
        deadline = time.monotonic() + WAIT_S
        while cpu_seconds(server.pid) - before < BUSY_CPU_S:
            assert time.monotonic() < deadline, "the fit never started"
            page.wait_for_timeout(100)
        assert page.get_by_text("Running EM…").count() == 1, "the fit should still be running"
        screenshot(page, "work-limits-fit-running")
        at_close = cpu_seconds(server.pid)
        context.close()

        idle = wait_until_idle(server.pid)
        used_before, used_after = at_close - before, idle - at_close
        print(f"\n[work limits] the fit used {used_before:.1f} CPU-s before the tab closed, "
              f"the server {used_after:.2f} CPU-s after it (till idle)")
        # The fit had used ~2 CPU-s of the ~10 it was allowed; stopped, the rest is a fraction of one iteration.
        assert used_after < 0.5 * used_before
    finally:
        server.stop()
