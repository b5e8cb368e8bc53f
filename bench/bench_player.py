"""Benchmark: the EM player against the Plotly-frames figure it replaced, in one run, on this machine's Chromium.

    python bench/bench_player.py            # prints a Markdown table, writes bench/RESULTS_player.md
    python bench/bench_player.py --before 4d108a2 --results bench/RESULTS_player_basic.md
                                            # against an older EM-player commit (both draw the player)

The previous app is commit 13be58a (BEFORE), checked out into a temporary git worktree and served by
its own Streamlit server next to this one; both are driven by the same headless Chromium, their runs
interleaved so that both see the same machine load. Measured:

* first figure: from navigation start to the animated figure drawn (old: Plotly's figure with its
  frames; new: the player showing frame 0), on the default page, median of RUNS after one warm-up per
  server; cold = a new browser context each time (nothing cached: a student's first visit), warm = a
  reload in a context that has opened the page before (scripts cached, as for a lecturer's second visit);
* playback: frames drawn per second with 3,000 drawn points (blobs, n = 5,000, k = 5, 100 iterations),
  each app as fast as it can (old: Plotly.animate with 0 ms frames and transitions, counting its
  plotly_animatingframe events; new: the player stepping one frame per animation frame);
* click to new fit (new app only; the old one had no clicks): n = 1,000 points, the time from a click
  that places a starting mean, or adds a point to a drawing, to the new fit drawn;
* payload: the figure's JSON for n = 10^4, k = 5, 100 iterations (old: fig.to_json(); new: json.dumps of
  the payload), built by each commit's own code.
Targets (issue 10): first figure <= 2.5 s, playback >= 30 fps, click <= 1 s, payload <= 1 MB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench.server_process import start_server  # noqa: E402
from bench_server_memory import CHROMIUM  # noqa: E402

BEFORE = "13be58a"
RUNS = 7
RESULTS = Path(__file__).with_name("RESULTS_player.md")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1400, "height": 1000}
PLAYBACK_QUERY = {"data": "blobs", "n": "5000", "true_k": "5", "k": "5", "tol": "0", "iters": "100"}
TARGETS = {"first_s": 2.5, "fps": 30.0, "click_s": 1.0, "payload_mb": 1.0}

OLD_READY_JS = """() => { const g = document.querySelector('.js-plotly-plot');
  return g && g._transitionData && g._transitionData._frames.length > 0 && g.querySelector('.scatterlayer .trace')
    ? performance.now() : false; }"""
NEW_READY_JS = """() => { const e = document.querySelector('.emp');
  return e && e.__emPlayer && e.__emPlayer.shown && !e.__emPlayer.busy && e.querySelector('.emp-points path')
    ? performance.now() : false; }"""
OLD_FPS_JS = """async () => {
  const gd = document.querySelector('.js-plotly-plot');
  const names = gd._transitionData._frames.map(f => f.name);
  let count = 0; gd.on('plotly_animatingframe', () => { count++; });
  const start = performance.now();
  await Plotly.animate(gd, names, {mode: 'immediate', frame: {duration: 0, redraw: false}, transition: {duration: 0}});
  const seconds = (performance.now() - start) / 1000;
  return {frames: count, seconds, fps: count / seconds};
}"""
NEW_FPS_JS = "() => document.querySelector('.emp').__emPlayer.measureFps()"
IDLE_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'; }"""


def is_player_commit(tree: Path) -> bool:
    """Whether a checkout already draws the EM player (then it is measured as the new one is)."""
    return (tree / "player" / "mount.js").is_file()


