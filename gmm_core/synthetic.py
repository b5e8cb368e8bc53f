"""Synthetic data with known truth: the two articles' examples and random blobs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_positive_int, check_seed
from .params import GaussianMixtureParams

MAX_BLOB_FEATURES = 10


@dataclass(frozen=True, eq=False)
class SyntheticData:
    """Points drawn from a known mixture.

    X : ndarray of shape (n_samples, n_features)
    labels : ndarray of shape (n_samples,), the generating component of each point
    truth : the generating GaussianMixtureParams (covariance_type 'full')
    """

    X: np.ndarray
    labels: np.ndarray
    truth: GaussianMixtureParams
    name: str


def _draw_per_component(truth: GaussianMixtureParams, counts, rng) -> tuple[np.ndarray, np.ndarray]:
    """Exactly counts[k] points from component k, shuffled."""
    lower = np.linalg.cholesky(truth.full_covariances)
    blocks = [
        truth.means[k] + rng.standard_normal((n, truth.n_features)) @ lower[k].T for k, n in enumerate(counts)
    ]
    labels = np.repeat(np.arange(len(counts)), counts)
    order = rng.permutation(len(labels))
    return np.vstack(blocks)[order], labels[order]


def two_tight_clusters(seed: int = 0, n_per_cluster: int = 100) -> SyntheticData:
    """The first article's example: 2-D means (5, 10) and (6, 11), covariances 0.01 I and 0.05 I."""
    n_per_cluster = check_positive_int("n_per_cluster", n_per_cluster)
    truth = GaussianMixtureParams(
        weights=[0.5, 0.5],
        means=[[5.0, 10.0], [6.0, 11.0]],
        covariances=[0.01 * np.eye(2), 0.05 * np.eye(2)],
        covariance_type="full",
    )
    X, labels = _draw_per_component(truth, [n_per_cluster] * 2, np.random.default_rng(check_seed(seed)))
    return SyntheticData(X, labels, truth, "Two tight clusters (2-D)")


def two_overlapping_gaussians(seed: int = 0, n_per_cluster: int = 30) -> SyntheticData:
    """The second article's example: 1-D N(-2, 1.3^2) and N(1, 0.9^2); X has shape (n, 1)."""
    n_per_cluster = check_positive_int("n_per_cluster", n_per_cluster)
    truth = GaussianMixtureParams(
        weights=[0.5, 0.5],
        means=[[-2.0], [1.0]],
        covariances=[[[1.3**2]], [[0.9**2]]],
        covariance_type="full",
    )
    X, labels = _draw_per_component(truth, [n_per_cluster] * 2, np.random.default_rng(check_seed(seed)))
    return SyntheticData(X, labels, truth, "Two overlapping Gaussians (1-D)")


def random_blobs(
    n_components: int = 3,
    n_samples: int = 500,
    n_features: int = 2,
    separation: float = 4.0,
    anisotropy: float = 1.0,
    seed: int = 0,
) -> SyntheticData:
    """Random Gaussian blobs with known truth.

    n_features : dimension, 1 to MAX_BLOB_FEATURES
    separation : smallest distance between two means, in units of the components' typical spread
    anisotropy : ratio of the longest to the shortest axis of each component (1 = round; unused in
        1-D); each component randomly rotated, its other axes spaced geometrically between the two
    """
    n_components = check_positive_int("n_components", n_components)
    n_samples = check_positive_int("n_samples", n_samples, minimum=n_components)
    if not (isinstance(n_features, (int, np.integer)) and 1 <= n_features <= MAX_BLOB_FEATURES):
        raise ValueError(f"n_features must be a whole number from 1 to {MAX_BLOB_FEATURES}, not {n_features!r}.")
    if not separation >= 0 or not anisotropy >= 1:
        raise ValueError("separation must be at least 0 and anisotropy at least 1.")
    rng = np.random.default_rng(check_seed(seed))
    means = _spread_out_means(n_components, n_features, separation, rng)
    covariances = np.empty((n_components, n_features, n_features))
    for k in range(n_components):
        scale = rng.uniform(0.6, 1.4)
        if n_features == 1:
            covariances[k] = scale**2
            continue
        if n_features == 2:  # kept as it was, so that a 2-D seed draws the same points as before
            angle = rng.uniform(0, np.pi)
            rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
            axes = scale**2 * np.diag([anisotropy, 1.0 / anisotropy])
        else:
            rotation = _random_rotation(n_features, rng)
            axes = scale**2 * np.diag(np.geomspace(anisotropy, 1.0 / anisotropy, n_features))
        covariances[k] = rotation @ axes @ rotation.T
    weights = rng.dirichlet(np.full(n_components, 8.0))
    counts = _counts_from_weights(weights, n_samples)
    truth = GaussianMixtureParams(weights, means, covariances, "full")
    X, labels = _draw_per_component(truth, counts, rng)
    return SyntheticData(X, labels, truth, f"Random blobs (k={n_components}, {n_features}-D)")


def _random_rotation(n_features: int, rng) -> np.ndarray:
    """A uniformly random orthogonal matrix (n_features, n_features): QR of a Gaussian matrix, signs fixed."""
    q, r = np.linalg.qr(rng.standard_normal((n_features, n_features)))
    return q * np.sign(np.diag(r))


def _spread_out_means(n_components, n_features, separation, rng) -> np.ndarray:
    """Means at least `separation` apart where possible (rejection sampling in a growing box)."""
    box = max(separation, 1.0) * max(1.0, n_components ** (1.0 / n_features))
    means = [rng.uniform(-box, box, n_features)]
    attempts = 0
    while len(means) < n_components:
        candidate = rng.uniform(-box, box, n_features)
        attempts += 1
        if min(np.linalg.norm(candidate - m) for m in means) >= separation or attempts > 2000:
            means.append(candidate)
            attempts = 0
    return np.array(means)


def _counts_from_weights(weights: np.ndarray, n_samples: int) -> np.ndarray:
    """Integer counts summing to n_samples, each at least 1, proportional to the weights."""
    counts = np.maximum(np.floor(weights * n_samples).astype(int), 1)
    while counts.sum() < n_samples:
        counts[np.argmax(weights * n_samples - counts)] += 1
    while counts.sum() > n_samples:
        counts[np.argmax(counts)] -= 1
    return counts


PRESETS = {
    "two_tight_clusters": two_tight_clusters,
    "two_overlapping_gaussians": two_overlapping_gaussians,
    "random_blobs": random_blobs,
}
