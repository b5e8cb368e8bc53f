#!/usr/bin/env python
"""Can one hostile upload stall the server for everyone? Upload it in a real browser while another
client polls the server's health check, and report how long the upload took and how long the health
check had to wait meanwhile.

Starts `streamlit run app.py` on a free loopback port (from this checkout, or from `--app-dir` to
measure an older one side by side), opens the Explorer as an upload page in Debian's Chromium
(Playwright, `executable_path=/usr/bin/chromium`) with a one-iteration fit (`k=1&iters=1`, so the
time is the file's, not EM's), and uploads each file through the real file control. A thread polls
`/_stcore/health` every 100 ms the whole time: the health check is answered by the same Python
interpreter, so its worst latency is how long an upload held that interpreter.

    python bench/bench_hostile_uploads.py                    # all files; writes bench/RESULTS_hostile.md
    python bench/bench_hostile_uploads.py --files quotes-48k,quotes-200k --app-dir /tmp/em-before --no-write

Exit status 1 if a health check waited longer than the budget.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from hostile_files import text_cells, tiny_cells, twenty_mb_single_line, unclosed_quotes  # noqa: E402

sys.path.insert(0, str(REPO))
from bench.server_process import start_server  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS_hostile.md"
CHROMIUM = os.environ.get("EM_CHROMIUM", "/usr/bin/chromium")
HEALTH_BUDGET_S = 1.0  # the worst wait of another session's health check during any one upload
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
IDLE_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'); }"""
OUTCOME_JS = """() => { const error = document.querySelector('[data-testid="stAlertContentError"]');
  if (error) return (error.closest('[data-testid="stSidebar"]') ? 'message (sidebar): ' : 'message: ')
    + error.innerText.replace(/\\s+/g, ' ');
  if (document.querySelector('[data-testid="stException"]')) return 'EXCEPTION BOX';
  return document.querySelector('.js-plotly-plot') ? 'fitted' : 'nothing shown'; }"""

# The upload control refuses files over maxUploadSize = 50 decimal MB (50,000,000 bytes).
NEAR_LIMIT = 49_000_000
# name -> (what it is, its bytes)
FILES = {
    "quotes-48k": ("48 KB, last line `,\"a` repeated (quotes that never close)", lambda: unclosed_quotes(48 * 1024)),
    "quotes-200k": ("200 KB, the same", lambda: unclosed_quotes(200 * 1024)),
    "quotes-49m": ("49 MB, the same", lambda: unclosed_quotes(NEAR_LIMIT)),
    "one-line-20m": ("20 MB on a single line, 5 million fields", twenty_mb_single_line),
    "tiny-cells-49m": ("49 MB of `1,2` lines (12.3 million cells)", lambda: tiny_cells(NEAR_LIMIT)),
    "text-cells-49m": ("49 MB of `a,b` lines (12.3 million text cells)", lambda: text_cells(NEAR_LIMIT)),
    "big-100k": ("tests/data/big_100k.csv, an ordinary 100,000-row file", lambda: (REPO / "tests/data/big_100k.csv").read_bytes()),
}


def health_latency(url: str, timeout: float = 600.0) -> float:
    """Seconds until /_stcore/health answers (the timeout if it never does)."""
    start = time.monotonic()
    try:
        with _NO_PROXY.open(f"{url}/_stcore/health", timeout=timeout) as response:
            response.read()
    except OSError:
        return timeout
    return time.monotonic() - start


class HealthPoller:
    """Another session's view of the server: polls /_stcore/health every 100 ms, keeps (when, latency)."""

    def __init__(self, url: str):
        self.url, self.samples, self._stop = url, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            start = time.monotonic()
            self.samples.append((start, health_latency(self.url)))
            self._stop.wait(0.1)

    def between(self, start: float, end: float) -> list[float]:
        """Latencies of the polls that were waiting at some moment in [start, end]."""
        return [latency for when, latency in list(self.samples) if when <= end and when + latency >= start]

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def count_server_messages(page) -> list[int]:
    """A one-item list counting websocket messages from the server (attach before the page opens)."""
    counter = [0]
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: counter.__setitem__(0, counter[0] + 1)))
    return counter


