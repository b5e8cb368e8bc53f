"""How much computing one page view may do, and what to lower when a request asks for more.

EM's cost is the number of (point, component) pairs it visits: every iteration of every restart touches
each pair a fixed number of times. bench/bench_work_budget.py measures about 6 ns of one core per
point-component-iteration here in 1-D and 2-D, so WORK_LIMIT is about 12 s of computing. More features cost
more per pair (the d x d solves and outer products); `feature_cost` charges for them. (Drawing needs no limit of its own: the EM player's payload is the
shown points once and each iteration's parameters, 1.4 MB for 1,000 iterations in step mode at k = 10.)

Two checks, neither of which ever changes a setting:
* before anything runs, a request *certain* to exceed the limit is refused with the changes that would
  bring it under (`check_request`); soft EM with a tolerance of 0 always runs every iteration;
* while a fit runs, a `WorkMeter` stops it at the limit (a fit with a tolerance stops when it converges,
  which no one can know ahead; a model sweep is many such fits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gmm_core.init import LLOYD_MAX_ITER

from .settings import BLOB_SIZES, Settings

WORK_LIMIT = 2 * 10**9  # point-component-iterations per page view: ~12 s of one core here
NANOSECONDS_PER_UNIT = 6.0  # one point-component-iteration, measured by bench/bench_work_budget.py
# What starting a run costs, in EM iterations: k-means runs up to LLOYD_MAX_ITER Lloyd iterations
# (measured: ~90 EM iterations' worth), k-means++ seeding ~10, the other starts about one.
START_ITERATIONS = {"kmeans": LLOYD_MAX_ITER, "kmeans++": 10}
START_NAMES = {"kmeans": "k-means", "kmeans++": "k-means++"}
# A point-component-iteration in d features costs about linearly more than in 2-D: bench/RESULTS_feature_cost.md
# measures, in 10 features, 2.6-2.7x for full and tied covariances and 1.3x for diag and spherical per iteration
# (3.2-3.9x for a short full fit, starts included). One slope for every type, above the steepest: 4.2 units a pair
# in 10 features, so a 10-feature fit is refused or stopped before it computes more than ~12 s.
FEATURE_SLOPE = 0.4


class TooMuchWork(Exception):
    """A request over the limit; its text is the sentence to show the user."""


class WorkLimitReached(TooMuchWork):
    """Raised by WorkMeter.charge while a fit runs, once the work counted passes the limit."""


@dataclass(frozen=True)
class Fix:
    """One change that alone brings a request under its limit: a Settings field (or "rows" of an
    uploaded file, which are not a setting) and its new value."""

    field: str
    value: int | str
    text: str


# --- how much work ----------------------------------------------------------------------------------
def feature_cost(n_features: int) -> float:
    """What one point-component-iteration in `n_features` features costs, in units of one in 2-D."""
    return 1.0 + FEATURE_SLOPE * max(0, n_features - 2)


def iteration_work(n_samples: int, k: int, n_features: int = 2) -> int:
    """Point-component-iterations of one EM iteration (in 2-D units)."""
    return math.ceil(n_samples * k * feature_cost(n_features))


def start_work(n_samples: int, k: int, init: str, n_features: int = 2) -> int:
    """Point-component-iterations of one run's start (its initialisation)."""
    return iteration_work(n_samples, k, n_features) * START_ITERATIONS.get(init, 1)


def fit_work(n_samples: int, k: int, iterations: int, n_init: int, init: str, n_features: int = 2) -> int:
    """What a fit computes when each of its n_init runs starts and then does `iterations` iterations."""
    return n_init * (start_work(n_samples, k, init, n_features) + iterations * iteration_work(n_samples, k, n_features))


def certain_iterations(settings: Settings) -> int:
    """The iterations every run is sure to do: all of them for soft EM with a tolerance of 0, else one."""
    return settings.max_iter if settings.algorithm == "soft" and settings.tol == 0 else 1


# --- the checks --------------------------------------------------------------------------------------
def check_request(settings: Settings, n_samples: int, n_features: int = 2) -> None:
    """Before anything runs: raise TooMuchWork if these settings are certain to exceed the limit."""
    if fit_work(n_samples, settings.k, certain_iterations(settings), settings.n_init, settings.init,
                n_features) > WORK_LIMIT:
        raise TooMuchWork(fit_message(settings, n_samples, stopped=False, n_features=n_features))


class WorkMeter:
    """Counts the work of a page view while it runs; `charge` raises WorkLimitReached past the limit."""

    def __init__(self, limit: int | None = None):
        self.limit = WORK_LIMIT if limit is None else limit
        self.used = 0

    def charge(self, units: int) -> None:
        self.used += units
        if self.used > self.limit:
            raise WorkLimitReached(f"{self.used:,} point-component-iterations, over the limit of {self.limit:,}")


