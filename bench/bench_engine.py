#!/usr/bin/env python
"""Benchmark gmm_core's EM against scikit-learn's GaussianMixture, side by side in one process.

For every case both libraries get the same data (a seeded Gaussian mixture), the same initial
parameters (ours: init="manual"; sklearn: weights_init / means_init / precisions_init with
init_params="random_from_data") and run a fixed number of iterations (tol=0).

Time per iteration is measured robustly and identically for both:
    ms/iter = (best-of-R time of fit(max_iter=N_long) - best-of-R time of fit(max_iter=N_short))
              / (N_long - N_short)
so that set-up costs (validation, building the design matrix, sklearn's initialisation and final
E-step) cancel.  Repeats are interleaved between the libraries, so a burst of load from other
processes hits both alike.

Also measured: peak memory of a 10^6 x 2, k=10, full fit of 100 iterations (tol=0, with its trace),
in a fresh subprocess: ru_maxrss after loading the data (baseline) and at the end.

    python bench/bench_engine.py            # full run, writes bench/RESULTS_engine.md
    python bench/bench_engine.py --quick    # smoke run on smaller data, prints only
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import gmm_core  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402

RESULTS = REPO / "bench" / "RESULTS_engine.md"
MEMORY_TARGET_MB = 1024.0


@dataclass(frozen=True)
class Case:
    name: str
    n: int
    d: int
    k: int
    covariance_type: str
    n_short: int
    n_long: int

    @property
    def target(self) -> float:
        """Required speed-up (sklearn time / ours)."""
        if self.d >= 10:
            return 2.0
        if self.d <= 2 and self.n >= 100_000:
            return 5.0
        return 1.0


FULL_CASES = [
    Case("2-D, n=10^4", 10_000, 2, 5, "full", 5, 55),
    Case("2-D, n=10^5", 100_000, 2, 5, "full", 3, 23),
    Case("2-D, n=10^6", 1_000_000, 2, 5, "full", 1, 6),
    Case("1-D, n=10^5", 100_000, 1, 3, "full", 3, 23),
    Case("10-D full, n=10^5", 100_000, 10, 8, "full", 2, 32),
    Case("10-D diag, n=10^5", 100_000, 10, 8, "diag", 3, 23),
]


def quick_cases() -> list[Case]:
    return [Case(c.name + " (quick: n/10)", c.n // 10, c.d, c.k, c.covariance_type, 1, 4) for c in FULL_CASES]


# --- data and starting parameters -----------------------------------------------------------------


def mixture(n: int, d: int, k: int, seed: int) -> np.ndarray:
    """n points from k random, overlapping, correlated Gaussians in d dimensions."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4.0, size=(k, d))
    factors = rng.normal(scale=0.6, size=(k, d, d)) + np.eye(d)
    labels = rng.integers(k, size=n)
    noise = rng.standard_normal((n, d))
    X = np.empty((n, d))
    for j in range(k):
        rows = labels == j
        X[rows] = centers[j] + noise[rows] @ factors[j].T
    return X


def starting_params(X: np.ndarray, k: int, covariance_type: str, seed: int):
    """Uniform weights, k distinct data points as means, the data's covariance for every component."""
    rng = np.random.default_rng(seed)
    n, d = X.shape
    means = X[rng.choice(n, k, replace=False)]
    weights = np.full(k, 1.0 / k)
    cov = np.atleast_2d(np.cov(X, rowvar=False, bias=True))
    if covariance_type == "full":
        covariances = np.repeat(cov[None], k, axis=0)
        precisions = np.repeat(np.linalg.inv(cov)[None], k, axis=0)
    elif covariance_type == "tied":
        covariances, precisions = cov, np.linalg.inv(cov)
    elif covariance_type == "diag":
        covariances = np.repeat(np.diag(cov)[None], k, axis=0)
        precisions = 1.0 / covariances
    else:
        covariances = np.full(k, np.diag(cov).mean())
        precisions = 1.0 / covariances
    return weights, means, covariances, precisions


# --- the two contestants ----------------------------------------------------------------------------


def run_ours(X, case: Case, start, max_iter: int) -> float:
    weights, means, covariances, _ = start
    result = gmm_core.fit(
        X, case.k, case.covariance_type, init="manual", means_init=means, weights_init=weights,
        covariances_init=covariances, max_iter=max_iter, tol=0.0, reg_covar=1e-6,
    )
    assert result.n_iter == max_iter, (result.n_iter, max_iter)
    return result.log_likelihood


def run_sklearn(X, case: Case, start, max_iter: int) -> float:
    weights, means, _, precisions = start
    model = GaussianMixture(
        n_components=case.k, covariance_type=case.covariance_type, tol=0.0, max_iter=max_iter, reg_covar=1e-6,
        init_params="random_from_data", weights_init=weights, means_init=means, precisions_init=precisions,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X)
    assert model.n_iter_ == max_iter, (model.n_iter_, max_iter)
    return float(model.score(X) * len(X))