def payload_sizes(old_tree: Path) -> tuple[float, float]:
    """JSON size (MB) of the figure for n = 10^4, k = 5, 100 iterations, by each commit's own code."""
    fit = ("import gmm_core, figures; d = gmm_core.random_blobs(5, 10_000, seed=0); "
           "r = gmm_core.fit(d.X, 5, tol=0, max_iter=100, seed=0); X = d.X[figures.display_subsample(len(d.X))]; ")
    old_size = ("import json; print(len(json.dumps(figures.player_payload(r, X))))" if is_player_commit(old_tree)
                else "print(len(figures.build_animation(r, X).to_json()))")
    old = subprocess.run([sys.executable, "-c", fit + old_size],
                         cwd=old_tree, capture_output=True, text=True, check=True)
    new = subprocess.run([sys.executable, "-c", fit + "import json; print(len(json.dumps(figures.player_payload(r, X))))"],
                         cwd=REPO, capture_output=True, text=True, check=True)
    return int(old.stdout.split()[-1]) / 1e6, int(new.stdout.split()[-1]) / 1e6


MARKS_JS = """() => Object.fromEntries(['emp-loader', 'emp-plotly', 'emp-mount', 'emp-frame'].map(
  (name) => { const m = performance.getEntriesByName(name); return [name, m.length ? m[0].startTime / 1000 : null]; }))"""


def first_figure(browser, url: str, ready_js: str, marks: list | None = None) -> float:
    """Seconds from navigation start to the figure drawn, in a fresh context (empty cache). `marks`, if given,
    receives the player's milestones (s): loader started, plotly.js run, player mounted, first frame."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        seconds = page.wait_for_function(ready_js, timeout=120_000, polling="raf").json_value() / 1000
        if marks is not None:
            marks.append(page.evaluate(MARKS_JS))
        return seconds
    finally:
        context.close()


def warm_first_figures(browser, url: str, ready_js: str, runs: int) -> list[float]:
    """Seconds to the figure on reloads of a page this context has opened before (its HTTP cache warm)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        times = []
        for run in range(runs + 1):
            page.goto(url, wait_until="commit")
            seconds = page.wait_for_function(ready_js, timeout=120_000, polling="raf").json_value() / 1000
            if run:  # the first load fills the cache
                times.append(seconds)
        return times
    finally:
        context.close()


