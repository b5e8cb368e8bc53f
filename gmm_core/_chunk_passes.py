"""What one chunk of rows contributes to a pass of chunked EM, and how two contributions add up.

Module-level functions and plain dataclasses, so that a distributed scheduler can pickle them to
its workers.  Moments are taken about per-component anchors (the current means), not the data's
mean, so that a narrow component far from the origin loses nothing to cancellation (see _accuracy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _covariance
from ._design import Design
from .init import nearest_center
from .steps import harden

EPS = np.finfo(np.float64).eps


def as_rows(chunk) -> np.ndarray:
    """A chunk as a C-contiguous float64 array of shape (rows, n_features)."""
    array = np.ascontiguousarray(chunk, dtype=np.float64)
    return array.reshape(-1, 1) if array.ndim == 1 else array


@dataclass(frozen=True)
class Summary:
    """The first pass: row count, column sums (for the centre) and what validation needs."""

    n_rows: int
    sums: np.ndarray
    bad_rows: int
    largest: float


def summarise(chunk, start: int) -> Summary:
    X = as_rows(chunk)
    finite = np.isfinite(X).all(axis=1)
    good = X[finite]
    largest = float(np.abs(good).max()) if len(good) else 0.0
    return Summary(len(X), good.sum(axis=0), int(len(X) - finite.sum()), largest)


def add_summaries(a: Summary, b: Summary) -> Summary:
    return Summary(a.n_rows + b.n_rows, a.sums + b.sums, a.bad_rows + b.bad_rows, max(a.largest, b.largest))


def scatter(chunk, start: int, centre: np.ndarray) -> np.ndarray:
    """sum of (x - centre)(x - centre)' over the chunk, shape (d, d): the data's covariance, times n."""
    centred = as_rows(chunk) - centre
    return centred.T @ centred


@dataclass(frozen=True)
class Moments:
    """Per-component sums about the anchors a_k, and the points a re-seed would take.

    counts : (k,) sum of r;  first : (k, d) sum of r (x - a_k);  second : sum of r (x - a_k)(x - a_k)',
        (k, d, d) for full/tied, its diagonal (k, d) for diag/spherical
    log_likelihood, classification : the pass's mixture and classification log-likelihoods
    changed : points whose most responsible component differs from the previous parameters' (hard EM)
    worst_values, worst_index, worst_rows : the n_worst lowest-scored points, lowest first
    """

    counts: np.ndarray
    first: np.ndarray
    second: np.ndarray
    log_likelihood: float
    classification: float
    changed: int
    worst_values: np.ndarray
    worst_index: np.ndarray
    worst_rows: np.ndarray


def add_moments(a: Moments, b: Moments) -> Moments:
    n_worst = max(len(a.worst_values), len(b.worst_values))
    values = np.concatenate([a.worst_values, b.worst_values])
    index = np.concatenate([a.worst_index, b.worst_index])
    keep = np.lexsort((index, values))[:n_worst]  # lowest first; ties to the earliest row, as a stable sort
    return Moments(
        a.counts + b.counts, a.first + b.first, a.second + b.second,
        a.log_likelihood + b.log_likelihood, a.classification + b.classification, a.changed + b.changed,
        values[keep], index[keep], np.concatenate([a.worst_rows, b.worst_rows])[keep],
    )


def em_chunk(chunk, start: int, *, kind: str, centre, params, previous, hard: bool, anchors, n_worst: int) -> Moments:
    """E-step under `params` and the next M-step's moments about `anchors` (hardened for hard EM).

    previous : the parameters of the pass before (hard EM), to count points that changed component
    """
    X = as_rows(chunk)
    design = Design.build(X, kind, center=centre)
    best = np.empty(len(X))
    resp_t, log_density = design.e_step(params, best=best)
    changed = 0
    if previous is not None:
        changed = int(np.count_nonzero(design.e_step(previous)[0].argmax(axis=0) != resp_t.argmax(axis=0)))
    if hard:
        harden(resp_t)
    scores = (float(log_density.sum()), float(best.sum()), changed)
    return moments(X, start, resp_t, log_density, anchors, kind, n_worst, scores)


def nearest_chunk(chunk, start: int, *, kind: str, centre, centers, anchors, n_worst: int) -> Moments:
    """k-means' start: every point wholly to its nearest center (centred coordinates); the farthest
    points are the worst explained."""
    X = as_rows(chunk)
    labels, nearest_sq = nearest_center(X - centre, centers)
    resp_t = np.zeros((len(centers), len(X)))
    resp_t[labels, np.arange(len(X))] = 1.0
    return moments(X, start, resp_t, -nearest_sq, anchors, kind, n_worst, (0.0, 0.0, 0))


def random_chunk(chunk, start: int, *, kind: str, entropy: int, anchors, n_worst: int) -> Moments:
    """Random responsibilities, drawn per chunk from (entropy, first row) so that every pass agrees."""
    X = as_rows(chunk)
    resp_t = np.random.default_rng([entropy, start]).random((len(anchors), len(X)))
    resp_t /= resp_t.sum(axis=0, keepdims=True)
    return moments(X, start, resp_t, np.zeros(len(X)), anchors, kind, n_worst, (0.0, 0.0, 0))


def moments(X, start, resp_t, badness, anchors, kind, n_worst, scores) -> Moments:
    """The sums of Moments for responsibilities resp_t (k, rows); badness (rows,) ranks re-seed points."""
    n_components, n_features = anchors.shape
    pairs = _covariance.QUADRATIC_KIND[kind] == "pairs"
    first = np.empty((n_components, n_features))
    second = np.empty((n_components, n_features, n_features) if pairs else (n_components, n_features))
    diff, weighted = np.empty_like(X), np.empty_like(X)  # reused for every component
    for k in range(n_components):
        np.subtract(X, anchors[k], out=diff)
        np.multiply(diff, resp_t[k][:, None], out=weighted)
        first[k] = resp_t[k] @ diff
        second[k] = weighted.T @ diff if pairs else np.einsum("nd,nd->d", weighted, diff)
    worst = lowest(badness, n_worst)
    return Moments(resp_t.sum(axis=1), first, second, *scores, badness[worst], start + worst, X[worst])


def lowest(values: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` lowest values, lowest first, ties to the earliest index: a stable
    argsort's first `count`, in linear time."""
    if count >= len(values):
        return np.argsort(values, kind="stable")
    threshold = np.partition(values, count - 1)[count - 1]
    below = np.flatnonzero(values < threshold)
    chosen = np.concatenate([below, np.flatnonzero(values == threshold)[: count - len(below)]])
    return chosen[np.lexsort((chosen, values[chosen]))]


def maximise_moments(m: Moments, anchors: np.ndarray, kind: str, reg_covar: float):
    """The raw M-step from moments about `anchors`, in the tuple steps.maximise returns."""
    counts = m.counts + 10 * EPS  # as the in-memory M-step: keeps empty components finite
    shift = m.first / counts[:, None]
    means = anchors + shift
    n_features = anchors.shape[1]
    if _covariance.QUADRATIC_KIND[kind] == "pairs":
        scatter = m.second / counts[:, None, None] - shift[:, :, None] * shift[:, None, :]
        covariances = scatter if kind == "full" else (counts[:, None, None] * scatter).sum(axis=0) / counts.sum()
        covariances[..., np.arange(n_features), np.arange(n_features)] += reg_covar
    else:
        scatter = m.second / counts[:, None] - shift**2
        covariances = (scatter if kind == "diag" else scatter.mean(axis=1)) + reg_covar
    factor, failed = _covariance.PRECISION_CHOLESKY[kind](covariances)
    return counts / counts.sum(), means, covariances, counts, factor, failed
