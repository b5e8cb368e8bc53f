#!/usr/bin/env python
"""Does the Streamlit server's memory stay bounded when many different fits are requested?

Starts `streamlit run app.py` on a free loopback port, then opens the Explorer in Debian's Chromium
(Playwright, `executable_path=/usr/bin/chromium`) once per settings URL: N different fits (data
source, data seed, size, k, covariance, algorithm, restarts, step mode all vary), each a new browser
session, waiting each time until the animation has arrived in the page. The server's resident memory
(VmRSS from /proc/<pid>/status, summed over the server and any child processes) is read before the
first fit, after it (imports and first caches warm), every 10 fits, and at the end.

Every fit is a new entry for `ui.cache.fit` (max_entries=32) and `ui.cache.animation` (16), and most
for `ui.cache.synthetic_dataset` (16), so once those are full, entries are evicted and RSS should level
off instead of growing with the number of fits.

    python bench/bench_server_memory.py                 # 50 fits, prints, writes bench/RESULTS_memory.md
    python bench/bench_server_memory.py --fits 12 --no-write
Exit status 1 if a budget is exceeded.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.server_process import Server, start_server  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS_memory.md"
CHROMIUM = os.environ.get("EM_CHROMIUM", "/usr/bin/chromium")

# Budgets (MiB), set after measuring (see RESULTS_memory.md: ~205 MiB after the first fit, ~265 MiB after
# 50, levelling off near 310 MiB after 100-150): the server's peak RSS, and its growth from the warm
# state (after the first fit) to the end. About twice what was measured.
RSS_BUDGET_MB = 512.0
GROWTH_BUDGET_MB = 256.0

PLOT_HAS_FRAMES_JS = """() => { const e = document.querySelector('.emp');
  return !!(e && e.__emPlayer && e.__emPlayer.shown && e.__emPlayer.frameCount() > 0); }"""
IDLE_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'); }"""


# --------------------------------------------------------------------------- #
# the server and its memory
# --------------------------------------------------------------------------- #
def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry))
    return found


def rss_mib(pid: int, include_children: bool = True) -> float:
    """VmRSS of `pid` (and, recursively, its children) in MiB."""
    total_kib, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                total_kib += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
        if include_children:
            todo.extend(_children(current))
    return total_kib / 1024


