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
from .init import initial_params
from .params import GaussianMixtureParams
from .steps import ReseedEvent, harden, m_step_with_repair


@dataclass(frozen=True, eq=False)
class TraceEntry:
    """The state after one EM iteration (iteration 0 = the initial parameters).

    params : the parameters after this iteration's M-step
    log_likelihood : total log-likelihood of the data under `params`
    reseeds : the re-seed events of this iteration's M-step
    """

    iteration: int
    params: GaussianMixtureParams
    log_likelihood: float
    reseeds: tuple[ReseedEvent, ...] = ()


@dataclass(frozen=True, eq=False)
class FitResult:
    """The outcome of `fit`: the best run's parameters and trace, and every restart's curve.

    restarts : tuple of n_init ndarrays, each the log-likelihood after every iteration of one run
    best_restart : index into `restarts` of the run whose parameters are returned
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
        """The best run's log-likelihood per trace entry, shape (n_iter + 1,)."""
        return self.restarts[self.best_restart]


def fit(
    X,
    n_components: int = 3,
    covariance_type: str = "full",
    init: str = "kmeans++",
    algorithm: str = "soft",
    max_iter: int = 100,
    tol: float = 1e-3,
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

    X : array-like of shape (n_samples,) or (n_samples, n_features)
    tol : stop when the mean log-likelihood per sample changes by less than this
    seed : seeds NumPy's Generator; restart r uses the r-th child of SeedSequence(seed)
    means_init, weights_init, covariances_init : starting parameters for init='manual'
    on_iteration : optional callback(restart, iteration, max_iter), e.g. for a progress bar
    """
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
    check_enough_distinct_points(X, n_components)
    manual = None
    if init == "manual":
        manual = check_manual_init(means_init, weights_init, covariances_init, n_components, X.shape[1], covariance_type)
    elif any(v is not None for v in (means_init, weights_init, covariances_init)):
        raise ValueError("means_init, weights_init and covariances_init are only used with init='manual'; set init='manual'.")

    design = Design.build(X, covariance_type)
    runs = []
    for restart, child in enumerate(np.random.SeedSequence(seed).spawn(n_init)):
        rng = np.random.default_rng(child)
        params, events = initial_params(design, n_components, init, rng, reg_covar, manual)
        report = None if on_iteration is None else (lambda i, r=restart: on_iteration(r, i, max_iter))
        runs.append(_run_em(design, params, events, algorithm, max_iter, tol, reg_covar, report))
    best = max(range(n_init), key=lambda r: runs[r][0][-1].log_likelihood)
    trace, converged = runs[best]
    curves = tuple(np.array([entry.log_likelihood for entry in run[0]]) for run in runs)
    return FitResult(
        params=trace[-1].params,
        converged=converged,
        n_iter=len(trace) - 1,
        log_likelihood=trace[-1].log_likelihood,
        trace=tuple(trace),
        restarts=curves,
        best_restart=best,
        reseed_events=tuple(event for entry in trace for event in entry.reseeds),
        n_samples=X.shape[0],
        algorithm=algorithm,
    )


def _run_em(design, params, init_events, algorithm, max_iter, tol, reg_covar, report):
    """One EM run from `params`; returns (trace, converged)."""
    resp_t, log_density = design.e_step(params)
    log_likelihood = float(log_density.sum())
    trace = [TraceEntry(0, params, log_likelihood, tuple(init_events))]
    labels = None
    for iteration in range(1, max_iter + 1):
        if algorithm == "hard":
            new_labels = resp_t.argmax(axis=0)
            hard_fixed_point = labels is not None and np.array_equal(new_labels, labels)
            labels = new_labels
            harden(resp_t)
        params, events = m_step_with_repair(design, resp_t, log_density, reg_covar, iteration)
        previous = log_likelihood
        resp_t, log_density = design.e_step(params, resp_t)
        log_likelihood = float(log_density.sum())
        trace.append(TraceEntry(iteration, params, log_likelihood, tuple(events)))
        if report is not None:
            report(iteration)
        if events:
            continue  # a re-seed moves the model on; never call that convergence
        if abs(log_likelihood - previous) / design.n_samples < tol:
            return trace, True
        if algorithm == "hard" and hard_fixed_point:
            return trace, True
    return trace, False
