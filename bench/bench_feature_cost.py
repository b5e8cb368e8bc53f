#!/usr/bin/env python
"""What more features cost EM per point-component-iteration, beside what the work budget charges for them.

explorer/work_budget.py counts point-component-iterations, calibrated in 2-D (about 6 ns of one core each); a fit
in d features costs more per pair (d x d solves and outer products), and the budget charges `feature_cost(d)`
units per pair. This measures the real cost in one run, with one BLAS thread as the app runs (ui/blas_threads.py):
CPU ns per pair on n = 10^5 points, k = 10, for each covariance type and d in 1, 2, 5, 10 (the difference between
a 25- and a 5-iteration fit, best of 2, so the start is left out), as a ratio to 2-D beside the charge; and what
the largest request allowed in 2-D would cost in 10 features before the charge (it would have run) and after.

    python bench/bench_feature_cost.py              # prints the table; writes bench/RESULTS_feature_cost.md
"""

from __future__ import annotations

import datetime
import os
import platform
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ui.blas_threads import use_one_blas_thread  # noqa: E402

use_one_blas_thread()

import numpy as np  # noqa: E402

import gmm_core  # noqa: E402
from explorer import work_budget  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS_feature_cost.md"
N, K, SHORT, LONG = 100_000, 10, 5, 25
DIMENSIONS = (1, 2, 5, 10)
TYPES = ("full", "tied", "diag", "spherical")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def ns_per_pair(X: np.ndarray, covariance_type: str) -> float:
    def best(iterations: int) -> float:
        times = []
        for _ in range(2):
            start = cpu()
            gmm_core.fit(X, K, covariance_type, init="random_points", max_iter=iterations, tol=0, seed=0)
            times.append(cpu() - start)
        return min(times)

    return (best(LONG) - best(SHORT)) / ((LONG - SHORT) * N * K) * 1e9


def main() -> int:
    rng = np.random.default_rng(0)
    data = {d: rng.normal(size=(N, d)) for d in DIMENSIONS}
    cost = {(c, d): ns_per_pair(data[d], c) for c in TYPES for d in DIMENSIONS}
    load = os.getloadavg()[0]
    lines = [f"# What more features cost EM, and what the work budget charges for them\n",
             f"Measured {datetime.date.today()} with `python bench/bench_feature_cost.py` (Python "
             f"{platform.python_version()}, {os.cpu_count()} cores, one BLAS thread; load average {load:.1f}: the "
             "machine was shared with other jobs, so absolute ns are inflated; the ratios are what the budget uses).\n",
             f"CPU ns per point-component-iteration, n = {N:,}, k = {K}; in brackets the ratio to 2-D.\n",
             "| d | " + " | ".join(TYPES) + " | charged (`feature_cost(d)`) |", "|---:|" + "---:|" * (len(TYPES) + 1)]
    for d in DIMENSIONS:
        cells = [f"{cost[c, d]:.1f} ({cost[c, d] / cost[c, 2]:.2f}x)" for c in TYPES]
        lines.append(f"| {d} | " + " | ".join(cells) + f" | {work_budget.feature_cost(d):.2f}x |")
    worst = max(cost[c, 10] / cost[c, 2] for c in TYPES)
    allowed_2d = work_budget.fit_work(N, K, 999, 2, "random_points")  # the worst request allowed in 2-D
    seconds_2d = allowed_2d * min(cost[c, 2] for c in TYPES) * 1e-9
    lines += ["", f"The steepest type costs {worst:.2f}x its 2-D cost in 10 features; the budget charges "
              f"{work_budget.feature_cost(10):.2f}x.", "",
              "| the largest request allowed in 2-D (n = 10^5, k = 10, 999 iterations, tol 0, 2 restarts) | CPU s "
              "(this run's ns) | allowed? |", "|---|---:|---|",
              f"| in 2-D | {seconds_2d:.0f} | yes |"]
    for c in TYPES:
        seconds = allowed_2d * cost[c, 10] * 1e-9
        lines.append(f"| in 10 features, {c}, before (charged as 2-D) | {seconds:.0f} | yes |")
    allowed = work_budget.fit_work(N, K, 999, 2, "random_points", n_features=10) <= work_budget.WORK_LIMIT
    lines.append(f"| in 10 features, after | - | {'yes' if allowed else 'no: refused with the changes that fit'} |")
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.write_text(text)
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    status = main()
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(status)
