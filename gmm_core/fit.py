"""The EM fit loop: restarts, convergence, and the iteration trace the app animates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._design import Design
from ._validation import (
    ALGORITHMS,
    COVARIANCE_TYPES,
    INIT_METHODS,
    check_choice,
    check_data,
    check_enough_distinct_points,
    check_manual_init,
    check_non_negative,
    check_positive_int,
    check_restarts,
    check_seed,
)
from .chunked import as_chunked
from ._chunked_source import ChunkedSource
from .init import initial_params
from .params import GaussianMixtureParams
from .convergence import DEFAULT_TOL, has_converged, predicted_gain
from .steps import ReseedEvent, harden, m_step_with_repair


# What the learning curve shows: the objective each algorithm maximises.
CURVE_LABELS = {"soft": "log-likelihood", "hard": "classification log-likelihood"}
# How a run ended (FitResult.stop_reason).
STOP_REASONS = {
    "tolerance": "the gain per point, and the gain still to come, fell below the tolerance",
    "partition": "no point changed component: a fixed point of hard EM",
    "max_iter": "the iteration limit was reached",
    "collapse": "a component died a second time",
    "given": "the parameters were given (imported), not fitted: iteration 0 only",
}


@dataclass(frozen=True, eq=False)
class TraceEntry:
    """The state after one EM iteration (iteration 0 = the initial parameters).

    params : the parameters after this iteration's M-step
    log_likelihood : total (mixture) log-likelihood of the data under `params`
    reseeds : the re-seed events of this iteration's M-step
    classification_log_likelihood : sum over points of max_k log(w_k N(x | mu_k, Sigma_k)), the
        objective of hard (classification) EM, under `params`
    objective : what the run maximises and its curve shows: log_likelihood for soft EM,
        classification_log_likelihood for hard EM (defaults to log_likelihood)
    """

    iteration: int
    params: GaussianMixtureParams
    log_likelihood: float
    reseeds: tuple[ReseedEvent, ...] = ()
    classification_log_likelihood: float = float("nan")
    objective: float | None = None

    def __post_init__(self):
        if self.objective is None:
            object.__setattr__(self, "objective", self.log_likelihood)


@dataclass(frozen=True, eq=False)
class FitResult:
    """The outcome of `fit`: the best run's parameters and trace, and every restart's curve.

    log_likelihood : the mixture log-likelihood of `params` (what BIC and AIC use), also for hard EM
    restarts : tuple of n_init ndarrays, each one run's objective after every iteration (the
        log-likelihood for soft EM, the classification log-likelihood for hard EM)
    best_restart : index into `restarts` of the run whose parameters are returned (highest final objective)
    stop_reason : why the best run stopped, a key of STOP_REASONS
    stop_detail : a sentence on a 'collapse' stop ('' otherwise)
    """

    params: GaussianMixtureParams
    converged: bool
    n_iter: int
    log_likelihood: float
    trace: tuple[TraceEntry, ...]
    restarts: tuple[np.ndarray, ...]
    best_restart: int
    reseed_events: tuple[ReseedEvent, ...]
    n_samples: int
    algorithm: str
    stop_reason: str = "max_iter"
    stop_detail: str = ""

    @property
    def bic(self) -> float:
        """-2 log L + p log n (lower is better)."""
        return -2.0 * self.log_likelihood + self.params.n_parameters * np.log(self.n_samples)

    @property
    def aic(self) -> float:
        """-2 log L + 2 p (lower is better)."""
        return -2.0 * self.log_likelihood + 2.0 * self.params.n_parameters

    @property
    def log_likelihood_curve(self) -> np.ndarray:
        """The best run's mixture log-likelihood per trace entry, shape (n_iter + 1,)."""
        return np.array([entry.log_likelihood for entry in self.trace])

    @property
    def objective_curve(self) -> np.ndarray:
        """The best run's objective per trace entry (what its curve shows), shape (n_iter + 1,)."""
        return self.restarts[self.best_restart]

    @property
    def objective(self) -> float:
        """The best run's final objective (= log_likelihood for soft EM)."""
        return float(self.trace[-1].objective)

    @property
    def curve_label(self) -> str:
        """What the objective is called: 'log-likelihood' or 'classification log-likelihood'."""
        return CURVE_LABELS[self.algorithm]

    @property
    def predicted_gain(self) -> float:
        """Aitken's estimate of how much more the objective would gain per data point (soft EM;
        0 for a hard-EM fixed point, inf while the gains are not shrinking)."""
        if self.stop_reason == "partition":
            return 0.0
        curve = self.objective_curve
        if len(curve) < 3:
            return float("inf")
        return float(predicted_gain(curve[-3], curve[-2], curve[-1], self.n_samples))


