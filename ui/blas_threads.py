"""One BLAS thread per computation, so that each session's fit uses one core.

NumPy's OpenBLAS starts a thread per core for every matrix product. The fits here multiply thin matrices
(k × 6 by 6 × 16,384 per block), where those threads gain little; with other work on the machine they
compete for the same cores, and on this project's 2-core machine the same fit took 5 to 11 times the CPU
time (bench/RESULTS_work_budget.md). A server gains its parallelism from its sessions and replicas instead.
"""

from __future__ import annotations

import functools

import numpy  # noqa: F401  -- threadpoolctl limits only the libraries already loaded
from threadpoolctl import threadpool_limits


@functools.cache
def use_one_blas_thread() -> None:
    """Limit BLAS to one thread for the whole process (OpenBLAS's pool is process-wide); once per process."""
    threadpool_limits(limits=1, user_api="blas")
