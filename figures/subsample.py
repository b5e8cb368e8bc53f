"""Which points to draw: a fixed random subset, so a million points do not become a million SVG nodes."""

from __future__ import annotations

import numpy as np

DISPLAY_CAP = 3000  # SVG scatter stays fluid up to a few thousand points


def display_subsample(n_points: int, cap: int = DISPLAY_CAP, seed: int = 0) -> np.ndarray:
    """Sorted indices of the points to draw, shape (min(n_points, cap),).

    All points when n_points <= cap; otherwise a random subset without replacement that depends only
    on (n_points, cap, seed), so reruns draw the same points.
    """
    n_points, cap = int(n_points), int(cap)
    if n_points < 0 or cap < 1:
        raise ValueError(f"display_subsample needs n_points >= 0 and cap >= 1, not {n_points} and {cap}.")
    if n_points <= cap:
        return np.arange(n_points)
    return np.sort(np.random.default_rng(seed).choice(n_points, size=cap, replace=False))
