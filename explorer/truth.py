"""Compare a fit with the truth: the mixture that generated synthetic data, or the classes of labelled data
(each class summarised as a Gaussian: its share of the points, its mean and its covariance)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

import gmm_core

# A class's covariance gets this fraction of the data's mean variance added, so a class of one point or of
# points on a line is still a (thin) Gaussian that can be drawn.
CLASS_COVARIANCE_FLOOR = 1e-6


@dataclass(frozen=True)
class TruthComparison:
    """Fitted components matched to true ones.

    pairs : tuple of (fitted index, true index)
    mean_errors : ndarray of shape (n_pairs,), Euclidean distance between matched means
    adjusted_rand : agreement of fitted and true labels, 1 = identical partitions, ~0 = chance
    """

    pairs: tuple[tuple[int, int], ...]
    mean_errors: np.ndarray
    adjusted_rand: float


def match_components(fitted_means: np.ndarray, true_means: np.ndarray) -> tuple[tuple[int, int], ...]:
    """Hungarian assignment minimising the total distance between fitted and true means."""
    cost = np.linalg.norm(fitted_means[:, None, :] - true_means[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(cost)
    return tuple((int(r), int(c)) for r, c in zip(rows, cols))


def adjusted_rand_index(labels_a: np.ndarray, labels_b: np.ndarray) -> float:
    """Hubert & Arabie's adjusted Rand index of two labelings of the same points."""
    _, a = np.unique(labels_a, return_inverse=True)
    _, b = np.unique(labels_b, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)
    pairs = lambda counts: float((counts * (counts - 1) / 2).sum())  # noqa: E731
    index = pairs(table)
    rows, cols, total = pairs(table.sum(axis=1)), pairs(table.sum(axis=0)), pairs(np.array([len(a)]))
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:  # both partitions trivial: they agree perfectly
        return 1.0
    return (index - expected) / (maximum - expected)


def compare_with_truth(params, X: np.ndarray, truth, true_labels: np.ndarray) -> TruthComparison:
    pairs = match_components(params.means, truth.means)
    errors = np.array([np.linalg.norm(params.means[f] - truth.means[t]) for f, t in pairs])
    return TruthComparison(pairs, errors, adjusted_rand_index(params.predict(X), true_labels))


def class_mixture(X: np.ndarray, codes: np.ndarray) -> gmm_core.GaussianMixtureParams:
    """The classes as a full-covariance mixture: weight = share of the points, mean and (ML) covariance.

    X : ndarray of shape (n_samples, n_features)
    codes : ndarray of shape (n_samples,), each point's class as 0 .. n_classes - 1 (every class present)
    """
    n, d = X.shape
    n_classes = int(codes.max()) + 1
    floor = CLASS_COVARIANCE_FLOOR * max(float(np.mean(np.var(X, axis=0))), np.finfo(float).tiny) * np.eye(d)
    weights = np.bincount(codes, minlength=n_classes) / n
    means = np.array([X[codes == c].mean(axis=0) for c in range(n_classes)])
    covariances = np.array([np.atleast_2d(np.cov(X[codes == c], rowvar=False, bias=True)) + floor
                            for c in range(n_classes)])
    return gmm_core.GaussianMixtureParams(weights, means, covariances, "full")


def confusion_counts(true_codes: np.ndarray, fitted: np.ndarray, n_classes: int, n_components: int) -> np.ndarray:
    """int ndarray of shape (n_classes, n_components): how many points of each true class each component took."""
    table = np.zeros((n_classes, n_components), dtype=np.int64)
    np.add.at(table, (true_codes, fitted), 1)
    return table
