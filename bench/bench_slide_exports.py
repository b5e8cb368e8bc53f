"""Benchmark: the films for slides (GIF, MP4) at 960 x 540 and 1920 x 1080, against the offline HTML export.

    python bench/bench_slide_exports.py     # prints a Markdown table, writes bench/RESULTS_slide_exports.md

One fit (random blobs, k = 3, n = 1,000, full covariances, tol = 0, 60 iterations: 61 frames, of which
the film keeps MAX_FRAMES = 40), one run. The film's pipeline (explorer.slide_video.make_film) is timed in
its parts: starting the browser, building each frame's figure, rendering it (kaleido + Chromium), encoding.
The frames of one size are rendered once and encoded in both formats (rendering does not depend on the
format), so a format's time is start + build + render + its encoding. The reference is the offline HTML
download (explorer.exports.animation_html): the time to make it and its size, on the same fit.
Targets: a 960 x 540 film in under 60 s on this machine, and any film under 10 MB.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402

import gmm_core  # noqa: E402
from explorer import slide_video  # noqa: E402
from explorer.exports import animation_html  # noqa: E402
from explorer.figure_images import FigureImages  # noqa: E402
from explorer.video_encoding import encode_gif, encode_mp4  # noqa: E402
from figures import player_payload  # noqa: E402
from figures.slide_frame import SLIDE_HEIGHT, SLIDE_WIDTH, slide_figure  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS_slide_exports.md")
TARGET = {"seconds_960": 60.0, "mb": 10.0}
TITLE = "Random blobs: 1,000 points · k = 3, full covariances"


def render(payload: dict, frames: list[int], scale: int) -> dict:
    """Seconds to start the browser, to build and to render the frames; the images; CPU seconds of this
    process and of the browser (its processes are reaped when it closes, so they count as children)."""
    build = draw = 0.0
    images = []
    before = os.times()
    start = time.perf_counter()
    with FigureImages() as renderer:
        started = time.perf_counter() - start
        for index in frames:
            tick = time.perf_counter()
            figure = slide_figure(payload, index, TITLE)
            build += time.perf_counter() - tick
            tick = time.perf_counter()
            images.append(Image.open(io.BytesIO(renderer.png(figure, SLIDE_WIDTH, SLIDE_HEIGHT, scale))).convert("RGB"))
            draw += time.perf_counter() - tick
    after = os.times()
    return {"start": started, "build": build, "render": draw, "images": images,
            "cpu": after.user + after.system - before.user - before.system,
            "browser_cpu": after.children_user + after.children_system - before.children_user - before.children_system}


def main() -> None:
    blobs = gmm_core.random_blobs(3, 1_000, 2, seed=0)
    result = gmm_core.fit(blobs.X, 3, tol=0, max_iter=60, init="random_points", seed=1)
    payload = player_payload(result, blobs.X, truth=blobs.truth)
    frames = slide_video.film_frames(payload)
    tick = time.perf_counter()
    html = animation_html(payload, TITLE, "settings", "caption").encode("utf-8")
    html_s, html_mb = time.perf_counter() - tick, len(html) / 2**20
    load = os.getloadavg()[0]
    rows = []
    for scale in slide_video.SCALES:
        parts = render(payload, frames, scale)
        durations = slide_video.frame_durations_ms(len(frames))
        for name, encode in (("GIF", encode_gif), ("MP4", encode_mp4)):
            tick, cpu = time.perf_counter(), time.process_time()
            data = encode(parts["images"], durations)
            encoded, encode_cpu = time.perf_counter() - tick, time.process_time() - cpu
            total = parts["start"] + parts["build"] + parts["render"] + encoded
            mb = len(data) / 2**20
            limit = TARGET["seconds_960"] if scale == 1 else None
            verdict = ("time " + ("pass" if total < limit else "FAIL") + ", " if limit else "") + \
                      "size " + ("pass" if mb < TARGET["mb"] else "FAIL")
            rows.append(f"| {name} | {slide_video.SCALES[scale]} | {len(frames)} | {total:.1f} | "
                        f"{parts['start']:.1f} | "
                        f"{1000 * parts['build'] / len(frames):.0f} | {1000 * parts['render'] / len(frames):.0f} | "
                        f"{encoded:.1f} | {parts['cpu'] + encode_cpu:.1f} + {parts['browser_cpu']:.1f} | "
                        f"{total / html_s:.0f}x | {mb:.2f} | {mb / html_mb:.2f}x | {verdict} |")
            print(rows[-1], flush=True)
    lines = [
        f"# Films for slides against the offline HTML ({dt.date.today().isoformat()})",
        "",
        f"`python bench/bench_slide_exports.py` on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs shared with other jobs (1-minute load average {load:.1f} at the start: every "
        "time below is inflated by it; rerun on a quiet machine before trusting one). Random blobs, k = 3, "
        f"n = 1,000, 60 iterations ({len(payload['frames']['name'])} frames, the film keeps {len(frames)}); "
        "one run.",
        "",
        f"Reference: the offline HTML of the same fit, made in {html_s:.3f} s, {html_mb:.2f} MB (plotly.js inlined).",
        "",
        "| film | pixels | frames | total s | browser start s | build ms/frame | render ms/frame | encode s | "
        "CPU s: Python + browser | time vs HTML | MB | size vs HTML | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Targets: a 960 x 540 film in under {TARGET['seconds_960']:.0f} s, any film under {TARGET['mb']:.0f} MB. "
        "Wall times include waiting for the shared cores; the CPU seconds (this process, and the browser's "
        "processes) are what the film itself costs, and vary less with the load.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
