"""Mahalanobis ellipses of 2-D Gaussians, drawn from the covariance's eigen-decomposition."""

from __future__ import annotations

import numpy as np

SIGMA_LEVELS = (1, 2, 3)
# In 2-D the squared Mahalanobis distance is chi-square with 2 degrees of freedom, whose CDF is 1 - exp(-s^2/2).
SIGMA_MASS_2D = {s: round(float(1.0 - np.exp(-(s**2) / 2.0)), 3) for s in SIGMA_LEVELS}
SIGMA_DASH = {1: "solid", 2: "dash", 3: "dot"}


def _unit_circle(n_points: int) -> np.ndarray:
    """Closed unit circle, shape (2, n_points): the first and last points coincide."""
    angle = np.linspace(0.0, 2.0 * np.pi, n_points)
    return np.stack([np.cos(angle), np.sin(angle)])


def ellipse_stack(means: np.ndarray, covariances: np.ndarray, n_sigma: float, n_points: int = 73) -> np.ndarray:
    """The n-sigma ellipses of many Gaussians at once.

    means : ndarray of shape (..., 2)
    covariances : ndarray of shape (..., 2, 2), symmetric positive semi-definite
    Returns ndarray of shape (..., 2, n_points): x = out[..., 0, :], y = out[..., 1, :].
    The point at angle t is mean + n_sigma * sum_j sqrt(lambda_j) * v_j * (cos t, sin t)_j,
    so t = 0 lies on the first eigenvector's axis at distance n_sigma * sqrt(lambda_1).
    """
    means = np.asarray(means, dtype=np.float64)
    eigenvalues, eigenvectors = np.linalg.eigh(np.asarray(covariances, dtype=np.float64))
    # Round-off can make a zero eigenvalue slightly negative; a flat ellipse is the honest picture.
    half_axes = n_sigma * np.sqrt(np.clip(eigenvalues, 0.0, None))
    transform = eigenvectors * half_axes[..., None, :]  # columns v_j scaled by n sqrt(lambda_j)
    return means[..., :, None] + transform @ _unit_circle(n_points)


def ellipse_xy(mean, cov, n_sigma: float, n_points: int = 73) -> tuple[np.ndarray, np.ndarray]:
    """The closed n-sigma Mahalanobis ellipse of N(mean, cov).

    mean : array-like of shape (2,)
    cov : array-like of shape (2, 2)
    Returns x, y : ndarrays of shape (n_points,), with (x[0], y[0]) == (x[-1], y[-1]).
    Every point has Mahalanobis distance n_sigma from the mean.
    """
    mean = np.asarray(mean, dtype=np.float64)
    cov = np.asarray(cov, dtype=np.float64)
    if mean.shape != (2,) or cov.shape != (2, 2):
        raise ValueError(f"ellipse_xy needs a mean of shape (2,) and a covariance of shape (2, 2), not {mean.shape} and {cov.shape}.")
    curve = ellipse_stack(mean, cov, n_sigma, n_points)
    return curve[0], curve[1]
