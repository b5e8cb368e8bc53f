"""1-D mixture densities on a grid, for the 1-D view."""

from __future__ import annotations

import numpy as np


def component_densities(grid: np.ndarray, weights: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    """Weighted component densities w_k N(x | mu_k, s_k^2) on a grid.

    grid : ndarray of shape (n_grid,)
    weights, means, variances : ndarrays of shape (..., n_components)
    Returns ndarray of shape (..., n_components, n_grid); summing over components gives the mixture.
    """
    variances = np.asarray(variances, dtype=np.float64)[..., None]
    squared = (grid - np.asarray(means, dtype=np.float64)[..., None]) ** 2
    return np.asarray(weights)[..., None] * np.exp(-0.5 * squared / variances) / np.sqrt(2.0 * np.pi * variances)


def params_densities(grid: np.ndarray, params) -> np.ndarray:
    """Weighted component densities of a 1-D GaussianMixtureParams, shape (n_components, n_grid)."""
    return component_densities(grid, params.weights, params.means[:, 0], params.full_covariances[:, 0, 0])


def histogram(values: np.ndarray, max_bins: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Density-normalised histogram: centres, widths and heights, each of shape (n_bins,).

    The bin count follows numpy's 'auto' rule, capped so that a big sample does not draw a comb.
    """
    edges = np.histogram_bin_edges(values, bins="auto")
    if len(edges) - 1 > max_bins:
        edges = np.histogram_bin_edges(values, bins=max_bins)
    heights, edges = np.histogram(values, bins=edges, density=True)
    return (edges[:-1] + edges[1:]) / 2.0, np.diff(edges), heights
