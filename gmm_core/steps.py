"""The two EM steps, public for step-by-step views, plus the fit loop's M-step with repair.

Repair policy for components that die (documented in the README):
  * only a component that has really died is repaired: its total responsibility is essentially 0
    (below MIN_COMPONENT_MASS, a millionth of a point; in hard EM, no point at all), or its
    covariance cannot be Cholesky-factorised even with reg_covar.  A component that is merely small
    or very narrow is left alone, as plain EM (and scikit-learn) would: it may well recover;
  * with reg_covar = 0 a covariance that cannot be factorised is not repaired: EM has no answer
    there, so a ValueError asks for a positive reg_covar;
  * a dead component is re-seeded: its mean moves to the data point worst explained by the current
    model (lowest mixture density; the next-worst for a second component, and so on), its
    covariance becomes the data's covariance (plus reg_covar), its weight 1/k before the weights
    are renormalised; for `tied`, a singular shared covariance is replaced by the data's covariance;
  * each repair is recorded as a ReseedEvent(iteration, component, reason, new_mean); the fit loop
    stops rather than re-seed the same component a second time (see fit.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _accuracy, _covariance
from ._design import Design
from ._validation import ALGORITHMS, COVARIANCE_TYPES, check_choice, check_data, check_non_negative
from .params import GaussianMixtureParams

# A component holding less responsibility than this (a millionth of a point) has died: its
# parameters are set by rounding, not by data.  Anything above it is left to EM, which may revive it.
MIN_COMPONENT_MASS = 1e-6


@dataclass(frozen=True)
class ReseedEvent:
    """A component that EM had to re-seed.

    iteration : the EM iteration (0 = initialisation) whose M-step produced the collapse
    component : index of the component, or -1 for the shared covariance of `tied`
    reason : a short sentence for the UI
    new_mean : ndarray of shape (n_features,), where the component was moved (None for `tied`'s shared covariance)
    """

    iteration: int
    component: int
    reason: str
    new_mean: np.ndarray | None


def e_step(X, params: GaussianMixtureParams) -> tuple[np.ndarray, float]:
    """E-step: responsibilities and the total log-likelihood of X under `params`.

    X : array-like of shape (n_samples,) or (n_samples, n_features)
    Returns resp : ndarray of shape (n_samples, n_components) and log_likelihood : float
    """
    if not isinstance(params, GaussianMixtureParams):
        raise ValueError(f"params must be a GaussianMixtureParams (for example result.params), not {type(params).__name__}.")
    X = params._checked(X)
    resp_t, log_density = Design.build(X, params.covariance_type).e_step(params)
    return resp_t.T, float(log_density.sum())


def m_step(X, resp, covariance_type: str = "full", reg_covar: float = 1e-6) -> GaussianMixtureParams:
    """M-step (Bishop eq. 9.24-9.26): the parameters that maximise the expected log-likelihood.

    X : array-like of shape (n_samples,) or (n_samples, n_features)
    resp : array-like of shape (n_samples, n_components), rows summing to 1
    Raises ValueError if a component's covariance cannot be factorised (the fit loop re-seeds instead).
    """
    X = check_data(X)
    check_choice("covariance_type", covariance_type, COVARIANCE_TYPES)
    reg_covar = check_non_negative("reg_covar", reg_covar)
    try:
        resp = np.asarray(resp, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"resp must be an array of numbers of shape ({X.shape[0]}, n_components), "
                         f"not a {type(resp).__name__}; pass the responsibilities e_step returns.") from None
    if resp.ndim != 2 or resp.shape[0] != X.shape[0] or resp.shape[1] == 0 or not np.all(np.isfinite(resp)) or np.any(resp < 0):
        raise ValueError(
            f"resp must be a finite, non-negative array of shape ({X.shape[0]}, n_components), not {resp.shape}."
        )
    row_sums = resp.sum(axis=1)
    off = np.flatnonzero(np.abs(row_sums - 1.0) > 1e-6)
    if len(off):
        raise ValueError(
            f"Each row of resp must sum to 1 (a point's responsibilities share it out), but {len(off)} "
            f"row{'s do' if len(off) != 1 else ' does'} not: row {off[0]} sums to {row_sums[off[0]]:.6g}; "
            "divide each row by its sum."
        )
    design = Design.build(X, covariance_type)
    weights, means, covariances, _, _, _ = maximise(design, resp.T, reg_covar)
    return GaussianMixtureParams(weights, means, covariances, covariance_type)


def maximise(design: Design, resp_t: np.ndarray, reg_covar: float):
    """Raw M-step from responsibilities of shape (k, n).

    Returns weights (k,), means (k, d), covariances, counts (k,), and the covariances' precision
    Cholesky factors with the mask (k,) of those that could not be factorised.  Moments come from
    the one product with the feature matrix, except for components far and narrow enough to lose
    them to cancellation, which are recomputed about their own means (see _accuracy).
    """
    kind = design.covariance_type
    counts, centred_means, second_moments = design.sufficient_statistics(resp_t)
    covariances = _covariance.ESTIMATE[kind](second_moments, counts, centred_means, reg_covar, design.n_samples)
    means = centred_means + design.center
    factor, failed = _covariance.PRECISION_CHOLESKY[kind](covariances)
    far = _accuracy.far_in_m_step(centred_means, covariances, factor, failed, kind, design.n_samples)
    if far.any():
        means, covariances = _accuracy.centred_moments(design.data, resp_t, counts, means, covariances, far, kind, reg_covar)
        factor, failed = _covariance.PRECISION_CHOLESKY[kind](covariances)
    return counts / counts.sum(), means, covariances, counts, factor, failed


def spread_covariances(design: Design, n_components: int, reg_covar: float) -> np.ndarray:
    """The data's own covariance (plus reg_covar) for every component, in the type's shape (see spread_from)."""
    centred = design.centred
    return spread_from(centred.T @ centred / design.n_samples, design.covariance_type, n_components, reg_covar)


def spread_from(data_covariance: np.ndarray, kind: str, n_components: int, reg_covar: float) -> np.ndarray:
    """`data_covariance` (d, d) plus reg_covar for every component, in the shape of `kind`.

    If that is singular (a constant column) and reg_covar > 0 is too small to show in floating
    point, a small floor keeps it usable; with reg_covar = 0 it is a ValueError (see module doc).
    """
    covariance = np.array(data_covariance, dtype=np.float64)
    n_features = covariance.shape[0]
    covariance.flat[:: n_features + 1] += reg_covar
    covariances = _covariance.from_full(kind, covariance, n_components)
    if np.any(_covariance.PRECISION_CHOLESKY[kind](covariances)[1]):
        if reg_covar == 0:
            raise ValueError(
                "With reg_covar = 0 the data's covariance is singular (a constant column, or points on a line), "
                "so no Gaussian fits it; set reg_covar to a small positive value such as 1e-6."
            )
        mean_variance = float(np.diag(covariance).mean())
        covariance.flat[:: n_features + 1] += 1e-6 * mean_variance if mean_variance > 0 else 1.0
        covariances = _covariance.from_full(kind, covariance, n_components)
    return covariances


def mass_text(mass: float) -> str:
    """A component's mass for a message, rounded down (to 2 significant digits), never up to a threshold."""
    if not mass > 1e-12:
        return "no"
    digits = 1 - int(np.floor(np.log10(mass)))
    rounded = np.floor(mass * 10.0**digits) / 10.0**digits
    return f"only {rounded:.2g}"


def m_step_with_repair(
    design: Design,
    resp_t: np.ndarray,
    log_density: np.ndarray,
    reg_covar: float,
    iteration: int,
) -> tuple[GaussianMixtureParams, list[ReseedEvent]]:
    """The fit loop's M-step: like `maximise`, but re-seeds components that died (see module doc)."""
    estimate = maximise(design, resp_t, reg_covar)
    n_components = len(estimate[0])
    return repair(
        design.covariance_type, estimate, reg_covar, iteration,
        spread=lambda: spread_covariances(design, n_components, reg_covar),
        worst_points=lambda count: design.data[np.argsort(log_density, kind="stable")[:count]],
    )


def repair(kind: str, estimate, reg_covar: float, iteration: int, spread, worst_points):
    """Parameters from a raw M-step `estimate` (what `maximise` returns), with dead components re-seeded.

    spread : callable () -> the data's covariance plus reg_covar per component (`spread_covariances`)
    worst_points : callable (count) -> ndarray (count, d), the data points of lowest mixture density
        under the parameters the responsibilities came from, lowest first (ties: earliest row first)
    """
    weights, means, covariances, counts, factor, failed = estimate
    n_components = len(weights)
    if reg_covar == 0 and np.any(failed):
        which = "the shared covariance" if kind == "tied" else f"the covariance of component {np.flatnonzero(failed)[0] + 1}"
        raise ValueError(
            f"With reg_covar = 0, {which} became singular at iteration {iteration} (it sits on too few points, "
            "or on a line); EM cannot go on from there. Set reg_covar to a small positive value such as 1e-6."
        )
    events: list[ReseedEvent] = []
    spread_covariance = None
    if kind == "tied" and failed[0]:
        spread_covariance = spread()
        covariances = spread_covariance
        events.append(ReseedEvent(iteration, -1, "the shared covariance was singular", None))
        failed = np.zeros(n_components, dtype=bool)
    elif kind == "tied":
        failed = np.zeros(n_components, dtype=bool)
    dead = counts < MIN_COMPONENT_MASS
    to_reseed = np.flatnonzero(dead | failed)
    if len(to_reseed):
        spread_covariance = spread() if spread_covariance is None else spread_covariance
        for component, point in zip(to_reseed, worst_points(len(to_reseed))):
            reason = (
                f"it held {mass_text(counts[component])} points' worth of responsibility"
                if dead[component]
                else "its covariance could not be factorised"
            )
            means[component] = point
            if kind != "tied":
                covariances[component] = spread_covariance[component]
            weights[component] = 1.0 / n_components
            events.append(ReseedEvent(iteration, int(component), reason, means[component].copy()))
        weights = weights / weights.sum()
        factor, still_failed = _covariance.PRECISION_CHOLESKY[kind](covariances)
        if np.any(still_failed):
            raise ValueError("EM could not keep the covariances positive definite; increase reg_covar or rescale the data.")
    return GaussianMixtureParams(weights, means, covariances, kind, precisions_cholesky=factor), events


def harden(resp_t: np.ndarray) -> np.ndarray:
    """Hard (classification) EM: every point wholly assigned to its most responsible component.

    resp_t : ndarray of shape (n_components, n_samples), overwritten in place
    """
    labels = resp_t.argmax(axis=0)
    resp_t.fill(0.0)
    resp_t[labels, np.arange(len(labels))] = 1.0
    return resp_t


__all__ = ["ALGORITHMS", "ReseedEvent", "e_step", "m_step"]
