"""EM from many starting means at once, vectorised across the starts (soft EM, full covariances).

Made for maps of where EM ends from each start (basins of attraction): thousands of fits of a small
data set as a few NumPy array operations per iteration instead of thousands of Python loops. Each
start is run exactly as `fit(X, k, 'full', init='manual', means_init=start, n_init=1, ...)` runs it:
equal weights, the data's covariance plus reg_covar for every component, the same M-step and the
same stopping rule. A start in which a component collapses (too little responsibility, or a
covariance too thin to factorise) is handed to `fit` itself, whose repairs the batch does not
imitate; `fitted_alone` says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._design import LOG_2PI, Design
from ._validation import (
    check_data,
    check_enough_distinct_points,
    check_non_negative,
    check_positive_int,
)
from .convergence import has_converged
from .fit import fit
from .steps import MIN_COMPONENT_MASS, spread_covariances

# Hand a start to `fit` once a component holds less than this many points' worth of responsibility:
# at least as cautious as fit's own re-seed threshold (MIN_COMPONENT_MASS), so the batch never runs
# past a state in which fit would repair a component.
COLLAPSE_GUARD = max(1.0, MIN_COMPONENT_MASS)
# ... or once a covariance's smallest eigenvalue falls below this fraction of its largest, long
# before a Cholesky factorisation would fail.
THIN_COVARIANCE = 1e-10
# Starts per batch are chosen so that one (starts, k, n, d) array holds about this many numbers.
BATCH_ELEMENTS = 1 << 21


@dataclass(frozen=True, eq=False)
class ManyStartsResult:
    """Where EM ended from each start.

    means_init : ndarray of shape (n_starts, n_components, n_features), the starts as given
    weights : ndarray of shape (n_starts, n_components)
    means : ndarray of shape (n_starts, n_components, n_features)
    covariances : ndarray of shape (n_starts, n_components, n_features, n_features)
    log_likelihood : ndarray of shape (n_starts,), total over X at the end
    n_iter : ndarray of shape (n_starts,), EM iterations taken
    converged : ndarray of shape (n_starts,), bool: stopped by the tolerance rather than max_iter
    fitted_alone : ndarray of shape (n_starts,), bool: a component collapsed, so `fit` ran this start
    """

    means_init: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    log_likelihood: np.ndarray
    n_iter: np.ndarray
    converged: np.ndarray
    fitted_alone: np.ndarray

    @property
    def n_starts(self) -> int:
        return len(self.log_likelihood)


def fit_many_starts(
    X,
    means_init,
    max_iter: int = 100,
    tol: float = 1e-3,
    reg_covar: float = 1e-6,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> ManyStartsResult:
    """Soft EM with full covariances from each of many starting means, as `fit` with init='manual' would run it.

    X : array-like of shape (n_samples,) or (n_samples, n_features)
    means_init : array-like of shape (n_starts, n_components, n_features); for 1-D data also
        (n_starts, n_components)
    tol : stop a start when its mean log-likelihood per sample changes by less than this
    on_progress : optional callback(finished, n_starts), called as starts finish, e.g. for a progress bar
    """
    X = check_data(X)
    n_samples, n_features = X.shape
    starts = _checked_starts(means_init, n_features)
    n_starts, n_components, _ = starts.shape
    max_iter = check_positive_int("max_iter", max_iter)
    tol = check_non_negative("tol", tol)
    reg_covar = check_non_negative("reg_covar", reg_covar)
    check_enough_distinct_points(X, n_components)

    design = Design.build(X, "full")
    centred, center = design.centred.copy(), design.center
    spread = spread_covariances(design, n_components, reg_covar)
    out = _Outputs.empty(starts, center)
    batch = max(1, BATCH_ELEMENTS // (n_components * n_samples * n_features))
    finished = 0
    for first in range(0, n_starts, batch):
        rows = np.arange(first, min(first + batch, n_starts))
        report = None if on_progress is None else (lambda done, base=finished: on_progress(base + done, n_starts))
        _run_batch(centred, starts[rows] - center, spread, rows, out, max_iter, tol, reg_covar, report)
        finished += len(rows)
    for start in np.flatnonzero(out.fitted_alone):
        alone = fit(X, n_components, "full", init="manual", means_init=starts[start], max_iter=max_iter, tol=tol,
                    reg_covar=reg_covar, n_init=1)
        out.store_fit(start, alone)
    if on_progress is not None:
        on_progress(n_starts, n_starts)
    means = out.means + center
    return ManyStartsResult(starts, out.weights, means, out.covariances, out.log_likelihood, out.n_iter,
                            out.converged, out.fitted_alone)


@dataclass
class _Outputs:
    """The per-start results, filled batch by batch; means relative to `center`, the data's mean."""

    center: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    log_likelihood: np.ndarray
    n_iter: np.ndarray
    converged: np.ndarray
    fitted_alone: np.ndarray

    @classmethod
    def empty(cls, starts: np.ndarray, center: np.ndarray) -> "_Outputs":
        n_starts, n_components, n_features = starts.shape
        return cls(
            center,
            np.empty((n_starts, n_components)),
            np.empty((n_starts, n_components, n_features)),
            np.empty((n_starts, n_components, n_features, n_features)),
            np.empty(n_starts),
            np.zeros(n_starts, dtype=int),
            np.zeros(n_starts, dtype=bool),
            np.zeros(n_starts, dtype=bool),
        )

    def store(self, rows, weights, means, covariances, log_likelihood, n_iter, converged) -> None:
        self.weights[rows], self.means[rows], self.covariances[rows] = weights, means, covariances
        self.log_likelihood[rows], self.n_iter[rows], self.converged[rows] = log_likelihood, n_iter, converged

    def store_fit(self, start: int, result) -> None:
        """The result of `fit` run alone on one start."""
        p = result.params
        self.store([start], p.weights, p.means - self.center, p.full_covariances, result.log_likelihood,
                   result.n_iter, result.converged)


