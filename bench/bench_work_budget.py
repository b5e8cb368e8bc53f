#!/usr/bin/env python
"""The work one request can cause, before and after the work limits (explorer/work_budget.py), in one run.

1. Calibration: CPU-ns per point-component-iteration of EM (n = 10^5, k = 10, 2-D), with one BLAS thread
   (what the app now uses, ui/blas_threads.py) and with OpenBLAS's default threads (what it used before).
2. The worst request, in a fresh subprocess each (CPU-seconds, wall seconds, peak RSS), doing what the
   Explorer page does for it: data, fit, animated figure, its JSON.
   - before: the issue's link, ?data=blobs&n=100000&true_k=10&k=10&iters=1000&tol=0&restarts=20&steps=1&init=kmeans,
     run without the limit and with OpenBLAS's default threads; the fit is measured on `--before-restarts` of
     its 20 restarts and scaled up (restarts are independent runs of the same length; the CPU time of each
     restart is printed), the EM player's payload and its JSON in full;
   - after: the same link is refused by the check that now runs first (its cost is measured);
   - after: the worst request still allowed: the most EM work with a tolerance of 0 and the most frames.
3. A real server (`streamlit run app.py`, Chromium via Playwright), this checkout:
   - another session's time to its first figure and the health check's latency, on an idle server and while
     the worst allowed request runs in a third session;
   - the issue's link: the server's CPU-seconds and RSS for it (refused);
   - five worst-allowed requests at once (different seeds): how long the server stays busy, its peak RSS;
   - a tab closed while its fit runs: the server's CPU-seconds after the close.

    python bench/bench_work_budget.py                 # everything; writes bench/RESULTS_work_budget.md
    python bench/bench_work_budget.py --no-server     # only 1 and 2
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_server_memory import CHROMIUM, IDLE_JS, PLOT_HAS_FRAMES_JS, rss_mib, start_server  # noqa: E402
from explorer import work_budget  # noqa: E402
from explorer.settings import from_query  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS_work_budget.md"
ISSUE_LINK = {"data": "blobs", "n": "100000", "true_k": "10", "k": "10", "iters": "1000", "tol": "0",
              "restarts": "20", "steps": "1", "init": "kmeans"}
# The most EM work allowed with a tolerance of 0 on the largest blobs: 2 runs x (1 start + 999 iterations) x 10^6
# pairs = 2e9, the limit; in step mode, the most frames.
WORST_ALLOWED = {"data": "blobs", "n": "100000", "true_k": "10", "k": "10", "iters": "999", "tol": "0",
                 "restarts": "2", "steps": "1"}
LIGHT_LINK = {"data": "blobs", "n": "2000", "true_k": "3", "k": "3"}  # another student's view (dseed varied)
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# --------------------------------------------------------------------------- #
# in a fresh subprocess: what the page does for one link
# --------------------------------------------------------------------------- #
_PIPELINE = r"""
import json, resource, sys, time
blas_threads, query, restarts_run, check_only = json.loads(sys.argv[1])
if blas_threads == 1:
    from ui.blas_threads import use_one_blas_thread
    use_one_blas_thread()
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
import numpy as np
import figures, gmm_core
from explorer import dataset, work_budget
from explorer.settings import SYNTHETIC_FIELDS, from_query
from ui.cache import fit_arguments
settings, _ = from_query(query)
out = {}
start_cpu, start_wall = cpu(), time.perf_counter()
data = dataset.synthetic_dataset(**{name: getattr(settings, name) for name in SYNTHETIC_FIELDS})
try:
    work_budget.check_request(settings, len(data.X))
    out["refused"] = False
except work_budget.TooMuchWork:
    out["refused"] = True