# --- what to lower -----------------------------------------------------------------------------------
def fit_fixes(settings: Settings, n_samples: int, iterations: int, n_features: int = 2) -> list[Fix]:
    """Each single change after which `iterations` iterations of every restart fit in WORK_LIMIT (none if they do).

    Numbers are the largest that fit (Points: the largest of the app's sizes)."""
    s = settings

    def fits(n=n_samples, k=s.k, iterations=iterations, n_init=s.n_init, init=s.init) -> bool:
        return fit_work(n, k, iterations, n_init, init, n_features) <= WORK_LIMIT

    if fits():
        return []
    fixes = []
    if s.n_init > 1 and fits(n_init=1):
        best = _largest(1, s.n_init, lambda r: fits(n_init=r))
        fixes.append(Fix("n_init", best, f"Restarts to {best}"))
    if iterations > 1 and fits(iterations=1):
        best = _largest(1, iterations, lambda m: fits(iterations=m))
        fixes.append(Fix("max_iter", best, f"Max iterations to {best:,}"))
    if s.k > 2 and fits(k=2):  # k = 1 fits but is no mixture
        best = _largest(2, s.k, lambda k: fits(k=k))
        fixes.append(Fix("k", best, f"k to {best}"))
    if s.source == "blobs":
        smaller = [size for size in BLOB_SIZES if size < n_samples and fits(n=size)]
        if smaller:
            fixes.append(Fix("blob_n", smaller[-1], f"Points to {smaller[-1]:,}"))
    elif s.source == "upload" and fits(n=1):
        best = _largest(1, n_samples, lambda n: fits(n=n))
        fixes.append(Fix("rows", best, f"the file's rows to {best:,}"))
    if s.init == "kmeans" and fits(init="kmeans++"):
        fixes.append(Fix("init", "kmeans++", "the start to k-means++ seeding (no Lloyd iterations)"))
    return fixes


# --- the sentences -----------------------------------------------------------------------------------
def fit_message(settings: Settings, n_samples: int, stopped: bool, n_features: int = 2) -> str:
    """Why a fit is refused before it runs (stopped=False) or was stopped at the limit (True), and what to lower.

    The changes offered let every restart run all Max iterations within the limit, so the fit then finishes."""
    s = settings
    restarts = f"{s.n_init} restart{'s' if s.n_init != 1 else ''}"
    starts = f", plus the {START_NAMES[s.init]} starts," if s.init in START_NAMES else ""
    points = f"{n_samples:,} points in {n_features} features" if n_features > 2 else f"{n_samples:,} points"
    most = (f"{points} × k = {s.k} × {s.max_iter:,} iteration{'s' if s.max_iter != 1 else ''} × "
            f"{restarts}{starts}")
    most_work = fit_work(n_samples, s.k, s.max_iter, s.n_init, s.init, n_features)
    limit = f"more than one view may use (about {_duration(WORK_LIMIT)})"
    if stopped:
        text = (f"**This fit was stopped** when it had used what one view may compute here, about "
                f"{_duration(WORK_LIMIT)}, before it converged. Up to {most} can take about {_duration(most_work)}.")
    elif certain_iterations(s) > 1:
        text = (f"**This fit is too big to run here.** With a tolerance of 0, every restart runs all its iterations: "
                f"{most} take about {_duration(most_work)} of computing, {limit}.")
    else:
        first = fit_work(n_samples, s.k, 1, s.n_init, s.init, n_features)
        text = (f"**This fit is too big to run here.** Even the first iteration of {restarts} on {points} "
                f"with k = {s.k}{starts} takes about {_duration(first)} of computing, {limit}.")
    fixes = [f.text for f in fit_fixes(s, n_samples, s.max_iter, n_features)]
    fewer = ", the number of points or of features" if n_features > 2 else " and the number of points"
    advice = f"Lower {_either(fixes)}" if fixes else f"Lower several of Restarts, Max iterations, k{fewer}"
    return f"{text} {advice}{', or raise the tolerance' if stopped else ''}."


def sweep_stopped_message(n_done: int, n_models: int, n_samples: int, n_init: int) -> str:
    """Why a sweep stopped early, and what to narrow."""
    return (
        f"**The sweep stopped after {n_done} of {n_models} models**: fitting them on {n_samples:,} points with "
        f"{n_init} restart{'s' if n_init != 1 else ''} each used what one view may compute here (about "
        f"{_duration(WORK_LIMIT)}). The models already fitted are kept, so a narrower sweep reuses them: "
        "lower the restarts, narrow the range of k, pick fewer covariance types, or use fewer points."
    )


def limit_duration() -> str:
    """The work limit as time on one core here, e.g. "10 s"."""
    return _duration(WORK_LIMIT)


def _largest(low: int, high: int, allowed) -> int:
    """The largest value in [low, high] for which allowed(value) holds, given that it holds at low and is monotone."""
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if allowed(middle) else (low, middle - 1)
    return low


def _duration(work: int) -> str:
    seconds = work * NANOSECONDS_PER_UNIT * 1e-9
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{seconds / 3600:.1f} hours"


def _either(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]