def upload_and_wait(page, counter: list[int], path: Path, timeout_ms: int = 900_000) -> float:
    """Choose `path` in the upload control; seconds until the run it triggers has finished."""
    before = counter[0]
    start = time.monotonic()
    page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(str(path))
    while counter[0] == before and time.monotonic() - start < timeout_ms / 1000:
        page.wait_for_timeout(20)
    # Idle with something to show: the upload's own run is over, not just the one before it.
    page.wait_for_function(f"() => ({IDLE_JS})() && ({OUTCOME_JS})() !== 'nothing shown'",
                           timeout=timeout_ms, polling=50)
    return time.monotonic() - start


def measure(app_dir: Path, names: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    server = start_server(app_dir, REPO / "test-artifacts")
    poller = HealthPoller(server.url)
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as scratch:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            for name in names:
                what, make = FILES[name]
                path = Path(scratch) / f"{name}.csv"
                path.write_bytes(make())
                page = context.new_page()  # a new session per file, as a new visitor
                counter = count_server_messages(page)
                page.goto(f"{server.url}/?data=upload&k=1&iters=1", wait_until="domcontentloaded")
                page.wait_for_function(IDLE_JS, timeout=120_000, polling=100)
                start = time.monotonic()
                seconds = upload_and_wait(page, counter, path)
                latencies = poller.between(start, time.monotonic())
                rows.append({"name": name, "what": what, "mb": path.stat().st_size / 1e6, "seconds": seconds,
                             "worst_health": max(latencies), "median_health": statistics.median(latencies),
                             "polls": len(latencies), "outcome": page.evaluate(OUTCOME_JS)[:110]})
                print(f"  {name:15s} {rows[-1]['mb']:6.2f} MB  {seconds:7.2f} s  health worst "
                      f"{rows[-1]['worst_health']:6.3f} s  median {rows[-1]['median_health']:.3f} s  "
                      f"{rows[-1]['outcome'][:70]}", flush=True)
                page.close()
            browser.close()
    finally:
        poller.stop()
        server.stop()
    return rows


def table(rows: list[dict]) -> list[str]:
    lines = ["| file | size (MB, 10⁶ bytes) | upload to message or figure (s) | health check, worst wait (s) | median (s) | "
             "polls | what the page shows |", "|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['name']}: {r['what']} | {r['mb']:.2f} | {r['seconds']:.2f} | {r['worst_health']:.3f} | "
                     f"{r['median_health']:.3f} | {r['polls']} | {r['outcome']} |")
    return lines


def report(rows: list[dict], app_dir: Path) -> str:
    worst = max(r["worst_health"] for r in rows)
    return "\n".join([
        "# Hostile uploads against the health check",
        "",
        f"Measured {datetime.date.today().isoformat()} with `python bench/bench_hostile_uploads.py` "
        f"(app from `{app_dir}`; Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}; "
        "server, Chromium and the poller on the same machine).",
        "",
        "Each file is uploaded through the Explorer's file control in a new browser session (`k=1&iters=1`, so "
        "the fit is negligible), while another client polls `/_stcore/health` every 100 ms. The health check is "
        "answered by the same interpreter, so its worst wait is the longest an upload held it.",
        "",
        *table(rows),
        "",
        f"- budget: no health check waits longer than **{HEALTH_BUDGET_S:.1f} s** during an upload",
        f"- measured: worst **{worst:.3f} s** -> {'within budget' if worst <= HEALTH_BUDGET_S else 'OVER BUDGET'}",
        "",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", default=",".join(FILES), help=f"comma-separated, from: {', '.join(FILES)}")
    parser.add_argument("--app-dir", type=Path, default=REPO, help="the checkout whose app.py is served")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write RESULTS_hostile.md")
    args = parser.parse_args()
    names = [n for n in args.files.split(",") if n]
    unknown = set(names) - set(FILES)
    if unknown:
        parser.error(f"unknown files: {', '.join(sorted(unknown))}")
    print(f"uploading {len(names)} file(s) to the app in {args.app_dir}, polling the health check meanwhile")
    rows = measure(args.app_dir.resolve(), names)
    text = report(rows, args.app_dir)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0 if max(r["worst_health"] for r in rows) <= HEALTH_BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
