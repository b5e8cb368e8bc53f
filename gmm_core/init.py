"""Starting parameters for EM; every method is deterministic for a given NumPy Generator."""

from __future__ import annotations

from functools import partial

import numpy as np

from ._design import Design
from .params import GaussianMixtureParams
from .steps import ReseedEvent, m_step_with_repair, spread_covariances

LLOYD_MAX_ITER = 100


def initial_params(
    design: Design,
    n_components: int,
    init: str,
    rng: np.random.Generator,
    reg_covar: float,
    manual: tuple | None = None,
) -> tuple[GaussianMixtureParams, list[ReseedEvent]]:
    """Parameters for iteration 0, and any repairs their M-step needed."""
    if init in ("random_points", "manual"):
        spread = partial(spread_covariances, design, n_components, reg_covar)
        return direct_params(init, n_components, design.covariance_type, design.centred, design.center, rng, spread, manual), []
    if init == "random_resp":
        resp_t = rng.random((n_components, design.n_samples))
        resp_t /= resp_t.sum(axis=0, keepdims=True)
        badness = np.zeros(design.n_samples)
    else:
        centers = kmeans_plus_plus(design.centred, n_components, rng)
        if init == "kmeans":
            centers = lloyd(design.centred, centers)
        labels, nearest_sq = nearest_center(design.centred, centers)
        resp_t = np.zeros((n_components, design.n_samples))
        resp_t[labels, np.arange(design.n_samples)] = 1.0
        badness = -nearest_sq
    return m_step_with_repair(design, resp_t, badness, reg_covar, iteration=0)


def direct_params(init, n_components, kind, points_centred, center, rng, spread, manual) -> GaussianMixtureParams:
    """Starts set without an M-step: 'random_points' (distinct rows of points_centred, plus center) or
    'manual'; spread() gives the data's covariance per component where none is given."""
    if init == "random_points":
        means = _distinct_points(points_centred, n_components, rng) + center
        weights = np.full(n_components, 1.0 / n_components)
        return GaussianMixtureParams(weights, means, spread(), kind)
    means, weights, covariances = manual
    weights = np.full(n_components, 1.0 / n_components) if weights is None else weights
    return GaussianMixtureParams(weights, means, spread() if covariances is None else covariances, kind)


def _distinct_points(points: np.ndarray, n_points: int, rng: np.random.Generator) -> np.ndarray:
    """n_points distinct rows of `points`, in random order; the caller guarantees they exist."""
    chosen, seen = [], set()
    for index in rng.permutation(len(points)):
        key = points[index].tobytes()
        if key not in seen:
            seen.add(key)
            chosen.append(index)
            if len(chosen) == n_points:
                break
    return points[chosen].copy()


def _squared_distances(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """ndarray of shape (n_points, n_centers), clipped at 0 against rounding."""
    distances = (points**2).sum(axis=1)[:, None] - 2.0 * points @ centers.T + (centers**2).sum(axis=1)[None, :]
    return np.maximum(distances, 0.0, out=distances)


def nearest_center(points: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Label of the nearest center and the squared distance to it, each of shape (n_points,)."""
    distances = _squared_distances(points, centers)
    labels = distances.argmin(axis=1)
    return labels, distances[np.arange(len(points)), labels]


def kmeans_plus_plus(points: np.ndarray, n_centers: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding (Arthur & Vassilvitskii, 2007): centers of shape (n_centers, n_features)."""
    centers = np.empty((n_centers, points.shape[1]))
    centers[0] = points[rng.integers(len(points))]
    closest = _squared_distances(points, centers[:1])[:, 0]
    for c in range(1, n_centers):
        cumulative = np.cumsum(closest)
        if cumulative[-1] <= 0:  # every point already sits on a center
            centers[c] = points[rng.integers(len(points))]
        else:
            # Draw with probability proportional to the squared distance to the nearest center.
            index = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            centers[c] = points[min(index, len(points) - 1)]
        closest = np.minimum(closest, _squared_distances(points, centers[c : c + 1])[:, 0])
    return centers


def lloyd(points: np.ndarray, centers: np.ndarray, max_iter: int = LLOYD_MAX_ITER) -> np.ndarray:
    """Lloyd's k-means iterations from `centers` until the labels stop changing."""
    centers = centers.copy()
    n_centers = len(centers)
    previous = None
    for _ in range(max_iter):
        labels, _ = nearest_center(points, centers)
        if previous is not None and np.array_equal(labels, previous):
            break
        previous = labels
        counts = np.bincount(labels, minlength=n_centers)
        occupied = counts > 0  # an empty cluster keeps its old center
        for j in range(points.shape[1]):
            sums = np.bincount(labels, weights=points[:, j], minlength=n_centers)
            centers[occupied, j] = sums[occupied] / counts[occupied]
    return centers
