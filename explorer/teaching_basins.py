"""The landscape of starting points: where EM ends from every pair of starting means (μ₁, μ₂).

For the second article's 1-D data and k = 2, a square grid of starting means is run to convergence
with `gmm_core.fit_many_starts` (each start exactly as the Explorer runs init='manual': equal weights,
the data's variance for both components), and every start is labelled by the solution it reaches.
Pure Python (NumPy); the page caches and draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import gmm_core

from .settings import Settings

GRID_SIZE = 60
# Run every start to a tight tolerance: a start near the diagonal crawls away from the symmetric
# saddle, and a loose tolerance would stop it there and paint a false basin.
MAP_TOL = 1e-8
MAP_MAX_ITER = 1000
REG_COVAR = 1e-6
# Two runs reached the same optimum when their log-likelihoods and sorted means agree this closely.
SAME_LOG_LIKELIHOOD = 1e-4
SAME_MEANS = 0.02  # in units of the data's standard deviation: a slow run stops a little short of its optimum


@dataclass(frozen=True)
class Solution:
    """One place EM ends, with one labelling of the components.

    means : ndarray of shape (2,), the final (μ₁, μ₂)
    optimum : rank of its log-likelihood among the distinct optima, 0 = the best
    order : 'μ₁ < μ₂', 'μ₁ > μ₂' (its label-swapped twin) or 'μ₁ = μ₂' (both components identical)
    n_starts : how many starts of the grid end here
    """

    name: str
    optimum: int
    order: str
    means: np.ndarray
    log_likelihood: float
    n_starts: int

    @property
    def is_saddle(self) -> bool:
        return self.order == "μ₁ = μ₂"


@dataclass(frozen=True, eq=False)
class BasinMap:
    """The solution each start on the grid reaches.

    grid : ndarray of shape (grid_size,), the starting values of μ₁ (columns) and of μ₂ (rows)
    solution : ndarray of shape (grid_size, grid_size), index into `solutions`; [row, col] = start (grid[col], grid[row])
    log_likelihood, n_iter : ndarrays of shape (grid_size, grid_size), at the end of each run
    solutions : the distinct solutions, the best optimum first
    """

    grid: np.ndarray
    solution: np.ndarray
    log_likelihood: np.ndarray
    n_iter: np.ndarray
    solutions: tuple[Solution, ...]
    tol: float = MAP_TOL
    max_iter: int = MAP_MAX_ITER
    reg_covar: float = REG_COVAR

    def cell(self, row: int, col: int) -> tuple[float, float]:
        """The starting means (μ₁, μ₂) of a cell."""
        return float(self.grid[col]), float(self.grid[row])

    def nearest_cell(self, mu1: float, mu2: float) -> tuple[int, int]:
        """(row, col) of the grid cell whose start is nearest to (μ₁, μ₂)."""
        return int(np.abs(self.grid - mu2).argmin()), int(np.abs(self.grid - mu1).argmin())


def map_data() -> gmm_core.SyntheticData:
    """The 1-D data the map is drawn for: the second article's two overlapping Gaussians, as on the page."""
    return gmm_core.two_overlapping_gaussians(seed=0)


def start_grid(X, grid_size: int = GRID_SIZE) -> np.ndarray:
    """grid_size starting values spanning the data's range, shape (grid_size,).

    Each is rounded to 4 significant digits, so that a link (which writes 6) reproduces it exactly.
    """
    values = np.linspace(float(np.min(X)), float(np.max(X)), grid_size)
    return np.array([float(f"{value:.4g}") for value in values])


def basin_map(X, grid_size: int = GRID_SIZE, on_progress=None) -> BasinMap:
    """EM from every start (μ₁, μ₂) on a grid_size × grid_size grid of 1-D data, k = 2, each labelled by its end.

    X : array-like of shape (n_samples, 1) or (n_samples,)
    on_progress : optional callback(finished, n_starts)
    """
    X = np.asarray(X, dtype=np.float64).reshape(-1, 1)
    grid = start_grid(X, grid_size)
    mu1, mu2 = np.meshgrid(grid, grid)  # rows vary μ₂, columns μ₁
    starts = np.stack([mu1.ravel(), mu2.ravel()], axis=1)
    runs = gmm_core.fit_many_starts(X, starts, max_iter=MAP_MAX_ITER, tol=MAP_TOL, reg_covar=REG_COVAR,
                                    on_progress=on_progress)
    labels, solutions = classify_ends(runs.means[:, :, 0], runs.log_likelihood, float(X.std()))
    shape = (grid_size, grid_size)
    return BasinMap(grid, labels.reshape(shape), runs.log_likelihood.reshape(shape), runs.n_iter.reshape(shape),
                    solutions)