out["check_cpu"] = cpu() - start_cpu
if not check_only:
    arguments = fit_arguments(settings)
    arguments["n_init"] = restarts_run
    restart_cpu = []
    def on_iteration(restart, iteration, max_iter):
        if iteration == max_iter:
            restart_cpu.append(cpu())
    fit_start, fit_wall = cpu(), time.perf_counter()
    result = gmm_core.fit(data.X, **arguments, on_iteration=on_iteration)
    out["fit_cpu"], out["fit_wall"] = cpu() - fit_start, time.perf_counter() - fit_wall
    out["restart_cpu"] = [b - a for a, b in zip([fit_start] + restart_cpu[:-1], restart_cpu)]
    draw_start = cpu()
    shown = data.X[figures.display_subsample(len(data.X))]
    rng = tuple((float(lo), float(hi)) for lo, hi in zip(data.X.min(axis=0), data.X.max(axis=0)))
    payload = figures.player_payload(result, shown, step_mode=settings.step_mode, truth=data.truth, data_range=rng,
                                     feature_names=list(data.feature_names), equal_axes=data.shared_unit)
    out["frames"] = 1 + result.n_iter * (2 if settings.step_mode else 1)
    out["json_mb"] = len(json.dumps(payload)) / 1e6
    out["draw_cpu"] = cpu() - draw_start
out["cpu"] = cpu() - start_cpu
out["wall"] = time.perf_counter() - start_wall
out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run_pipeline(query: dict, blas_threads: int | None, restarts_run: int = 0, check_only: bool = False) -> dict:
    """Run the page's work for `query` in a fresh interpreter; returns its measurements."""
    restarts_run = restarts_run or int(query.get("restarts", 1))
    completed = subprocess.run([sys.executable, "-c", _PIPELINE, json.dumps([blas_threads, query, restarts_run, check_only])],
                               cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True,
                               timeout=3600)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


_CALIBRATION = r"""
import json, resource, sys
if int(sys.argv[1]) == 1:
    from ui.blas_threads import use_one_blas_thread
    use_one_blas_thread()
import gmm_core
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
X = gmm_core.random_blobs(10, 100_000, 2, seed=0).X
import time
def cost(iterations):
    best_cpu = best_wall = float("inf")
    for _ in range(3):
        start, wall = cpu(), time.perf_counter()
        gmm_core.fit(X, 10, init="random_points", max_iter=iterations, tol=0, seed=0)
        best_cpu, best_wall = min(best_cpu, cpu() - start), min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall
(short, short_wall), (long, long_wall) = cost(5), cost(45)
starts = {}
for init in ("kmeans", "kmeans++", "random_points"):
    start = cpu(); gmm_core.fit(X, 10, init=init, max_iter=1, tol=0, seed=0, n_init=3)
    starts[init] = (cpu() - start) / 3 / (100_000 * 10) * 1e9
print(json.dumps({"ns_per_unit": (long - short) / (40 * 100_000 * 10) * 1e9,
                  "wall_ns_per_unit": (long_wall - short_wall) / (40 * 100_000 * 10) * 1e9, "start_ns_per_pair": starts}))
"""


def calibrate(blas_threads: int | None) -> dict:
    completed = subprocess.run([sys.executable, "-c", _CALIBRATION, str(blas_threads or 0)], cwd=REPO,
                               env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=1800)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-3000:])
    return json.loads(completed.stdout)


