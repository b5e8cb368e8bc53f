"""Why EM climbs, in numbers: the bound L(q, θ) along one mean, and log p and L at every half-step.

A live version of Bishop's Figure 9.14 for the worked example: vary one component's mean with every
other parameter held at its current value; log p(X | θ) traces one curve, the bound L(q, θ) for the
responsibilities q of the last E-step another, below it everywhere and touching where q is the
posterior. Pure Python (NumPy); every number comes from `gmm_core.lower_bound`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import gmm_core

from .teaching import WorkedExample

N_SLICE = 241
N_CLOSE_UP = 81
# The close-up around the current value holds the bound's peak, and is narrow enough for the bound to fall there by
# GAP_IN_CLOSE_UP times the gap (so the gap shows), but never narrower than MIN_CLOSE_UP of the slice.
GAP_IN_CLOSE_UP = 4.0
MIN_CLOSE_UP = 0.01


@dataclass(frozen=True, eq=False)
class BoundSlice:
    """log p and the bound along one mean, the other parameters fixed.

    values : ndarray of shape (N_SLICE,), the values of μ_component along the slice
    log_likelihood : ndarray of shape (N_SLICE,), log p(X | θ) with μ_component = value
    lower_bound : ndarray of shape (N_SLICE,), L(q, θ) with μ_component = value; None before any E-step
    hard_lower_bound : ndarray of shape (N_SLICE,), L for the one-hot q of hard EM; None before any E-step
    current : the current value of μ_component
    peak, hard_peak : where each bound is highest along the slice: the responsibility-weighted mean of
        the points (the soft M-step's new μ), and the mean of the points assigned to the component (hard)
    terms, hard_terms : gmm_core.BoundTerms at the current parameters, for q and for one-hot q
    previous : μ_component before the last M-step (None unless the last step was an M-step)
    close_up : (low, high), a window around the current value where the gap is large enough to see; the
        values are dense there
    """

    component: int
    values: np.ndarray
    log_likelihood: np.ndarray
    lower_bound: np.ndarray | None
    hard_lower_bound: np.ndarray | None
    current: float
    peak: float | None
    hard_peak: float | None
    terms: gmm_core.BoundTerms | None
    hard_terms: gmm_core.BoundTerms | None
    previous: float | None
    close_up: tuple[float, float] = (0.0, 0.0)


def slice_responsibilities(example: WorkedExample) -> np.ndarray | None:
    """The q the bound is drawn for: the E-step's awaiting its M-step, or the one the last M-step used."""
    return example.resp if example.resp is not None else example.used_resp


def one_hot(resp) -> np.ndarray:
    """Hard EM's q: each point wholly to its most responsible component, shape as resp (n_samples, n_components)."""
    resp = np.asarray(resp)
    return np.eye(resp.shape[1])[resp.argmax(axis=1)]


def bound_slice(example: WorkedExample, component: int = 0, n_values: int = N_SLICE) -> BoundSlice:
    """log p and L(q, θ) as μ_component varies over the data's range, for a 1-D worked example."""
    X, params = example.X, example.params
    if X.shape[1] != 1:
        raise ValueError("The bound is drawn along one mean of the 1-D example; choose the 1-D data.")
    if not 0 <= component < params.n_components:
        raise ValueError(f"component must be between 0 and {params.n_components - 1}, not {component}.")
    current = float(params.means[component, 0])
    q = slice_responsibilities(example)
    peak = hard_peak = None
    if q is not None:
        peak = _weighted_mean(X[:, 0], q[:, component], current)
        hard_peak = _weighted_mean(X[:, 0], one_hot(q)[:, component], current)
    anchors = [v for v in (current, peak, hard_peak) if v is not None]
    low, high = min(float(X.min()), *anchors), max(float(X.max()), *anchors)
    pad = 0.15 * (high - low)
    low, high = low - pad, high + pad
    close_up = _close_up(example, component, q, current, peak, high - low)
    values = np.union1d(np.linspace(low, high, n_values), np.linspace(*close_up, N_CLOSE_UP))
    values = np.union1d(values, anchors)  # the marked points lie on the curves
    thetas = [_with_mean(params, component, value) for value in values]
    log_likelihood = np.array([theta.log_likelihood(X) for theta in thetas])
    previous = None if example.before is None or example.resp is not None else float(example.before.means[component, 0])
    if q is None:
        return BoundSlice(component, values, log_likelihood, None, None, current, None, None, None, None, previous,
                          close_up)
    hard_q = one_hot(q)
    lower = np.array([gmm_core.lower_bound(X, theta, q).lower_bound for theta in thetas])
    hard_lower = np.array([gmm_core.lower_bound(X, theta, hard_q).lower_bound for theta in thetas])
    return BoundSlice(
        component, values, log_likelihood, lower, hard_lower, current, peak, hard_peak,
        gmm_core.lower_bound(X, params, q), gmm_core.lower_bound(X, params, hard_q), previous, close_up,
    )


@dataclass(frozen=True, eq=False)
class HalfSteps:
    """log p and L after every half-step the worked example has taken so far.

    labels : tuple of strings, 'start', '1 · E', '1 · M', '2 · E', ...
    log_likelihood, lower_bound, gap : ndarrays of shape (len(labels),); the start has no bound (NaN in
        lower_bound and gap, never drawn)
    """

    labels: tuple[str, ...]
    log_likelihood: np.ndarray
    lower_bound: np.ndarray
    gap: np.ndarray


def half_steps(example: WorkedExample) -> HalfSteps:
    """The worked example's curve of log p and L, one point per half-step (gmm_core.bound_trace)."""
    trace = gmm_core.bound_trace(example.X, example.params_history)
    labels = ["start"] + [f"{i} · {step}" for i, step in zip(trace.iteration, trace.step)]
    log_p = [example.history[0], *trace.log_likelihood]
    lower = [np.nan, *trace.lower_bound]
    gap = [np.nan, *trace.gap]
    if example.resp is not None:  # an E-step awaiting its M-step
        terms = gmm_core.lower_bound(example.X, example.params, example.resp)
        labels.append(f"{example.iteration + 1} · E")
        log_p.append(terms.log_likelihood)
        lower.append(terms.lower_bound)
        gap.append(terms.gap)
    return HalfSteps(tuple(labels), np.array(log_p), np.array(lower), np.array(gap))


def _close_up(example: WorkedExample, component: int, q, current: float, peak: float | None, span: float):
    """(low, high) around the current value: see GAP_IN_CLOSE_UP. Along a mean the bound is an exact parabola,
    L(μ) = L(peak) − a (μ − peak)², with a = Nₖ / 2σₖ², so the width follows from the gap."""
    reach = MIN_CLOSE_UP * span
    if q is not None:
        gap = gmm_core.lower_bound(example.X, example.params, q).gap
        curvature = q[:, component].sum() / (2.0 * example.params.full_covariances[component, 0, 0])
        reach = max(reach, 1.25 * abs(peak - current), np.sqrt(GAP_IN_CLOSE_UP * gap / curvature) if curvature > 0 else 0)
    reach = min(reach, 0.5 * span)
    return current - reach, current + reach


def _with_mean(params: gmm_core.GaussianMixtureParams, component: int, value: float) -> gmm_core.GaussianMixtureParams:
    means = params.means.copy()
    means[component, 0] = value
    # The covariances are unchanged, so their precision factors are too.
    return replace(params, means=means)


def _weighted_mean(x: np.ndarray, weights: np.ndarray, fallback: float) -> float:
    total = float(weights.sum())
    return float(weights @ x / total) if total > 0 else fallback
