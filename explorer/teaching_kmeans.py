"""From EM to k-means: soft EM with a fixed shared variance σ², Lloyd's k-means, and the three side by side.

Bishop §9.3.2: give every component the same spherical covariance σ²I, hold it (and equal weights)
fixed, and let EM update only the means. The E-step's responsibilities are then a softmax of
−‖x − μₖ‖² / 2σ², which hardens into "nearest mean takes all" as σ² → 0, and the M-step's
weighted means become k-means' cluster averages. Pure Python (NumPy); responsibilities come from
`gmm_core.e_step`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import gmm_core

from .teaching import FINAL_MAX_ITER, soft_and_hard, starting_params

# σ² on the slider, as fractions of the data's variance (the mean over its dimensions) ...
VARIANCE_FRACTIONS = (1.0, 0.5, 0.25, 0.1, 0.05, 0.025, 0.01, 0.001)
# ... then this absolute value, where the responsibilities are 0 or 1 to machine precision.
SMALLEST_VARIANCE = 1e-6
# A component holding less than this many points' worth of responsibility is empty: its mean stays put, as in Lloyd.
EMPTY = 1e-9
# The means have stopped when no coordinate moves by more than this fraction of the data's spread.
MEANS_TOL = 1e-10
LLOYD_MAX_ITER = 300


def data_variance(X) -> float:
    """The data's variance, averaged over its dimensions."""
    return float(np.mean(np.var(np.asarray(X, dtype=np.float64), axis=0)))


def variance_steps(X) -> tuple[float, ...]:
    """The σ² values the slider offers, from the data's own variance down to SMALLEST_VARIANCE."""
    return tuple(fraction * data_variance(X) for fraction in VARIANCE_FRACTIONS) + (SMALLEST_VARIANCE,)


def fixed_variance_params(means, variance: float) -> gmm_core.GaussianMixtureParams:
    """Equal weights, the given means (k, d) and one spherical variance σ² for every component."""
    means = np.asarray(means, dtype=np.float64)
    k = len(means)
    return gmm_core.GaussianMixtureParams(np.full(k, 1.0 / k), means, np.full(k, float(variance)), "spherical")


@dataclass(frozen=True, eq=False)
class FixedVarianceFit:
    """EM with σ² and the weights held fixed, run until the means stop.

    means : ndarray of shape (n_components, n_features), where the means stopped
    resp : ndarray of shape (n_samples, n_components), the responsibilities at those means
    mean_path : ndarray of shape (n_iter + 1, n_components, n_features), the means after every iteration
    log_likelihood : ndarray of shape (n_iter + 1,), of the fixed-variance model, after every iteration
    converged : the means stopped moving before max_iter
    """

    variance: float
    means: np.ndarray
    resp: np.ndarray
    mean_path: np.ndarray
    log_likelihood: np.ndarray
    converged: bool = True

    @property
    def n_iter(self) -> int:
        return len(self.mean_path) - 1

    @property
    def labels(self) -> np.ndarray:
        """Each point's most responsible component, shape (n_samples,)."""
        return self.resp.argmax(axis=1)

    @property
    def params(self) -> gmm_core.GaussianMixtureParams:
        return fixed_variance_params(self.means, self.variance)


def fixed_variance_em(X, means_init, variance: float, max_iter: int = FINAL_MAX_ITER) -> FixedVarianceFit:
    """Soft EM for a mixture of k Gaussians N(μₖ, σ²I) with equal weights, σ² fixed: only the means move.

    X : array-like of shape (n_samples, n_features)
    means_init : array-like of shape (n_components, n_features)
    """
    X = np.asarray(X, dtype=np.float64)
    if not (np.isfinite(variance) and variance > 0):
        raise ValueError(f"The fixed variance must be a positive number, not {variance!r}.")
    means = np.array(means_init, dtype=np.float64)
    scale = max(float(np.ptp(X)), 1e-300)
    path, curve, converged = [means.copy()], [], False
    for _ in range(max_iter):
        resp, log_likelihood = gmm_core.e_step(X, fixed_variance_params(means, variance))
        curve.append(log_likelihood)
        counts = resp.sum(axis=0)
        updated = means.copy()
        filled = counts > EMPTY
        updated[filled] = (resp[:, filled].T @ X) / counts[filled, None]
        moved = float(np.max(np.abs(updated - means)))
        means = updated
        path.append(means.copy())
        if moved <= MEANS_TOL * scale:
            converged = True
            break
    resp, log_likelihood = gmm_core.e_step(X, fixed_variance_params(means, variance))
    curve.append(log_likelihood)
    return FixedVarianceFit(float(variance), means, resp, np.array(path), np.array(curve), converged)


