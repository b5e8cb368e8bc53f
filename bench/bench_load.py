#!/usr/bin/env python
"""How many students can one Streamlit process serve? Real sessions on loopback against `streamlit run app.py`.

Two cases, each at 10, 25, 50 and 100 sessions opened at the same moment:
- same: every session opens the SAME link (a lecturer's link shared with a hall; the fit cache is shared);
- different: every session opens a different link (the lecture link with its own seed: nothing is shared).

Sessions are light clients (bench/light_session.py: the page, then Streamlit's websocket and one rerun
request), so 100 of them fit on 2 cores beside the server; a sample of real Chromium tabs (10 by default, on
the same link) adds what a browser costs the server: its static files, the component files. Each wave gets a fresh server, warmed by one page view of
another link, so the wave's own fit is not cached. Sessions stay open until the whole wave is served.

Reported per wave: sessions served per minute (served / time until the last was served), the median and
95th percentile of the time to the first figure (the player's payload message; in Chromium, the payload
in the player's element, with plotly.js kept out so that the cores go to the server), the server's CPU per session and its peak resident memory (/proc/<pid>: VmHWM, user+system time).

    python bench/bench_load.py                                  # writes bench/RESULTS_load.md
    python bench/bench_load.py --app-dir /tmp/before            # that checkout as 'before', side by side
    python bench/bench_load.py --levels 10 --cases same --chromium 0 --no-write

Exit status 1 if a session was not served.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.light_session import SessionResult, open_session  # noqa: E402
from bench.server_process import Server, start_server  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS_load.md"
NOTES_MARKER = "<!-- notes: kept when the benchmark rewrites the tables above -->"
CHROMIUM = os.environ.get("EM_CHROMIUM", "/usr/bin/chromium")
LECTURE_LINK = "data=blobs&n=2000&true_k=4&k=4&steps=1"  # four blobs, step mode: a lecture's figure
WARMUP_LINK = "data=faithful"  # another link: the server's imports are done, the wave's fit is not cached
SESSION_TIMEOUT_S = 600.0
PLAYER = ".st-key-em_player"  # the player's element (ui/em_player.py, key em_player)
PAYLOAD_ARRIVED = "The figure could not load"  # what its loader writes once a payload is there and plotly.js is not
LEVELS = (10, 25, 50, 100)
CASES = ("same", "different")


def wave_links(case: str, n: int) -> list[str]:
    """The links n students open: the lecture link n times, or with n different seeds."""
    return [LECTURE_LINK if case == "same" else f"{LECTURE_LINK}&seed={i + 1}" for i in range(n)]


@dataclass
class Wave:
    """One wave of sessions against one server."""

    label: str  # which checkout
    client: str  # 'light' or 'chromium'
    case: str
    first_figure_s: list[float] = field(default_factory=list)  # of the served sessions
    sessions: int = 0
    served: int = 0
    wall_s: float = 0.0  # from the start until the last session was served
    cpu_s: float = 0.0  # server CPU used by the wave
    peak_rss_mib: float = 0.0
    received_mb: float = 0.0  # what the light clients received, all sessions
    problems: list[str] = field(default_factory=list)

    @property
    def served_per_min(self) -> float:
        return 60 * self.served / self.wall_s if self.wall_s else 0.0

    def percentile(self, q: float) -> float:
        """The q-th percentile of the times to the first figure (nearest rank); NaN when none was served."""
        times = sorted(self.first_figure_s)
        return times[max(0, math.ceil(q / 100 * len(times)) - 1)] if times else float("nan")


async def light_wave(server: Server, links: list[str]) -> tuple[list[SessionResult], float, float]:
    """Open every link at once and keep the sessions open until every run has ended.

    Returns (results, seconds until the last run ended, server CPU seconds used by then).
    """
    hold = asyncio.Event()
    start, cpu_before = time.monotonic(), server.cpu_seconds()
    ended: dict[str, float] = {"n": 0}

    def run_ended() -> None:
        ended["n"] += 1
        if ended["n"] == len(links):
            ended["wall"], ended["cpu"] = time.monotonic() - start, server.cpu_seconds() - cpu_before
            hold.set()

    results = await asyncio.gather(*(open_session(server.url, link, hold=hold, on_run_end=run_ended,
                                                  timeout_s=SESSION_TIMEOUT_S) for link in links))
    return list(results), ended.get("wall", time.monotonic() - start), ended.get("cpu", 0.0)


async def chromium_wave(server: Server, links: list[str]) -> tuple[list[float | None], float, float]:
    """The same in real Chromium tabs (one context each): seconds until each tab's player had its payload."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            start, cpu_before = time.monotonic(), server.cpu_seconds()
            times = await asyncio.gather(*(_tab(browser, f"{server.url}/?{link}", start) for link in links))
            wall, cpu = time.monotonic() - start, server.cpu_seconds() - cpu_before
        finally:
            await browser.close()
    return list(times), wall, cpu


