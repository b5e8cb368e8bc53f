"""When the single-matrix-product path is accurate enough, and the per-component-centred path when it is not.

The fast path (``_design``) expands every log density around one centre c (the data's mean):
    log N(x | mu, Sigma) = x'Ax + b'x + const,   x and mu measured from c.
When a component is narrow (spread s) and far from c (distance D), the terms are each of order
(D/s)^2 and cancel to a result of order 1, so rounding leaves an error of about eps (D/s)^2: with
Unix timestamps (D/s ~ 1e9) that is larger than the log density itself.  The M-step's covariance,
E[xx'] - mu mu', cancels the same way.

Error estimate.  With v = |mu - c| + sigma (sigma_j = sqrt(Sigma_jj)) and Lambda the precision,
a point near the component contributes terms Lambda_ij x_i x_j of size about Lambda_ij v_i v_j.
Their root-sum-square, S = ||diag(v) Lambda diag(v)||_F (`sensitivity`, about (D/s)^2 for a far
component), sets the rounding error:
  * E-step, a dot product of m = q + d + 1 features:  about eps * sqrt(m) * S, absolute, in
    log-density units;
  * M-step, sums over n points: about eps * sqrt(n) * S, relative to the component's own spread
    (whitened).  Rounding errors of a long sum add like a random walk; how much blocking helps
    depends on the BLAS kernel the CPU selects (log2(n) held on one machine and was exceeded
    6x on another), so the estimate does not count on it.
Measured against a long-double oracle over d = 1..10, n = 30..1e6, all four types, correlations
up to 0.999 and D/s up to 1e5 (tests/test_engine_accuracy.py), the real errors stay below 1.6x
and 1x these estimates.  A component whose estimate exceeds TOLERATED_ERROR is computed from
x - mu_k instead (as scikit-learn always does), which has no cancellation.  Ordinary data (D/s up
to about 100 at n = 1e4, 40 at n = 1e6) stays on the fast path; the check itself costs O(k d^2) per iteration.
"""

from __future__ import annotations

import numpy as np

from . import _covariance

EPS = np.finfo(np.float64).eps
# Largest tolerated error estimate: absolute for a log density, relative (whitened) for a covariance;
# the real error stays below 1.6x this (8e-10), under the 1e-9 to which results must match a
# per-component-centred computation.
TOLERATED_ERROR = 5e-10


def sensitivity(offsets: np.ndarray, covariances: np.ndarray, precisions_cholesky: np.ndarray, kind: str) -> np.ndarray:
    """||diag(v) Lambda diag(v)||_F per component, shape (k,): how much the expansion around the
    centre amplifies rounding (about (D/s)^2 for a component far from it; see the module doc).

    offsets : ndarray of shape (k, d), the means minus the expansion centre
    covariances, precisions_cholesky : in the shape of `kind`
    """
    n_components, n_features = offsets.shape
    spread = np.sqrt(np.abs(_covariance.variances(kind, covariances, n_components, n_features)))
    v = np.abs(offsets) + spread
    with np.errstate(over="ignore", invalid="ignore"):  # inf or NaN just means "far": computed the safe way
        if kind in ("full", "tied"):
            factor = precisions_cholesky if kind == "full" else precisions_cholesky[None]
            precisions = factor @ factor.transpose(0, 2, 1)
            terms = v[:, :, None] * precisions * v[:, None, :]  # (v_i Lambda_ij) v_j: no huge squares
        else:
            precisions = precisions_cholesky**2
            terms = v**2 * (precisions[:, None] if kind == "spherical" else precisions)
        return np.sqrt((terms**2).reshape(n_components, -1).sum(axis=1))


def far_in_e_step(offsets, covariances, precisions_cholesky, kind: str, n_products: int) -> np.ndarray:
    """Mask (k,) of components whose log densities the fast path would get wrong by more than tolerated."""
    estimate = EPS * np.sqrt(n_products) * sensitivity(offsets, covariances, precisions_cholesky, kind)
    return ~(estimate <= TOLERATED_ERROR)  # NaN counts as far


def m_step_error_estimate(sensitivities: np.ndarray, n_samples: int) -> np.ndarray:
    """The fast path's relative (whitened) covariance error, per component: eps * sqrt(n) * S."""
    return EPS * np.sqrt(n_samples) * sensitivities


def far_in_m_step(offsets, covariances, precisions_cholesky, failed, kind: str, n_samples: int) -> np.ndarray:
    """Mask (k,) of components whose fast-path covariance may be off by more than tolerated.

    A covariance that could not even be factorised is recomputed too: cancellation may be why.
    """
    estimate = m_step_error_estimate(sensitivity(offsets, covariances, precisions_cholesky, kind), n_samples)
    far = ~(estimate <= TOLERATED_ERROR) | np.broadcast_to(failed, estimate.shape)
    if kind == "tied":  # one pooled covariance: all components or none
        far = np.full(len(estimate), bool(far.any()))
    return far


def centred_log_density(X: np.ndarray, mean: np.ndarray, precision_cholesky: np.ndarray, log_det: float, kind: str) -> np.ndarray:
    """log N(x | mu, Sigma) computed from x - mu, shape (n,).

    X : ndarray of shape (n, d); precision_cholesky : one component's factor in the shape of `kind`
    """
    whitened = _covariance.WHITEN[kind](X - mean, precision_cholesky)
    return log_det - 0.5 * (X.shape[1] * np.log(2 * np.pi) + np.einsum("nd,nd->n", whitened, whitened))


def centred_moments(X: np.ndarray, resp_t: np.ndarray, counts: np.ndarray, means: np.ndarray, covariances: np.ndarray,
                    far: np.ndarray, kind: str, reg_covar: float) -> tuple[np.ndarray, np.ndarray]:
    """Means and covariances of the `far` components from each component's own centre (two passes).

    X : ndarray of shape (n, d); resp_t : (k, n); counts : (k,); means : (k, d), first estimates
    Returns means (k, d) and covariances (type's shape), equal to the inputs for the others.
    """
    means = means.copy()
    covariances = covariances.copy()
    n_features = X.shape[1]
    scatters = {}
    for k in np.flatnonzero(far):
        diff = X - means[k]
        weighted = resp_t[k][:, None] * diff
        shift = weighted.sum(axis=0) / counts[k]  # the first estimate's rounding, removed
        means[k] += shift
        if kind in ("full", "tied"):
            scatters[k] = weighted.T @ diff / counts[k] - np.outer(shift, shift)
        else:
            scatters[k] = np.einsum("nd,nd->d", weighted, diff) / counts[k] - shift**2
    if kind == "tied":
        pooled = sum(counts[k] * scatters[k] for k in scatters) / counts.sum()
        pooled.flat[:: n_features + 1] += reg_covar
        return means, pooled
    for k, scatter in scatters.items():
        if kind == "full":
            scatter.flat[:: n_features + 1] += reg_covar
            covariances[k] = scatter
        elif kind == "diag":
            covariances[k] = scatter + reg_covar
        else:
            covariances[k] = scatter.mean() + reg_covar
    return means, covariances
