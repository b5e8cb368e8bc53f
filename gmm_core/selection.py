"""Model selection: sweep k and covariance types, score by BIC/AIC, and flag spurious fits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from ._validation import COVARIANCE_TYPES, check_choice, check_data, check_restarts, check_seed, check_whole_number
from .fit import FitResult, fit
from .spurious import SPURIOUS_VARIANCE_RATIO, degenerate_components  # noqa: F401 (re-exported)

@dataclass(frozen=True, eq=False)
class SweepRow:
    """One fitted model of the sweep."""

    n_components: int
    covariance_type: str
    log_likelihood: float
    n_parameters: int
    bic: float
    aic: float
    converged: bool
    spurious_components: tuple[int, ...]
    result: FitResult

    @property
    def spurious(self) -> bool:
        return bool(self.spurious_components)

    def as_dict(self) -> dict:
        """The table row (without the fit itself)."""
        return {
            "k": self.n_components,
            "covariance_type": self.covariance_type,
            "log_likelihood": self.log_likelihood,
            "n_parameters": self.n_parameters,
            "bic": self.bic,
            "aic": self.aic,
            "converged": self.converged,
            "spurious": self.spurious,
        }


@dataclass(frozen=True, eq=False)
class ModelSelection:
    """The sweep's rows, and the best by the criterion overall and among non-spurious fits."""

    rows: tuple[SweepRow, ...]
    criterion: str
    best: SweepRow
    best_non_spurious: SweepRow | None

    def table(self) -> list[dict]:
        return [row.as_dict() for row in self.rows]

    @classmethod
    def from_rows(cls, rows, criterion: str = "bic") -> "ModelSelection":
        """Rank fitted rows by BIC or AIC (lower is better), overall and among non-spurious fits."""
        check_choice("criterion", criterion, ("bic", "aic"))
        score = (lambda row: row.bic) if criterion == "bic" else (lambda row: row.aic)
        clean = [row for row in rows if not row.spurious]
        return cls(tuple(rows), criterion, min(rows, key=score), min(clean, key=score) if clean else None)


def select_model(
    X,
    n_components_range: Iterable[int] = range(1, 9),
    covariance_types: Iterable[str] = COVARIANCE_TYPES,
    criterion: str = "bic",
    n_init: int = 10,
    seed: int | None = 0,
    init: str = "kmeans++",
    max_iter: int = 1000,
    tol: float = 1e-6,
    reg_covar: float = 1e-6,
    on_progress: Callable[[int, int], None] | None = None,
    on_iteration: Callable[[int, int, int], None] | None = None,
) -> ModelSelection:
    """Fit every (k, covariance type) pair and rank them by BIC or AIC (lower is better).

    k values larger than the number of distinct points are skipped.  The tolerance is tighter than
    fit's default: comparing models needs each one run to its optimum, not just near it.
    on_progress : optional callback(done, total) after each fit
    on_iteration : optional callback(restart, iteration, max_iter) after every EM iteration of every fit
    """
    X = check_data(X)
    check_choice("criterion", criterion, ("bic", "aic"))
    covariance_types = [check_choice("covariance_type", c, COVARIANCE_TYPES)
                        for c in _as_list("covariance_types", covariance_types, "['full', 'diag']")]
    requested = [check_whole_number("each k in n_components_range", k)
                 for k in _as_list("n_components_range", n_components_range, "range(1, 9)")]
    check_restarts(n_init)
    check_seed(seed)
    n_distinct = len(np.unique(X, axis=0))
    ks = [k for k in requested if 1 <= k <= n_distinct]
    if not ks or not covariance_types:
        raise ValueError("Nothing to sweep: give at least one k between 1 and the number of distinct points, and one covariance type.")
    total = len(ks) * len(covariance_types)
    rows = []
    for covariance_type in covariance_types:
        for k in ks:
            result = fit(X, k, covariance_type, init=init, max_iter=max_iter, tol=tol,
                         reg_covar=reg_covar, n_init=n_init, seed=seed, on_iteration=on_iteration)
            rows.append(
                SweepRow(k, covariance_type, result.log_likelihood, result.params.n_parameters,
                         result.bic, result.aic, result.converged,
                         tuple(degenerate_components(result.params, X)), result)
            )
            if on_progress is not None:
                on_progress(len(rows), total)
    return ModelSelection.from_rows(rows, criterion)


def _as_list(name: str, values, example: str) -> list:
    """A list from any iterable; a single string or a non-iterable is a mistake worth a sentence."""
    try:
        if isinstance(values, str):
            raise TypeError
        return list(values)
    except TypeError:
        raise ValueError(f"{name} must be a list or range, for example {example}, not {values!r}.") from None