async def _tab(browser, url: str, start: float) -> float | None:
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    # plotly.js stays out (as in the measurement): the 2 cores go to the server, not to 10 copies of its
    # 4.7 MB; the player's loader then says so in its element the moment the payload has arrived
    await context.route("**/plotly.min.js*", lambda route: route.abort())
    page = await context.new_page()
    try:
        await page.goto(url, wait_until="commit", timeout=SESSION_TIMEOUT_S * 1000)
        await page.wait_for_selector(f"{PLAYER} >> text={PAYLOAD_ARRIVED}", timeout=SESSION_TIMEOUT_S * 1000)
        arrived = time.monotonic() - start
        if await page.query_selector('[data-testid="stException"], [data-testid="stAlertContentError"]'):
            return None
        return arrived
    except Exception:  # a tab that never got its figure counts as not served
        return None


def run_wave(app_dir: Path, label: str, case: str, n: int, client: str, log_dir: Path) -> Wave:
    """A fresh server, warmed by one page view of another link, then n sessions at once."""
    server = start_server(app_dir, log_dir)
    try:
        warm = asyncio.run(open_session(server.url, WARMUP_LINK, timeout_s=120))
        if not warm.served:
            raise RuntimeError(f"the warm-up page view failed: {warm.problems} (log: {server.log})")
        wave = Wave(label, client, case, sessions=n)
        links = wave_links(case, n)
        if client == "light":
            results, wave.wall_s, wave.cpu_s = asyncio.run(light_wave(server, links))
            wave.first_figure_s = [r.first_figure_s for r in results if r.served]
            wave.received_mb = sum(r.bytes_received for r in results) / 1e6
            wave.problems = sorted({p for r in results for p in r.problems})
        else:
            times, wave.wall_s, wave.cpu_s = asyncio.run(chromium_wave(server, links))
            wave.first_figure_s = [t for t in times if t is not None]
            wave.wall_s = max(wave.first_figure_s, default=wave.wall_s)
            wave.problems = ["a tab drew no figure, or an error"] if None in times else []
        wave.served = len(wave.first_figure_s)
        wave.peak_rss_mib = server.peak_rss_mib()
        return wave
    finally:
        server.stop()


def describe(wave: Wave) -> str:
    return (f"{wave.label:>7} {wave.client:>8} {wave.case:>9} {wave.sessions:>4}  served {wave.served:>3}"
            f"  {wave.served_per_min:7.0f}/min  first figure median {statistics.median(wave.first_figure_s or [float('nan')]):6.2f} s"
            f"  p95 {wave.percentile(95):6.2f} s  CPU/session {1000 * wave.cpu_s / wave.sessions:6.0f} ms"
            f"  peak RSS {wave.peak_rss_mib:5.0f} MiB" + (f"  PROBLEMS: {wave.problems[:3]}" if wave.problems else ""))