def classify_ends(final_means, log_likelihood, data_scale: float) -> tuple[np.ndarray, tuple[Solution, ...]]:
    """Group runs by where they ended; returns each run's solution index and the solutions.

    final_means : ndarray of shape (n_runs, 2), the final (μ₁, μ₂)
    log_likelihood : ndarray of shape (n_runs,)
    Runs are the same optimum when their log-likelihoods and sorted means agree; each optimum is then
    split by the order of its means, so a solution and its label-swapped twin are told apart.
    """
    final_means = np.asarray(final_means, dtype=np.float64)
    log_likelihood = np.asarray(log_likelihood, dtype=np.float64)
    scale = data_scale if data_scale > 0 else 1.0
    ordered = np.sort(final_means, axis=1)
    optimum = np.full(len(final_means), -1)
    representatives = []
    while np.any(optimum < 0):
        free = np.flatnonzero(optimum < 0)
        first = free[np.argmax(log_likelihood[free])]
        same = (np.abs(log_likelihood[free] - log_likelihood[first]) <= SAME_LOG_LIKELIHOOD) & (
            np.abs(ordered[free] - ordered[first]).max(axis=1) <= SAME_MEANS * scale)
        optimum[free[same]] = len(representatives)
        representatives.append(first)
    coincide = np.abs(final_means[:, 1] - final_means[:, 0]) <= SAME_MEANS * scale
    order = np.where(coincide, 0, np.where(final_means[:, 0] < final_means[:, 1], 1, 2))
    # Optima ranked by log-likelihood, ignoring the saddle (which is not a maximum at all).
    saddle_optima = {o for o in range(len(representatives)) if np.all(coincide[optimum == o])}
    ranking = sorted(range(len(representatives)), key=lambda o: (o in saddle_optima, -log_likelihood[representatives[o]]))
    rank = {o: r for r, o in enumerate(ranking)}
    labels = np.empty(len(final_means), dtype=int)
    solutions: list[Solution] = []
    for o in ranking:
        for code, order_name in ((1, "μ₁ < μ₂"), (2, "μ₁ > μ₂"), (0, "μ₁ = μ₂")):
            members = np.flatnonzero((optimum == o) & (order == code))
            if not len(members):
                continue
            best_member = members[np.argmax(log_likelihood[members])]
            labels[members] = len(solutions)
            solutions.append(Solution(
                _solution_name(rank[o], code, o in saddle_optima), rank[o], order_name,
                final_means[best_member].copy(), float(log_likelihood[best_member]), len(members),
            ))
    return labels, tuple(solutions)


def _solution_name(rank: int, order_code: int, saddle: bool) -> str:
    if saddle or order_code == 0:
        return "both components identical (a saddle, not a maximum)"
    which = "the global optimum" if rank == 0 else f"local optimum {rank}" if rank > 1 else "a poorer local optimum"
    return which if order_code == 1 else f"{which}, labels swapped"


def means_path(X, mu1: float, mu2: float, basins: BasinMap) -> np.ndarray:
    """The means (μ₁, μ₂) after every iteration of EM run alone from one start, shape (n_iter + 1, 2)."""
    result = gmm_core.fit(X, 2, "full", init="manual", means_init=np.array([[mu1], [mu2]]), max_iter=basins.max_iter,
                          tol=basins.tol, reg_covar=basins.reg_covar)
    return np.array([entry.params.means[:, 0] for entry in result.trace])


def explorer_settings(current: Settings, mu1: float, mu2: float, basins: BasinMap) -> Settings:
    """The Explorer's settings that run EM from this start on the map's data, as the map ran it."""
    return current.with_changes(
        source="overlap", data_seed=0, k=2, covariance_type="full", init="manual", algorithm="soft",
        manual_means=((mu1,), (mu2,)), max_iter=basins.max_iter, tol=basins.tol,
        reg_covar=basins.reg_covar, n_init=1,
    )
