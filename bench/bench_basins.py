"""Benchmark: the basin-of-attraction map, 3,600 EM fits on the article's 60 points, batched against one by one.

    python bench/bench_basins.py            # prints a Markdown table, writes bench/RESULTS_basins.md
    python bench/bench_basins.py --quick    # a 20 x 20 grid, prints only

The starts are the How EM works map's: a 60 x 60 grid of starting means (μ₁, μ₂) over the range of
the second article's 1-D data (two_overlapping_gaussians(seed=0), 60 points), k = 2, full
covariances, the other starting parameters as init='manual' sets them. Each case runs every start
with `gmm_core.fit_many_starts` (best of REPEATS, interleaved with the loop) and with `gmm_core.fit`
called once per start (the reference), checks that both give the same log-likelihood per start, and
prints both times and their ratio. Target (issue 13): the 3,600 fits in "a few seconds", read as < 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gmm_core  # noqa: E402
from explorer import teaching_basins  # noqa: E402

REPEATS = 3
TARGET_S = 5.0
RESULTS = Path(__file__).with_name("RESULTS_basins.md")
# (name, tol, max_iter): the map's own tight rule, and the Explorer's default one.
CASES = (
    ("map: tol 1e-8, max_iter 1000", teaching_basins.MAP_TOL, teaching_basins.MAP_MAX_ITER),
    ("Explorer default: tol 1e-3, max_iter 100", 1e-3, 100),
)


def grid_starts(X, grid_size: int) -> np.ndarray:
    grid = teaching_basins.start_grid(X, grid_size)
    mu1, mu2 = np.meshgrid(grid, grid)
    return np.stack([mu1.ravel(), mu2.ravel()], axis=1)[:, :, None]


def one_by_one(X, starts, tol, max_iter) -> tuple[np.ndarray, np.ndarray]:
    results = [gmm_core.fit(X, 2, "full", init="manual", means_init=start, max_iter=max_iter, tol=tol,
                            reg_covar=teaching_basins.REG_COVAR) for start in starts]
    return np.array([r.log_likelihood for r in results]), np.array([r.n_iter for r in results])


def timed(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 20 x 20 grid; print only")
    args = parser.parse_args()
    grid_size = 20 if args.quick else teaching_basins.GRID_SIZE
    X = teaching_basins.map_data().X
    starts = grid_starts(X, grid_size)
    load_before = os.getloadavg()[0]
    rows = []
    for name, tol, max_iter in CASES:
        batched_times, loop_times = [], []
        for _ in range(REPEATS):
            seconds, batch = timed(lambda: gmm_core.fit_many_starts(X, starts, max_iter=max_iter, tol=tol,
                                                                    reg_covar=teaching_basins.REG_COVAR))
            batched_times.append(seconds)
            if not loop_times:  # the reference is slow; once is enough to show the ratio
                seconds, (loop_ll, loop_iter) = timed(lambda: one_by_one(X, starts, tol, max_iter))
                loop_times.append(seconds)
        worst = float(np.max(np.abs(batch.log_likelihood - loop_ll)))
        same_iterations = bool(np.array_equal(batch.n_iter, loop_iter))
        batched, loop = min(batched_times), loop_times[0]
        rows.append((name, len(starts), int(np.median(batch.n_iter)), int(batch.n_iter.max()),
                     int(batch.fitted_alone.sum()), batched, loop, loop / batched, worst, same_iterations))
        print(f"{name}: batched {batched:.2f} s, one by one {loop:.2f} s, ratio {loop / batched:.1f}x, "
              f"max |Δ log-likelihood| {worst:.1e}, same iterations: {same_iterations}", flush=True)
    load_after = os.getloadavg()[0]

    header = (
        f"# Basin-map benchmark ({dt.date.today().isoformat()})\n\n"
        f"{grid_size} x {grid_size} = {len(starts):,} starting means (μ₁, μ₂) on the second article's 1-D data "
        f"({len(X)} points), k = 2, full covariances, reg_covar = {teaching_basins.REG_COVAR:g}. Batched = "
        f"`gmm_core.fit_many_starts` (best of {REPEATS}); one by one = `gmm_core.fit` per start (once). Python "
        f"{platform.python_version()}, NumPy {np.__version__}, {platform.machine()}; shared 2-core machine, "
        f"1-min load average {load_before:.1f} at start, {load_after:.1f} at end. Target: the 3,600 fits in a few "
        f"seconds (< {TARGET_S:g} s).\n\n"
        "| case | starts | median iterations | most iterations | handed to fit | batched (s) | one by one (s) "
        "| ratio (one by one / batched) | max abs. difference in log-likelihood | same iteration counts | target |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n"
    )
    lines = [
        f"| {name} | {n:,} | {median} | {most} | {alone} | {batched:.2f} | {loop:.2f} | {ratio:.1f}x | {worst:.1e} "
        f"| {'yes' if same else 'no'} | {'met' if batched < TARGET_S else 'missed'} |"
        for name, n, median, most, alone, batched, loop, ratio, worst, same in rows
    ]
    table = header + "\n".join(lines) + "\n"
    print()
    print(table)
    if not args.quick:
        RESULTS.write_text(table, encoding="utf-8")
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
