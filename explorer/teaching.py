"""The 'How EM works' page's numbers: EM stepped by hand, soft against hard EM, and local optima.

Pure Python (NumPy, pandas): every number comes from `gmm_core.e_step`, `gmm_core.m_step` and
`gmm_core.fit`, the same code the Explorer animates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

import gmm_core
from gmm_core.convergence import has_converged

from .tables import parameter_table

# The worked examples: the second article's 1-D data and the first article's 2-D data.
EXAMPLES = {
    "1d": "1-D: two overlapping Gaussians",
    "2d": "2-D: two tight clusters",
}
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
# The "local optima" data: five blobs close enough that a bad start can merge two and split another.
OPTIMA_BLOBS = dict(n_components=5, n_samples=400, separation=3.0, seed=0)
FINAL_TOL = 1e-6
FINAL_MAX_ITER = 500


def subscript(number: int) -> str:
    return str(number).translate(SUBSCRIPTS)


def example_data(name: str) -> gmm_core.SyntheticData:
    """The data of a worked example ('1d' or '2d'), always drawn from seed 0."""
    if name == "1d":
        return gmm_core.two_overlapping_gaussians(seed=0)
    if name == "2d":
        return gmm_core.two_tight_clusters(seed=0)
    raise ValueError(f"Unknown example {name!r}; choose one of {', '.join(EXAMPLES)}.")


def starting_params(X, n_components: int, seed: int) -> gmm_core.GaussianMixtureParams:
    """The first article's start: means at random data points, the data's covariance, equal weights.

    Exactly the iteration-0 parameters of `gmm_core.fit(init='random_points', seed=seed)`.
    """
    return gmm_core.fit(X, n_components, "full", init="random_points", seed=seed, max_iter=1).trace[0].params


@dataclass(frozen=True, eq=False)
class WorkedExample:
    """EM on X, paused between two steps.

    X : ndarray of shape (n_samples, n_features)
    params : the current parameters (the start, or the result of the last M-step)
    log_likelihood : total log-likelihood of X under `params`
    resp : ndarray of shape (n_samples, n_components), the E-step's responsibilities awaiting their
        M-step; None when the next step is an E-step
    before : the parameters the last M-step started from (None before the first M-step)
    used_resp : ndarray of shape (n_samples, n_components), the responsibilities the last M-step used
    counts : ndarray of shape (n_components,), N_k of the last M-step (None before the first)
    iteration : number of M-steps taken
    history : log-likelihood at the start and after every M-step
    params_history : the parameters at the start and after every M-step (θ₀ ... θ_iteration)
    """

    X: np.ndarray
    params: gmm_core.GaussianMixtureParams
    log_likelihood: float
    reg_covar: float = 1e-6
    resp: np.ndarray | None = None
    before: gmm_core.GaussianMixtureParams | None = None
    used_resp: np.ndarray | None = None
    counts: np.ndarray | None = None
    iteration: int = 0
    history: tuple[float, ...] = ()
    params_history: tuple[gmm_core.GaussianMixtureParams, ...] = ()

    @classmethod
    def start(cls, X, params: gmm_core.GaussianMixtureParams, reg_covar: float = 1e-6) -> "WorkedExample":
        _, log_likelihood = gmm_core.e_step(X, params)
        return cls(np.asarray(X, dtype=np.float64), params, log_likelihood, reg_covar, history=(log_likelihood,),
                   params_history=(params,))

    @property
    def next_step(self) -> str:
        return "E-step" if self.resp is None else "M-step"

    def e_step(self) -> "WorkedExample":
        """Responsibilities of every point under the current parameters (Bishop 9.23)."""
        if self.resp is not None:
            raise ValueError("The E-step is already done; take the M-step next.")
        resp, log_likelihood = gmm_core.e_step(self.X, self.params)
        return replace(self, resp=resp, log_likelihood=log_likelihood)

    def m_step(self) -> "WorkedExample":
        """New weights, means and covariances from the responsibilities (Bishop 9.24-9.26)."""
        if self.resp is None:
            raise ValueError("The M-step needs responsibilities; take the E-step first.")
        updated = gmm_core.m_step(self.X, self.resp, self.params.covariance_type, self.reg_covar)
        _, log_likelihood = gmm_core.e_step(self.X, updated)
        return replace(
            self,
            params=updated,
            log_likelihood=log_likelihood,
            resp=None,
            before=self.params,
            used_resp=self.resp,
            counts=self.resp.sum(axis=0),
            iteration=self.iteration + 1,
            history=self.history + (log_likelihood,),
            params_history=self.params_history + (updated,),
        )

    @property
    def converged(self) -> bool:
        """fit's stopping rule with FINAL_TOL (gmm_core.convergence): the last iteration gained less than
        that per point, and so is predicted to gain all the iterations still to come.

        True only between iterations (after an M-step): from then on a step changes nothing visible.
        """
        if self.iteration == 0 or self.resp is not None:
            return False
        before = self.history[-3] if len(self.history) >= 3 else np.nan
        return bool(has_converged(before, self.history[-2], self.history[-1], len(self.X), FINAL_TOL))

    def take_next_step(self) -> "WorkedExample":
        """The E-step or the M-step, whichever comes next."""
        return self.e_step() if self.resp is None else self.m_step()

    def run_to_convergence(self, max_iterations: int = FINAL_MAX_ITER) -> "WorkedExample":
        """Full iterations until `converged` (or max_iterations more M-steps)."""
        example = self
        for _ in range(max_iterations):
            if example.converged:
                break
            example = example.iterate(1)
        return example

    def iterate(self, n_iterations: int) -> "WorkedExample":
        """n_iterations full E-step + M-step pairs (an E-step already taken counts as the first half)."""
        example = self
        for _ in range(n_iterations):
            example = (example.e_step() if example.resp is None else example).m_step()
        return example


def new_example(name: str, seed: int = 0) -> WorkedExample:
    """A worked example on its article's data, from the first article's random start."""
    X = example_data(name).X
    return WorkedExample.start(X, starting_params(X, 2, seed))


def chosen_points(X, n_points: int = 6) -> np.ndarray:
    """Indices of a handful of points spread along the data's main axis, tails and middle alike.

    Returns ndarray of shape (n_points,), ordered along that axis.
    """
    X = np.asarray(X, dtype=np.float64)
    centred = X - X.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    position = centred @ axes[0]
    order = np.argsort(position, kind="stable")
    levels = np.linspace(0.03, 0.97, n_points)
    picks = np.unique(np.rint(levels * (len(X) - 1)).astype(int))
    return order[picks]


def responsibility_table(X, params: gmm_core.GaussianMixtureParams, indices, feature_names, resp=None) -> pd.DataFrame:
    """The E-step for a few points: each component's weighted density, their sum, and the responsibilities.

    γ(z_nk) = π_k N(x_n | μ_k, Σ_k) / Σ_j π_j N(x_n | μ_j, Σ_j); the table shows numerators, sum and ratio.
    resp : ndarray of shape (n_samples, n_components), the E-step's result for all of X; computed
        with gmm_core.e_step when None
    """
    indices = np.asarray(indices)
    points = np.asarray(X, dtype=np.float64)[indices]
    weighted = np.exp(params.weighted_log_prob(points))
    resp = gmm_core.e_step(points, params)[0] if resp is None else np.asarray(resp)[indices]
    frame = pd.DataFrame({"point": indices + 1})
    for j, name in enumerate(feature_names):
        frame[name] = points[:, j]
    for k in range(params.n_components):
        frame[f"π{subscript(k + 1)}·N{subscript(k + 1)}(x)"] = weighted[:, k]
    frame["sum p(x)"] = weighted.sum(axis=1)
    for k in range(params.n_components):
        frame[f"γ{subscript(k + 1)}"] = resp[:, k]
    return frame


def parameters_with_counts(params: gmm_core.GaussianMixtureParams, feature_names, counts=None) -> pd.DataFrame:
    """The parameter table, with the M-step's effective number of points N_k when given."""
    table = parameter_table(params, feature_names)
    if counts is not None:
        table.insert(1, "N_k (points' worth)", np.asarray(counts))
    return table


