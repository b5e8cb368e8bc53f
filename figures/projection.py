"""A d-dimensional mixture seen in a plane: through a pair of features, or the data's first two principal components.

A linear image of a Gaussian is Gaussian: N(mu, Sigma) seen through A is N(A mu, A Sigma A'). Through a
pair of features A picks two rows of the identity, so a component's view is its marginal, the (i, j) block
of its covariance; through principal components A is the data's principal directions. Both are exact.

The EM player draws any d through `view['pair']` and computes responsibilities from full-d points and
parameters, so the colours stay the full-dimensional responsibilities. The principal-component view is
therefore a rotation of the whole space (all d principal directions, an orthogonal change of basis that
leaves every density and responsibility unchanged) viewed through its first pair of coordinates.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

import gmm_core


def marginal(means: np.ndarray, covariances: np.ndarray, pair) -> tuple[np.ndarray, np.ndarray]:
    """Each component's marginal over the features `pair` = (i, j).

    means : (k, d); covariances : (k, d, d) full matrices
    Returns means (k, 2) and covariances (k, 2, 2): the corresponding entries and blocks.
    """
    index = list(pair)
    return means[:, index], covariances[:, index][:, :, index]


@dataclass(frozen=True, eq=False)
class PrincipalAxes:
    """The data's principal directions.

    center : (d,) the data mean; rotation : (d, d) orthogonal, column m = the m-th principal direction,
    by decreasing variance; explained : (d,) each direction's share of the total variance
    """

    center: np.ndarray
    rotation: np.ndarray
    explained: np.ndarray

    def points(self, X: np.ndarray) -> np.ndarray:
        """Coordinates (n, d) of the points X (n, d) along the principal directions."""
        return (np.asarray(X, dtype=np.float64) - self.center) @ self.rotation

    def params(self, params: gmm_core.GaussianMixtureParams) -> gmm_core.GaussianMixtureParams:
        """The mixture in principal coordinates: means (mu - center) R, covariances R' Sigma R (full, exact)."""
        R = self.rotation
        covariances = np.einsum("da,kde,eb->kab", R, params.full_covariances, R)
        covariances = 0.5 * (covariances + np.swapaxes(covariances, 1, 2))  # exactly symmetric for the Cholesky
        return gmm_core.GaussianMixtureParams(params.weights, (params.means - self.center) @ R, covariances, "full")

    def result(self, result: gmm_core.FitResult) -> gmm_core.FitResult:
        """The fit result with every trace entry's parameters in principal coordinates (the same fit, seen rotated)."""
        trace = tuple(dataclasses.replace(entry, params=self.params(entry.params)) for entry in result.trace)
        return dataclasses.replace(result, trace=trace, params=trace[-1].params)

    def names(self, count: int | None = None) -> list[str]:
        """'PC1 (62% of variance)', ... for the first `count` directions (all by default)."""
        shares = self.explained[: count or len(self.explained)]
        return [f"PC{m + 1} ({share:.0%} of variance)" for m, share in enumerate(shares)]


def principal_axes(X: np.ndarray) -> PrincipalAxes:
    """Principal directions of the points X (n, d), from the SVD of the centred data.

    Each direction's sign is fixed (its largest entry positive) so that the view does not flip between runs.
    """
    X = np.asarray(X, dtype=np.float64)
    center = X.mean(axis=0)
    _, singular, vt = np.linalg.svd(X - center, full_matrices=False)
    rotation = vt.T
    signs = np.sign(rotation[np.abs(rotation).argmax(axis=0), np.arange(rotation.shape[1])])
    rotation = rotation * np.where(signs == 0, 1.0, signs)
    variance = singular**2
    total = variance.sum()
    explained = variance / total if total > 0 else np.full(len(variance), 1.0 / len(variance))
    return PrincipalAxes(center, rotation, explained)


def bhattacharyya(mean_a: np.ndarray, cov_a: np.ndarray, mean_b: np.ndarray, cov_b: np.ndarray) -> np.ndarray:
    """Bhattacharyya distance between Gaussians, vectorised over leading axes.

    mean_a, mean_b : (..., m); cov_a, cov_b : (..., m, m)
    Returns (...): (1/8) delta' S^-1 delta + (1/2) ln(det S / sqrt(det A det B)), S = (A + B) / 2.
    """
    average = 0.5 * (cov_a + cov_b)
    delta = mean_a - mean_b
    spread = np.einsum("...i,...i->...", delta, np.linalg.solve(average, delta[..., None])[..., 0])
    _, log_det = np.linalg.slogdet(average)
    _, log_det_a = np.linalg.slogdet(cov_a)
    _, log_det_b = np.linalg.slogdet(cov_b)
    return spread / 8.0 + 0.5 * (log_det - 0.5 * (log_det_a + log_det_b))


@dataclass(frozen=True)
class PairScores:
    """How well the fitted components separate on each pair of features.

    pairs : (P, 2) every (i, j) with i < j; separation : (P,) the smallest Bhattacharyya distance between
    two components' marginals on that pair (the two hardest-to-tell-apart components); best : index into pairs
    """

    pairs: np.ndarray
    separation: np.ndarray
    best: int

    @property
    def best_pair(self) -> tuple[int, int]:
        i, j = self.pairs[self.best]
        return int(i), int(j)


def pair_scores(params: gmm_core.GaussianMixtureParams) -> PairScores:
    """Score every pair of features by the smallest Bhattacharyya distance between two fitted components'
    marginals on it; the best pair is the one whose worst-separated two components are furthest apart
    (ties: the first pair). With one component every pair scores 0 and the first pair is best."""
    d, k = params.n_features, params.n_components
    if d < 2:
        raise ValueError("Pairs of features need at least two features.")
    pairs = np.array([(i, j) for i in range(d) for j in range(i + 1, d)])
    if k < 2:
        return PairScores(pairs, np.zeros(len(pairs)), 0)
    means, covariances = params.means, params.full_covariances
    a, b = np.triu_indices(k, 1)
    mean_pairs = means[:, pairs]  # (k, P, 2)
    cov_pairs = covariances[:, pairs[:, :, None], pairs[:, None, :]]  # (k, P, 2, 2)
    distances = bhattacharyya(mean_pairs[a], cov_pairs[a], mean_pairs[b], cov_pairs[b])  # (k(k-1)/2, P)
    separation = distances.min(axis=0)
    return PairScores(pairs, separation, int(np.argmax(separation)))
