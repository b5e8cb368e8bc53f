"""Benchmark: how long a cold page takes to fetch and run plotly.js, the full bundle against the basic one.

    python bench/bench_plotly_bundle.py     # prints a Markdown table, writes bench/RESULTS_plotly_bundle.md

Each run opens a fresh browser context (empty cache) on a blank page served over loopback HTTP, which loads
one plotly.js with a <script> tag and then draws one scatter trace; measured from navigation start: plotly.js
run (window.Plotly defined) and the scatter drawn. Full = the plotly package's plotly.min.js (what the
player loaded before), basic = player/vendor/plotly-basic.min.js (what it loads now); runs interleaved so
that both see the same machine load. This isolates the part of the Explorer's cold first figure that the
bundle changes (bench/bench_player.py measures the whole page).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from figures import player_assets  # noqa: E402

CHROMIUM = os.environ.get("EM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
RUNS = 9
RESULTS = Path(__file__).with_name("RESULTS_plotly_bundle.md")
PAGE = """<!doctype html><html><head><meta charset="utf-8"><script src="{script}"></script></head><body>
<div id="g" style="width:600px;height:400px"></div><script>
performance.mark("plotly");
Plotly.newPlot("g", [{{type: "scatter", mode: "markers", x: [1, 2, 3], y: [3, 1, 2]}}]).then(() => performance.mark("drawn"));
</script></body></html>"""
MARKS_JS = """() => { const get = (n) => performance.getEntriesByName(n);
  return get("drawn").length ? [get("plotly")[0].startTime / 1000, get("drawn")[0].startTime / 1000] : false; }"""


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def cold_load(browser, url: str) -> tuple[float, float]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        return tuple(page.wait_for_function(MARKS_JS, timeout=180_000, polling="raf").json_value())
    finally:
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="em-plotly-bundle-"))
    bundles = {"full": player_assets.plotly_js_dir() / "plotly.min.js",
               "basic": player_assets.ASSET_DIR / player_assets.PLOTLY_JS}
    for name, path in bundles.items():
        shutil.copy(path, folder / f"{name}.js")
        (folder / f"{name}.html").write_text(PAGE.format(script=f"{name}.js"), encoding="utf-8")
    server, root = serve(folder)
    times = {name: [] for name in bundles}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                for name in bundles:  # warm-up: the browser process itself
                    cold_load(browser, f"{root}/{name}.html")
                for run in range(RUNS):
                    for name in bundles:
                        times[name].append(cold_load(browser, f"{root}/{name}.html"))
                    print(f"run {run + 1}: " + ", ".join(f"{n} {times[n][-1][0]:.2f} s" for n in bundles), flush=True)
            finally:
                browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)
    sizes = {name: path.stat().st_size / 1e6 for name, path in bundles.items()}
    median = {name: [statistics.median(t[i] for t in times[name]) for i in (0, 1)] for name in bundles}
    lines = [
        f"# plotly.js bundles, cold page ({dt.date.today().isoformat()})",
        "",
        f"Fresh browser context per run (empty cache), loopback HTTP, headless Chromium ({CHROMIUM}, no GPU), "
        f"{RUNS} interleaved runs, medians; 1-min load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at "
        "end (a shared 2-core machine: the ratio is the figure to trust, the seconds scale with the load).",
        "",
        "| measure | full plotly.min.js | basic bundle | ratio (full / basic) |",
        "|---|---:|---:|---:|",
        f"| size (MB) | {sizes['full']:.2f} | {sizes['basic']:.2f} | {sizes['full'] / sizes['basic']:.1f}x |",
        f"| plotly.js fetched and run (s after navigation start) | {median['full'][0]:.2f} | {median['basic'][0]:.2f} "
        f"| {median['full'][0] / median['basic'][0]:.1f}x |",
        f"| one scatter drawn (s after navigation start) | {median['full'][1]:.2f} | {median['basic'][1]:.2f} "
        f"| {median['full'][1] / median['basic'][1]:.1f}x |",
        "",
        "Every run (plotly.js run, s): full " + ", ".join(f"{t[0]:.2f}" for t in times["full"]) + "; basic "
        + ", ".join(f"{t[0]:.2f}" for t in times["basic"]) + ".",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines) + f"\n\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
