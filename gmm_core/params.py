"""The parameters of a Gaussian mixture and everything that can be computed from them alone."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _covariance, _design
from ._validation import (COVARIANCE_TYPES, check_choice, check_data, check_positive_int, check_seed, covariance_shape,
                          finite_numbers)

MAX_SAMPLE_VALUES = 10**8  # sample() returns at most this many numbers (800 MB of float64)


@dataclass(frozen=True, eq=False)
class GaussianMixtureParams:
    """Weights, means and covariances of a k-component mixture in d dimensions.

    weights : ndarray of shape (n_components,), positive, summing to 1
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray shaped as scikit-learn's ``covariances_`` for ``covariance_type``:
        (k, d, d) full, (d, d) tied, (k, d) diag, (k,) spherical
    covariance_type : 'full', 'tied', 'diag' or 'spherical'
    precisions_cholesky : ndarray, same shape as covariances; computed on construction
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str
    precisions_cholesky: np.ndarray = field(default=None, repr=False)

    def __post_init__(self):
        check_choice("covariance_type", self.covariance_type, COVARIANCE_TYPES)
        weights = finite_numbers("weights", self.weights)
        means = finite_numbers("means", self.means)
        if means.ndim == 1:
            means = means.reshape(-1, 1)
        covariances = finite_numbers("covariances", self.covariances)
        if means.ndim != 2 or means.shape[0] == 0 or means.shape[1] == 0:
            raise ValueError(f"means must have shape (n_components, n_features) with at least one of each, not {means.shape}.")
        expected = covariance_shape(self.covariance_type, means.shape[0], means.shape[1])
        if weights.shape != (means.shape[0],) or covariances.shape != expected:
            raise ValueError(
                f"Inconsistent shapes: weights {weights.shape}, means {means.shape}, covariances "
                f"{covariances.shape}; for covariance_type={self.covariance_type!r} covariances must be {expected}."
            )
        if np.any(weights <= 0) or abs(weights.sum() - 1.0) > 1e-6:
            raise ValueError(f"weights must be positive and sum to 1, not {np.round(weights, 6).tolist()}; "
                             "divide them by their sum, and drop components with no weight.")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "covariances", covariances)
        if self.precisions_cholesky is None:
            factor, failed = _covariance.PRECISION_CHOLESKY[self.covariance_type](covariances)
            if np.any(failed):
                bad = np.flatnonzero(np.atleast_1d(failed)).tolist()
                raise ValueError(
                    f"The covariance of component(s) {bad} is not positive definite; "
                    "increase reg_covar or give a valid covariance."
                )
            with np.errstate(over="ignore"):
                usable = np.all(np.isfinite(factor**2))
            if not usable:  # a denormal variance: its precision overflows, and every density would be NaN
                raise ValueError("A covariance is too close to zero to invert in floating point (a variance near "
                                 "1e-300 or below); increase reg_covar or rescale the data.")
            object.__setattr__(self, "precisions_cholesky", factor)

    # --- sizes -------------------------------------------------------------------------------------
    @property
    def n_components(self) -> int:
        return self.means.shape[0]

    @property
    def n_features(self) -> int:
        return self.means.shape[1]

    @property
    def n_parameters(self) -> int:
        """Free parameters: covariances + means + (k - 1) weights, as scikit-learn counts them."""
        k, d = self.means.shape
        return _covariance.n_covariance_parameters(self.covariance_type, k, d) + k * d + k - 1

    @property
    def full_covariances(self) -> np.ndarray:
        """Covariances as a (n_components, n_features, n_features) stack, whatever the type."""
        return _covariance.to_full(self.covariance_type, self.covariances, self.n_components, self.n_features)

    # --- densities ---------------------------------------------------------------------------------
    def weighted_log_prob(self, X) -> np.ndarray:
        """log(w_k) + log N(x | mu_k, Sigma_k), ndarray of shape (n_samples, n_components)."""
        design = _design.Design.build(self._checked(X), self.covariance_type, center=self.weights @ self.means)
        return design.weighted_log_prob(self)

    def score_samples(self, X) -> np.ndarray:
        """Log density of the mixture at each sample, ndarray of shape (n_samples,)."""
        return _design.log_sum_exp(self.weighted_log_prob(X))

    def score(self, X) -> float:
        """Mean log-likelihood per sample."""
        return float(self.score_samples(X).mean())

    def log_likelihood(self, X) -> float:
        """Total log-likelihood of X."""
        return float(self.score_samples(X).sum())

    def predict_proba(self, X) -> np.ndarray:
        """Responsibilities, ndarray of shape (n_samples, n_components); rows sum to 1."""
        log_prob = self.weighted_log_prob(X)
        return np.exp(log_prob - _design.log_sum_exp(log_prob)[:, None])

    def predict(self, X) -> np.ndarray:
        """Most responsible component of each sample, ndarray of shape (n_samples,)."""
        return self.weighted_log_prob(X).argmax(axis=1)

    def bic(self, X) -> float:
        """Bayesian information criterion (lower is better): -2 log L + p log n."""
        X = self._checked(X)
        return -2.0 * self.log_likelihood(X) + self.n_parameters * np.log(X.shape[0])

    def aic(self, X) -> float:
        """Akaike information criterion (lower is better): -2 log L + 2 p."""
        return -2.0 * self.log_likelihood(X) + 2.0 * self.n_parameters

    def sample(self, n_samples: int, seed=None) -> tuple[np.ndarray, np.ndarray]:
        """Draw samples; returns X of shape (n_samples, n_features) and labels of shape (n_samples,)."""
        n_samples = check_positive_int("n_samples", n_samples)
        if n_samples * self.n_features > MAX_SAMPLE_VALUES:  # NumPy would fail to allocate (or take all memory)
            raise ValueError(f"n_samples must be at most {MAX_SAMPLE_VALUES // self.n_features:,} for "
                             f"{self.n_features} feature{'s' if self.n_features > 1 else ''}, not {n_samples:,}; "
                             "draw fewer samples, or draw them in batches.")
        rng = np.random.default_rng(check_seed(seed))
        labels = rng.choice(self.n_components, size=n_samples, p=self.weights)
        lower = np.linalg.cholesky(self.full_covariances)
        noise = rng.standard_normal((n_samples, self.n_features))
        X = self.means[labels] + np.einsum("nij,nj->ni", lower[labels], noise)
        return X, labels

    def to_dict(self) -> dict:
        """Plain lists, ready for JSON."""
        return {
            "covariance_type": self.covariance_type,
            "weights": self.weights.tolist(),
            "means": self.means.tolist(),
            "covariances": self.covariances.tolist(),
        }

    def _checked(self, X) -> np.ndarray:
        X = check_data(X)
        if X.shape[1] != self.n_features:
            raise ValueError(f"X has {X.shape[1]} features but the mixture was fitted on {self.n_features}.")
        return X