# --------------------------------------------------------------------------- #
# on a real server
# --------------------------------------------------------------------------- #
def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """Polls the health check (latency) and the server's RSS every 100 ms."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.latencies, self.rss = server, [], []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            start = time.monotonic()
            try:
                with _NO_PROXY.open(f"{self.server.url}/_stcore/health", timeout=30) as response:
                    response.read()
                self.latencies.append(time.monotonic() - start)
            except OSError:
                self.latencies.append(float("inf"))
            self.rss.append(rss_mib(self.server.pid))
            self._stop_event.wait(0.1)

    def stop(self) -> dict:
        self._stop_event.set()
        self.join(timeout=40)
        ordered = sorted(self.latencies) or [float("nan")]
        return {"health_p50_ms": 1000 * ordered[len(ordered) // 2],
                "health_p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
                "health_max_ms": 1000 * ordered[-1], "peak_rss_mib": max(self.rss or [float("nan")])}


def wait_until_idle(pid: int, window_s: float = 2.0, idle_cpu_s: float = 0.2, limit_s: float = 900) -> float:
    """Seconds until the server used less than idle_cpu_s over window_s (the time the window began)."""
    began = time.monotonic()
    samples = [(began, cpu_seconds(pid))]
    while time.monotonic() - began < limit_s:
        time.sleep(0.25)
        samples.append((time.monotonic(), cpu_seconds(pid)))
        window = [(t, c) for t, c in samples if t >= samples[-1][0] - window_s]
        if samples[-1][0] - began >= window_s and window[-1][1] - window[0][1] < idle_cpu_s:
            return window[0][0] - began
    return float("inf")


def first_figure_seconds(browser, url: str) -> float:
    """A new browser session: seconds from opening `url` to its animation being on the page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        start = time.monotonic()
        page.goto(url, wait_until="commit")
        page.wait_for_function(PLOT_HAS_FRAMES_JS, timeout=600_000, polling=100)
        return time.monotonic() - start
    finally:
        context.close()


def light_views(browser, server, seeds) -> list[float]:
    return [first_figure_seconds(browser, f"{server.url}/?{urlencode(dict(LIGHT_LINK, dseed=str(seed)))}")
            for seed in seeds]


def measure_server() -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    server = start_server(REPO, REPO / "test-artifacts")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                light_views(browser, server, [9000])  # warm up: imports, first caches
                wait_until_idle(server.pid)

                sampler = Sampler(server)
                sampler.start()
                out["idle_views_s"] = light_views(browser, server, [9001, 9002, 9003])
                out["idle"] = sampler.stop()

                # The worst allowed request in one tab; meanwhile three other sessions open their views.
                heavy = browser.new_context(viewport={"width": 1400, "height": 1000})
                heavy_page = heavy.new_page()
                sampler = Sampler(server)
                sampler.start()
                cpu_before, started = cpu_seconds(server.pid), time.monotonic()
                heavy_page.goto(f"{server.url}/?{urlencode(WORST_ALLOWED)}", wait_until="commit")
                time.sleep(2.0)
                out["busy_views_s"] = light_views(browser, server, [9004, 9005, 9006])
                heavy_page.wait_for_function(PLOT_HAS_FRAMES_JS, timeout=900_000, polling=200)
                heavy_page.wait_for_function(IDLE_JS, timeout=900_000, polling=200)
                out["worst_allowed_wall_s"] = time.monotonic() - started
                out["worst_allowed_cpu_s"] = cpu_seconds(server.pid) - cpu_before
                out["busy"] = sampler.stop()
                heavy.close()
                wait_until_idle(server.pid)

                # The issue's link: refused before anything runs.
                page = browser.new_context().new_page()
                cpu_before, rss_before = cpu_seconds(server.pid), rss_mib(server.pid)
                page.goto(f"{server.url}/?{urlencode(ISSUE_LINK)}", wait_until="commit")
                page.get_by_text("This fit is too big to run here.").wait_for(timeout=120_000)
                page.wait_for_function(IDLE_JS, timeout=120_000, polling=100)
                out["issue_link_cpu_s"] = cpu_seconds(server.pid) - cpu_before
                out["issue_link_rss_growth_mib"] = rss_mib(server.pid) - rss_before
                page.context.close()
                wait_until_idle(server.pid)

                # Five worst-allowed requests at once, seeds varied so that none is served from the cache.
                sampler = Sampler(server)
                sampler.start()
                contexts = [browser.new_context() for _ in range(5)]
                cpu_before, started = cpu_seconds(server.pid), time.monotonic()
                for i, context in enumerate(contexts):
                    context.new_page().goto(f"{server.url}/?{urlencode(dict(WORST_ALLOWED, seed=str(100 + i)))}",
                                            wait_until="commit")
                for context in contexts:
                    context.pages[0].wait_for_function(PLOT_HAS_FRAMES_JS, timeout=1_800_000, polling=500)
                out["five_busy_s"] = time.monotonic() - started
                out["five_cpu_s"] = cpu_seconds(server.pid) - cpu_before
                out["five"] = sampler.stop()
                for context in contexts:
                    context.close()
                wait_until_idle(server.pid)

                # A tab closed while its fit runs (a fit that would run to the meter's limit).
                slow = {"data": "blobs", "n": "100000", "true_k": "10", "sep": "0", "dseed": "9100", "k": "10",
                        "iters": "1000", "tol": "1e-12", "restarts": "20"}
                context = browser.new_context()
                cpu_before = cpu_seconds(server.pid)
                context.new_page().goto(f"{server.url}/?{urlencode(slow)}", wait_until="commit")
                while cpu_seconds(server.pid) - cpu_before < 2.0:
                    time.sleep(0.1)
                at_close = cpu_seconds(server.pid)
                context.close()
                idle_after = wait_until_idle(server.pid)
                out["closed_tab_cpu_before_s"] = at_close - cpu_before
                out["closed_tab_cpu_after_s"] = cpu_seconds(server.pid) - at_close
                out["closed_tab_idle_after_s"] = idle_after
            finally:
                browser.close()
    finally:
        server.stop()
    return out


