"""Spurious components: what a component that the likelihood rewards without limit really is.

The likelihood of a Gaussian mixture grows without bound as one component shrinks onto a few points
(and, with reg_covar, grows until its variance reaches reg_covar).  Such a component is not a
cluster, so a fit containing one is flagged and model selection skips it.  A component is spurious
when, in the sentence the app shows (SPURIOUS_RULE):
  * its responsibility sits on fewer than d + 1 effectively distinct points: duplicates count once,
    and the effective number is (sum of masses)^2 / sum of squared masses over the distinct points
    (Kish's effective sample size), so 15 copies of a row plus a sliver of everything else is about
    1 point; d + 1 points are the fewest that span a d-dimensional ellipsoid; or
  * its covariance is degenerate relative to the other components: in some direction its variance is
    below SPURIOUS_VARIANCE_RATIO of theirs (the smallest generalized eigenvalue of Sigma_k against
    the responsibility-weighted pooled covariance of the others).  With no other component, the
    reference is the covariance of the points it covers, its own data.
Both tests are unchanged by shifting or rescaling any column (generalized eigenvalues are invariant
under X -> A X + b), and neither looks at the whole data's variance, which a wide separation
between clusters inflates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_data
from .params import GaussianMixtureParams

# In some direction the component's variance is below this fraction of the other components'.
SPURIOUS_VARIANCE_RATIO = 1e-4
SPURIOUS_RULE = (
    "a component is spurious when its responsibility sits on fewer than d + 1 distinct points (d = the number of "
    f"columns), or when in some direction its variance is below {SPURIOUS_VARIANCE_RATIO:g} of the other "
    "components' there; neither test depends on the columns' units."
)


@dataclass(frozen=True)
class ComponentCheck:
    """The two spurious-component tests for one component.

    effective_points : effectively distinct points its responsibility sits on
    relative_variance : smallest ratio of its variance to the reference's, over all directions
    direction : ndarray of shape (n_features,), unit vector (in data coordinates) along which that ratio is reached
    """

    component: int
    effective_points: float
    relative_variance: float
    direction: np.ndarray
    n_features: int

    @property
    def too_few_points(self) -> bool:
        return self.effective_points < self.n_features + 1

    @property
    def too_thin(self) -> bool:
        return self.relative_variance < SPURIOUS_VARIANCE_RATIO

    @property
    def spurious(self) -> bool:
        return self.too_few_points or self.too_thin


def component_checks(params: GaussianMixtureParams, X) -> list[ComponentCheck]:
    """Both tests for every component of `params` on the data X of shape (n_samples, n_features)."""
    X = check_data(X)
    resp = params.predict_proba(X)
    _, inverse = np.unique(X, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    masses = np.stack([np.bincount(inverse, weights=resp[:, k]) for k in range(params.n_components)], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        effective = masses.sum(axis=0) ** 2 / (masses**2).sum(axis=0)
    effective = np.nan_to_num(effective, nan=0.0)
    covariances = params.full_covariances
    checks = []
    for k in range(params.n_components):
        reference = _reference_covariance(params, covariances, resp, X, k)
        ratio, direction = _thinnest_relative_direction(covariances[k], reference)
        checks.append(ComponentCheck(k, float(effective[k]), ratio, direction, params.n_features))
    return checks


def degenerate_components(params: GaussianMixtureParams, X) -> list[int]:
    """Indices of the spurious components of `params` on the data X (see the module doc)."""
    return [check.component for check in component_checks(params, X) if check.spurious]


def _reference_covariance(params, covariances, resp, X, k) -> np.ndarray:
    """The other components' pooled covariance, weighted by their weights; the covered points' own
    covariance (responsibility-weighted) when there is no other component."""
    others = np.arange(params.n_components) != k
    if others.any():
        weights = params.weights[others]
        return np.einsum("k,kij->ij", weights / weights.sum(), covariances[others])
    weights = resp[:, k] / resp[:, k].sum()
    centred = X - weights @ X
    return (weights[:, None] * centred).T @ centred


def _thinnest_relative_direction(covariance, reference) -> tuple[float, np.ndarray]:
    """min over directions u of (u' C u) / (u' R u), and that u (unit length): a generalized eigenproblem."""
    try:
        lower = np.linalg.cholesky(reference)
    except np.linalg.LinAlgError:  # the reference itself is degenerate: nothing to be thin against
        return float("inf"), np.eye(len(covariance))[0]
    inverse = np.linalg.inv(lower)
    eigenvalues, eigenvectors = np.linalg.eigh(inverse @ covariance @ inverse.T)
    direction = inverse.T @ eigenvectors[:, 0]
    return float(eigenvalues[0]), direction / np.linalg.norm(direction)