def timed(function, *args) -> float:
    gc.collect()
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def measure(case: Case, repeats: int, seed: int = 0) -> dict:
    X = mixture(case.n, case.d, case.k, seed)
    start = starting_params(X, case.k, case.covariance_type, seed + 1)
    runners = {"ours": run_ours, "sklearn": run_sklearn}
    # warm-up (first-call costs), and a parity check on the long run
    ll = {name: run(X, case, start, case.n_long) for name, run in runners.items()}
    times = {(name, n_iter): [] for name in runners for n_iter in (case.n_short, case.n_long)}
    attempts = 0
    while True:
        for _ in range(repeats):
            for name, run in runners.items():
                for n_iter in (case.n_short, case.n_long):
                    times[name, n_iter].append(timed(run, X, case, start, n_iter))
        attempts += 1
        per_iter = {
            name: (min(times[name, case.n_long]) - min(times[name, case.n_short])) / (case.n_long - case.n_short)
            for name in runners
        }
        # a non-positive difference can only be noise from other processes: measure again
        if all(value > 0 for value in per_iter.values()) or attempts >= 3:
            break
    ours_ms, sklearn_ms = 1e3 * per_iter["ours"], 1e3 * per_iter["sklearn"]
    ratio = sklearn_ms / ours_ms if ours_ms > 0 else float("nan")
    return {
        "case": case,
        "ours_ms": ours_ms,
        "sklearn_ms": sklearn_ms,
        "ratio": ratio,
        "passed": bool(ratio >= case.target),
        "ll_rel_diff": abs(ll["ours"] - ll["sklearn"]) / abs(ll["sklearn"]),
        "samples": len(times["ours", case.n_long]),
        # timing noise: how far the median long run sits above the best one, per library
        "noise": {name: float(np.median(times[name, case.n_long]) / min(times[name, case.n_long]) - 1) for name in runners},
    }


# --- peak memory in a subprocess ------------------------------------------------------------------

MEMORY_LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"

