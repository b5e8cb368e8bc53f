#!/usr/bin/env python
"""gmm_core on Dask: 10^7 x 2 on a distributed.LocalCluster of 2 workers, against the in-memory fit of 10^6, in one run.

The 10^7 rows are never held whole: every chunk of 10^6 rows is drawn on a worker from a known
3-component mixture (seed = chunk number) whenever a pass needs it, so each EM iteration also pays
for drawing the data again (as reading it from disk would).  Both fits: k = 3, full covariances,
soft EM, k-means++ start, tol = 0 and a fixed number of iterations, so both run the same work.

Reported: seconds per EM iteration (between two on_iteration callbacks, median), ns per row and
iteration, and peak memory: each worker's peak RSS (getrusage), against the in-memory fit's peak
allocation (tracemalloc, which sees NumPy's arrays) plus the interpreter's RSS before it.

    nice -n 10 python bench/bench_dask.py            # writes bench/RESULTS_dask.md
    python bench/bench_dask.py --rows 1000000 --iterations 3 --no-write   # a quick look
    python bench/bench_dask.py --breakdown   # where one chunk's time goes, in this process (best of 3)
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import dask  # noqa: E402
import dask.array as da  # noqa: E402
import distributed  # noqa: E402

import gmm_core  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS_dask.md"
CHUNK_ROWS = 1_000_000
TRUTH = gmm_core.GaussianMixtureParams(
    weights=np.array([0.5, 0.3, 0.2]),
    means=np.array([[0.0, 0.0], [6.0, 1.0], [1.0, 7.0]]),
    covariances=np.array([[[1.0, 0.3], [0.3, 0.8]], [[0.6, 0.0], [0.0, 1.5]], [[1.2, -0.4], [-0.4, 0.7]]]),
    covariance_type="full",
)


def chunk_of_truth(index: int, rows: int) -> np.ndarray:
    """Rows of chunk `index`, drawn from TRUTH (the same rows every time the chunk is asked for)."""
    return TRUTH.sample(rows, seed=index)[0]


def generated(n_rows: int):
    """A Dask array of n_rows x 2 whose chunks are drawn on the workers, never gathered."""
    sizes = [min(CHUNK_ROWS, n_rows - start) for start in range(0, n_rows, CHUNK_ROWS)]
    blocks = [da.from_delayed(dask.delayed(chunk_of_truth)(i, rows), shape=(rows, 2), dtype=np.float64)
              for i, rows in enumerate(sizes)]
    return da.concatenate(blocks, axis=0)


def timed_fit(X, iterations: int):
    """The fit, the per-iteration seconds (between callbacks) and the seconds before iteration 1."""
    stamps = [time.perf_counter()]
    result = gmm_core.fit(X, 3, "full", init="kmeans++", tol=0.0, max_iter=iterations, seed=0,
                          on_iteration=lambda restart, i, total: stamps.append(time.perf_counter()))
    total = time.perf_counter() - stamps[0]
    per_iteration = np.diff(stamps[1:])
    start_up = total - (stamps[-1] - stamps[1]) - (per_iteration.mean() if len(per_iteration) else 0.0)
    return result, per_iteration, total, start_up


def worker_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def mean_error(result) -> float:
    """Largest distance of a fitted mean from the true one (matched by nearest), in data units."""
    return float(max(np.linalg.norm(result.params.means - m, axis=1).min() for m in TRUTH.means))


def breakdown() -> str:
    """Seconds for one chunk of CHUNK_ROWS in this process, step by step (best of 3), as a Markdown table."""
    from gmm_core import _chunk_passes
    from gmm_core._design import Design
    from gmm_core.steps import m_step_with_repair

    def best(step) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        return min(times)

    X = chunk_of_truth(0, CHUNK_ROWS)
    centre = X.mean(axis=0)
    design = Design.build(X, "full", center=centre)
    resp_t, log_density = design.e_step(TRUTH)
    rows = [
        ("draw the chunk (the benchmark's stand-in for reading it)", best(lambda: chunk_of_truth(0, CHUNK_ROWS))),
        ("build its feature matrix (Design.build)", best(lambda: Design.build(X, "full", center=centre))),
        ("E-step on it", best(lambda: design.e_step(TRUTH))),
        ("sums about the current means (_chunk_passes.moments)", best(lambda: _chunk_passes.moments(
            X, 0, resp_t, log_density, TRUTH.means, "full", 3, (0.0, 0.0, 0)))),
        ("the whole chunk task (em_chunk: features, E-step, sums)", best(lambda: _chunk_passes.em_chunk(
            X, 0, kind="full", centre=centre, params=TRUTH, previous=None, hard=False, anchors=TRUTH.means, n_worst=3))),
        ("in memory: one E-step and M-step on the same rows (features built once per fit)",
         best(lambda: m_step_with_repair(design, design.e_step(TRUTH)[0], log_density, 1e-6, 1))),
    ]
    return "\n".join([f"| step, one chunk of {CHUNK_ROWS:,} x 2, k = 3 full | seconds (best of 3) |", "|---|---:|"]
                     + [f"| {name} | {seconds:.3f} |" for name, seconds in rows]) + f"\n\n(1-minute load average {os.getloadavg()[0]:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--reference-rows", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--breakdown", action="store_true", help="only where one chunk's time goes, printed")
    args = parser.parse_args()
    if args.breakdown:
        print(breakdown())
        return
    load_before = os.getloadavg()

    # In memory, for scale: the reference rows drawn whole, one process.
    X_memory = chunk_of_truth(0, args.reference_rows)
    rss_before = rss_mib()
    tracemalloc.start()
    memory_result, memory_iter, memory_total, memory_start = timed_fit(X_memory, args.iterations)
    _, memory_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        baseline = client.run(worker_peak_mib)
        dask_result, dask_iter, dask_total, dask_start = timed_fit(generated(args.rows), args.iterations)
        peaks = client.run(worker_peak_mib)
    load_after = os.getloadavg()

    memory_ms, dask_ms = 1e3 * statistics.median(memory_iter), 1e3 * statistics.median(dask_iter)
    memory_ns_row = 1e6 * memory_ms / args.reference_rows
    dask_ns_row = 1e6 * dask_ms / args.rows
    lines = [
        "# gmm_core on Dask (bench/bench_dask.py)",
        "",
        f"Measured {datetime.date.today()} with `nice -n 10 python bench/bench_dask.py` (Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}; NumPy {np.__version__}, Dask {dask.__version__}, "
        f"distributed {distributed.__version__}). The machine was shared with other jobs: 1-minute load average "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after the run, so times are long; rerun on a quiet machine "
        "before trusting one figure.",
        "",
        f"k = 3, full covariances, soft EM, k-means++ start, tol = 0, {args.iterations} iterations, seed 0. "
        f"The Dask data are {args.rows:,} x 2 in chunks of {CHUNK_ROWS:,} rows, each drawn on a worker from a known "
        "3-component mixture whenever a pass needs it (never held whole); the cluster is "
        "`distributed.LocalCluster(n_workers=2, threads_per_worker=1)`. Per iteration: median time between two "
        "iterations (one pass: draw each chunk, E-step, sums about the current means, a tree of sums).",
        "",
        "| fit | rows | ms per iteration (median) | ns per row and iteration | start-up s (validation, sample, k-means++, initial M-step) | total s | peak memory |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| in memory, one process | {args.reference_rows:,} | {memory_ms:.0f} | {memory_ns_row:.0f} | {memory_start:.1f} | "
        f"{memory_total:.1f} | {memory_peak / 2**20:.0f} MiB allocated by the fit, on {rss_before:.0f} MiB RSS before it |",
        f"| Dask, 2 workers x 1 thread | {args.rows:,} | {dask_ms:.0f} | {dask_ns_row:.0f} | {dask_start:.1f} | {dask_total:.1f} | "
        + ", ".join(f"worker {i + 1}: {peaks[w]:.0f} MiB peak RSS (from {baseline[w]:.0f} at start)" for i, w in enumerate(sorted(peaks)))
        + " |",
        "",
        f"Ratios (Dask / in memory): {dask_ms / memory_ms:.1f}x the time per iteration for {args.rows / args.reference_rows:.0f}x "
        f"the rows, i.e. {dask_ns_row / memory_ns_row:.2f}x the time per row (2 workers against 1 process, and the Dask "
        "pass also draws its data); each worker's peak RSS is "
        f"{max(peaks.values()) / (rss_before + memory_peak / 2**20):.2f}x the in-memory process's (RSS before + the fit's peak allocation), "
        f"for {args.rows / args.reference_rows:.0f}x the rows.",
        "",
        f"Per-iteration seconds, Dask: {', '.join(f'{t:.2f}' for t in dask_iter)}; in memory: {', '.join(f'{t:.2f}' for t in memory_iter)}.",
        "",
        f"Both fits found the mixture: the largest distance of a fitted mean from the true one is {mean_error(dask_result):.4f} "
        f"(Dask, 10^{np.log10(args.rows):.0f} rows) and {mean_error(memory_result):.4f} (in memory); log-likelihood per row "
        f"{dask_result.log_likelihood / args.rows:.5f} and {memory_result.log_likelihood / args.reference_rows:.5f}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
