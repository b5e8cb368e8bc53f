"""Starting means placed by hand (init='manual'): click to place, drag to move, clear to start over.

Pure functions on tuples of rows (the form `Settings.manual_means` keeps and the URL carries): each
row is one mean, (x,) in 1-D or (x, y) in 2-D. A value that arrives from the browser is checked
here: anything that is not d finite numbers is refused (None), never passed to the fit.
"""

from __future__ import annotations

import math

import numpy as np

Means = tuple[tuple[float, ...], ...]
LIMIT = 1e12  # as the URL parser: larger values are refused


def default_means(X: np.ndarray, k: int) -> Means:
    """Evenly spaced quantiles of each column: a sensible, visible starting point to edit.

    X : ndarray of shape (n_samples, n_features)
    """
    levels = (np.arange(k) + 0.5) / k
    return tuple(tuple(float(f"{v:.4g}") for v in row) for row in np.quantile(X, levels, axis=0))


def data_bounds(X: np.ndarray) -> tuple[tuple[float, float], ...]:
    """(min, max) of each column of X (n_samples, n_features): where a dragged mean may go."""
    return tuple((float(lo), float(hi)) for lo, hi in zip(X.min(axis=0), X.max(axis=0)))


def parse_point(value, n_features: int) -> tuple[float, ...] | None:
    """A point from the browser: a list of n_features finite numbers, else None."""
    if not isinstance(value, (list, tuple)) or len(value) < n_features:
        return None
    try:
        point = tuple(float(v) for v in value[:n_features])
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) and abs(v) < LIMIT for v in point):
        return None
    return point


def clamp(point: tuple[float, ...], bounds) -> tuple[float, ...]:
    """The point moved inside the data's bounding box (a mean dragged off the data stays at its edge)."""
    return tuple(min(max(v, lo), hi) for v, (lo, hi) in zip(point, bounds))


def rounded(point: tuple[float, ...], bounds) -> tuple[float, ...]:
    """A clicked position to 4 significant digits of the data's span: what a click can mean, and a short URL."""
    out = []
    for v, (lo, hi) in zip(point, bounds):
        step = 10.0 ** (math.floor(math.log10(max(hi - lo, 1e-12))) - 3)
        out.append(float(f"{round(v / step) * step:.15g}"))
    return tuple(out)


def keep_newest(means: Means, k: int) -> Means:
    """At most k means: beyond k, the oldest go."""
    return tuple(means[-k:]) if k > 0 else ()


def place_mean(means: Means, point: tuple[float, ...], k: int) -> Means:
    """A click adds a mean; with k already placed it replaces the oldest."""
    return keep_newest(tuple(means) + (tuple(point),), k)


def move_mean(means: Means, index: int, point: tuple[float, ...]) -> Means:
    """A dragged mean dropped at `point` (a wrong index changes nothing)."""
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(means):
        return tuple(means)
    moved = list(means)
    moved[index] = tuple(point)
    return tuple(moved)
