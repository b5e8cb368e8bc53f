"""Benchmark: server-side build time and JSON size of the EM player's payload (figures.player_payload).

    python bench/bench_figures.py            # prints a Markdown table, writes bench/RESULTS_figures.md

For n in {1e3, 1e4, 1e5, 1e6} 2-D points (random blobs, k = 5, full covariances), one fit with tol=0
and max_iter=300 runs exactly 300 iterations; the 20- and 100-iteration cases slice its trace (EM
is deterministic, so a fresh fit with max_iter=20 gives the same first 20 iterations; the script
checks this once). The fit time is reported separately and is not part of the build time.
Build time = display_subsample + player_payload (best of REPEATS); JSON = len(json.dumps(payload)).
(The browser side, first figure and playback, against the Plotly-frames figure: bench/bench_player.py.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gmm_core  # noqa: E402
from figures import DISPLAY_CAP, display_subsample, player_payload  # noqa: E402

SIZES = (10**3, 10**4, 10**5, 10**6)
ITERATIONS = (20, 100, 300)
N_COMPONENTS = 5
REPEATS = 3
TARGET = {"n": 10**4, "iterations": 100, "build_s": 1.0, "json_mb": 1.0}
RESULTS = Path(__file__).with_name("RESULTS_figures.md")


def truncated(result, n_iter: int):
    """The fit as if it had stopped after n_iter iterations."""
    trace = result.trace[: n_iter + 1]
    return dataclasses.replace(
        result, trace=trace, n_iter=n_iter, params=trace[-1].params, log_likelihood=trace[-1].log_likelihood,
        restarts=(result.restarts[0][: n_iter + 1],), converged=False,
        reseed_events=tuple(e for entry in trace for e in entry.reseeds),
    )


def check_slicing_is_honest(X):
    full = gmm_core.fit(X, N_COMPONENTS, tol=0, max_iter=60, seed=0)
    short = gmm_core.fit(X, N_COMPONENTS, tol=0, max_iter=20, seed=0)
    sliced = truncated(full, 20)
    assert short.n_iter == 20
    assert np.allclose([e.log_likelihood for e in short.trace], [e.log_likelihood for e in sliced.trace], rtol=1e-12)
    assert np.allclose(short.params.means, sliced.params.means, rtol=1e-12)


def measure(result, X, step_mode=False):
    """Best-of-REPEATS wall time and the CPU time of that run (the CPU time is what a shared,
    loaded machine distorts least)."""
    best, best_cpu = np.inf, np.inf
    for _ in range(REPEATS):
        start, start_cpu = time.perf_counter(), time.process_time()
        idx = display_subsample(len(X))
        payload = player_payload(result, X[idx], step_mode=step_mode)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    start = time.perf_counter()
    text = json.dumps(payload)
    json_s = time.perf_counter() - start
    return {"frames": len(payload["frames"]["name"]), "shown": len(idx), "build_s": best, "build_cpu_s": best_cpu,
            "json_s": json_s, "json_mb": len(text) / 1e6}


def target_cell(n, iterations, row):
    if (n, iterations) != (TARGET["n"], TARGET["iterations"]):
        return ""
    ok = row["build_s"] < TARGET["build_s"] and row["json_mb"] < TARGET["json_mb"]
    return f"build < {TARGET['build_s']:g} s, JSON < {TARGET['json_mb']:g} MB: {'**met**' if ok else '**MISSED**'}"


def main():
    load_before = os.getloadavg()[0]
    rows, step_rows = [], []
    for n in SIZES:
        data = gmm_core.random_blobs(N_COMPONENTS, n, seed=0)
        if n == SIZES[0]:
            check_slicing_is_honest(data.X)
        start = time.perf_counter()
        result = gmm_core.fit(data.X, N_COMPONENTS, covariance_type="full", tol=0, max_iter=max(ITERATIONS), seed=0)
        fit_s = time.perf_counter() - start
        assert result.n_iter == max(ITERATIONS)
        for iterations in ITERATIONS:
            row = measure(truncated(result, iterations), data.X)
            row.update(n=n, iterations=iterations, fit_s=fit_s)
            rows.append(row)
            print(f"n={n:>9,} iterations={iterations:>3}: build {1e3 * row['build_s']:.1f} ms, JSON {row['json_mb']:.2f} MB", flush=True)
        row = measure(truncated(result, 100), data.X, step_mode=True)
        row.update(n=n, iterations=100, fit_s=fit_s)
        step_rows.append(row)

    lines = [
        f"# Figure benchmark ({dt.date.today().isoformat()})",
        "",
        f"2-D random blobs, k = {N_COMPONENTS}, full covariances; display cap {DISPLAY_CAP:,} points. "
        f"Python {platform.python_version()}, {platform.machine()}. Build = display_subsample + player_payload "
        f"(best of {REPEATS}); to_json = json.dumps, the serialisation Streamlit does; fit = one {max(ITERATIONS)}-iteration fit "
        "(tol=0), not part of the build; fewer iterations slice its trace. "
        f"Shared 2-core machine, 1-min load average {load_before:.1f} at start, {os.getloadavg()[0]:.1f} at end: "
        "wall times are inflated by other jobs, the CPU column less so.",
        "",
        "## Normal mode (n_iter + 1 frames)",
        "",
        "| n | iterations | frames | points drawn | fit (s, 300 it.) | build wall (ms) | build CPU (ms) | to_json (ms) | JSON (MB) | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['iterations']} | {r['frames']} | {r['shown']:,} | {r['fit_s']:.2f} | {1e3 * r['build_s']:.1f} "
            f"| {1e3 * r['build_cpu_s']:.1f} "
            f"| {1e3 * r['json_s']:.1f} | {r['json_mb']:.2f} | {target_cell(r['n'], r['iterations'], r)} |"
        )
    lines += [
        "",
        "## Step mode, 100 iterations (2 n_iter + 1 frames)",
        "",
        "| n | frames | build wall (ms) | build CPU (ms) | to_json (ms) | JSON (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in step_rows:
        lines.append(
            f"| {r['n']:,} | {r['frames']} | {1e3 * r['build_s']:.1f} | {1e3 * r['build_cpu_s']:.1f} | {1e3 * r['json_s']:.1f} | {r['json_mb']:.2f} |"
        )
    sizes = {r["json_mb"] for r in rows if r["n"] > DISPLAY_CAP and r["iterations"] == 100}
    lines += [
        "",
        f"Payload vs n at 100 iterations, n > cap: {min(sizes):.2f}-{max(sizes):.2f} MB: it stops growing once "
        f"n exceeds the {DISPLAY_CAP:,}-point display cap: the payload carries the drawn points once and each "
        "iteration's parameters (weights, means, covariances, precision factors); the browser computes every "
        "frame's colours, ellipses and hover values from them.",
    ]
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    RESULTS.write_text(table, encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
