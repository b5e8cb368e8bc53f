"""The lower bound that EM climbs (Neal & Hinton 1998; Bishop, PRML §9.4).

For parameters θ and any responsibilities q (each row a distribution over the components),

    log p(X | θ) = L(q, θ) + KL(q ‖ p(Z | X, θ)),
    L(q, θ)      = Σₙ Σₖ qₙₖ [log πₖ + log N(xₙ | μₖ, Σₖ) − log qₙₖ],
    KL           = Σₙ Σₖ qₙₖ [log qₙₖ − log p(zₙ = k | xₙ, θ)] ≥ 0,

with 0 log 0 = 0. The E-step sets q to the posterior, so the gap closes and L touches log p; the
M-step maximises L over θ with q fixed, so L rises and log p, above it, rises at least as much.
Hard (classification) EM restricts q to one-hot rows: then L is the classification
log-likelihood Σₙ log π_zₙ N(xₙ | μ_zₙ, Σ_zₙ), and the gap stays open after its E-step.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

import numpy as np

from ._design import BLOCK_ROWS, Design
from ._validation import ALGORITHMS, check_choice
from .params import GaussianMixtureParams

# Rows of q may miss summing to 1 by rounding, not by more.
ROW_SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class BoundTerms:
    """The two terms of log p(X | θ) for one (q, θ).

    log_likelihood : log p(X | θ), the total over X
    lower_bound : L(q, θ)
    gap : KL(q ‖ p(Z | X, θ)) ≥ 0; log_likelihood = lower_bound + gap up to rounding
    """

    log_likelihood: float
    lower_bound: float
    gap: float


@dataclass(frozen=True, eq=False)
class HalfStepBounds:
    """log p, L and KL after every half-step of an EM run, in the order the steps were taken.

    Entry 2(i - 1) is iteration i's E-step (θ of iteration i - 1, the new q), entry 2(i - 1) + 1 its
    M-step (the new θ, the same q). The start has no q, hence no bound: it is not an entry.
    iteration : ndarray of shape (2 n_iter,), the iteration each half-step belongs to (1, 1, 2, 2, ...)
    step : tuple of 2 n_iter strings, 'E' or 'M'
    log_likelihood, lower_bound, gap : ndarray of shape (2 n_iter,)
    """

    iteration: np.ndarray
    step: tuple[str, ...]
    log_likelihood: np.ndarray
    lower_bound: np.ndarray
    gap: np.ndarray


def lower_bound(X, params: GaussianMixtureParams, resp) -> BoundTerms:
    """log p(X | θ), the bound L(q, θ) and its gap KL(q ‖ p(Z | X, θ)) for θ = params and q = resp.

    X : array-like of shape (n_samples,) or (n_samples, n_features)
    resp : array-like of shape (n_samples, n_components); rows non-negative and summing to 1
        (the soft E-step's responsibilities, one-hot rows for hard EM, or any other distribution)
    """
    X = params._checked(X)
    q = np.ascontiguousarray(_checked_resp(resp, X.shape[0], params.n_components).T)
    log_q = np.zeros_like(q)
    np.log(q, out=log_q, where=q > 0)  # 0 log 0 = 0: a zero qₙₖ contributes nothing
    log_joint = np.ascontiguousarray(params.weighted_log_prob(X).T)
    return _terms(q, log_q, log_joint, _log_sum_exp_t(log_joint))


def bound_trace(X, trace, algorithm: str = "soft") -> HalfStepBounds:
    """The bound's terms after every half-step of an EM run whose parameters after each iteration are given.

    trace : sequence of n_iter + 1 GaussianMixtureParams (θ₀, the start, then θ after each M-step),
        or of gmm_core.TraceEntry (as in FitResult.trace)
    algorithm : 'soft' (q = posterior) or 'hard' (q = one-hot at the most responsible component)
    Iteration i's E-step computes q from θ_(i-1); its M-step's θ_i is taken from the trace, so a
    re-seeded component shows as it happened. Costs about one E-step per entry: block by block, with
    every (k, n) array component-major (fast per-point sums).
    """
    check_choice("algorithm", algorithm, ALGORITHMS)
    thetas = [getattr(entry, "params", entry) for entry in trace]
    if not thetas:
        raise ValueError("The trace is empty; give at least the starting parameters.")
    kinds = {theta.covariance_type for theta in thetas}
    if len(kinds) > 1:
        raise ValueError(f"The trace mixes covariance types {sorted(kinds)}; give the parameters of one EM run.")
    X = thetas[0]._checked(X)
    # Block by block, so that each block's (k, n) arrays stay in cache; the terms are sums over points.
    values = np.zeros((3, 2 * (len(thetas) - 1)))
    center = X.mean(axis=0)
    for start in range(0, len(X), BLOCK_ROWS):
        design = Design.build(X[start:start + BLOCK_ROWS], thetas[0].covariance_type, center=center)
        values += _block_values(design, thetas, algorithm)
    return HalfStepBounds(
        iteration=np.repeat(np.arange(1, len(thetas)), 2),
        step=("E", "M") * (len(thetas) - 1),
        log_likelihood=values[0],
        lower_bound=values[1],
        gap=values[2],
    )


def _block_values(design: Design, thetas, algorithm: str) -> np.ndarray:
    """log p, L and KL of one block of points after every half-step, shape (3, 2 n_iter)."""
    values = np.empty((3, 2 * (len(thetas) - 1)))
    log_joint = design.weighted_log_prob_t(thetas[0])
    log_density = _log_sum_exp_t(log_joint)
    for i, theta in enumerate(thetas[1:]):
        q, log_q = _e_step_q(log_joint, log_density, algorithm)
        values[:, 2 * i] = astuple(_terms(q, log_q, log_joint, log_density))
        log_joint = design.weighted_log_prob_t(theta)
        log_density = _log_sum_exp_t(log_joint)
        values[:, 2 * i + 1] = astuple(_terms(q, log_q, log_joint, log_density))
    return values


def _log_sum_exp_t(log_joint: np.ndarray) -> np.ndarray:
    """log Σₖ exp(log_joint[k, n]) for a component-major (k, n) array, shape (n,)."""
    peak = log_joint.max(axis=0)
    return peak + np.log(np.exp(log_joint - peak).sum(axis=0))


def _e_step_q(log_joint: np.ndarray, log_density: np.ndarray, algorithm: str) -> tuple[np.ndarray, np.ndarray]:
    """The E-step's q and log q, component-major (n_components, n_samples): the posterior, or its one-hot argmax."""
    if algorithm == "hard":
        q = np.zeros_like(log_joint)
        q[log_joint.argmax(axis=0), np.arange(log_joint.shape[1])] = 1.0
        return q, np.zeros_like(q)  # log 1 = 0 where q is 1; elsewhere q = 0 and 0 log 0 = 0
    log_q = log_joint - log_density
    return np.exp(log_q), log_q


def _terms(q: np.ndarray, log_q: np.ndarray, log_joint: np.ndarray, log_density: np.ndarray) -> BoundTerms:
    """The decomposition from component-major q, log q and log πₖ N(xₙ | θₖ) (k, n), and log p(xₙ | θ) (n,)."""
    lower = float(np.sum(q * (log_joint - log_q)))
    # Each point's KL is >= 0 exactly; clipping removes only rounding noise when q is the posterior.
    gap_per_point = np.maximum(np.sum(q * (log_q - (log_joint - log_density)), axis=0), 0.0)
    return BoundTerms(float(log_density.sum()), lower, float(gap_per_point.sum()))


def _checked_resp(resp, n_samples: int, n_components: int) -> np.ndarray:
    try:
        q = np.asarray(resp, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("resp must contain only numbers.") from None
    if q.shape != (n_samples, n_components):
        raise ValueError(f"resp must have shape ({n_samples}, {n_components}), one row per point, not {q.shape}.")
    if not np.all(np.isfinite(q)) or np.any(q < 0):
        raise ValueError("resp must be finite and non-negative: each row is a distribution over the components.")
    worst = float(np.max(np.abs(q.sum(axis=1) - 1.0))) if n_samples else 0.0
    if worst > ROW_SUM_TOLERANCE:
        raise ValueError(f"Each row of resp must sum to 1 (one row is off by {worst:.3g}); normalise the rows first.")
    return q
