"""Every bad input to gmm_core raises a ValueError that names the problem and says what to do."""

from __future__ import annotations

import re

import numpy as np
import pytest

import gmm_core

X = np.random.default_rng(0).normal(size=(50, 2))
EYE2 = np.stack([np.eye(2), np.eye(2)])
MEANS2 = np.array([[0.0, 0.0], [1.0, 1.0]])
PARAMS = gmm_core.GaussianMixtureParams([0.5, 0.5], MEANS2, EYE2, "full")


def assert_message(error: pytest.ExceptionInfo, *patterns: str) -> None:
    """Each pattern (a regex, case-insensitive) must occur in the message."""
    message = str(error.value)
    for pattern in patterns:
        assert re.search(pattern, message, flags=re.IGNORECASE), f"{pattern!r} not in {message!r}"


# (id, call, patterns): the first patterns name the problem, the last ones the fix.
CASES = [
    ("strings", lambda: gmm_core.fit(np.array([["a", "1"], ["2", "3"]]), 1), [r"only numbers", r"'a'", r"remove or convert"]),
    (
        "mixed object column",
        lambda: gmm_core.fit(np.array([[1.0, "x"], [2.0, 3.0], [4.0, 5.0]], dtype=object), 1),
        [r"only numbers", r"'x'", r"convert"],
    ),
    ("ragged rows", lambda: gmm_core.fit([[1.0, 2.0], [3.0]], 1), [r"table of numbers", r"2-D array"]),
    ("complex", lambda: gmm_core.fit(X.astype(complex), 1), [r"real numbers", r"complex", r"convert"]),
    (
        "nan rows counted",
        lambda: gmm_core.fit(np.where(np.arange(100).reshape(50, 2) % 7 == 0, np.nan, X), 2),
        [r"\b15 rows\b", r"NaN", r"drop or impute"],
    ),
    ("one inf row", lambda: gmm_core.fit(np.vstack([X, [np.inf, 0.0]]), 2), [r"\b1 row\b", r"infinite", r"drop or impute"]),
    ("-inf and nan rows", lambda: gmm_core.fit(np.vstack([X, [-np.inf, 0.0], [np.nan, np.nan]]), 2), [r"\b2 rows\b", r"drop"]),
    ("too large", lambda: gmm_core.fit(X * 1e120, 1), [r"too large", r"rescale|standardi[sz]e"]),
    ("fewer distinct points than k", lambda: gmm_core.fit(np.ones((20, 2)), 2), [r"only 1 distinct point", r"n_components=2", r"at most 1"]),
    (
        "3 distinct points, k=4",
        lambda: gmm_core.fit(np.repeat([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], 10, axis=0), 4),
        [r"only 3 distinct points", r"n_components=4", r"at most 3"],
    ),
    ("k = 0", lambda: gmm_core.fit(X, 0), [r"n_components", r"at least 1", r"\b0\b"]),
    ("k negative", lambda: gmm_core.fit(X, -2), [r"n_components", r"at least 1"]),
    ("k not whole", lambda: gmm_core.fit(X, 2.5), [r"n_components", r"whole number"]),
    ("empty 2-D", lambda: gmm_core.fit(np.empty((0, 2)), 1), [r"empty", r"at least one row"]),
    ("empty list", lambda: gmm_core.fit([], 1), [r"empty", r"at least one row"]),
    ("3-D array", lambda: gmm_core.fit(np.zeros((3, 3, 3)), 1), [r"shape", r"\(n_samples, n_features\)"]),
    ("covariance type", lambda: gmm_core.fit(X, 2, "fulll"), [r"unknown covariance_type", r"'fulll'", r"choose one of", r"'spherical'"]),
    ("init", lambda: gmm_core.fit(X, 2, init="kmeans+"), [r"unknown init", r"'kmeans\+'", r"choose one of", r"'random_resp'"]),
    ("algorithm", lambda: gmm_core.fit(X, 2, algorithm="stochastic"), [r"unknown algorithm", r"'stochastic'", r"'soft', 'hard'"]),
    (
        "manual means shape",
        lambda: gmm_core.fit(X, 2, init="manual", means_init=np.zeros((3, 2))),
        [r"means_init", r"\(2, 2\)", r"not \(3, 2\)"],
    ),
    (
        "manual means wrong d",
        lambda: gmm_core.fit(X, 2, init="manual", means_init=np.zeros((2, 3))),
        [r"means_init", r"2-feature data", r"not \(2, 3\)"],
    ),
    (
        "manual covariances shape",
        lambda: gmm_core.fit(X, 2, "diag", init="manual", means_init=np.zeros((2, 2)), covariances_init=EYE2),
        [r"covariances_init", r"'diag'", r"must have shape \(2, 2\)", r"not \(2, 2, 2\)"],
    ),
    (
        "manual tied covariance shape",
        lambda: gmm_core.fit(X, 2, "tied", init="manual", means_init=np.zeros((2, 2)), covariances_init=EYE2),
        [r"covariances_init", r"'tied'", r"\(2, 2\)"],
    ),
    (
        "manual weights shape",
        lambda: gmm_core.fit(X, 2, init="manual", means_init=np.zeros((2, 2)), weights_init=[1, 1, 1]),
        [r"weights_init", r"\(2,\)", r"not \(3,\)"],
    ),
    (
        "manual weights not positive",
        lambda: gmm_core.fit(X, 2, init="manual", means_init=np.zeros((2, 2)), weights_init=[1.0, 0.0]),
        [r"weights_init", r"positive", r"above 0"],
    ),
    (
        "manual covariance not positive definite",
        lambda: gmm_core.fit(X, 2, init="manual", means_init=np.zeros((2, 2)), covariances_init=np.stack([np.eye(2), -np.eye(2)])),
        [r"component\(s\) \[1\]", r"not positive definite", r"increase reg_covar|valid covariance"],
    ),
    (
        "manual means with nan",
        lambda: gmm_core.fit(X, 2, init="manual", means_init=[[0.0, np.nan], [1.0, 1.0]]),
        [r"means_init", r"NaN", r"finite"],
    ),
    ("manual without means", lambda: gmm_core.fit(X, 2, init="manual"), [r"needs means_init", r"\(n_components, n_features\)"]),
    ("means_init without manual", lambda: gmm_core.fit(X, 2, means_init=np.zeros((2, 2))), [r"only used with init='manual'", r"set init='manual'"]),
    ("max_iter 0", lambda: gmm_core.fit(X, 2, max_iter=0), [r"max_iter", r"at least 1", r"not 0"]),
    ("n_init 0", lambda: gmm_core.fit(X, 2, n_init=0), [r"n_init", r"at least 1"]),
    ("negative tol", lambda: gmm_core.fit(X, 2, tol=-1e-3), [r"\btol\b", r"at least 0", r"-0\.001"]),
    ("nan tol", lambda: gmm_core.fit(X, 2, tol=float("nan")), [r"\btol\b", r"finite"]),
    ("negative reg_covar", lambda: gmm_core.fit(X, 2, reg_covar=-1.0), [r"reg_covar", r"at least 0", r"-1\.0"]),
    ("m_step resp shape", lambda: gmm_core.m_step(X, np.ones((10, 2))), [r"resp", r"\(50, n_components\)", r"\(10, 2\)"]),
    ("m_step negative resp", lambda: gmm_core.m_step(X, -np.ones((50, 2))), [r"resp", r"non-negative"]),
    ("m_step covariance type", lambda: gmm_core.m_step(X, np.ones((50, 1)), "round"), [r"unknown covariance_type", r"choose one of"]),
    ("m_step reg_covar", lambda: gmm_core.m_step(X, np.ones((50, 1)), "full", -1e-6), [r"reg_covar", r"at least 0"]),
    (
        "params feature mismatch",
        lambda: gmm_core.GaussianMixtureParams([1.0], [[0.0, 0.0]], [np.eye(2)], "full").score_samples(np.zeros((3, 3))),
        [r"3 features", r"fitted on 2"],
    ),
    (
        "params inconsistent shapes",
        lambda: gmm_core.GaussianMixtureParams([0.5, 0.5], [[0.0, 0.0]], [np.eye(2)], "full"),
        [r"inconsistent shapes", r"weights \(2,\)", r"must be \(1, 2, 2\)"],
    ),
    ("select criterion", lambda: gmm_core.select_model(X, range(1, 3), criterion="aicc"), [r"unknown criterion", r"'bic', 'aic'"]),
    ("select nothing to sweep", lambda: gmm_core.select_model(X, range(0)), [r"nothing to sweep", r"at least one k"]),
    ("blobs n_features", lambda: gmm_core.random_blobs(3, 100, 11), [r"n_features", r"from 1 to 10", r"11"]),
    # seeds: what NumPy's SeedSequence takes, and what a link can carry
    ("seed float", lambda: gmm_core.fit(X, 2, seed=1.5), [r"seed", r"whole number", r"1\.5", r"seed=0"]),
    ("seed string", lambda: gmm_core.fit(X, 2, seed="7"), [r"seed", r"whole number", r"'7'"]),
    ("seed generator", lambda: gmm_core.fit(X, 2, seed=np.random.default_rng(0)), [r"seed", r"not a NumPy Generator", r"integer"]),
    ("seed negative", lambda: gmm_core.fit(X, 2, seed=-1), [r"seed", r"at least 0"]),
    ("select seed", lambda: gmm_core.select_model(X, [1], seed=2.5), [r"seed", r"whole number"]),
    ("sample seed", lambda: PARAMS.sample(5, seed="x"), [r"seed", r"whole number"]),
    ("blobs seed", lambda: gmm_core.random_blobs(seed=0.5), [r"seed", r"whole number"]),
    ("article seed", lambda: gmm_core.two_overlapping_gaussians(seed=np.random.default_rng(1)), [r"seed", r"Generator"]),
    # the public steps
    ("e_step without params", lambda: gmm_core.e_step(X, None), [r"params must be a GaussianMixtureParams", r"result\.params", r"NoneType"]),
    ("e_step with a dict", lambda: gmm_core.e_step(X, {"weights": [1.0]}), [r"params must be a GaussianMixtureParams", r"dict"]),
    ("m_step with a dict", lambda: gmm_core.m_step(X, {"a": 1}), [r"resp must be an array of numbers", r"dict", r"e_step returns"]),
    ("m_step rows not summing to 1", lambda: gmm_core.m_step(X, np.full((50, 2), 0.3)),
     [r"sum to 1", r"50 rows do not", r"row 0 sums to 0\.6", r"divide each row by its sum"]),
    ("m_step one row off", lambda: gmm_core.m_step(X, np.r_[np.full((49, 2), 0.5), [[0.5, 0.6]]]),
     [r"1 row does not", r"row 49 sums to 1\.1"]),
    ("m_step no components", lambda: gmm_core.m_step(X, np.ones((50, 0))), [r"resp", r"\(50, n_components\)"]),
    ("select None range", lambda: gmm_core.select_model(X, None), [r"n_components_range must be a list or range", r"range\(1, 9\)", r"None"]),
    ("select fractional k", lambda: gmm_core.select_model(X, [1.5]), [r"each k", r"whole number", r"1\.5"]),
    ("select one type as a string", lambda: gmm_core.select_model(X, [1], "full"), [r"covariance_types must be a list", r"'full'"]),
    ("select None types", lambda: gmm_core.select_model(X, [1], None), [r"covariance_types must be a list"]),
    ("sample fractional", lambda: PARAMS.sample(1.5), [r"n_samples", r"whole number", r"1\.5"]),
    ("sample zero", lambda: PARAMS.sample(0), [r"n_samples", r"at least 1"]),
    ("sample huge", lambda: PARAMS.sample(2**62), [r"n_samples must be at most 50,000,000", r"2 features", r"fewer"]),
    ("n_init huge", lambda: gmm_core.fit(X, 2, n_init=2**40), [r"n_init", r"at most 10,000", r"5 to 20"]),
    # parameters that would later give NaN
    ("params negative weight", lambda: gmm_core.GaussianMixtureParams([1.5, -0.5], MEANS2, EYE2, "full"),
     [r"weights must be positive and sum to 1", r"-0\.5", r"divide them by their sum"]),
    ("params weights not summing to 1", lambda: gmm_core.GaussianMixtureParams([0.5, 0.6], MEANS2, EYE2, "full"),
     [r"sum to 1", r"0\.6"]),
    ("params zero weight", lambda: gmm_core.GaussianMixtureParams([1.0, 0.0], MEANS2, EYE2, "full"), [r"positive", r"drop components"]),
    ("params nan weight", lambda: gmm_core.GaussianMixtureParams([np.nan, 0.5], MEANS2, EYE2, "full"), [r"weights", r"NaN", r"finite"]),
    ("params inf weight", lambda: gmm_core.GaussianMixtureParams([np.inf, 0.5], MEANS2, EYE2, "full"), [r"weights", r"infinite"]),
    ("params nan mean", lambda: gmm_core.GaussianMixtureParams([0.5, 0.5], [[0.0, np.nan], [1, 1]], EYE2, "full"), [r"means", r"NaN"]),
    ("params inf mean", lambda: gmm_core.GaussianMixtureParams([0.5, 0.5], [[0.0, np.inf], [1, 1]], EYE2, "full"), [r"means", r"infinite"]),
    ("params text mean", lambda: gmm_core.GaussianMixtureParams([1.0], [["a", "b"]], EYE2[:1], "full"), [r"means", r"array of numbers"]),
    ("params denormal covariance", lambda: gmm_core.GaussianMixtureParams([1.0], [[0.0]], [1e-320], "spherical"),
     [r"too close to zero", r"increase reg_covar|rescale"]),
    ("params denormal full", lambda: gmm_core.GaussianMixtureParams([1.0], [[0.0, 0.0]], [1e-310 * np.eye(2)], "full"), [r"too close to zero"]),
    ("params nan covariance", lambda: gmm_core.GaussianMixtureParams([1.0], [[0.0]], [np.nan], "spherical"), [r"covariances", r"NaN"]),
    ("params zero components", lambda: gmm_core.GaussianMixtureParams(np.ones(0), np.zeros((0, 2)), np.zeros((0, 2, 2)), "full"),
     [r"at least one", r"\(0, 2\)"]),
    ("blobs too few samples", lambda: gmm_core.random_blobs(5, 3), [r"n_samples", r"at least 5"]),
]