# --------------------------------------------------------------------------- #
# the fits
# --------------------------------------------------------------------------- #
def fit_queries(n: int, offset: int = 0) -> list[dict]:
    """n different settings: every one is a new fit (and a new figure) for the server's caches.

    `offset` shifts the seeds, so that two runs against the same server ask for different fits."""
    covariances = ("full", "diag", "tied", "spherical")
    sizes = (500, 2000, 10_000, 50_000)
    queries = []
    for i in range(n):
        seed = 1000 + offset + i
        kind = i % 5
        if kind == 0:
            q = {"data": "tight", "dseed": seed, "k": 2 + i % 3}
        elif kind == 1:
            q = {"data": "overlap", "dseed": seed, "k": 1 + i % 4}
        elif kind == 2:
            q = {"data": "blobs", "true_k": 2 + i % 5, "n": sizes[(i // 5) % len(sizes)], "dseed": seed,
                 "k": 2 + i % 5, "cov": covariances[(i // 5) % 4]}
        elif kind == 3:
            q = {"data": "faithful", "k": 1 + i % 6, "seed": seed, "algo": "hard" if i % 2 else "soft"}
        else:
            q = {"data": "blobs", "dim": 1, "true_k": 3, "n": sizes[(i // 5) % len(sizes)], "dseed": seed,
                 "k": 3, "restarts": 3, "steps": 1}
        queries.append({key: str(value) for key, value in q.items()})
    return queries


def open_and_wait(page, url: str, timeout_ms: int = 120_000) -> None:
    """Open the Explorer at `url` and wait until the run is over and the animation is in the page."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(PLOT_HAS_FRAMES_JS, timeout=timeout_ms, polling=100)
    page.wait_for_function(IDLE_JS, timeout=timeout_ms, polling=100)


def run_fits(server: Server, queries: list[dict], on_progress=None) -> None:
    """One browser page; each URL is a new Streamlit session (the previous one disconnects)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            for done, query in enumerate(queries, start=1):
                open_and_wait(page, f"{server.url}/?{urlencode(query)}")
                if on_progress is not None:
                    on_progress(done)
        finally:
            browser.close()


# --------------------------------------------------------------------------- #
# the benchmark
# --------------------------------------------------------------------------- #
def measure(n_fits: int, settle_s: float = 2.0) -> dict:
    server = start_server(REPO, REPO / "test-artifacts")
    samples: list[tuple[str, float]] = []
    started = time.monotonic()
    try:
        time.sleep(settle_s)
        samples.append(("started, no session yet", rss_mib(server.pid)))

        def progress(done: int) -> None:
            if done == 1 or done % 10 == 0 or done == n_fits:
                time.sleep(0.5)
                samples.append((f"after {done} fit{'s' if done > 1 else ''}", rss_mib(server.pid)))
                print(f"  {samples[-1][0]:>24}: {samples[-1][1]:7.1f} MiB  ({time.monotonic() - started:5.1f} s)",
                      flush=True)

        run_fits(server, fit_queries(n_fits), progress)
        time.sleep(settle_s)
        samples.append(("browser closed, +2 s", rss_mib(server.pid)))
    finally:
        server.stop()
    warm = samples[1][1]
    peak = max(value for _, value in samples)
    final = samples[-2][1]
    return {
        "n_fits": n_fits,
        "samples": samples,
        "start_mib": samples[0][1],
        "warm_mib": warm,
        "final_mib": final,
        "peak_mib": peak,
        "growth_mib": final - warm,
        "seconds": time.monotonic() - started,
    }


def within_budget(result: dict) -> bool:
    return result["peak_mib"] <= RSS_BUDGET_MB and result["growth_mib"] <= GROWTH_BUDGET_MB


def report(result: dict) -> str:
    ok = within_budget(result)
    lines = [
        "# Server memory after many different fits",
        "",
        f"Measured {datetime.date.today().isoformat()} with `python bench/bench_server_memory.py` "
        f"(Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}; "
        "streamlit server and Debian Chromium on the same machine).",
        "",
        f"{result['n_fits']} different fits, each opened as a new browser session from its URL "
        "(sources tight / overlap / blobs up to 50,000 points / faithful; k 1-6; all covariance types; "
        "soft and hard EM; restarts; step mode), waiting each time for the animation to reach the page. "
        "RSS = VmRSS of the server process and its children, in MiB.",
        "",
        "| when | server RSS (MiB) |",
        "|---|---:|",
        *(f"| {label} | {value:.1f} |" for label, value in result["samples"]),
        "",
        f"- budget: peak RSS <= **{RSS_BUDGET_MB:.0f} MiB** and growth after the first fit "
        f"<= **{GROWTH_BUDGET_MB:.0f} MiB**",
        f"- measured: peak **{result['peak_mib']:.0f} MiB**, growth after the first fit "
        f"**{result['growth_mib']:.0f} MiB** -> {'within budget' if ok else 'OVER BUDGET'}",
        f"- wall time {result['seconds']:.0f} s",
        "",
        "The caches in `ui/cache.py` are bounded (`fit` 32 entries, `animation` 16 / 128 MiB pickled, "
        "`synthetic_dataset` 16, `parse_upload` 8 / 128 MiB, `uploaded_dataset` 8 / 96 MiB), so after about "
        "32 different fits old entries are evicted. "
        "The lighter check `tests/browser/test_concurrency.py::test_server_memory_stays_bounded_over_many_fits` "
        "runs 12 fits against its own server in the test suite.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fits", type=int, default=50)
    parser.add_argument("--no-write", action="store_true", help="print only; do not write RESULTS_memory.md")
    args = parser.parse_args()
    print(f"{args.fits} fits against a fresh server (budget: peak <= {RSS_BUDGET_MB:.0f} MiB, "
          f"growth <= {GROWTH_BUDGET_MB:.0f} MiB)")
    result = measure(args.fits)
    text = report(result)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0 if within_budget(result) else 1


if __name__ == "__main__":
    sys.exit(main())