def fit(
    X,
    n_components: int = 3,
    covariance_type: str = "full",
    init: str = "kmeans++",
    algorithm: str = "soft",
    max_iter: int = 100,
    tol: float = DEFAULT_TOL,
    reg_covar: float = 1e-6,
    n_init: int = 1,
    seed: int | None = 0,
    means_init=None,
    weights_init=None,
    covariances_init=None,
    *,
    on_iteration: Callable[[int, int, int], None] | None = None,
) -> FitResult:
    """Fit a Gaussian mixture by EM and keep the whole iteration trace of the best restart.

    X : array-like of shape (n_samples,) or (n_samples, n_features), or data held in chunks (a Dask
        array, or any object with the interface of gmm_core.chunked): then every EM iteration is one
        pass over the chunks, and k-means++ / k-means / random points start on a uniform sample of at
        most 100,000 rows (all rows for smaller data, so the fit equals the in-memory one)
    algorithm : 'soft' (EM) or 'hard' (classification EM, which maximises, reports and ranks restarts by
        the classification log-likelihood and stops when no point changes component)
    tol : soft EM stops when the log-likelihood per data point gains less than this in an iteration,
        and is predicted to gain less than this in all (see convergence.py)
    seed : seeds NumPy's Generator; restart r uses the r-th child of SeedSequence(seed)
    means_init, weights_init, covariances_init : starting parameters for init='manual'
    on_iteration : optional callback(restart, iteration, max_iter), e.g. for a progress bar
    """
    chunks = as_chunked(X)  # None for anything read whole, as before
    if chunks is None:
        X = check_data(X)
    n_components = check_positive_int("n_components", n_components)
    check_choice("covariance_type", covariance_type, COVARIANCE_TYPES)
    check_choice("init", init, INIT_METHODS)
    check_choice("algorithm", algorithm, ALGORITHMS)
    max_iter = check_positive_int("max_iter", max_iter)
    n_init = check_restarts(n_init)
    seed = check_seed(seed)
    tol = check_non_negative("tol", tol)
    reg_covar = check_non_negative("reg_covar", reg_covar)
    seeds = np.random.SeedSequence(seed)
    restart_seeds = seeds.spawn(n_init)  # spawned first: chunked data's sample seed must not shift them
    if chunks is None:
        check_enough_distinct_points(X, n_components)
        data = InMemoryData(Design.build(X, covariance_type))
    else:
        data = ChunkedSource.prepare(chunks, covariance_type, n_components, sample_seed=seeds.spawn(1)[0])
    manual = None
    if init == "manual":
        manual = check_manual_init(means_init, weights_init, covariances_init, n_components, data.n_features, covariance_type)
    elif any(v is not None for v in (means_init, weights_init, covariances_init)):
        raise ValueError("means_init, weights_init and covariances_init are only used with init='manual'; set init='manual'.")

    runs = []
    for restart, child in enumerate(restart_seeds):
        rng = np.random.default_rng(child)
        params, events = data.initial_params(n_components, init, rng, reg_covar, manual)
        report = None if on_iteration is None else (lambda i, r=restart: on_iteration(r, i, max_iter))
        runs.append(_run_em(data.steps(algorithm), params, events, algorithm, max_iter, tol, reg_covar, report))
    best = max(range(n_init), key=lambda r: runs[r].trace[-1].objective)
    run = runs[best]
    trace = run.trace
    return FitResult(
        params=trace[-1].params,
        converged=run.stop_reason in ("tolerance", "partition"),
        n_iter=len(trace) - 1,
        log_likelihood=trace[-1].log_likelihood,
        trace=tuple(trace),
        restarts=tuple(np.array([entry.objective for entry in r.trace]) for r in runs),
        best_restart=best,
        reseed_events=tuple(event for entry in trace for event in entry.reseeds),
        n_samples=data.n_samples,
        algorithm=algorithm,
        stop_reason=run.stop_reason,
        stop_detail=run.stop_detail,
    )