@dataclass(frozen=True, eq=False)
class KMeansRun:
    """Lloyd's k-means from given centres, every iteration kept.

    center_path : ndarray of shape (n_iter + 1, n_components, n_features), the centres at the start and after each update
    labels : ndarray of shape (n_samples,), each point's nearest final centre
    distortion : ndarray of shape (n_iter + 1,), J = Σₙ ‖xₙ − nearest centre‖² for each entry of center_path
    """

    center_path: np.ndarray
    labels: np.ndarray
    distortion: np.ndarray

    @property
    def centers(self) -> np.ndarray:
        return self.center_path[-1]


def lloyd_run(X, centers_init, max_iter: int = LLOYD_MAX_ITER) -> KMeansRun:
    """Lloyd's algorithm: assign each point to its nearest centre, move each centre to its points' mean, until no
    point changes cluster (an empty cluster keeps its centre), as gmm_core's k-means initialisation does."""
    X = np.asarray(X, dtype=np.float64)
    centers = np.array(centers_init, dtype=np.float64)
    path = [centers.copy()]
    labels, previous = _nearest(X, centers), None
    for _ in range(max_iter):
        if previous is not None and np.array_equal(labels, previous):
            break  # no point changed cluster: the next update would change nothing
        previous = labels
        for k in range(len(centers)):
            members = labels == k
            if members.any():
                centers[k] = X[members].mean(axis=0)
        path.append(centers.copy())
        labels = _nearest(X, centers)
    path = np.array(path)
    distortion = np.array([_distortion(X, c) for c in path])
    return KMeansRun(path, _nearest(X, path[-1]), distortion)


def _squared_distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    return ((X[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)


def _nearest(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    return _squared_distances(X, centers).argmin(axis=1)


def _distortion(X: np.ndarray, centers: np.ndarray) -> float:
    return float(_squared_distances(X, centers).min(axis=1).sum())


def classification_log_likelihood(X, params: gmm_core.GaussianMixtureParams) -> float:
    """Σₙ maxₖ ln πₖ N(xₙ | μₖ, Σₖ): the bound 𝓛(q, θ) for hard EM's best one-hot q, the objective hard EM climbs."""
    return float(params.weighted_log_prob(X).max(axis=1).sum())


@dataclass(frozen=True, eq=False)
class ThreeWays:
    """Soft EM, hard EM and k-means from the same starting means on the same data, each with its objective.

    start : ndarray of shape (n_components, n_features), the shared starting means
    soft_curve : ndarray, the log-likelihood after every soft EM iteration
    hard_curve : ndarray, the classification log-likelihood after every hard EM iteration
    kmeans.distortion : the sum of squared distances after every Lloyd iteration
    """

    start: np.ndarray
    soft: gmm_core.FitResult
    hard: gmm_core.FitResult
    kmeans: KMeansRun
    soft_curve: np.ndarray
    hard_curve: np.ndarray


def three_ways(X, seed: int, n_components: int = 2) -> ThreeWays:
    """The worked example's start (means at data points drawn with `seed`) run three ways to convergence."""
    X = np.asarray(X, dtype=np.float64)
    start = starting_params(X, n_components, seed).means
    both = soft_and_hard(X, n_components, seed=seed)
    kmeans = lloyd_run(X, start)
    soft_curve = np.array([entry.params.log_likelihood(X) for entry in both.soft.trace])
    hard_curve = np.array([classification_log_likelihood(X, entry.params) for entry in both.hard.trace])
    return ThreeWays(start, both.soft, both.hard, kmeans, soft_curve, hard_curve)

