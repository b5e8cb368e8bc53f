"""What one frame of the EM player shows, computed from the payload alone: the Python twin of the
browser's frame computation (player/model.js: `Model.frame`).

The browser plays the animation; this module builds the same numbers in NumPy, in the same order,
for static exports (one frame as a Plotly figure, see figures.frame_figure) and for tests that
compare what the browser drew with what the payload means.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .typed_arrays import read_array

ELLIPSE_POINTS = 61  # 6 degree steps
SIGMA_LEVELS = (1, 2, 3)
LOG_2PI = float(np.log(2.0 * np.pi))


@dataclass(frozen=True)
class PlayerData:
    """The payload's arrays, decoded.

    points : (n, d); weights : (E, k); means : (E, k, d); covariances, precisions_cholesky : (E, k, d, d)
    """

    payload: dict
    points: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray

    @classmethod
    def from_payload(cls, payload: dict) -> "PlayerData":
        params = payload["params"]
        return cls(payload, read_array(payload["points"]), read_array(params["weights"]), read_array(params["means"]),
                   read_array(params["covariances"]), read_array(params["precisions_cholesky"]))

    @property
    def n_frames(self) -> int:
        return len(self.payload["frames"]["name"])


@dataclass(frozen=True)
class FrameState:
    """One frame.

    resp : (n, k) responsibilities of the drawn points, or None before the first E-step
    winner : (n,) most responsible component (-1: not coloured yet); opacity : (n,) in [min_opacity, 1]
    changed : (n,) bool, the points whose most responsible component changed since the previous colouring
    ellipses : 2-D only, (k, 3, 2, ELLIPSE_POINTS): x = [..., 0, :], y = [..., 1, :] per sigma level 1, 2, 3
    densities : 1-D only, (k, grid_points) weighted component densities on `grid`, (grid_points,)
    """

    index: int
    name: str
    step: str
    params_index: int
    colour_index: int | None
    resp: np.ndarray | None
    winner: np.ndarray
    opacity: np.ndarray
    changed: np.ndarray
    means: np.ndarray
    weights: np.ndarray
    covariances: np.ndarray
    ellipses: np.ndarray | None
    grid: np.ndarray | None
    densities: np.ndarray | None
    curve_end: int


def responsibilities(points: np.ndarray, weights: np.ndarray, means: np.ndarray, precisions_cholesky: np.ndarray) -> np.ndarray:
    """Responsibilities (n, k) of a mixture for the points (n, d), in log space, each component's
    quadratic form computed from x - mean_k so that accuracy does not depend on where the data sits."""
    n, d = points.shape
    log_prob = np.empty((n, len(weights)))
    for k in range(len(weights)):
        y = (points - means[k]) @ precisions_cholesky[k]
        log_det = np.log(np.diagonal(precisions_cholesky[k])).sum()
        log_prob[:, k] = np.log(weights[k]) + log_det - 0.5 * d * LOG_2PI - 0.5 * np.sum(y * y, axis=1)
    top = log_prob.max(axis=1, keepdims=True)
    shifted = np.exp(log_prob - top)
    return shifted / shifted.sum(axis=1, keepdims=True)


def point_opacity(resp: np.ndarray, algorithm: str, min_opacity: float) -> np.ndarray:
    """Opacity (n,): min_opacity for a tie (responsibility 1/k), 1 for certainty; hard EM is always 1."""
    n, k = resp.shape
    if algorithm == "hard" or k == 1:
        return np.ones(n)
    floor = 1.0 / k
    certainty = np.clip((resp.max(axis=1) - floor) / (1.0 - floor), 0.0, 1.0)
    return min_opacity + (1.0 - min_opacity) * certainty


def ellipse_xy(mean: np.ndarray, covariance: np.ndarray, n_sigma: float, n_points: int = ELLIPSE_POINTS) -> np.ndarray:
    """The n-sigma ellipse of a 2-D Gaussian, (2, n_points), closed, starting on the major axis.

    Closed form for a 2x2 covariance [[a, b], [b, c]]: the major axis at angle atan2(2b, a - c) / 2.
    """
    a, b, c = covariance[0, 0], covariance[0, 1], covariance[1, 1]
    angle = 0.5 * np.arctan2(2.0 * b, a - c)
    half_gap = np.hypot(0.5 * (a - c), b)
    major = np.sqrt(max(0.5 * (a + c) + half_gap, 0.0))
    minor = np.sqrt(max(0.5 * (a + c) - half_gap, 0.0))
    t = np.linspace(0.0, 2.0 * np.pi, n_points)
    u, v = major * np.cos(t), minor * np.sin(t)
    cos, sin = np.cos(angle), np.sin(angle)
    return np.stack([mean[0] + n_sigma * (cos * u - sin * v), mean[1] + n_sigma * (sin * u + cos * v)])


def component_densities(grid: np.ndarray, weights: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    """w_k N(x | mu_k, s_k^2) on the grid: (k, grid_points)."""
    z = (grid[None, :] - means[:, None]) ** 2 / variances[:, None]
    return weights[:, None] * np.exp(-0.5 * z) / np.sqrt(2.0 * np.pi * variances[:, None])


def frame_state(data: PlayerData, index: int) -> FrameState:
    """What frame `index` of the payload shows."""
    payload = data.payload
    frames = payload["frames"]
    if not 0 <= index < data.n_frames:
        raise ValueError(f"Frame {index} does not exist; the player has frames 0 to {data.n_frames - 1}.")
    p = frames["params"][index]
    c = frames["colours"][index]
    n, k = len(data.points), data.weights.shape[1]
    min_opacity = payload["display"]["min_opacity"]
    if c < 0:
        resp, winner, opacity = None, np.full(n, -1), np.full(n, 1.0)
    else:
        resp = _resp(data, c)
        winner = resp.argmax(axis=1)
        opacity = point_opacity(resp, payload["algorithm"], min_opacity)
    changed = np.zeros(n, dtype=bool)
    previous = frames["colours"][index - 1] if index > 0 else -1
    if c >= 0 and previous >= 0 and previous != c and frames["step"][index] in ("E", "iteration"):
        changed = _resp(data, previous).argmax(axis=1) != winner
    ellipses = grid = densities = None
    view = payload["view"]
    if view["kind"] == "scatter":
        i, j = view["pair"]
        block = data.covariances[p][:, [i, j]][:, :, [i, j]]
        ellipses = np.stack([
            np.stack([ellipse_xy(data.means[p, comp, [i, j]], block[comp], s) for s in SIGMA_LEVELS])
            for comp in range(k)
        ])
    else:
        grid = np.linspace(view["x_range"][0], view["x_range"][1], view["grid_points"])
        densities = component_densities(grid, data.weights[p], data.means[p, :, 0], data.covariances[p, :, 0, 0])
    curve_x = np.asarray(payload["curves"][0]["x"], dtype=float)
    curve_end = int(np.flatnonzero(curve_x <= frames["curve_time"][index])[-1])
    return FrameState(index, frames["name"][index], frames["step"][index], p, None if c < 0 else c, resp, winner,
                      opacity, changed, data.means[p], data.weights[p], data.covariances[p], ellipses, grid,
                      densities, curve_end)


def _resp(data: PlayerData, entry: int) -> np.ndarray:
    return responsibilities(data.points, data.weights[entry], data.means[entry], data.precisions_cholesky[entry])