@pytest.mark.parametrize("call, patterns", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_raises_helpful_value_error(call, patterns):
    with pytest.raises(ValueError) as error:
        call()
    assert_message(error, *patterns)


def test_validation_runs_before_any_fitting_work():
    """A bad argument is reported even when the data alone would also be fine to fit."""
    for bad in ({"max_iter": -5}, {"tol": -1}, {"reg_covar": -1e-9}, {"covariance_type": "Full"}):
        with pytest.raises(ValueError):
            gmm_core.fit(X, 2, **bad)


@pytest.mark.parametrize(
    "good",
    [
        {"max_iter": 1},
        {"tol": 0.0},
        {"reg_covar": 0.0},
        {"n_components": 50},  # k = n distinct points is allowed
        {"init": "manual", "means_init": X[:2]},  # weights and covariances are optional
    ],
)
def test_boundary_values_are_accepted(good):
    kwargs = {"n_components": 2, **good}
    result = gmm_core.fit(X, **kwargs)
    assert np.isfinite(result.log_likelihood)


def test_pandas_na_is_a_missing_value_not_text():
    """A nullable pandas column holds <NA> for a missing value: counted as such, never 'non-numeric'."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": pd.array([1.0, None, 3.0, 4.0, None], dtype="Float64"), "b": [1.0, 2.0, 3.0, 5.0, 6.0]})
    with pytest.raises(ValueError) as error:
        gmm_core.fit(frame, 1)
    assert_message(error, r"\b2 rows\b", r"NaN", r"drop or impute")
    assert "non-numeric" not in str(error.value)
    objects = np.array([[1.0, None], [2.0, 3.0]], dtype=object)
    with pytest.raises(ValueError, match=r"1 row with missing \(NaN\)"):
        gmm_core.fit(objects, 1)
    # and a complete nullable frame fits like the plain floats it holds
    complete = frame.dropna()
    assert gmm_core.fit(complete, 1).log_likelihood == pytest.approx(gmm_core.fit(complete.to_numpy(float), 1).log_likelihood)


def test_valid_seeds_are_accepted():
    for seed in (None, 0, np.int64(3), 2**40):
        assert np.isfinite(gmm_core.fit(X, 2, seed=seed, max_iter=2).log_likelihood)
    assert PARAMS.sample(3, seed=np.uint8(1))[0].shape == (3, 2)


def test_m_step_accepts_rows_summing_to_one_within_rounding():
    resp = np.random.default_rng(1).dirichlet([1.0, 1.0, 1.0], size=50)
    assert np.abs(resp.sum(axis=1) - 1).max() > 0  # rounding, as from any real E-step
    assert gmm_core.m_step(X, resp).n_components == 3


def test_one_dimensional_input_is_one_feature():
    x = np.concatenate([np.zeros(10), np.ones(10)]) + np.linspace(0, 0.1, 20)
    result = gmm_core.fit(x, 2, init="manual", means_init=[0.0, 1.0])
    assert result.params.means.shape == (2, 1)
    assert result.params.score_samples(x).shape == (20,)