def report(waves: list[Wave], labels: list[str], load_before: tuple, load_after: tuple, chromium_n: int) -> str:
    import streamlit

    ref = labels[0]
    lines = [
        "# Load: how many sessions one Streamlit process serves (`bench/bench_load.py`)",
        "",
        f"Run {datetime.date.today().isoformat()} on {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Streamlit {streamlit.__version__}. The machine was shared with other work: "
        f"load average {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} before the run and "
        f"{load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} after it. Clients and server share the "
        "same 2 cores.",
        "",
        f"Lecture link: `?{LECTURE_LINK}`. *same*: every session opens it; *different*: each adds its own "
        "`seed`, so no fit is shared. All sessions of a wave open at once and stay open until the last is "
        "served; each wave gets a fresh server, warmed by one page view of another link. *first figure*: "
        "until the player's payload message arrived (light clients), or the player's element showed that "
        "the payload was there (Chromium, kept from loading plotly.js so that the 2 cores go to the server). "
        "*served/min*: served sessions / time until the last was served. *CPU/session*: the server's CPU "
        "time during the wave / sessions. *peak RSS*: the server's VmHWM.",
        "",
    ]
    if len(labels) > 1:
        lines.append(f"Ratios are {labels[-1]} / {ref} (served/min: higher is better; the rest: lower is better).")
        lines.append("")
    header = "| client | case | sessions | " + " | ".join(
        f"{what} ({label})" for what in ("served/min", "first figure median / p95 (s)", "CPU/session (ms)",
                                        "peak RSS (MiB)") for label in labels)
    if len(labels) > 1:
        header += " | served/min ratio | median ratio | CPU ratio"
    lines += [header + " |", "|" + "---|" * (header.count("|") - 0) ]
    keys = sorted({(w.client, w.case, w.sessions) for w in waves}, key=lambda k: (k[0] != "light", k[1], k[2]))
    for client, case, n in keys:
        row = {w.label: w for w in waves if (w.client, w.case, w.sessions) == (client, case, n)}
        cells = [client, case, str(n)]
        cells += [f"{row[l].served_per_min:.0f}" + ("" if row[l].served == n else f" ({row[l].served}/{n} served)")
                  if l in row else "" for l in labels]
        cells += [f"{statistics.median(row[l].first_figure_s):.2f} / {row[l].percentile(95):.2f}"
                  if l in row and row[l].first_figure_s else "" for l in labels]
        cells += [f"{1000 * row[l].cpu_s / n:.0f}" if l in row else "" for l in labels]
        cells += [f"{row[l].peak_rss_mib:.0f}" if l in row else "" for l in labels]
        if len(labels) > 1 and ref in row and labels[-1] in row and row[ref].first_figure_s and row[labels[-1]].first_figure_s:
            a, b = row[ref], row[labels[-1]]
            cells += [f"{b.served_per_min / a.served_per_min:.2f}x",
                      f"{statistics.median(b.first_figure_s) / statistics.median(a.first_figure_s):.2f}x",
                      f"{b.cpu_s / a.cpu_s:.2f}x" if a.cpu_s else ""]
        elif len(labels) > 1:
            cells += ["", "", ""]
        lines.append("| " + " | ".join(cells) + " |")
    problems = [f"- {w.label} {w.client} {w.case} {w.sessions}: {'; '.join(w.problems[:3])}" for w in waves if w.problems]
    if problems:
        lines += ["", "Problems:", *problems]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="concurrent sessions per wave")
    parser.add_argument("--cases", default=",".join(CASES), help="same, different or both")
    parser.add_argument("--chromium", type=int, default=10, help="Chromium tabs in the realistic sample (0: none)")
    parser.add_argument("--chromium-cases", default="same", help="the cases the Chromium sample opens")
    parser.add_argument("--app-dir", type=Path, help="an older checkout, measured first as 'before'")
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    cases = args.cases.split(",")
    apps = ([("before", args.app_dir.resolve())] if args.app_dir else []) + [("now" if not args.app_dir else "after", REPO)]
    load_before = os.getloadavg()
    waves: list[Wave] = []
    with tempfile.TemporaryDirectory(prefix="em-load-") as tmp:
        log_dir = Path(tmp)
        for case in cases:
            for n in levels:
                for label, app_dir in apps:  # before and after next to each other, under the same load
                    waves.append(run_wave(app_dir, label, case, n, "light", log_dir))
                    print(describe(waves[-1]), flush=True)
            if args.chromium and case in args.chromium_cases.split(","):
                for label, app_dir in apps:
                    waves.append(run_wave(app_dir, label, case, args.chromium, "chromium", log_dir))
                    print(describe(waves[-1]), flush=True)
    text = report(waves, [label for label, _ in apps], load_before, os.getloadavg(), args.chromium)
    print(text)
    if not args.no_write:  # the hand-written notes under NOTES_MARKER survive a new run
        notes = RESULTS.read_text().partition(NOTES_MARKER)[2] if RESULTS.exists() else ""
        RESULTS.write_text(text + (f"\n{NOTES_MARKER}{notes}" if notes else ""))
    return 1 if any(w.served < w.sessions for w in waves) else 0


if __name__ == "__main__":
    sys.exit(main())