def _run_batch(centred, starts, spread, rows, out, max_iter, tol, reg_covar, report) -> None:
    """EM on every start in `starts` (centred means, shape (a, k, d)) until each stops; results into `out`."""
    n_samples = centred.shape[0]
    n_starts, n_components, _ = starts.shape
    weights = np.full((n_starts, n_components), 1.0 / n_components)
    means = starts.copy()
    covariances = np.broadcast_to(spread, (n_starts,) + spread.shape).copy()
    resp, log_likelihood = _e_step(centred, weights, means, covariances)
    earlier = np.full(n_starts, np.nan)  # the log-likelihood one iteration back, for fit's stopping rule
    running = np.arange(n_starts)
    for iteration in range(1, max_iter + 1):
        new_weights, new_means, new_covariances, collapsed = _m_step(centred, resp[running], reg_covar)
        # A collapsing start goes to fit() alone; its results so far are placeholders.
        if np.any(collapsed):
            handed = running[collapsed]
            out.fitted_alone[rows[handed]] = True
            keep = ~collapsed
            running, new_weights, new_means, new_covariances = (
                running[keep], new_weights[keep], new_means[keep], new_covariances[keep])
        weights[running], means[running], covariances[running] = new_weights, new_means, new_covariances
        new_resp, new_log_likelihood = _e_step(centred, new_weights, new_means, new_covariances)
        stopped = has_converged(earlier[running], log_likelihood[running], new_log_likelihood, n_samples, tol)
        earlier[running] = log_likelihood[running]
        resp[running], log_likelihood[running] = new_resp, new_log_likelihood
        last = iteration == max_iter
        ending = running if last else running[stopped]
        out.store(rows[ending], weights[ending], means[ending], covariances[ending], log_likelihood[ending],
                  iteration, stopped if last else True)
        running = running[~stopped]
        if report is not None:
            report(n_starts - (0 if last else len(running)))
        if not len(running):
            break


def _e_step(centred, weights, means, covariances) -> tuple[np.ndarray, np.ndarray]:
    """Responsibilities of shape (a, k, n) and each start's total log-likelihood, shape (a,)."""
    eigenvalues, axes = np.linalg.eigh(covariances)  # (a, k, d), (a, k, d, d)
    offsets = centred[None, None, :, :] - means[:, :, None, :]  # (a, k, n, d)
    projected = offsets @ axes  # coordinates along each covariance's principal axes
    mahalanobis = np.einsum("aknd,akd->akn", projected**2, 1.0 / eigenvalues)
    log_det = np.log(eigenvalues).sum(axis=2)
    n_features = centred.shape[1]
    log_joint = np.log(weights)[:, :, None] - 0.5 * (mahalanobis + log_det[:, :, None] + n_features * LOG_2PI)
    peak = log_joint.max(axis=1, keepdims=True)
    shifted = np.exp(log_joint - peak)
    total = shifted.sum(axis=1, keepdims=True)
    log_density = (peak + np.log(total))[:, 0, :]
    return shifted / total, log_density.sum(axis=1)


def _m_step(centred, resp, reg_covar):
    """Bishop 9.24-9.26 for each start: weights (a, k), means (a, k, d), covariances (a, k, d, d), and
    a mask of shape (a,) of the starts in which a component collapsed."""
    counts = resp.sum(axis=2) + 10 * np.finfo(np.float64).eps  # as gmm_core's own M-step
    means = (resp @ centred) / counts[:, :, None]
    offsets = centred[None, None, :, :] - means[:, :, None, :]
    covariances = np.einsum("akn,akni,aknj->akij", resp, offsets, offsets) / counts[:, :, None, None]
    n_features = centred.shape[1]
    covariances[..., np.arange(n_features), np.arange(n_features)] += reg_covar
    eigenvalues = np.linalg.eigvalsh(covariances)
    thin = ~(eigenvalues[..., 0] > THIN_COVARIANCE * eigenvalues[..., -1])
    collapsed = np.any((counts < COLLAPSE_GUARD) | thin, axis=1)
    return counts / counts.sum(axis=1, keepdims=True), means, covariances, collapsed


def _checked_starts(means_init, n_features: int) -> np.ndarray:
    try:
        starts = np.asarray(means_init, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("means_init must contain only numbers.") from None
    if starts.ndim == 2 and n_features == 1:
        starts = starts[:, :, None]
    if starts.ndim != 3 or starts.shape[2] != n_features or starts.shape[0] < 1 or starts.shape[1] < 1:
        raise ValueError(
            f"means_init must have shape (n_starts, n_components, {n_features}): one row of starting means "
            f"per start, not {starts.shape}."
        )
    if not np.all(np.isfinite(starts)):
        raise ValueError("means_init contains NaN or infinite values; give finite numbers.")
    return starts
