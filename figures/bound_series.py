"""The bound under the Explorer's learning curve in step mode: log p(X | θ), L(q, θ) and their gap KL
after every half-step of the fit, for the EM player's payload (player/bound_curve.js draws it).

Computed with gmm_core.bound_trace on the data the fit used, so after each soft E-step the gap is 0 and
the curves touch. The work is about one E-step per iteration; beyond MAX_WORK (points x components x
trace entries) the gap is estimated from a fixed random subset of the points, scaled to all of them,
while log p stays the fit's own (exact, from its trace) and L = log p - gap. The payload says so.
"""

from __future__ import annotations

import numpy as np

import gmm_core

from .subsample import display_subsample

# About 1 s on this project's machine: the bound then costs no more than a modest fit.
MAX_WORK = 2 * 10**7
MIN_SUBSET = 2_000  # a subset never smaller than this (the gap's estimate stays within ~2 % for typical data)
SUBSET_SEED = 13

LOG_P_LABEL = "log p(X | θ)"
BOUND_LABEL = "bound L(q, θ)"
GAP_LABEL = "gap KL(q ‖ p(Z | X, θ))"
SOFT_CAPTION = (
    "Shaded: the gap KL between log p(X | θ) and the bound L(q, θ). Each E-step sets q to the posterior, so the "
    "gap closes and the curves touch; each M-step raises L, and log p rises at least as much, so a gap opens again."
)
HARD_CAPTION = (
    "Hard EM's q is one-hot, so its bound L is the classification log-likelihood Σₙ log πₖ N(xₙ | μₖ, Σₖ), each point "
    "counted only under its own component k = zₙ; both steps raise it. The shaded gap, −Σₙ log p(zₙ | xₙ, θ), never "
    "closes, so hard EM climbs L, not log p (which can even fall)."
)


def bound_series(result, X, max_work: int = MAX_WORK) -> dict:
    """log p, L and the gap after every half-step of `result` (a gmm_core.FitResult) fitted to X.

    X : array-like of shape (n_samples,) or (n_samples, n_features), the data the fit used
    Returns a JSON-ready dict: x (the half-steps' places on the learning curve: i - 1/2 for iteration i's
    E-step, i for its M-step), log_likelihood, lower_bound, gap (lists of 2 n_iter floats),
    start_log_likelihood (log p at the start, x = 0), algorithm, labels, caption, and estimated_from
    (None, or the number of points the gap was estimated from).
    """
    trace = result.trace
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    subset = _subset(n, result.params.n_components, len(trace), max_work)
    if subset is None:
        bounds = gmm_core.bound_trace(X, trace, result.algorithm)
        log_p, gap = bounds.log_likelihood, bounds.gap
        lower = bounds.lower_bound
    else:  # log p exact from the fit; the gap, a sum over points, estimated from the subset
        bounds = gmm_core.bound_trace(X[subset], trace, result.algorithm)
        exact = np.array([float(entry.log_likelihood) for entry in trace])
        log_p = np.repeat(exact[:-1], 2)
        log_p[1::2] = exact[1:]
        gap = bounds.gap * (n / len(subset))
        lower = log_p - gap
    x = np.repeat(np.arange(1, len(trace), dtype=np.float64), 2)
    x[0::2] -= 0.5
    return {
        "x": x.tolist(),
        "log_likelihood": np.asarray(log_p, dtype=np.float64).tolist(),
        "lower_bound": np.asarray(lower, dtype=np.float64).tolist(),
        "gap": np.asarray(gap, dtype=np.float64).tolist(),
        "start_log_likelihood": float(trace[0].log_likelihood),
        "algorithm": result.algorithm,
        "labels": {"log_p": LOG_P_LABEL, "bound": BOUND_LABEL, "gap": GAP_LABEL},
        "caption": caption(result.algorithm, n, None if subset is None else len(subset)),
        "estimated_from": None if subset is None else int(len(subset)),
    }


def caption(algorithm: str, n_samples: int, estimated_from: int | None) -> str:
    """The sentences under the curve: what the two lines do, and how the gap was computed if not exactly."""
    text = HARD_CAPTION if algorithm == "hard" else SOFT_CAPTION
    if estimated_from is not None:
        text += (f" The gap is estimated from a random {estimated_from:,} of the {n_samples:,} points, to keep "
                 "this quick.")
    return text


def _subset(n_samples: int, n_components: int, n_entries: int, max_work: int) -> np.ndarray | None:
    """None when the exact series fits within max_work, else the indices of a fixed random subset."""
    if n_samples * n_components * n_entries <= max_work:
        return None
    size = max(MIN_SUBSET, max_work // (n_components * n_entries))
    return None if size >= n_samples else display_subsample(n_samples, size, seed=SUBSET_SEED)