@dataclass(frozen=True, eq=False)
class SoftHard:
    """Soft and hard EM run to convergence from the same start on the same data."""

    start: gmm_core.GaussianMixtureParams
    soft: gmm_core.FitResult
    hard: gmm_core.FitResult


def soft_and_hard(X, n_components: int = 2, seed: int = 0) -> SoftHard:
    """Both variants from the iteration-0 parameters of init='random_points' with this seed."""
    common = dict(covariance_type="full", init="random_points", seed=seed, max_iter=FINAL_MAX_ITER, tol=FINAL_TOL)
    soft = gmm_core.fit(X, n_components, algorithm="soft", **common)
    hard = gmm_core.fit(X, n_components, algorithm="hard", **common)
    return SoftHard(soft.trace[0].params, soft, hard)


def optima_data() -> gmm_core.SyntheticData:
    return gmm_core.random_blobs(**OPTIMA_BLOBS)


def several_starts(X, n_components: int, seeds) -> list[gmm_core.FitResult]:
    """One soft EM run to convergence from each seed's random-points start."""
    return [
        gmm_core.fit(X, n_components, "full", init="random_points", seed=int(seed), max_iter=FINAL_MAX_ITER, tol=FINAL_TOL)
        for seed in seeds
    ]


def distinct_optima(results, tolerance: float = 0.05) -> int:
    """How many different final log-likelihoods the runs reached; closer than `tolerance` counts as one."""
    finals = np.sort([r.log_likelihood for r in results])
    return int(1 + np.count_nonzero(np.diff(finals) > tolerance)) if len(finals) else 0
