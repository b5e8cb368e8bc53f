"""Independent references for the engine's numerics, and the far-off-cluster data sets they judge.

The oracle never expands a density around a global centre: every component's log density is
computed from x - mu_k (per-component centring, as in scikit-learn's E-step), and the M-step's
means and covariances are two-pass sums in long double (x86-64: 64-bit mantissa, eps ~ 1e-19).
It knows nothing of gmm_core's design matrix, so it can judge it.  Used by the tests and by
bench/bench_numerics.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOG_2PI = np.log(2 * np.pi)


# --- densities -------------------------------------------------------------------------------------


def full_covariances(covariances: np.ndarray, covariance_type: str, n_components: int, n_features: int) -> np.ndarray:
    """Any covariance type as a (k, d, d) stack."""
    covariances = np.asarray(covariances, dtype=np.float64)
    if covariance_type == "full":
        return covariances
    if covariance_type == "tied":
        return np.repeat(covariances[None], n_components, axis=0)
    if covariance_type == "diag":
        return np.stack([np.diag(c) for c in covariances])
    return covariances[:, None, None] * np.eye(n_features)[None]


def weighted_log_prob(X, weights, means, covariances, covariance_type="full") -> np.ndarray:
    """log w_k + log N(x | mu_k, Sigma_k), shape (n, k), each component centred on its own mean.

    X : (n, d); weights : (k,); means : (k, d); covariances in scikit-learn's shape for the type.
    """
    X = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    means = np.asarray(means, dtype=np.float64).reshape(len(weights), -1)
    n_components, n_features = means.shape
    stack = full_covariances(covariances, covariance_type, n_components, n_features)
    out = np.empty((len(X), n_components))
    for k in range(n_components):
        lower = np.linalg.cholesky(stack[k])
        whitened = np.linalg.solve(lower, (X - means[k]).T)  # (d, n): L^-1 (x - mu)
        log_det = 2.0 * np.log(np.diag(lower)).sum()
        out[:, k] = np.log(weights[k]) - 0.5 * (n_features * LOG_2PI + log_det + (whitened**2).sum(axis=0))
    return out


def log_sum_exp(values: np.ndarray) -> np.ndarray:
    peak = values.max(axis=1)
    return peak + np.log(np.exp(values - peak[:, None]).sum(axis=1))


def score_samples(X, params) -> np.ndarray:
    """Mixture log density per point, shape (n,), of a gmm_core.GaussianMixtureParams (or alike)."""
    return log_sum_exp(weighted_log_prob(X, params.weights, params.means, params.covariances, params.covariance_type))


def e_step(X, params) -> tuple[np.ndarray, float]:
    """Responsibilities (n, k) and the total log-likelihood."""
    log_prob = weighted_log_prob(X, params.weights, params.means, params.covariances, params.covariance_type)
    log_density = log_sum_exp(log_prob)
    return np.exp(log_prob - log_density[:, None]), float(log_density.sum())


# --- M-step in long double -------------------------------------------------------------------------


def m_step(X, resp, covariance_type="full", reg_covar=1e-6):
    """(weights (k,), means (k, d), covariances in the type's shape), each component's moments
    taken about its own mean, two passes, in long double."""
    X = np.asarray(X, dtype=np.longdouble).reshape(len(X), -1)
    resp = np.asarray(resp, dtype=np.longdouble)
    n_samples, n_features = X.shape
    counts = resp.sum(axis=0)
    means = np.empty((resp.shape[1], n_features), dtype=np.longdouble)
    scatters = np.empty((resp.shape[1], n_features, n_features), dtype=np.longdouble)
    for k in range(resp.shape[1]):
        first = (resp[:, k] @ X) / counts[k]
        first = first + (resp[:, k] @ (X - first)) / counts[k]  # second pass: the rounding of the first
        diff = X - first
        means[k] = first
        scatters[k] = (resp[:, k, None] * diff).T @ diff
    eye = np.eye(n_features, dtype=np.longdouble)
    if covariance_type == "full":
        covariances = scatters / counts[:, None, None] + reg_covar * eye
    elif covariance_type == "tied":
        covariances = scatters.sum(axis=0) / counts.sum() + reg_covar * eye
    else:
        diagonal = np.diagonal(scatters, axis1=1, axis2=2) / counts[:, None] + reg_covar
        covariances = diagonal if covariance_type == "diag" else diagonal.mean(axis=1)
    return (
        np.asarray(counts / n_samples, dtype=np.float64),
        np.asarray(means, dtype=np.float64),
        np.asarray(covariances, dtype=np.float64),
    )


@dataclass(frozen=True)
class Params:
    """A plain parameter set for the oracle (the same attribute names as GaussianMixtureParams)."""

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str


def em(X, start, n_iter: int, reg_covar: float = 1e-6, hard: bool = False) -> tuple[Params, list[float]]:
    """Plain EM from `start` for n_iter iterations; the log-likelihood after every iteration
    (index 0 = the start).  hard=True: classification EM, reporting the classification log-likelihood."""
    params = Params(start.weights, start.means, start.covariances, start.covariance_type)
    curve = []
    for _ in range(n_iter + 1):
        log_prob = weighted_log_prob(X, params.weights, params.means, params.covariances, params.covariance_type)
        log_density = log_sum_exp(log_prob)
        curve.append(float(log_prob.max(axis=1).sum() if hard else log_density.sum()))
        if len(curve) == n_iter + 1:
            break
        resp = np.exp(log_prob - log_density[:, None])
        if hard:
            resp = np.eye(resp.shape[1])[log_prob.argmax(axis=1)]
        params = Params(*m_step(X, resp, params.covariance_type, reg_covar), params.covariance_type)
    return params, curve


# --- data people upload: narrow clusters far from the centre ---------------------------------------


@dataclass(frozen=True)
class FarCase:
    """Data whose clusters are narrow and far from the data's centre, with their true labels.

    X : (n, d); labels : (n,); reg_covar : what the case is fitted with (small enough not to mask
    the clusters' own spread)
    """

    name: str
    X: np.ndarray
    labels: np.ndarray
    reg_covar: float

    @property
    def n_components(self) -> int:
        return int(self.labels.max()) + 1

    def labelled_params(self, covariance_type: str = "full") -> Params:
        """The M-step from the true labels, computed by the oracle: the 'true mixture' of the data."""
        resp = np.eye(self.n_components)[self.labels]
        return Params(*m_step(self.X, resp, covariance_type, self.reg_covar), covariance_type)

    @property
    def distance_over_spread(self) -> float:
        """max over clusters of D/s: the Mahalanobis distance of its mean from the data's mean
        (distance over spread, in the cluster's own metric; invariant to the columns' units)."""
        centre = self.X.mean(axis=0)
        ratios = []
        for k in range(self.n_components):
            points = self.X[self.labels == k]
            covariance = np.atleast_2d(np.cov(points, rowvar=False, bias=True))
            ratios.append(mahalanobis(points.mean(axis=0) - centre, covariance))
        return float(max(ratios))


def mahalanobis(offset, covariance) -> float:
    """sqrt(offset' covariance^-1 offset), in long double where it matters (the whitening)."""
    lower = np.linalg.cholesky(np.atleast_2d(covariance))
    return float(np.linalg.norm(np.linalg.solve(lower, np.asarray(offset, dtype=np.float64))))


def _shuffled(blocks, rng) -> tuple[np.ndarray, np.ndarray]:
    X = np.vstack(blocks)
    labels = np.repeat(np.arange(len(blocks)), [len(b) for b in blocks])
    order = rng.permutation(len(X))
    return X[order], labels[order]


def timestamps(seed: int = 0, n_per_burst: int = 100) -> FarCase:
    """Unix timestamps (seconds): three bursts of events, each within one second, over ten years."""
    rng = np.random.default_rng(seed)
    starts = 1.6e9 + np.array([0.0, 4.7, 10.0]) * 365.25 * 86400
    blocks = [(start + rng.uniform(0.0, 1.0, n_per_burst))[:, None] for start in starts]
    return FarCase("timestamps: three 1-second bursts over ten years", *_shuffled(blocks, rng), reg_covar=1e-12)


CITIES = {"Paris": (48.8566, 2.3522), "New York": (40.7128, -74.0060), "Tokyo": (35.6762, 139.6503)}


def gps(seed: int = 0, n_per_city: int = 100, jitter: float = 1e-6) -> FarCase:
    """GPS fixes (latitude, longitude in degrees) in three cities, with `jitter` degrees of noise."""
    rng = np.random.default_rng(seed)
    blocks = [np.array(city) + jitter * rng.standard_normal((n_per_city, 2)) for city in CITIES.values()]
    return FarCase("GPS: three cities, 1e-6 degree jitter", *_shuffled(blocks, rng), reg_covar=1e-18)


def blobs(seed: int = 0, n_per_blob: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Three ordinary, slightly correlated 2-D clusters, sd about 1, means a few sd apart."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0]])
    mixing = np.array([[1.0, 0.3], [0.0, 0.8]])
    blocks = [centre + rng.standard_normal((n_per_blob, 2)) @ mixing for centre in centres]
    return _shuffled(blocks, rng)


def column_offset(seed: int = 0, offset: float = 1e8) -> FarCase:
    """Ordinary clusters with one column shifted by `offset` (a sensor's fixed offset, say)."""
    X, labels = blobs(seed)
    X[:, 0] += offset
    return FarCase("a column offset by 1e8", X, labels, reg_covar=1e-6)


def column_scales(seed: int = 0, scales=(1e-6, 1e6)) -> FarCase:
    """Ordinary clusters with columns in very different units (scales 1e-6 and 1e6)."""
    X, labels = blobs(seed)
    return FarCase("columns scaled 1e-6 and 1e6", X * np.asarray(scales), labels, reg_covar=1e-18)


FAR_CASES = {"timestamps": timestamps, "gps": gps, "offset": column_offset, "scales": column_scales}


def relative_error(actual, expected) -> float:
    """max |actual - expected| / max |expected| (arrays) or |a - e| / |e| (scalars)."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    scale = float(np.abs(expected).max())
    return float(np.abs(actual - expected).max() / scale) if scale > 0 else float(np.abs(actual).max())


def mean_error(actual, expected, expected_covariances, covariance_type: str) -> float:
    """Largest error of a component's mean in its own standard deviations (Mahalanobis distance)."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    stack = full_covariances(expected_covariances, covariance_type, *expected.shape)
    return max(mahalanobis(a - e, c) for a, e, c in zip(actual, expected, stack))


def covariance_error(actual, expected, covariance_type: str, n_components: int, n_features: int) -> float:
    """Largest error of a component's covariance, relative to that covariance's smallest eigenvalue
    (what a log density feels): max_k ||L_k^-1 (S_k - E_k) L_k^-T||_2 with E_k = L_k L_k^T."""
    actual = full_covariances(actual, covariance_type, n_components, n_features)
    expected = full_covariances(expected, covariance_type, n_components, n_features)
    worst = 0.0
    for a, e in zip(actual, expected):
        lower = np.linalg.cholesky(e)
        inverse = np.linalg.inv(lower)
        worst = max(worst, float(np.linalg.norm(inverse @ (a - e) @ inverse.T, 2)))
    return worst