@dataclass(frozen=True)
class _Run:
    trace: list
    stop_reason: str
    stop_detail: str = ""


def _entry(iteration, params, scores, events, algorithm) -> TraceEntry:
    log_likelihood, classification = scores
    objective = classification if algorithm == "hard" else log_likelihood
    return TraceEntry(iteration, params, log_likelihood, tuple(events), classification, objective)


class InMemoryData:
    """The data of an in-memory fit: its Design, initial parameters and E/M steps."""

    def __init__(self, design: Design):
        self.design = design
        self.n_samples = design.n_samples
        self.n_features = design.n_features

    def initial_params(self, n_components, init, rng, reg_covar, manual):
        return initial_params(self.design, n_components, init, rng, reg_covar, manual)

    def steps(self, algorithm: str) -> "_InMemorySteps":
        return _InMemorySteps(self.design, algorithm)


class _InMemorySteps:
    """EM's steps on an in-memory Design (the interface `_run_em` drives; see chunked.ChunkedSteps)."""

    def __init__(self, design: Design, algorithm: str):
        self.design, self.hard = design, algorithm == "hard"
        self.n_samples = design.n_samples
        self.best = np.empty(design.n_samples)  # each point's max_k log(w_k N_k(x)): classification terms
        self.resp_t = self.log_density = self.labels = self.previous_labels = None

    def evaluate(self, params) -> tuple[float, float]:
        """E-step under `params`: (log-likelihood, classification log-likelihood)."""
        self.resp_t, self.log_density = self.design.e_step(params, self.resp_t, best=self.best)
        if self.hard:
            self.previous_labels, self.labels = self.labels, self.resp_t.argmax(axis=0)
        return float(self.log_density.sum()), float(self.best.sum())

    def m_step(self, reg_covar: float, iteration: int):
        """M-step from the last E-step's responsibilities (hardened for hard EM), with repairs."""
        if self.hard:
            harden(self.resp_t)
        return m_step_with_repair(self.design, self.resp_t, self.log_density, reg_covar, iteration)

    def partition_unchanged(self) -> bool:
        """Hard EM: the last two E-steps gave every point the same component."""
        return self.previous_labels is not None and np.array_equal(self.labels, self.previous_labels)


def _run_em(steps, params, init_events, algorithm, max_iter, tol, reg_covar, report) -> _Run:
    """One EM run from `params`, until the stopping rule, a hard-EM fixed point, a second death or max_iter.

    steps : the data's E/M steps (_InMemorySteps, or chunked.ChunkedSteps for data held in chunks)
    """
    trace = [_entry(0, params, steps.evaluate(params), init_events, algorithm)]
    died = {event.component for event in init_events}
    for iteration in range(1, max_iter + 1):
        params, events = steps.m_step(reg_covar, iteration)
        again = [event for event in events if event.component in died]
        if again:
            return _Run(trace, "collapse", _second_death(again[0], trace))
        died.update(event.component for event in events)
        trace.append(_entry(iteration, params, steps.evaluate(params), events, algorithm))
        if report is not None:
            report(iteration)
        if events:
            continue  # a re-seed moves the model on; never call that convergence
        if algorithm == "hard":
            # The partition these parameters induce is the one they were estimated from: nothing can change.
            if steps.partition_unchanged():
                return _Run(trace, "partition")
        elif len(trace) >= 2:
            before = trace[-3].objective if len(trace) >= 3 else np.nan
            if has_converged(before, trace[-2].objective, trace[-1].objective, steps.n_samples, tol):
                return _Run(trace, "tolerance")
    return _Run(trace, "max_iter")


def _second_death(event: ReseedEvent, trace) -> str:
    first = next(e for entry in trace for e in entry.reseeds if e.component == event.component)
    what = "The shared covariance" if event.component < 0 else f"Component {event.component + 1}"
    return (f"{what} died again at iteration {event.iteration} ({event.reason}) after being re-seeded at "
            f"iteration {first.iteration}; EM stopped there rather than re-seed it once more. "
            "Fewer components suit this data better.")
