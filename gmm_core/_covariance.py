"""Everything that differs between the four covariance types, one private function per type.

Each type provides, with the same signature across types:
  * ``_estimate_<type>(second_moments, nk, means, reg_covar, n_samples)``: the M-step covariances;
  * ``_precision_cholesky_<type>(covariances)``: the Cholesky factor of the precision and a mask of
    the components whose covariance could not be factorised;
  * ``_quadratic_terms_<type>(means, precisions_cholesky)``: the coefficients that turn the
    Gaussian log density into one matrix product with the feature matrix of ``_design``.

Shapes follow scikit-learn: covariances are (k, d, d) for full, (d, d) for tied, (k, d) for diag
and (k,) for spherical, and so are the precision Cholesky factors.
"""

from __future__ import annotations

import numpy as np

# Quadratic features: products x_i x_j (i <= j) for full/tied, squares x_i^2 for diag/spherical.
QUADRATIC_KIND = {"full": "pairs", "tied": "pairs", "diag": "squares", "spherical": "squares"}


def pair_indices(n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the upper triangle (diagonal included), in feature order."""
    return np.triu_indices(n_features)


def _unpack_pairs(pair_moments: np.ndarray, n_features: int) -> np.ndarray:
    """(k, d(d+1)/2) upper-triangle moments -> (k, d, d) symmetric matrices."""
    rows, cols = pair_indices(n_features)
    matrices = np.zeros((pair_moments.shape[0], n_features, n_features))
    matrices[:, rows, cols] = pair_moments
    matrices[:, cols, rows] = pair_moments
    return matrices


# --- M-step: covariances from the sufficient statistics ------------------------------------------
# second_moments: (k, q) responsibility-weighted sums of the quadratic features of centred data.


def _estimate_full(second_moments, nk, means, reg_covar, n_samples):
    n_features = means.shape[1]
    scatter = _unpack_pairs(second_moments, n_features) / nk[:, None, None]
    covariances = scatter - means[:, :, None] * means[:, None, :]
    covariances[:, np.arange(n_features), np.arange(n_features)] += reg_covar
    return covariances


def _estimate_tied(second_moments, nk, means, reg_covar, n_samples):
    n_features = means.shape[1]
    total_scatter = _unpack_pairs(second_moments.sum(axis=0, keepdims=True), n_features)[0]
    mean_scatter = (nk[:, None] * means).T @ means
    covariance = (total_scatter - mean_scatter) / nk.sum()
    covariance.flat[:: n_features + 1] += reg_covar
    return covariance


def _estimate_diag(second_moments, nk, means, reg_covar, n_samples):
    return second_moments / nk[:, None] - means**2 + reg_covar


def _estimate_spherical(second_moments, nk, means, reg_covar, n_samples):
    return _estimate_diag(second_moments, nk, means, reg_covar, n_samples).mean(axis=1)


ESTIMATE = {"full": _estimate_full, "tied": _estimate_tied, "diag": _estimate_diag, "spherical": _estimate_spherical}


# --- Cholesky factors of the precision ------------------------------------------------------------


def _precision_cholesky_full(covariances):
    n_components, n_features, _ = covariances.shape
    failed = np.zeros(n_components, dtype=bool)
    try:
        lower = np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        # Find the culprits one by one; give them a harmless placeholder the caller will replace.
        lower = np.empty_like(covariances)
        for k in range(n_components):
            try:
                lower[k] = np.linalg.cholesky(covariances[k])
            except np.linalg.LinAlgError:
                failed[k] = True
                lower[k] = np.eye(n_features)
    failed |= ~np.isfinite(lower).all(axis=(1, 2))
    failed |= np.any(np.diagonal(lower, axis1=1, axis2=2) <= 0, axis=1)
    lower[failed] = np.eye(n_features)
    precisions_cholesky = np.linalg.inv(lower).transpose(0, 2, 1)
    return precisions_cholesky, failed


def _precision_cholesky_tied(covariance):
    precisions_cholesky, failed = _precision_cholesky_full(covariance[None])
    return precisions_cholesky[0], failed


def _precision_cholesky_diag(covariances):
    failed = ~(np.isfinite(covariances) & (covariances > 0))
    if covariances.ndim == 2:
        failed = failed.any(axis=1)
    safe = np.where(failed[..., None] if covariances.ndim == 2 else failed, 1.0, covariances)
    return 1.0 / np.sqrt(safe), failed


PRECISION_CHOLESKY = {
    "full": _precision_cholesky_full,
    "tied": _precision_cholesky_tied,
    "diag": _precision_cholesky_diag,
    "spherical": _precision_cholesky_diag,
}


# --- Log-density coefficients ---------------------------------------------------------------------
# log N(x | mu, P) = x'Ax + b'x + c with A = -Lambda/2, b = Lambda mu, c = -mu'Lambda mu/2 + log|P| - d/2 log 2pi.
# Each function returns (quadratic (k, q), linear (k, d), log_det (k,)), Lambda being the precision.


def _quadratic_terms_full(means, precisions_cholesky):
    n_features = means.shape[1]
    precisions = precisions_cholesky @ precisions_cholesky.transpose(0, 2, 1)
    rows, cols = pair_indices(n_features)
    # Off-diagonal pairs appear twice in x'Ax.
    quadratic = -0.5 * precisions[:, rows, cols] * np.where(rows == cols, 1.0, 2.0)
    linear = np.einsum("kij,kj->ki", precisions, means)
    log_det = np.log(np.diagonal(precisions_cholesky, axis1=1, axis2=2)).sum(axis=1)
    return quadratic, linear, log_det


def _quadratic_terms_tied(means, precisions_cholesky):
    stacked = np.broadcast_to(precisions_cholesky, (means.shape[0],) + precisions_cholesky.shape)
    return _quadratic_terms_full(means, stacked)


def _quadratic_terms_diag(means, precisions_cholesky):
    precisions = precisions_cholesky**2
    return -0.5 * precisions, precisions * means, np.log(precisions_cholesky).sum(axis=1)


def _quadratic_terms_spherical(means, precisions_cholesky):
    n_features = means.shape[1]
    per_feature = np.repeat(precisions_cholesky[:, None], n_features, axis=1)
    return _quadratic_terms_diag(means, per_feature)


QUADRATIC_TERMS = {
    "full": _quadratic_terms_full,
    "tied": _quadratic_terms_tied,
    "diag": _quadratic_terms_diag,
    "spherical": _quadratic_terms_spherical,
}


# --- Per-component-centred densities (the accurate path of _accuracy) ------------------------------
# Each maps diff = x - mu of shape (n, d) and one component's precision Cholesky factor to the
# whitened y of shape (n, d), so that the squared Mahalanobis distance is sum(y**2).


def _whiten_full(diff, precision_cholesky):
    return diff @ precision_cholesky


def _whiten_scaled(diff, precision_cholesky):
    return diff * precision_cholesky


WHITEN = {"full": _whiten_full, "tied": _whiten_full, "diag": _whiten_scaled, "spherical": _whiten_scaled}


def component_factor(covariance_type: str, precisions_cholesky: np.ndarray, k: int) -> np.ndarray:
    """The precision Cholesky factor of component k (the shared one for tied)."""
    return precisions_cholesky if covariance_type == "tied" else precisions_cholesky[k]


def variances(covariance_type: str, covariances: np.ndarray, n_components: int, n_features: int) -> np.ndarray:
    """The diagonal of every component's covariance, shape (n_components, n_features)."""
    if covariance_type == "full":
        return np.diagonal(covariances, axis1=1, axis2=2)
    if covariance_type == "tied":
        return np.broadcast_to(np.diag(covariances), (n_components, n_features))
    if covariance_type == "diag":
        return covariances
    return np.broadcast_to(covariances[:, None], (n_components, n_features))


# --- Sizes ----------------------------------------------------------------------------------------


def n_covariance_parameters(covariance_type: str, n_components: int, n_features: int) -> int:
    """Free parameters of the covariances, as scikit-learn counts them for BIC."""
    per_matrix = n_features * (n_features + 1) // 2
    return {
        "full": n_components * per_matrix,
        "tied": per_matrix,
        "diag": n_components * n_features,
        "spherical": n_components,
    }[covariance_type]


def from_full(covariance_type: str, full: np.ndarray, n_components: int) -> np.ndarray:
    """Express one (d, d) covariance in the shape of `covariance_type`, repeated per component."""
    return {
        "full": lambda: np.repeat(full[None], n_components, axis=0),
        "tied": lambda: full.copy(),
        "diag": lambda: np.repeat(np.diag(full)[None], n_components, axis=0),
        "spherical": lambda: np.full(n_components, np.diag(full).mean()),
    }[covariance_type]()


def to_full(covariance_type: str, covariances: np.ndarray, n_components: int, n_features: int) -> np.ndarray:
    """Covariances of any type as a (k, d, d) stack: what plots and sampling need."""
    if covariance_type == "full":
        return covariances
    if covariance_type == "tied":
        return np.repeat(covariances[None], n_components, axis=0)
    if covariance_type == "diag":
        return np.einsum("kd,de->kde", covariances, np.eye(n_features))
    return covariances[:, None, None] * np.eye(n_features)[None]