def playback_fps(browser, url: str, ready_js: str, fps_js: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(ready_js, timeout=180_000, polling=200)
        page.wait_for_function(IDLE_JS, timeout=180_000, polling=200)
        page.wait_for_timeout(1500)  # let the panels under the figure finish drawing
        return page.evaluate(fps_js)
    finally:
        context.close()


def click_to_fit(browser, url: str, clicks: int, mode: str) -> list[float]:
    """Seconds from a click on the figure to the new fit drawn, `clicks` times (new app)."""
    context = browser.new_context(viewport=VIEWPORT)
    player = "document.querySelector('.emp').__emPlayer"
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(NEW_READY_JS, timeout=180_000, polling=200)
        page.wait_for_function(IDLE_JS, timeout=180_000, polling=200)
        if mode == "add":
            page.get_by_role("button", name="Edit these points").click()
            page.wait_for_function(f"() => {player}.mode() === 'add' && !{player}.busy", timeout=120_000)
            page.wait_for_function(IDLE_JS, timeout=180_000, polling=200)
        box = page.locator(".emp-data").bounding_box()
        ox, oy, w, h = page.evaluate(f"(() => {{ const o = {player}.dataView.overlay; return [o.offset[0], o.offset[1], o.width, o.height]; }})()")
        times = []
        for i in range(clicks):
            page.wait_for_timeout(600)
            fx, fy = 0.2 + 0.6 * ((i * 0.37) % 1), 0.2 + 0.6 * ((i * 0.61) % 1)
            before = page.evaluate(f"{player}.payload.curves.length ? {player}.payload.curves[0].y.join() : ''")
            start = page.evaluate("performance.now()")
            page.mouse.click(box["x"] + ox + fx * w, box["y"] + oy + fy * h)
            done = page.wait_for_function(
                f"(before) => {{ const p = {player}; const e = document.querySelector('.emp');"
                f" return !p.busy && !e.classList.contains('emp-waiting') && p.payload.curves.length"
                f" && p.payload.curves[0].y.join() !== before ? performance.now() : false; }}",
                arg=before, timeout=60_000, polling="raf").json_value()
            times.append((done - start) / 1000)
        return times
    finally:
        context.close()


def main() -> None:
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help=f"the commit to compare with (default {BEFORE})")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the Markdown table")
    parser.add_argument("--first-only", action="store_true",
                        help="measure only the first figure (cold and warm) and the payload, not playback or clicks")
    options = parser.parse_args()
    load_before = os.getloadavg()[0]
    old_tree = Path(tempfile.mkdtemp(prefix="em-before-"))
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(old_tree), options.before], check=True,
                   capture_output=True)
    old_player = is_player_commit(old_tree)
    old_ready = NEW_READY_JS if old_player else OLD_READY_JS
    old_fps = NEW_FPS_JS if old_player else OLD_FPS_JS
    servers = []
    try:
        old_mb, new_mb = payload_sizes(old_tree)
        print(f"payload: old {old_mb:.2f} MB, new {new_mb:.2f} MB", flush=True)
        old_server = start_server(old_tree, REPO / "test-artifacts")
        new_server = start_server(REPO, REPO / "test-artifacts")
        servers = [old_server, new_server]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                for server, ready in ((old_server, old_ready), (new_server, NEW_READY_JS)):  # warm-up
                    first_figure(browser, server.url, ready)
                firsts, marks = {"old": [], "new": []}, {"old": [], "new": []}
                for run in range(RUNS):
                    firsts["old"].append(first_figure(browser, old_server.url, old_ready, marks["old"]))
                    firsts["new"].append(first_figure(browser, new_server.url, NEW_READY_JS, marks["new"]))
                    print(f"first figure, run {run + 1}: old {firsts['old'][-1]:.2f} s, new {firsts['new'][-1]:.2f} s",
                          flush=True)
                warm = {"old": warm_first_figures(browser, old_server.url, old_ready, RUNS),
                        "new": warm_first_figures(browser, new_server.url, NEW_READY_JS, RUNS)}
                print(f"first figure, warm cache: old {statistics.median(warm['old']):.2f} s, "
                      f"new {statistics.median(warm['new']):.2f} s (medians)", flush=True)
                fps, means, adds = {"old": [], "new": []}, [], []
                if not options.first_only:
                    query = "/?" + urlencode(PLAYBACK_QUERY)
                    for _ in range(3):
                        fps["old"].append(playback_fps(browser, old_server.url + query, old_ready, old_fps)["fps"])
                        fps["new"].append(playback_fps(browser, new_server.url + query, NEW_READY_JS, NEW_FPS_JS)["fps"])
                        print(f"playback: old {fps['old'][-1]:.1f} fps, new {fps['new'][-1]:.1f} fps", flush=True)
                    means = click_to_fit(browser, new_server.url + "/?" + urlencode(
                        {"data": "blobs", "n": "1000", "true_k": "3", "k": "3", "init": "manual"}), 6, "means")
                    adds = click_to_fit(browser, new_server.url + "/?" + urlencode(
                        {"data": "blobs", "n": "1000", "true_k": "3", "k": "3"}), 6, "add")
                    print(f"click to new fit: place a mean {statistics.median(means):.2f} s, add a point "
                          f"{statistics.median(adds):.2f} s (medians)", flush=True)
            finally:
                browser.close()
    finally:
        for server in servers:
            server.stop()
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old_tree)], capture_output=True)

    rows = [
        ("first animated figure after opening the page, cold cache (s, median of %d)" % RUNS,
         statistics.median(firsts["old"]), statistics.median(firsts["new"]), "old / new", f"<= {TARGETS['first_s']:g} s",
         statistics.median(firsts["new"]) <= TARGETS["first_s"]),
        ("first animated figure after opening the page, warm cache (s, median of %d)" % RUNS,
         statistics.median(warm["old"]), statistics.median(warm["new"]), "old / new", f"<= {TARGETS['first_s']:g} s",
         statistics.median(warm["new"]) <= TARGETS["first_s"]),
    ] + ([] if options.first_only else [
        ("playback, 3,000 drawn points (frames/s, median of 3)", statistics.median(fps["old"]),
         statistics.median(fps["new"]), "new / old", f">= {TARGETS['fps']:g} fps",
         statistics.median(fps["new"]) >= TARGETS["fps"]),
        ("click places a starting mean -> new fit drawn, n = 1,000 (s, median of 6)", None,
         statistics.median(means), "", f"<= {TARGETS['click_s']:g} s", statistics.median(means) <= TARGETS["click_s"]),
        ("click adds a point -> new fit drawn, n = 1,001 (s, median of 6)", None, statistics.median(adds), "",
         f"<= {TARGETS['click_s']:g} s", statistics.median(adds) <= TARGETS["click_s"]),
    ]) + [
        ("payload, n = 10^4, k = 5, 100 iterations (MB)", old_mb, new_mb, "old / new", f"<= {TARGETS['payload_mb']:g} MB",
         new_mb <= TARGETS["payload_mb"]),
    ]
    before = (f"commit {options.before} (the EM player, as it was then)" if old_player
              else f"commit {options.before} (Plotly-frames figure in st.plotly_chart)")
    lines = [
        f"# EM player benchmark ({dt.date.today().isoformat()})",
        "",
        f"Before = {before}, after = this checkout (the EM player), "
        f"served side by side and driven by one headless Chromium ({CHROMIUM}, software rendering, no GPU); runs "
        f"interleaved. Python {platform.python_version()}, {platform.machine()}; 1-min load average {load_before:.1f} "
        f"at start, {os.getloadavg()[0]:.1f} at end (a shared 2-core machine: rerun before trusting one figure).",
        "",
        "| measure | before | after | ratio | target | pass/fail |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, old, new, how, target, ok in rows:
        ratio = "" if old is None else f"{(old / new if how == 'old / new' else new / old):.1f}x ({how})"
        old_text = "not measured" if old is None else f"{old:.2f}"
        lines.append(f"| {name} | {old_text} | {new:.2f} | {ratio} | {target} | {'pass' if ok else 'FAIL'} |")
    lines += [
        "",
        "Every run: first figure (cold) old " + ", ".join(f"{v:.2f}" for v in firsts["old"]) + " s; new "
        + ", ".join(f"{v:.2f}" for v in firsts["new"]) + " s; (warm) old " + ", ".join(f"{v:.2f}" for v in warm["old"])
        + " s; new " + ", ".join(f"{v:.2f}" for v in warm["new"]) + " s."
        + ("" if options.first_only else " Playback old " + ", ".join(f"{v:.1f}" for v in fps["old"])
        + " fps; new " + ", ".join(f"{v:.1f}" for v in fps["new"]) + " fps. Clicks (mean / point) "
        + ", ".join(f"{v:.2f}" for v in means) + " / " + ", ".join(f"{v:.2f}" for v in adds) + " s."),
    ]
    if old_player:  # where the cold first figure's time goes (medians, seconds after navigation start)
        def milestones(side):
            return ", ".join(f"{name[4:]} {statistics.median(m[name] for m in marks[side] if m[name] is not None):.2f}"
                             for name in ("emp-loader", "emp-plotly", "emp-mount", "emp-frame")
                             if any(m[name] is not None for m in marks[side]))
        lines += ["", f"Cold first figure, milestones (median s after navigation start; loader = the player's loader "
                      f"starts fetching, plotly = plotly.js has run, mount = the player starts drawing, frame = frame 0 "
                      f"drawn): before {milestones('old')}; after {milestones('new')}."]
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    options.results.write_text(table, encoding="utf-8")
    print(f"written to {options.results}")


if __name__ == "__main__":
    main()
