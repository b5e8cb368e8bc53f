"""Argument checks that turn every user mistake into a ValueError saying what to change."""

from __future__ import annotations

import numbers

import numpy as np

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
INIT_METHODS = ("kmeans++", "kmeans", "random_points", "random_resp", "manual")
ALGORITHMS = ("soft", "hard")

# Squares of larger values overflow float64 inside the sufficient statistics.
MAX_ABS_VALUE = 1e100
# More restarts than this is a typo, and spawning 2**40 seed sequences would hang before any work.
MAX_RESTARTS = 10_000


def check_data(X) -> np.ndarray:
    """Return X as a C-contiguous float64 array of shape (n_samples, n_features).

    X : array-like of shape (n_samples,) or (n_samples, n_features)
    """
    try:
        array = np.asarray(X)
    except Exception as error:  # ragged lists and the like
        raise ValueError(f"X could not be read as a table of numbers ({error}); pass a 2-D array.") from None
    if array.dtype.kind == "O":
        array = _missing_as_nan(array)
    if array.dtype.kind in "OUS":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            example = next((v for v in array.ravel() if not _is_number(v)), "?")
            raise ValueError(
                f"X must contain only numbers, but it contains {str(example)[:30]!r}; "
                "remove or convert the non-numeric columns before fitting."
            ) from None
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    check_table(array.shape, array.dtype)
    array = np.ascontiguousarray(array, dtype=np.float64)
    check_values(int(np.count_nonzero(~np.isfinite(array).all(axis=1))), float(np.abs(array).max()))
    return array


def check_table(shape: tuple[int, ...], dtype) -> None:
    """X's shape (1-D already made a column) and type: a non-empty 2-D table of real numbers."""
    if np.dtype(dtype).kind not in "biuf":
        raise ValueError(f"X must contain real numbers, not values of type {dtype}; convert it to floats.")
    if len(shape) != 2:
        raise ValueError(f"X must have shape (n_samples,) or (n_samples, n_features), not {shape}.")
    if 0 in shape:
        raise ValueError(f"X is empty (shape {shape}); pass at least one row and one column of data.")


def check_values(bad_rows: int, largest: float) -> None:
    """X's values: no row with NaN or infinity, and nothing whose square would overflow."""
    if bad_rows:
        raise ValueError(
            f"X has {bad_rows} row{'s' if bad_rows != 1 else ''} with missing (NaN) or infinite values; "
            "drop or impute those rows before fitting."
        )
    if largest > MAX_ABS_VALUE:
        raise ValueError(
            f"X has values as large as {largest:.3g}, too large to fit reliably in floating point; "
            "rescale the data (for example, standardise each column) before fitting."
        )


def _missing_as_nan(array: np.ndarray) -> np.ndarray:
    """None and pandas' NA / NaT (in an object array) are missing values, not text: make them NaN."""
    missing = np.frompyfunc(lambda v: v is None or type(v).__name__ in ("NAType", "NaTType"), 1, 1)(array)
    missing = missing.astype(bool)
    if not missing.any():
        return array
    array = array.copy()
    array[missing] = np.nan
    return array


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def check_choice(name: str, value, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"Unknown {name} {value!r}; choose one of {options}.")
    return value


def check_positive_int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {value!r}.")
    return int(value)


def check_whole_number(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    return int(value)


def check_restarts(value) -> int:
    n_init = check_positive_int("n_init", value)
    if n_init > MAX_RESTARTS:
        raise ValueError(f"n_init must be at most {MAX_RESTARTS:,} restarts, not {n_init:,}; a few (5 to 20) are usually enough.")
    return n_init


def check_seed(seed) -> int | None:
    """None or a whole number of at least 0: what NumPy's SeedSequence takes, and what can be shared."""
    if seed is None:
        return None
    if isinstance(seed, np.random.Generator):
        raise ValueError("seed must be a whole number of at least 0 (or None), not a NumPy Generator; "
                         "pass an integer such as seed=0 so that the same fit can be reproduced.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0 (or None), not {seed!r}; for example seed=0.")
    return int(seed)


def check_non_negative(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of at least 0, not {value!r}.")
    return float(value)


def check_enough_distinct_points(X: np.ndarray, n_components: int) -> None:
    """Raise unless X holds at least n_components distinct rows (a cheap look at a prefix first)."""
    head = X[: 10 * n_components + 100]
    if len(np.unique(head, axis=0)) >= n_components:
        return
    distinct = len(np.unique(X, axis=0))
    if distinct < n_components:
        raise ValueError(
            f"X has only {distinct} distinct point{'s' if distinct != 1 else ''} but n_components={n_components}; "
            f"choose n_components of at most {distinct}, or use data with more distinct points."
        )


def covariance_shape(covariance_type: str, n_components: int, n_features: int) -> tuple[int, ...]:
    """The shape scikit-learn uses for `covariances_` of each covariance type."""
    return {
        "full": (n_components, n_features, n_features),
        "tied": (n_features, n_features),
        "diag": (n_components, n_features),
        "spherical": (n_components,),
    }[covariance_type]


def check_manual_init(means_init, weights_init, covariances_init, n_components, n_features, covariance_type):
    """Validate caller-supplied starting parameters; returns them as float arrays (or None)."""
    if means_init is None:
        raise ValueError("init='manual' needs means_init, an array of shape (n_components, n_features).")
    means = finite_numbers("means_init", means_init)
    if means.ndim == 1 and n_features == 1:
        means = means.reshape(-1, 1)
    if means.shape != (n_components, n_features):
        raise ValueError(
            f"means_init must have shape ({n_components}, {n_features}) for n_components={n_components} "
            f"and {n_features}-feature data, not {means.shape}."
        )
    weights = None
    if weights_init is not None:
        weights = finite_numbers("weights_init", weights_init)
        if weights.shape != (n_components,):
            raise ValueError(f"weights_init must have shape ({n_components},), not {weights.shape}.")
        if np.any(weights <= 0):
            raise ValueError("weights_init must be positive; give every component a weight above 0.")
        weights = weights / weights.sum()
    covariances = None
    if covariances_init is not None:
        covariances = finite_numbers("covariances_init", covariances_init)
        expected = covariance_shape(covariance_type, n_components, n_features)
        if covariances.shape != expected:
            raise ValueError(
                f"covariances_init for covariance_type={covariance_type!r} must have shape {expected}, "
                f"not {covariances.shape}."
            )
    return means, weights, covariances


def finite_numbers(name: str, value) -> np.ndarray:
    """A float array of finite numbers, or a ValueError naming the parameter."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers, not {type(value).__name__}.") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values; give finite numbers.")
    return array
