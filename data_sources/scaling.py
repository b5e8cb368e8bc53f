"""Overflow-safe standardisation of a data matrix."""

from __future__ import annotations

import numpy as np


def standardise(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre and scale each column without overflowing, even for values near 1e300.

    raw: float64 (n, d), all finite.
    Returns (X, center, scale) with X float64 (n, d) finite and X ~= (raw - center) / scale,
    center and scale float64 (d,). A constant column gets scale 1 and X = 0.
    """
    n, d = raw.shape
    X = np.zeros((n, d))
    center = raw[0].astype(np.float64)  # placeholder for constant columns, overwritten otherwise
    scale = np.ones(d)
    for j in range(d):
        col = raw[:, j]
        # Dividing by the largest magnitude first keeps squares and sums inside float range.
        peak = float(np.max(np.abs(col)))
        if peak == 0.0 or np.all(col == col[0]):
            # Constant column (all zeros included): nothing to scale, X stays exactly 0.
            continue
        unit = col / peak
        mean, std = float(unit.mean()), float(unit.std())
        if not (std > 0.0 and std * peak > 0.0):
            # Spread lost to rounding (or subnormal values): treat as constant too.
            continue
        center[j] = mean * peak
        scale[j] = std * peak
        X[:, j] = (unit - mean) / std
    return X, center, scale