MEMORY_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    start_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import numpy as np
    sys.path.insert(0, sys.argv[1])
    import gmm_core
    X = np.load(sys.argv[2])
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = gmm_core.fit(X, int(sys.argv[3]), "full", max_iter=int(sys.argv[4]), tol=0.0, seed=0)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:  # cross-check (Linux): the high-water mark of this process's own address space
        hwm = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
    except (OSError, IndexError, ValueError):
        hwm = None
    print(json.dumps({"start_kb": start_kb, "vmhwm_kb": hwm, "baseline_kb": baseline, "peak_kb": peak, "n_iter": result.n_iter,
                      "trace": len(result.trace), "seconds": seconds, "data_mb": X.nbytes / 2**20}))
    """
)


def measure_memory(n: int, k: int, n_iter: int) -> dict:
    X = mixture(n, 2, k, seed=5)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "X.npy"
        np.save(path, X)
        del X
        # Linux carries a process's ru_maxrss high-water mark across exec, and a spawned child
        # starts from its parent's (this process, hundreds of MB with sklearn and the data).  So the
        # child is started by a tiny launcher that imports nothing: its own high-water mark is a few
        # MB, and that is all the measuring grandchild inherits.
        completed = subprocess.run(
            [sys.executable, "-c", MEMORY_LAUNCHER,
             sys.executable, "-c", MEMORY_CHILD, str(REPO), str(path), str(k), str(n_iter)],
            capture_output=True, text=True, check=True,
        )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    report["delta_mb"] = (report["peak_kb"] - report["baseline_kb"]) / 1024  # ru_maxrss is in KiB on Linux
    report["peak_mb"] = report["peak_kb"] / 1024
    report["n"], report["k"], report["requested_iter"] = n, k, n_iter
    report["passed"] = report["peak_mb"] < MEMORY_TARGET_MB and report["n_iter"] == n_iter
    return report


# --- report -------------------------------------------------------------------------------------------


def environment() -> list[str]:
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count()
    lines = [
        f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- numpy {np.__version__}, scikit-learn {sklearn.__version__}, Python {platform.python_version()}",
        f"- CPUs: {os.cpu_count()} (usable by this process: {affinity}); machine: {platform.machine()}, {platform.system()}",
    ]
    try:
        from threadpoolctl import threadpool_info

        pools = ", ".join(f"{p['internal_api']} x{p['num_threads']}" for p in threadpool_info())
        lines.append(f"- thread pools: {pools}")
    except Exception:  # threadpoolctl is a scikit-learn dependency, but only informative here
        pass
    try:
        lines.append(f"- load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    except OSError:
        pass
    return lines


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| case | n | d | k | type | iterations | gmm_core ms/iter | sklearn ms/iter | ratio (sklearn/ours) | target | pass/fail |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        c = row["case"]
        lines.append(
            f"| {c.name} | {c.n:,} | {c.d} | {c.k} | {c.covariance_type} | {c.n_long} - {c.n_short} "
            f"| {row['ours_ms']:.2f} | {row['sklearn_ms']:.2f} | {row['ratio']:.1f}x | >= {c.target:g}x "
            f"| {'pass' if row['passed'] else 'FAIL'} |"
        )
    return lines


def memory_lines(mem: dict) -> list[str]:
    return [
        f"| fit | n | k | iterations | trace entries | baseline (data loaded) | peak | peak - baseline | target | pass/fail |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| 2-D full, kmeans++ init | {mem['n']:,} | {mem['k']} | {mem['n_iter']} | {mem['trace']} "
        f"| {mem['baseline_kb'] / 1024:.0f} MB | {mem['peak_mb']:.0f} MB | {mem['delta_mb']:.0f} MB "
        f"| < {MEMORY_TARGET_MB:.0f} MB | {'pass' if mem['passed'] else 'FAIL'} |",
        "",
        f"(the data itself is {mem['data_mb']:.0f} MB; the {mem['n_iter']} iterations took {mem['seconds']:.1f} s; "
        f"ru_maxrss at interpreter start {mem['start_kb'] / 1024:.0f} MB"
        + (f", VmHWM cross-check {mem['vmhwm_kb'] / 1024:.0f} MB" if mem.get("vmhwm_kb") else "") + ")",
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: n/10, 1 and 4 iterations, one repeat")
    parser.add_argument("--repeats", type=int, default=None, help="timing repeats per measurement (default 3)")
    parser.add_argument("--only", default=None, help="run only cases whose name contains this text")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocess")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit BLAS/OpenMP threads for both libraries (default: leave as configured); "
                             "1 is far more stable on a loaded machine, where idle-spinning BLAS threads "
                             "can slow a matrix product down tenfold")
    parser.add_argument("--output", default=None,
                        help=f"Markdown file to write (default: {RESULTS.relative_to(REPO)} for a full run, none with --quick)")
    args = parser.parse_args(argv)

    cases = quick_cases() if args.quick else FULL_CASES
    if args.only:
        cases = [c for c in cases if args.only in c.name]
    repeats = args.repeats or (1 if args.quick else 3)
    output = Path(args.output) if args.output else (None if args.quick or args.only or args.no_memory else RESULTS)

    if args.blas_threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.blas_threads)  # process-wide, for both libraries alike
    print("\n".join(environment()), flush=True)
    rows = []
    for case in cases:
        print(f"... {case.name}: n={case.n:,} d={case.d} k={case.k} {case.covariance_type}", flush=True)
        rows.append(measure(case, repeats))
        row = rows[-1]
        print(f"    gmm_core {row['ours_ms']:.2f} ms/iter, sklearn {row['sklearn_ms']:.2f} ms/iter, "
              f"ratio {row['ratio']:.1f}x, log-likelihood rel. diff {row['ll_rel_diff']:.1e}, "
              f"noise (median/best - 1 of the long runs) ours {row['noise']['ours']:.0%}, "
              f"sklearn {row['noise']['sklearn']:.0%}", flush=True)

    mem = None
    if not args.no_memory:
        n, n_iter = (100_000, 10) if args.quick else (1_000_000, 100)
        print(f"... peak memory: {n:,} x 2, k=10, full, {n_iter} iterations (subprocess)", flush=True)
        mem = measure_memory(n, 10, n_iter)

    lines = ["# gmm_core vs scikit-learn: EM time per iteration" + (" (QUICK smoke run)" if args.quick else ""), ""]
    lines += environment() + [""]
    lines += [
        "Same data, same initial parameters, same iteration count (tol=0) for both libraries"
        + (f", both limited to {args.blas_threads} BLAS thread(s)" if args.blas_threads is not None else "")
        + ". "
        f"ms/iter = (best of {repeats} fit(max_iter=long) - best of {repeats} fit(max_iter=short)) / (long - short); "
        "the iterations column shows long - short.",
        "",
    ]
    lines += table(rows)
    lines += ["", "Parity check (final total log-likelihood after the long run, |ours - sklearn| / |sklearn|): "
              + ", ".join(f"{r['case'].name}: {r['ll_rel_diff']:.1e}" for r in rows)]
    lines += ["", "Timing noise (median / best - 1 of the long runs; large values mean other processes interfered): "
              + ", ".join(f"{r['case'].name}: ours {r['noise']['ours']:.0%}, sklearn {r['noise']['sklearn']:.0%}" for r in rows)]
    if mem is not None:
        lines += ["", "## Peak memory (subprocess, ru_maxrss)", ""] + memory_lines(mem)
    all_passed = all(r["passed"] for r in rows) and (mem is None or mem["passed"])
    lines += ["", f"Overall: {'all targets met' if all_passed else 'SOME TARGETS MISSED'}."]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if output is not None:
        output.write_text(text)
        print(f"written to {output}")
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
