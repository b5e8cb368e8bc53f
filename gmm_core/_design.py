"""The feature matrix that makes both EM steps a single matrix product over all components.

For centred data x, every Gaussian log density is a quadratic x'Ax + b'x + c.  Stacking the
quadratic features (x_i x_j, or x_i^2 for diagonal types), x itself and a column of ones into
F of shape (n, q + d + 1) gives
  * E-step: weighted log densities = F @ W, with W of shape (q + d + 1, k) built from the parameters;
  * M-step: every sufficient statistic = resp.T @ F (second moments, first moments, counts).
Centring on the data's mean keeps ordinary data accurate.  A component that is narrow and far from
that centre (timestamps, GPS fixes) would lose its density to cancellation; `_accuracy` spots it
from the parameters alone and computes it from x - mu_k instead, in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _accuracy, _covariance

LOG_2PI = np.log(2 * np.pi)
# Rows per block in the E-step: keeps the temporaries in cache and peak memory flat in n.
BLOCK_ROWS = 1 << 14
# Lower bound for a log density: far below any real value, yet summing a million of them stays finite.
LOG_DENSITY_FLOOR = -1e250
# exp() of anything below this is a denormal number, which slows every later matrix product ~2x.
SHIFTED_LOG_FLOOR = -700.0


def log_sum_exp(values: np.ndarray) -> np.ndarray:
    """log(sum(exp(values), axis=1)) without overflow, ndarray of shape (n_rows,)."""
    peak = values.max(axis=1)
    return peak + np.log(np.exp(values - peak[:, None]).sum(axis=1))


@dataclass(frozen=True, eq=False)
class Design:
    """Centred data and its feature matrix for one covariance type.

    features : ndarray of shape (n_samples, q + n_features + 1)
    center : ndarray of shape (n_features,), subtracted from the data before building features
    data : ndarray of shape (n_samples, n_features), the data as given (for the per-component path)
    """

    features: np.ndarray
    center: np.ndarray
    covariance_type: str
    n_quadratic: int
    data: np.ndarray

    @classmethod
    def build(cls, X: np.ndarray, covariance_type: str, center: np.ndarray | None = None) -> "Design":
        n_samples, n_features = X.shape
        center = X.mean(axis=0) if center is None else np.asarray(center, dtype=np.float64)
        if _covariance.QUADRATIC_KIND[covariance_type] == "pairs":
            rows, cols = _covariance.pair_indices(n_features)
        else:
            rows = cols = np.arange(n_features)
        n_quadratic = len(rows)
        features = np.empty((n_samples, n_quadratic + n_features + 1))
        centred = features[:, n_quadratic : n_quadratic + n_features]
        np.subtract(X, center, out=centred)
        np.multiply(centred[:, rows], centred[:, cols], out=features[:, :n_quadratic])
        features[:, -1] = 1.0
        return cls(features, center, covariance_type, n_quadratic, X)

    @property
    def n_samples(self) -> int:
        return self.features.shape[0]

    @property
    def n_features(self) -> int:
        return self.features.shape[1] - self.n_quadratic - 1

    @property
    def centred(self) -> np.ndarray:
        """The centred data, a view of shape (n_samples, n_features)."""
        return self.features[:, self.n_quadratic : self.n_quadratic + self.n_features]

    # --- E-step -----------------------------------------------------------------------------------
    def _coefficients(self, params):
        """W of shape (q + d + 1, k) such that features @ W = log w_k + log N(x | mu_k, Sigma_k), the
        log-determinants (k,) and the mask (k,) of components too far and narrow for W to be
        accurate (see _accuracy)."""
        means = params.means - self.center
        # Coefficients may overflow for an extremely narrow component; it is then 'far' and recomputed.
        with np.errstate(over="ignore", invalid="ignore"):
            quadratic, linear, log_det = _covariance.QUADRATIC_TERMS[params.covariance_type](
                means, params.precisions_cholesky
            )
            constant = (
                -0.5 * np.einsum("kd,kd->k", linear, means)
                + log_det
                - 0.5 * self.n_features * LOG_2PI
                + np.log(params.weights)
            )
        far = _accuracy.far_in_e_step(
            means, params.covariances, params.precisions_cholesky, params.covariance_type, self.features.shape[1]
        )
        return np.vstack([quadratic.T, linear.T, constant[None, :]]), log_det, far

    def _recompute_far(self, params, log_det, far, log_prob_t: np.ndarray, start: int, stop: int) -> None:
        """Overwrite the rows (components) `far` of log_prob_t (k, stop - start) from x - mu_k."""
        rows = self.data[start:stop]
        for k in np.flatnonzero(far):
            factor = _covariance.component_factor(params.covariance_type, params.precisions_cholesky, k)
            log_prob_t[k] = np.log(params.weights[k]) + _accuracy.centred_log_density(
                rows, params.means[k], factor, log_det[k], params.covariance_type
            )

    def weighted_log_prob(self, params) -> np.ndarray:
        """ndarray of shape (n_samples, n_components)."""
        return self.weighted_log_prob_t(params).T

    def weighted_log_prob_t(self, params) -> np.ndarray:
        """log(w_k) + log N(x | mu_k, Sigma_k) component-major, ndarray of shape (n_components, n_samples):
        per-sample reductions then run across contiguous rows (see e_step)."""
        weights, log_det, far = self._coefficients(params)
        log_prob_t = weights.T @ self.features.T
        if far.any():
            self._recompute_far(params, log_det, far, log_prob_t, 0, self.n_samples)
        return np.maximum(log_prob_t, LOG_DENSITY_FLOOR, out=log_prob_t)

    def e_step(self, params, resp_t: np.ndarray | None = None, best: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Responsibilities, transposed to (n_components, n_samples), and log densities (n_samples,).

        Component-major layout makes the per-sample reductions (max, sum) run across contiguous
        rows, several times faster than reducing a short last axis.  Works block by block;
        `resp_t` may be a preallocated output to reuse across iterations.  `best`, an optional
        output of shape (n_samples,), receives max_k log(w_k N(x | mu_k, Sigma_k)): the point's
        term of the classification log-likelihood.
        """
        weights, log_det, far = self._coefficients(params)
        weights_t = weights.T
        n_samples = self.n_samples
        if resp_t is None:
            resp_t = np.empty((weights_t.shape[0], n_samples))
        log_density = np.empty(n_samples)
        for start in range(0, n_samples, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, n_samples)
            block = weights_t @ self.features[start:stop].T
            if far.any():
                self._recompute_far(params, log_det, far, block, start, stop)
            np.maximum(block, LOG_DENSITY_FLOOR, out=block)
            peak = block.max(axis=0)
            if best is not None:
                best[start:stop] = peak
            block -= peak
            np.maximum(block, SHIFTED_LOG_FLOOR, out=block)
            np.exp(block, out=block)
            total = block.sum(axis=0)
            np.multiply(block, 1.0 / total, out=resp_t[:, start:stop])
            log_density[start:stop] = peak + np.log(total)
        return resp_t, log_density

    # --- M-step -----------------------------------------------------------------------------------
    def sufficient_statistics(self, resp_t: np.ndarray):
        """Counts (k,), centred means (k, d) and quadratic second moments (k, q) in one product.

        resp_t : ndarray of shape (n_components, n_samples)
        """
        stats = resp_t @ self.features
        # The tiny constant keeps empty components finite, as scikit-learn does.
        counts = stats[:, -1] + 10 * np.finfo(np.float64).eps
        means = stats[:, self.n_quadratic : -1] / counts[:, None]
        return counts, means, stats[:, : self.n_quadratic]