# --------------------------------------------------------------------------- #
# the report
# --------------------------------------------------------------------------- #
def report(calibration: dict, before: dict, before_restarts: int, refused: dict, allowed: dict, server: dict | None) -> str:
    one, many = calibration["one BLAS thread"], calibration["default BLAS threads"]
    scale = 20 / before_restarts
    before_fit = before["fit_cpu"] * scale
    before_cpu = before["cpu"] - before["fit_cpu"] + before_fit
    before_wall = before["wall"] - before["fit_wall"] + before["fit_wall"] * scale
    today = datetime.date.today().isoformat()
    lines = [
        "# The work one request can cause",
        "",
        f"Measured {today} with `python bench/bench_work_budget.py` (Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}; other jobs were running on the machine).",
        "",
        "## EM's cost per point-component-iteration (n = 10^5, k = 10, 2-D, full; a lone fit, best of 3)",
        "",
        "| BLAS threads | CPU ns per point-component-iteration | wall ns | k-means start, CPU ns per pair | k-means++ start | random points start |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"| {name} | {c['ns_per_unit']:.1f} | {c['wall_ns_per_unit']:.1f} | {c['start_ns_per_pair']['kmeans']:.0f} | "
          f"{c['start_ns_per_pair']['kmeans++']:.0f} | {c['start_ns_per_pair']['random_points']:.0f} |"
          for name, c in calibration.items()),
        "",
        f"Default BLAS threads cost {many['ns_per_unit'] / one['ns_per_unit']:.1f}x the CPU of one thread here. "
        f"`explorer/work_budget.py` assumes {work_budget.NANOSECONDS_PER_UNIT:g} ns per unit, so its limit of "
        f"{work_budget.WORK_LIMIT:.0e} units is about {work_budget.limit_duration()} of one core.",
        "",
        "## The worst request (the page's work for one link, in a fresh process)",
        "",
        "| request | BLAS threads | CPU-s | wall s | peak RSS (MiB) | frames | player payload (MB) |",
        "|---|---|---:|---:|---:|---:|---:|",
        f"| before: the issue's link, fitted and drawn, no limit (fit: {before_restarts} of 20 restarts measured, x{scale:g}) "
        f"| default | {before_cpu:.0f} | {before_wall:.0f} | "
        f"{before['peak_rss_mib']:.0f} | {before['frames']} | {before['json_mb']:.2f} |",
        f"| after: the issue's link, refused before it runs | one | {refused['cpu']:.2f} | {refused['wall']:.2f} | "
        f"{refused['peak_rss_mib']:.0f} | 0 | 0 |",
        f"| after: the worst allowed, `?{urlencode(WORST_ALLOWED)}` | one | {allowed['cpu']:.1f} | {allowed['wall']:.1f} | "
        f"{allowed['peak_rss_mib']:.0f} | {allowed['frames']} | {allowed['json_mb']:.2f} |",
        "",
        f"Before, CPU-s per restart ({before_restarts} measured): "
        + ", ".join(f"{c:.1f}" for c in before["restart_cpu"]) + f"; payload and JSON {before['draw_cpu']:.2f} CPU-s. "
        f"After, worst allowed: fit {allowed['fit_cpu']:.1f} CPU-s, payload and JSON {allowed['draw_cpu']:.2f} CPU-s.",
        "",
    ]
    if server:
        idle, busy, five = server["idle"], server["busy"], server["five"]
        lines += [
            "## On a server (`streamlit run app.py`, Chromium sessions on the same 2 cores)",
            "",
            "| situation | another session's first figure (s, each of 3) | health p50 / p95 / max (ms) | server peak RSS (MiB) |",
            "|---|---|---|---:|",
            f"| idle server | {', '.join(f'{v:.1f}' for v in server['idle_views_s'])} | "
            f"{idle['health_p50_ms']:.0f} / {idle['health_p95_ms']:.0f} / {idle['health_max_ms']:.0f} | {idle['peak_rss_mib']:.0f} |",
            f"| while the worst allowed request runs | {', '.join(f'{v:.1f}' for v in server['busy_views_s'])} | "
            f"{busy['health_p50_ms']:.0f} / {busy['health_p95_ms']:.0f} / {busy['health_max_ms']:.0f} | {busy['peak_rss_mib']:.0f} |",
            f"| five worst allowed at once | - | {five['health_p50_ms']:.0f} / {five['health_p95_ms']:.0f} / "
            f"{five['health_max_ms']:.0f} | {five['peak_rss_mib']:.0f} |",
            "",
            f"- The worst allowed request took {server['worst_allowed_wall_s']:.0f} s to its figure and "
            f"{server['worst_allowed_cpu_s']:.0f} CPU-s of the server (with the three other views).",
            f"- The issue's link: {server['issue_link_cpu_s']:.2f} CPU-s and {server['issue_link_rss_growth_mib']:+.0f} MiB "
            "of the server (refused); the issue measured 204 CPU-s and 570 MB before.",
            f"- Five worst-allowed requests with different seeds at once: all five figures after {server['five_busy_s']:.0f} s, "
            f"{server['five_cpu_s']:.0f} CPU-s; the issue saw five of its link saturate the server for more than 7 minutes.",
            f"- A tab closed after its fit had used {server['closed_tab_cpu_before_s']:.1f} CPU-s: the server then used "
            f"{server['closed_tab_cpu_after_s']:.2f} CPU-s and was idle {server['closed_tab_idle_after_s']:.1f} s later "
            "(before, the fit ran to its end).",
            "",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-restarts", type=int, default=2, help="restarts of the issue's link to measure (of 20)")
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    settings, _ = from_query(WORST_ALLOWED)
    work_budget.check_request(settings, 100_000)  # allowed ...
    for more in (dict(WORST_ALLOWED, restarts="3"), dict(WORST_ALLOWED, iters="1000")):
        try:  # ... and the least step further is not
            work_budget.check_request(from_query(more)[0], 100_000)
            raise SystemExit(f"{more} should be refused: WORST_ALLOWED is not the worst")
        except work_budget.TooMuchWork:
            pass

    print("calibrating ...", flush=True)
    calibration = {"one BLAS thread": calibrate(1), "default BLAS threads": calibrate(None)}
    print(json.dumps(calibration, indent=1), flush=True)
    print(f"before: the issue's link with {args.before_restarts} of 20 restarts, default BLAS threads ...", flush=True)
    before = run_pipeline(ISSUE_LINK, None, restarts_run=args.before_restarts)
    print(before, flush=True)
    refused = run_pipeline(ISSUE_LINK, 1, check_only=True)
    print("after, the issue's link:", refused, flush=True)
    allowed = run_pipeline(WORST_ALLOWED, 1)
    print("after, the worst allowed:", allowed, flush=True)
    server = None if args.no_server else measure_server()
    print(server, flush=True)
    text = report(calibration, before, args.before_restarts, refused, allowed, server)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
